"""The member page (党员): the roll of the scope, its filters, and the actions on a member."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import idnumber
from ...domain.members import Standing, Status, fen_to_yuan
from ...domain.organization import OrgKind
from ...services import activities, honours, imports, members, organizations
from ...services.members import Member
from ..context import AppContext
from ..widgets import Freshness, attempt, busy, confirm
from .actions import ConvertDialog, ExtendDialog, ReturnDialog, StatusDialog, TransferOutDialog
from .dialog import MemberDialog, MemberForm
from .import_dialog import ImportDialog
from .model import ACTIVE, ALL, COLUMNS, NO_GROUP, MemberFilter, MemberTableModel, mask_phone


def _day(d: dt.date | None) -> str:
    return d.isoformat() if d else "—"


class MembersPage(QWidget):
    """党员: the members of the organization in scope, with search, filters and every change."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._select_after_reload: int | None = None
        self.model = MemberTableModel(self)

        self._build_filters()
        self._build_actions()
        self._build_table()
        self._build_detail()

        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        for w in (self.search, self.status_filter, self.standing_filter, self.group_filter):
            toolbar.addWidget(w)
        toolbar.addWidget(self.count_label)
        toolbar.addStretch(1)
        for b in self.buttons:
            toolbar.addWidget(b)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.stack)
        splitter.addWidget(self.detail_panel)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([480, 190])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)

        # Window-wide, yet only while this page is shown (a hidden widget's shortcuts are off),
        # so Ctrl+N works even when the empty-state text, not the table, holds the page.
        QShortcut(QKeySequence.StandardKey.New, self, self.add_member)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        # On the table only: in the search box Del must still delete a character.
        QShortcut(QKeySequence.StandardKey.Delete, self.table, lambda: self.delete_selected(),
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)

        # The main window focuses the page it shows: arrows and Del then work on the table at once.
        self.setFocusProxy(self.table)
        self.freshness = Freshness(self, ctx, self.reload)
        self._update_actions()

    # Building

    def _build_filters(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索姓名、拼音首字母…"))
        self.search.setToolTip(self.tr("姓名的一部分、拼音首字母（如 wjg），或身份证号、电话的4位以上数字（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.setFixedWidth(210)
        # No debounce: filtering 10,000 members and repainting takes about 25 ms, well inside
        # the gap between two keystrokes, so every keystroke shows its result at once.
        self.search.textChanged.connect(self.apply_filter)

        self.status_filter = QComboBox()
        self.status_filter.setToolTip(self.tr("在册：正常、流动、失联的党员"))
        self.status_filter.addItem(self.tr("在册"), ACTIVE)
        for status in Status:
            self.status_filter.addItem(status.label, status)
        self.status_filter.addItem(self.tr("全部状态"), ALL)
        self.standing_filter = QComboBox()
        self.standing_filter.addItem(self.tr("全部类别"), None)
        for standing in Standing:
            self.standing_filter.addItem(standing.label, standing)
        self.group_filter = QComboBox()
        self.group_filter.setMinimumContentsLength(7)
        self.group_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for combo in (self.status_filter, self.standing_filter, self.group_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")

    def _action(self, text: str, slot: Callable[[], object], tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip or text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(self.tr("新增"), self.add_member, self.tr("登记新党员（Ctrl+N）"))
        self.edit_action = self._action(self.tr("编辑"), self.edit_selected, self.tr("修改所选党员的信息（双击）"))
        self.convert_action = self._action(self.tr("转为正式党员…"), self.convert_selected)
        self.extend_action = self._action(self.tr("延长预备期…"), self.extend_selected)
        self.transfer_out_action = self._action(self.tr("转出"), self.transfer_out_selected,
                                                self.tr("组织关系转出"))
        self.transfer_in_action = self._action(self.tr("接收转入党员…"), self.transfer_in)
        self.return_action = self._action(self.tr("原转出党员转回…"), self.return_selected)
        self.status_action = self._action(self.tr("状态"), self.change_status,
                                          self.tr("正常、流动、失联、去世"))
        self.delete_action = self._action(self.tr("删除"), lambda: self.delete_selected(),
                                          self.tr("删除误录入的党员（Del）；党员调离请用“转出”"))
        self.template_action = self._action(self.tr("下载模板…"), lambda: self.download_template(),
                                            self.tr("保存党员导入模板（Excel），按模板填写后导入"))
        self.import_action = self._action(self.tr("从表格导入…"), lambda: self.import_from_file(),
                                          self.tr("从 Excel 或 CSV 表格批量导入党员，导入前先预览"))

        def button(action: QAction) -> QPushButton:
            b = QPushButton(action.text())
            b.setToolTip(action.toolTip())
            b.clicked.connect(action.trigger)
            action.enabledChanged.connect(b.setEnabled)
            return b

        def menu_button(text: str, tip: str, *actions: QAction) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            menu = QMenu(b)
            menu.addActions(list(actions))
            b.setMenu(menu)
            return b

        self.convert_button = menu_button(self.tr("转正"), self.tr("预备党员转正或延长预备期"),
                                          self.convert_action, self.extend_action)
        self.transfer_in_button = menu_button(self.tr("转入"), self.tr("组织关系转入"),
                                              self.transfer_in_action, self.return_action)
        self.import_button = menu_button(self.tr("导入"), self.tr("下载模板，或从表格批量导入党员"),
                                         self.template_action, self.import_action)
        self.buttons = [button(self.new_action), button(self.edit_action), self.convert_button,
                        button(self.transfer_out_action), self.transfer_in_button,
                        button(self.status_action), button(self.delete_action), self.import_button]
        self.buttons[0].setProperty("primary", True)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures 10,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for i, column in enumerate(COLUMNS):
            header.resizeSection(i, column.width)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.edit_action, self.convert_action, self.extend_action,
                               self.transfer_out_action, self.return_action, self.status_action,
                               self.delete_action])

        self.empty_label = QLabel()
        self.empty_label.setObjectName("hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

    def _build_detail(self) -> None:
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info = QGroupBox(self.tr("基本情况"))
        QVBoxLayout(info).addWidget(self.detail)

        self.history = QTableWidget(0, 2)
        self.history.setHorizontalHeaderLabels([self.tr("日期"), self.tr("事项")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.verticalHeader().hide()
        self.history.verticalHeader().setDefaultSectionSize(24)
        self.history.horizontalHeader().resizeSection(0, 96)
        self.history.horizontalHeader().setStretchLastSection(True)
        history_box = QGroupBox(self.tr("历史记录（最近的在前）"))
        QVBoxLayout(history_box).addWidget(self.history)

        self.detail_panel = QWidget()
        row = QHBoxLayout(self.detail_panel)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(info, 2)
        row.addWidget(history_box, 3)
        self.detail_panel.setMinimumHeight(150)

    # Loading and filtering

    def reload(self) -> None:
        """Read the scope's members again, keeping the filters and the selected member."""
        keep = self._select_after_reload or self._selected_id()
        self._select_after_reload = None
        scope = self.ctx.scope_id
        self._fill_group_filter(scope)
        self.model.set_members(members.list_members(self.ctx.db, scope) if scope is not None else [])
        self._after_filter(keep)

    def apply_filter(self) -> None:
        keep = self._selected_id()
        # Combo data comes back as plain str: make the enums again.
        status = self.status_filter.currentData()
        standing = self.standing_filter.currentData()
        self.model.set_filter(MemberFilter(
            text=self.search.text(), status=status if status in (ACTIVE, ALL) else Status(status),
            standing=Standing(standing) if standing else None,
            group_id=self.group_filter.currentData()))
        self._after_filter(keep)

    def _fill_group_filter(self, scope: int | None) -> None:
        """The 党小组 under the scope; the branch's name is added when several branches have some."""
        keep = self.group_filter.currentData()
        self.group_filter.blockSignals(True)
        self.group_filter.clear()
        self.group_filter.addItem(self.tr("全部党小组"), None)
        if scope is not None:
            inside = set(organizations.subtree_ids(self.ctx.db, scope))
            tree = organizations.tree(self.ctx.db)
            names = {o.id: o.name for o in tree}
            groups = [o for o in tree if o.kind is OrgKind.GROUP and o.id in inside]
            several = len({g.parent_id for g in groups}) > 1
            for g in groups:
                label = f"{names.get(g.parent_id or 0, '')}·{g.name}" if several else g.name
                self.group_filter.addItem(label, g.id)
            if groups:
                self.group_filter.addItem(self.tr("未分组"), NO_GROUP)
        self.group_filter.setCurrentIndex(max(self.group_filter.findData(keep), 0))
        self.group_filter.blockSignals(False)
        # The filter may name a group that is gone; the model must match the combo.
        f = self.model.member_filter
        if f.group_id != self.group_filter.currentData():
            self.model.set_filter(MemberFilter(f.text, f.status, f.standing, self.group_filter.currentData()))

    def _after_filter(self, keep_id: int | None) -> None:
        shown, total = self.model.rowCount(), len(self.model.all_members)
        if self.ctx.scope_id is None:
            self.empty_label.setText(self.tr("还没有党组织。请先在“组织”页建立党组织。"))
        elif total == 0:
            self.empty_label.setText(self.tr(
                "本组织还没有党员。\n\n点击“新增”（Ctrl+N）登记党员，\n或点击“转入”接收组织关系转入的党员。"))
        else:
            self.empty_label.setText(self.tr("没有符合条件的党员。\n\n请修改搜索内容或上方的筛选条件。"))
        self.stack.setCurrentWidget(self.table if shown else self.empty_label)
        self.count_label.setText(self.tr("{0} / 共 {1} 名").format(shown, total) if total else "")
        row = self.model.row_of(keep_id) if keep_id is not None else None
        if row is not None:
            self.table.selectionModel().select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))
        self._selection_changed()

    # Selection

    def _selected_id(self) -> int | None:
        m = self.selected_member()
        return m.id if m else None

    def selected_member(self) -> Member | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.member_at(rows[0].row()) if rows else None

    def select_member(self, member_id: int) -> bool:
        """Select a member's row (False when the filters hide it)."""
        self._after_filter(member_id)
        return self._selected_id() == member_id

    def _selection_changed(self) -> None:
        self._update_actions()
        self._show_detail(self.selected_member())

    def _update_actions(self) -> None:
        m = self.selected_member()
        has_scope = self.ctx.scope_id is not None
        probationary = bool(m and m.status.active and m.data.standing is Standing.PROBATIONARY)
        self.new_action.setEnabled(has_scope)
        self.transfer_in_action.setEnabled(has_scope)
        self.transfer_in_button.setEnabled(has_scope)
        self.import_action.setEnabled(has_scope)
        for action in (self.edit_action, self.delete_action):
            action.setEnabled(m is not None)
        self.convert_action.setEnabled(probationary)
        self.extend_action.setEnabled(bool(probationary and m and not m.data.probation_extension_months))
        self.convert_button.setEnabled(probationary)
        self.transfer_out_action.setEnabled(bool(m and m.status.active))
        self.return_action.setEnabled(bool(m and m.status is Status.TRANSFERRED_OUT))
        self.status_action.setEnabled(bool(m and m.status is not Status.TRANSFERRED_OUT))

    def _show_detail(self, m: Member | None) -> None:
        self.history.setRowCount(0)
        if m is None:
            self.detail.setText(self.tr("<span style='color:#6a737d'>选择一名党员，查看其基本情况和历史记录。</span>"))
            return
        d = m.data
        none = self.tr("无")
        lines = [
            self.tr("<b style='font-size:12pt'>{0}</b>　{1}　{2}　{3} 出生").format(
                escape(d.name), d.gender, escape(d.ethnicity), _day(d.birth_date)),
            self.tr("{0}　入党日期 {1}").format(d.standing.label, _day(d.joined_on))
            + (self.tr("　转正日期 {0}").format(_day(d.full_on)) if d.full_on else "")
            + (self.tr("　预备期满 {0}").format(_day(m.probation_end)) if m.probation_end else "")
            + (self.tr("（延长{0}个月）").format(d.probation_extension_months)
               if d.probation_extension_months else ""),
            self.tr("{0}　党小组：{1}　状态：{2}").format(
                escape(m.org_name), escape(m.group_name) or none, m.status.label),
            self.tr("党费：{0}，基数 {1} 元/月　学历：{2}").format(
                d.dues_category.label, fen_to_yuan(d.dues_base_fen), escape(d.education) or none),
            self.tr("身份证号 {0}　联系电话 {1}").format(
                idnumber.mask(d.id_number) or none, mask_phone(d.phone) or none),
        ]
        if d.note:
            lines.append(self.tr("备注：{0}").format(escape(d.note)))
        self.detail.setText("<br>".join(lines))
        # The member's changes, commendations and meetings, latest first (a commendation without a date at
        # its year's end); on one day, the change recorded last comes first.
        events = [(e.on_date, e.on_date.isoformat(), e.detail) for e in reversed(members.history(self.ctx.db, m.id))]
        for c in honours.commendations_of_member(self.ctx.db, m.id):
            on = c.data.awarded_on
            events.append((on or dt.date(c.data.year, 12, 31), on.isoformat() if on else self.tr("{0}年").format(
                c.data.year), self.tr("表彰：{0}").format(c.line)))
        for a in activities.member_activities(self.ctx.db, m.id):  # meetings and study, with attendance
            events.append((a.held_on, a.held_on.isoformat(), self.tr("{0}：{1}（{2}）").format(
                a.kind.label, a.topic, a.status.label)))
        events.sort(key=lambda event: event[0], reverse=True)
        self.history.setRowCount(len(events))
        for row, (_on, day, detail) in enumerate(events):
            self.history.setItem(row, 0, QTableWidgetItem(day))
            self.history.setItem(row, 1, QTableWidgetItem(detail))

    # Actions

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _open(self, dialog: MemberForm) -> MemberForm:
        """Show `dialog` window-modal; when it saves, reload and select the member it saved."""
        def saved() -> None:
            self._select_after_reload = dialog.member_id
            self.ctx.notify_changed()

        dialog.accepted.connect(saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def add_member(self) -> MemberDialog | None:
        if self.ctx.scope_id is None:
            return None
        dialog = MemberDialog(self.ctx, self)
        self._open(dialog)
        return dialog

    def transfer_in(self) -> MemberDialog | None:
        if self.ctx.scope_id is None:
            return None
        dialog = MemberDialog(self.ctx, self, transfer_in=True)
        self._open(dialog)
        return dialog

    def _on_selected(self, make: Callable[[AppContext, Member, QWidget], MemberForm]) -> MemberForm | None:
        m = self.selected_member()
        return self._open(make(self.ctx, m, self)) if m else None

    def edit_selected(self) -> MemberForm | None:
        return self._on_selected(lambda ctx, m, parent: MemberDialog(ctx, parent, member=m))

    def convert_selected(self) -> MemberForm | None:
        return self._on_selected(ConvertDialog)

    def extend_selected(self) -> MemberForm | None:
        return self._on_selected(ExtendDialog)

    def transfer_out_selected(self) -> MemberForm | None:
        return self._on_selected(TransferOutDialog)

    def return_selected(self) -> MemberForm | None:
        return self._on_selected(ReturnDialog)

    def change_status(self) -> MemberForm | None:
        return self._on_selected(StatusDialog)

    def delete_selected(self, ask: Callable[[QWidget, str, str], bool] = confirm) -> bool:
        """Delete the selected member after `ask` confirms; True when deleted."""
        m = self.selected_member()
        if m is None:
            return False
        question = self.tr("确定删除党员“{0}”（{1}）吗？\n\n其历史、转接、表彰、评议和学习成果记录将一并移入回收站，"
                           "可在“工具 › 回收站”中恢复。\n"
                           "党员调离请使用“转出”。").format(m.name, m.org_name)
        if not ask(self, self.tr("删除党员"), question):
            return False
        if not attempt(self, self.tr("不能删除"), lambda: members.delete(self.ctx.db, m.id)):
            return False
        self.ctx.notify_changed()
        return True

    def download_template(self, path: Path | str | None = None) -> Path | None:
        """Save the member import template (asked for with a file dialog when `path` is None)."""
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("保存党员导入模板"), self.tr("党员导入模板.xlsx"), self.tr("Excel 工作簿 (*.xlsx)"))
            if not chosen:
                return None
            path = chosen
        out = Path(path)
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(out.name + ".xlsx")
        with busy():
            saved = attempt(self, self.tr("未能保存模板"), lambda: imports.write_member_template(out))
        if not saved:
            return None
        QMessageBox.information(self, self.tr("模板已保存"), self.tr(
            "党员导入模板已保存到：\n{0}\n\n按“填写说明”工作表填写后，用“导入 → 从表格导入…”导入。").format(out))
        return out

    def import_from_file(self, path: Path | str | None = None) -> ImportDialog | None:
        """Open the import dialog (window-modal); with `path`, previewing that file at once."""
        if self.ctx.scope_id is None:
            return None
        dialog = ImportDialog(self.ctx, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        if path is not None:
            dialog.choose_file(path)
        return dialog
