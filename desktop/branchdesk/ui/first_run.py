"""First start without a database: demo data, or an empty organization named by the user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from ..domain.organization import OrgKind
from ..services import organizations as orgs
from ..services.errors import ServiceError
from .context import AppContext
from .widgets import ErrorLabel


class FirstRunDialog(QDialog):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("欢迎使用党支部工作台"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("这是第一次使用。请选择如何开始："))
        layout.addWidget(intro)
        self.use_demo = QRadioButton(self.tr("使用演示数据（一个机关党委、十余个支部，可随意试用）"))
        self.use_empty = QRadioButton(self.tr("建立我单位的党组织（从空白开始）"))
        self.use_empty.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.use_empty, self.use_demo):
            group.addButton(button)
            layout.addWidget(button)
        self.name_label = QLabel(self.tr("机关党委名称："))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("例如：市财政局机关党委"))
        self.error = ErrorLabel()
        for w in (self.name_label, self.name, self.error):
            layout.addWidget(w)
        self.use_empty.toggled.connect(self._toggle)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _toggle(self, empty: bool) -> None:
        for w in (self.name_label, self.name):
            w.setEnabled(empty)

    def accept(self) -> None:
        if self.use_demo.isChecked():
            from ..services import demo  # seeds and generators: load them only when asked for

            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                demo.build(self.ctx.db, scale="small", seed=1)
            finally:
                QApplication.restoreOverrideCursor()
        else:
            try:
                orgs.create(self.ctx.db, None, OrgKind.COMMITTEE, self.name.text())
            except ServiceError as exc:
                self.error.show_messages([str(exc)])
                self.name.setFocus()
                return
        super().accept()
