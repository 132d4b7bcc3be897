"""Small widgets and helpers the pages share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QAbstractItemModel, QDate, QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QTableView,
    QWidget,
)

from ..domain.dates import parse_date
from ..paths import resources_dir
from ..services.errors import ServiceError
from .context import AppContext

# The dates a field accepts: a year outside these is a typing slip, not a date in a member's life.
_FIRST_DAY = dt.date(1900, 1, 1)
_LAST_DAY = dt.date(2100, 12, 31)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _read_date(text: str) -> dt.date | None:
    """The date `text` names in any form `parse_date` accepts; None when blank or not a date."""
    try:
        day = parse_date(text)
    except ValueError:
        return None
    return day if _FIRST_DAY <= day <= _LAST_DAY else None


class DateEdit(QLineEdit):
    """A date field that takes what people type (2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日,
    20240501) or what they pick from the calendar behind its button (or Alt+↓).

    Blank is no date (`date_value()` None): whether one is needed is the services' call. Text that
    is no date stays as typed, `date_value()` is then None and `problem()` says why; a form reports
    it before saving. When editing ends a date is shown as 2024-05-01.
    """

    dateChanged = Signal(object)  # the new `date_value()`: a dt.date, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._announced: dt.date | None = None  # the value dateChanged last gave
        self._calendar: QCalendarWidget | None = None
        self.setPlaceholderText(self.tr("年-月-日"))
        self.setToolTip(self.tr("如 2024-05-01、2024/5/1、2024年5月1日 或 20240501"))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.calendar_action = self.addAction(QIcon(str(resources_dir() / "icons" / "calendar.svg")),
                                              QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip(self.tr("从日历中选择（Alt+↓）"))
        self.calendar_action.triggered.connect(self.show_calendar)
        self.textChanged.connect(self._text_changed)
        self.editingFinished.connect(self._tidy)

    def date_value(self) -> dt.date | None:
        return _read_date(self.text())

    def set_date_value(self, value: dt.date | None) -> None:
        self.setText(value.isoformat() if value else "")

    def problem(self) -> str | None:
        """Why the text is not a date; None when it is one or is blank."""
        if self.text().strip() and self.date_value() is None:
            return self.tr("不是有效的日期，请按 2024-05-01 的格式填写")
        return None

    def sizeHint(self) -> QSize:
        # QLineEdit asks for 17 × "x" besides its frame, margins and the calendar button; a date
        # needs the room of its longest typed form instead.
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        text = metrics.horizontalAdvance("2024年12月31日") - 17 * metrics.horizontalAdvance("x")
        return QSize(hint.width() + text, hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _text_changed(self, text: str) -> None:
        value = _read_date(text)
        if value != self._announced:
            self._announced = value
            self.dateChanged.emit(value)

    def _tidy(self) -> None:
        value = self.date_value()
        if value is not None and self.text() != value.isoformat():
            self.setText(value.isoformat())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        opens = event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if opens:
            self.show_calendar()
        else:
            super().keyPressEvent(event)

    def show_calendar(self) -> QCalendarWidget:
        """Pop up the calendar below the field, on the field's date (today when it has none)."""
        if self._calendar is None:
            calendar = QCalendarWidget(self)
            calendar.setWindowFlags(Qt.WindowType.Popup)
            calendar.setObjectName("datePopup")
            # A line round it (style.qss), so that it stands off the form it covers.
            calendar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
            calendar.setContentsMargins(1, 1, 1, 1)
            calendar.setDateRange(_qdate(_FIRST_DAY), _qdate(_LAST_DAY))
            calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
            calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
            calendar.clicked.connect(self._picked)
            calendar.activated.connect(self._picked)  # Enter on a day
            self._calendar = calendar
        calendar = self._calendar
        day = _qdate(self.date_value() or dt.date.today())
        calendar.setSelectedDate(day)
        calendar.setCurrentPage(day.year(), day.month())
        calendar.adjustSize()
        # Under the field, flush with its left edge, moved up or left to stay on the screen.
        size = calendar.size()
        where = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        if where.y() + size.height() > screen.bottom():
            where.setY(self.mapToGlobal(QPoint(0, 0)).y() - size.height())
        where.setX(max(screen.left(), min(where.x(), screen.right() - size.width())))
        calendar.move(where)
        calendar.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)
        return calendar

    def _picked(self, day: QDate) -> None:
        assert self._calendar is not None
        self._calendar.hide()
        self.set_date_value(dt.date(day.year(), day.month(), day.day()))
        self.setFocus(Qt.FocusReason.PopupFocusReason)


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


def attempt(parent: QWidget, failure_title: str, operation: Callable[[], object]) -> bool:
    """Run one service operation; when it is refused, say why in a message box (nothing was
    written). True when it went through."""
    try:
        operation()
    except ServiceError as exc:
        QMessageBox.warning(parent, failure_title, str(exc))
        return False
    return True


@contextmanager
def busy() -> Iterator[None]:
    """A wait cursor over the whole application while an operation of a few seconds runs."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def confirm(parent: QWidget, title: str, message: str) -> bool:
    return QMessageBox.question(parent, title, message) == QMessageBox.StandardButton.Yes


class Freshness(QObject):
    """Keeps a page current without slowing the others down: `reload` runs on a data (and, with
    `on_scope`, a scope) change while `page` is shown; a change seen while hidden marks it stale,
    and it reloads once, when it is next shown."""

    def __init__(self, page: QWidget, ctx: AppContext, reload: Callable[[], None], on_scope: bool = True) -> None:
        super().__init__(page)
        self.stale = True
        self._page = page
        self._reload = reload
        page.installEventFilter(self)
        ctx.dataChanged.connect(self.changed)
        if on_scope:
            ctx.scopeChanged.connect(self.changed)

    def changed(self, *_args: object) -> None:
        if self._page.isVisible():
            self.refresh()
        else:
            self.stale = True

    def refresh(self) -> None:
        self.stale = False
        self._reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page and event.type() == QEvent.Type.Show and self.stale:
            self.refresh()
        return False


def table_view(model: QAbstractItemModel) -> QTableView:
    """A read-only table in the style of the app's lists: whole rows selected, one at a time."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(28)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    return table
