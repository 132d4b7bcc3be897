"""The committee (委员会) of an organization: seats with roles and terms, and the seat dialog."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.fields import FieldError
from ...domain.organization import CommitteeRole, term_end, term_ending_soon
from ...services import members
from ...services import organizations as orgs
from ..context import AppContext
from ..forms import FormDialog, form_layout
from ..widgets import DateEdit, attempt, confirm

_ENDING_BACKGROUND = QColor("#fff4d6")
_ENDING_TEXT = QColor("#8a5a00")
_PAST_TEXT = QColor("#8c939d")


class SeatDialog(FormDialog):
    """Add a seat to `org`'s committee, or edit `seat`; 保存 saves it through the service."""

    def __init__(self, ctx: AppContext, org: orgs.Organization, seat: orgs.Seat | None,
                 today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(self._save, self._check, parent)
        self.ctx = ctx
        self.org = org
        self.seat = seat
        self.setWindowTitle(self.tr("编辑委员") if seat else self.tr("添加委员"))
        self.setMinimumWidth(440)

        self.member = QComboBox()
        self.member.setEditable(True)
        self.member.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Sized by a name's length, not by measuring every entry of a long roll.
        self.member.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.member.setMinimumContentsLength(16)
        self.member.lineEdit().setPlaceholderText(self.tr("输入姓名查找"))
        self.role = QComboBox()
        for role in CommitteeRole:
            self.role.addItem(role.label, role.value)
        self.term_start = DateEdit()
        self.term_end = DateEdit()
        self.note = QLineEdit()
        end_hint = QLabel(self.tr("默认为开始日期起三年"))
        end_hint.setObjectName("hint")

        form = form_layout()
        form.addRow(self.tr("所属组织："), QLabel(org.name))
        form.addRow(self.tr("党员："), self.field("member_id", self.member))
        form.addRow(self.tr("职务："), self.field("role", self.role))
        form.addRow(self.tr("任期开始："), self.field("term_start", self.term_start))
        form.addRow(self.tr("任期结束："), self.field("term_end", self.term_end, end_hint))
        form.addRow(self.tr("备注："), self.field("note", self.note))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        # The roll goes in once the dialog is assembled (re-parenting a combo box re-polishes its
        # whole list under the style sheet), as one string-list model rather than an addItem per
        # member: a 党委's roll may hold 10,000.
        roll = sorted((m for m in members.list_members(ctx.db, org.id)
                       if m.status.active or (seat and m.id == seat.member_id)),
                      key=lambda m: (m.org_id != org.id, m.name_initials))
        self._member_ids = [m.id for m in roll]
        self.member.setModel(QStringListModel(
            [m.name if m.org_id == org.id else self.tr("{0}（{1}）").format(m.name, m.org_name)
             for m in roll], self.member))
        # Typing any part of a name finds the member.
        completer = QCompleter(self.member.model(), self.member)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.member.setCompleter(completer)

        if seat:
            self.member.setCurrentIndex(self._member_ids.index(seat.member_id))
            self.role.setCurrentIndex(self.role.findData(seat.role.value))
            self.term_start.set_date_value(seat.term_start)
            self.term_end.set_date_value(seat.term_end)
            self.note.setText(seat.note)
        else:
            self.member.setCurrentIndex(-1)
            self.term_start.set_date_value(today)
            self.term_end.set_date_value(term_end(today))
        # The end follows the start (a 3-year term) until the user sets the end themselves.
        self._end_follows_start = seat is None or seat.term_end == term_end(seat.term_start)
        self.term_start.dateChanged.connect(self._start_changed)
        self.term_end.dateChanged.connect(self._end_changed)

    def _start_changed(self) -> None:
        start = self.term_start.date_value()
        if self._end_follows_start and start:
            self.term_end.blockSignals(True)
            self.term_end.set_date_value(term_end(start))
            self.term_end.blockSignals(False)

    def _end_changed(self) -> None:
        self._end_follows_start = False

    def _member_id(self) -> int | None:
        """The chosen member, or None when the typed text names nobody in the list."""
        index = self.member.findText(self.member.currentText(), Qt.MatchFlag.MatchExactly)
        return self._member_ids[index] if index >= 0 else None

    def _check(self) -> list[FieldError]:
        problems = []
        if self._member_id() is None:
            problems.append(FieldError("member_id", self.tr("请从列表中选择党员")))
        if self.term_start.date_value() is None:
            problems.append(FieldError("term_start", self.tr("请填写任期开始日期")))
        return problems

    def _save(self) -> None:
        member_id, start = self._member_id(), self.term_start.date_value()
        assert member_id is not None and start is not None  # _check saw to it
        role = CommitteeRole(self.role.currentData())
        if self.seat:
            orgs.update_seat(self.ctx.db, self.seat.id, member_id, role, start,
                             self.term_end.date_value(), self.note.text())
        else:
            orgs.add_seat(self.ctx.db, self.org.id, member_id, role, start,
                          self.term_end.date_value(), self.note.text())
        self.ctx.notify_changed()


class CommitteePanel(QGroupBox):
    """The seats of one organization's committee, current and past, with their term status."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("委员会"))
        self.ctx = ctx
        self.org: orgs.Organization | None = None
        self.seats: list[orgs.Seat] = []
        self.today = dt.date.today()

        headers = [self.tr("姓名"), self.tr("职务"), self.tr("任期开始"), self.tr("任期结束"),
                   self.tr("状态"), self.tr("备注")]
        self.model = QStandardItemModel(0, len(headers), self)
        self.model.setHorizontalHeaderLabels(headers)
        self.table = QTableView()
        self.table.setObjectName("committeeTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.doubleClicked.connect(lambda _index: self.edit_seat())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton(self.tr("添加委员"))
        self.edit_button = QPushButton(self.tr("编辑"))
        self.remove_button = QPushButton(self.tr("移除"))
        self.add_button.clicked.connect(self.add_seat)
        self.edit_button.clicked.connect(self.edit_seat)
        self.remove_button.clicked.connect(self.remove_seat)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def show_org(self, org: orgs.Organization, today: dt.date) -> None:
        self.org = org
        self.today = today
        self.seats = orgs.committee(self.ctx.db, org.id)
        self.model.removeRows(0, self.model.rowCount())
        for seat in self.seats:
            self.model.appendRow(self._row(seat))
        # Sized here: ResizeToContents sections do not grow when rows arrive in a shown table.
        for column in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 12)
        current = sum(1 for s in self.seats if s.current(today))
        self.summary.setText(self.tr("在任委员 {0} 人").format(current))
        self._update_buttons()

    def _row(self, seat: orgs.Seat) -> list[QStandardItem]:
        status, ending, past = self._status(seat)
        cells = [QStandardItem(t) for t in (seat.member_name, seat.role.label,
                                            seat.term_start.isoformat(), seat.term_end.isoformat(),
                                            status, seat.note)]
        for cell in cells:
            if ending:
                cell.setBackground(QBrush(_ENDING_BACKGROUND))
                cell.setForeground(QBrush(_ENDING_TEXT))
            elif past:
                cell.setForeground(QBrush(_PAST_TEXT))
        if ending:
            bold = QFont()
            bold.setBold(True)
            cells[4].setFont(bold)
            cells[4].setToolTip(self.tr("任期将于 {0} 届满，请及时做好换届准备").format(
                seat.term_end.isoformat()))
        return cells

    def _status(self, seat: orgs.Seat) -> tuple[str, bool, bool]:
        """The status text, whether the term ends soon, and whether it is over."""
        if seat.term_end < self.today:
            return self.tr("已届满"), False, True
        if seat.term_start > self.today:
            return self.tr("未到任期"), False, False
        if term_ending_soon(seat.term_end, self.today):
            days = (seat.term_end - self.today).days
            if days == 0:
                return self.tr("即将届满（今日）"), True, False
            return self.tr("即将届满（{0}天）").format(days), True, False
        return self.tr("在任"), False, False

    def selected_seat(self) -> orgs.Seat | None:
        rows = self.table.selectionModel().selectedRows()
        return self.seats[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected_seat() is not None
        self.add_button.setEnabled(self.org is not None)
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def add_seat(self) -> SeatDialog:
        """Open the seat dialog for a new seat (window-modal; the caller need not wait)."""
        return self._open(None)

    def edit_seat(self) -> SeatDialog | None:
        seat = self.selected_seat()
        return self._open(seat) if seat else None

    def _open(self, seat: orgs.Seat | None) -> SeatDialog:
        assert self.org is not None
        dialog = SeatDialog(self.ctx, self.org, seat, self.today, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def remove_seat(self) -> None:
        seat = self.selected_seat()
        if seat is None:
            return
        if not confirm(self, self.tr("移除委员"), self.tr(
                "确定移除 {0} 的{1}任职记录（{2} 至 {3}）吗？\n任期届满的记录可保留作为历史。"
                "\n移除的记录移入回收站，可在“工具 › 回收站”中恢复。").format(
                seat.member_name, seat.role.label, seat.term_start.isoformat(),
                seat.term_end.isoformat())):
            return
        if attempt(self, self.tr("未能移除"), lambda: orgs.remove_seat(self.ctx.db, seat.id)):
            self.ctx.notify_changed()
