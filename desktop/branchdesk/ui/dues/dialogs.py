"""The dialogs of the 党费 page about payments: record one (one or several months), exempt a month,
and record a remittance upward (上缴)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.dues import month_key, parse_month
from ...domain.fields import FieldError
from ...domain.members import fen_to_yuan, yuan_to_fen
from ...services import dues
from ...services.dues import GridRow
from ..context import AppContext
from ..forms import FormDialog, form_layout
from ..widgets import DateEdit
from .grid_model import payable


def read_fen(edit: QLineEdit, blank: int | None = 0) -> int | None:
    """The yuan typed in `edit` as fen (`blank` when empty); None when it is no amount."""
    text = edit.text().strip()
    if not text:
        return blank
    try:
        return yuan_to_fen(text)
    except ValueError:
        return None


AMOUNT_PROBLEM = "应为金额，如 76.50"


def amount_edit(placeholder: str = "0.00") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(14)
    return edit


def hint_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class MonthPicker(QWidget):
    """The twelve months of a year as toggle buttons; only the months a payment may cover are
    enabled (the others are paid, exempt or not due). `months()` is what is checked, in order."""

    def __init__(self, row: GridRow, chosen: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A checked month must stand out from the open ones at a glance.
        self.setStyleSheet("QPushButton#monthToggle:checked { background: #c8161d; border-color: #a51219;"
                           " color: #ffffff; }")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        for i, cell in enumerate(row.cells):
            button = QPushButton(self.tr("{0}月").format(i + 1))
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setObjectName("monthToggle")
            open_ = payable(cell)
            button.setEnabled(open_)
            button.setChecked(open_ and cell.month in chosen)
            if not open_:
                button.setToolTip(self.tr("此月已交、免交，或不在本支部"))
            grid.addWidget(button, i // 6, i % 6)
            self.buttons[cell.month] = button

    def months(self) -> list[str]:
        return [month for month, button in self.buttons.items() if button.isChecked()]


class PaymentDialog(FormDialog):
    """Record one payment by `row`'s member covering the months checked (those selected in the grid
    to start with). The amount follows the months' dues until the user types another."""

    def __init__(self, ctx: AppContext, row: GridRow, months: list[str], today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._save, self._check, parent)
        self.ctx = ctx
        self.row = row
        self.today = today
        self.saved_id: int | None = None
        self._due = {c.month: c.due_fen for c in row.cells}
        self.setWindowTitle(self.tr("登记缴费：{0}").format(row.name))
        self.setMinimumWidth(520)

        self.months = MonthPicker(row, months)
        self.months_hint = hint_label()
        self.paid_on = DateEdit()
        self.paid_on.set_date_value(today)
        self.amount = amount_edit()
        self.amount_hint = hint_label()
        self._amount_typed = False
        self.extra = amount_edit(self.tr("自愿多交的部分，可不填"))
        self.receipt_no = QLineEdit()
        self.receipt_no.setMaxLength(40)
        self.note = QLineEdit()
        self.note.setMaxLength(200)

        form = form_layout()
        form.addRow(self.tr("党员"), QLabel(self.tr("{0}（{1}）　月应交 {2} 元").format(
            row.name, row.branch_name, fen_to_yuan(row.due_fen))))
        form.addRow(self.tr("交纳月份"), self.field("months", self.months, self.months_hint))
        form.addRow(self.tr("交纳日期"), self.field("paid_on", self.paid_on))
        form.addRow(self.tr("实交金额（元）"), self.field("amount_fen", self.amount, self.amount_hint))
        form.addRow(self.tr("自愿多交（元）"), self.field("extra_fen", self.extra))
        form.addRow(self.tr("收据号"), self.field("receipt_no", self.receipt_no))
        form.addRow(self.tr("备注"), self.field("note", self.note))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        for button in self.months.buttons.values():
            button.toggled.connect(lambda _on: self._months_changed())
        self.amount.textEdited.connect(self._amount_edited)
        self._months_changed()
        self.amount.setFocus()

    def _amount_edited(self, text: str) -> None:
        self._amount_typed = bool(text.strip())

    def due_fen(self) -> int:
        return sum(self._due[m] for m in self.months.months())

    def _months_changed(self) -> None:
        self.form.mark("months", [])
        chosen = self.months.months()
        due = self.due_fen()
        if chosen:
            self.months_hint.setText(self.tr("已选 {0} 个月，应交合计 {1} 元").format(len(chosen), fen_to_yuan(due)))
        else:
            self.months_hint.setText(self.tr("点选要交纳的月份；一次可交多个月"))
        self.months_hint.show()
        if not self._amount_typed:
            self.amount.setText(fen_to_yuan(due) if chosen else "")
        self.amount_hint.setText(self.tr("应与所选月份的应交合计相等；多交的部分请填在“自愿多交”"))

    def _check(self) -> list[FieldError]:
        problems = []
        if read_fen(self.amount, None) is None:
            problems.append(FieldError("amount_fen", self.tr(AMOUNT_PROBLEM) if self.amount.text().strip()
                                       else self.tr("不能为空")))
        if read_fen(self.extra) is None:
            problems.append(FieldError("extra_fen", self.tr(AMOUNT_PROBLEM)))
        if self.paid_on.date_value() is None and not self.paid_on.text().strip():
            problems.append(FieldError("paid_on", self.tr("不能为空")))
        return problems

    def _save(self) -> None:
        paid_on, amount = self.paid_on.date_value(), read_fen(self.amount, None)
        assert paid_on is not None and amount is not None  # _check saw to it
        self.saved_id = dues.record_payment(
            self.ctx.db, self.row.member_id, self.months.months(), paid_on, amount,
            receipt_no=self.receipt_no.text().strip(), extra_fen=read_fen(self.extra) or 0,
            note=self.note.text().strip(), today=self.today)


class ExemptDialog(FormDialog):
    """Exempt one of `row`'s unpaid months (`month` to start with), with the reason."""

    def __init__(self, ctx: AppContext, row: GridRow, month: str | None, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._save, None, parent)
        self.ctx = ctx
        self.row = row
        self.today = today
        self.setWindowTitle(self.tr("免交党费：{0}").format(row.name))
        self.setMinimumWidth(440)
        self.month = QComboBox()
        for cell in row.cells:
            if cell.state == "unpaid":
                year, number = cell.month.split("-")
                self.month.addItem(self.tr("{0}年{1}月").format(year, int(number)), cell.month)
        self.month.setCurrentIndex(max(self.month.findData(month), 0))
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("如：经支部委员会研究，因生活困难免交"))
        form = form_layout()
        form.addRow(self.tr("党员"), QLabel(row.name))
        form.addRow(self.tr("月份"), self.field("month", self.month))
        form.addRow(self.tr("免交理由"), self.field("reason", self.reason))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def _save(self) -> None:
        dues.exempt(self.ctx.db, self.row.member_id, self.month.currentData(), self.reason.text().strip(),
                    today=self.today)


class MonthEdit(QLineEdit):
    """A month field: 2026-03, 2026/3, 2026年3月 or 202603; `month()` is 'YYYY-MM' or None."""

    def __init__(self, month: str = "", parent: QWidget | None = None) -> None:
        super().__init__(month, parent)
        self.setPlaceholderText(self.tr("年-月，如 2026-01"))
        self.setMaxLength(12)
        self.editingFinished.connect(self._tidy)

    def month(self) -> str | None:
        try:
            return parse_month(self.text())
        except ValueError:
            return None

    def _tidy(self) -> None:
        value = self.month()
        if value is not None:
            self.setText(value)


def month_problem(edit: MonthEdit) -> str | None:
    if not edit.text().strip():
        return "不能为空"
    return None if edit.month() is not None else "不是有效的月份，请按 2026-01 的格式填写"


class RemittanceDialog(FormDialog):
    """Record a remittance of collected dues to the level above (上缴): which branch, for which
    months, how much, when, and the receipt."""

    def __init__(self, ctx: AppContext, scope_id: int, branches: list[tuple[str, int]], year: int,
                 today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(self._save, self._check, parent)
        self.ctx = ctx
        self.today = today
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("登记上缴党费"))
        self.setMinimumWidth(460)
        self.org = QComboBox()
        for name, org_id in branches:
            self.org.addItem(name, org_id)
        # The last quarter of `year` over by `today` (the first when none is) as the period to start with.
        done = 4 if year < today.year else (today.month - 1) // 3 if year == today.year else 0
        quarter = max(done, 1)
        self.period_from = MonthEdit(month_key(year, quarter * 3 - 2))
        self.period_to = MonthEdit(month_key(year, quarter * 3))
        self.amount = amount_edit()
        self.amount_hint = hint_label()
        self._amount_typed = False
        # What each branch collected month by month in `year`: the amount to suggest for a period.
        self._collected = {b.branch_id: [m.paid_fen for m in b.months]
                           for b in dues.branch_months(ctx.db, scope_id, year, today)}
        self.year = year
        self.remitted_on = DateEdit()
        self.remitted_on.set_date_value(today)
        self.receipt_no = QLineEdit()
        self.receipt_no.setMaxLength(40)
        self.note = QLineEdit()
        self.note.setMaxLength(200)
        form = form_layout()
        form.addRow(self.tr("支部"), self.field("org_id", self.org))
        form.addRow(self.tr("所属期间自"), self.field("period_from", self.period_from))
        form.addRow(self.tr("至"), self.field("period_to", self.period_to))
        form.addRow(self.tr("上缴金额（元）"), self.field("amount_fen", self.amount, self.amount_hint))
        form.addRow(self.tr("上缴日期"), self.field("remitted_on", self.remitted_on))
        form.addRow(self.tr("收据号"), self.field("receipt_no", self.receipt_no))
        form.addRow(self.tr("备注"), self.field("note", self.note))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.amount.textEdited.connect(lambda text: setattr(self, "_amount_typed", bool(text.strip())))
        self.org.currentIndexChanged.connect(lambda _i: self._suggest())
        for edit in (self.period_from, self.period_to):
            edit.textChanged.connect(lambda _t: self._suggest())
        self._suggest()
        self.amount.setFocus()

    def collected_fen(self) -> int | None:
        """What the chosen branch collected for the period's months of the year; None when the
        period is not readable."""
        start, end = self.period_from.month(), self.period_to.month()
        if start is None or end is None or start > end:
            return None
        months = self._collected.get(self.org.currentData(), [0] * 12)
        return sum(paid for i, paid in enumerate(months) if start <= month_key(self.year, i + 1) <= end)

    def _suggest(self) -> None:
        collected = self.collected_fen()
        if collected is None:
            self.amount_hint.setText(self.tr("填写所属期间后显示该期间实收金额"))
            return
        self.amount_hint.setText(self.tr("该期间{0}年内实收 {1} 元").format(self.year, fen_to_yuan(collected)))
        if not self._amount_typed:
            self.amount.setText(fen_to_yuan(collected))

    def _check(self) -> list[FieldError]:
        problems = [FieldError(name, why) for name, edit in (("period_from", self.period_from),
                                                             ("period_to", self.period_to))
                    if (why := month_problem(edit))]
        if read_fen(self.amount, None) is None:
            problems.append(FieldError("amount_fen", self.tr(AMOUNT_PROBLEM) if self.amount.text().strip()
                                       else self.tr("不能为空")))
        if self.remitted_on.date_value() is None and not self.remitted_on.text().strip():
            problems.append(FieldError("remitted_on", self.tr("不能为空")))
        return problems

    def _save(self) -> None:
        on, amount = self.remitted_on.date_value(), read_fen(self.amount, None)
        start, end = self.period_from.month(), self.period_to.month()
        assert on is not None and amount is not None and start and end  # _check saw to it
        self.saved_id = dues.record_remittance(
            self.ctx.db, self.org.currentData(), start, end, amount, on,
            receipt_no=self.receipt_no.text().strip(), note=self.note.text().strip(), today=self.today)
