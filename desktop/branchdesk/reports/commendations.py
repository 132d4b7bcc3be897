"""表彰名单: every commendation of the year grouped by level (highest first) and title, each group
with its count and a total; and a level × title count sheet (表彰统计)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from ..domain.honours import Level, Title
from . import sheet
from .sheet import FIRST_ROW, Column, Kind, Report, Sheet, Subtotal


@dataclass(frozen=True)
class Entry:
    level: Level
    title: Title
    title_label: str  # as shown; for 其他, the title's own wording
    recipient: str
    branch: str  # the recipient's branch; blank when the recipient is an organization
    issuer: str
    document_no: str
    awarded_on: dt.date | None


LIST_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("级别"), Column("称号"), Column("表彰对象", total="count"),
    Column("所在支部"), Column("表彰单位"), Column("文号"), Column("表彰日期", Kind.DATE),
)
_RECIPIENT = sheet.letter(LIST_COLUMNS, "表彰对象")
_LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}
_TITLE_RANK = {title: rank for rank, title in enumerate(Title)}
_TITLES = [t.label for t in Title]
COUNT_COLUMNS = (
    Column("级别"), *(Column(label, Kind.NUMBER, total="sum") for label in _TITLES),
    Column("合计", Kind.NUMBER, formula=f"=SUM({{{_TITLES[0]}}}{{row}}:{{{_TITLES[-1]}}}{{row}})"),
)


def sheets(report: Report, entries: Sequence[Entry]) -> list[Sheet]:
    return [_list(report, entries), count_sheet(report, entries)]


def _order(entry: Entry) -> tuple[int, int, str]:
    return _LEVEL_RANK[entry.level], _TITLE_RANK[entry.title], entry.title_label


def _group(entry: Entry) -> tuple[Level, str]:
    return entry.level, entry.title_label


def _list(report: Report, entries: Sequence[Entry]) -> Sheet:
    rows: list[tuple] = []
    serial = 0
    for (level, title), group in groupby(sorted(entries, key=_order), key=_group):
        first = FIRST_ROW + len(rows)
        for e in group:
            serial += 1
            rows.append((serial, level.label, title, e.recipient, e.branch, e.issuer, e.document_no, e.awarded_on))
        count = f"=SUBTOTAL(3,{_RECIPIENT}{first}:{_RECIPIENT}{FIRST_ROW + len(rows) - 1})"
        rows.append(Subtotal(("小计", level.label, title, count, None, None, None, None)))
    return Sheet("表彰名单", report.title, LIST_COLUMNS, rows,
                 notes=["注：按表彰级别由高到低、称号分组排列；“小计”“合计”为表彰项数。"])


def count_sheet(report: Report, entries: Sequence[Entry]) -> Sheet:
    """Commendations counted by level and title (also a sheet of the annual report)."""
    counts = Counter((e.level, e.title) for e in entries)
    rows = [(level.label, *(counts[level, title] for title in Title), None) for level in Level]
    return Sheet("表彰统计", f"{report.period_label}表彰情况统计表", COUNT_COLUMNS, rows,
                 notes=["注：“其他”含各类其他称号；明细见“表彰名单”。"])
