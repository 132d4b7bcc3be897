"""Fixtures and input helpers for widget tests."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from branchdesk.ui.context import AppContext
from branchdesk.ui.widgets import DateEdit


@pytest.fixture
def ctx(db, db_path) -> AppContext:
    return AppContext(db, db_path)


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type as a user does: ASCII key by key, Chinese committed by the input method.

    (QTest.keyClicks aborts on characters without a key code, such as Chinese.)
    """
    widget.setFocus()
    for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def type_date(qtbot, edit: DateEdit, day: dt.date | str) -> None:
    """Type over what a date field shows, as a user does: `day` as 20240501, or the text given."""
    edit.setFocus()
    edit.selectAll()
    type_text(qtbot, edit, day.strftime("%Y%m%d") if isinstance(day, dt.date) else day)
    if isinstance(day, dt.date):
        assert edit.date_value() == day


def answer_message_boxes(*answers: QMessageBox.StandardButton) -> list[str]:
    """Click `answers` on the next modal message boxes, in order; returns their texts as seen."""
    seen: list[str] = []
    pending = list(answers)

    def poll(tries: int = 0) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            seen.append(box.text())
            box.button(pending.pop(0)).click()
        if pending and tries < 300:
            QTimer.singleShot(10, lambda: poll(tries + 1))

    QTimer.singleShot(0, poll)
    return seen
