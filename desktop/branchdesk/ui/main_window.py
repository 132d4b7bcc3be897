"""The main window: left navigation, the organization in scope, pages, status bar."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from .. import __version__
from ..paths import resources_dir
from ..services import organizations as orgs
from .context import AppContext
from .widgets import attempt, busy, confirm

PACKAGES = "交接数据包 (*.zip *.bdpkg);;所有文件 (*)"

# (navigation label, icon file, module under branchdesk.ui, page class): only pages that work are
# listed. A page is imported and built when first shown, so start-up pays for the first one only.
PAGES = (
    ("工作台", "home.svg", "home.page", "HomePage"),  # first: the page shown at start-up
    ("组织", "organization.svg", "organization.page", "OrganizationPage"),
    ("党员", "members.svg", "members.page", "MembersPage"),
    ("会议学习", "activities.svg", "activities.page", "ActivitiesPage"),
    ("党费", "dues.svg", "dues.page", "DuesPage"),
    ("表彰评议", "honours.svg", "honours.page", "HonoursPage"),
    ("报表中心", "reports.svg", "reports.page", "ReportsPage"),
    ("设置", "settings.svg", "settings.page", "SettingsPage"),  # last
)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("党支部工作台 BranchDesk（只读）") if ctx.db.read_only
                            else self.tr("党支部工作台 BranchDesk"))
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

    def _action(self, menu: QMenu, text: str, tip: str, module: str, function: str) -> QAction:
        """A menu action whose dialog module is imported when it is first used (not at start-up):
        `function(window)` in `branchdesk.ui.<module>` runs it."""
        action = QAction(text, self)
        action.setStatusTip(tip)
        action.triggered.connect(
            lambda _checked=False: getattr(importlib.import_module(f"{__package__}.{module}"), function)(self))
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.export_package_action = QAction(self.tr("导出交接包(&E)…"), self)
        self.export_package_action.setStatusTip(self.tr("把当前组织的全部数据和附件导出为一个文件，供换届或换电脑时交接"))
        self.export_package_action.triggered.connect(lambda _checked=False: self.export_package())
        self.import_package_action = QAction(self.tr("导入交接包(&I)…"), self)
        self.import_package_action.setStatusTip(self.tr("导入他人导出的交接数据包；已有的数据不会删除"))
        self.import_package_action.triggered.connect(lambda _checked=False: self.import_package())
        file_menu.addAction(self.export_package_action)
        file_menu.addAction(self.import_package_action)
        file_menu.addSeparator()
        self.password_action = QAction(self.tr("设置启动密码(&P)…"), self)
        self.password_action.setStatusTip(self.tr("启动程序或无操作一段时间后需要输入密码"))
        self.password_action.triggered.connect(lambda _checked=False: self.edit_password())
        file_menu.addAction(self.password_action)
        file_menu.addSeparator()
        self.backup_action = self._action(file_menu, self.tr("立即备份(&B)"), self.tr(
            "把当前数据文件备份到备份文件夹"), "backups", "backup_now")
        self.restore_action = self._action(file_menu, self.tr("从备份恢复(&R)…"), self.tr(
            "用以前的备份替换当前数据；当前数据会先备份"), "backups", "open_restore")
        self.backup_settings_action = self._action(file_menu, self.tr("备份设置(&S)…"), self.tr(
            "备份文件夹和保留的份数"), "backups", "open_settings")
        for action in (self.backup_action, self.restore_action, self.backup_settings_action):
            action.setEnabled(not self.ctx.db.read_only)  # another window has the file open for writing
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        tools = self.menuBar().addMenu(self.tr("工具(&T)"))
        self.recycle_bin_action = self._action(tools, self.tr("回收站(&R)…"), self.tr(
            "查看已删除的记录，恢复或彻底删除"), "recycle_dialogs", "open_recycle_bin")
        self.audit_log_action = self._action(tools, self.tr("操作日志(&L)…"), self.tr(
            "查看谁在何时修改了哪些记录，可导出为Excel"), "recycle_dialogs", "open_audit_log")
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def edit_password(self) -> None:
        from .safety import edit_password  # only when asked for

        edit_password(self, self.ctx.db)

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("关于"), self.tr(
            "党支部工作台 BranchDesk {0}\n\n为机关党支部书记、组织委员设计的离线台账与报表工具。\n"
            "数据文件：{1}").format(__version__, self.ctx.db_path))

    # Handover packages (交接数据包)

    def export_package(self, path: Path | str | None = None) -> dict[str, Any] | None:
        """Export the scope organization's package to `path` (asked for when None); its manifest."""
        org_id = self.ctx.scope_id
        if org_id is None:
            QMessageBox.information(self, self.tr("导出交接包"), self.tr("还没有党组织，没有可导出的数据。"))
            return None
        name = self.scope.currentText().strip()
        if path is None:
            suggested = self.tr("{0}-交接数据包-{1}.zip").format(name, dt.date.today().strftime("%Y%m%d"))
            chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("导出交接包"), suggested, self.tr(PACKAGES))
            if not chosen:
                return None
            path = chosen
        out = Path(path)
        if not out.suffix:
            out = out.with_suffix(".zip")
        from ..services import handover  # loaded when first used, not at start-up

        manifest: list[dict[str, Any]] = []
        with busy():
            done = attempt(self, self.tr("导出失败"),
                           lambda: manifest.append(handover.export_package(self.ctx.db, org_id, out)))
        if not done:
            return None
        counts = manifest[0].get("counts", {})
        text = self.tr("已导出“{0}”的交接数据包：\n{1}\n\n包含：{2}").format(
            name, out, _count_line(counts, lambda n: n) or self.tr("无数据"))
        missing = manifest[0].get("missing_attachments") or []
        if missing:
            text += self.tr("\n\n有 {0} 个附件在附件文件夹中找不到，未放入数据包。").format(len(missing))
        QMessageBox.information(self, self.tr("导出完成"), text)
        return manifest[0]

    def import_package(self, path: Path | str | None = None,
                       ask: Callable[[QWidget, str, str], bool] = confirm) -> dict[str, Any] | None:
        """Show what the package at `path` (asked for when None) holds, and after `ask` confirms,
        bring it in (one transaction); the counts imported, or None when nothing was."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(self, self.tr("导入交接包"), "", self.tr(PACKAGES))
            if not chosen:
                return None
            path = chosen
        from ..services import handover

        package = Path(path)
        found: list[dict[str, Any]] = []
        with busy():
            readable = attempt(self, self.tr("不能导入交接包"),
                               lambda: found.append(handover.inspect_package(package)))
        if not readable:
            return None
        manifest = found[0]
        source = manifest.get("source") or {}
        question = self.tr(
            "数据包：{0}\n来源：{1}\n导出时间：{2}（BranchDesk {3}）\n包含：{4}\n\n"
            "导入到当前数据文件？已有的数据不会删除，相同的记录按数据包更新。").format(
            package.name, source.get("organization", self.tr("未知")), _when(manifest.get("exported_at")),
            manifest.get("app_version", "?"), _count_line(manifest.get("counts", {}), lambda n: n) or self.tr("无数据"))
        if not ask(self, self.tr("导入交接包"), question):
            return None
        result: list[dict[str, Any]] = []
        with busy():
            done = attempt(self, self.tr("不能导入交接包"),
                           lambda: result.append(handover.import_package(self.ctx.db, package)))
        if not done:
            return None
        counts = result[0].get("counts", {})
        added = _count_line(counts, lambda c: c.get("added", 0))
        updated = _count_line(counts, lambda c: c.get("updated", 0))
        lines = [self.tr("已导入“{0}”的交接数据包。").format(source.get("organization", package.name)),
                 self.tr("新增：{0}").format(added or self.tr("无")),
                 self.tr("更新：{0}").format(updated or self.tr("无"))]
        if result[0].get("attachments"):
            lines.append(self.tr("附件：{0} 个").format(result[0]["attachments"]))
        if result[0].get("settings_kept"):
            lines.append(self.tr("{0} 项设置与本机不同，保留了本机的设置。").format(len(result[0]["settings_kept"])))
        self.ctx.notify_changed()
        QMessageBox.information(self, self.tr("导入完成"), "\n".join(lines))
        return result[0]

    def rebuild(self) -> None:
        """Start the pages afresh on `ctx.db` (after it was reopened, e.g. on restored data)."""
        for page in self._built.values():
            self.pages.removeWidget(page)
            page.deleteLater()
        self._built.clear()
        self.ctx.scope_id = None
        self._reload_scopes()
        self._show_page(max(self.nav.currentRow(), 0))

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
            if hasattr(self._built[row], "navigate"):  # the Home page's items lead to other pages
                self._built[row].navigate.connect(self.open_page)
        return self._built[row]

    def open_page(self, module: str, then: Callable[[QWidget], object] | None = None) -> QWidget | None:
        """Show the page of `module` (as in PAGES) and run `then(page)` on it; None when there is no such page."""
        row = next((i for i, page in enumerate(PAGES) if page[2] == module), None)
        if row is None:
            return None
        self.nav.setCurrentRow(row)
        page = self.page(row)
        if then is not None:
            then(page)
        return page

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


def _count_line(counts: dict[str, Any], value: Callable[[Any], int]) -> str:
    """"党组织 4、党员 30、…": the tables whose `value` is not zero, in the package's order."""
    from ..services import handover

    parts = []
    for table, label in handover.LABELS.items():
        if table in counts and (n := value(counts[table])):
            parts.append(f"{label} {n}")
    if isinstance(counts.get("attachments"), int) and counts["attachments"]:
        parts.append(f"附件 {counts['attachments']}")
    return "、".join(parts)


def _when(stamp: object) -> str:
    """An ISO export time as 2026-11-23 14:05 (as given when it is not one)."""
    try:
        return dt.datetime.fromisoformat(str(stamp)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(stamp or "未知")
