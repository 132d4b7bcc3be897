"""The 党费 page: the year's collection grid, arrears, and remittances upward, one tab each, under
one year chooser."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QTabWidget, QVBoxLayout, QWidget

from ..context import AppContext
from . import clock
from .arrears import ArrearsTab
from .grid import GridTab
from .remittance import RemittanceTab

YEARS_BACK = 5  # the years offered before this one (the large demo keeps five)


class DuesPage(QWidget):
    """Each tab reads the database when it is first shown, and after a change only while shown."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.year = QComboBox()
        self.year.setToolTip(self.tr("收缴表和上缴记录所属的年度"))
        this_year = clock.today().year
        for year in range(this_year + 1, this_year - YEARS_BACK - 1, -1):
            self.year.addItem(self.tr("{0}年度").format(year), year)
        self.year.setCurrentIndex(self.year.findData(this_year))
        self.grid = GridTab(ctx, self.year)
        self.arrears = ArrearsTab(ctx)
        self.remittance = RemittanceTab(ctx, self.year)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pageTabs")
        self.tabs.addTab(self.grid, self.tr("收缴"))
        self.tabs.addTab(self.arrears, self.tr("欠缴"))
        self.tabs.addTab(self.remittance, self.tr("上缴"))
        self.tabs.setCornerWidget(self.year)
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.tabs)
        self._tab_changed()

    def _tab_changed(self) -> None:
        # The main window focuses the page it shows: the keys then work on the tab's table at once.
        tab = self.tabs.currentWidget()
        self.year.setEnabled(tab is not self.arrears)  # arrears run up to last month, whatever the year
        self.setFocusProxy(tab)
        tab.setFocus()
