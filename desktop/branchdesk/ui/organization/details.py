"""An organization's own fields: the details form and the dialog that creates a sub-organization."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.organization import CHILD_KINDS, OrgKind
from ...services import organizations as orgs
from ..context import AppContext
from ..forms import Form, FormDialog, form_layout
from ..widgets import DateEdit


class _Label(QLabel):
    """Text in the details grid as tall as a field and kept level with its top, so that it stays
    beside its field when an error line opens beneath (a QFormLayout does this by itself; this
    form has two columns)."""

    def __init__(self, text: str, field: QWidget) -> None:
        super().__init__(text)
        self._field = field

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self._field.sizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class OrgDetails(QGroupBox):
    """The selected organization's name, founding date and contact, saved with 保存."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("基本信息"))
        self.ctx = ctx
        self.org: orgs.Organization | None = None
        self.form = Form()

        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.kind = _Label("", self.name)
        self.parent_name = _Label("", self.name)
        self.established = DateEdit()
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.note = QLineEdit()
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.saved_hint = QLabel()
        self.saved_hint.setObjectName("hint")
        for edit in (self.name, self.established, self.contact, self.phone, self.note):
            edit.textEdited.connect(self.saved_hint.clear)
            edit.returnPressed.connect(self.save)
        self.established.dateChanged.connect(self.saved_hint.clear)  # picked from the calendar

        grid = QGridLayout()
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        cells = [
            [(self.tr("名称："), self.form.field("org_name", self.name)), (self.tr("类别："), self.kind)],
            [(self.tr("成立日期："), self.form.field("established_on", self.established)),
             (self.tr("上级组织："), self.parent_name)],
            [(self.tr("联系人："), self.form.field("contact", self.contact)),
             (self.tr("联系电话："), self.form.field("phone", self.phone))],
        ]
        for row, pairs in enumerate(cells):
            for column, (label, cell) in enumerate(pairs):
                grid.addWidget(_Label(label, self.name), row, 2 * column, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(cell, row, 2 * column + 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(_Label(self.tr("备注："), self.name), 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.form.field("note", self.note), 3, 1, 1, 3)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.saved_hint)
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.form.general_error)
        layout.addLayout(actions)

    def show_org(self, org: orgs.Organization, parent_name: str) -> None:
        """Fill the form with `org`; unsaved typing in the same organization's form is kept
        (a reload after, say, a committee change must not wipe it)."""
        same = self.org is not None and self.org.id == org.id
        keep_typed = same and self.edited()
        if not same:
            self.saved_hint.clear()
        self.org = org
        self.kind.setText(org.kind.label)
        self.parent_name.setText(parent_name or self.tr("（无，最上级）"))
        if keep_typed:
            return
        self.form.clear()
        self.name.setText(org.name)
        self.established.set_date_value(org.established_on)
        self.contact.setText(org.contact)
        self.phone.setText(org.phone)
        self.note.setText(org.note)

    def edited(self) -> bool:
        """Whether the form differs from the organization as stored."""
        o = self.org
        return o is not None and (
            self.name.text() != o.name or self.established.date_value() != o.established_on
            or self.established.problem() is not None
            or self.contact.text() != o.contact or self.phone.text() != o.phone
            or self.note.text() != o.note)

    def save(self) -> bool:
        """Save the form; a refused save leaves what was typed, with the reason under the field."""
        if self.org is None:
            return False
        org_id = self.org.id
        if not self.form.submit(lambda: orgs.update(
                self.ctx.db, org_id, self.name.text(), self.established.date_value(),
                self.contact.text(), self.phone.text(), self.note.text())):
            return False
        self.ctx.notify_changed()
        self.saved_hint.setText(self.tr("已保存"))
        return True


class NewOrgDialog(FormDialog):
    """Create an organization under `parent_org`, of a kind allowed beneath it."""

    def __init__(self, ctx: AppContext, parent_org: orgs.Organization,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._save, parent=parent)
        self.ctx = ctx
        self.parent_org = parent_org
        self.created_id: int | None = None
        self.setWindowTitle(self.tr("新建下级组织"))
        self.setMinimumWidth(420)
        self.save_button.setText(self.tr("创建"))

        self.kind = QComboBox()
        for kind in CHILD_KINDS[parent_org.kind]:
            self.kind.addItem(kind.label, kind.value)
        # Under a 党委 the usual new child is a 党支部, not another 党委.
        self.kind.setCurrentIndex(max(self.kind.findData(OrgKind.BRANCH.value), 0))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.established = DateEdit()
        self._kind_changed()

        form = form_layout()
        form.addRow(self.tr("上级组织："), QLabel(parent_org.name))
        form.addRow(self.tr("类别："), self.kind)
        form.addRow(self.tr("名称："), self.field("org_name", self.name))
        form.addRow(self.tr("成立日期："), self.field("established_on", self.established))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.name.setFocus()

    def _kind_changed(self) -> None:
        examples = {
            OrgKind.COMMITTEE: self.tr("例如：市财政局机关党委"),
            OrgKind.GENERAL_BRANCH: self.tr("例如：机关第一党总支"),
            OrgKind.BRANCH: self.tr("例如：办公室党支部"),
            OrgKind.GROUP: self.tr("例如：第一党小组"),
        }
        self.name.setPlaceholderText(examples[OrgKind(self.kind.currentData())])

    def _save(self) -> None:
        self.created_id = orgs.create(self.ctx.db, self.parent_org.id,
                                      OrgKind(self.kind.currentData()), self.name.text(),
                                      self.established.date_value())
        self.ctx.notify_changed()
