"""汇总: one summary sheet of several exported files of the same report, laid out by `sheet`.

Each file is read back as `sheet.write` laid it out: the column headers on `HEADER_ROW`, data rows
from `FIRST_ROW` down to the 合计 row, notes under it. What a column is (its number format, what its
totals cell holds, a formula repeated on every row) and which rows are highlighted are read from the
file, so a consolidated file has the same columns as its sources, can itself be consolidated one
level up, and its totals row again adds up live.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer

from . import sheet
from .sheet import FIRST_ROW, HEADER_ROW, TITLE_ROW, TOTAL_LABEL, Column, Kind, Sheet

# What `sheet.write` puts in an empty sheet's only row.
_EMPTY = "无记录"
_NOTE = "注："
# A number format back to the column kind that `sheet` writes it for. Money reads back in yuan, so
# 0.00 is MONEY (yuan as given), never FEN (which would be divided by 100 again).
_KINDS = {fmt: kind for kind, fmt in sheet._FORMATS.items() if kind not in (Kind.TEXT, Kind.FEN)}
_CELL = re.compile(r"(\$?[A-Z]{1,3}\$?)(\d+)")


class UnreadableReport(Exception):
    """A file whose sheet is not laid out as `sheet.write` lays it out; the message names the file."""


@dataclass(frozen=True)
class Table:
    """One sheet of one exported file, as its columns and data rows (formula cells read as None)."""

    file: str  # the file's name, for messages
    sheet: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    highlight: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


def read_table(path: Path, sheet_name: str) -> Table:
    """Sheet `sheet_name` of the exported file at `path`."""
    path = Path(path)
    try:
        book = load_workbook(path)
    except Exception as exc:  # BadZipFile, KeyError, openpyxl's own: not a workbook
        raise UnreadableReport(f"文件“{path.name}”不是有效的 Excel 工作簿，或已损坏（{exc}）") from exc
    if sheet_name not in book.sheetnames:
        raise UnreadableReport(f"文件“{path.name}”中没有“{sheet_name}”工作表，不是本报表导出的文件")
    ws = book[sheet_name]
    headers = [c.value for c in ws[HEADER_ROW]]
    while headers and headers[-1] is None:
        headers.pop()
    if not headers or not all(isinstance(h, str) and h for h in headers):
        raise UnreadableReport(f"文件“{path.name}”的“{sheet_name}”工作表第 {HEADER_ROW} 行不是表头，格式已被改动")
    width = len(headers)
    data: list[list[Any]] = []
    totals: list[Any] | None = None  # the 合计 row's cells
    notes: list[str] = []
    for cells in ws.iter_rows(min_row=FIRST_ROW, max_col=width):
        values = [c.value for c in cells]
        if totals is not None:
            if isinstance(values[0], str) and values[0].startswith(_NOTE):
                notes.append(values[0])
        elif values[0] == TOTAL_LABEL:
            totals = list(cells)
        elif values[0] == _EMPTY and all(v is None for v in values[1:]):
            continue
        elif any(v is not None for v in values):
            data.append(list(cells))
    if totals is None:
        raise UnreadableReport(f"文件“{path.name}”的“{sheet_name}”工作表没有“{TOTAL_LABEL}”行，格式已被改动")
    columns = tuple(_column(str(h), [row[i] for row in data], totals[i]) for i, h in enumerate(headers))
    rows = [tuple(None if c.formula else cells[i].value for i, c in enumerate(columns)) for cells in data]
    highlight = tuple(_template(rule.formula[0], FIRST_ROW)
                      for cf in ws.conditional_formatting for rule in cf.rules if rule.formula)
    title = ws.cell(TITLE_ROW, 1).value
    return Table(path.name, sheet_name, str(title or ""), columns, rows, highlight, tuple(notes))


def _column(header: str, cells: list[Any], total: Any) -> Column:
    """The column as `sheet` was told it: from its cells and its totals cell."""
    sample = cells[0] if cells else total  # an empty sheet: its totals cell has the format too
    kind = _KINDS.get(sample.number_format, Kind.TEXT)
    written = total.value if isinstance(total.value, str) else ""
    below = f"{total.column_letter}{FIRST_ROW}:{total.column_letter}{total.row - 1}"  # the cells above it
    summed = written.upper() == f"=SUM({below})"
    counted = written.upper() == f"=SUBTOTAL(3,{below})"
    formula = ""
    if cells and isinstance(sample.value, str) and sample.value.startswith("="):
        formula = _template(sample.value, sample.row)
    elif not summed and not counted and written.startswith("="):
        formula = _template(written, total.row)  # an empty sheet: the formula shows on its totals row only
    return Column(header, kind, total="sum" if summed else "count" if counted else "", formula=formula)


def _template(formula: str, row: int) -> str:
    """`formula` as written on `row`, as a template for any row (`{row}`; other braces doubled)."""
    body = formula if formula.startswith("=") else f"={formula}"
    parts = []
    for token in Tokenizer(body).items:
        text = token.value.replace("{", "{{").replace("}", "}}")
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            text = _CELL.sub(lambda m: f"{m.group(1)}{{row}}" if int(m.group(2)) == row else m.group(0), text)
        parts.append(text)
    joined = "".join(parts)
    return f"={joined}" if formula.startswith("=") else joined


def combine(tables: Sequence[tuple[str, Table]], title: str, notes: Sequence[str]) -> Sheet:
    """One sheet with every table's data rows, in the order given, a totals row and `notes`. Each
    table comes with a prefix for its rows' first cell ("" for none); all have the first's layout."""
    rows = [(f"{prefix} {row[0]}" if prefix else row[0], *row[1:]) for prefix, table in tables for row in table.rows]
    first = tables[0][1]
    return Sheet(first.sheet, title, first.columns, rows, highlight=first.highlight, notes=notes)
