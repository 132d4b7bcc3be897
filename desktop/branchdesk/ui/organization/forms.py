"""What the organization page's forms share: a field's error line and red outline."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..widgets import DateEdit, ErrorLabel


def with_error(field: QWidget, error: ErrorLabel) -> QWidget:
    """`field` with its error line directly below it, as one cell of a form."""
    cell = QWidget()
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(error)
    return cell


def mark(field: QWidget, error: ErrorLabel, messages: list[str]) -> None:
    """Show `messages` under `field` and outline it in red (style.qss: [invalid="true"])."""
    error.show_messages(messages)
    field.setProperty("invalid", bool(messages))
    field.style().unpolish(field)
    field.style().polish(field)


def date_cell(date: DateEdit, hint: QLabel | None = None) -> QWidget:
    """A date field at a date's width rather than the form's, with an optional hint beside it."""
    cell = QWidget()
    row = QHBoxLayout(cell)
    row.setContentsMargins(0, 0, 0, 0)
    date.setMinimumWidth(140)
    row.addWidget(date)
    if hint:
        row.addWidget(hint)
    row.addStretch(1)
    return cell
