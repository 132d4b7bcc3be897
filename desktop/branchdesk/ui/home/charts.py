"""The Home page's charts, painted with QPainter (QtCharts is not part of the installed Qt)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

MONTHS = [f"{m}月" for m in range(1, 13)]
_AXIS = QColor("#8c939d")
_GRID = QColor("#eceef1")
_TEXT = QColor("#1f2328")
_MUTED = QColor("#a0a6ae")


class RateChart(QWidget):
    """Twelve monthly rates (0–1, None for a month with nothing to rate) as bars on a 0–100% axis,
    each labelled with its percentage; a month's tooltip gives the figures behind it."""

    def __init__(self, title: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.colour = QColor(colour)
        self.values: list[float | None] = [None] * 12
        self.tips: list[str] = [""] * 12
        self.current = 0  # 1–12: the month drawn as under way (lighter); 0 none
        self.setMouseTracking(True)
        self.setMinimumSize(360, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_values(self, values: list[float | None], tips: list[str], current: int = 0) -> None:
        self.values = list(values)
        self.tips = list(tips)
        self.current = current
        self.update()

    def texts(self) -> list[str]:
        """What is written over each month's bar ("" for a month with nothing to rate)."""
        return ["" if v is None else f"{round(v * 100)}%" for v in self.values]

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    def _plot(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("100%") + 10
        top = metrics.height() * 2 + 6
        bottom = metrics.height() + 10  # the month names
        return QRectF(left, top, max(self.width() - left - 10, 10), max(self.height() - top - bottom, 10))

    def _slot(self, plot: QRectF, index: int) -> QRectF:
        width = plot.width() / 12
        return QRectF(plot.left() + index * width, plot.top(), width, plot.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(_TEXT)
        painter.drawText(QRectF(0, 0, self.width(), metrics.height() + 4), Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        plot = self._plot()
        for step in range(5):  # 0, 25, 50, 75, 100%
            y = plot.bottom() - plot.height() * step / 4
            painter.setPen(QPen(_GRID if step else _AXIS, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(_AXIS)
            painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{step * 25}%")
        for index, (value, text) in enumerate(zip(self.values, self.texts(), strict=True)):
            slot = self._slot(plot, index)
            painter.setPen(_TEXT)
            painter.drawText(QRectF(slot.left(), plot.bottom() + 2, slot.width(), metrics.height() + 4),
                             Qt.AlignmentFlag.AlignCenter, MONTHS[index])
            if value is None:
                continue
            height = plot.height() * min(max(value, 0.0), 1.0)
            bar = QRectF(slot.left() + slot.width() * 0.2, plot.bottom() - height, slot.width() * 0.6, height)
            colour = QColor(self.colour)
            if index + 1 == self.current:
                colour.setAlpha(120)  # the month is not over yet
            painter.fillRect(bar, colour)
            painter.setPen(_TEXT if value > 0 else _MUTED)
            painter.drawText(QRectF(slot.left() - 4, bar.top() - metrics.height() - 2, slot.width() + 8,
                                    metrics.height()), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()

    def month_at(self, x: float) -> int | None:
        """0–11: the month whose slot is at `x`, or None outside the plot."""
        plot = self._plot()
        if not plot.left() <= x < plot.right():
            return None
        return min(int((x - plot.left()) / (plot.width() / 12)), 11)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.month_at(event.position().x())
        if index is None or not self.tips[index]:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), self.tips[index], self)
