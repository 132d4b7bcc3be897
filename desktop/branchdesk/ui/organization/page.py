"""The organization page (组织): the tree, the selected organization's details and committee."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...domain.organization import CHILD_KINDS, OrgKind
from ...services import honours, members
from ...services import organizations as orgs
from ..context import AppContext
from ..widgets import Freshness, attempt, confirm
from .committee import CommitteePanel
from .details import NewOrgDialog, OrgDetails

ORG_ID = Qt.ItemDataRole.UserRole + 1


class OrganizationPage(QWidget):
    """Left: the whole tree (党委 › 党总支 › 党支部 › 党小组). Right: the selected one's details and
    committee. The tree selection is independent of the app's scope, but follows it when it changes."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.by_id: dict[int, orgs.Organization] = {}
        self._items: dict[int, QStandardItem] = {}
        self._rebuilding = False

        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels([self.tr("名称"), self.tr("类别"), self.tr("党员")])
        self.model.horizontalHeaderItem(2).setToolTip(self.tr("在册党员人数（含下级组织）"))
        self.tree = QTreeView()
        self.tree.setObjectName("orgTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

        self.new_button = QPushButton(self.tr("新建下级组织"))
        self.new_button.clicked.connect(self.new_child_org)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_selected)
        tree_buttons = QHBoxLayout()
        tree_buttons.addWidget(self.new_button)
        tree_buttons.addWidget(self.delete_button)
        tree_buttons.addStretch(1)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.tree, 1)
        left_column.addLayout(tree_buttons)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("hint")
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle, 1, Qt.AlignmentFlag.AlignBottom)
        self.details = OrgDetails(ctx)
        self.committee = CommitteePanel(ctx)
        self.group_box = QGroupBox(self.tr("党小组成员"))
        self.group_members = QLabel()
        self.group_members.setWordWrap(True)
        self.group_members.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.group_members.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        group_hint = QLabel(self.tr("党小组不设委员会。党员编入哪个党小组，在“党员”页编辑党员时选择。"))
        group_hint.setObjectName("hint")
        group_hint.setWordWrap(True)
        group_column = QVBoxLayout(self.group_box)
        group_column.addWidget(group_hint)
        group_column.addWidget(self.group_members, 1)
        # The organization's own commendations (先进基层党组织 and the like); shown when it has any.
        self.honours_box = QGroupBox()
        self.honours_list = QLabel()
        self.honours_list.setWordWrap(True)
        self.honours_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.honours_list.setToolTip(self.tr("在“表彰评议”页登记和修改"))
        QVBoxLayout(self.honours_box).addWidget(self.honours_list)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addLayout(heading)
        right_column.addWidget(self.details)
        right_column.addWidget(self.committee, 1)
        right_column.addWidget(self.group_box, 1)
        right_column.addWidget(self.honours_box)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        left.setMinimumWidth(260)
        right.setMinimumWidth(560)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 860])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(splitter)

        scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.New, self, self.new_child_org, context=scope)
        QShortcut(QKeySequence.StandardKey.Save, self.details, self.details.save, context=scope)
        QShortcut(QKeySequence.StandardKey.Delete, self.tree, self.delete_selected, context=scope)

        self.freshness = Freshness(self, ctx, self.reload, on_scope=False)
        ctx.scopeChanged.connect(self._scope_changed)
        self._show_selected()

    # Loading: the tree is rebuilt whole on every change; 200 branches with 500 groups take ~50 ms.

    def reload(self) -> None:
        """Rebuild the tree from the database, keeping the selection and the expanded nodes."""
        wanted = (self.current_id(), self.ctx.scope_id)
        expanded = {i for i, item in self._items.items() if self.tree.isExpanded(item.index())}
        first_load = not self._items
        outline = orgs.outline(self.ctx.db)
        totals = orgs.member_totals(self.ctx.db)
        self.by_id = {o.id: o for _depth, o in outline}
        roots = [o.id for depth, o in outline if depth == 0]

        self._rebuilding = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            self._items = {}
            for row in self._rows(outline, totals):
                self.model.appendRow(row)
            for org_id, item in self._items.items():
                # First time: open the levels above the branches, so every branch is in view.
                opened = (self.by_id[org_id].kind in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)
                          if first_load else org_id in expanded)
                if opened:
                    self.tree.setExpanded(item.index(), True)
            target = next((i for i in (*wanted, *roots) if i in self._items), None)
            if target is not None:
                self._make_current(target)
        finally:
            self._rebuilding = False
        self._show_selected()

    def _rows(self, outline: list[tuple[int, orgs.Organization]],
              totals: dict[int, int]) -> list[list[QStandardItem]]:
        """The tree's top-level rows, each with its sub-organizations already attached (one insert
        into the model per top-level organization)."""
        tops: list[list[QStandardItem]] = []
        parents: list[QStandardItem] = []  # the name items of the current row's ancestors, by depth
        for depth, org in outline:
            name = QStandardItem(org.name)
            name.setData(org.id, ORG_ID)
            name.setToolTip(org.name)
            count = QStandardItem(str(totals.get(org.id, 0)))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row = [name, QStandardItem(org.kind.label), count]
            for item in row:
                item.setEditable(False)
            del parents[depth:]
            if parents:
                parents[-1].appendRow(row)
            else:
                tops.append(row)
            parents.append(name)
            self._items[org.id] = name
        return tops

    # Selection

    def current_id(self) -> int | None:
        index = self.tree.currentIndex()
        return index.siblingAtColumn(0).data(ORG_ID) if index.isValid() else None

    def current_org(self) -> orgs.Organization | None:
        org_id = self.current_id()
        return self.by_id.get(org_id) if org_id is not None else None

    def select_org(self, org_id: int) -> None:
        """Select `org_id` in the tree (opening its parents) and show it on the right."""
        if self.freshness.stale:
            self.freshness.refresh()
        if org_id in self._items:
            self._make_current(org_id)

    def _make_current(self, org_id: int) -> None:
        index = self._items[org_id].index()
        parent = index.parent()
        while parent.isValid():
            self.tree.setExpanded(parent, True)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def _scope_changed(self, org_id: int) -> None:
        if not self.freshness.stale:
            self.select_org(org_id)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not self._rebuilding and current.siblingAtColumn(0) != previous.siblingAtColumn(0):
            self._show_selected()

    def _show_selected(self) -> None:
        org = self.current_org()
        allowed = CHILD_KINDS[org.kind] if org else ()
        self.new_button.setEnabled(bool(allowed))
        self.new_button.setToolTip(
            self.tr("可建立：{0}").format("、".join(k.label for k in allowed)) if allowed
            else self.tr("党小组下不能再建立组织") if org else "")
        self.delete_button.setEnabled(org is not None)
        self.details.setVisible(org is not None)
        if org is None:
            self.title.setText(self.tr("尚未建立党组织"))
            self.subtitle.clear()
            self.committee.hide()
            self.group_box.hide()
            self.honours_box.hide()
            return
        parent = self.by_id.get(org.parent_id) if org.parent_id is not None else None
        self.title.setText(org.name)
        count = self._items[org.id].index().siblingAtColumn(2).data()
        self.subtitle.setText(self.tr("{0} · 在册党员 {1} 人").format(org.kind.label, count))
        self.details.show_org(org, parent.name if parent else "")
        is_group = org.kind is OrgKind.GROUP
        self.committee.setVisible(not is_group)
        self.group_box.setVisible(is_group)
        if is_group:
            self._show_group(org)
        else:
            self.committee.show_org(org, dt.date.today())
        self._show_honours(org)

    def _show_group(self, group: orgs.Organization) -> None:
        assert group.parent_id is not None
        names = [m.name for m in members.list_members(self.ctx.db, group.parent_id)
                 if m.data.group_id == group.id and m.status.active]
        self.group_members.setText(
            self.tr("共 {0} 人：{1}").format(len(names), "、".join(names)) if names
            else self.tr("尚无党员编入本党小组。"))

    def _show_honours(self, org: orgs.Organization) -> None:
        found = honours.commendations_of_org(self.ctx.db, org.id)
        self.honours_box.setTitle(self.tr("获得表彰（{0} 项）").format(len(found)))
        self.honours_list.setText("\n".join(c.line for c in found))
        self.honours_box.setVisible(bool(found))

    # Actions

    def new_child_org(self) -> NewOrgDialog | None:
        """Open the dialog for a sub-organization of the selected one (window-modal)."""
        org = self.current_org()
        if org is None or not CHILD_KINDS[org.kind]:
            return None
        dialog = NewOrgDialog(self.ctx, org, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.select_org(dialog.created_id))
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        """Delete the selected organization after confirmation; the service refuses non-empty ones."""
        org = self.current_org()
        if org is None or not confirm(self, self.tr("删除组织"), self.tr(
                "确定删除{0}“{1}”吗？\n\n将移入回收站，可在“工具 › 回收站”中恢复。").format(org.kind.label, org.name)):
            return
        if not attempt(self, self.tr("不能删除"), lambda: orgs.delete(self.ctx.db, org.id)):
            return
        if org.parent_id is not None:
            self._make_current(org.parent_id)
        self.ctx.notify_changed()
