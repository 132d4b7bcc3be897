"""The Settings page (设置): one tab per group, each saved on its own (one transaction, audited)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ..context import AppContext
from ..widgets import Freshness
from .common import SettingsGroup
from .dues import DuesRulesGroup
from .general import BackupGroup, ReportGroup
from .meetings import MeetingRulesGroup


class SettingsPage(QWidget):
    """报表, 会议与学时, 党费, 数据与备份. A save tells the other pages (the Home page recounts); a change
    made elsewhere (a handover import) is read again when the page is next shown."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._saving = False
        self.report = ReportGroup(ctx)
        self.meetings = MeetingRulesGroup(ctx)
        self.dues = DuesRulesGroup(ctx)
        self.backup = BackupGroup(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pageTabs")
        self.tabs.addTab(self.report, self.tr("报表"))
        self.tabs.addTab(self.meetings, self.tr("会议与学时"))
        self.tabs.addTab(self.dues, self.tr("党费"))
        self.tabs.addTab(self.backup, self.tr("数据与备份"))
        for group in self.groups():
            group.saved.connect(self._saved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.tabs)
        self.freshness = Freshness(self, ctx, self.reload, on_scope=False)
        self.freshness.stale = False  # each group read its settings when built

    def groups(self) -> list[SettingsGroup]:
        return [self.report, self.meetings, self.dues, self.backup]

    def _saved(self) -> None:
        # The other tabs keep what is being typed in them: only other pages react to this change.
        self._saving = True
        try:
            self.ctx.notify_changed()
        finally:
            self._saving = False

    def reload(self) -> None:
        if not self._saving:
            for group in self.groups():
                group.reload()
