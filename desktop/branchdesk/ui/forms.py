"""Forms: fields by name, each with the red line beneath it that says what is wrong.

Every form shows a refusal the same way: each message under the field it names (the field outlined
in red, the first bad one focused), the rest on the form's general line, and what was typed left as
it is. Text in a date field that is no date is such a refusal too, found before the service is called.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.fields import FieldError
from ..services.errors import ServiceError, ValidationError
from .widgets import DateEdit, ErrorLabel

# What a form finds wrong by itself, before anything is saved.
Check = Callable[[], list[FieldError]]


class Form:
    """The fields of one form by name (the names the services give in FieldError), with their
    error lines, and `submit`, which saves or shows why not."""

    def __init__(self) -> None:
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self._hints: dict[str, tuple[QWidget, ...]] = {}
        self.general_error = ErrorLabel()

    def field(self, name: str, widget: QWidget, *below: QWidget) -> QWidget:
        """`widget` with its error line beneath, registered as field `name`, as one form cell.

        `below` are hint lines shown between the two; an error hides them (they would repeat or
        contradict it) until the form shows them again.
        """
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        for hint in below:
            column.addWidget(hint)
        error = ErrorLabel()
        column.addWidget(error)
        self.widgets[name] = widget
        self.errors[name] = error
        self._hints[name] = below
        _on_edit(widget, lambda: self.mark(name, []))
        return cell

    def error_text(self, name: str) -> str:
        """The message shown under field `name` ("" when none)."""
        error = self.errors[name]
        return error.text() if not error.isHidden() else ""

    def mark(self, name: str, messages: list[str]) -> None:
        """Show `messages` under field `name` and outline it in red; no messages clear both."""
        widget, error = self.widgets[name], self.errors[name]
        error.show_messages(messages)
        if messages:
            for hint in self._hints[name]:
                hint.hide()
        if bool(widget.property("invalid")) != bool(messages):
            # The style sheet draws a red border on [invalid="true"]; re-polish to apply it.
            widget.setProperty("invalid", bool(messages))
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def clear(self) -> None:
        for name in self.widgets:
            self.mark(name, [])
        self.general_error.show_messages([])

    def submit(self, save: Callable[[], object], check: Check | None = None) -> bool:
        """Run `save` (the service call) unless the form finds a problem first; True when saved.

        The form's own problems are text in a date field that is no date, and what `check` returns
        (a mistyped date's field keeps the date's message, not what `check` says of it as blank).
        A refusal, the form's or the service's, is shown and False returned; nothing was written.
        """
        self.clear()
        problems = self.date_problems()
        mistyped = {p.field for p in problems}
        problems += [p for p in (check() if check else []) if p.field not in mistyped]
        try:
            if problems:
                raise ValidationError(problems)
            save()
        except ValidationError as exc:
            self.show(exc.errors)
            return False
        except ServiceError as exc:
            self.general_error.show_messages([str(exc)])
            return False
        return True

    def date_problems(self) -> list[FieldError]:
        """The date fields in use (enabled) whose text is no date."""
        return [FieldError(name, problem) for name, widget in self.widgets.items()
                if isinstance(widget, DateEdit) and widget.isEnabled()
                and (problem := widget.problem()) is not None]

    def show(self, errors: list[FieldError]) -> None:
        """Each error under its field, the rest on the general line; focus the first bad field."""
        for name in self.widgets:
            self.mark(name, [e.message for e in errors if e.field == name])
        self.general_error.show_messages([str(e) for e in errors if e.field not in self.widgets])
        bad = [name for name in self.widgets if any(e.field == name for e in errors)]
        if bad:
            self.widgets[bad[0]].setFocus()


def _on_edit(widget: QWidget, slot: Callable[[], None]) -> None:
    """Call `slot` when the user changes `widget` (a stale error then disappears)."""
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(slot)
        if isinstance(widget, DateEdit):
            widget.dateChanged.connect(slot)  # picked from the calendar
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        if widget.isEditable():
            widget.editTextChanged.connect(slot)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QSpinBox):
        widget.valueChanged.connect(slot)


def form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setVerticalSpacing(6)
    return form


class FormDialog(QDialog):
    """A dialog round a Form whose 保存 runs `save` (with the form's own `check` first) and closes
    the dialog only when it succeeds; a refusal leaves it open showing why.

    The subclass lays out its fields (`field`), then `general_error` and `buttons`.
    """

    def __init__(self, save: Callable[[], object], check: Check | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._check = check
        self.form = Form()
        self.errors = self.form.errors
        self.general_error = self.form.general_error
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def field(self, name: str, widget: QWidget, *below: QWidget) -> QWidget:
        return self.form.field(name, widget, *below)

    def error_text(self, name: str) -> str:
        return self.form.error_text(name)

    def accept(self) -> None:
        if self.form.submit(self._save, self._check):
            super().accept()
            return
        # Error lines take room (a long one wraps): grow so none is cut off, never shrink.
        self.layout().activate()
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))
