"""The 表彰 tab: the scope's commendations, filtered by year, level and title, with attachments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QMenu, QMessageBox, QPushButton, QVBoxLayout

from ...domain.honours import Level, Title
from ...services import honours
from ...services.honours import Commendation
from ..context import AppContext
from ..widgets import attempt, confirm
from .common import RecordTab, export_excel, fill_year_filter
from .dialogs import CommendationDialog
from .models import CommendationModel


class CommendationsTab(RecordTab[Commendation]):
    def __init__(self, ctx: AppContext) -> None:
        model = CommendationModel()
        super().__init__(ctx, model)
        model.setParent(self)
        self.commendations = model
        self._all: list[Commendation] = []  # the scope's, read on reload; the filters pick from them

        self.year_filter = QComboBox()
        self.level_filter = QComboBox()
        self.level_filter.addItem(self.tr("全部级别"), None)
        for level in Level:
            self.level_filter.addItem(level.label, level.value)
        self.title_filter = QComboBox()
        self.title_filter.addItem(self.tr("全部称号"), None)
        for title in Title:
            self.title_filter.addItem(title.label, title.value)
        for combo in (self.year_filter, self.level_filter, self.title_filter):
            combo.currentIndexChanged.connect(self.apply_filter)

        self.attach_action = QAction(self.tr("添加附件…"), self)
        self.attach_action.setToolTip(self.tr("附上表彰决定、证书等的扫描件（复制到数据文件旁的附件文件夹）"))
        self.attach_action.triggered.connect(lambda: self.attach_file())
        self.open_action = QAction(self.tr("打开附件"), self)
        self.open_action.triggered.connect(lambda: self.open_attachment())
        self.attachment_button = QPushButton(self.tr("附件"))
        menu = QMenu(self.attachment_button)
        menu.addActions([self.attach_action, self.open_action])
        self.attachment_button.setMenu(menu)
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.export_button.setToolTip(self.tr("导出所选年度的表彰名单（按级别和称号分组）；未选年度时导出最近一年的"))
        self.export_button.clicked.connect(self.export)

        self.new_button.setToolTip(self.tr("登记一项表彰（Ctrl+N）"))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.attach_action, self.open_action])

        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        for w in (self.year_filter, self.level_filter, self.title_filter, self.count_label):
            toolbar.addWidget(w)
        toolbar.addStretch(1)
        for b in (self.new_button, self.edit_button, self.delete_button, self.attachment_button,
                  self.export_button):
            toolbar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        self.selection_changed()

    # Loading and filtering

    def reload(self) -> None:
        """Read the scope's commendations again, keeping the filters and the selection."""
        scope = self.ctx.scope_id
        self._all = honours.list_commendations(self.ctx.db, scope) if scope is not None else []
        fill_year_filter(self.year_filter, {c.data.year for c in self._all})
        self.commendations.missing = {c.id for c in self._all if self._attachment_missing(c)}
        self.apply_filter()

    def filters(self) -> tuple[int | None, Level | None, Title | None]:
        """The year, level and title chosen above the list (None: any)."""
        level, title = self.level_filter.currentData(), self.title_filter.currentData()
        return self.year_filter.currentData(), Level(level) if level else None, Title(title) if title else None

    def apply_filter(self) -> None:
        year, level, title = self.filters()
        found = [c for c in self._all if (year is None or c.data.year == year)
                 and (level is None or c.data.level is level) and (title is None or c.data.title is title)]
        if self.ctx.scope_id is None:
            empty = self.tr("还没有党组织。请先在“组织”页建立党组织。")
        elif not self._all:
            empty = self.tr("本组织还没有表彰记录。\n\n点击“新增”（Ctrl+N）登记党员或党组织获得的表彰。")
        else:
            empty = self.tr("没有符合条件的表彰记录。\n\n请修改上方的年度、级别或称号。")
        self.show_records(found, empty)
        self.count_label.setText(self.tr("共 {0} 项").format(len(found)) if found else "")

    def _attachment_missing(self, c: Commendation) -> bool:
        path = honours.attachment_path(self.ctx.db, c)
        return path is not None and not path.is_file()

    def selection_changed(self) -> None:
        super().selection_changed()
        c = self.selected()
        self.attachment_button.setEnabled(c is not None)
        self.attach_action.setEnabled(c is not None)
        self.attach_action.setText(self.tr("更换附件…") if c and c.attachment else self.tr("添加附件…"))
        self.open_action.setEnabled(bool(c and c.attachment))
        self.export_button.setEnabled(self.ctx.scope_id is not None)

    # Actions

    def add(self) -> CommendationDialog | None:
        """Open the dialog for a new commendation, starting from the year, level and title filtered."""
        if self.ctx.scope_id is None:
            return None
        year, level, title = self.filters()
        dialog = CommendationDialog(self.ctx, year=year, level=level, title=title, parent=self)
        self.open_dialog(dialog)
        return dialog

    def edit_selected(self) -> CommendationDialog | None:
        c = self.selected()
        if c is None:
            return None
        dialog = CommendationDialog(self.ctx, c, parent=self)
        self.open_dialog(dialog)
        return dialog

    def delete_selected(self) -> bool:
        c = self.selected()
        if c is None:
            return False
        question = self.tr("确定删除表彰记录“{0} · {1}”吗？\n\n记录将移入回收站，可在“工具 › 回收站”中恢复。").format(
            c.line, c.recipient_name)
        if c.attachment:
            question += self.tr("\n\n其附件一并保留在回收站中，彻底删除时才删除。")
        if not confirm(self, self.tr("删除表彰"), question):
            return False
        if not attempt(self, self.tr("不能删除"), lambda: honours.delete_commendation(self.ctx.db, c.id)):
            return False
        self.ctx.notify_changed()
        return True

    def attach_file(self, source: Path | None = None) -> bool:
        """Copy a file (`source`, or one the user picks) in as the selected record's attachment."""
        c = self.selected()
        if c is None:
            return False
        if source is None:
            kinds = self.tr("扫描件和文档 (*.pdf *.ofd *.jpg *.jpeg *.png *.doc *.docx);;所有文件 (*)")
            chosen, _filter = QFileDialog.getOpenFileName(self, self.tr("选择附件"), "", kinds)
            if not chosen:
                return False
            source = Path(chosen)
        done = attempt(self, self.tr("未能添加附件"), lambda: honours.attach(self.ctx.db, c.id, source))
        if done:
            self._select_after_reload = c.id
            self.ctx.notify_changed()
        return done

    def open_attachment(self) -> bool:
        """Open the selected record's attachment with the program the system uses for it."""
        c = self.selected()
        path = honours.attachment_path(self.ctx.db, c) if c else None
        if c is None or path is None:
            return False
        if not path.is_file():
            QMessageBox.warning(self, self.tr("找不到附件"), self.tr(
                "附件文件已不在原处：\n{0}\n\n可能已被移动或删除。请用“附件 › 更换附件…”重新添加。").format(path))
            self.commendations.missing.add(c.id)  # the 附件 column now says so
            self.apply_filter()
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(self, self.tr("无法打开附件"), self.tr(
                "没有能打开此文件的程序：\n{0}").format(path))
            return False
        return True

    def export(self) -> Path | None:
        """Export the year filtered, or else the latest year with commendations (or this year)."""
        year = self.filters()[0] or self.year_filter.itemData(1) or dt.date.today().year
        return export_excel(self, self.ctx, "commendations", year, self.tr("表彰名单_{0}.xlsx").format(year))
