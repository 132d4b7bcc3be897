"""The Home page (工作台): this month's to-dos and alerts, and the charts, for the organization in scope.

It is the page shown at start-up, so it builds only its empty widgets at once and starts reading the
database in a zero-delay timer, after the window has come up (design.md §8 start-up target), on a
worker thread with a connection of its own, so that the window answers while a large organization is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.members import fen_to_yuan
from ..context import AppContext
from ..widgets import Freshness
from .charts import RateChart
from .heatmap import STATES, ComplianceModel, compliance_view

if TYPE_CHECKING:
    from ...services.alerts import Alerts, Charts
    from ...store.database import Database
    from ..reports.worker import Job

_WEEKDAYS = "一二三四五六日"
_DANGER = QColor("#c8161d")
_MUTED = QColor("#8c939d")
# Where an item leads: a page module of ui/main_window.py PAGES, and what to do on it once shown.
Target = tuple[str, Callable[[QWidget], object] | None]
_TARGET = Qt.ItemDataRole.UserRole
_CURRENT = {"month": "本月", "quarter": "本季度", "year": "本年度"}


def _select_member(member_id: int) -> Callable[[QWidget], object]:
    return lambda page: getattr(page, "select_member", lambda _id: None)(member_id)


def _select_org(org_id: int) -> Callable[[QWidget], object]:
    return lambda page: getattr(page, "select_org", lambda _id: None)(org_id)


class AlertList(QGroupBox):
    """One kind of alert: a titled list with its count; an item leads to the page that deals with it."""

    activated = Signal(object)  # the item's Target

    def __init__(self, title: str, empty: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.heading = title
        self.empty = empty
        self.list = QListWidget()
        self.list.setObjectName(f"{name}List")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole line is in the tooltip
        self.list.itemActivated.connect(self._activated)
        self.note = QLabel()
        self.note.setObjectName("fieldError")
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        self.set_items([])
        self.setTitle(title)

    def set_items(self, items: list[tuple[str, str, Target | None, bool]], note: str = "") -> None:
        """(text, tooltip, target, urgent) per item; urgent ones are red. `note` is a red line under the list."""
        self.list.clear()
        self.setTitle(f"{self.heading}（{len(items)}）" if items else self.heading)
        for text, tip, target, urgent in items:
            item = QListWidgetItem(text)
            item.setToolTip("\n".join(filter(None, (text, tip, self.tr("双击打开相关页面") if target else ""))))
            item.setData(_TARGET, target)
            if urgent:
                item.setForeground(QBrush(_DANGER))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        if not items:
            item = QListWidgetItem(self.empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setForeground(QBrush(_MUTED))
            self.list.addItem(item)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def texts(self) -> list[str]:
        """The items listed ([] when the list shows only its "nothing to do" line)."""
        return [self.list.item(i).text() for i in range(self.list.count())
                if self.list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(_TARGET)
        if target:
            self.activated.emit(target)


class HomePage(QWidget):
    """工作台. `navigate(module, then)` asks the main window to show the page of `module` and run
    `then(page)` on it (None: just show it)."""

    navigate = Signal(str, object)

    def __init__(self, ctx: AppContext, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today
        self._pending = False
        self.loaded = 0  # how many times the data was read and shown (tests wait on it)
        # Created before any job, so destroyed (waiting for a job still running) before them.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._job: Job | None = None
        self._again = False

        self.title = QLabel(self.tr("工作台"))
        self.title.setObjectName("pageTitle")
        self.date_label = QLabel()
        self.date_label.setObjectName("hint")
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.date_label)
        self.updating = QLabel(self.tr("正在更新…"))
        self.updating.setObjectName("hint")
        self.updating.hide()
        header.addSpacing(12)
        header.addWidget(self.updating)
        header.addStretch(1)

        self.meetings = AlertList(self.tr("应开未开的会议"), self.tr("本月、本季度应开的会议都已召开"), "meetingsAlert")
        self.arrears = AlertList(self.tr("欠缴党费3个月以上"), self.tr("没有欠缴党费3个月以上的党员"), "arrearsAlert")
        self.conversions = AlertList(self.tr("30天内预备期届满"), self.tr("近30天没有预备期届满的党员"),
                                     "conversionsAlert")
        self.terms = AlertList(self.tr("90天内委员会任期届满"), self.tr("近90天没有任期届满的委员会"), "termsAlert")
        self.behind = AlertList(self.tr("学时进度落后"), self.tr("党员学时都达到了全年进度"), "behindAlert")
        self.anniversaries = AlertList(self.tr("本月政治生日"), self.tr("本月没有党员过政治生日"), "anniversariesAlert")
        cards = QWidget()
        grid = QGridLayout(cards)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for i, card in enumerate(self.cards()):
            grid.addWidget(card, i // 3, i % 3)
            card.activated.connect(self._navigate)
        for column in range(3):
            grid.setColumnStretch(column, 1)

        self.attendance_chart = RateChart(self.tr("各月会议出勤率"), "#3b7dd8")
        self.collection_chart = RateChart(self.tr("各月党费收缴率"), "#2e9d6a")
        charts = QWidget()
        row = QHBoxLayout(charts)
        row.setContentsMargins(8, 8, 8, 8)
        row.setSpacing(16)
        row.addWidget(self.attendance_chart, 1)
        row.addWidget(self.collection_chart, 1)

        self.compliance = ComplianceModel()
        self.heatmap = compliance_view(self.compliance)
        legend = QHBoxLayout()
        self.heatmap_title = QLabel()
        legend.addWidget(self.heatmap_title)
        legend.addStretch(1)
        for colour, word in STATES.values():
            swatch = QLabel()
            swatch.setFixedSize(14, 14)
            swatch.setStyleSheet(f"background: {colour}; border: 1px solid #c9ced6;")
            legend.addWidget(swatch)
            legend.addWidget(QLabel(word))
            legend.addSpacing(8)
        heatmap_tab = QWidget()
        column = QVBoxLayout(heatmap_tab)
        column.setContentsMargins(6, 6, 6, 6)
        column.addLayout(legend)
        column.addWidget(self.heatmap, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("pageTabs")
        self.tabs.addTab(charts, self.tr("出勤率与党费收缴"))
        self.tabs.addTab(heatmap_tab, self.tr("三会一课落实情况"))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(cards)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 300])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)

        # Data and scope changes reload while shown (once when next shown otherwise), never inside
        # the event that caused them: the reload waits for the event loop.
        self.freshness = Freshness(self, ctx, self._schedule)

    def cards(self) -> list[AlertList]:
        return [self.meetings, self.arrears, self.conversions, self.terms, self.behind, self.anniversaries]

    def _schedule(self) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.reload)

    def reload(self) -> None:
        """Read the alerts and charts for the scope and today on a worker thread (a large organization
        takes seconds), and show them when read. Asked again while reading, it reads once more after."""
        self._pending = False
        today = self.today()
        self.date_label.setText(self.tr("今天是 {0}年{1}月{2}日 星期{3}").format(
            today.year, today.month, today.day, _WEEKDAYS[today.weekday()]))
        scope = self.ctx.scope_id
        if self._job is not None:
            self._again = True
            return
        if scope is None:
            for card in self.cards():
                card.set_items([])
            self.compliance.set_rows([], today.year)
            self.loaded += 1
            return
        # Loaded after the window is up: the other areas' services, and the report center's worker.
        from ...services import alerts
        from ..reports.worker import Job, reading

        def read(db: Database) -> tuple[Alerts, Charts]:
            return alerts.gather(db, scope, today), alerts.charts(db, scope, today)

        self.updating.show()
        self._job = Job(self)
        self._job.succeeded.connect(lambda found: self._read(found, today))
        self._job.failed.connect(self._failed)
        self._job.crashed.connect(lambda _error: self._done())  # the error hook shows it; later changes still reload
        self._job.start(self.pool, reading(self.ctx.db_path, read))

    def _done(self) -> bool:
        """Forget the finished job; True when a change came meanwhile (what was read is then stale)."""
        if self._job is not None:
            self._job.deleteLater()
        self._job = None
        self.updating.hide()
        again, self._again = self._again, False
        if again:
            self.reload()
        return again

    def _read(self, found: tuple[Alerts, Charts], today: dt.date) -> None:
        if self._done():
            return
        self._show_alerts(found[0])
        self._show_charts(found[1], today)
        self.loaded += 1

    def _failed(self, message: str) -> None:
        if not self._done():
            self.date_label.setText(self.tr("无法读取数据：{0}").format(message))

    def _show_alerts(self, found: Alerts) -> None:
        from ...domain.activities import format_hours as hours  # loaded with the data, not at start-up

        today = found.today
        self.meetings.set_items([
            (self.tr("{0}：{1} {2}已开{3}/{4}次").format(
                m.branch_name, m.kind.label, _CURRENT[m.period.kind], m.held, m.required),
             self.tr("{0}应开{1}次，已开{2}次；{3}前完成（{4}）").format(
                 m.period.label, m.required, m.held, m.period.end.isoformat(), self._days(m.period.end, today)),
             self._to("activities.page"), (m.period.end - today).days < 10)
            for m in found.meetings])
        r = found.dues_rules
        self.arrears.heading = self.tr("欠缴党费{0}个月以上").format(r.warn_months)
        self.arrears.empty = self.tr("没有欠缴党费{0}个月以上的党员").format(r.warn_months)
        danger = sum(1 for a in found.arrears if a.level == "danger")
        law = self.tr("党章第九条：党员连续{0}个月不交纳党费，又没有正当理由的，就被认为是自行脱党。").format(
            r.lapse_months)
        self.arrears.set_items([
            (self.tr("{0}（{1}）连续{2}个月未交，欠{3}元").format(
                a.name, a.branch_name, a.consecutive, fen_to_yuan(a.owed_fen))
             + (self.tr("，已满{0}个月").format(r.lapse_months) if a.consecutive >= r.lapse_months else ""),
             self.tr("累计欠缴{0}个月，自{1}起\n").format(a.months_owed, a.first_owed) + law,
             self._to("dues.page"), a.level == "danger")
            for a in found.arrears],
            note=self.tr("自行脱党预警：{0} 名党员已连续{1}个月以上未交党费，请及时谈话提醒；连续{2}个月不交纳党费"
                         "又无正当理由的，按自行脱党处理。").format(danger, r.danger_months, r.lapse_months)
            if danger else "")
        self.conversions.set_items([
            (self.tr("{0}（{1}）{2}预备期满，{3}").format(
                c.name, c.branch_name, c.due_on.isoformat(), self._days(c.due_on, today)),
             self.tr("预备期满应及时召开支部党员大会讨论其转正"), self._to("members.page", _select_member(c.member_id)),
             c.due_on <= today)
            for c in found.conversions])
        self.terms.set_items([
            (self.tr("{0}委员会 {1}任期届满，{2}").format(
                t.branch_name, t.term_end.isoformat(), self._days(t.term_end, today)),
             self.tr("本届委员：") + "、".join(t.seats), self._to("organization.page", _select_org(t.org_id)),
             (t.term_end - today).days <= 30)
            for t in found.terms])
        self.behind.set_items([
            (self.tr("{0}（{1}）已修{2}学时，全年应修{3}学时").format(
                s.name, s.branch_name, hours(s.hours_tenths), hours(s.required_tenths)),
             self.tr("距全年要求尚差{0}学时").format(hours(s.gap_tenths)),
             self._to("members.page", _select_member(s.member_id)), False)
            for s in found.behind])
        self.anniversaries.set_items([
            (self.tr("{0}月{1}日 {2}（{3}）入党{4}周年").format(
                a.joined_on.month, a.joined_on.day, a.name, a.branch_name, a.years),
             self.tr("{0}入党").format(a.joined_on.isoformat()), self._to("members.page", _select_member(a.member_id)),
             a.joined_on.day == today.day)
            for a in found.anniversaries])

    def _days(self, day: dt.date, today: dt.date) -> str:
        left = (day - today).days
        if left > 0:
            return self.tr("还有{0}天").format(left)
        return self.tr("今天") if left == 0 else self.tr("已过{0}天").format(-left)

    def _show_charts(self, charts: Charts, today: dt.date) -> None:
        current = today.month if charts.year == today.year else 0
        self.attendance_chart.set_values(
            charts.attendance,
            [self.tr("{0}月出勤率 {1}%").format(m + 1, round(v * 100)) if v is not None else ""
             for m, v in enumerate(charts.attendance)], current)
        self.collection_chart.set_values(
            [m.rate for m in charts.collection],
            [self.tr("{0}月：应交 {1} 元，实交 {2} 元").format(i + 1, fen_to_yuan(m.due_fen), fen_to_yuan(m.paid_fen))
             if m.due_fen else "" for i, m in enumerate(charts.collection)], current)
        self.heatmap_title.setText(self.tr("{0}年各支部应开会议（已开/应开）").format(charts.year))
        self.compliance.set_rows(charts.compliance, charts.year)

    @staticmethod
    def _to(module: str, then: Callable[[QWidget], object] | None = None) -> Target | None:
        """Where an item leads, when the main window has that page (None: the item leads nowhere)."""
        from ..main_window import PAGES  # imported by the time a page is built

        return (module, then) if any(page[2] == module for page in PAGES) else None

    def _navigate(self, target: Target) -> None:
        module, then = target
        self.navigate.emit(module, then)
