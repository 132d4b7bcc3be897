"""The member form (新增 / 编辑 / 转入), and the base of the page's other dialogs about a member."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain import idnumber
from ...domain import members as rules
from ...domain.fields import FieldError
from ...domain.members import (
    EDUCATION_LEVELS,
    GENDERS,
    DuesCategory,
    MemberData,
    Standing,
    fen_to_yuan,
    yuan_to_fen,
)
from ...services import members, organizations
from ...services.members import Member
from ..context import AppContext
from ..forms import Check, FormDialog, form_layout
from ..widgets import DateEdit


def member_holding_orgs(ctx: AppContext) -> list[tuple[str, int]]:
    """(indented name, id) of the organizations under the scope that keep members, in tree order."""
    if ctx.scope_id is None:
        return []
    return [("　" * depth + org.name, org.id)
            for depth, org in organizations.outline(ctx.db, ctx.scope_id) if org.holds_members]


class MemberForm(FormDialog):
    """A form about one member; `member_id` is that member, or (for a new one) the one saved:
    the page selects it."""

    def __init__(self, ctx: AppContext, save: Callable[[], object], check: Check | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(save, check, parent)
        self.ctx = ctx
        self.member_id: int | None = None


class MemberDialog(MemberForm):
    """Add (`member` None), edit, or receive by transfer (`transfer_in`) one member.

    On success `member_id` is the member saved.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, member: Member | None = None,
                 transfer_in: bool = False) -> None:
        super().__init__(ctx, self._save, self._check, parent)
        self.member = member
        self.member_id = member.id if member else None
        self.transfer_in = transfer_in
        if member:
            title = self.tr("编辑党员：{0}").format(member.name)
        elif transfer_in:
            title = self.tr("组织关系转入")
        else:
            title = self.tr("新增党员")
        self.setWindowTitle(title)
        self.setMinimumWidth(760)

        self.name = QLineEdit()
        self.name.setMaxLength(30)
        self.gender = QComboBox()
        self.gender.addItems(list(GENDERS))
        self.gender.setPlaceholderText(self.tr("请选择"))
        self.gender.setCurrentIndex(-1)
        self.ethnicity = QLineEdit(self.tr("汉族"))
        self.birth_date = DateEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(20)
        self.id_number.setPlaceholderText(self.tr("18位，末位可为X"))
        self.id_hint = QLabel()
        self.id_hint.setObjectName("hint")
        self.id_hint.setWordWrap(True)
        self.id_hint.hide()
        self.education = QComboBox()
        self.education.setEditable(True)
        self.education.addItems(list(EDUCATION_LEVELS))
        self.education.setCurrentIndex(-1)
        self.education.lineEdit().setPlaceholderText(self.tr("选择或输入"))
        self.phone = QLineEdit()

        self.org = QComboBox()
        self.org_label = QLabel()
        self.standing = QComboBox()
        for standing in Standing:
            self.standing.addItem(standing.label, standing)
        self.joined_on = DateEdit()
        self.full_on = DateEdit()
        self.probation = QLabel()
        self.probation.setObjectName("hint")
        self.probation.setWordWrap(True)
        self.dues_category = QComboBox()
        for category in DuesCategory:
            self.dues_category.addItem(category.label, category)
        self.dues_base = QLineEdit()
        self.dues_base.setPlaceholderText("0.00")
        self.group = QComboBox()
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(52)

        left = form_layout()
        left.addRow(self.tr("姓名"), self.field("name", self.name))
        left.addRow(self.tr("性别"), self.field("gender", self.gender))
        left.addRow(self.tr("民族"), self.field("ethnicity", self.ethnicity))
        left.addRow(self.tr("出生日期"), self.field("birth_date", self.birth_date))
        left.addRow(self.tr("身份证号"), self.field("id_number", self.id_number, self.id_hint))
        left.addRow(self.tr("学历"), self.field("education", self.education))
        left.addRow(self.tr("联系电话"), self.field("phone", self.phone))

        right = form_layout()
        orgs = member_holding_orgs(ctx)
        if member is not None or len(orgs) == 1:
            self.org_label.setText(member.org_name if member else orgs[0][0].strip())
            self.org.hide()
            right.addRow(self.tr("所在支部"), self.org_label)
            self._fixed_org: int | None = member.org_id if member else orgs[0][1]
        else:
            self._fixed_org = None
            self.org.addItem(self.tr("请选择所在支部"), None)
            for label, org_id in orgs:
                self.org.addItem(label, org_id)
            self.org.currentIndexChanged.connect(self._fill_groups)
            right.addRow(self.tr("所在支部"), self.field("org_id", self.org))
        right.addRow(self.tr("人员类别"), self.field("standing", self.standing))
        right.addRow(self.tr("入党日期"), self.field("joined_on", self.joined_on))
        right.addRow(self.tr("转正日期"), self.field("full_on", self.full_on))
        right.addRow(self.tr("预备期"), self.field("probation_extension_months", self.probation))
        right.addRow(self.tr("党费类别"), self.field("dues_category", self.dues_category))
        right.addRow(self.tr("党费基数（元/月）"), self.field("dues_base_fen", self.dues_base))
        right.addRow(self.tr("党小组"), self.field("group_id", self.group))

        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        notes = form_layout()
        notes.addRow(self.tr("备注"), self.field("note", self.note))
        layout.addLayout(notes)

        if transfer_in:
            self._build_transfer_box(layout)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self.standing.currentIndexChanged.connect(self._standing_changed)
        self.joined_on.dateChanged.connect(self._update_probation)
        # textEdited (not textChanged) runs after field() has cleared the old error.
        self.id_number.textEdited.connect(self._check_id_number)
        for changed in (self.birth_date.dateChanged, self.gender.currentIndexChanged):
            changed.connect(lambda _v: self._check_id_number(self.id_number.text()))
        self._fill_groups()
        if member is not None:
            self._load(member)
        self._standing_changed()

    def _build_transfer_box(self, layout: QVBoxLayout) -> None:
        box = QGroupBox(self.tr("组织关系转入"))
        form = form_layout()
        self.counterpart = QLineEdit()
        self.counterpart.setPlaceholderText(self.tr("原所在党组织全称"))
        self.on_date = DateEdit()
        self.on_date.set_date_value(dt.date.today())
        self.letter_no = QLineEdit()
        self.transfer_note = QLineEdit()
        form.addRow(self.tr("转出单位"), self.field("counterpart", self.counterpart))
        form.addRow(self.tr("转入日期"), self.field("on_date", self.on_date))
        form.addRow(self.tr("介绍信编号"), self.field("letter_no", self.letter_no))
        form.addRow(self.tr("转接说明"), self.field("transfer_note", self.transfer_note))
        box.setLayout(form)
        layout.addWidget(box)

    def _load(self, m: Member) -> None:
        d = m.data
        self.name.setText(d.name)
        self.gender.setCurrentIndex(self.gender.findText(d.gender))
        self.ethnicity.setText(d.ethnicity)
        self.birth_date.set_date_value(d.birth_date)
        self.id_number.setText(d.id_number)
        self.education.setCurrentText(d.education)
        self.phone.setText(d.phone)
        self.standing.setCurrentIndex(self.standing.findData(d.standing))
        self.joined_on.set_date_value(d.joined_on)
        self.full_on.set_date_value(d.full_on)
        self.dues_category.setCurrentIndex(self.dues_category.findData(d.dues_category))
        self.dues_base.setText(fen_to_yuan(d.dues_base_fen))
        self.group.setCurrentIndex(max(self.group.findData(d.group_id), 0))
        self.note.setPlainText(d.note)
        self._check_id_number(d.id_number)

    def _org_id(self) -> int | None:
        return self._fixed_org if self._fixed_org is not None else self.org.currentData()

    def _standing(self) -> Standing:
        return Standing(self.standing.currentData())  # combo data comes back as plain str

    def _fill_groups(self) -> None:
        """The chosen branch's 党小组 (kept selected when still there)."""
        keep = self.group.currentData()
        self.group.clear()
        self.group.addItem(self.tr("无"), None)
        org_id = self._org_id()
        for g in organizations.groups_of(self.ctx.db, org_id) if org_id is not None else []:
            self.group.addItem(g.name, g.id)
        self.group.setCurrentIndex(max(self.group.findData(keep), 0))

    def _standing_changed(self) -> None:
        # The date stays as typed while disabled, so switching back and forth loses nothing.
        self.full_on.setEnabled(self._standing() is Standing.FULL)
        self._update_probation()

    def _update_probation(self) -> None:
        extension = self.member.data.probation_extension_months if self.member else 0
        joined = self.joined_on.date_value()
        if self._standing() is Standing.FULL:
            text = "—"
        elif joined is None:
            text = self.tr("填写入党日期后显示预备期满日期")
        else:
            text = self.tr("预备期满：{0}").format(rules.probation_end(joined, extension).isoformat())
        if extension:
            text += self.tr("（已延长{0}个月）").format(extension)
        self.probation.setText(text)

    def _check_id_number(self, text: str) -> None:
        """Check the number as the user types; a valid one fills an empty birth date and gender.

        A problem goes to the field's red error line (where a refused save puts it too), the
        progress and the confirmation to the grey hint line beneath.
        """
        number = idnumber.normalize(text)
        why = None
        if len(number) >= 18:
            if idnumber.problem(number) is None:
                if self.birth_date.date_value() is None:
                    self.birth_date.set_date_value(idnumber.birth_date(number))
                if self.gender.currentIndex() < 0:
                    self.gender.setCurrentText(idnumber.gender(number))
            why = idnumber.problem(number, self.birth_date.date_value())
            if why is None and self.gender.currentText() != idnumber.gender(number):
                why = self.tr("号码第17位表示{0}性，与性别不一致").format(idnumber.gender(number))
        self.form.mark("id_number", [why] if why else [])  # an error also hides the hint
        if why:
            return
        if not number:
            self.id_hint.hide()
            return
        if len(number) < 18:
            self.id_hint.setText(self.tr("已输入{0}位，共18位").format(len(number)))
        else:
            self.id_hint.setText(self.tr("✓ 号码有效：{0}出生，{1}").format(
                idnumber.birth_date(number).isoformat(), idnumber.gender(number)))
        self.id_hint.show()

    def _dues_base(self) -> int | None:
        try:
            return yuan_to_fen(self.dues_base.text() or "0")
        except ValueError:
            return None

    def _data(self) -> MemberData:
        standing = self._standing()
        return MemberData(
            name=self.name.text(), gender=self.gender.currentText(),
            birth_date=self.birth_date.date_value(), standing=standing,
            joined_on=self.joined_on.date_value(), ethnicity=self.ethnicity.text().strip(),
            id_number=self.id_number.text(), education=self.education.currentText().strip(),
            full_on=self.full_on.date_value() if standing is Standing.FULL else None,
            dues_category=DuesCategory(self.dues_category.currentData()),
            dues_base_fen=self._dues_base() or 0,
            group_id=self.group.currentData(), phone=self.phone.text(),
            note=self.note.toPlainText().strip(),
            probation_extension_months=self.member.data.probation_extension_months if self.member else 0,
        )

    def _check(self) -> list[FieldError]:
        """The problems the form finds itself. With any of them (or a mistyped date) the service is
        not called, so the member rules are checked here too and every problem shows at once."""
        problems: list[FieldError] = []
        if self._dues_base() is None:
            problems.append(FieldError("dues_base_fen", self.tr("应为金额，如 5100 或 5100.50")))
        if self._org_id() is None:
            problems.append(FieldError("org_id", self.tr("请选择党员所在的支部")))
        if self.transfer_in:
            if not self.counterpart.text().strip():
                problems.append(FieldError("counterpart", self.tr("不能为空")))
            if self.on_date.date_value() is None:
                problems.append(FieldError("on_date", self.tr("不能为空")))
        if problems or self.form.date_problems():
            problems += rules.validate(self._data())
        return problems

    def _save(self) -> None:
        org_id, data, db = self._org_id(), self._data(), self.ctx.db
        assert org_id is not None  # _check saw to it
        if self.member is not None:
            members.update(db, self.member.id, data)
        elif self.transfer_in:
            on = self.on_date.date_value()
            assert on is not None
            self.member_id = members.transfer_in(
                db, org_id, data, on, self.counterpart.text(), self.letter_no.text(),
                self.transfer_note.text())
        else:
            self.member_id = members.create(db, org_id, data)
