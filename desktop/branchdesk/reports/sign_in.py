"""签到表 (design.md §5 `sign-in`): one meeting's attendees, one tall bordered row each with blank cells
to sign in and for remarks, on A4 portrait — the Excel twin of the PDF the 会议学习 page prints, for
branches that keep or adjust their forms in Excel or WPS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .sheet import Column, Kind, Report, Sheet, text_width

ROW_HEIGHT = 28  # points: room to sign by hand
_PAGE_WIDTH = 94  # column units across A4 portrait (reports.sheet turns wider sheets landscape)
_SIGN_MIN = 24
_BLANK = "　" * 6  # an empty field of the line under the title, left to fill in by hand


class Attendee(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def group_name(self) -> str: ...  # 党小组, or ""
    @property
    def full(self) -> bool: ...  # a full member on the meeting's day (else probationary)


@dataclass(frozen=True)
class Meeting:
    title: str  # "办公室党支部党员大会签到表"
    topic: str
    when: str  # "2026年12月8日 15:00—17:00"
    place: str
    chair: str
    lecturer: str | None  # a 党课's (maybe not known yet); None for other kinds
    attendees: Sequence[Attendee]


def sheet(report: Report, meeting: Meeting) -> Sheet:
    people = meeting.attendees
    with_groups = any(p.group_name for p in people)  # a branch without 党小组 gets no empty column for them
    group_width = min(max((text_width(p.group_name) for p in people), default=0) + 2, 24)
    fixed = [Column("序号", Kind.NUMBER, width=6), Column("姓名", width=12)]
    if with_groups:
        fixed.append(Column("党小组", width=max(group_width, 10)))
    fixed.append(Column("类别", width=11))
    remarks = Column("备注", width=16)
    # The signature column takes what is left of the page's width.
    signature = Column("签到", width=max(_PAGE_WIDTH - sum(c.width or 0 for c in (*fixed, remarks)), _SIGN_MIN))
    rows = [(i, p.name, *((p.group_name,) if with_groups else ()), "正式党员" if p.full else "预备党员", None, None)
            for i, p in enumerate(people, 1)]
    info = [f"会议：{meeting.topic or _BLANK}", f"时间：{meeting.when or _BLANK}", f"地点：{meeting.place or _BLANK}"]
    if meeting.lecturer is not None:
        info.append(f"授课人：{meeting.lecturer or _BLANK}")
    info.append(f"主持人：{meeting.chair or _BLANK}")
    return Sheet("签到表", meeting.title, (*fixed, signature, remarks), rows, info=info, row_height=ROW_HEIGHT,
                 notes=[f"应到 {len(people)} 人　　实到 ______ 人　　请假 ______ 人　　缺席 ______ 人",
                        "注：请本人在“签到”栏签名；请假、缺席的由记录人在“备注”栏注明。"])
