"""The branch × month heatmap of required meetings (三会一课 compliance) on the Home page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableView

from ..widgets import table_view
from .charts import MONTHS

if TYPE_CHECKING:
    from ...services.activities import BranchRow

Index = QModelIndex | QPersistentModelIndex

# A cell's colour and the word its tooltip uses, by the state compliance_matrix gives it.
STATES = {
    "met": ("#b7dfb9", "已达标"),
    "missing": ("#f4a6a6", "未达标"),
    "open": ("#fde29a", "进行中，尚未达标"),
    "future": ("#eef0f3", "尚未开始"),
}


class ComplianceModel(QAbstractTableModel):
    """Rows: branches; columns: the branch name, then 1月–12月 as "held/required" coloured by state."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[BranchRow] = []
        self.year = 0

    def set_rows(self, rows: list[BranchRow], year: int) -> None:
        self.beginResetModel()
        self.rows = rows
        self.year = year
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 13

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return "党支部" if section == 0 else MONTHS[section - 1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if index.column() == 0:
            return row.branch_name if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) else None
        cell = row.months[index.column() - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{cell.held}/{cell.required}" if cell.required else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if not cell.required:
            return None
        colour, word = STATES.get(cell.state, ("#ffffff", cell.state))
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(colour))
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{row.branch_name} {self.year}年{index.column()}月：应开会议 {cell.required} 次，"
                    f"已开 {cell.held} 次（{word}）")
        return None


def compliance_view(model: ComplianceModel) -> QTableView:
    """A table of narrow month columns after the branch name; it scrolls for 200 branches."""
    view = table_view(model)
    view.setObjectName("complianceHeatmap")
    view.setAlternatingRowColors(False)
    view.setShowGrid(True)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, 13):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, 52)
    return view
