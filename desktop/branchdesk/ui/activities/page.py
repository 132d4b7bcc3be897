"""The 会议学习 page: the meetings and study sessions of the scope (filtered by kind, period and
search) with 补学 and printing, and how well each branch keeps the rules (落实情况)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.activities import ActivityKind, AttendanceStatus
from ...domain.fields import FieldError
from ...domain.periods import Period, quarter_of
from ...services import activities
from ...services.activities import ActivityRow, Missing
from ...services.errors import ServiceError
from ..context import AppContext
from ..forms import FormDialog, form_layout
from ..honours.common import LazyTab, RecordTab, empty_state
from ..saving import save_target
from ..widgets import DateEdit, attempt, busy, confirm, table_view
from .dialog import ActivityDialog, branch_choices
from .models import FIRST_MONTH, GAP_COLUMN, KIND, RULE, ActivityModel, ComplianceModel, StudyModel

_PERIOD_NAMES = {"month": "本月", "quarter": "本季度", "year": "本年度"}


def due_text(missing: list[Missing]) -> str:
    """"本月尚未召开：支委会、主题党日；本季度尚未召开：党课" for one branch's meetings due now."""
    by_period: dict[str, list[str]] = defaultdict(list)
    for m in missing:
        by_period[m.period.kind].append(m.kind.label)
    return "；".join(f"{_PERIOD_NAMES[p]}尚未召开：{'、'.join(by_period[p])}"
                    for p in ("month", "quarter", "year") if by_period[p])


class MakeUpDialog(FormDialog):
    """补学: a member who was away (请假/缺席) made the session up on a day; the hours are credited."""

    def __init__(self, ctx: AppContext, activity: activities.Activity, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._save, self._check, parent)
        self.ctx = ctx
        self.activity = activity
        self.saved_id = activity.id
        self.setWindowTitle(self.tr("登记补学"))
        self.setMinimumWidth(440)
        self.member = QComboBox()
        away = [r for r in activity.attendance if r.status in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)]
        for r in away:
            self.member.addItem(f"{r.name}（{r.status.label}{'：' + r.reason if r.reason else ''}）", r.member_id)
        self.made_up_on = DateEdit()
        self.made_up_on.set_date_value(today or dt.date.today())
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("如：自学会议材料并提交心得"))
        about = QLabel(self.tr("{0}　{1}").format(activity.data.kind.label, activity.data.topic))
        about.setWordWrap(True)
        form = form_layout()
        form.addRow(self.tr("活动："), about)
        form.addRow(self.tr("补学党员："), self.field("member_id", self.member))
        form.addRow(self.tr("补学日期："), self.field("made_up_on", self.made_up_on))
        form.addRow(self.tr("说明："), self.field("note", self.note))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def _check(self) -> list[FieldError]:
        problems = []
        if self.member.currentData() is None:
            problems.append(FieldError("member_id", self.tr("这次活动没有请假或缺席的党员")))
        if self.made_up_on.date_value() is None and not self.made_up_on.problem():
            problems.append(FieldError("made_up_on", self.tr("不能为空")))
        return problems

    def _save(self) -> None:
        day = self.made_up_on.date_value()
        assert day is not None
        activities.make_up(self.ctx.db, self.activity.id, self.member.currentData(), day, self.note.text())


class ActivityListTab(RecordTab[ActivityRow]):
    """The activities of the scope, latest first."""

    def __init__(self, ctx: AppContext) -> None:
        model = ActivityModel()
        super().__init__(ctx, model)
        model.setParent(self)
        self.activities = model
        today = dt.date.today()

        self.kind_filter = QComboBox()
        self.kind_filter.addItem(self.tr("全部类型"), None)
        for kind in ActivityKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.year_filter = QComboBox()
        self.year_filter.addItem(self.tr("全部年度"), None)
        for year in range(today.year + 1, today.year - 10, -1):
            self.year_filter.addItem(self.tr("{0}年").format(year), year)
        self.year_filter.setCurrentIndex(self.year_filter.findData(today.year))
        self._scope_shown: int | None = None  # the period is set to suit each scope when first listed
        self.period_filter = QComboBox()
        self.period_filter.addItem(self.tr("全年"), None)
        for quarter in range(1, 5):
            self.period_filter.addItem(self.tr("第{0}季度").format("一二三四"[quarter - 1]), f"Q{quarter}")
        for month in range(1, 13):
            self.period_filter.addItem(self.tr("{0}月").format(month), f"{month:02d}")
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索主题、地点、授课人…"))
        self.search.setClearButtonEnabled(True)
        self.search.setFixedWidth(190)
        for combo in (self.kind_filter, self.year_filter, self.period_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.search.textChanged.connect(self.apply_filter)
        self.year_filter.currentIndexChanged.connect(
            lambda: self.period_filter.setEnabled(self.year_filter.currentData() is not None))

        self.make_up_button = QPushButton(self.tr("补学…"))
        self.make_up_button.setToolTip(self.tr("登记请假或缺席党员的补学，计入学时"))
        self.make_up_button.clicked.connect(lambda: self.make_up_selected())
        self.sign_in_action = QAction(self.tr("签到表（PDF）…"), self)
        self.sign_in_action.triggered.connect(lambda: self.print_sign_in())
        self.sign_in_excel_action = QAction(self.tr("签到表（Excel）…"), self)
        self.sign_in_excel_action.setToolTip(self.tr("导出预填的签到表为 Excel 文件，可在 Excel 或 WPS 中调整后打印"))
        self.sign_in_excel_action.triggered.connect(lambda: self.export_sign_in())
        self.minutes_action = QAction(self.tr("会议记录（PDF）…"), self)
        self.minutes_action.triggered.connect(lambda: self.print_minutes())
        self.print_button = QPushButton(self.tr("打印"))
        self.print_button.setToolTip(self.tr("会前打印预填的签到表（PDF 或 Excel），会后打印会议记录（A4 PDF）"))
        menu = QMenu(self.print_button)
        menu.addActions([self.sign_in_action, self.sign_in_excel_action, self.minutes_action])
        self.print_button.setMenu(menu)
        self.new_button.setToolTip(self.tr("登记会议或学习活动（Ctrl+N）"))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.sign_in_action, self.sign_in_excel_action, self.minutes_action])

        self.due = QLabel()
        self.due.setObjectName("warning")
        self.due.setWordWrap(True)
        self.due.hide()

        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        for w in (self.kind_filter, self.year_filter, self.period_filter, self.search, self.count_label):
            toolbar.addWidget(w)
        toolbar.addStretch(1)
        for b in (self.new_button, self.edit_button, self.delete_button, self.make_up_button, self.print_button):
            toolbar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(self.due)
        layout.addWidget(self.stack, 1)
        self.selection_changed()

    # Loading

    def period(self) -> Period | None:
        year, part = self.year_filter.currentData(), self.period_filter.currentData()
        if year is None:
            return None
        return Period.parse(f"{year}-{part}" if part else str(year))

    def reload(self) -> None:
        if self.ctx.scope_id != self._scope_shown:
            self._scope_shown = self.ctx.scope_id
            self._default_period()
        self.apply_filter()
        self._show_due()

    def _default_period(self) -> None:
        """This year for one branch (its ledger of the year); this quarter for a scope of several
        branches, whose year holds thousands of meetings (200 branches: some 15,000)."""
        today = dt.date.today()
        several = len(branch_choices(self.ctx)) > 1
        for combo, value in ((self.year_filter, today.year),
                             (self.period_filter, f"Q{quarter_of(today)}" if several else None)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.period_filter.setEnabled(True)

    def apply_filter(self) -> None:
        scope = self.ctx.scope_id
        period = self.period()
        kind = self.kind_filter.currentData()
        found = activities.list_activities(
            self.ctx.db, scope, kind=ActivityKind(kind) if kind else None,
            start=period.start if period else None, end=period.end if period else None,
            search=self.search.text()) if scope is not None else []
        if scope is None:
            empty = self.tr("还没有党组织。请先在“组织”页建立党组织。")
        elif found or kind or self.search.text().strip():
            empty = self.tr("没有符合条件的会议或活动。\n\n请修改上方的类型、期间或搜索内容。")
        else:
            empty = self.tr("所选期间还没有会议或学习活动的记录。\n\n点击“新增”（Ctrl+N）登记一次会议或学习。")
        self.activities.one_branch = len({a.branch_id for a in found}) == 1
        self.show_records(found, empty)
        self.count_label.setText(self.tr("共 {0} 次").format(len(found)) if found else "")

    def _show_due(self) -> None:
        """The required meetings of this month, quarter and year not yet held (at a glance)."""
        scope = self.ctx.scope_id
        missing = activities.due_now(self.ctx.db, scope) if scope is not None else []
        branches = {m.branch_id for m in missing}
        if not missing:
            text = ""
        elif len(branches) == 1 and len(branch_choices(self.ctx)) == 1:
            text = due_text(missing)
        else:
            text = self.tr("{0} 个支部尚有本期应召开的会议未召开，详见“落实情况”。").format(len(branches))
        self.due.setText(text)
        self.due.setVisible(bool(text))

    def selection_changed(self) -> None:
        super().selection_changed()
        a = self.selected()
        self.make_up_button.setEnabled(bool(a and a.status == "held" and (a.leave or a.absent)))
        for action in (self.sign_in_action, self.sign_in_excel_action, self.minutes_action):
            action.setEnabled(a is not None)
        self.print_button.setEnabled(a is not None)

    # Actions

    def add(self) -> ActivityDialog | None:
        if self.ctx.scope_id is None:
            return None
        kind = self.kind_filter.currentData()
        dialog = ActivityDialog(self.ctx, kind=ActivityKind(kind) if kind else None, parent=self)
        self.open_dialog(dialog)
        return dialog

    def edit_selected(self) -> ActivityDialog | None:
        a = self.selected()
        if a is None:
            return None
        dialog = ActivityDialog(self.ctx, activities.get(self.ctx.db, a.id), parent=self)
        self.open_dialog(dialog)
        return dialog

    def delete_selected(self) -> bool:
        a = self.selected()
        if a is None:
            return False
        question = self.tr("确定删除{0}“{1}”（{2}）吗？\n\n其出席记录和附件一并移入回收站，"
                           "可在“工具 › 回收站”中恢复。").format(a.kind.label, a.topic, a.held_on.isoformat())
        if not confirm(self, self.tr("删除会议/活动"), question):
            return False
        if not attempt(self, self.tr("不能删除"), lambda: activities.delete(self.ctx.db, a.id)):
            return False
        self.ctx.notify_changed()
        return True

    def make_up_selected(self) -> MakeUpDialog | None:
        a = self.selected()
        if a is None:
            return None
        dialog = MakeUpDialog(self.ctx, activities.get(self.ctx.db, a.id), parent=self)
        self.open_dialog(dialog)
        return dialog

    def print_sign_in(self, out: Path | None = None) -> Path | None:
        """The selected meeting's pre-filled 签到表 as a PDF (where: asked when `out` is None)."""
        from . import printing  # Qt's PDF writer is loaded on the first print

        return self._print(self.tr("签到表"), printing.sign_in_pdf, out)

    def print_minutes(self, out: Path | None = None) -> Path | None:
        from . import printing

        return self._print(self.tr("会议记录"), printing.minutes_pdf, out)

    def export_sign_in(self, out: Path | None = None) -> Path | None:
        """The selected meeting's pre-filled 签到表 as an Excel sheet (where: asked when `out` is None)."""
        from ...services import exports  # openpyxl is loaded on the first export

        return self._print(self.tr("签到表"), exports.export_sign_in, out, ".xlsx", self.tr("Excel 工作簿 (*.xlsx)"))

    def _print(self, what: str, write, out: Path | None, suffix: str = ".pdf",
               file_filter: str | None = None) -> Path | None:
        a = self.selected()
        if a is None:
            return None
        if out is None:
            name = f"{a.held_on.isoformat()}_{a.kind.label}{what}{suffix}"
            out = save_target(self, None, self.tr("保存{0}").format(what), name,
                              file_filter or self.tr("PDF 文件 (*.pdf)"), suffix)
            if out is None:
                return None
        try:
            with busy():
                write(self.ctx.db, a.id, out)
        except ServiceError as exc:  # the Excel sheet: a file open in Excel, a meeting deleted meanwhile
            QMessageBox.warning(self, self.tr("未能保存"), str(exc))
            return None
        except OSError as exc:
            QMessageBox.warning(self, self.tr("未能保存"), self.tr(
                "无法写入文件：{0}\n{1}\n\n如果该文件正在打开，请先关闭。").format(out, exc.strerror or exc))
            return None
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("已保存"), self.tr("{0}已保存：{1}").format(what, out),
                          QMessageBox.StandardButton.Ok, self)
        open_file = box.addButton(self.tr("打开"), QMessageBox.ButtonRole.ActionRole)

        def finished() -> None:
            if box.clickedButton() is open_file:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

        box.finished.connect(finished)
        box.open()
        return out


class ComplianceTab(LazyTab):
    """落实情况: a branch's required meetings by period of a year (held / required, missing in red),
    and each member's attendance and study hours against what they owe."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        today = dt.date.today()
        self.year = QSpinBox()
        self.year.setRange(2000, today.year + 1)
        self.year.setValue(today.year)
        self.year.setSuffix(self.tr(" 年"))
        self.year.setFixedWidth(100)
        self.branch = QComboBox()
        self.branch.setMinimumContentsLength(14)
        self.branch.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.year.valueChanged.connect(self.reload)
        self.branch.currentIndexChanged.connect(self._show_compliance)
        self.due = QLabel()
        self.due.setObjectName("warning")
        self.due.setWordWrap(True)
        self.due.hide()
        legend = QLabel(self.tr("格中为 已召开/要求 次数：绿色达到要求，红色未达到，黄色本期进行中"))
        legend.setObjectName("hint")

        self.compliance = ComplianceModel(self)
        self.compliance_table = QTableView()
        self.compliance_table.setModel(self.compliance)
        self.compliance_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compliance_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.compliance_table.verticalHeader().hide()
        self.compliance_table.verticalHeader().setDefaultSectionSize(28)
        header = self.compliance_table.horizontalHeader()
        header.setHighlightSections(False)
        header.resizeSection(KIND, 110)
        header.resizeSection(RULE, 170)
        for column in range(FIRST_MONTH, FIRST_MONTH + 12):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.compliance_empty, self.compliance_stack = empty_state()
        self.compliance_stack.insertWidget(0, self.compliance_table)

        self.study = StudyModel(self)
        self.study_table = table_view(self.study)
        for i, column in enumerate(self.study.columns):
            self.study_table.horizontalHeader().resizeSection(i, column.width)
        header = self.study_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the branch's name
        self.study_table.setSortingEnabled(True)
        self.study_table.sortByColumn(GAP_COLUMN, Qt.SortOrder.DescendingOrder)  # shortfalls first
        self.short_only = QCheckBox(self.tr("只看学时未达标的党员"))
        self.short_only.toggled.connect(self._show_study)
        self.study_count = QLabel()
        self.study_count.setObjectName("hint")

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度：")))
        top.addWidget(self.year)
        top.addWidget(QLabel(self.tr("支部：")))
        top.addWidget(self.branch)
        top.addWidget(legend, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("<b>党员出勤与学时</b>（所选组织范围）")))
        row.addWidget(self.study_count)
        row.addStretch(1)
        row.addWidget(self.short_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.due)
        layout.addWidget(self.compliance_stack)
        layout.addSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.study_table, 1)
        self._study_rows: list[activities.MemberStudy] = []

    def reload(self) -> None:
        keep = self.branch.currentData()
        self.branch.blockSignals(True)
        self.branch.clear()
        for name, org_id in branch_choices(self.ctx):
            self.branch.addItem(name, org_id)
        self.branch.setCurrentIndex(max(self.branch.findData(keep), 0))
        self.branch.blockSignals(False)
        self._show_compliance()
        scope = self.ctx.scope_id
        self._study_rows = activities.member_study(self.ctx.db, scope, self.year.value()) if scope is not None else []
        self._show_study()

    def _show_compliance(self) -> None:
        branch, year = self.branch.currentData(), self.year.value()
        rows = activities.compliance(self.ctx.db, branch, year) if branch is not None else []
        self.compliance_table.clearSpans()
        self.compliance.set_rows(rows)
        for row, first, width in self.compliance.spans():
            self.compliance_table.setSpan(row, first, 1, width)
        self.compliance_empty.setText(self.tr("所选组织下没有党支部。") if branch is None
                                      else self.tr("没有设定应召开的会议（见“设置”中的会议活动规则）。"))
        self.compliance_stack.setCurrentWidget(self.compliance_table if rows else self.compliance_empty)
        # All the kinds at once, without a scroll bar: the members' table below takes the rest.
        table = self.compliance_table
        self.compliance_stack.setFixedHeight(table.horizontalHeader().sizeHint().height()
                                             + max(len(rows), 3) * table.verticalHeader().defaultSectionSize()
                                             + 2 * table.frameWidth())
        today = dt.date.today()
        text = due_text(activities.due_now(self.ctx.db, branch, today)) \
            if branch is not None and year == today.year else ""
        self.due.setText(text)
        self.due.setVisible(bool(text))

    def _show_study(self) -> None:
        rows = [m for m in self._study_rows if m.gap_tenths] if self.short_only.isChecked() else self._study_rows
        self.study.set_records(rows)
        short = sum(1 for m in self._study_rows if m.gap_tenths)
        self.study_count.setText(self.tr("共 {0} 名，学时未达标 {1} 名").format(len(self._study_rows), short)
                                 if self._study_rows else "")


class ActivitiesPage(QWidget):
    """会议学习: the record list and the compliance view, one tab each."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.list = ActivityListTab(ctx)
        self.compliance = ComplianceTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pageTabs")
        self.tabs.addTab(self.list, self.tr("会议和活动"))
        self.tabs.addTab(self.compliance, self.tr("落实情况"))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.tabs)
        self._tab_changed()

    def _tab_changed(self) -> None:
        tab = self.tabs.currentWidget()
        self.setFocusProxy(tab)
        tab.setFocus()
