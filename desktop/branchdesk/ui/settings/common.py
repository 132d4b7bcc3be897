"""What every group of the Settings page shares: a form, 保存 and 恢复默认, and a line saying what happened."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from ...domain.fields import FieldError
from ..context import AppContext
from ..forms import Form


def hint(text: str) -> QLabel:
    """A grey line under a field: the default and where the rule comes from."""
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class SettingsGroup(QWidget):
    """One tab of the Settings page. The subclass lays out its fields in `body` (registered with
    `form.field`) and gives `load` (fill from the database), `defaults` (fill with the defaults,
    not saved yet), `check` (what is wrong with what was typed) and `store` (the one service call)."""

    saved = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.form = Form()
        self.body = QVBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(lambda: self.save())
        self.save_button.setEnabled(not ctx.db.read_only)
        self.defaults_button = QPushButton(self.tr("恢复默认"))
        self.defaults_button.setToolTip(self.tr("把本组各项填为默认值；点“保存”后生效"))
        self.defaults_button.clicked.connect(self.restore_defaults)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.defaults_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(self.body)
        layout.addStretch(1)
        layout.addWidget(self.form.general_error)
        layout.addLayout(buttons)

    def add(self, item: QWidget | QLayout) -> None:
        if isinstance(item, QLayout):
            self.body.addLayout(item)
        else:
            self.body.addWidget(item)

    def load(self) -> None:
        raise NotImplementedError

    def defaults(self) -> None:
        raise NotImplementedError

    def check(self) -> list[FieldError]:
        return []

    def store(self) -> None:
        raise NotImplementedError

    def restore_defaults(self) -> None:
        self.form.clear()
        self.defaults()
        self.status.setText(self.tr("已填入默认值，点“保存”后生效。"))

    def save(self) -> bool:
        """Save what the fields hold (nothing when a field is refused; each refusal under its field)."""
        self.status.setText("")
        done = self.form.submit(self.store, self.check)
        if done:
            self.load()
            self.status.setText(self.tr("已保存。"))
            self.saved.emit()
        return done

    def reload(self) -> None:
        self.form.clear()
        self.status.setText("")
        self.load()

