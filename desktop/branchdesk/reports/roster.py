"""党员花名册: every member on the roll with their personal fields (ID numbers and phones as the
caller passes them: masked unless asked), and the count of members per branch (人数统计)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .sheet import Column, Kind, Report, Sheet


@dataclass(frozen=True, slots=True)
class Entry:
    branch: str
    group: str
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date | None
    id_number: str  # as it is to be shown
    education: str
    standing: str  # 正式党员 / 预备党员
    joined_on: dt.date | None
    full_on: dt.date | None
    dues_category: str
    phone: str  # as it is to be shown
    status: str  # 正常 / 流动 / 失联
    note: str


@dataclass(frozen=True)
class BranchCount:
    branch: str
    full: int
    probationary: int
    women: int
    minorities: int
    away: int  # 流动 or 失联


LIST_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("所在党支部"), Column("党小组"), Column("姓名", total="count"),
    Column("性别"), Column("民族"), Column("出生日期", Kind.DATE), Column("身份证号"), Column("学历"),
    Column("人员类别"), Column("入党日期", Kind.DATE), Column("转正日期", Kind.DATE), Column("党费类别"),
    Column("联系电话"), Column("状态"), Column("备注"),
)
# Members out of touch: the branch should find them (design.md §4: 失联 is a status to act on).
LIST_HIGHLIGHTS = ('{状态}{row}="失联"',)
COUNT_COLUMNS = (
    Column("党支部"),
    Column("党员人数", Kind.NUMBER, total="sum", formula="={正式党员}{row}+{预备党员}{row}"),
    Column("正式党员", Kind.NUMBER, total="sum"), Column("预备党员", Kind.NUMBER, total="sum"),
    Column("女党员", Kind.NUMBER, total="sum"), Column("少数民族党员", Kind.NUMBER, total="sum"),
    Column("流动或失联", Kind.NUMBER, total="sum"),
)


def sheets(report: Report, entries: Sequence[Entry], counts: Sequence[BranchCount], masked: bool,
           on: dt.date) -> list[Sheet]:
    """`on`: the day whose roll `entries` are (the period's last day, or the day of the report)."""
    rows = [(n, e.branch, e.group, e.name, e.gender, e.ethnicity, e.birth_date, e.id_number, e.education,
             e.standing, e.joined_on, e.full_on, e.dues_category, e.phone, e.status, e.note)
            for n, e in enumerate(entries, 1)]
    privacy = ("身份证号、联系电话已部分遮蔽；需要完整号码时导出时选择“显示完整身份证号”。" if masked
               else "本表含完整身份证号和联系电话，属个人信息，请妥善保管，用后销毁。")
    roster = Sheet("党员花名册", f"党员花名册（截至{_chinese(on)}）", LIST_COLUMNS, rows,
                   highlight=LIST_HIGHLIGHTS,
                   notes=[f"注：列出{_chinese(on)}在册的党员，“状态”为制表日期的状态，失联党员以红色标出。{privacy}"])
    summary = Sheet("人数统计", f"党员人数统计表（截至{_chinese(on)}）", COUNT_COLUMNS,
                    [(c.branch, None, c.full, c.probationary, c.women, c.minorities, c.away) for c in counts],
                    notes=["注：党员人数＝正式党员＋预备党员。"])
    return [roster, summary]


def _chinese(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
