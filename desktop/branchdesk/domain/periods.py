"""Reporting periods (统计期间): a year, a quarter or a month, as reports and compliance use them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_QUARTER_NAMES = ("一", "二", "三", "四")
_KEY = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})))?$")


def quarter_of(day: dt.date) -> int:
    """1–4: the calendar quarter `day` falls in."""
    return (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class Period:
    """A calendar year, or one quarter or one month of it (at most one of `quarter` / `month`)."""

    year: int
    quarter: int | None = None
    month: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"年份不正确：{self.year}")
        if self.quarter is not None and self.month is not None:
            raise ValueError("统计期间只能是年度、季度或月份之一")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValueError(f"季度应为 1 至 4：{self.quarter}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"月份应为 1 至 12：{self.month}")

    @property
    def kind(self) -> str:
        return "month" if self.month is not None else "quarter" if self.quarter is not None else "year"

    @property
    def first_month(self) -> int:
        if self.month is not None:
            return self.month
        return 3 * self.quarter - 2 if self.quarter is not None else 1

    @property
    def last_month(self) -> int:
        if self.month is not None:
            return self.month
        return 3 * self.quarter if self.quarter is not None else 12

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day, inclusive."""
        last = self.last_month
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def label(self) -> str:
        """"2026年度" / "2026年第三季度" / "2026年11月"."""
        if self.month is not None:
            return f"{self.year}年{self.month}月"
        if self.quarter is not None:
            return f"{self.year}年第{_QUARTER_NAMES[self.quarter - 1]}季度"
        return f"{self.year}年度"

    @property
    def key(self) -> str:
        """"2026" / "2026-Q3" / "2026-11": the form recorded in exported files; `parse` reads it back."""
        if self.month is not None:
            return f"{self.year}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year}-Q{self.quarter}"
        return f"{self.year}"

    def months(self) -> list[str]:
        """The months covered, as 'YYYY-MM'."""
        return [f"{self.year}-{m:02d}" for m in range(self.first_month, self.last_month + 1)]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def parse(cls, key: str) -> Period:
        """The period a `key` names; ValueError for anything else."""
        m = _KEY.match(key.strip())
        if not m:
            raise ValueError(f"无法识别的统计期间：{key}")
        year, quarter, month = int(m.group(1)), m.group(2), m.group(3)
        return cls(year, int(quarter) if quarter else None, int(month) if month else None)

    @classmethod
    def containing(cls, day: dt.date, kind: str) -> Period:
        """The year / quarter / month (`kind`) that `day` falls in."""
        if kind == "month":
            return cls(day.year, month=day.month)
        if kind == "quarter":
            return cls(day.year, quarter=quarter_of(day))
        if kind == "year":
            return cls(day.year)
        raise ValueError(f"未知的期间类型：{kind}")
