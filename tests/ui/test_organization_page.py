"""The organization page through its real widgets, on a real SQLite file."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMessageBox

from branchdesk.domain.organization import CommitteeRole, OrgKind, term_end
from branchdesk.services import organizations as orgs
from branchdesk.ui.organization.committee import SeatDialog
from branchdesk.ui.organization.page import OrganizationPage
from tests.ui.conftest import answer_message_boxes, type_date, type_text

TODAY = dt.date.today()
NOT_A_DATE = "不是有效的日期，请按 2024-05-01 的格式填写"


@pytest.fixture
def page(qtbot, ctx, sample) -> OrganizationPage:
    widget = OrganizationPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1234, 660)
    widget.show()
    return widget


def tree_rows(page: OrganizationPage, parent: QModelIndex | None = None,
              depth: int = 0) -> list[tuple[int, str, str, str]]:
    """What the tree shows, depth-first: (depth, 名称, 类别, 党员)."""
    model = page.model
    parent = parent or QModelIndex()
    rows = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        rows.append((depth, *(model.index(r, c, parent).data() for c in range(3))))
        rows.extend(tree_rows(page, index, depth + 1))
    return rows


def committee_rows(page: OrganizationPage) -> list[list[str]]:
    model = page.committee.model
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def open_seat_dialog(page: OrganizationPage, org_id: int) -> SeatDialog:
    page.select_org(org_id)
    page.committee.add_button.click()
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SeatDialog)
    return dialog


def choose_member(dialog: SeatDialog, name: str) -> None:
    dialog.member.setCurrentIndex(dialog.member.findText(name))


def test_tree_shows_the_organizations_with_kind_and_member_count(page, sample):
    assert tree_rows(page) == [
        (0, "市直机关某局机关党委", "党委", "3"),
        (1, "办公室党支部", "党支部", "2"),
        (2, "第一党小组", "党小组", "1"),
        (1, "业务科党支部", "党支部", "1"),
    ]
    page.select_org(sample.group)
    assert page.title.text() == "第一党小组"
    assert page.details.kind.text() == "党小组"
    assert page.details.parent_name.text() == "办公室党支部"
    assert page.group_box.isVisible() and not page.committee.isVisible()
    assert page.group_members.text() == "共 1 人：王建国"
    assert not page.new_button.isEnabled()


def test_scope_change_selects_that_organization(page, ctx, sample):
    ctx.set_scope(sample.other_branch)
    assert page.current_id() == sample.other_branch
    assert page.title.text() == "业务科党支部"


def test_create_a_group_under_a_branch_through_the_dialog(qtbot, page, sample):
    page.select_org(sample.branch)
    page.new_button.click()
    dialog = QApplication.activeModalWidget()
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())] == ["党小组"]
    type_text(qtbot, dialog.name, "第二党小组")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert (2, "第二党小组", "党小组", "0") in tree_rows(page)
    assert page.title.text() == "第二党小组"
    assert page.details.parent_name.text() == "办公室党支部"


def test_new_organization_with_a_taken_name_is_refused_in_the_dialog(qtbot, page, sample):
    page.select_org(sample.branch)
    dialog = page.new_child_org()
    type_text(qtbot, dialog.name, "第一党小组")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors["org_name"].isVisible()
    assert dialog.errors["org_name"].text() == "同一上级下已有名为“第一党小组”的组织"
    assert dialog.name.text() == "第一党小组"


def test_rename_saves_and_a_duplicate_sibling_name_is_refused(qtbot, page, sample):
    page.select_org(sample.branch)
    page.details.name.clear()
    type_text(qtbot, page.details.name, "综合办公室党支部")
    type_text(qtbot, page.details.contact, "王建国")
    qtbot.mouseClick(page.details.save_button, Qt.MouseButton.LeftButton)
    assert (1, "综合办公室党支部", "党支部", "2") in tree_rows(page)
    assert page.title.text() == "综合办公室党支部"
    assert page.details.saved_hint.text() == "已保存"
    assert orgs.get(page.ctx.db, sample.branch).contact == "王建国"

    page.details.name.clear()
    type_text(qtbot, page.details.name, "业务科党支部")
    qtbot.mouseClick(page.details.save_button, Qt.MouseButton.LeftButton)
    assert page.details.form.errors["org_name"].isVisible()
    assert page.details.form.errors["org_name"].text() == "同一上级下已有名为“业务科党支部”的组织"
    assert page.details.name.text() == "业务科党支部"
    assert page.details.contact.text() == "王建国"
    assert (1, "综合办公室党支部", "党支部", "2") in tree_rows(page)

    page.details.name.clear()
    qtbot.mouseClick(page.details.save_button, Qt.MouseButton.LeftButton)
    assert page.details.form.errors["org_name"].text() == "不能为空"


def test_founding_dates_are_typed_and_a_mistyped_one_is_named(qtbot, page, sample):
    page.select_org(sample.branch)
    type_date(qtbot, page.details.established, "2010年7月1日")
    type_text(qtbot, page.details.contact, "王建国")
    qtbot.mouseClick(page.details.save_button, Qt.MouseButton.LeftButton)
    assert orgs.get(page.ctx.db, sample.branch).established_on == dt.date(2010, 7, 1)
    assert page.details.established.text() == "2010-07-01"

    type_date(qtbot, page.details.established, "2010-7-")
    page.details.phone.clear()
    type_text(qtbot, page.details.phone, "6601")
    qtbot.mouseClick(page.details.save_button, Qt.MouseButton.LeftButton)
    assert page.details.form.error_text("established_on") == NOT_A_DATE
    assert page.details.saved_hint.text() == ""
    assert (page.details.established.text(), page.details.phone.text()) == ("2010-7-", "6601")
    stored = orgs.get(page.ctx.db, sample.branch)
    assert (stored.established_on, stored.phone) == (dt.date(2010, 7, 1), "")

    page.select_org(sample.committee)
    dialog = page.new_child_org()
    type_text(qtbot, dialog.name, "财务科党支部")
    type_date(qtbot, dialog.established, "2026/13/1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("established_on") == NOT_A_DATE
    assert "财务科党支部" not in [o.name for o in orgs.tree(page.ctx.db)]
    type_date(qtbot, dialog.established, "2026/3/1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert orgs.get(page.ctx.db, page.current_id()).established_on == dt.date(2026, 3, 1)


def test_deleting_a_branch_with_members_is_refused_with_the_reason(page, sample):
    page.select_org(sample.other_branch)
    seen = answer_message_boxes(QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok)
    page.delete_button.click()
    assert seen == ["确定删除党支部“业务科党支部”吗？\n\n将移入回收站，可在“工具 › 回收站”中恢复。",
                    "“业务科党支部”中还有党员，请先将党员转出或调整后再删除"]
    assert (1, "业务科党支部", "党支部", "1") in tree_rows(page)


def test_deleting_an_empty_group_after_confirmation(page, sample):
    page.select_org(sample.group)
    seen = answer_message_boxes(QMessageBox.StandardButton.No)
    page.delete_button.click()
    assert seen == ["确定删除党小组“第一党小组”吗？\n\n将移入回收站，可在“工具 › 回收站”中恢复。"]
    assert (2, "第一党小组", "党小组", "1") in tree_rows(page)

    empty = orgs.create(page.ctx.db, sample.branch, OrgKind.GROUP, "第二党小组")
    page.ctx.notify_changed()
    page.select_org(empty)
    answer_message_boxes(QMessageBox.StandardButton.Yes)
    page.delete_button.click()
    assert "第二党小组" not in [row[1] for row in tree_rows(page)]
    assert page.current_id() == sample.branch


def test_add_a_secretary_with_the_default_three_year_term(qtbot, page, sample):
    dialog = open_seat_dialog(page, sample.branch)
    assert dialog.role.currentText() == "书记"
    assert dialog.term_start.date_value() == TODAY
    assert dialog.term_end.date_value() == term_end(TODAY)
    choose_member(dialog, "王建国")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert committee_rows(page) == [
        ["王建国", "书记", TODAY.isoformat(), term_end(TODAY).isoformat(), "在任", ""]]
    assert page.committee.summary.text() == "在任委员 1 人"


def test_the_term_end_follows_the_start_until_edited(page, sample):
    dialog = open_seat_dialog(page, sample.branch)
    dialog.term_start.set_date_value(dt.date(2024, 3, 1))
    assert dialog.term_end.date_value() == dt.date(2027, 2, 28)
    dialog.term_end.set_date_value(dt.date(2026, 12, 31))
    dialog.term_start.set_date_value(dt.date(2024, 4, 1))
    assert dialog.term_end.date_value() == dt.date(2026, 12, 31)
    dialog.reject()


def test_typed_term_dates_the_end_follows_and_a_mistyped_end_is_named(qtbot, page, sample):
    dialog = open_seat_dialog(page, sample.branch)
    choose_member(dialog, "王建国")
    type_date(qtbot, dialog.term_start, "2024/3/1")
    assert dialog.term_end.date_value() == dt.date(2027, 2, 28)
    type_date(qtbot, dialog.term_end, "2027-02-30")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("term_end") == NOT_A_DATE  # not the default three-year term
    assert dialog.error_text("term_start") == ""
    assert committee_rows(page) == []

    type_date(qtbot, dialog.term_end, "20270228")
    assert dialog.error_text("term_end") == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert committee_rows(page)[0][:4] == ["王建国", "书记", "2024-03-01", "2027-02-28"]


def test_a_second_overlapping_secretary_is_refused_and_the_input_kept(qtbot, page, sample):
    orgs.add_seat(page.ctx.db, sample.branch, sample.secretary, CommitteeRole.SECRETARY,
                  TODAY - dt.timedelta(days=100))
    dialog = open_seat_dialog(page, sample.branch)
    choose_member(dialog, "李晓梅")
    dialog.note.setText("补选")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.errors["role"].isVisible()
    assert dialog.errors["role"].text() == "该任期内书记已由王建国担任"
    assert (dialog.member.currentText(), dialog.role.currentText(), dialog.note.text()) == (
        "李晓梅", "书记", "补选")
    assert len(committee_rows(page)) == 1


def test_choosing_nobody_is_refused_under_the_member_field(qtbot, page, sample):
    dialog = open_seat_dialog(page, sample.branch)
    type_text(qtbot, dialog.member.lineEdit(), "张三")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors["member_id"].text() == "请从列表中选择党员"
    assert dialog.member.currentText() == "张三"


def test_terms_ending_within_90_days_are_highlighted(page, sample):
    db = page.ctx.db
    orgs.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY,
                  TODAY - dt.timedelta(days=1000), TODAY + dt.timedelta(days=30))
    orgs.add_seat(db, sample.branch, sample.probationary, CommitteeRole.ORGANIZATION,
                  TODAY - dt.timedelta(days=2000), TODAY - dt.timedelta(days=1000))
    page.ctx.notify_changed()
    page.select_org(sample.branch)

    rows = committee_rows(page)
    assert [(r[0], r[4]) for r in rows] == [("王建国", "即将届满（30天）"), ("李晓梅", "已届满")]
    ending = page.committee.model.item(0, 4)
    assert ending.background().color() == QColor("#fff4d6")
    assert ending.font().bold()
    assert page.committee.summary.text() == "在任委员 1 人"


def test_edit_and_remove_a_seat(qtbot, page, sample):
    orgs.add_seat(page.ctx.db, sample.branch, sample.secretary, CommitteeRole.DEPUTY_SECRETARY,
                  TODAY)
    page.ctx.notify_changed()
    page.select_org(sample.branch)
    page.committee.table.selectRow(0)
    page.committee.edit_button.click()
    dialog = QApplication.activeModalWidget()
    assert dialog.windowTitle() == "编辑委员"
    dialog.role.setCurrentIndex(dialog.role.findText("书记"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert committee_rows(page)[0][:2] == ["王建国", "书记"]

    page.committee.table.selectRow(0)
    seen = answer_message_boxes(QMessageBox.StandardButton.Yes)
    page.committee.remove_button.click()
    assert seen[0].startswith("确定移除 王建国 的书记任职记录")
    assert committee_rows(page) == []


def test_changes_made_elsewhere_show_when_the_page_is_shown_again(page, sample):
    page.hide()
    orgs.create(page.ctx.db, sample.committee, OrgKind.BRANCH, "财务科党支部")
    page.ctx.notify_changed()
    page.show()
    assert (1, "财务科党支部", "党支部", "0") in tree_rows(page)


def test_unsaved_typing_survives_a_reload_of_the_same_organization(qtbot, page, sample):
    page.select_org(sample.branch)
    type_text(qtbot, page.details.phone, "0571-87050001")
    orgs.add_seat(page.ctx.db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, TODAY)
    page.ctx.notify_changed()
    assert page.details.phone.text() == "0571-87050001"
    assert committee_rows(page)[0][0] == "王建国"
