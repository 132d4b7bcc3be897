"""An organization's own fields: the details form and the dialog that creates a sub-organization."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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
from ...services.errors import ServiceError, ValidationError
from ..context import AppContext
from ..widgets import DateEdit, ErrorLabel, refuse
from .forms import date_cell, mark, with_error


class OrgDetails(QGroupBox):
    """The selected organization's name, founding date and contact, saved with 保存."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("基本信息"))
        self.ctx = ctx
        self.org: orgs.Organization | None = None

        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.name_error = ErrorLabel()
        self.kind = QLabel()
        self.parent_name = QLabel()
        self.established = DateEdit()
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.note = QLineEdit()
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.saved_hint = QLabel()
        self.saved_hint.setObjectName("hint")
        for edit in (self.name, self.contact, self.phone, self.note):
            edit.textEdited.connect(self.saved_hint.clear)
            edit.returnPressed.connect(self.save)

        grid = QGridLayout(self)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        grid.setHorizontalSpacing(10)
        grid.addWidget(QLabel(self.tr("名称：")), 0, 0)
        grid.addWidget(with_error(self.name, self.name_error), 0, 1)
        grid.addWidget(QLabel(self.tr("类别：")), 0, 2)
        grid.addWidget(self.kind, 0, 3)
        grid.addWidget(QLabel(self.tr("成立日期：")), 1, 0)
        grid.addWidget(date_cell(self.established), 1, 1)
        grid.addWidget(QLabel(self.tr("上级组织：")), 1, 2)
        grid.addWidget(self.parent_name, 1, 3)
        grid.addWidget(QLabel(self.tr("联系人：")), 2, 0)
        grid.addWidget(self.contact, 2, 1)
        grid.addWidget(QLabel(self.tr("联系电话：")), 2, 2)
        grid.addWidget(self.phone, 2, 3)
        grid.addWidget(QLabel(self.tr("备注：")), 3, 0)
        grid.addWidget(self.note, 3, 1, 1, 3)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.saved_hint)
        actions.addWidget(self.save_button)
        grid.addLayout(actions, 4, 0, 1, 4)

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
        mark(self.name, self.name_error, [])
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
            or self.contact.text() != o.contact or self.phone.text() != o.phone
            or self.note.text() != o.note)

    def save(self) -> bool:
        """Save the form; a refused save leaves what was typed, with the reason under the field."""
        if self.org is None:
            return False
        try:
            orgs.update(self.ctx.db, self.org.id, self.name.text(), self.established.date_value(),
                        self.contact.text(), self.phone.text(), self.note.text())
        except ValidationError as exc:
            mark(self.name, self.name_error, exc.for_field("org_name"))
            self.name.setFocus()
            return False
        except ServiceError as exc:
            refuse(self, self.tr("未能保存"), str(exc))
            return False
        mark(self.name, self.name_error, [])
        self.ctx.notify_changed()
        self.saved_hint.setText(self.tr("已保存"))
        return True


class NewOrgDialog(QDialog):
    """Create an organization under `parent_org`, of a kind allowed beneath it."""

    def __init__(self, ctx: AppContext, parent_org: orgs.Organization,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.parent_org = parent_org
        self.created_id: int | None = None
        self.setWindowTitle(self.tr("新建下级组织"))
        self.setMinimumWidth(420)

        self.kind = QComboBox()
        for kind in CHILD_KINDS[parent_org.kind]:
            self.kind.addItem(kind.label, kind.value)
        # Under a 党委 the usual new child is a 党支部, not another 党委.
        self.kind.setCurrentIndex(max(self.kind.findData(OrgKind.BRANCH.value), 0))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.name_error = ErrorLabel()
        self.established = DateEdit()
        self.error = ErrorLabel()
        self._kind_changed()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("上级组织："), QLabel(parent_org.name))
        form.addRow(self.tr("类别："), self.kind)
        form.addRow(self.tr("名称："), with_error(self.name, self.name_error))
        form.addRow(self.tr("成立日期："), date_cell(self.established))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.name.setFocus()

    def _kind_changed(self) -> None:
        examples = {
            OrgKind.COMMITTEE: self.tr("例如：市财政局机关党委"),
            OrgKind.GENERAL_BRANCH: self.tr("例如：机关第一党总支"),
            OrgKind.BRANCH: self.tr("例如：办公室党支部"),
            OrgKind.GROUP: self.tr("例如：第一党小组"),
        }
        self.name.setPlaceholderText(examples[OrgKind(self.kind.currentData())])

    def accept(self) -> None:
        mark(self.name, self.name_error, [])
        self.error.show_messages([])
        try:
            self.created_id = orgs.create(self.ctx.db, self.parent_org.id,
                                          OrgKind(self.kind.currentData()), self.name.text(),
                                          self.established.date_value())
        except ValidationError as exc:
            mark(self.name, self.name_error, exc.for_field("org_name"))
            self.name.setFocus()
            return
        except ServiceError as exc:
            self.error.show_messages([str(exc)])
            return
        self.ctx.notify_changed()
        super().accept()
