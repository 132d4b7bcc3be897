"""学习考勤表: each branch's members × its study sessions of the period, marked ✓ 假 缺 列 补, with
each member's count and rate (one sheet per branch: sessions are a branch's own); a summary of every
member (出勤汇总) and the list of sessions with their 人次 (学习活动).

Marks and what counts as attended come from domain.activities.AttendanceStatus.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .sheet import Column, Kind, Report, Sheet


@dataclass(frozen=True)
class Session:
    held_on: dt.date
    kind: str
    topic: str
    hours: float  # study hours credited to each attendee
    expected: int
    attended: int  # present or made up


@dataclass(frozen=True)
class MemberLine:
    name: str
    marks: Sequence[str]  # one per session of the branch: ✓ 假 缺 列 补, or "" when not expected
    expected: int
    attended: int
    leave: int
    absent: int
    made_up: int


@dataclass(frozen=True)
class BranchSheet:
    branch: str
    sessions: Sequence[Session]
    members: Sequence[MemberLine]


SUMMARY_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("党支部"), Column("姓名", total="count"),
    Column("应参加", Kind.NUMBER, total="sum"), Column("出席", Kind.NUMBER, total="sum"),
    Column("补学", Kind.NUMBER, total="sum"), Column("请假", Kind.NUMBER, total="sum"),
    Column("缺席", Kind.NUMBER, total="sum"),
    Column("出勤率", Kind.PERCENT, formula='=IF({应参加}{row}>0,({出席}{row}+{补学}{row})/{应参加}{row},"")'),
)
SESSION_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("日期", Kind.DATE), Column("党支部"), Column("类型", total="count"),
    Column("主题"), Column("学时", Kind.DECIMAL), Column("应到", Kind.NUMBER, total="sum"),
    Column("实到", Kind.NUMBER, total="sum"),
    Column("出勤率", Kind.PERCENT, formula='=IF({应到}{row}>0,{实到}{row}/{应到}{row},"")'),
)
# Absent without leave and not made up: the branch should follow it up (补学).
_ABSENT = "{缺席}{row}>0"
_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def sheet_name(branch: str, taken: set[str]) -> str:
    """A tab name Excel accepts (≤ 31 characters, none of []:*?/\\), unique among `taken`."""
    base = _UNSAFE.sub("_", branch)[:31] or "支部"
    name, n = base, 1
    while name in taken or name in ("出勤汇总", "学习活动"):
        n += 1
        name = f"{base[:31 - len(str(n)) - 1]}_{n}"
    taken.add(name)
    return name


def sheets(report: Report, branches: Sequence[BranchSheet]) -> list[Sheet]:
    summary_rows = []
    session_rows = []
    for b in branches:
        summary_rows += [(None, b.branch, m.name, m.expected, m.attended - m.made_up, m.made_up, m.leave, m.absent,
                          None) for m in b.members]
        session_rows += [(s.held_on, b.branch, s.kind, s.topic, s.hours, s.expected, s.attended, None)
                         for s in b.sessions]
    session_rows.sort(key=lambda r: r[0])
    summary = Sheet(
        "出勤汇总", report.title, SUMMARY_COLUMNS, [(n, *r[1:]) for n, r in enumerate(summary_rows, 1)],
        highlight=[_ABSENT],
        notes=["注：统计期间内已召开的党课、主题党日、理论学习、读书班、专题培训；出勤率＝（出席＋补学）÷应参加，"
               "列席不计入应参加。有缺席（未请假且未补学）的党员以红色标出。"])
    sessions = Sheet(
        "学习活动", f"{report.period_label}学习活动情况", SESSION_COLUMNS,
        [(n, *r) for n, r in enumerate(session_rows, 1)],
        notes=["注：“实到”为出席和补学人次之和，合计即参加学习的人次。"])
    found = [summary, sessions]
    taken: set[str] = set()
    for b in branches:
        found.append(_branch(report, b, sheet_name(b.branch, taken)))
    return found


def _branch(report: Report, b: BranchSheet, name: str) -> Sheet:
    headers: list[str] = []
    for s in b.sessions:
        header = f"{s.held_on.month}月{s.held_on.day}日\n{s.kind}"
        n = 1
        while header in headers:  # two sessions of a kind on one day
            n += 1
            header = f"{s.held_on.month}月{s.held_on.day}日\n{s.kind}（{n}）"
        headers.append(header)
    marks = [Column(header, Kind.VALUE, width=9) for header in headers]  # centred marks
    columns = (
        Column("序号", Kind.NUMBER), Column("姓名", total="count"), *marks,
        Column("应参加", Kind.NUMBER, total="sum"), Column("出勤", Kind.NUMBER, total="sum"),
        Column("缺席", Kind.NUMBER, total="sum"),
        Column("出勤率", Kind.PERCENT, formula='=IF({应参加}{row}>0,{出勤}{row}/{应参加}{row},"")'),
    )
    rows = [(n, m.name, *m.marks, m.expected, m.attended, m.absent, None) for n, m in enumerate(b.members, 1)]
    topics = "；".join(f"{s.held_on.month}月{s.held_on.day}日{s.kind}《{s.topic}》" for s in b.sessions)
    return Sheet(name, f"{b.branch}{report.period_label}学习考勤表", columns, rows, highlight=[_ABSENT],
                 notes=["注：✓出席　假请假　缺缺席　列列席　补补学（已补学的计入出勤）；空白为不在应参加范围。"
                        "出勤＝出席＋补学。",
                        f"学习内容：{topics or '本期间没有学习活动'}。"])
