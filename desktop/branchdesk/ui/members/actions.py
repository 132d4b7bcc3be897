"""The small dialogs of the member page: 转正, 延长预备期, 转出, 转回, 状态变更."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from ...domain import members as rules
from ...domain.fields import FieldError
from ...domain.members import Status
from ...services import members
from ...services.errors import ValidationError
from ...services.members import Member
from ..context import AppContext
from ..forms import form_layout
from ..widgets import DateEdit
from .dialog import MemberForm


class _MemberAction(MemberForm):
    """A dialog about one member: who it is about on top, the form, then the buttons; 保存 runs
    `save`, the service call."""

    def __init__(self, ctx: AppContext, member: Member, title: str, facts: str,
                 save: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(ctx, save, parent=parent)
        self.member = member
        self.member_id = member.id
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.rows = form_layout()
        self._dates: dict[str, DateEdit] = {}
        heading = QLabel(f"<b>{escape(member.name)}</b>　{escape(member.org_name)}"
                         + (f"<br>{escape(facts)}" if facts else ""))
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.rows)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def date_field(self, name: str, label: str) -> DateEdit:
        edit = DateEdit()
        edit.set_date_value(dt.date.today())
        self._dates[name] = edit
        self.rows.addRow(label, self.field(name, edit))
        return edit

    def date_of(self, name: str) -> dt.date:
        value = self._dates[name].date_value()
        if value is None:
            raise ValidationError([FieldError(name, self.tr("请选择日期"))])
        return value

    def text_field(self, name: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        self.rows.addRow(label, self.field(name, edit))
        return edit


def _joined(member: Member) -> str:
    d = member.data.joined_on
    return f"入党日期 {d.isoformat()}" if d else ""


class ConvertDialog(_MemberAction):
    """转正: the date of the 支部大会 vote converting a probationary member."""

    def __init__(self, ctx: AppContext, member: Member, parent: QWidget | None = None) -> None:
        end = member.probation_end
        facts = _joined(member) + (f"　预备期满 {end.isoformat()}" if end else "")
        super().__init__(ctx, member, self.tr("转为正式党员"), facts, self.save, parent)
        self.on = self.date_field("full_on", self.tr("转正日期"))

    def save(self) -> None:
        members.convert_to_full(self.ctx.db, self.member.id, self.date_of("full_on"))


class ExtendDialog(_MemberAction):
    """延长预备期: once, by 6 to 12 months."""

    def __init__(self, ctx: AppContext, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(ctx, member, self.tr("延长预备期"), _joined(member), self.save, parent)
        self.months = QSpinBox()
        self.months.setRange(min(rules.EXTENSION_MONTHS), max(rules.EXTENSION_MONTHS))
        self.months.setSuffix(self.tr(" 个月"))
        self.new_end = QLabel()
        self.new_end.setObjectName("hint")
        self.rows.addRow(self.tr("延长"), self.field("probation_extension_months", self.months, self.new_end))
        self.on = self.date_field("on_date", self.tr("决定日期"))
        self.months.valueChanged.connect(self._show_end)
        self._show_end()

    def _show_end(self) -> None:
        joined = self.member.data.joined_on
        if joined:
            end = rules.probation_end(joined, self.months.value())
            self.new_end.setText(self.tr("延长后预备期满：{0}").format(end.isoformat()))

    def save(self) -> None:
        members.extend_probation(self.ctx.db, self.member.id, self.months.value(),
                                 self.date_of("on_date"))


class TransferOutDialog(_MemberAction):
    """组织关系转出: where to, when, and the introduction letter."""

    def __init__(self, ctx: AppContext, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(ctx, member, self.tr("组织关系转出"), _joined(member), self.save, parent)
        self.on = self.date_field("on_date", self.tr("转出日期"))
        self.counterpart = self.text_field("counterpart", self.tr("转往单位"),
                                           self.tr("接收党组织全称"))
        self.letter_no = self.text_field("letter_no", self.tr("介绍信编号"))
        self.note = self.text_field("note", self.tr("备注"))

    def save(self) -> None:
        members.transfer_out(self.ctx.db, self.member.id, self.date_of("on_date"),
                             self.counterpart.text(), self.letter_no.text(), self.note.text())


class ReturnDialog(_MemberAction):
    """组织关系转回: a member transferred out earlier returns to the same record."""

    def __init__(self, ctx: AppContext, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(ctx, member, self.tr("组织关系转回"),
                         self.tr("该党员已转出，转回后恢复在册"), self.save, parent)
        self.on = self.date_field("on_date", self.tr("转入日期"))
        self.counterpart = self.text_field("counterpart", self.tr("转出单位"),
                                           self.tr("党员现所在党组织全称"))
        self.letter_no = self.text_field("letter_no", self.tr("介绍信编号"))

    def save(self) -> None:
        members.return_in(self.ctx.db, self.member.id, self.date_of("on_date"),
                          self.counterpart.text(), self.letter_no.text())


class StatusDialog(_MemberAction):
    """状态变更: 正常 / 流动 / 失联 / 去世 (转出 has its own dialog, which records where to)."""

    def __init__(self, ctx: AppContext, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(ctx, member, self.tr("状态变更"),
                         self.tr("当前状态：{0}").format(member.status.label), self.save, parent)
        self.status = QComboBox()
        for status in Status:
            if status is not Status.TRANSFERRED_OUT:
                self.status.addItem(status.label, status)
        self.status.setCurrentIndex(max(self.status.findData(member.status), 0))
        self.rows.addRow(self.tr("新状态"), self.field("status", self.status))
        self.on = self.date_field("on_date", self.tr("变更日期"))
        self.note = self.text_field("note", self.tr("说明"), self.tr("如：外出务工，流入地党组织…"))

    def save(self) -> None:
        status = Status(self.status.currentData())  # combo data comes back as plain str
        if status is self.member.status:
            raise ValidationError([FieldError("status", self.tr("请选择与当前不同的状态"))])
        members.set_status(self.ctx.db, self.member.id, status,
                           self.date_of("on_date"), self.note.text())
