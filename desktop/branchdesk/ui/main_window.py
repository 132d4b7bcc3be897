"""The main window: left navigation, the organization in scope, pages, status bar."""

from __future__ import annotations

import importlib

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from .. import __version__
from ..paths import resources_dir
from ..services import organizations as orgs
from .context import AppContext

# (navigation label, icon file, module under branchdesk.ui, page class): only pages that work are
# listed. A page is imported and built when first shown, so start-up pays for the first one only.
PAGES = (
    ("组织", "organization.svg", "organization.page", "OrganizationPage"),
    ("党员", "members.svg", "members.page", "MembersPage"),
    ("表彰评议", "honours.svg", "honours.page", "HonoursPage"),
)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("党支部工作台 BranchDesk"))
        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "branchdesk.svg")))
        self.setMinimumSize(1024, 640)

        self.scope = QComboBox()
        self.scope.setObjectName("scopeSelector")
        self.scope.setMinimumWidth(280)
        self.scope.setToolTip(self.tr("各页面只显示所选组织及其下级组织的数据"))
        self.scope.activated.connect(self._scope_chosen)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(132)
        self.pages = QStackedWidget()
        self._built: dict[int, QWidget] = {}
        for label, icon, _module, _class in PAGES:
            item = QListWidgetItem(QIcon(str(resources_dir() / "icons" / icon)), self.tr(label))
            item.setSizeHint(QSize(120, 48))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_page)

        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(body)

        bar = self.addToolBar(self.tr("当前组织"))
        bar.setObjectName("scopeBar")
        bar.setMovable(False)
        bar.addWidget(QLabel(self.tr("  当前组织：")))
        bar.addWidget(self.scope)

        self.db_label = QLabel()
        self.count_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self._build_menus()

        ctx.dataChanged.connect(self._reload_scopes)
        ctx.scopeChanged.connect(self._scope_changed)
        self._reload_scopes()
        self.nav.setCurrentRow(0)
        self._restore_geometry()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("关于"), self.tr(
            "党支部工作台 BranchDesk {0}\n\n为机关党支部书记、组织委员设计的离线台账与报表工具。\n"
            "数据文件：{1}").format(__version__, self.ctx.db_path))

    def _reload_scopes(self) -> None:
        """Fill the selector with the organizations that keep members, indented as in the tree,
        keeping the current choice."""
        self.scope.blockSignals(True)
        self.scope.clear()
        for depth, org in orgs.outline(self.ctx.db):
            if org.holds_members:
                self.scope.addItem("　" * depth + org.name, org.id)
        self.scope.blockSignals(False)
        index = self.scope.findData(self.ctx.scope_id)
        self.scope.setCurrentIndex(max(index, 0))
        if self.scope.count():
            self.ctx.set_scope(self.scope.currentData())
        self._update_status()

    def _scope_chosen(self, index: int) -> None:
        self.ctx.set_scope(self.scope.itemData(index))

    def _scope_changed(self, org_id: int) -> None:
        """Follow a scope set elsewhere (a page, a test) so the selector never shows another one."""
        self.scope.setCurrentIndex(max(self.scope.findData(org_id), 0))
        self._update_status()

    def page(self, row: int) -> QWidget:
        """The page at navigation row `row`, built on first use."""
        if row not in self._built:
            _label, _icon, module, name = PAGES[row]
            page_class = getattr(importlib.import_module(f"{__package__}.{module}"), name)
            self._built[row] = page_class(self.ctx)
            self.pages.addWidget(self._built[row])
        return self._built[row]

    def _show_page(self, row: int) -> None:
        page = self.page(row)
        self.pages.setCurrentWidget(page)
        page.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_status(self) -> None:
        self.db_label.setText(self.tr("数据文件：{0}").format(self.ctx.db_path))
        if self.ctx.scope_id is None:
            self.count_label.setText("")
            return
        total = orgs.member_totals(self.ctx.db).get(self.ctx.scope_id, 0)
        self.count_label.setText(self.tr("在册党员 {0} 名  ").format(total))

    def _restore_geometry(self) -> None:
        saved = QSettings().value("main_window/geometry")
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            self.restoreGeometry(saved)
        else:
            self.resize(1280, 720)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
