"""The shared widgets: the date field people type into or pick from a calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCalendarWidget, QTableView

from branchdesk.ui.widgets import DateEdit
from tests.ui.conftest import type_date

NOT_A_DATE = "不是有效的日期，请按 2024-05-01 的格式填写"


@pytest.fixture
def edit(qtbot) -> DateEdit:
    widget = DateEdit()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("typed", ["2024-05-01", "2024/5/1", "2024.5.1", "2024年5月1日", "20240501",
                                   " 2024-5-01 "])
def test_every_form_people_type_is_read_and_shown_as_iso_afterwards(qtbot, edit, typed) -> None:
    type_date(qtbot, edit, typed)
    assert edit.date_value() == dt.date(2024, 5, 1)
    assert edit.problem() is None
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # editing finished
    assert edit.text() == "2024-05-01"


def test_a_blank_field_takes_typing(qtbot, edit) -> None:
    assert (edit.text(), edit.date_value(), edit.problem()) == ("", None, None)  # blank: no problem
    type_date(qtbot, edit, dt.date(2026, 3, 1))
    assert edit.text() == "20260301"


@pytest.mark.parametrize("typed", ["2024-13-01", "2024-02-30", "2024", "明天", "0024-05-01"])
def test_text_that_is_no_date_is_kept_and_named_a_problem(qtbot, edit, typed) -> None:
    type_date(qtbot, edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == typed
    assert edit.date_value() is None
    assert edit.problem() == NOT_A_DATE


def test_date_changed_tells_each_new_value_once(qtbot, edit) -> None:
    seen: list[dt.date | None] = []
    edit.dateChanged.connect(seen.append)
    type_date(qtbot, edit, "2024-5-1")  # "2024-5-" is no date; "2024-5-1" is
    edit.set_date_value(dt.date(2024, 5, 1))  # the same day, tidier: nothing to tell
    edit.set_date_value(dt.date(2025, 1, 2))
    edit.set_date_value(None)
    assert seen == [dt.date(2024, 5, 1), dt.date(2025, 1, 2), None]
    assert edit.text() == ""


def test_the_calendar_opens_on_the_fields_date_and_picks_a_day(qtbot, edit) -> None:
    edit.set_date_value(dt.date(2024, 5, 1))
    calendar = edit.show_calendar()
    assert calendar.isVisible()
    assert calendar.selectedDate() == QDate(2024, 5, 1)
    assert (calendar.yearShown(), calendar.monthShown()) == (2024, 5)
    assert calendar.geometry().top() >= edit.mapToGlobal(edit.rect().bottomLeft()).y()
    days = calendar.findChild(QTableView)
    qtbot.keyClick(days, Qt.Key.Key_Right)
    qtbot.keyClick(days, Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert edit.date_value() == dt.date(2024, 5, 2)
    assert edit.text() == "2024-05-02"


def test_the_calendar_of_a_blank_or_mistyped_field_opens_on_today(qtbot, edit) -> None:
    today = QDate.currentDate()
    qtbot.keyClick(edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = edit.findChild(QCalendarWidget)
    assert calendar.isVisible()
    assert calendar.selectedDate() == today
    calendar.hide()
    type_date(qtbot, edit, "2024-13")
    qtbot.keyClick(edit, Qt.Key.Key_F4)
    assert calendar.isVisible()
    assert calendar.selectedDate() == today
    calendar.hide()
