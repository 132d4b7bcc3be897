"""学时统计表: every member's study hours of the year against what they owe (32 学时, 56 for
committee members by default: domain.activities.ActivityRules), with the gap highlighted; and each
branch's count of members short of it (支部汇总). Figures from services.activities.member_study."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .sheet import Column, Kind, Report, Sheet


@dataclass(frozen=True, slots=True)
class Entry:
    branch: str
    name: str
    committee: bool  # sat on a committee in the year: owes the higher hours
    expected: int
    attended: int
    hours_tenths: int
    required_tenths: int
    gap_tenths: int


@dataclass(frozen=True)
class BranchTotal:
    branch: str
    members: int
    hours_tenths: int
    short: int  # members with a gap


def _hours(tenths: int) -> float:
    return tenths / 10


LIST_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("党支部"), Column("姓名", total="count"), Column("支部委员"),
    Column("应参加", Kind.NUMBER, total="sum"), Column("实参加", Kind.NUMBER, total="sum"),
    Column("出勤率", Kind.PERCENT, formula='=IF({应参加}{row}>0,{实参加}{row}/{应参加}{row},"")'),
    Column("已完成学时", Kind.DECIMAL, total="sum"), Column("应完成学时", Kind.DECIMAL, total="sum"),
    Column("差额", Kind.DECIMAL, total="sum"),
)
BRANCH_COLUMNS = (
    Column("党支部"), Column("党员人数", Kind.NUMBER, total="sum"), Column("学时合计", Kind.DECIMAL, total="sum"),
    Column("人均学时", Kind.DECIMAL, formula='=IF({党员人数}{row}>0,{学时合计}{row}/{党员人数}{row},"")'),
    Column("未完成人数", Kind.NUMBER, total="sum"),
    Column("完成率", Kind.PERCENT,
           formula='=IF({党员人数}{row}>0,({党员人数}{row}-{未完成人数}{row})/{党员人数}{row},"")'),
)


def sheets(report: Report, entries: Sequence[Entry], branches: Sequence[BranchTotal],
           required_text: str) -> list[Sheet]:
    rows = [(n, e.branch, e.name, "是" if e.committee else "", e.expected, e.attended, None,
             _hours(e.hours_tenths), _hours(e.required_tenths), _hours(e.gap_tenths))
            for n, e in enumerate(entries, 1)]
    members = Sheet(
        "学时统计", report.title, LIST_COLUMNS, rows, highlight=["{差额}{row}>0"],
        notes=[f"注：学时为统计年度内出席（含补学）的会议和学习活动所记学时之和；应完成学时：{required_text}。"
               "尚未完成的党员以红色标出（年度未结束时为截至制表日期的情况）。"])
    summary = Sheet(
        "支部汇总", f"{report.period_label}学时完成情况汇总表", BRANCH_COLUMNS,
        [(b.branch, b.members, _hours(b.hours_tenths), None, b.short, None) for b in branches],
        highlight=["{未完成人数}{row}>0"])
    return [members, summary]
