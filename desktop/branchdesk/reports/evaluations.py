"""民主评议结果汇总表: ratings counted per branch (评议汇总), and every member's rating (评议名单)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..domain.honours import Rating
from .sheet import Column, Kind, Report, Sheet


@dataclass(frozen=True)
class Entry:
    branch: str
    name: str
    standing: str  # 正式党员 / 预备党员
    rating: Rating
    note: str


COUNT_COLUMNS = (
    Column("支部"), *(Column(r.label, Kind.NUMBER, total="sum") for r in Rating),
    Column("合计", Kind.NUMBER, formula="=SUM({优秀}{row}:{不参加评定}{row})"),
    Column("优秀占比", Kind.PERCENT,
           formula='=IF({合计}{row}-{不参加评定}{row}>0,{优秀}{row}/({合计}{row}-{不参加评定}{row}),"")'),
)
# 优秀 normally at most a third of the members rated (design.md §3); a branch with nothing recorded.
COUNT_HIGHLIGHTS = ("{优秀}{row}*3>{合计}{row}-{不参加评定}{row}", "{合计}{row}=0")
LIST_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("支部"), Column("姓名", total="count"), Column("人员类别"),
    Column("等次"), Column("备注"),
)
LIST_HIGHLIGHTS = ('{等次}{row}="不合格"',)


def sheets(report: Report, branches: Sequence[tuple[str, Mapping[Rating, int]]],
           entries: Sequence[Entry]) -> list[Sheet]:
    """`branches`: each branch's name and its count of each rating, in the order shown."""
    counts = Sheet(
        "评议汇总", report.title, COUNT_COLUMNS,
        [(name, *(counted.get(r, 0) for r in Rating), None, None) for name, counted in branches],
        highlight=COUNT_HIGHLIGHTS,
        notes=["注：优秀占比＝优秀人数÷参加评定人数（预备党员不参加评定，不计入）。"
               "优秀超过参加评定人数三分之一的支部、尚未录入评议结果的支部以红色标出。"])
    members = Sheet(
        "评议名单", f"{report.period_label}民主评议党员结果名单", LIST_COLUMNS,
        [(n, e.branch, e.name, e.standing, e.rating.label, e.note) for n, e in enumerate(entries, 1)],
        highlight=LIST_HIGHLIGHTS)
    return [counts, members]
