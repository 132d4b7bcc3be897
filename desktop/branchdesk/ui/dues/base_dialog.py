"""The dues base of one member (党费基数核定): category, the month it takes effect, the base typed
as a figure or worked out from pay items, the monthly amount it gives (shown as it is typed), and a
manual override with its reason."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import dues as rules
from ...domain.dues import month_of
from ...domain.fields import FieldError
from ...domain.members import DuesCategory, fen_to_yuan
from ...services import dues
from ..context import AppContext
from ..forms import FormDialog, form_layout
from .dialogs import AMOUNT_PROBLEM, MonthEdit, amount_edit, hint_label, month_problem, read_fen
from .grid_model import CATEGORY_LABELS

_WAGED = (DuesCategory.EMPLOYED, DuesCategory.RETIRED)  # the categories charged a share of a base
_FIXED = (DuesCategory.FARMER, DuesCategory.OTHER)  # the categories with an amount set per member


class BaseDialog(FormDialog):
    """Set member `member_id`'s base from a month on; starts from their latest base."""

    def __init__(self, ctx: AppContext, member_id: int, name: str, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._save, self._check, parent)
        self.ctx = ctx
        self.member_id = member_id
        self.saved_id: int | None = None
        self.rules = dues.load_rules(ctx.db)
        self.setWindowTitle(self.tr("党费基数：{0}").format(name))
        self.setMinimumWidth(560)

        self.category = QComboBox()
        for category in DuesCategory:
            self.category.addItem(self.tr(CATEGORY_LABELS[category]), category)
        self.effective_from = MonthEdit(month_of(today))
        self.direct = QRadioButton(self.tr("直接填写"))
        self.from_pay = QRadioButton(self.tr("按工资项目计算"))
        self.direct.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.direct)
        modes.addButton(self.from_pay)
        mode_row = QWidget()
        row = QHBoxLayout(mode_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.direct)
        row.addWidget(self.from_pay)
        row.addStretch(1)
        self.base = amount_edit()
        self.base_hint = hint_label(self.tr("在职：每月工资收入扣除个人所得税后的数额；离退休：每月养老金"))
        self.gross = amount_edit()
        self.tax = amount_edit()
        self.deductions = amount_edit()
        self.deductions.setToolTip(self.tr("按规定计入的扣除项，如个人缴纳的养老、医疗、失业保险和住房公积金"))
        self.computed = QLabel()
        self.fixed = amount_edit()
        self.fixed_hint = hint_label()
        self.due = QLabel()
        self.due.setStyleSheet("font-weight: bold;")
        self.due_hint = hint_label()
        self.override = QCheckBox(self.tr("手动调整月应交金额"))
        self.override_amount = amount_edit()
        self.override_reason = QLineEdit()
        self.override_reason.setMaxLength(200)
        self.override_reason.setPlaceholderText(self.tr("必填，如：家庭困难，经机关党委批准减交"))
        self.note = QLineEdit()
        self.note.setMaxLength(200)

        form = form_layout()
        form.addRow(self.tr("党费类别"), self.field("category", self.category))
        self.latest_hint = hint_label(self.tr("尚未核定，按党员信息中的类别和基数计算"))
        form.addRow(self.tr("起始月份"), self.field("effective_from", self.effective_from,
                                                 hint_label(self.tr("从此月起按新基数计算；年初核定时填1月")),
                                                 self.latest_hint))
        self._base_rows = [
            (self.tr("基数来源"), mode_row),
            (self.tr("计算基数（元）"), self.field("base_fen", self.base, self.base_hint)),
            (self.tr("应发工资（元）"), self.field("gross_fen", self.gross)),
            (self.tr("个人所得税（元）"), self.field("tax_fen", self.tax)),
            (self.tr("扣除项（元）"), self.field("deductions_fen", self.deductions)),
            (self.tr("计算基数"), self.computed),
        ]
        for label, widget in self._base_rows:
            form.addRow(label, widget)
        form.addRow(self.tr("每月交纳（元）"), self.field("fixed_fen", self.fixed, self.fixed_hint))
        due_cell = QWidget()
        due_column = QVBoxLayout(due_cell)
        due_column.setContentsMargins(0, 0, 0, 0)
        due_column.addWidget(self.due)
        due_column.addWidget(self.due_hint)
        form.addRow(self.tr("月应交"), due_cell)
        form.addRow("", self.override)
        form.addRow(self.tr("调整为（元）"), self.field("override_fen", self.override_amount))
        form.addRow(self.tr("调整理由"), self.field("override_reason", self.override_reason))
        form.addRow(self.tr("备注"), self.field("note", self.note))
        self._layout_form = form
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self._load_latest()
        self.category.currentIndexChanged.connect(lambda _i: self._refresh())
        for toggle in (self.direct, self.from_pay, self.override):
            toggle.toggled.connect(lambda _on: self._refresh())
        for edit in (self.base, self.gross, self.tax, self.deductions, self.fixed, self.override_amount):
            edit.textChanged.connect(lambda _t: self._refresh())
        self._refresh()

    def _load_latest(self) -> None:
        found = dues.bases(self.ctx.db, self.member_id)  # earliest first
        if not found:
            return
        latest, d = found[-1], found[-1].data
        self.category.setCurrentIndex(max(self.category.findData(DuesCategory(d.category)), 0))
        if d.gross_fen is not None:
            self.from_pay.setChecked(True)
            self.gross.setText(fen_to_yuan(d.gross_fen))
            self.tax.setText(fen_to_yuan(d.tax_fen or 0))
            self.deductions.setText(fen_to_yuan(d.deductions_fen or 0))
        self.base.setText(fen_to_yuan(latest.base_fen))
        if d.fixed_fen is not None:
            self.fixed.setText(fen_to_yuan(d.fixed_fen))
        if d.override_fen is not None:
            self.override.setChecked(True)
            self.override_amount.setText(fen_to_yuan(d.override_fen))
            self.override_reason.setText(d.override_reason)
        self.note.setText(d.note)
        self.latest_hint.setText(self.tr("现行：{0}起，月应交 {1} 元（{2}）").format(
            d.effective_from, fen_to_yuan(latest.due_fen), latest.rate_text))

    def category_value(self) -> DuesCategory:
        return DuesCategory(self.category.currentData())

    def base_fen(self) -> int | None:
        """The base as typed or as worked out from the pay items; None when it cannot be read."""
        if self.direct.isChecked():
            return read_fen(self.base)
        gross, tax, deductions = read_fen(self.gross), read_fen(self.tax), read_fen(self.deductions)
        if gross is None or tax is None or deductions is None:
            return None
        try:
            return rules.after_tax_base(gross, tax, deductions)
        except ValueError:
            return None

    def _set_row_visible(self, widget: QWidget, visible: bool) -> None:
        self._layout_form.setRowVisible(widget, visible)

    def _refresh(self) -> None:
        """Show the fields the category uses, and the base and monthly amount they give."""
        category = self.category_value()
        waged, fixed = category in _WAGED, category in _FIXED
        by_pay = self.from_pay.isChecked()
        for _label, widget in self._base_rows:
            self._set_row_visible(widget, waged)
        if waged:
            self._set_row_visible(self._base_rows[1][1], not by_pay)
            for _label, widget in self._base_rows[2:]:
                self._set_row_visible(widget, by_pay)
        self._set_row_visible(self.form.widgets["fixed_fen"].parentWidget(), fixed)
        if category is DuesCategory.FARMER:
            self.fixed_hint.setText(self.tr("农民党员每月 {0} 至 {1} 元，由支部确定").format(
                fen_to_yuan(self.rules.farmer_min_fen), fen_to_yuan(self.rules.farmer_max_fen)))
        else:
            self.fixed_hint.setText(self.tr("每月固定交纳的金额"))
        for widget in (self.form.widgets["override_fen"], self.form.widgets["override_reason"]):
            self._set_row_visible(widget.parentWidget(), self.override.isChecked())

        base = self.base_fen()
        if by_pay:
            self.computed.setText(self.tr("应发工资 − 个人所得税 − 扣除项 = {0} 元").format(fen_to_yuan(base))
                                  if base is not None else self.tr("—（请填写金额；扣除后不能为负数）"))
        self.due.setText(self._due_text(category, base))

    def _due_text(self, category: DuesCategory, base: int | None) -> str:
        """月应交 as the rules give it (and the override beside it when one is set)."""
        fixed = read_fen(self.fixed, None) if category in _FIXED else None
        self.due_hint.hide()
        if category in _WAGED and base is None:
            return "—"
        try:
            due = rules.monthly_due(category, base or 0, self.rules, fixed)
        except ValueError as exc:
            self.due_hint.setText(str(exc))
            self.due_hint.show()
            return "—"
        rate = rules.rate_text(category, base or 0, self.rules, fixed)
        text = self.tr("{0} 元（{1}）").format(fen_to_yuan(due), rate)
        override = read_fen(self.override_amount, None)
        if self.override.isChecked() and override is not None:
            text = self.tr("{0} 元（手动调整；按规定为 {1}）").format(fen_to_yuan(override), text)
        return text

    def _check(self) -> list[FieldError]:
        problems = []
        if why := month_problem(self.effective_from):
            problems.append(FieldError("effective_from", why))
        category = self.category_value()
        if category in _WAGED:
            edits = (("base_fen", self.base),) if self.direct.isChecked() else (
                ("gross_fen", self.gross), ("tax_fen", self.tax), ("deductions_fen", self.deductions))
            problems += [FieldError(name, self.tr(AMOUNT_PROBLEM)) for name, edit in edits if read_fen(edit) is None]
        if category in _FIXED and read_fen(self.fixed) is None:
            problems.append(FieldError("fixed_fen", self.tr(AMOUNT_PROBLEM)))
        if self.override.isChecked() and read_fen(self.override_amount, None) is None:
            problems.append(FieldError("override_fen", self.tr(AMOUNT_PROBLEM) if self.override_amount.text().strip()
                                       else self.tr("不能为空")))
        return problems

    def data(self) -> dues.BaseData:
        category = self.category_value()
        waged, by_pay = category in _WAGED, self.from_pay.isChecked()
        overridden = self.override.isChecked()
        month = self.effective_from.month()
        assert month is not None  # _check saw to it
        return dues.BaseData(
            effective_from=month, category=category,
            base_fen=read_fen(self.base, None) if waged and not by_pay else None,
            gross_fen=read_fen(self.gross) if waged and by_pay else None,
            tax_fen=read_fen(self.tax) if waged and by_pay else None,
            deductions_fen=read_fen(self.deductions) if waged and by_pay else None,
            fixed_fen=read_fen(self.fixed, None) if category in _FIXED else None,
            override_fen=read_fen(self.override_amount, None) if overridden else None,
            override_reason=self.override_reason.text().strip() if overridden else "",
            note=self.note.text().strip())

    def _save(self) -> None:
        self.saved_id = dues.set_base(self.ctx.db, self.member_id, self.data())
