"""工具 › 回收站… and 操作日志…: restore or purge deleted records; read and export the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import audit, recycle
from .context import AppContext
from .widgets import attempt, busy, confirm

if TYPE_CHECKING:
    from .main_window import MainWindow


def open_recycle_bin(window: MainWindow) -> None:
    RecycleBinDialog(window.ctx, window).exec()


def open_audit_log(window: MainWindow) -> None:
    AuditLogDialog(window.ctx, window).exec()


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(i, j, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for j in range(table.columnCount() - 1):
        header.resizeSection(j, min(header.sectionSize(j), 360))


class RecycleBinDialog(QDialog):
    """Deleted records, latest first: 恢复 brings one back with what went with it; 彻底删除 and
    清空回收站 remove for good (attached files too)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 ask: Callable[[QWidget, str, str], bool] = confirm) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ask = ask
        self.setWindowTitle(self.tr("回收站"))
        self.resize(900, 520)
        self.entries: list[recycle.BinEntry] = []
        self.table = _table([self.tr("删除时间"), self.tr("类别"), self.tr("记录"), self.tr("一并删除的记录"),
                             self.tr("删除人")])
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.summary = QLabel()
        self.restore_button = QPushButton(self.tr("恢复"))
        self.restore_button.setToolTip(self.tr("把所选记录连同一并删除的记录恢复到原处"))
        self.restore_button.clicked.connect(lambda _checked=False: self.restore_selected())
        self.purge_button = QPushButton(self.tr("彻底删除"))
        self.purge_button.clicked.connect(lambda _checked=False: self.purge_selected())
        self.empty_button = QPushButton(self.tr("清空回收站"))
        self.empty_button.clicked.connect(lambda _checked=False: self.empty())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.restore_button, self.purge_button, self.empty_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("删除的党员、表彰、学习成果、任职记录和组织先放在回收站中，可以恢复；"
                                        "彻底删除后不能恢复。")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.entries = recycle.entries(self.ctx.db)
        _fill(self.table, [(e.deleted_at, e.kind_label, e.label, e.contents, e.os_user) for e in self.entries])
        self.summary.setText(self.tr("共 {0} 条").format(len(self.entries)) if self.entries
                             else self.tr("回收站是空的"))
        self.empty_button.setEnabled(bool(self.entries))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.restore_button.setEnabled(chosen)
        self.purge_button.setEnabled(chosen)

    def selected(self) -> recycle.BinEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    def restore_selected(self) -> bool:
        entry = self.selected()
        if entry is None:
            return False
        question = self.tr("恢复{0}“{1}”？").format(entry.kind_label, entry.label)
        if entry.contents:
            question += self.tr("\n\n将一并恢复：{0}").format(entry.contents)
        if not self.ask(self, self.tr("恢复"), question):
            return False
        done = attempt(self, self.tr("不能恢复"), lambda: recycle.restore(self.ctx.db, entry.id))
        if done:
            self.ctx.notify_changed()
        self.reload()
        return done

    def purge_selected(self) -> bool:
        entry = self.selected()
        if entry is None:
            return False
        if not self.ask(self, self.tr("彻底删除"), self.tr(
                "彻底删除{0}“{1}”？\n\n彻底删除后不能恢复，附件文件也将删除。").format(entry.kind_label, entry.label)):
            return False
        done = attempt(self, self.tr("不能删除"), lambda: recycle.purge(self.ctx.db, entry.id))
        self.reload()
        return done

    def empty(self) -> bool:
        if not self.entries or not self.ask(self, self.tr("清空回收站"), self.tr(
                "彻底删除回收站中的全部 {0} 条记录？\n\n清空后不能恢复，附件也将删除。").format(len(self.entries))):
            return False
        done = attempt(self, self.tr("不能清空回收站"), lambda: recycle.purge_all(self.ctx.db))
        self.reload()
        return done


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class AuditLogDialog(QDialog):
    """The audit log between two dates, of one action or all, with 导出Excel."""

    LIMIT = 5000  # rows shown; the export holds them all

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("操作日志"))
        self.resize(1000, 560)
        today = today or dt.date.today()
        self.first = QDateEdit(_qdate(today - dt.timedelta(days=30)))
        self.last = QDateEdit(_qdate(today))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.reload())
        self.action = QComboBox()
        self.action.addItem(self.tr("全部操作"), None)
        for name in audit.ACTIONS:
            self.action.addItem(name, name)
        self.action.currentIndexChanged.connect(lambda _i: self.reload())
        self.export_button = QPushButton(self.tr("导出Excel…"))
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        filters = QHBoxLayout()
        for widget in (QLabel(self.tr("从")), self.first, QLabel(self.tr("到")), self.last,
                       QLabel(self.tr("操作")), self.action):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.export_button)
        self.table = _table([self.tr("时间"), self.tr("操作人"), self.tr("操作"), self.tr("类别"),
                             self.tr("记录"), self.tr("修改项目")])
        self.summary = QLabel()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.reload()

    def filters(self) -> tuple[dt.date, dt.date, str | None]:
        return _date(self.first), _date(self.last), self.action.currentData()

    def reload(self) -> None:
        first, last, action = self.filters()
        found = audit.entries(self.ctx.db, first, last, action, limit=self.LIMIT + 1)
        shown = found[:self.LIMIT]
        _fill(self.table, [(e.at, e.os_user, e.action, e.table_label, e.label, e.fields) for e in shown])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        text = self.tr("共 {0} 条").format(len(shown)) if len(found) <= self.LIMIT else self.tr(
            "只显示最近的 {0} 条，请缩小日期范围；导出的文件包含全部记录").format(self.LIMIT)
        self.summary.setText(text)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def export(self, path: Path | str | None = None) -> Path | None:
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("导出操作日志"), "操作日志.xlsx",
                                                          self.tr("Excel 工作簿 (*.xlsx)"))
            if not chosen:
                return None
            path = chosen
        target = Path(path)
        first, last, action = self.filters()
        written: list[int] = []
        with busy():
            done = attempt(self, self.tr("不能导出"), lambda: written.append(
                audit.export(self.ctx.db, target, first, last, action)))
        if not done:
            return None
        QMessageBox.information(self, self.tr("导出完成"), self.tr("已导出 {0} 条日志到：\n{1}").format(
            written[0], target))
        return target
