"""The tables of the 会议学习 page: the activities, a branch's compliance by period, and members'
attendance and study hours."""

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
from PySide6.QtGui import QColor, QFont

from ...domain.activities import format_hours, status_label
from ...services.activities import ActivityRow, KindCompliance, MemberStudy
from ..honours.models import Column, RecordModel

_T = "ActivityTables"  # translation context of the column titles
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_RED = QColor("#d93025")
_BLUE = QColor("#0b5cad")
_GREY = QColor("#8c939d")


def _count(n: int) -> str:
    return str(n) if n else ""


ACTIVITY_COLUMNS: tuple[Column[ActivityRow], ...] = (
    Column(QT_TRANSLATE_NOOP(_T, "日期"), lambda a: a.held_on.isoformat(), lambda a: (a.held_on, a.id), 96, True),
    Column(QT_TRANSLATE_NOOP(_T, "类型"), lambda a: a.kind.label, lambda a: a.kind.label, 100, True),
    Column(QT_TRANSLATE_NOOP(_T, "主题"), lambda a: a.topic, lambda a: a.topic, 260, tip=True, stretch=True),
    Column(QT_TRANSLATE_NOOP(_T, "支部/党小组"), lambda a: a.branch_name + (f"·{a.group_name}" if a.group_name else ""),
           lambda a: (a.branch_name, a.group_name), 210, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "状态"), lambda a: status_label(a.status), lambda a: a.status, 60, True),
    Column(QT_TRANSLATE_NOOP(_T, "应到"), lambda a: _count(a.expected), lambda a: a.expected, 48, True),
    Column(QT_TRANSLATE_NOOP(_T, "出席"), lambda a: _count(a.present), lambda a: a.present, 48, True),
    Column(QT_TRANSLATE_NOOP(_T, "请假"), lambda a: _count(a.leave), lambda a: a.leave, 48, True),
    Column(QT_TRANSLATE_NOOP(_T, "缺席"), lambda a: _count(a.absent), lambda a: a.absent, 48, True),
    Column(QT_TRANSLATE_NOOP(_T, "补学"), lambda a: _count(a.made_up), lambda a: a.made_up, 48, True),
    Column(QT_TRANSLATE_NOOP(_T, "学时"), lambda a: format_hours(a.study_hours_tenths) if a.study_hours_tenths else "",
           lambda a: a.study_hours_tenths, 48, True),
    Column(QT_TRANSLATE_NOOP(_T, "授课人"),
           lambda a: a.lecturer + ("（领导干部）" if a.lecturer_is_leader else ""), lambda a: a.lecturer,
           130, tip=True),
)
ORG_COLUMN, STATUS_COLUMN, ABSENT_COLUMN = 3, 4, 8


class ActivityModel(RecordModel[ActivityRow]):
    """The activities listed; a planned one in blue, absences in red."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(ACTIVITY_COLUMNS, lambda a: a.id, parent)
        self.one_branch = False  # the scope is one branch: its name would repeat on every row

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == ORG_COLUMN and role == Qt.ItemDataRole.DisplayRole \
                and self.one_branch:
            a = self.record_at(index.row())
            return a.group_name or a.branch_name
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole:
            a = self.record_at(index.row())
            if index.column() == STATUS_COLUMN and a.status == "planned":
                return _BLUE
            if index.column() == ABSENT_COLUMN and a.absent:
                return _RED
        return super().data(index, role)


# Compliance: a row per required kind; its periods laid over the 12 month columns (a quarter spans
# three, the year all twelve).
KIND, RULE, FIRST_MONTH = 0, 1, 2
_STATE_COLORS = {
    "met": (QColor("#e3f4e8"), QColor("#1a7f37")),
    "missing": (QColor("#fde2e1"), _RED),
    "open": (QColor("#fff4d6"), QColor("#8a5a00")),
    "future": (None, _GREY),
}
_STATE_TIPS = {
    "met": QT_TRANSLATE_NOOP(_T, "已达到要求"),
    "missing": QT_TRANSLATE_NOOP(_T, "期间已过，未达到要求"),
    "open": QT_TRANSLATE_NOOP(_T, "期间进行中，尚未召开"),
    "future": QT_TRANSLATE_NOOP(_T, "期间尚未开始"),
}


class ComplianceModel(QAbstractTableModel):
    """One branch's required kinds × the months of a year: held / required in each period."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[KindCompliance] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_MONTH + 12

    def set_rows(self, rows: list[KindCompliance]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def spans(self) -> list[tuple[int, int, int]]:
        """(row, first column, columns) of each period wider than a month."""
        found = []
        for row, k in enumerate(self.rows):
            for cell in k.periods:
                width = cell.period.last_month - cell.period.first_month + 1
                if width > 1:
                    found.append((row, FIRST_MONTH + cell.period.first_month - 1, width))
        return found

    def cell(self, row: int, column: int):  # -> PeriodCell | None
        if column < FIRST_MONTH:
            return None
        month = column - FIRST_MONTH + 1
        return next((c for c in self.rows[row].periods if c.period.first_month <= month <= c.period.last_month), None)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        k, column = self.rows[index.row()], index.column()
        if column == KIND:
            if role == Qt.ItemDataRole.DisplayRole:
                return k.kind.label
            if role == Qt.ItemDataRole.FontRole and k.missing:
                bold = QFont()
                bold.setBold(True)
                return bold
            if role == Qt.ItemDataRole.ForegroundRole and k.missing:
                return _RED
            return None
        if column == RULE:
            return k.requirement.label if role == Qt.ItemDataRole.DisplayRole else None
        cell = self.cell(index.row(), column)
        if cell is None:
            return None
        background, foreground = _STATE_COLORS.get(cell.state, (None, None))
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{cell.held}/{cell.required}"
        if role == Qt.ItemDataRole.BackgroundRole:
            return background
        if role == Qt.ItemDataRole.ForegroundRole:
            return foreground
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{0}：已召开 {1} 次，要求 {2} 次；{3}").format(
                cell.period.label, cell.held, cell.required, QCoreApplication.translate(_T, _STATE_TIPS[cell.state]))
        if role == Qt.ItemDataRole.UserRole:
            return cell.state
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section == KIND:
                return self.tr("类型")
            if section == RULE:
                return self.tr("要求")
            return self.tr("{0}月").format(section - FIRST_MONTH + 1)
        return super().headerData(section, orientation, role)


def _rate(m: MemberStudy) -> str:
    return f"{m.rate * 100:.0f}%" if m.rate is not None else "—"


STUDY_COLUMNS: tuple[Column[MemberStudy], ...] = (
    Column(QT_TRANSLATE_NOOP(_T, "姓名"), lambda m: m.name + ("（支委）" if m.committee else ""),
           lambda m: m.name, 110),
    Column(QT_TRANSLATE_NOOP(_T, "所在支部"), lambda m: m.branch_name, lambda m: m.branch_name, 170, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "应参加"), lambda m: str(m.expected), lambda m: m.expected, 64, True),
    Column(QT_TRANSLATE_NOOP(_T, "实参加"), lambda m: str(m.attended), lambda m: m.attended, 64, True),
    Column(QT_TRANSLATE_NOOP(_T, "出勤率"), _rate, lambda m: -1 if m.rate is None else m.rate, 64, True),
    Column(QT_TRANSLATE_NOOP(_T, "学时"), lambda m: format_hours(m.hours_tenths), lambda m: m.hours_tenths, 64, True),
    Column(QT_TRANSLATE_NOOP(_T, "应达学时"), lambda m: format_hours(m.required_tenths),
           lambda m: m.required_tenths, 72, True),
    Column(QT_TRANSLATE_NOOP(_T, "尚差学时"), lambda m: format_hours(m.gap_tenths) if m.gap_tenths else "达标",
           lambda m: m.gap_tenths, 88, True),
)
HOURS_COLUMN, GAP_COLUMN = 5, 7


class StudyModel(RecordModel[MemberStudy]):
    """Members' attendance and study hours for a year; a shortfall in red."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(STUDY_COLUMNS, lambda m: m.member_id, parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() in (HOURS_COLUMN, GAP_COLUMN):
            m = self.record_at(index.row())
            if role == Qt.ItemDataRole.ForegroundRole:
                return _RED if m.gap_tenths else QColor("#1a7f37")
            if role == Qt.ItemDataRole.BackgroundRole and m.gap_tenths and index.column() == GAP_COLUMN:
                return QColor("#fde2e1")
        return super().data(index, role)
