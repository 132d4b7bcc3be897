"""Backups in the GUI: 文件 › 立即备份 / 从备份恢复… / 备份设置…, the automatic backups (daily and
on exit), and the offer to restore when the database file is damaged on open."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import backups
from ..services.errors import ServiceError
from ..store.connection import StoreError, open_database
from ..store.database import Database
from .context import AppContext
from .widgets import attempt, busy, confirm

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)
BACKUP_FILES = "BranchDesk 备份 (*.sqlite);;所有文件 (*)"
DAILY_DELAY_MS = 3000  # the daily backup waits until the window is up and settled


def _remember(folder: Path) -> None:
    """Where backups go, kept outside the database too: a damaged file cannot say where its
    backups are."""
    QSettings().setValue("backups/folder", str(folder))


def _folders(db_path: Path) -> list[Path]:
    found = [backups.configured_folder(db_path)]
    remembered = QSettings().value("backups/folder")
    if remembered and Path(str(remembered)) not in found:
        found.append(Path(str(remembered)))
    return found


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


# Menu


def open_restore(window: MainWindow) -> None:
    RestoreDialog(window).exec()


def open_settings(window: MainWindow) -> None:
    BackupSettingsDialog(window.ctx, window).exec()


def backup_now(window: MainWindow) -> Path | None:
    ctx = window.ctx
    written: list[Path] = []
    with busy():
        done = attempt(window, window.tr("备份失败"), lambda: written.append(backups.backup_now(ctx.db, ctx.db_path)))
    if not done:
        return None
    _remember(written[0].parent)
    QMessageBox.information(window, window.tr("备份完成"), window.tr(
        "已备份到：\n{0}\n\n备份已通过完整性检查。").format(written[0]))
    return written[0]


# Automatic backups


def auto_backup(ctx: AppContext, on_exit: bool) -> Path | None:
    """The exit backup (skipped when nothing changed since the last one) or the daily one (when
    the newest is a day old); failures are logged, never raised: the data itself is untouched."""
    try:
        folder = backups.folder(ctx.db, ctx.db_path)
        if on_exit and not backups.changed_since_backup(ctx.db_path, folder):
            return None
        if not on_exit and not backups.backup_due(ctx.db_path, folder):
            return None
        written = backups.backup_now(ctx.db, ctx.db_path)
    except (ServiceError, StoreError, OSError) as exc:
        log.warning("自动备份失败：%s", exc)
        return None
    _remember(written.parent)
    return written


def daily_backup(window: MainWindow) -> None:
    with busy():
        written = auto_backup(window.ctx, on_exit=False)
    if written is not None:
        window.statusBar().showMessage(window.tr("已自动备份：{0}").format(written), 10000)


# Restore


class RestoreDialog(QDialog):
    """The backups in the backup folder (time, size, counts); the chosen one replaces the data
    after a confirmation, and the window reloads onto it."""

    def __init__(self, window: MainWindow, ask: Callable[[QWidget, str, str], bool] = confirm) -> None:
        super().__init__(window)
        self.window_ = window
        self.ask = ask
        self.restored: Path | None = None
        self.setWindowTitle(self.tr("从备份恢复"))
        self.resize(760, 460)
        self.folder = backups.folder(window.ctx.db, window.ctx.db_path)
        intro = QLabel(self.tr("备份文件夹：{0}\n选择一个备份恢复。恢复前，当前数据会先备份一份（也会出现在此列表中），"
                               "恢复后仍可撤回。").format(self.folder))
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("备份时间"), self.tr("大小"), self.tr("党员"), self.tr("党组织"), self.tr("文件")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        self.empty = QLabel(self.tr("备份文件夹中还没有备份。可以用“文件 › 立即备份”备份一份，"
                                    "或用“其他备份文件…”选择别处的备份。"))
        self.empty.setWordWrap(True)

        self.restore_button = QPushButton(self.tr("恢复所选备份"))
        self.restore_button.setObjectName("primaryButton")
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        other = QPushButton(self.tr("其他备份文件…"))
        other.clicked.connect(self._choose_file)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(other)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        with busy():
            self.listed = backups.list_backups(self.window_.ctx.db_path, self.folder)
        self.table.setRowCount(len(self.listed))
        for row, info in enumerate(self.listed):
            members = info.counts.get("members")
            orgs = info.counts.get("organizations")
            cells = [info.taken_at.strftime("%Y-%m-%d %H:%M:%S"), _size(info.size),
                     self.tr("无法读取") if members is None else str(members),
                     "" if orgs is None else str(orgs), info.path.name]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.empty.setVisible(not self.listed)
        if self.listed:
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, self.tr("选择备份文件"), str(self.folder),
                                                      self.tr(BACKUP_FILES))
        if chosen:
            self.restore_file(Path(chosen))

    def restore_selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.restore_file(self.listed[rows[0].row()].path)

    def restore_file(self, path: Path) -> Path | None:
        found = next((i for i in self.listed if i.path == path), None)
        when = found.taken_at.strftime("%Y-%m-%d %H:%M") if found else path.name
        members = (found.counts if found else backups.counts(path)).get("members")
        question = self.tr(
            "用 {0} 的备份（党员 {1} 名）替换当前的全部数据？\n\n"
            "当前数据会先备份到备份文件夹，需要时可以再恢复回来。").format(
            when, self.tr("未知") if members is None else members)
        if not self.ask(self, self.tr("从备份恢复"), question):
            return None
        if restore_into(self.window_, path) is None:
            return None
        self.restored = path
        self.accept()
        return path


def restore_into(window: MainWindow, backup: Path) -> backups.RestoreResult | None:
    """Close the window's database, restore `backup` over it, reopen it and rebuild the pages.
    On a refusal (a bad backup) the old database is reopened untouched."""
    ctx = window.ctx
    folder = backups.folder(ctx.db, ctx.db_path)
    try:
        backups.verify(backup)  # before anything is closed
    except ServiceError as exc:
        QMessageBox.warning(window, window.tr("不能恢复"), str(exc))
        return None
    result: backups.RestoreResult | None = None
    error: Exception | None = None
    with busy():
        ctx.db.close()
        try:
            result = backups.restore(backup, ctx.db_path, folder)
        except ServiceError as exc:
            error = exc
        try:
            ctx.db = open_database(ctx.db_path)
        except StoreError as exc:
            QMessageBox.critical(window, window.tr("无法打开数据库"), str(exc))
            window.close()
            return None
        window.rebuild()
    if error is not None:
        QMessageBox.warning(window, window.tr("恢复失败"), str(error))
        return None
    assert result is not None
    QMessageBox.information(window, window.tr("恢复完成"), window.tr(
        "已恢复 {0} 的数据。\n\n恢复前的数据已备份到：\n{1}").format(
            backup.name, result.previous or window.tr("（原来没有数据）")))
    return result


class BackupSettingsDialog(QDialog):
    """The backup folder (another drive or a USB stick is typical) and how many backups to keep."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("备份设置"))
        self.resize(560, 0)
        self.folder = QLineEdit(str(backups.folder(ctx.db, ctx.db_path)))
        self.folder.setPlaceholderText(str(backups.default_folder(ctx.db_path)))
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.keep = QSpinBox()
        self.keep.setRange(1, backups.MAX_KEEP)
        self.keep.setValue(backups.keep(ctx.db))
        self.keep.setSuffix(self.tr(" 份"))
        note = QLabel(self.tr("退出程序时和每天第一次打开时自动备份；只保留最近的若干份，更早的自动删除。\n"
                              "建议把备份放在另一块硬盘或 U 盘上。"))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("备份文件夹："), folder_row)
        form.addRow(self.tr("保留最近："), self.keep)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(box)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择备份文件夹"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def save(self) -> None:
        text = self.folder.text().strip()
        default = str(backups.default_folder(self.ctx.db_path))
        folder = None if not text or text == default else text
        if attempt(self, self.tr("不能保存设置"),
                   lambda: backups.save_settings(self.ctx.db, folder, self.keep.value())):
            _remember(backups.folder(self.ctx.db, self.ctx.db_path))
            self.accept()


# A damaged database on open


def recover(db_path: Path, error: StoreError, parent: QWidget | None = None, offer: bool = True,
            ask: Callable[[QWidget | None, str, str], bool] = confirm) -> Database | None:
    """After open failed with `error`: for a damaged file, offer the latest backup (the damaged
    file is renamed aside, never overwritten) and return the restored database; otherwise, or
    when declined, show why and return None. `offer` False (read-only mode): only say why."""
    if not offer or not backups.damaged(db_path):
        QMessageBox.critical(parent, "无法打开数据库", str(error))
        return None
    found = [p for p in (backups.latest_backup(db_path, f) for f in _folders(db_path)) if p is not None]
    latest = max(found, key=lambda p: p.name[len(db_path.stem):]) if found else None
    if latest is None:
        QMessageBox.critical(parent, "数据库文件已损坏", (
            f"{error}\n\n在备份文件夹 {backups.configured_folder(db_path)} 中没有找到备份。"
            f"损坏的文件 {db_path} 保持原样，没有做任何修改。"))
        return None
    stamp = dt.datetime.now()
    question = (f"数据库文件 {db_path} 已损坏，无法使用：\n{error}\n\n"
                f"找到最近的备份：{latest}（党员 {backups.counts(latest).get('members', '未知')} 名）。\n"
                f"恢复这个备份吗？损坏的文件不会被覆盖，而是改名保留为 "
                f"{db_path.name}.damaged-{stamp:%Y%m%d-%H%M%S}。")
    if not ask(parent, "数据库文件已损坏", question):
        return None
    try:
        result = backups.restore(latest, db_path, latest.parent, now=stamp)
        db = open_database(db_path)
    except (ServiceError, StoreError) as exc:
        QMessageBox.critical(parent, "恢复失败", f"{exc}\n\n损坏的文件没有被删除。")
        return None
    QMessageBox.information(parent, "恢复完成",
                            f"已从备份 {latest.name} 恢复数据。\n损坏的文件已改名保留为：\n{result.previous}")
    return db
