"""The 表彰评议 page: commendations, the annual 民主评议 results and study output, one tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ..context import AppContext
from .commendations import CommendationsTab
from .evaluations import EvaluationsTab
from .outputs import StudyOutputsTab


class HonoursPage(QWidget):
    """Each tab reads the database when it is first shown, and after a change only while shown."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.commendations = CommendationsTab(ctx)
        self.evaluations = EvaluationsTab(ctx)
        self.outputs = StudyOutputsTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pageTabs")
        self.tabs.addTab(self.commendations, self.tr("表彰"))
        self.tabs.addTab(self.evaluations, self.tr("民主评议"))
        self.tabs.addTab(self.outputs, self.tr("学习成果"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.tabs)
        self._tab_changed()

    def _tab_changed(self) -> None:
        # The main window focuses the page it shows: the keys then work on the tab's table at once.
        tab = self.tabs.currentWidget()
        self.setFocusProxy(tab)
        tab.setFocus()
