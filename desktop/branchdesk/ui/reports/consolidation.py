"""The 汇总 dialog: the files branches sent, each checked as it is added, added up into one sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from ...services import consolidation, settings
from ...services.consolidation import Checked
from ...services.errors import ServiceError
from ..context import AppContext
from ..saving import last_folder, save_target, tell_saved
from ..widgets import busy
from .page import file_name

_OK = QColor("#1a7f37")
_PROBLEM = QColor("#d93025")
FILE, REPORT, PERIOD, BRANCHES, RESULT = range(5)


class ConsolidationDialog(QDialog):
    """Files are checked together whenever the list changes: the first that can be added up sets
    the report and period the others must have."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.paths: list[Path] = []
        self.checked: list[Checked] = []
        self._cache: consolidation.Cache = {}  # files already read, while unchanged
        self.setWindowTitle(self.tr("汇总各支部报表"))
        self.resize(960, 480)

        intro = QLabel(self.tr(
            "选择各支部报来的同一种报表、同一统计期间的 Excel 文件（由本程序导出），汇总为一张表："
            "每个支部一行，最后是合计行。\n可以汇总的报表：{0}。").format(
                "、".join(consolidation.consolidated_labels())))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("文件"), self.tr("报表"), self.tr("统计期间"), self.tr("支部"), self.tr("检查结果")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in ((FILE, 220), (REPORT, 170), (PERIOD, 110), (BRANCHES, 170)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(RESULT, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton(self.tr("添加文件…"))
        self.add_button.clicked.connect(lambda _checked=False: self.add_files())
        self.add_button.setAutoDefault(False)  # Enter saves, when saving is possible
        self.remove_button = QPushButton(self.tr("移除所选"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        files = QHBoxLayout()
        files.addWidget(self.add_button)
        files.addWidget(self.remove_button)
        files.addWidget(self.summary, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(self.tr("汇总并保存…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(files)
        layout.addWidget(self.buttons)
        self._show()

    def add_files(self, paths: list[Path | str] | None = None) -> None:
        """Add `paths` (asked for when None) to the list; a file already listed is not added again."""
        if paths is None:
            chosen, _filter = QFileDialog.getOpenFileNames(
                self, self.tr("选择要汇总的文件"), str(last_folder()), self.tr("Excel 工作簿 (*.xlsx);;所有文件 (*)"))
            if not chosen:
                return
            paths = list(chosen)
        listed = {p.resolve() for p in self.paths}
        for path in map(Path, paths):
            if path.resolve() not in listed:
                self.paths.append(path)
                listed.add(path.resolve())
        self._check()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            del self.paths[row]
        self._check()

    def problems(self) -> list[str]:
        return [c.problem for c in self.checked if c.problem]

    def _check(self) -> None:
        with busy():
            self.checked = consolidation.check(self.paths, self._cache)
        self._show()

    def _show(self) -> None:
        self.table.setRowCount(len(self.checked))
        for row, result in enumerate(self.checked):
            source = result.source
            cells = [result.path.name, source.label if source else "", source.period.label if source else "",
                     "、".join(source.branches) if source else "",
                     self.tr("可以汇总") if source else result.problem]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(result.path) if column == FILE else text)
                if column == RESULT:
                    item.setForeground(_OK if source else _PROBLEM)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        good = [c for c in self.checked if c.source]
        if not self.checked:
            self.summary.setText(self.tr("还没有添加文件。"))
        elif self.problems():
            self.summary.setText(self.tr("有 {0} 个文件不能汇总，请移除或换成正确的文件。").format(
                len(self.problems())))
        elif len(good) < 2:
            self.summary.setText(self.tr("请至少添加两个文件。"))
        else:
            branches = sum(len(c.source.branches) for c in good if c.source)
            self.summary.setText(self.tr("{0} 个文件，共 {1} 个支部，可以汇总。").format(len(good), branches))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        ready = len(self.checked) >= 2 and not self.problems()
        self.save_button.setEnabled(ready)

    def suggested_name(self) -> str:
        first = next(c.source for c in self.checked if c.source)
        return file_name(f"{first.title}（汇总）") + ".xlsx"

    def save(self, path: Path | str | None = None) -> Path | None:
        """Add the files up into `path` (asked for when None); the file written, or None."""
        if not self.save_button.isEnabled():
            return None
        out = save_target(self, path, self.tr("保存汇总表"), self.suggested_name(), self.tr("Excel 工作簿 (*.xlsx)"))
        if out is None:
            return None
        db = self.ctx.db
        unit = settings.get(db, settings.REPORT_UNIT)
        if not unit and self.ctx.scope_id is not None:
            from ...services import organizations

            unit = organizations.get(db, self.ctx.scope_id).name
        try:
            with busy():
                done = consolidation.consolidate(self.paths, out, unit, settings.get(db, settings.REPORT_PREPARER),
                                                 cache=self._cache)
        except ServiceError as exc:
            QMessageBox.warning(self, self.tr("未能汇总"), str(exc))
            self._check()  # a file may have changed since it was checked
            return None
        tell_saved(self, self.tr("汇总完成"), self.tr("已汇总 {0} 个文件、{1} 个支部：{2}").format(
            len(done.sources), done.branches, out), out)
        return out
