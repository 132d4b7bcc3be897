"""The 学习成果 tab: members' 心得体会, 调研报告 and 论文, and where they were published or awarded."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout

from ...services import honours
from ...services.honours import StudyOutput
from ..context import AppContext
from ..widgets import attempt, confirm
from .common import RecordTab, fill_year_filter
from .dialogs import StudyOutputDialog
from .models import study_output_model


class StudyOutputsTab(RecordTab[StudyOutput]):
    def __init__(self, ctx: AppContext) -> None:
        model = study_output_model()
        super().__init__(ctx, model)
        model.setParent(self)
        self.new_button.setToolTip(self.tr("登记一项学习成果（Ctrl+N）"))
        self.year_filter = QComboBox()
        self.year_filter.currentIndexChanged.connect(self.apply_filter)
        self._all: list[StudyOutput] = []  # the scope's, read on reload; the year filter picks from them

        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        toolbar.addWidget(self.year_filter)
        toolbar.addWidget(self.count_label)
        toolbar.addStretch(1)
        for b in (self.new_button, self.edit_button, self.delete_button):
            toolbar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        self.selection_changed()

    def reload(self) -> None:
        scope = self.ctx.scope_id
        self._all = honours.list_study_outputs(self.ctx.db, scope) if scope is not None else []
        fill_year_filter(self.year_filter, {o.data.written_on.year for o in self._all if o.data.written_on})
        self.apply_filter()

    def apply_filter(self) -> None:
        year = self.year_filter.currentData()
        found = [o for o in self._all if year is None or (o.data.written_on and o.data.written_on.year == year)]
        if self.ctx.scope_id is None:
            empty = self.tr("还没有党组织。请先在“组织”页建立党组织。")
        elif not self._all:
            empty = self.tr("本组织还没有学习成果记录。\n\n点击“新增”（Ctrl+N）登记党员的心得体会、调研报告、论文等。")
        else:
            empty = self.tr("所选年度没有学习成果记录。")
        self.show_records(found, empty)
        self.count_label.setText(self.tr("共 {0} 项").format(len(found)) if found else "")

    def add(self) -> StudyOutputDialog | None:
        if self.ctx.scope_id is None:
            return None
        dialog = StudyOutputDialog(self.ctx, parent=self)
        self.open_dialog(dialog)
        return dialog

    def edit_selected(self) -> StudyOutputDialog | None:
        output = self.selected()
        if output is None:
            return None
        dialog = StudyOutputDialog(self.ctx, output, parent=self)
        self.open_dialog(dialog)
        return dialog

    def delete_selected(self) -> bool:
        output = self.selected()
        if output is None:
            return False
        if not confirm(self, self.tr("删除学习成果"), self.tr(
                "确定删除{0}的{1}《{2}》吗？\n\n记录将移入回收站，可在“工具 › 回收站”中恢复。").format(
                output.member_name, output.data.kind.label, output.data.title)):
            return False
        if not attempt(self, self.tr("不能删除"), lambda: honours.delete_study_output(self.ctx.db, output.id)):
            return False
        self.ctx.notify_changed()
        return True
