"""Fixtures and input helpers for widget tests."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from branchdesk.ui.context import AppContext


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
