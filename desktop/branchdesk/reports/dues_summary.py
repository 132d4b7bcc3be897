"""党费收缴汇总表: each branch's dues due, collected, the collection rate, voluntary extra and what
it remitted upward (收缴汇总); each branch's months (分月收缴); and the remittances (上缴记录). The
figures are services.dues.branch_months' and remittances'; money in fen until written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .sheet import Column, Kind, Report, Sheet


@dataclass(frozen=True)
class BranchLine:
    branch: str
    due_fen: int
    paid_fen: int
    extra_fen: int | None  # the year's only: blank for a quarter
    remitted_fen: int


@dataclass(frozen=True)
class MonthLine:
    branch: str
    month: str  # 2025年3月
    due_fen: int
    paid_fen: int


@dataclass(frozen=True)
class Remitted:
    organization: str
    period: str  # 2025-01至2025-03
    amount_fen: int
    remitted_on: dt.date
    receipt_no: str
    note: str


_RATE = '=IF({应交（元）}{row}>0,{实交（元）}{row}/{应交（元）}{row},"")'
_SHORT = "AND({应交（元）}{row}>0,{实交（元）}{row}<{应交（元）}{row})"
SUMMARY_COLUMNS = (
    Column("党支部"), Column("应交（元）", Kind.FEN, total="sum"), Column("实交（元）", Kind.FEN, total="sum"),
    Column("收缴率", Kind.PERCENT, formula=_RATE), Column("自愿多交（元）", Kind.FEN, total="sum"),
    Column("上缴（元）", Kind.FEN, total="sum"),
)
MONTH_COLUMNS = (
    Column("党支部"), Column("月份"), Column("应交（元）", Kind.FEN, total="sum"),
    Column("实交（元）", Kind.FEN, total="sum"), Column("收缴率", Kind.PERCENT, formula=_RATE),
)
REMITTED_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("党组织"), Column("所属期间"), Column("金额（元）", Kind.FEN, total="sum"),
    Column("上缴日期", Kind.DATE), Column("收据号"), Column("备注"),
)


def sheets(report: Report, branches: Sequence[BranchLine], months: Sequence[MonthLine],
           remitted: Sequence[Remitted]) -> list[Sheet]:
    summary = Sheet(
        "收缴汇总", report.title, SUMMARY_COLUMNS,
        [(b.branch, b.due_fen, b.paid_fen, None, b.extra_fen, b.remitted_fen) for b in branches],
        highlight=[_SHORT],
        notes=["注：应交只计统计期间内已到期的月份；实交为这些月份的党费（含补交、预交，按所属月份记），不含自愿多交；"
               "收缴率＝实交÷应交，未收齐的支部以红色标出。上缴按上缴所属期间的起始月份计入统计期间。"])
    by_month = Sheet(
        "分月收缴", f"{report.period_label}党费分月收缴情况", MONTH_COLUMNS,
        [(m.branch, m.month, m.due_fen, m.paid_fen, None) for m in months], highlight=[_SHORT])
    upward = Sheet(
        "上缴记录", f"{report.period_label}党费上缴记录", REMITTED_COLUMNS,
        [(n, r.organization, r.period, r.amount_fen, r.remitted_on, r.receipt_no, r.note)
         for n, r in enumerate(remitted, 1)])
    return [summary, by_month, upward]
