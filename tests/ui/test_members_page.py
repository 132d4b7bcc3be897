"""The member page with real widgets on a real SQLite file: what a branch secretary sees and does."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from branchdesk.domain.members import Status
from branchdesk.domain.organization import CommitteeRole, OrgKind
from branchdesk.services import members, organizations
from branchdesk.ui.context import AppContext
from branchdesk.ui.members.dialog import MemberDialog
from branchdesk.ui.members.model import COLUMNS, mask_phone
from branchdesk.ui.members.page import MembersPage
from tests.conftest import member_data
from tests.ui.conftest import type_date, type_text

# 1990-05-06, male (17th digit odd), with its GB 11643 check digit; the same with a wrong one.
GOOD_ID = "110105199005060015"
BAD_ID = "110105199005060016"
NOT_A_DATE = "不是有效的日期，请按 2024-05-01 的格式填写"
HEADERS = [c.title for c in COLUMNS]


def open_page(qtbot, ctx: AppContext, scope: int) -> MembersPage:
    ctx.set_scope(scope)
    page = MembersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def page(qtbot, ctx, sample) -> MembersPage:
    return open_page(qtbot, ctx, sample.branch)


def names(page: MembersPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def row(page: MembersPage, name: str) -> dict[str, str]:
    """The row showing `name`, as the user reads it: header → cell text."""
    r = names(page).index(name)
    return {h: page.model.index(r, c).data() for c, h in enumerate(HEADERS)}


def click_row(qtbot, page: MembersPage, name: str) -> None:
    index = page.model.index(names(page).index(name), 0)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.table.visualRect(index).center())
    assert page.selected_member().name == name


def history(page: MembersPage) -> list[str]:
    return [page.history.item(r, 1).text() for r in range(page.history.rowCount())]


def test_lists_the_scope_with_personal_data_masked(page, sample) -> None:
    assert sorted(names(page)) == sorted(["王建国", "李晓梅"])
    wang = row(page, "王建国")
    assert wang["所在支部"] == "办公室党支部"
    assert wang["党小组"] == "第一党小组"
    assert wang["人员类别"] == "正式党员"
    assert wang["状态"] == "正常"
    assert page.count_label.text() == "2 / 共 2 名"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def test_add_member_through_the_dialog(qtbot, page, ctx, sample) -> None:
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.findChild(MemberDialog)
    assert dialog is not None and dialog.isVisible()

    type_text(qtbot, dialog.name, "张三丰")
    qtbot.keyClicks(dialog.id_number, GOOD_ID)
    # The number is checked as it is typed and fills the birth date and gender.
    assert dialog.id_hint.text() == "✓ 号码有效：1990-05-06出生，男"
    assert dialog.birth_date.date_value() == dt.date(1990, 5, 6)
    assert dialog.gender.currentText() == "男"
    type_text(qtbot, dialog.education.lineEdit(), "大学本科")
    qtbot.keyClicks(dialog.phone, "13912345678")
    dialog.joined_on.set_date_value(dt.date(2015, 7, 1))  # as picked from the calendar
    dialog.full_on.set_date_value(dt.date(2016, 7, 1))
    qtbot.keyClicks(dialog.dues_base, "5100")
    dialog.group.setCurrentIndex(dialog.group.findText("第一党小组"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert row(page, "张三丰") == {
        "姓名": "张三丰", "性别": "男", "出生日期": "1990-05-06", "身份证号": "1101*************5",
        "学历": "大学本科", "人员类别": "正式党员", "入党日期": "2015-07-01", "转正日期": "2016-07-01",
        "所在支部": "办公室党支部", "党小组": "第一党小组", "状态": "正常", "联系电话": "139****5678",
    }
    assert page.selected_member().name == "张三丰"
    assert history(page) == ["登记入册"]
    stored = next(m for m in members.list_members(ctx.db, sample.branch) if m.name == "张三丰")
    assert stored.data.dues_base_fen == 510000
    assert stored.data.id_number == GOOD_ID


def test_refused_save_shows_the_messages_and_keeps_the_input(qtbot, page, ctx, sample) -> None:
    dialog = page.add_member()
    type_text(qtbot, dialog.name, "钱学文")
    dialog.gender.setCurrentText("男")
    qtbot.keyClicks(dialog.id_number, BAD_ID)
    assert dialog.error_text("id_number") == "校验码不正确，请核对号码"  # already while typing
    dialog.birth_date.set_date_value(dt.date(1990, 5, 6))
    dialog.joined_on.set_date_value(dt.date(2015, 7, 1))  # 正式党员, but no 转正日期
    type_text(qtbot, dialog.dues_base, "五千")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error_text("id_number") == "校验码不正确，请核对号码"
    assert dialog.error_text("full_on") == "正式党员须填写转正日期"
    assert dialog.error_text("dues_base_fen") == "应为金额，如 5100 或 5100.50"
    assert dialog.error_text("name") == ""
    assert dialog.focusWidget() is dialog.id_number  # the first bad field in the form
    assert (dialog.name.text(), dialog.id_number.text(), dialog.dues_base.text()) == ("钱学文", BAD_ID, "五千")
    assert len(members.list_members(ctx.db, sample.committee)) == 3

    # Fix the problems one by one: an edited field's message goes; the service then accepts.
    dialog.id_number.clear()
    qtbot.keyClicks(dialog.id_number, GOOD_ID)
    assert dialog.error_text("id_number") == ""
    dialog.full_on.set_date_value(dt.date(2016, 7, 1))
    dialog.dues_base.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "钱学文" in names(page)


def test_a_mistyped_date_is_named_under_its_field_and_nothing_is_saved(qtbot, page, ctx, sample) -> None:
    dialog = page.add_member()
    type_text(qtbot, dialog.name, "钱学文")
    dialog.gender.setCurrentText("男")
    type_date(qtbot, dialog.birth_date, "1990-13-45")
    type_date(qtbot, dialog.joined_on, "2015/7/1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error_text("birth_date") == NOT_A_DATE  # not "不能为空"
    assert dialog.error_text("joined_on") == ""
    assert dialog.error_text("full_on") == "正式党员须填写转正日期"  # the form's other problems too
    assert dialog.focusWidget() is dialog.birth_date
    assert dialog.birth_date.text() == "1990-13-45"
    assert dialog.birth_date.property("invalid")
    assert len(members.list_members(ctx.db, sample.committee)) == 3

    type_date(qtbot, dialog.birth_date, "1990年5月6日")
    assert dialog.error_text("birth_date") == ""
    type_date(qtbot, dialog.full_on, dt.date(2016, 7, 1))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert (row(page, "钱学文")["出生日期"], row(page, "钱学文")["入党日期"]) == ("1990-05-06", "2015-07-01")


def test_a_mistyped_date_in_a_field_not_in_use_does_not_stop_the_save(qtbot, page, ctx, sample) -> None:
    page.select_member(sample.probationary)
    dialog = page.edit_selected()
    dialog.standing.setCurrentIndex(dialog.standing.findText("正式党员"))
    type_date(qtbot, dialog.full_on, "2027-7-")
    dialog.standing.setCurrentIndex(dialog.standing.findText("预备党员"))  # 转正日期 not in use
    assert not dialog.full_on.isEnabled() and dialog.full_on.text() == "2027-7-"
    qtbot.keyClicks(dialog.phone, "13800002222")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert members.get(ctx.db, sample.probationary).data.phone == "13800002222"


def test_a_mistyped_date_in_a_member_action_is_named_not_taken_for_blank(qtbot, page, sample) -> None:
    click_row(qtbot, page, "李晓梅")
    dialog = page.convert_selected()
    type_date(qtbot, dialog.on, "2026-1-32")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("full_on") == NOT_A_DATE
    assert row(page, "李晓梅")["人员类别"] == "预备党员"
    type_date(qtbot, dialog.on, "2026年1月31日")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert row(page, "李晓梅")["转正日期"] == "2026-01-31"


def test_duplicate_id_number_is_refused_by_the_service(qtbot, page, ctx, sample) -> None:
    assert page.select_member(sample.secretary)
    dialog = page.edit_selected()
    dialog.id_number.setText(GOOD_ID)
    dialog.birth_date.set_date_value(dt.date(1990, 5, 6))
    dialog.accept()
    assert not dialog.isVisible()
    click_row(qtbot, page, "李晓梅")
    dialog = page.edit_selected()
    assert dialog.name.text() == "李晓梅"
    dialog.gender.setCurrentText("男")
    dialog.id_number.setText(GOOD_ID)
    dialog.birth_date.set_date_value(dt.date(1990, 5, 6))
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error_text("id_number") == "该号码已登记在党员“王建国”名下"
    assert members.get(ctx.db, sample.probationary).data.id_number == ""


def test_edit_by_double_click_updates_the_row_and_history(qtbot, page) -> None:
    click_row(qtbot, page, "王建国")  # QTest's double click alone lacks the first press
    index = page.model.index(names(page).index("王建国"), 0)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                      pos=page.table.visualRect(index).center())
    dialog = page.findChild(MemberDialog)
    assert dialog.windowTitle() == "编辑党员：王建国"
    assert dialog.full_on.date_value() == dt.date(2009, 6, 1)
    qtbot.keyClicks(dialog.phone, "13800001111")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert row(page, "王建国")["联系电话"] == "138****1111"
    assert history(page)[0] == "修改：联系电话"


def test_search_by_pinyin_initials_name_and_number(qtbot, page) -> None:
    page.focus_search()
    qtbot.keyClicks(page.search, "wjg")
    qtbot.waitUntil(lambda: names(page) == ["王建国"])
    page.search.clear()
    type_text(qtbot, page.search, "晓梅")
    qtbot.waitUntil(lambda: names(page) == ["李晓梅"])
    page.search.clear()
    qtbot.keyClicks(page.search, "xyz")
    qtbot.waitUntil(lambda: names(page) == [])
    assert page.stack.currentWidget() is page.empty_label
    assert "没有符合条件的党员" in page.empty_label.text()
    page.search.clear()
    qtbot.waitUntil(lambda: len(names(page)) == 2)


def test_filters_by_status_standing_and_group(qtbot, page, ctx, sample) -> None:
    click_row(qtbot, page, "李晓梅")
    dialog = page.change_status()
    dialog.status.setCurrentIndex(dialog.status.findText("流动"))
    type_text(qtbot, dialog.note, "外出务工")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert row(page, "李晓梅")["状态"] == "流动"  # still 在册
    assert history(page)[0] == "状态由正常改为流动：外出务工"

    page.status_filter.setCurrentIndex(page.status_filter.findText("流动"))
    assert names(page) == ["李晓梅"]
    page.status_filter.setCurrentIndex(page.status_filter.findText("正常"))
    assert names(page) == ["王建国"]
    page.status_filter.setCurrentIndex(page.status_filter.findText("全部状态"))
    page.standing_filter.setCurrentIndex(page.standing_filter.findText("预备党员"))
    assert names(page) == ["李晓梅"]
    page.standing_filter.setCurrentIndex(0)
    page.group_filter.setCurrentIndex(page.group_filter.findText("第一党小组"))
    assert names(page) == ["王建国"]
    page.group_filter.setCurrentIndex(page.group_filter.findText("未分组"))
    assert names(page) == ["李晓梅"]


def test_conversion_to_full_member(qtbot, page, ctx, sample) -> None:
    click_row(qtbot, page, "李晓梅")
    assert page.convert_action.isEnabled() and page.convert_button.isEnabled()
    dialog = page.convert_selected()
    type_date(qtbot, dialog.on, dt.date(2025, 12, 31))  # before joining: refused
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("full_on") == "转正日期应晚于入党日期"
    assert dialog.on.date_value() == dt.date(2025, 12, 31)
    assert row(page, "李晓梅")["人员类别"] == "预备党员"

    type_date(qtbot, dialog.on, dt.date(2026, 1, 12))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert row(page, "李晓梅")["人员类别"] == "正式党员"
    assert row(page, "李晓梅")["转正日期"] == "2026-01-12"
    assert history(page) == ["登记入册", "按期转为正式党员"]  # by date, the latest first
    assert not page.convert_action.isEnabled()


def test_probation_extension(qtbot, page, sample) -> None:
    click_row(qtbot, page, "李晓梅")
    dialog = page.extend_selected()
    dialog.months.setValue(6)
    assert dialog.new_end.text() == "延长后预备期满：2027-07-10"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert history(page)[0] == "延长预备期6个月"
    assert "预备期满 2027-07-10（延长6个月）" in page.detail.text()
    assert not page.extend_action.isEnabled()  # only once


def test_transfer_out_then_back(qtbot, page, ctx, sample) -> None:
    click_row(qtbot, page, "王建国")
    dialog = page.transfer_out_selected()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # 转往单位 empty
    assert dialog.isVisible()
    assert dialog.error_text("counterpart") == "转往单位不能为空"
    type_text(qtbot, dialog.counterpart, "市税务局机关党委")
    qtbot.keyClicks(dialog.letter_no, "2026-08")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    assert names(page) == ["李晓梅"]  # the default view shows the roll (在册) only
    page.status_filter.setCurrentIndex(page.status_filter.findText("转出"))
    assert names(page) == ["王建国"]
    assert row(page, "王建国")["状态"] == "转出"
    click_row(qtbot, page, "王建国")
    assert history(page)[0] == "组织关系转出至市税务局机关党委（介绍信 2026-08）"
    assert not page.transfer_out_action.isEnabled() and page.return_action.isEnabled()

    dialog = page.return_selected()
    type_text(qtbot, dialog.counterpart, "市税务局机关党委")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert names(page) == []
    page.status_filter.setCurrentIndex(0)
    assert sorted(names(page)) == sorted(["王建国", "李晓梅"])
    assert members.get(ctx.db, sample.secretary).status is Status.NORMAL


def test_transfer_in_a_new_member(qtbot, page, ctx) -> None:
    # The 转入 button's menu: a new arrival, or (for a member transferred out) a return.
    assert page.transfer_in_button.menu().actions() == [page.transfer_in_action, page.return_action]
    assert page.transfer_in_action.isEnabled() and not page.return_action.isEnabled()
    dialog = page.transfer_in()
    assert dialog.windowTitle() == "组织关系转入"
    type_text(qtbot, dialog.name, "孙晓红")
    qtbot.keyClicks(dialog.id_number, "110105199307120028")
    dialog.joined_on.set_date_value(dt.date(2018, 5, 4))
    dialog.full_on.set_date_value(dt.date(2019, 5, 4))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text("counterpart") == "不能为空"
    type_text(qtbot, dialog.counterpart, "省发改委机关党委")
    qtbot.keyClicks(dialog.letter_no, "2026-31")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert row(page, "孙晓红")["性别"] == "女"
    assert page.selected_member().name == "孙晓红"
    assert history(page) == ["组织关系由省发改委机关党委转入（介绍信 2026-31）"]


def test_delete_key_asks_naming_the_member(qtbot, page, ctx, sample) -> None:
    click_row(qtbot, page, "李晓梅")
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.No))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "李晓梅" in asked[0]
    assert "李晓梅" in names(page)

    # Offscreen, closing the box gives neither the activation nor the focus back.
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.table.setFocus()
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert names(page) == ["王建国"]
    with pytest.raises(members.ServiceError):
        members.get(ctx.db, sample.probationary)


def test_delete_with_injected_confirmation(page, ctx, sample) -> None:
    page.select_member(sample.secretary)
    assert not page.delete_selected(ask=lambda _parent, _title, _text: False)
    assert page.delete_selected(ask=lambda _parent, _title, text: "王建国" in text)
    assert names(page) == ["李晓梅"]


def test_refused_delete_says_why(qtbot, page, ctx, sample) -> None:
    organizations.add_seat(ctx.db, sample.branch, sample.secretary, CommitteeRole.SECRETARY,
                           dt.date(2025, 1, 1))
    page.select_member(sample.secretary)
    shown: list[str] = []

    def close_warning() -> None:
        box = QApplication.activeModalWidget()
        shown.append(box.text())
        box.close()

    QTimer.singleShot(0, close_warning)
    assert not page.delete_selected(ask=lambda *_: True)
    assert shown == ["“王建国”在委员会任职记录中，请先删除其任职记录"]
    assert "王建国" in names(page)


def test_committee_scope_asks_which_branch(qtbot, ctx, sample) -> None:
    page = open_page(qtbot, ctx, sample.committee)
    assert sorted(names(page)) == sorted(["王建国", "李晓梅", "赵志强"])
    assert page.group_filter.findText("办公室党支部·第一党小组") < 0  # one branch has groups
    dialog = page.add_member()
    assert [dialog.org.itemText(i).strip() for i in range(dialog.org.count())] == [
        "请选择所在支部", "市直机关某局机关党委", "办公室党支部", "业务科党支部"]
    type_text(qtbot, dialog.name, "周文")
    qtbot.keyClicks(dialog.id_number, GOOD_ID)
    dialog.joined_on.set_date_value(dt.date(2015, 7, 1))
    dialog.full_on.set_date_value(dt.date(2016, 7, 1))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text("org_id") == "请选择党员所在的支部"
    assert dialog.focusWidget() is dialog.org
    dialog.org.setCurrentIndex(dialog.org.findText("办公室党支部", Qt.MatchFlag.MatchContains))
    assert [dialog.group.itemText(i) for i in range(dialog.group.count())] == ["无", "第一党小组"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert row(page, "周文")["所在支部"] == "办公室党支部"


def test_reloads_only_when_visible(qtbot, page, ctx, sample) -> None:
    page.hide()
    members.create(ctx.db, sample.branch, member_data("刘洋", birth_date=dt.date(1990, 1, 2)))
    ctx.notify_changed()
    assert "刘洋" not in names(page)
    page.show()
    assert "刘洋" in names(page)


def test_empty_scope_explains_what_to_do(qtbot, ctx, sample) -> None:
    empty = organizations.create(ctx.db, sample.committee, OrgKind.BRANCH, "新建党支部")
    page = open_page(qtbot, ctx, empty)
    assert page.stack.currentWidget() is page.empty_label
    assert page.empty_label.text().startswith("本组织还没有党员")
    assert not page.edit_action.isEnabled() and page.new_action.isEnabled()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    qtbot.keyClick(page.empty_label, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.findChild(MemberDialog)
    assert dialog is not None and dialog.org_label.text() == "新建党支部"
    dialog.reject()
    ctx.set_scope(sample.branch)
    assert page.stack.currentWidget() is page.table
    assert len(names(page)) == 2


def test_sorting_by_clicking_a_header(qtbot, page) -> None:
    header = page.table.horizontalHeader()
    section = HEADERS.index("出生日期")
    centre = QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
                    header.height() // 2)

    def births() -> list[str]:
        return [page.model.index(r, section).data() for r in range(page.model.rowCount())]

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert births() == ["1985-03-04", "1996-08-09"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert births() == ["1996-08-09", "1985-03-04"]


def test_a_long_error_line_is_shown_whole(qtbot, ctx, sample) -> None:
    ctx.set_scope(sample.branch)
    dialog = MemberDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.joined_on, "2015.13.1")
    dialog.save_button.click()
    label = dialog.errors["joined_on"]
    assert label.text() == "不是有效的日期，请按 2024-05-01 的格式填写"
    # The dialog grew to fit the wrapped message instead of cutting its second line off.
    assert label.height() >= label.heightForWidth(label.width())
