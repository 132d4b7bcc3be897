"""The preview of one sheet of a report: its rows as the file will hold them, and the totals row."""

from __future__ import annotations

import datetime as dt
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


class _Formula:
    """A cell Excel computes from the row's other cells (the preview does not)."""


FORMULA = _Formula()


class SheetModel(QAbstractTableModel):
    """Rows of `sheet` as given, then (when the sheet has one) the totals row: the sums and counts
    the file's formulas come to; cells the file computes by a formula of its own read 自动计算."""

    def __init__(self, sheet: Sheet, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from ...reports.sheet import TOTAL_LABEL, Kind, Subtotal

        self.sheet = sheet
        self._kinds = [c.kind for c in sheet.columns]
        self._aligns = [_LEFT if k is Kind.TEXT else _RIGHT if k in (Kind.MONEY, Kind.FEN) else _CENTER
                        for k in self._kinds]
        self._formats = {Kind.MONEY: "{:.2f}", Kind.DECIMAL: "{:.1f}", Kind.PERCENT: "{:.1%}"}
        self._fen = Kind.FEN
        formulas = [bool(c.formula) for c in sheet.columns]
        self.rows: list[list[Any]] = [[FORMULA if f else v for v, f in zip(row, formulas, strict=True)]
                                      for row in sheet.rows]
        self._bold = {i for i, row in enumerate(sheet.rows) if isinstance(row, Subtotal)}
        self.has_totals = any(c.total for c in sheet.columns)
        if self.has_totals:
            self._bold.add(len(self.rows))
            self.rows.append([_total(c.total, [r[i] for r in sheet.rows if not isinstance(r, Subtotal)],
                                     bool(c.formula), TOTAL_LABEL if i == 0 else None)
                              for i, c in enumerate(sheet.columns)])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.sheet.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.sheet.columns[section].header
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._aligns[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and value is FORMULA:
            return _GREY
        if role == Qt.ItemDataRole.ToolTipRole and value is FORMULA:
            return self.tr("导出的文件中此格为公式，打开时由 Excel 计算")
        if role == Qt.ItemDataRole.FontRole and index.row() in self._bold:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and self.has_totals and index.row() == len(self.rows) - 1:
            return _TOTAL_BACKGROUND
        return None

    def text(self, row: int, column: int) -> str:
        """What the cell shows, formatted as the file formats it."""
        value = self.rows[row][column]
        if value is None:
            return ""
        if value is FORMULA or (isinstance(value, str) and value.startswith("=")):
            return self.tr("自动计算")
        kind = self._kinds[column]
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            pass
        elif kind is self._fen and isinstance(value, int):
            return f"{value / 100:.2f}"  # the rows keep fen; the file shows yuan
        elif kind in self._formats:
            return self._formats[kind].format(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)


def _total(total: str, values: list[Any], formula: bool, label: str | None) -> Any:
    """The totals cell: what SUM / SUBTOTAL(3, …) come to over `values`, the row formula's cell, or
    the 合计 label."""
    computed = formula or any(isinstance(v, str) and v.startswith("=") for v in values)
    if total == "sum":
        if computed:
            return FORMULA
        return sum(v for v in values if isinstance(v, int | float | Decimal) and not isinstance(v, bool))
    if total == "count":
        return sum(1 for v in values if v not in (None, ""))
    return FORMULA if formula else label
