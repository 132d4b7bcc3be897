"""三会一课落实情况统计表: for each branch and each required kind of meeting, how many were required
and held in the period, and how many of the periods already due were kept (落实情况); every
required period one line (明细); and the meetings held (会议清单).

The numbers come from services.activities.compliance (the rules live in domain.activities); this
module only lays them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .sheet import Column, Kind, Report, Sheet


@dataclass(frozen=True)
class KindCount:
    """One kind of meeting at one branch over the report's period."""

    required: int
    held: int


@dataclass(frozen=True)
class BranchLine:
    branch: str
    kinds: Sequence[KindCount | None]  # one per kind of `sheets`' `kinds`; None: not required there (no groups)
    due_required: int  # required in the periods over (or already met) by the day of the report
    due_kept: int  # of those, held as required (extra meetings of one period do not cover another)


@dataclass(frozen=True)
class Detail:
    branch: str
    kind: str
    requirement: str  # 每月至少1次
    period: str  # 2025年3月
    required: int
    held: int
    state: str  # 达标 / 未达标 / 进行中 / 未开始


@dataclass(frozen=True)
class Meeting:
    held_on: dt.date
    branch: str
    group: str
    kind: str
    topic: str
    expected: int
    present: int
    leave: int
    absent: int
    lecturer: str


STATE_LABELS = {"met": "达标", "missing": "未达标", "open": "进行中", "future": "未开始"}
MISSED = STATE_LABELS["missing"]


# What the meetings and the annual report share: the requirements due, those kept, the shortfall and the rate.
COMPLIANCE_COLUMNS = (
    Column("到期\n应开", Kind.NUMBER, total="sum", width=8),
    Column("按期\n已开", Kind.NUMBER, total="sum", width=8),
    Column("缺开\n次数", Kind.NUMBER, total="sum", width=8, formula="={到期\n应开}{row}-{按期\n已开}{row}"),
    Column("落实率", Kind.PERCENT, width=9, formula='=IF({到期\n应开}{row}>0,{按期\n已开}{row}/{到期\n应开}{row},"")'),
)
SHORT = "{缺开\n次数}{row}>0"


def _summary_columns(kinds: Sequence[str]) -> tuple[Column, ...]:
    per_kind = [c for k in kinds for c in (Column(f"{k}\n应开", Kind.NUMBER, total="sum", width=8),
                                            Column(f"{k}\n已开", Kind.NUMBER, total="sum", width=8))]
    return (Column("党支部"), *per_kind, *COMPLIANCE_COLUMNS)


DETAIL_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("党支部"), Column("会议类型"), Column("要求"), Column("期间"),
    Column("应开", Kind.NUMBER, total="sum"), Column("已开", Kind.NUMBER, total="sum"), Column("落实情况"),
)
MEETING_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("日期", Kind.DATE), Column("党支部"), Column("党小组"),
    Column("会议类型", total="count"), Column("主题"), Column("应到", Kind.NUMBER, total="sum"),
    Column("实到", Kind.NUMBER, total="sum"), Column("请假", Kind.NUMBER, total="sum"),
    Column("缺席", Kind.NUMBER, total="sum"), Column("授课人"),
)


def sheets(report: Report, kinds: Sequence[str], lines: Sequence[BranchLine], details: Sequence[Detail],
           meetings: Sequence[Meeting], left_out: Sequence[str]) -> list[Sheet]:
    """`kinds`: the labels of the kinds required in the period, in the order of the columns;
    `left_out`: kinds required over a longer period than the report's (a yearly meeting in a quarter)."""
    columns = _summary_columns(kinds)
    rows = [(line.branch, *[v for k in line.kinds for v in ((k.required, k.held) if k else (None, None))],
             line.due_required, line.due_kept, None, None) for line in lines]
    notes = ["注：“应开”“已开”为统计期间内各类会议的要求次数和实际召开次数；“到期应开”只计已结束（或已达标）的"
             "期间，“按期已开”为其中按要求召开的次数（某期多开的不抵补其他期间），缺开次数＝到期应开－按期已开，"
             "落实率＝按期已开÷到期应开；有缺开的支部以红色标出。党小组会按每个党小组计算，未设党小组的支部不统计党小组会。"]
    if left_out:
        notes.append(f"注：{'、'.join(left_out)}按年度（或季度）要求，不在本期间统计，见年度统计表。")
    summary = Sheet("落实情况", report.title, columns, rows, highlight=[SHORT], notes=notes)
    detail = Sheet(
        "明细", f"{report.period_label}三会一课落实情况明细", DETAIL_COLUMNS,
        [(n, d.branch, d.kind, d.requirement, d.period, d.required, d.held, d.state)
         for n, d in enumerate(details, 1)],
        highlight=[f'{{落实情况}}{{row}}="{MISSED}"'],
        notes=["注：每个要求期间一行；“未达标”指期间已结束而召开次数不足，“进行中”指期间尚未结束。"])
    held = Sheet(
        "会议清单", f"{report.period_label}会议和活动清单", MEETING_COLUMNS,
        [(n, m.held_on, m.branch, m.group, m.kind, m.topic, m.expected, m.present, m.leave, m.absent, m.lecturer)
         for n, m in enumerate(meetings, 1)],
        notes=["注：统计期间内已召开的全部会议和活动，按日期排列；实到含补学。"])
    return [summary, detail, held]
