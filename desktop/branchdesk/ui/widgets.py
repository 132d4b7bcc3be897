"""Small widgets and helpers the pages share."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLabel, QMessageBox, QWidget

# A blank QDateEdit shows this special minimum as empty text ("未填").
_NULL_DATE = QDate(1900, 1, 1)


class DateEdit(QDateEdit):
    """A calendar date field that may be left empty (`date_value()` is then None)."""

    def __init__(self, parent: QWidget | None = None, optional: bool = True) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_NULL_DATE)
        self.setMaximumDate(QDate(2100, 12, 31))
        if optional:
            self.setSpecialValueText(" ")
        self.set_date_value(None)

    def date_value(self) -> dt.date | None:
        d = self.date()
        return None if d == _NULL_DATE else dt.date(d.year(), d.month(), d.day())

    def set_date_value(self, value: dt.date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else _NULL_DATE)


class ErrorLabel(QLabel):
    """The red line under a field that says what is wrong with it; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()

    def show_messages(self, messages: list[str]) -> None:
        self.setText("；".join(messages))
        self.setVisible(bool(messages))


def refuse(parent: QWidget, title: str, message: str) -> None:
    """Tell the user an operation was refused and why; nothing was written."""
    QMessageBox.warning(parent, title, message)


def confirm(parent: QWidget, title: str, message: str) -> bool:
    return QMessageBox.question(parent, title, message) == QMessageBox.StandardButton.Yes
