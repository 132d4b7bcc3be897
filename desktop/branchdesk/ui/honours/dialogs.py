"""The dialogs of the 表彰评议 page: one commendation, one study output."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain import honours as rules
from ...domain.fields import FieldError
from ...domain.honours import CommendationData, Level, OutputKind, StudyOutputData, Title
from ...domain.organization import OrgKind
from ...services import honours, members, organizations
from ...services.honours import Commendation, StudyOutput
from ..context import AppContext
from ..forms import FormDialog, form_layout
from ..widgets import DateEdit


class ChoiceCombo(QComboBox):
    """A list of named records (members, organizations) in which typing any part of a name finds
    one; `chosen()` is the id of the record the text names (the whole entry, or a part of only
    one entry), None when it names none listed. When editing ends, a part is completed."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Sized by a name's length, not by measuring every entry of a long roll.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.lineEdit().setPlaceholderText(placeholder)
        completer = QCompleter(self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self._ids: list[int] = []

    def set_choices(self, choices: list[tuple[str, int]], chosen: int | None) -> None:
        """List `choices` (text, id), one string-list model rather than an addItem per entry."""
        self._ids = [record_id for _text, record_id in choices]
        model = QStringListModel([text for text, _id in choices], self)
        self.setModel(model)
        self.completer().setModel(model)
        self.choose(chosen)

    def choose(self, record_id: int | None) -> None:
        self.setCurrentIndex(self._ids.index(record_id) if record_id in self._ids else -1)

    def chosen(self) -> int | None:
        index = self._named()
        return self._ids[index] if index is not None else None

    def _named(self) -> int | None:
        """The row of the entry the text names, or None."""
        text, index = self.currentText().strip(), self.currentIndex()
        if 0 <= index < len(self._ids) and self.itemText(index) == text:
            return index  # picked from the list
        if not text:
            return None
        exact = self.findText(text, Qt.MatchFlag.MatchExactly)
        if exact >= 0:
            return exact
        found = self.model().match(self.model().index(0, 0), Qt.ItemDataRole.DisplayRole, text, 2,
                                    Qt.MatchFlag.MatchContains)
        return found[0].row() if len(found) == 1 else None

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # not its own list opening
            index = self._named()
            if index is not None and self.currentText() != self.itemText(index):
                self.setCurrentIndex(index)


def member_choices(ctx: AppContext, keep: int | None = None) -> list[tuple[str, int]]:
    """The members on the roll of the scope (and member `keep`, whatever their status), each
    named with their branch when the scope has several."""
    roll = [m for m in members.list_members(ctx.db, ctx.scope_id) if m.status.active or m.id == keep] \
        if ctx.scope_id is not None else []
    several = len({m.org_id for m in roll}) > 1
    return [(f"{m.name}（{m.org_name}）" if several else m.name, m.id) for m in roll]


def _combo(placeholder: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setPlaceholderText(placeholder)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(-1)
    return combo


class CommendationDialog(FormDialog):
    """Record a commendation (`commendation` None) or edit one. Who receives it follows the title:
    a member for 优秀共产党员 and 优秀党务工作者, an organization for 先进基层党组织 and 五好党支部,
    either for 其他 (whose name is typed). A new one starts from `year`, `level` and `title`."""

    def __init__(self, ctx: AppContext, commendation: Commendation | None = None, *,
                 year: int | None = None, level: Level | None = None, title: Title | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._save, self._check, parent)
        self.ctx = ctx
        self.commendation = commendation
        self.saved_id: int | None = commendation.id if commendation else None
        self.setWindowTitle(self.tr("编辑表彰") if commendation else self.tr("新增表彰"))
        self.setMinimumWidth(500)
        today = dt.date.today()

        self.title = _combo(self.tr("请选择称号"), [(t.label, t.value) for t in Title])
        self.title_text = QLineEdit()
        self.title_text.setMaxLength(40)
        self.title_text.setPlaceholderText(self.tr("称号为“其他”时填写，如：优秀党小组"))
        self.to_member = QRadioButton(self.tr("党员个人"))
        self.to_org = QRadioButton(self.tr("党组织"))
        self.to_member.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.to_member)
        kinds.addButton(self.to_org)
        kind_row = QWidget()
        row = QHBoxLayout(kind_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.to_member)
        row.addWidget(self.to_org)
        row.addStretch(1)
        self.recipient = ChoiceCombo(self.tr("输入名称查找"))
        self.recipient_hint = QLabel()
        self.recipient_hint.setObjectName("hint")
        self.level = _combo(self.tr("请选择级别"), [(lv.label, lv.value) for lv in Level])
        self.year = QSpinBox()
        self.year.setRange(rules.FIRST_YEAR, today.year + 1)
        self.year.setValue(today.year)
        self.year.setSuffix(self.tr(" 年"))
        self.year.setFixedWidth(110)
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText(self.tr("如：中共××市委"))
        self.document_no = QLineEdit()
        self.document_no.setPlaceholderText(self.tr("如：×委〔2024〕12号"))
        self.awarded_on = DateEdit()
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(56)
        self.note.setTabChangesFocus(True)

        form = form_layout()
        form.addRow(self.tr("称号："), self.field("title", self.title))
        form.addRow(self.tr("称号名称："), self.field("title_text", self.title_text))
        form.addRow(self.tr("授予："), kind_row)
        form.addRow(self.tr("表彰对象："), self.field("recipient", self.recipient, self.recipient_hint))
        form.addRow(self.tr("级别："), self.field("level", self.level))
        form.addRow(self.tr("年度："), self.field("year", self.year))
        form.addRow(self.tr("表彰单位："), self.field("issuer", self.issuer))
        form.addRow(self.tr("文号："), self.field("document_no", self.document_no))
        form.addRow(self.tr("表彰日期："), self.field("awarded_on", self.awarded_on))
        form.addRow(self.tr("备注："), self.field("note", self.note))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        # What was picked for each kind of recipient, kept while the user switches between them.
        self._picked: dict[bool, int | None] = {False: None, True: None}
        self._shown_org: bool | None = None
        if commendation:
            self._load(commendation)
        else:
            if year is not None:
                self.year.setValue(year)
            for combo, value in ((self.level, level), (self.title, title)):
                if value is not None:
                    combo.setCurrentIndex(combo.findData(value.value))
        self.title.currentIndexChanged.connect(self._title_changed)
        self.to_org.toggled.connect(self._kind_changed)
        self._title_changed()
        self._kind_changed()
        self.title.setFocus()

    def _load(self, c: Commendation) -> None:
        d = c.data
        self.title.setCurrentIndex(self.title.findData(d.title.value))
        self.title_text.setText(d.title_text)
        self._picked = {False: d.member_id, True: d.org_id}
        self.to_org.setChecked(c.to_organization)
        self.level.setCurrentIndex(self.level.findData(d.level.value))
        self.year.setValue(d.year)
        self.issuer.setText(d.issuer)
        self.document_no.setText(d.document_no)
        self.awarded_on.set_date_value(d.awarded_on)
        self.note.setPlainText(d.note)

    def _title(self) -> Title | None:
        value = self.title.currentData()
        return Title(value) if value else None

    def _level(self) -> Level | None:
        value = self.level.currentData()
        return Level(value) if value else None

    def _title_changed(self) -> None:
        title = self._title()
        self.title_text.setEnabled(title is Title.OTHER)
        wants_org = title.for_organizations if title else None
        if wants_org is not None:
            (self.to_org if wants_org else self.to_member).setChecked(True)
        if title is None:
            hint = ""
        elif wants_org is None:
            hint = self.tr("可授予党员个人或党组织")
        elif wants_org:
            hint = self.tr("“{0}”授予党组织").format(title.label)
        else:
            hint = self.tr("“{0}”授予党员个人").format(title.label)
        self.recipient_hint.setText(hint)
        self.recipient_hint.setVisible(bool(hint) and not self.error_text("recipient"))

    def _kind_changed(self) -> None:
        """List the members or the organizations, whichever the recipient is, keeping each pick."""
        to_org = self.to_org.isChecked()
        if self._shown_org is not None:
            self._picked[self._shown_org] = self.recipient.chosen()
        self._shown_org = to_org
        self.recipient.lineEdit().setPlaceholderText(
            self.tr("输入组织名称查找") if to_org else self.tr("输入姓名查找"))
        choices = self._org_choices() if to_org else member_choices(self.ctx, self._picked[False])
        self.recipient.set_choices(choices, self._picked[to_org])

    def _org_choices(self) -> list[tuple[str, int]]:
        """The organizations of the scope in tree order, a 党小组 named with its branch."""
        if self.ctx.scope_id is None:
            return []
        outline = organizations.outline(self.ctx.db, self.ctx.scope_id)
        names = {o.id: o.name for _depth, o in outline}
        choices = [(f"{o.name}（{names.get(o.parent_id or 0, '')}）" if o.kind is OrgKind.GROUP else o.name, o.id)
                   for _depth, o in outline]
        kept = self._picked[True]
        if kept is not None and kept not in names:  # recorded from a wider scope
            choices.append((organizations.get(self.ctx.db, kept).name, kept))
        return choices

    def _data(self, title: Title, level: Level) -> CommendationData:
        chosen = self.recipient.chosen()
        to_org = self.to_org.isChecked()
        return CommendationData(
            title=title, level=level, year=self.year.value(),
            member_id=None if to_org else chosen, org_id=chosen if to_org else None,
            title_text=self.title_text.text(), issuer=self.issuer.text(),
            document_no=self.document_no.text(), awarded_on=self.awarded_on.date_value(),
            note=self.note.toPlainText())

    def _check(self) -> list[FieldError]:
        """What the form finds itself; with any of it the service is not asked, so the rules are
        checked here too and every problem shows at once."""
        title, level = self._title(), self._level()
        problems = []
        if title is None:
            problems.append(FieldError("title", self.tr("请选择称号")))
        if level is None:
            problems.append(FieldError("level", self.tr("请选择级别")))
        if self.recipient.chosen() is None:
            problems.append(FieldError("recipient", self.tr("请从列表中选择党组织") if self.to_org.isChecked()
                                       else self.tr("请从列表中选择党员")))
        if (problems or self.form.date_problems()) and title is not None and level is not None:
            found = {p.field for p in problems}
            problems += [p for p in rules.validate_commendation(self._data(title, level), dt.date.today())
                         if p.field not in found]
        return problems

    def _save(self) -> None:
        title, level = self._title(), self._level()
        assert title is not None and level is not None  # _check saw to it
        data = self._data(title, level)
        if self.commendation:
            honours.update_commendation(self.ctx.db, self.commendation.id, data)
        else:
            self.saved_id = honours.create_commendation(self.ctx.db, data)


class StudyOutputDialog(FormDialog):
    """Record a member's study output (`output` None) or edit one."""

    def __init__(self, ctx: AppContext, output: StudyOutput | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._save, self._check, parent)
        self.ctx = ctx
        self.output = output
        self.saved_id: int | None = output.id if output else None
        self.setWindowTitle(self.tr("编辑学习成果") if output else self.tr("新增学习成果"))
        self.setMinimumWidth(500)

        self.member = ChoiceCombo(self.tr("输入姓名查找"))
        self.kind = QComboBox()
        for kind in OutputKind:
            self.kind.addItem(kind.label, kind.value)
        self.title = QLineEdit()
        self.title.setMaxLength(100)
        self.written_on = DateEdit()
        self.published_in = QLineEdit()
        self.published_in.setPlaceholderText(self.tr("如：《机关党建》2024年第3期"))
        self.award = QLineEdit()
        self.award.setPlaceholderText(self.tr("如：市直机关征文一等奖"))
        self.note = QLineEdit()

        form = form_layout()
        form.addRow(self.tr("党员："), self.field("member_id", self.member))
        form.addRow(self.tr("类型："), self.field("kind", self.kind))
        form.addRow(self.tr("题目："), self.field("title", self.title))
        form.addRow(self.tr("完成日期："), self.field("written_on", self.written_on))
        form.addRow(self.tr("发表刊物："), self.field("published_in", self.published_in))
        form.addRow(self.tr("获奖情况："), self.field("award", self.award))
        form.addRow(self.tr("备注："), self.field("note", self.note))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        d = output.data if output else None
        self.member.set_choices(member_choices(ctx, d.member_id if d else None), d.member_id if d else None)
        if d:
            self.kind.setCurrentIndex(self.kind.findData(d.kind.value))
            self.title.setText(d.title)
            self.written_on.set_date_value(d.written_on)
            self.published_in.setText(d.published_in)
            self.award.setText(d.award)
            self.note.setText(d.note)
        else:
            self.written_on.set_date_value(dt.date.today())
        self.member.setFocus()

    def _data(self) -> StudyOutputData:
        return StudyOutputData(
            member_id=self.member.chosen() or 0, kind=OutputKind(self.kind.currentData()),
            title=self.title.text(), written_on=self.written_on.date_value(),
            published_in=self.published_in.text(), award=self.award.text(), note=self.note.text())

    def _check(self) -> list[FieldError]:
        problems = []
        if self.member.chosen() is None:
            problems.append(FieldError("member_id", self.tr("请从列表中选择党员")))
        if problems or self.form.date_problems():
            problems += rules.validate_study_output(self._data(), dt.date.today())
        return problems

    def _save(self) -> None:
        data = self._data()
        if self.output:
            honours.update_study_output(self.ctx.db, self.output.id, data)
        else:
            self.saved_id = honours.create_study_output(self.ctx.db, data)
