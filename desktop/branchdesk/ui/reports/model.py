"""The preview of one sheet of a report: its rows as the file will hold them, and the totals row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

if TYPE_CHECKING:
    from ...reports.sheet import Sheet

_GREY = QColor("#8c939d")
_TOTAL_BACKGROUND = QColor("#f2f2f2")  # the file's totals fill
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_NUMBERS = {int, float, Decimal}  # exact types: a bool is no number to add up


class _Formula:
    """A cell Excel computes from a formula (the preview does not)."""


FORMULA = _Formula()


class SheetModel(QAbstractTableModel):
    """Rows of `sheet` as given, then (when the sheet has one) the totals row: the sums and counts
    the file's SUM and SUBTOTAL formulas come to; cells the file computes by a formula of their own
    read 自动计算. Nothing is copied per cell: a report may have tens of thousands of rows."""

    def __init__(self, sheet: Sheet, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from ...reports.sheet import TOTAL_LABEL, Kind, Subtotal

        self.sheet = sheet
        columns = sheet.columns
        self._kinds = [c.kind for c in columns]
        self._aligns = [_LEFT if k is Kind.TEXT else _RIGHT if k in (Kind.MONEY, Kind.FEN) else _CENTER
                        for k in self._kinds]
        self._formats = {Kind.MONEY: "{:.2f}", Kind.DECIMAL: "{:.1f}", Kind.PERCENT: "{:.1%}"}
        self._fen = Kind.FEN
        self._formula = [bool(c.formula) for c in columns]
        self.rows: list[Sequence[Any]] = list(sheet.rows)
        self._bold = {i for i, row in enumerate(sheet.rows) if isinstance(row, Subtotal)}
        self.has_totals = any(c.total for c in columns)
        if self.has_totals:
            plain = [row for row in sheet.rows if not isinstance(row, Subtotal)]
            by_column = list(zip(*plain, strict=True)) if plain else [()] * len(columns)
            self._bold.add(len(self.rows))
            self.rows.append([_total(c.total, values, bool(c.formula), TOTAL_LABEL if i == 0 else None)
                              for i, (c, values) in enumerate(zip(columns, by_column, strict=True))])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sheet.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.sheet.columns[section].header
        return None

    def value(self, row: int, column: int) -> Any:
        """The cell as the file will hold it: FORMULA where it holds a formula."""
        value = self.rows[row][column]
        is_total = self.has_totals and row == len(self.rows) - 1
        if (self._formula[column] and not is_total) or (isinstance(value, str) and value.startswith("=")):
            return FORMULA
        return value

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._aligns[column]
        if role == Qt.ItemDataRole.ForegroundRole and self.value(row, column) is FORMULA:
            return _GREY
        if role == Qt.ItemDataRole.ToolTipRole and self.value(row, column) is FORMULA:
            return self.tr("导出的文件中此格为公式，打开时由 Excel 计算")
        if role == Qt.ItemDataRole.FontRole and row in self._bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and self.has_totals and row == len(self.rows) - 1:
            return _TOTAL_BACKGROUND
        return None

    def text(self, row: int, column: int) -> str:
        """What the cell shows, formatted as the file formats it."""
        value = self.value(row, column)
        if value is None:
            return ""
        if value is FORMULA:
            return self.tr("自动计算")
        kind = self._kinds[column]
        if type(value) in _NUMBERS:
            if kind is self._fen and isinstance(value, int):
                return f"{value / 100:.2f}"  # the rows keep fen; the file shows yuan
            if kind in self._formats:
                return self._formats[kind].format(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)


def _total(total: str, values: Sequence[Any], formula: bool, label: str | None) -> Any:
    """The totals cell: what SUM / SUBTOTAL(3, …) come to over `values`, the row formula's cell, or
    the 合计 label."""
    if total == "sum":
        if formula:
            return FORMULA  # a sum of formulas: Excel's to work out
        added = 0
        for v in values:  # one pass: a sheet may have tens of thousands of rows
            kind = type(v)
            if kind in _NUMBERS:
                added += v
            elif kind is str and v.startswith("="):
                return FORMULA
        return added
    if total == "count":
        return sum(1 for v in values if v is not None and v != "")
    return FORMULA if formula else label
