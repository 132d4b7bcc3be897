"""The meeting dialog through its real widgets on a real SQLite file: the fields of each kind, attendance
entered from the keyboard, the quorum warning, refusals, and attachments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox

from branchdesk.domain.activities import ActivityData, ActivityKind, AttendanceEntry, AttendanceStatus
from branchdesk.services import activities, members
from branchdesk.ui.activities.attendance import NAME, REASON, STATUS
from branchdesk.ui.activities.dialog import ActivityDialog
from branchdesk.ui.activities.page import ActivitiesPage
from tests.conftest import TODAY, member_data
from tests.ui.conftest import answer_message_boxes, type_date, type_text
from tests.ui.test_honours_page import active_dialog, choose, member_history, show

HELD = dt.date(2026, 11, 10)  # before TODAY and the machine's date
EXTRA = ("陈立", "刘洋", "孙海", "周敏")  # full members added to 办公室党支部 (with 王建国: five votes)


def open_page(qtbot, ctx, sample) -> ActivitiesPage:
    """The page on 办公室党支部 with the EXTRA members added, listing HELD's year."""
    for name in EXTRA:
        members.create(ctx.db, sample.branch, member_data(name), today=TODAY)
    page = show(qtbot, ActivitiesPage(ctx), ctx, sample.branch)
    page.list.year_filter.setCurrentIndex(page.list.year_filter.findData(HELD.year))
    return page


@pytest.fixture
def page(qtbot, ctx, sample) -> ActivitiesPage:
    return open_page(qtbot, ctx, sample)


def attendance(dialog: ActivityDialog) -> dict[str, tuple[str, str]]:
    """The attendance table as the user reads it: name → (出席情况, 事由)."""
    m = dialog.attendance
    return {m.index(r, NAME).data(): (m.index(r, STATUS).data(), m.index(r, REASON).data())
            for r in range(m.rowCount())}


def row_of(dialog: ActivityDialog, name: str) -> int:
    m = dialog.attendance
    return next(r for r in range(m.rowCount()) if m.index(r, NAME).data() == name)


def press_on(qtbot, dialog: ActivityDialog, name: str, key: Qt.Key) -> None:
    dialog.table.selectRow(row_of(dialog, name))
    qtbot.keyClick(dialog.table, key)


def type_reason(qtbot, dialog: ActivityDialog, name: str, reason: str) -> None:
    """Enter on the row opens its reason; type it and press Enter, as a user does."""
    dialog.table.selectRow(row_of(dialog, name))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.parent() is dialog.table.viewport()
    type_text(qtbot, editor, reason)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.state() == QAbstractItemView.State.NoState)  # committed


def new_meeting(qtbot, page: ActivitiesPage, kind: str, topic: str) -> ActivityDialog:
    qtbot.keyClick(page.list.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = active_dialog(qtbot)
    assert isinstance(dialog, ActivityDialog) and dialog.windowTitle() == "新增会议/活动"
    choose(dialog.kind, kind)
    type_date(qtbot, dialog.held_on, HELD)
    type_text(qtbot, dialog.topic, topic)
    return dialog


def test_a_general_meeting_with_leave_and_absence_shows_in_the_list_and_the_members_history(
        qtbot, page, ctx, sample) -> None:
    dialog = new_meeting(qtbot, page, "支部党员大会", "讨论李晓梅同志转正")
    type_text(qtbot, dialog.place, "三楼会议室")
    type_text(qtbot, dialog.starts_at, "14:30")
    type_text(qtbot, dialog.chair, "王建")  # the names on the list are offered
    popup = dialog.chair.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.chair.text() == "王建国"
    type_text(qtbot, dialog.hours, "1.5")
    # Everyone on the branch's roll is listed, present by default.
    assert attendance(dialog) == {name: ("出席", "") for name in ("王建国", "李晓梅", *EXTRA)}
    assert dialog.summary.text() == "应到 6 人：出席 6，请假 0，缺席 0，补学 0；列席 0"

    press_on(qtbot, dialog, "刘洋", Qt.Key.Key_2)  # 请假
    type_reason(qtbot, dialog, "刘洋", "出差")
    press_on(qtbot, dialog, "孙海", Qt.Key.Key_3)  # 缺席
    assert attendance(dialog)["刘洋"] == ("请假", "出差")
    assert attendance(dialog)["孙海"] == ("缺席", "")
    assert dialog.summary.text() == "应到 6 人：出席 4，请假 1，缺席 1，补学 0；列席 0"
    assert not dialog.quorum.isVisible()  # 3 of 5 votes present
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    rows = page.list.model
    headers = [rows.headerData(c, Qt.Orientation.Horizontal) for c in range(rows.columnCount())]
    listed = [{h: rows.index(r, c).data() for c, h in enumerate(headers)} for r in range(rows.rowCount())]
    assert listed == [{"日期": "2026-11-10", "类型": "支部党员大会", "主题": "讨论李晓梅同志转正",
                       "支部/党小组": "办公室党支部", "状态": "已召开", "应到": "6", "出席": "4", "请假": "1",
                       "缺席": "1", "补学": "", "学时": "1.5", "授课人": ""}]
    assert page.list.selected().topic == "讨论李晓梅同志转正"
    saved = activities.get(ctx.db, page.list.selected().id)
    assert (saved.data.place, saved.data.starts_at, saved.data.chair) == ("三楼会议室", "14:30", "王建国")
    liu = next(m.id for m in members.list_members(ctx.db, sample.branch) if m.name == "刘洋")
    assert ("2026-11-10", "支部党员大会：讨论李晓梅同志转正（请假）") in member_history(qtbot, ctx, sample.branch, liu)


def test_a_general_meeting_without_a_majority_of_votes_warns_but_saves(qtbot, page, ctx, sample) -> None:
    dialog = new_meeting(qtbot, page, "支部党员大会", "选举支部委员会")
    assert not dialog.quorum.isVisible()
    # Three of the five full members away: two votes present is not more than half. Select them and
    # set them at once; the probationary member's presence does not count.
    for name in ("陈立", "刘洋", "孙海"):
        dialog.table.selectionModel().select(
            dialog.attendance.index(row_of(dialog, name), 0),
            dialog.table.selectionModel().SelectionFlag.Select | dialog.table.selectionModel().SelectionFlag.Rows)
    assert dialog.table.selected_rows() == sorted(row_of(dialog, n) for n in ("陈立", "刘洋", "孙海"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_3)
    assert [attendance(dialog)[n][0] for n in ("陈立", "刘洋", "孙海", "李晓梅")] == ["缺席", "缺席", "缺席", "出席"]
    assert dialog.quorum.isVisible()
    assert dialog.quorum.text() == "到会有表决权的正式党员 2 名，未超过应到 5 名的半数，会议不能作出决议（可以保存）。"

    # One comes after all (Space cycles 缺席 → 列席 → 出席): the majority is reached.
    press_on(qtbot, dialog, "陈立", Qt.Key.Key_Space)
    assert attendance(dialog)["陈立"][0] == "列席"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert attendance(dialog)["陈立"][0] == "出席"
    assert not dialog.quorum.isVisible()
    qtbot.keyClick(dialog.table, Qt.Key.Key_3)  # away again: the warning returns, and it still saves
    assert dialog.quorum.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [(r.topic, r.present, r.absent) for r in activities.list_activities(ctx.db, sample.branch)] == [
        ("选举支部委员会", 3, 3)]


def test_a_refused_save_shows_why_under_the_field_and_keeps_the_input(qtbot, page, ctx, sample) -> None:
    dialog = new_meeting(qtbot, page, "党课", "")
    type_text(qtbot, dialog.place, "党员活动室")
    type_text(qtbot, dialog.hours, "2.55")
    press_on(qtbot, dialog, "周敏", Qt.Key.Key_2)  # 请假 without a reason
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("study_hours_tenths") == "应为不小于0的数，最多一位小数（如 1.5）"
    assert dialog.error_text("attendance") == "周敏：请假须填写原因"
    assert dialog.tabs.currentWidget() is dialog.attendance_tab
    assert dialog.attendance.index(row_of(dialog, "周敏"), REASON).data(Qt.ItemDataRole.ToolTipRole) == "请假须填写原因"

    # Fixed, the service's own refusals show under their fields: no topic, a 党课 without its lecturer.
    type_reason(qtbot, dialog, "周敏", "病假")
    dialog.hours.clear()
    type_text(qtbot, dialog.hours, "2")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("topic") == "不能为空"
    assert dialog.error_text("lecturer") == "已召开的党课须填写授课人"
    assert dialog.error_text("attendance") == ""
    assert (dialog.kind.currentText(), dialog.place.text(), dialog.hours.text(), dialog.held_on.text()) == (
        "党课", "党员活动室", "2", "2026-11-10")
    assert attendance(dialog)["周敏"] == ("请假", "病假")
    assert activities.list_activities(ctx.db, sample.branch) == []

    type_text(qtbot, dialog.topic, "新时代党员的初心使命")
    type_text(qtbot, dialog.lecturer, "王建国")
    qtbot.mouseClick(dialog.leader, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = activities.list_activities(ctx.db, sample.branch)
    assert [(a.kind, a.lecturer, a.lecturer_is_leader, a.leave) for a in saved] == [
        (ActivityKind.LECTURE, "王建国", True, 1)]


def test_fields_and_attendees_follow_the_kind(qtbot, page, ctx, sample) -> None:
    dialog = page.list.add()
    choose(dialog.kind, "理论学习")
    assert not dialog.lecturer.isEnabled() and not dialog.group.isEnabled()
    choose(dialog.kind, "党课")
    assert dialog.lecturer.isEnabled() and dialog.leader.isEnabled()
    choose(dialog.kind, "党小组会")
    assert dialog.group.isEnabled() and not dialog.lecturer.isEnabled()
    # The branch has one group: chosen at once, and only its members are expected.
    assert dialog.group.currentText() == "第一党小组"
    assert list(attendance(dialog)) == ["王建国"]
    choose(dialog.kind, "支委会")  # nobody sits on this branch's committee
    assert attendance(dialog) == {}
    assert dialog.attendees_note.text() == "名单为会议当天在任的支部委员。"
    # Other members of the branch may sit in (列席).
    assert sorted(p.name for p in dialog.observer_choices()) == sorted(["王建国", "李晓梅", *EXTRA])
    assert dialog.add_observer(sample.secretary)
    assert attendance(dialog) == {"王建国": ("列席", "")}
    assert dialog.summary.text() == "应到 0 人：出席 0，请假 0，缺席 0，补学 0；列席 1"

    # A planned meeting: attendance is entered after it is held.
    choose(dialog.kind, "主题党日")
    choose(dialog.status, "计划（尚未召开）")
    assert not dialog.table.isEnabled()
    assert dialog.attendees_note.text().startswith("计划中的会议")
    type_date(qtbot, dialog.held_on, dt.date(2026, 12, 5))
    type_text(qtbot, dialog.topic, "参观党史馆")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    planned = activities.list_activities(ctx.db, sample.branch)
    assert [(a.status, a.expected) for a in planned] == [("planned", 0)]


def test_all_present_and_bulk_setting_of_the_selected_rows(qtbot, page) -> None:
    dialog = page.list.add()
    dialog.table.selectAll()
    menu = dialog.bulk.menu()
    next(a for a in menu.actions() if a.text().startswith("缺席")).trigger()
    assert {status for status, _reason in attendance(dialog).values()} == {"缺席"}
    qtbot.mouseClick(dialog.all_present, Qt.MouseButton.LeftButton)
    assert {status for status, _reason in attendance(dialog).values()} == {"出席"}
    # A digit on one row moves on to the next person, for counting heads down the list.
    first = dialog.attendance.index(0, NAME).data()
    second = dialog.attendance.index(1, NAME).data()
    press_on(qtbot, dialog, first, Qt.Key.Key_4)
    assert attendance(dialog)[first][0] == "列席"
    assert dialog.table.selected_rows() == [1]
    qtbot.keyClick(dialog.table, Qt.Key.Key_5)
    assert attendance(dialog)[second][0] == "补学"
    assert dialog.attendance.lines[1].made_up_on == dialog.today


def test_attachments_are_copied_in_on_save_and_a_missing_one_is_shown(qtbot, page, ctx, sample, tmp_path,
                                                                      monkeypatch) -> None:
    photo = tmp_path / "会场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    dialog = new_meeting(qtbot, page, "主题党日", "重温入党誓词")
    assert dialog.add_attachment(photo, kind="photo")
    assert dialog.files.item(0).text() == "[照片] 会场照片.jpg　（保存时添加）"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    saved = activities.get(ctx.db, page.list.selected().id)
    [kept] = saved.attachments
    assert kept.path.read_bytes() == photo.read_bytes() and kept.path != photo
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = page.list.edit_selected()
    assert dialog.files.item(0).text() == "[照片] 会场照片.jpg"
    dialog.files.setCurrentRow(0)
    assert dialog.open_attachment()
    assert opened == [QUrl.fromLocalFile(str(kept.path))]
    dialog.reject()

    kept.path.unlink()  # someone tidied the attachments folder
    dialog = page.list.edit_selected()
    assert dialog.files.item(0).text() == "[照片] 会场照片.jpg　（文件缺失）"
    dialog.files.setCurrentRow(0)
    seen = answer_message_boxes(QMessageBox.StandardButton.Ok)
    assert not dialog.open_attachment()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].startswith("附件文件已不在原处")
    assert dialog.remove_attachment()
    assert dialog.files.count() == 0
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert activities.get(ctx.db, saved.id).attachments == []


def test_an_edited_meeting_keeps_its_attendance(qtbot, page, ctx, sample) -> None:
    roll = activities.expected_attendees(ctx.db, sample.branch, ActivityKind.STUDY, on=HELD)
    entries = [AttendanceEntry(p.member_id, AttendanceStatus.ABSENT if p.name == "孙海" else AttendanceStatus.PRESENT)
               for p in roll]
    activities.create(ctx.db, ActivityData(sample.branch, ActivityKind.STUDY, HELD, "学习党章"), entries)
    page.list.reload()
    page.list.table.selectRow(0)
    qtbot.keyClick(page.list.table, Qt.Key.Key_Return)
    dialog = active_dialog(qtbot)
    assert dialog.windowTitle() == f"编辑会议/活动（编号 {page.list.selected().id}）"
    assert dialog.topic.text() == "学习党章"
    assert attendance(dialog)["孙海"] == ("缺席", "")
    type_reason(qtbot, dialog, "孙海", "值班")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    row = next(r for r in activities.get(ctx.db, page.list.selected().id).attendance if r.name == "孙海")
    assert (row.status, row.reason) == (AttendanceStatus.ABSENT, "值班")


def test_a_file_missing_before_save_is_reported_without_losing_the_meeting(qtbot, page, ctx, sample,
                                                                           tmp_path: Path) -> None:
    gone = tmp_path / "签到表.pdf"
    gone.write_bytes(b"%PDF")
    dialog = new_meeting(qtbot, page, "理论学习", "学习条例")
    dialog.add_attachment(gone, kind="sign_in")
    gone.unlink()
    seen = answer_message_boxes(QMessageBox.StandardButton.Ok)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].startswith("会议已保存，但以下附件未能保存")
    assert [a.topic for a in activities.list_activities(ctx.db, sample.branch)] == ["学习条例"]
