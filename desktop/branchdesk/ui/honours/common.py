"""What the tabs of the 表彰评议 page share: loading only when shown, the record table with its
buttons and empty state, and 导出Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from ...services.errors import ServiceError
from ..context import AppContext
from ..saving import save_target, tell_saved
from ..widgets import Freshness, table_view
from .dialogs import CommendationDialog, StudyOutputDialog
from .models import RecordModel

T = TypeVar("T")
RecordDialog = CommendationDialog | StudyOutputDialog  # each has the `saved_id` of what it saved


class LazyTab(QWidget):
    """A tab that reads the database when it is shown, and again on a change only while shown."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.freshness = Freshness(self, ctx, self.reload)

    def reload(self) -> None:
        """Read what the tab shows from the database again (each tab its own)."""
        raise NotImplementedError


def empty_state() -> tuple[QLabel, QStackedWidget]:
    """The grey text that stands in for an empty table, and the stack that holds both."""
    label = QLabel()
    label.setObjectName("hint")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    stack = QStackedWidget()
    stack.addWidget(label)
    return label, stack


def fill_year_filter(combo: QComboBox, years: set[int]) -> None:
    """全部年度 and `years`, latest first, keeping the year chosen while it is still there."""
    keep = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(combo.tr("全部年度"), None)
    for year in sorted(years, reverse=True):
        combo.addItem(combo.tr("{0}年").format(year), year)
    combo.setCurrentIndex(max(combo.findData(keep), 0))
    combo.blockSignals(False)


class RecordTab(LazyTab, Generic[T]):
    """A list of records with 新增 (Ctrl+N), 编辑 (double-click, Enter) and 删除 (Del).

    Subclasses lay out `toolbar widgets`, `stack` (the table, or the empty-state text) and
    `count_label`, and give `add`, `edit`, `delete_selected` and `reload`.
    """

    def __init__(self, ctx: AppContext, model: RecordModel[T]) -> None:
        super().__init__(ctx)
        self.model = model
        self._select_after_reload: int | None = None
        self.table = table_view(model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(not any(c.stretch for c in model.columns))
        for i, column in enumerate(model.columns):
            header.resizeSection(i, column.width)
            if column.stretch:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed())
        self.empty_label, self.stack = empty_state()
        self.stack.insertWidget(0, self.table)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")

        self.new_button = QPushButton(self.tr("新增"))
        self.new_button.setProperty("primary", True)
        self.new_button.clicked.connect(self.add)
        self.edit_button = QPushButton(self.tr("编辑"))
        self.edit_button.setToolTip(self.tr("修改所选记录（双击、回车）"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.setToolTip(self.tr("删除所选记录（Del）"))
        self.delete_button.clicked.connect(self.delete_selected)

        # Window-wide while the tab is shown (a hidden widget's shortcuts are off).
        QShortcut(QKeySequence.StandardKey.New, self, self.add)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.setFocusProxy(self.table)

    def add(self) -> RecordDialog | None:
        raise NotImplementedError

    def edit_selected(self) -> RecordDialog | None:
        raise NotImplementedError

    def delete_selected(self) -> bool:
        raise NotImplementedError

    def show_records(self, records: list[T], empty_text: str) -> None:
        """Show `records`, or `empty_text` when there are none; keep (or select the saved) record."""
        keep = self._select_after_reload or self.selected_id()
        self._select_after_reload = None
        self.model.set_records(records)
        self.empty_label.setText(empty_text)
        self.stack.setCurrentWidget(self.table if records else self.empty_label)
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            index = self.model.index(row, 0)
            self.table.selectionModel().select(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
        self.selection_changed()

    def selected(self) -> T | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.new_button.setEnabled(self.ctx.scope_id is not None)
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def open_dialog(self, dialog: RecordDialog) -> RecordDialog:
        """Show `dialog` window-modal; when it saves, reload and select the record it saved."""
        def saved() -> None:
            self._select_after_reload = dialog.saved_id
            self.ctx.notify_changed()

        dialog.accepted.connect(saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog


def export_excel(parent: QWidget, ctx: AppContext, report: str, year: int | None, file_name: str) -> Path | None:
    """Ask where to save report `report` of the scope (for `year`), write it, and say where it is,
    offering to open its folder. The file written, or None."""
    if ctx.scope_id is None:
        return None
    out = save_target(parent, None, parent.tr("导出Excel"), file_name, parent.tr("Excel 工作簿 (*.xlsx)"))
    if out is None:
        return None
    from ...domain.periods import Period
    from ...services import exports  # openpyxl is loaded on the first export, not at start-up

    problem = None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        exports.export_report(ctx.db, report, out, ctx.scope_id, None if year is None else Period(year))
    except ServiceError as exc:
        problem = str(exc)
    except OSError as exc:
        problem = parent.tr("无法写入文件：{0}\n{1}\n\n如果该文件正在 Excel 中打开，请先关闭再导出。").format(
            out, exc.strerror or exc)
    finally:
        QApplication.restoreOverrideCursor()
    if problem:
        QMessageBox.warning(parent, parent.tr("未能导出"), problem)
        return None
    tell_saved(parent, parent.tr("导出完成"), parent.tr("已导出：{0}").format(out), out)
    return out
