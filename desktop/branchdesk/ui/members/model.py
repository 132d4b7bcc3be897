"""The member table: every member of the scope, filtered and sorted in Python.

Filtering and sorting happen here rather than in a QSortFilterProxyModel: a proxy calls back
into Python once per row (and once per comparison when sorting), which is what makes a
10,000-row search slow. Here one list comprehension picks the rows and the view is reset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ...domain import idnumber
from ...domain.members import Standing, Status
from ...services.members import Member, matches

# Status filter values besides a single Status.
ACTIVE = "active"
ALL = "all"
# Group filter value for members in no 党小组 (None means any group).
NO_GROUP = 0


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 characters (138****5678), as lists do with personal data."""
    if len(phone) <= 7:
        return "*" * max(len(phone) - 4, 0) + phone[-4:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _date_key(d: dt.date | None) -> tuple:
    # Blank dates sort after every real date.
    return (d is None, d or dt.date.min)


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Member], str]
    key: Callable[[Member], Any]
    width: int


_T = "MemberTableModel"  # translation context: headerData translates the titles


def _date_column(title: str, get: Callable[[Member], dt.date | None]) -> Column:
    return Column(title, lambda m: _date(get(m)), lambda m: _date_key(get(m)), 96)


COLUMNS = (
    Column(QT_TRANSLATE_NOOP(_T, "姓名"), lambda m: m.name, lambda m: (m.name_initials, m.name), 80),
    Column(QT_TRANSLATE_NOOP(_T, "性别"), lambda m: m.data.gender, lambda m: m.data.gender, 48),
    _date_column(QT_TRANSLATE_NOOP(_T, "出生日期"), lambda m: m.data.birth_date),
    Column(QT_TRANSLATE_NOOP(_T, "身份证号"), lambda m: idnumber.mask(m.data.id_number),
           lambda m: m.data.id_number, 160),
    Column(QT_TRANSLATE_NOOP(_T, "学历"), lambda m: m.data.education, lambda m: m.data.education, 84),
    Column(QT_TRANSLATE_NOOP(_T, "人员类别"), lambda m: m.data.standing.label,
           lambda m: m.data.standing.value, 80),
    _date_column(QT_TRANSLATE_NOOP(_T, "入党日期"), lambda m: m.data.joined_on),
    _date_column(QT_TRANSLATE_NOOP(_T, "转正日期"), lambda m: m.data.full_on),
    Column(QT_TRANSLATE_NOOP(_T, "所在支部"), lambda m: m.org_name,
           lambda m: (m.org_name, m.name_initials), 150),
    Column(QT_TRANSLATE_NOOP(_T, "党小组"), lambda m: m.group_name,
           lambda m: (m.group_name, m.name_initials), 110),
    Column(QT_TRANSLATE_NOOP(_T, "状态"), lambda m: m.status.label,
           lambda m: list(Status).index(m.status), 56),
    Column(QT_TRANSLATE_NOOP(_T, "联系电话"), lambda m: mask_phone(m.data.phone),
           lambda m: m.data.phone, 116),
)

_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_CENTERED = {1, 10}
_OFF_ROLL = QColor("#8c939d")
_PROBATION = QColor("#b35c00")


@dataclass(frozen=True)
class MemberFilter:
    """What the toolbar asks for: search text, status (a Status, ACTIVE or ALL), standing, group."""

    text: str = ""
    status: Status | str = ACTIVE
    standing: Standing | None = None
    group_id: int | None = None

    def keep(self, m: Member) -> bool:
        if self.status == ACTIVE:
            if not m.status.active:
                return False
        elif self.status != ALL and m.status is not self.status:
            return False
        if self.standing is not None and m.data.standing is not self.standing:
            return False
        if self.group_id is not None and (m.data.group_id or NO_GROUP) != self.group_id:
            return False
        return matches(m, self.text)


class MemberTableModel(QAbstractTableModel):
    """All members of the scope (`all_members`); the rows shown are those the filter keeps."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.all_members: list[Member] = []
        self._rows: list[Member] = []
        self._filter = MemberFilter()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # Qt model interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()].text(m)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not m.status.active:
                return _OFF_ROLL
            if index.column() == 5 and m.data.standing is Standing.PROBATIONARY:
                return _PROBATION
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if index.column() in _CENTERED else _LEFT
        if role == Qt.ItemDataRole.UserRole:
            return m.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section].title)
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        if column < 0:
            self._refresh()  # back to the service's order
            return
        self.layoutAboutToBeChanged.emit()
        self._sort_rows()
        self.layoutChanged.emit()

    # What the page uses

    def set_members(self, members: list[Member]) -> None:
        self.all_members = members
        self._refresh()

    def set_filter(self, member_filter: MemberFilter) -> None:
        self._filter = member_filter
        self._refresh()

    @property
    def member_filter(self) -> MemberFilter:
        return self._filter

    def member_at(self, row: int) -> Member:
        return self._rows[row]

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, m in enumerate(self._rows) if m.id == member_id), None)

    def _refresh(self) -> None:
        self.beginResetModel()
        keep = self._filter.keep
        self._rows = [m for m in self.all_members if keep(m)]
        self._sort_rows()
        self.endResetModel()

    def _sort_rows(self) -> None:
        if self._sort_column < 0:
            return  # the service's order: by branch, then pinyin initials
        self._rows.sort(key=COLUMNS[self._sort_column].key,
                        reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
