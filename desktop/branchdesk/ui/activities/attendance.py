"""Attendance entry for one meeting: the expected attendees as one table model (not a widget per
person, so a branch of 100 opens at once), set from the keyboard or in bulk for the selected rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ...domain.activities import AttendanceEntry, AttendanceStatus, attendance_problem
from ...domain.dates import parse_date

_T = "AttendanceTable"  # translation context of the column titles
NAME, STANDING, GROUP, STATUS, REASON, MADE_UP_ON = range(6)
_TITLES = (QT_TRANSLATE_NOOP(_T, "姓名"), QT_TRANSLATE_NOOP(_T, "类别"), QT_TRANSLATE_NOOP(_T, "党小组"),
           QT_TRANSLATE_NOOP(_T, "出席情况"), QT_TRANSLATE_NOOP(_T, "请假/缺席事由"),
           QT_TRANSLATE_NOOP(_T, "补学日期"))
WIDTHS = (96, 64, 110, 80, 240, 110)

# The keys 1–5 set these, in this order; Space cycles through the first four (补学 needs a date).
KEYED = (AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT,
         AttendanceStatus.OBSERVER, AttendanceStatus.MADE_UP)
_CYCLE = KEYED[:4]
_COLORS = {
    AttendanceStatus.PRESENT: QColor("#1a7f37"),
    AttendanceStatus.LEAVE: QColor("#b35c00"),
    AttendanceStatus.ABSENT: QColor("#d93025"),
    AttendanceStatus.OBSERVER: QColor("#6a737d"),
    AttendanceStatus.MADE_UP: QColor("#0b5cad"),
}
_PROBLEM_BACKGROUND = QColor("#fff1c2")
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass
class AttendeeLine:
    """One person on the list and what is entered for them."""

    member_id: int
    name: str
    voting: bool  # a full member: has a vote at a 支部党员大会
    group_name: str
    status: AttendanceStatus = AttendanceStatus.PRESENT
    reason: str = ""
    made_up_on: dt.date | None = None
    made_up_text: str = ""  # what was typed when it is no date

    def entry(self) -> AttendanceEntry:
        return AttendanceEntry(self.member_id, self.status, self.reason.strip(),
                               self.made_up_on if self.status is AttendanceStatus.MADE_UP else None)


class AttendanceModel(QAbstractTableModel):
    """The attendees of one meeting; status, reason and 补学 date editable. `changed` fires on
    every edit, so that the counts and the quorum line follow."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: list[AttendeeLine] = []
        self.held_on: dt.date | None = None  # for the check of 补学 dates
        self.today = dt.date.today()

    # Qt's model interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_TITLES)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and (index.column() == REASON or (
                index.column() == MADE_UP_ON and self.lines[index.row()].status is AttendanceStatus.MADE_UP)):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line, column = self.lines[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return line.name
            if column == STANDING:
                return self.tr("正式党员") if line.voting else self.tr("预备党员")
            if column == GROUP:
                return line.group_name
            if column == STATUS:
                return line.status.label
            if column == REASON:
                return line.reason
            if column == MADE_UP_ON and line.status is AttendanceStatus.MADE_UP:
                return line.made_up_on.isoformat() if line.made_up_on else line.made_up_text
            return ""
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return _COLORS[line.status]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if column in (STANDING, STATUS, MADE_UP_ON) else _LEFT
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole) and column == self._culprit(line) \
                and (problem := self.problem(index.row())):
            return _PROBLEM_BACKGROUND if role == Qt.ItemDataRole.BackgroundRole else problem
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        line = self.lines[index.row()]
        if index.column() == REASON:
            line.reason = str(value).strip()
        elif index.column() == MADE_UP_ON:
            text = str(value).strip()
            try:
                line.made_up_on, line.made_up_text = parse_date(text), ""
            except ValueError:
                line.made_up_on, line.made_up_text = None, text
        else:
            return False
        self._row_changed(index.row())
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(_T, _TITLES[section])
        return super().headerData(section, orientation, role)

    # What the dialog uses

    def set_lines(self, lines: list[AttendeeLine]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()
        self.changed.emit()

    def set_status(self, rows: list[int], status: AttendanceStatus) -> None:
        """Give `rows` `status`; a 补学 without a date gets today's (the usual case: made up now)."""
        for row in rows:
            line = self.lines[row]
            line.status = status
            if status is AttendanceStatus.MADE_UP and line.made_up_on is None and not line.made_up_text:
                line.made_up_on = self.today
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(_TITLES) - 1))
            self.changed.emit()

    def cycle(self, rows: list[int]) -> None:
        """Space: each row's status moves on to the next of 出席 → 请假 → 缺席 → 列席 → 出席."""
        for row in rows:
            status = self.lines[row].status
            following = _CYCLE[(_CYCLE.index(status) + 1) % len(_CYCLE)] if status in _CYCLE else _CYCLE[0]
            self.set_status([row], following)

    def entries(self) -> list[AttendanceEntry]:
        return [line.entry() for line in self.lines]

    def counts(self) -> Counter[AttendanceStatus]:
        return Counter(line.status for line in self.lines)

    def problem(self, row: int) -> str | None:
        line = self.lines[row]
        if line.made_up_text and line.status is AttendanceStatus.MADE_UP:
            return self.tr("补学日期不是有效的日期")
        return attendance_problem(line.entry(), self.held_on, self.today)

    def first_problem(self) -> tuple[int, str] | None:
        return next(((row, p) for row in range(len(self.lines)) if (p := self.problem(row))), None)

    def set_held_on(self, day: dt.date | None) -> None:
        if day != self.held_on:
            self.held_on = day
            if self.lines:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.lines) - 1, len(_TITLES) - 1))

    def culprit_column(self, row: int) -> int:
        return self._culprit(self.lines[row])

    @staticmethod
    def _culprit(line: AttendeeLine) -> int:
        return MADE_UP_ON if line.status is AttendanceStatus.MADE_UP else REASON

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(_TITLES) - 1))
        self.changed.emit()


class AttendanceView(QTableView):
    """The attendance table. Arrows move; 1 出席, 2 请假, 3 缺席, 4 列席, 5 补学 set the selected rows
    (one row: then on to the next); Space cycles; Enter or F2 edits the reason (or 补学 date)."""

    def __init__(self, model: AttendanceModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attendance = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        # No row numbers: the vertical header would ask the model about every row before showing any.
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)

    def selected_rows(self) -> list[int]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return rows

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        editing = self.state() == QAbstractItemView.State.EditingState
        if plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_5 and not editing:
            rows = self.selected_rows()
            self.attendance.set_status(rows, KEYED[key - Qt.Key.Key_1])
            if len(rows) == 1 and rows[0] + 1 < self.attendance.rowCount():
                self.selectRow(rows[0] + 1)  # on to the next person
            return
        if plain and key == Qt.Key.Key_Space and not editing:
            self.attendance.cycle(self.selected_rows())
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            if editing:  # the editor's own Enter, passed on: its delegate commits it
                return
            row = self.currentIndex().row()
            self.edit(self.attendance.index(row, self.attendance.culprit_column(row)))
            return
        super().keyPressEvent(event)
