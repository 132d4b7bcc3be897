"""Settings › 党费: the rate brackets, the flat and farmers' amounts, the back-pay and advance limits,
rounding, and the arrears warnings."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.dues import DEFAULT_RULES, ROUNDING_LABELS, ROUNDINGS, Bracket, DuesRules, percent_text
from ...domain.fields import FieldError
from ...domain.members import yuan_to_fen
from ...services import dues
from ..context import AppContext
from ..forms import form_layout
from .common import SettingsGroup, hint

SOURCE = "依据《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）"
_PERCENT = re.compile(r"^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$")


def _yuan(fen: int) -> str:
    """3000 元 as "3000", 0.20 元 as "0.20"."""
    return str(fen // 100) if fen % 100 == 0 else f"{fen // 100}.{fen % 100:02d}"


def _amount(fen: int) -> str:
    """A monthly amount always with its fen (1 元 as "1.00"), like the 0.20 beside it."""
    return f"{fen // 100}.{fen % 100:02d}"


def _rate_bp(text: str) -> int | None:
    """"1.5" or "1.5%" → 150 basis points; None when it is no percentage."""
    m = _PERCENT.match(text.strip().replace("％", "%"))
    if not m:
        return None
    return int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))


class BracketsEdit(QWidget):
    """A bracket table: 基数上限（元） and 比例（%） per row; the last row has no upper limit."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("月基数不超过（元）"), self.tr("比例（%）")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)
        add = QPushButton(self.tr("增加一档"))
        add.clicked.connect(self.add_row)
        self.remove = QPushButton(self.tr("删除所选档"))
        self.remove.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(title), 1)
        buttons.addWidget(add)
        buttons.addWidget(self.remove)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.table)

    def set_brackets(self, brackets: tuple[Bracket, ...]) -> None:
        self.table.setRowCount(0)
        for b in brackets:
            self._append("" if b.up_to_fen is None else _yuan(b.up_to_fen), percent_text(b.rate_bp).rstrip("%"))
        self._mark_last()
        self.table.setFixedHeight(self.table.horizontalHeader().height() + 26 * 5 + 4)

    def _append(self, upper: str, rate: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((upper, rate)):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def _mark_last(self) -> None:
        """Every row has an upper limit but the last, which reads 以上 and takes none."""
        last = self.table.rowCount() - 1
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            flags = item.flags()
            if row == last:
                item.setText(self.tr("以上（不设上限）"))
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEditable)
            else:
                if not item.flags() & Qt.ItemFlag.ItemIsEditable:
                    item.setText("")
                item.setFlags(flags | Qt.ItemFlag.ItemIsEditable)
        self.remove.setEnabled(self.table.rowCount() > 1)

    def add_row(self) -> None:
        """A new bracket before the open-ended last one."""
        row = max(self.table.rowCount() - 1, 0)
        self.table.insertRow(row)
        for column in range(2):
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        self._mark_last()
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if self.table.rowCount() > 1 and row >= 0:
            self.table.removeRow(row)
            self._mark_last()

    def set_cell(self, row: int, column: int, text: str) -> None:
        self.table.item(row, column).setText(text)

    def brackets(self) -> tuple[tuple[Bracket, ...], list[str]]:
        """The brackets typed, and what is wrong with the text of any (then the brackets are partial)."""
        found: list[Bracket] = []
        problems: list[str] = []
        last = self.table.rowCount() - 1
        for row in range(self.table.rowCount()):
            upper: int | None = None
            if row < last:
                text = self.table.item(row, 0).text().strip()
                try:
                    upper = yuan_to_fen(text)
                except ValueError:
                    problems.append(self.tr("第{0}档上限“{1}”不是有效的金额").format(row + 1, text))
            text = self.table.item(row, 1).text().strip()
            rate = _rate_bp(text)
            if rate is None:
                problems.append(self.tr("第{0}档比例“{1}”不是有效的百分比（如 1.5）").format(row + 1, text))
            found.append(Bracket(upper, rate or 0))
        return tuple(found), problems


def _money() -> QLineEdit:
    edit = QLineEdit()
    edit.setMaximumWidth(110)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


def _months(maximum: int = 120) -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, maximum)
    box.setSuffix(" 个月")
    box.setMinimumWidth(110)
    return box


class DuesRulesGroup(SettingsGroup):
    """The dues rules (domain/dues.py DuesRules); the service refuses rules that cannot be used, each
    reason under its field."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.employed = BracketsEdit(self.tr("在职党员（税后月工资收入）"))
        self.retired = BracketsEdit(self.tr("离退休党员（月离退休费）"))
        d = DEFAULT_RULES
        brackets = QHBoxLayout()
        brackets.setSpacing(16)
        brackets.addWidget(self.form.field("employed", self.employed, hint(self.tr(
            "默认：3000元以下0.5%，3000至5000元1%，5000至10000元1.5%，10000元以上2%；全额按所在档比例计算"))), 1,
            Qt.AlignmentFlag.AlignTop)
        brackets.addWidget(self.form.field("retired", self.retired, hint(self.tr(
            "默认：5000元以下0.5%，5000元以上1%"))), 1, Qt.AlignmentFlag.AlignTop)
        self.add(brackets)

        self.flat = _money()
        self.farmer_min = _money()
        self.farmer_max = _money()
        self.rounding = QComboBox()
        for value in ROUNDINGS:
            self.rounding.addItem(self.tr(ROUNDING_LABELS[value]), value)
        self.back_pay = _months()
        self.advance = _months()
        self.warn = _months()
        self.danger = _months()
        self.lapse = _months()

        left = form_layout()
        left.addRow(self.tr("学生、下岗失业、低保（元/月）："), self.form.field("flat_fen", self.flat, hint(
            self.tr("默认 {0} 元").format(_amount(d.flat_fen)))))
        left.addRow(self.tr("农民党员每月不少于（元）："), self.form.field("farmer_min_fen", self.farmer_min, hint(
            self.tr("默认 {0} 元").format(_amount(d.farmer_min_fen)))))
        left.addRow(self.tr("农民党员每月不超过（元）："), self.form.field("farmer_max_fen", self.farmer_max, hint(
            self.tr("默认 {0} 元；具体金额按人设定").format(_amount(d.farmer_max_fen)))))
        middle = form_layout()
        middle.addRow(self.tr("金额舍入："), self.form.field("rounding", self.rounding, hint(
            self.tr("默认四舍五入到分（规定未作要求）"))))
        middle.addRow(self.tr("一次补交最多："), self.form.field("back_pay_max_months", self.back_pay, hint(
            self.tr("默认 {0} 个月（2008年规定第十二条）").format(d.back_pay_max_months))))
        middle.addRow(self.tr("一次预交最多："), self.form.field("advance_max_months", self.advance, hint(
            self.tr("默认 {0} 个月（各地规定）").format(d.advance_max_months))))
        right = form_layout()
        right.addRow(self.tr("累计欠缴提醒："), self.form.field("warn_months", self.warn, hint(
            self.tr("默认 {0} 个月，工作台列出").format(d.warn_months))))
        right.addRow(self.tr("连续欠缴警示："), self.form.field("danger_months", self.danger, hint(
            self.tr("默认 {0} 个月，工作台标红").format(d.danger_months))))
        right.addRow(self.tr("连续欠缴脱党："), self.form.field("lapse_months", self.lapse, hint(
            self.tr("默认 {0} 个月（党章第九条）").format(d.lapse_months))))
        columns = QGridLayout()
        columns.setHorizontalSpacing(24)
        for i, layout in enumerate((left, middle, right)):
            columns.addLayout(layout, 0, i)
            columns.setColumnStretch(i, 1)
        self.add(columns)
        self.add(hint(self.tr(SOURCE)))
        self.load()

    def _show(self, rules: DuesRules) -> None:
        self.employed.set_brackets(rules.employed)
        self.retired.set_brackets(rules.retired)
        self.flat.setText(_amount(rules.flat_fen))
        self.farmer_min.setText(_amount(rules.farmer_min_fen))
        self.farmer_max.setText(_amount(rules.farmer_max_fen))
        self.rounding.setCurrentIndex(max(self.rounding.findData(rules.rounding), 0))
        for box, value in ((self.back_pay, rules.back_pay_max_months), (self.advance, rules.advance_max_months),
                           (self.warn, rules.warn_months), (self.danger, rules.danger_months),
                           (self.lapse, rules.lapse_months)):
            box.setValue(value)

    def load(self) -> None:
        self._show(dues.load_rules(self.ctx.db))

    def defaults(self) -> None:
        self._show(DEFAULT_RULES)

    def _read(self) -> tuple[DuesRules, list[FieldError]]:
        """The rules the fields hold, and what text in them is no amount or percentage."""
        problems: list[FieldError] = []
        employed, wrong = self.employed.brackets()
        problems += [FieldError("employed", m) for m in wrong]
        retired, wrong = self.retired.brackets()
        problems += [FieldError("retired", m) for m in wrong]
        amounts = {}
        for name, edit in (("flat_fen", self.flat), ("farmer_min_fen", self.farmer_min),
                           ("farmer_max_fen", self.farmer_max)):
            try:
                amounts[name] = yuan_to_fen(edit.text())
            except ValueError as exc:
                amounts[name] = 0
                problems.append(FieldError(name, str(exc)))
        rules = DuesRules(employed=employed, retired=retired, **amounts,
                          back_pay_max_months=self.back_pay.value(), advance_max_months=self.advance.value(),
                          rounding=self.rounding.currentData(), warn_months=self.warn.value(),
                          danger_months=self.danger.value(), lapse_months=self.lapse.value())
        return rules, problems

    def check(self) -> list[FieldError]:
        return self._read()[1]

    def store(self) -> None:
        dues.save_rules(self.ctx.db, self._read()[0])

