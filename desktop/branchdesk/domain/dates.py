"""Date helpers: parsing what people type, and calendar arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> dt.date:
    """Parse 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日 or 20240501; ValueError otherwise."""
    s = text.strip()
    for form in _FORMS:
        m = form.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return dt.date(y, mo, d)
    raise ValueError(f"无法识别的日期：{text}")


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the month's end (2024-02-29 + 12 → 2025-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def from_iso(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
