"""The look every exported sheet shares (design.md §5), laid out from a plain description.

A report describes each sheet as columns (header, kind, what its totals cell holds, a formula
repeated on every row) and rows of plain values; `write` does the rest: merged title, the
填报单位 / 统计期间 / 制表人 / 制表日期 line, bold bordered header, 宋体, widths fitted to the
longest text, panes frozen under the header, A4 fitted to one page wide (landscape when wide)
with the header row repeated on every page, amounts in fen written as yuan (`Kind.FEN`), a totals
row of live formulas, rows or cells highlighted where they fall short (conditional formats), and
a hidden 报表信息 sheet recording the report kind, period, scope and format version, which the
consolidation of many branches' files reads back.

Formulas are written as templates: `{row}` is the row's number and `{优秀}` the letter of the
column headed 优秀 (in a highlight condition, `$` and the letter).

Rows are streamed in openpyxl's write-only mode, so a sheet's widths, panes and print setup are
all settled before its first row is appended. Charts (`Chart`) are drawn under a sheet's table from
its own columns, so they follow the numbers if someone corrects a cell.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

# Bumped when the layout that readers of exported files rely on changes.
FORMAT_VERSION = 1
INFO_SHEET = "报表信息"
FONT_NAME = "宋体"
# Rows (1-based) on every sheet: title, the 填报单位 line, column headers, then the data.
TITLE_ROW, INFO_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4
TOTAL_LABEL = "合计"

_MAX_WIDTH = 40  # longer text wraps
_PORTRAIT_WIDTH = 95  # column units that fit across A4 portrait at these margins
_PAPER_A4 = "9"
_GAP = "　　"  # between the parts of the 填报单位 line
_LINE_HEIGHT = 15  # points per line of 11-point text
_NOTE_HEIGHT = 14  # per line of the 10-point notes


class Kind(StrEnum):
    """What a column holds: its number format and alignment."""

    TEXT = "text"
    NUMBER = "number"
    VALUE = "value"  # a number shown as it is (whole or not), centred
    DECIMAL = "decimal"  # one decimal place: study hours
    MONEY = "money"  # yuan, as given
    FEN = "fen"  # int fen in the rows (money as the data model keeps it), written as yuan; text passes as is
    PERCENT = "percent"
    DATE = "date"


_FORMATS = {Kind.TEXT: "General", Kind.NUMBER: "0", Kind.VALUE: "General", Kind.DECIMAL: "0.0",
            Kind.MONEY: "0.00", Kind.FEN: "0.00", Kind.PERCENT: "0.0%", Kind.DATE: "yyyy-mm-dd"}
_ALIGNS = {Kind.TEXT: "left", Kind.NUMBER: "center", Kind.VALUE: "center", Kind.DECIMAL: "center",
           Kind.MONEY: "right", Kind.FEN: "right", Kind.PERCENT: "center", Kind.DATE: "center"}


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    # The totals row's cell: "sum" of the column, "count" of its non-blank cells (SUBTOTAL, which
    # skips the SUBTOTAL formulas of `Subtotal` rows), or blank.
    total: Literal["sum", "count", ""] = ""
    # A formula template written on every row, the totals row included (the row's value is ignored).
    formula: str = ""
    # Fixed width (column units) for narrow columns of marks whose long header wraps instead.
    width: int | None = None


@dataclass(frozen=True)
class CellHighlight:
    """Cells (not whole rows) of the columns `first`…`last` highlighted where `condition` holds:
    a formula template in which `{cell}` is the cell itself, e.g. '{cell}="未交"'."""

    first: str  # header of the first column
    last: str  # header of the last column
    condition: str


@dataclass(frozen=True)
class Chart:
    """A chart under the table: one series per column in `series`, one category per data row
    (labels from the column `categories`); totals and notes are left out."""

    title: str
    categories: str  # header of the column holding the labels, e.g. 月份
    series: Sequence[str]  # headers of the columns plotted
    kind: Literal["bar", "line"] = "bar"
    y_title: str = ""


class Subtotal(tuple):
    """A row of group totals, shown in bold. Its formulas should be SUBTOTAL(…) so that a "count"
    total skips them; a "sum" total would count them twice."""

    __slots__ = ()


@dataclass(frozen=True)
class Sheet:
    name: str  # the tab, in Chinese
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]  # one value per column; formulas start with "="
    # Conditions (formula templates on the first data row) under which a row is highlighted as
    # falling short; or cells, by `CellHighlight`.
    highlight: Sequence[str | CellHighlight] = ()
    notes: Sequence[str] = ()  # lines under the table
    charts: Sequence[Chart] = ()  # drawn under the notes
    # The line under the title, when not the report's 填报单位 / 统计期间 … (a sign-in sheet: 会议, 时间, 地点).
    info: Sequence[str] = ()
    row_height: float | None = None  # points for every data row (room to sign by hand); None: as the text needs


@dataclass(frozen=True)
class Report:
    """What a file holds: shown on every sheet and recorded in its hidden 报表信息 sheet."""

    kind: str  # the CLI's report name, e.g. "commendations"
    title: str  # the document's title, e.g. "2025年度表彰名单"
    period: str  # for machines: domain.periods.Period.key, "2025" / "2025-Q3" / "2025-07"
    period_label: str  # for people: "2025年度"
    scope_id: int
    scope: str  # the organization reported on
    unit: str  # 填报单位
    preparer: str  # 制表人; blank leaves room to sign
    made_on: dt.date


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_NO_BORDER = Border()
_FONT = Font(name=FONT_NAME, size=11)
_BOLD = Font(name=FONT_NAME, size=11, bold=True)
_NOTE_FONT = Font(name=FONT_NAME, size=10)
_TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
_TITLE_SCALE = 16 / 11
_HEADER_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
_TOTAL_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
# Excel's "light red fill with dark red text".
_SHORT_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
_SHORT_FONT = Font(color="9C0006")


def text_width(text: str) -> int:
    """Width in Excel column units: CJK and other wide characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# Called as rows are written with (rows written, rows in all); it may raise to stop the writing.
Step = Callable[[int, int], None]
_STEP_ROWS = 250  # rows between calls of `step`


def write(target: Path, report: Report, sheets: Sequence[Sheet], step: Step | None = None) -> None:
    """Write `sheets` and the hidden 报表信息 sheet to `target` (an .xlsx file). `step`, if given, is
    called every few hundred rows and once at the end; an exception it raises stops the writing (the
    caller removes what was written)."""
    wb = Workbook(write_only=True)
    props = wb.properties
    props.title = report.title
    props.subject = f"{report.scope} {report.period_label}"
    props.creator = report.unit
    props.lastModifiedBy = report.unit
    props.keywords = report.kind
    props.category = "党建工作报表"
    props.created = props.modified = dt.datetime.combine(report.made_on, dt.time(12))
    total = sum(max(len(s.rows), 1) for s in sheets)
    done = 0
    try:
        if step is not None:
            step(0, total)
        for sheet in sheets:
            done = _write_sheet(wb, report, sheet, step, done, total)
        if step is not None:
            step(total, total)
        _write_info(wb, report)
        wb.save(target)
    except BaseException:
        _discard(wb)
        raise


def _discard(wb: Workbook) -> None:
    """Close the streams of a workbook that will not be saved and remove their temporary files
    (left open, they fail noisily when garbage-collected)."""
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(Exception):
            if ws._writer is not None:
                ws._writer.cleanup()


def read_info(path: Path) -> dict[str, str]:
    """The hidden 报表信息 sheet of a file this module wrote, as key → text; {} when the file has none
    (not one of ours). Raises what openpyxl raises for a file that is not a workbook."""
    book = load_workbook(path, read_only=True)
    try:
        if INFO_SHEET not in book.sheetnames:
            return {}
        return {str(row[0]): "" if row[1] is None else str(row[1])
                for row in book[INFO_SHEET].iter_rows(max_col=2, values_only=True) if row and row[0] is not None}
    finally:
        book.close()


def _info_parts(report: Report) -> list[str]:
    parts = [f"填报单位：{report.unit}"]
    if report.scope != report.unit:
        parts.append(f"统计范围：{report.scope}")
    return [*parts, f"统计期间：{report.period_label}", f"制表人：{report.preparer or '　' * 4}",
            f"制表日期：{_chinese_date(report.made_on)}"]


def _pack(parts: Sequence[str], width: int) -> list[str]:
    """The parts on as few lines as fit in `width` (a part wider than that has a line of its own)."""
    lines: list[str] = []
    for part in parts:
        if lines and text_width(lines[-1] + _GAP + part) <= width:
            lines[-1] += _GAP + part
        else:
            lines.append(part)
    return lines


def _style(ws: Any, font: Font, horizontal: str, border: Border = _BOX, fill: PatternFill | None = None,
           number_format: str = "General", wrap: bool = False) -> Any:
    """A cell style to hand to each new cell: one style lookup per sheet, not per cell."""
    cell = Cell(ws)
    cell.font = font
    cell.border = border
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
    cell.number_format = number_format
    if fill is not None:
        cell.fill = fill
    return cell._style


def _cell(ws: Any, value: Any, style: Any) -> Cell:
    # Row and column are placeholders: write-only mode sets them as the row is written.
    return Cell(ws, row=1, column=1, value=value, style_array=style)


class _ColumnCell(Cell):
    """The one styled cell that writes every data row of its column: rows are streamed (each is written
    before the next is appended), so one object per column serves them all, and its style is looked
    up once instead of once a cell."""

    __slots__ = ("_style_id",)
    has_style = True  # (openpyxl works it out again for every cell it writes)

    def __init__(self, ws: Any, style: Any) -> None:
        super().__init__(ws, row=1, column=1, style_array=style)
        self._style_id = Cell.style_id.fget(self)

    @property
    def style_id(self) -> int:
        return self._style_id


def _stream(cells: Sequence[Cell], row: int) -> Iterable[Cell]:
    """Write-only rows of ready-made cells, as openpyxl writes them. It stands in for the worksheet's
    `_values_to_row`, which treats a cell given as a value by trying to convert it first (an exception,
    and a new cell, for every cell) — twice the cost of writing it."""
    for column, cell in enumerate(cells, 1):
        cell.row, cell.column = row, column
        yield cell


def _shown(value: Any, kind: Kind) -> str:
    """The text a cell shows, for fitting its column (formulas: the header decides)."""
    if value is None or (isinstance(value, str) and value.startswith("=")):
        return ""
    if isinstance(value, dt.date):
        return "0000-00-00"
    if kind is Kind.MONEY:
        return f"{value:.2f}"
    if kind is Kind.FEN and isinstance(value, int):
        return f"{value / 100:.2f}"
    if kind is Kind.DECIMAL:
        return f"{value:.1f}"
    if kind is Kind.PERCENT:
        return f"{value:.1%}"
    return str(value)


def _fit(column: Column, values: Iterable[Any]) -> int:
    if column.width is not None:
        return column.width
    shown = {_shown(v, column.kind) for v in set(values)}  # 10,000 rows repeat a few hundred values
    return min(max(map(text_width, shown | {column.header})) + 2, _MAX_WIDTH)


def _widen(widths: list[int], needed: int) -> list[int]:
    """Widths spread to `needed` in all, so that the title fits on its line."""
    short = needed - sum(widths)
    if short <= 0:
        return widths
    each, rest = divmod(short, len(widths))
    return [w + each + (i < rest) for i, w in enumerate(widths)]


def _lines(text: str, width: int) -> int:
    return sum(max(1, -(-text_width(part) // max(width, 1))) for part in text.split("\n"))


def _fill(template: str, letters: dict[str, str], row: int) -> str:
    return template.format(row=row, **letters)


def _write_sheet(wb: Workbook, report: Report, sheet: Sheet, step: Step | None, done: int, total: int) -> int:
    """Write one sheet; the count of rows written so far across the file."""
    ws = wb.create_sheet(sheet.name)
    ws._values_to_row = _stream  # every row appended below is a list of styled cells
    columns = sheet.columns
    rows = sheet.rows or [("无记录", *[None] * (len(columns) - 1))]
    letters = {c.header: get_column_letter(i) for i, c in enumerate(columns, 1)}
    if len(letters) < len(columns):
        raise ValueError(f"工作表“{sheet.name}”有重复的列标题")
    last_col = get_column_letter(len(columns))
    last_row = FIRST_ROW + len(rows) - 1
    totals = any(c.total for c in columns)

    widths = [_fit(c, values) for c, values in zip(columns, zip(*rows, strict=True), strict=True)]
    wrapped = [c.kind is Kind.TEXT and w >= _MAX_WIDTH for c, w in zip(columns, widths, strict=True)]
    widths = _widen(widths, round(text_width(sheet.title) * _TITLE_SCALE) + 4)
    for col, width in zip(letters.values(), widths, strict=True):
        ws.column_dimensions[col].width = width
    room = sum(widths) - 2
    info = _pack(list(sheet.info) or _info_parts(report), room)
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.row_dimensions[INFO_ROW].height = _LINE_HEIGHT * len(info) + 4
    header_lines = max(_lines(c.header, w - 1) for c, w in zip(columns, widths, strict=True))
    ws.row_dimensions[HEADER_ROW].height = _LINE_HEIGHT * header_lines + 6
    ws.freeze_panes = f"A{FIRST_ROW}"
    _print_setup(ws, landscape=sum(widths) > _PORTRAIT_WIDTH)

    plain = [_style(ws, _FONT, _ALIGNS[c.kind], number_format=_FORMATS[c.kind], wrap=wrap)
             for c, wrap in zip(columns, wrapped, strict=True)]
    bold = [_style(ws, _BOLD, _ALIGNS[c.kind], fill=_TOTAL_FILL, number_format=_FORMATS[c.kind])
            for c in columns]
    plain_cells = [_ColumnCell(ws, style) for style in plain]
    bold_cells = [_ColumnCell(ws, style) for style in bold]
    header = _style(ws, _BOLD, "center", fill=_HEADER_FILL, wrap=True)
    ws.append([_cell(ws, sheet.title, _style(ws, _TITLE_FONT, "center", border=_NO_BORDER))])
    ws.append([_cell(ws, "\n".join(info), _style(ws, _FONT, "left", border=_NO_BORDER, wrap=True))])
    ws.append([_cell(ws, c.header, header) for c in columns])
    formulas = [(i, c.formula) for i, c in enumerate(columns) if c.formula]
    in_fen = [i for i, c in enumerate(columns) if c.kind is Kind.FEN]
    wrapping = [i for i, wrap in enumerate(wrapped) if wrap]
    tall = sheet.row_height or 0
    for number, row in enumerate(rows, FIRST_ROW):
        values = list(row)
        lines = max((_lines(str(values[i] or ""), widths[i] - 2) for i in wrapping), default=1)
        if lines > 1 or tall:  # not every program grows a row to fit its wrapped text
            ws.row_dimensions[number].height = max(_LINE_HEIGHT * lines + 3, tall)
        for i, template in formulas:
            values[i] = _fill(template, letters, number)
        for i in in_fen:
            if type(values[i]) is int:
                values[i] = Decimal(values[i]) / 100
        cells = bold_cells if isinstance(row, Subtotal) else plain_cells
        for cell, value in zip(cells, values, strict=True):
            cell.value = value
        ws.append(cells)
        done += 1
        if step is not None and done % _STEP_ROWS == 0:
            step(done, total)
    if totals:
        ws.append([_cell(ws, _total(c, letters, last_row, i), s)
                   for i, (c, s) in enumerate(zip(columns, bold, strict=True))])
    note_style = _style(ws, _NOTE_FONT, "left", border=_NO_BORDER, wrap=True)
    for number, note in enumerate(sheet.notes, last_row + totals + 1):
        ws.row_dimensions[number].height = _NOTE_HEIGHT * _lines(note, room) + 4
        ws.append([_cell(ws, note, note_style)])
        if len(columns) > 1:
            ws.merged_cells.add(f"A{number}:{last_col}{number}")

    if len(columns) > 1:
        ws.merged_cells.add(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
        ws.merged_cells.add(f"A{INFO_ROW}:{last_col}{INFO_ROW}")
    absolute = {name: f"${col}" for name, col in letters.items()}
    for condition in sheet.highlight:
        if isinstance(condition, CellHighlight):
            first, last = letters[condition.first], letters[condition.last]
            cells = f"{first}{FIRST_ROW}:{last}{last_row}"
            formula = condition.condition.format(cell=f"{first}{FIRST_ROW}")
        else:
            cells, formula = f"A{FIRST_ROW}:{last_col}{last_row}", _fill(condition, absolute, FIRST_ROW)
        ws.conditional_formatting.add(cells, FormulaRule(formula=[formula], fill=_SHORT_FILL, font=_SHORT_FONT))
    below = last_row + totals + len(sheet.notes) + 2
    # As wide as the table (a column unit is about 0.19 cm), so that the page's scale stays the table's.
    width = min(max(sum(widths) * 0.19, 12.0), 24.0)
    for chart in sheet.charts:
        ws.add_chart(_chart(ws, chart, columns, last_row, width), f"A{below}")
        below += _CHART_ROWS
    return done + (not sheet.rows)


_CHART_ROWS = 14  # rows each chart takes: 6.5 cm at the default row height, and a gap
_CHART_HEIGHT = 6.5  # cm


def _chart(ws: Any, spec: Chart, columns: Sequence[Column], last_row: int, width: float) -> Any:
    chart = BarChart() if spec.kind == "bar" else LineChart()
    chart.title = spec.title
    chart.y_axis.title = spec.y_title or None
    chart.height, chart.width = _CHART_HEIGHT, width
    # openpyxl 3.1 hides the axes unless told otherwise, and LibreOffice then draws none.
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0  # from zero: an axis starting near the values exaggerates small differences
    headers = [c.header for c in columns]
    for name in spec.series:
        col = headers.index(name) + 1
        chart.add_data(Reference(ws, min_col=col, min_row=HEADER_ROW, max_row=last_row), titles_from_data=True)
        if columns[col - 1].kind is Kind.PERCENT:
            chart.y_axis.numFmt = "0%"
            chart.y_axis.scaling.max = 1
    if len(spec.series) == 1:
        chart.legend = None  # the title names the one series
    else:
        chart.legend.position = "b"
    labels = headers.index(spec.categories) + 1
    chart.set_categories(Reference(ws, min_col=labels, min_row=FIRST_ROW, max_row=last_row))
    return chart


def _total(column: Column, letters: dict[str, str], last_row: int, index: int) -> str | None:
    col = letters[column.header]
    row_range = f"{col}{FIRST_ROW}:{col}{last_row}"
    if column.total == "sum":
        return f"=SUM({row_range})"
    if column.total == "count":
        return f"=SUBTOTAL(3,{row_range})"
    if column.formula:
        return _fill(column.formula, letters, last_row + 1)
    return TOTAL_LABEL if index == 0 else None


def _print_setup(ws: Any, landscape: bool) -> None:
    ws.page_setup.paperSize = _PAPER_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FONT_NAME


def _write_info(wb: Workbook, report: Report) -> None:
    """The hidden sheet that says what the file is: key, value, and what the key means."""
    ws = wb.create_sheet(INFO_SHEET)
    ws.sheet_state = "hidden"
    style = _style(ws, _FONT, "left", border=_NO_BORDER)
    for line in (("kind", report.kind, "报表类型"), ("title", report.title, "报表名称"),
                 ("period", report.period, "统计期间"), ("period_label", report.period_label, "统计期间（文字）"),
                 ("scope_id", report.scope_id, "统计范围（党组织编号）"),
                 ("scope", report.scope, "统计范围"), ("unit", report.unit, "填报单位"),
                 ("made_on", report.made_on.isoformat(), "制表日期"),
                 ("format_version", FORMAT_VERSION, "格式版本")):
        ws.append([_cell(ws, v, style) for v in line])


def letter(columns: Sequence[Column], header: str) -> str:
    """The column letter of the column headed `header` (for formulas a report writes itself)."""
    return get_column_letter([c.header for c in columns].index(header) + 1)
