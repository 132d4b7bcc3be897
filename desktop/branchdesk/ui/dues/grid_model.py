"""The dues year grid: members × months, each month cell coloured by its state, and its legend."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ...domain.members import DuesCategory, fen_to_yuan
from ...services.dues import GridRow, MonthCell

Index = QModelIndex | QPersistentModelIndex
_T = "DuesGrid"  # translation context of the column titles

# Columns: the member's figures, then 1月…12月, then the year's totals.
NAME, BRANCH, CATEGORY, BASE, RATE, DUE = range(6)
FIRST_MONTH = 6
PAID_TOTAL, OWED = FIRST_MONTH + 12, FIRST_MONTH + 13
_TITLES = (QT_TRANSLATE_NOOP(_T, "姓名"), QT_TRANSLATE_NOOP(_T, "支部"), QT_TRANSLATE_NOOP(_T, "类别"),
           QT_TRANSLATE_NOOP(_T, "基数"), QT_TRANSLATE_NOOP(_T, "比例"), QT_TRANSLATE_NOOP(_T, "月应交"))
_TOTAL_TITLES = (QT_TRANSLATE_NOOP(_T, "已交合计"), QT_TRANSLATE_NOOP(_T, "欠缴"))
# Widths that fit the figures at the app's font: the month columns narrow enough that a branch's
# whole year shows at 1366×768 without scrolling.
WIDTHS = (64, 112, 52, 72, 46, 60) + (54,) * 12 + (72, 64)

# State → (mark, background, text colour). Pale fills with a darker text of the same hue read
# well side by side and stay distinct for the colour-blind through the mark (✓ 预 补 免 —).
STATES: dict[str, tuple[str, QColor, QColor]] = {
    "paid": ("✓", QColor("#e3f3e6"), QColor("#17692b")),
    "advance": ("预", QColor("#e2eefb"), QColor("#1a5296")),
    "back_paid": ("补", QColor("#fff1cc"), QColor("#7a5200")),
    "exempt": ("免", QColor("#eceef1"), QColor("#4f5863")),
    "unpaid": ("", QColor("#fde4e3"), QColor("#b3261e")),
    "not_due": ("—", QColor("#ffffff"), QColor("#9aa1aa")),
}
STATE_LABELS = {
    "paid": QT_TRANSLATE_NOOP(_T, "当月已交"),
    "advance": QT_TRANSLATE_NOOP(_T, "预交"),
    "back_paid": QT_TRANSLATE_NOOP(_T, "补交"),
    "exempt": QT_TRANSLATE_NOOP(_T, "免交"),
    "unpaid": QT_TRANSLATE_NOOP(_T, "未交"),
    "not_due": QT_TRANSLATE_NOOP(_T, "不需交纳"),
}
# 学生、下岗失业、低保 share one amount (中组发〔2008〕3号 art. 5); the short enum label says 学生 only.
CATEGORY_LABELS = {c: c.label for c in DuesCategory} | {DuesCategory.STUDENT: "学生·下岗·低保"}

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_OWED_COLOUR = QColor("#b3261e")
_ROLES = frozenset((Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole))


def _tr(text: str) -> str:
    return QCoreApplication.translate(_T, text)


def payable(cell: MonthCell) -> bool:
    """Whether a payment may cover the month: owed and not yet covered, or still to come (预交)."""
    return cell.state == "unpaid" or (cell.state == "not_due" and cell.due_fen > 0)


def cell_text(cell: MonthCell) -> str:
    """What a month cell shows: the mark and the amount paid; nothing for a month still to come."""
    mark = STATES[cell.state][0]
    if cell.state in ("paid", "advance", "back_paid"):
        return f"{mark}{fen_to_yuan(cell.paid_fen)}"
    if cell.state == "unpaid":
        return _tr("未交")
    return "" if payable(cell) else mark


def cell_tip(row: GridRow, cell: MonthCell) -> str:
    """The whole story of a cell: state, due, paid, when and the receipt."""
    year, month = cell.month.split("-")
    to_come = payable(cell) and cell.state == "not_due"
    state = _tr("未到期，可预交") if to_come else _tr(STATE_LABELS[cell.state])
    lines = [_tr("{0} {1}年{2}月：{3}").format(row.name, year, int(month), state)]
    if cell.state == "exempt" and cell.exempt_reason:
        lines.append(_tr("理由：{0}").format(cell.exempt_reason))
    if cell.due_fen:
        lines.append(_tr("应交 {0} 元").format(fen_to_yuan(cell.due_fen)))
    if cell.payment_id is not None:
        lines.append(_tr("实交 {0} 元，{1} 交纳").format(
            fen_to_yuan(cell.paid_fen), cell.paid_on.isoformat() if cell.paid_on else ""))
        if cell.receipt_no:
            lines.append(_tr("收据号 {0}").format(cell.receipt_no))
    return "\n".join(lines)


class DuesGridModel(QAbstractTableModel):
    """One year's rows of `services.dues.year_grid`; months in columns FIRST_MONTH…FIRST_MONTH+11."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[GridRow] = []

    def set_rows(self, rows: list[GridRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else OWED + 1

    def cell(self, index: Index) -> MonthCell | None:
        """The month cell at `index`, or None when the column is not a month."""
        if not index.isValid() or not FIRST_MONTH <= index.column() < PAID_TOTAL:
            return None
        return self.rows[index.row()].cells[index.column() - FIRST_MONTH]

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.member_id == member_id), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A paint asks each cell for a dozen roles; most are none of ours: answer those at once.
        if role not in _ROLES or not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if FIRST_MONTH <= column < PAID_TOTAL:
            return self._month_data(row, row.cells[column - FIRST_MONTH], role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column in (NAME, BRANCH) else _CENTER if column in (CATEGORY, RATE) else _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == OWED and row.owed_fen:
            return _OWED_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and column == BRANCH:
            return row.branch_name
        if role == Qt.ItemDataRole.UserRole:
            return row.member_id
        return None

    def _text(self, row: GridRow, column: int) -> str:
        if column == NAME:
            return row.name
        if column == BRANCH:
            return row.branch_name
        if column == CATEGORY:
            return DuesCategory(row.category).label if row.category else ""
        if column == BASE:
            return fen_to_yuan(row.base_fen) if row.category in (DuesCategory.EMPLOYED, DuesCategory.RETIRED) else ""
        if column == RATE:
            return row.rate_text
        if column == DUE:
            return fen_to_yuan(row.due_fen)
        if column == PAID_TOTAL:
            return fen_to_yuan(row.paid_total_fen)
        return fen_to_yuan(row.owed_fen) if row.owed_fen else ""

    def _month_data(self, row: GridRow, cell: MonthCell, role: int) -> Any:
        state = STATES[cell.state]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell)
        if role == Qt.ItemDataRole.BackgroundRole:
            return state[1]
        if role == Qt.ItemDataRole.ForegroundRole:
            return state[2]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tip(row, cell)
        if role == Qt.ItemDataRole.UserRole:
            return row.member_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < FIRST_MONTH:
                return _tr(_TITLES[section])
            if section < PAID_TOTAL:
                return _tr("{0}月").format(section - FIRST_MONTH + 1)
            return _tr(_TOTAL_TITLES[section - PAID_TOTAL])
        if role == Qt.ItemDataRole.ToolTipRole and section == OWED:
            return _tr("本年已到期而未交的金额")
        return None
