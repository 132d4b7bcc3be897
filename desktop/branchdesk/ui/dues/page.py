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
    """Each tab reads the database when it is first shown, and after a change only while shown;
    the 欠缴 and 上缴 tabs are built when first chosen (the page opens on the grid)."""

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
        self._arrears: ArrearsTab | None = None
        self._remittance: RemittanceTab | None = None
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pageTabs")
        self.tabs.addTab(self.grid, self.tr("收缴"))
        for title in (self.tr("欠缴"), self.tr("上缴")):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, title)
        self.tabs.setCornerWidget(self.year)
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.tabs)
        self._tab_changed()

    def _built(self, index: int, tab: QWidget) -> QWidget:
        self.tabs.widget(index).layout().addWidget(tab)
        return tab

    @property
    def arrears(self) -> ArrearsTab:
        if self._arrears is None:
            self._arrears = ArrearsTab(self.ctx)
            self._built(1, self._arrears)
        return self._arrears

    @property
    def remittance(self) -> RemittanceTab:
        if self._remittance is None:
            self._remittance = RemittanceTab(self.ctx, self.year)
            self._built(2, self._remittance)
        return self._remittance

    def show_tab(self, tab: QWidget) -> None:
        """Bring `tab` (self.grid, self.arrears or self.remittance) to the front."""
        self.tabs.setCurrentIndex(next(i for i in range(self.tabs.count())
                                       if self.tabs.widget(i) is tab or self.tabs.widget(i).isAncestorOf(tab)))

    def _tab_changed(self) -> None:
        # The main window focuses the page it shows: the keys then work on the tab's table at once.
        index = self.tabs.currentIndex()
        tab: QWidget = self.arrears if index == 1 else self.remittance if index == 2 else self.grid
        self.year.setEnabled(index != 1)  # arrears run up to last month, whatever the year
        self.setFocusProxy(tab)
        tab.setFocus()
