"""党费收缴明细表: every member × the months of the year — base, rate, 月应交, what was paid for each
month (免交 for an exemption, 未交 for a month over and unpaid), the year's total, voluntary extra and
欠缴 — with each month's totals (月度合计). The figures are services.dues.year_grid's, so the file
shows what the dues page shows; money stays in fen until the sheet is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .sheet import CellHighlight, Column, Kind, Report, Sheet

EXEMPT = "免交"
UNPAID = "未交"
MONTHS = [f"{m}月" for m in range(1, 13)]


@dataclass(frozen=True, slots=True)
class Entry:
    branch: str
    name: str
    category: str
    base_fen: int
    rate_text: str
    due_fen: int  # the monthly amount
    months: Sequence[int | str | None]  # 12: fen paid, EXEMPT, UNPAID, or None (not due yet / not on the roll)
    extra_fen: int
    owed_fen: int


@dataclass(frozen=True)
class MonthTotal:
    month: str  # 1月
    due_fen: int
    paid_fen: int


LIST_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("党支部"), Column("姓名", total="count"), Column("党费类别"),
    Column("基数（元）", Kind.FEN), Column("比例或标准"), Column("月应交（元）", Kind.FEN),
    *(Column(m, Kind.FEN, total="sum", width=9) for m in MONTHS),
    Column("已交合计（元）", Kind.FEN, total="sum", formula="=SUM({1月}{row}:{12月}{row})"),
    Column("自愿多交（元）", Kind.FEN, total="sum"), Column("欠缴（元）", Kind.FEN, total="sum"),
)
TOTAL_COLUMNS = (
    Column("月份"), Column("应交（元）", Kind.FEN, total="sum"), Column("实交（元）", Kind.FEN, total="sum"),
    Column("收缴率", Kind.PERCENT, formula='=IF({应交（元）}{row}>0,{实交（元）}{row}/{应交（元）}{row},"")'),
)


def sheets(report: Report, entries: Sequence[Entry], totals: Sequence[MonthTotal]) -> list[Sheet]:
    rows = [(n, e.branch, e.name, e.category, e.base_fen, e.rate_text, e.due_fen, *e.months, None, e.extra_fen,
             e.owed_fen) for n, e in enumerate(entries, 1)]
    detail = Sheet(
        "党费明细", report.title, LIST_COLUMNS, rows,
        highlight=[CellHighlight("1月", "12月", f'{{cell}}="{UNPAID}"'),
                   CellHighlight("欠缴（元）", "欠缴（元）", "{cell}>0")],
        notes=["注：各月为该月党费的实交金额（含补交、预交，按所属月份记），“免交”为经批准免交，“未交”为已到期未交，"
               "空白为尚未到期或不在册；已交合计不含自愿多交；欠缴为已到期未交月份的应交金额之和，以红色标出。"])
    months = Sheet(
        "月度合计", f"{report.period_label}党费收缴月度合计", TOTAL_COLUMNS,
        [(t.month, t.due_fen, t.paid_fen, None) for t in totals],
        highlight=["AND({应交（元）}{row}>0,{实交（元）}{row}<{应交（元）}{row})"],
        notes=["注：应交只计已到期的月份；实交少于应交的月份以红色标出。"])
    return [detail, months]
