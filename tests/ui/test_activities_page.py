"""The 会议学习 page through its real widgets on a real SQLite file: the list and its filters, 补学,
deleting, the compliance view and the printed sign-in sheet."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from branchdesk.domain.activities import ActivityData, ActivityKind, AttendanceEntry, AttendanceStatus
from branchdesk.services import activities, recycle
from branchdesk.ui.activities.models import FIRST_MONTH, KIND
from branchdesk.ui.activities.page import ActivitiesPage
from tests.ui.conftest import answer_message_boxes, type_date, type_text
from tests.ui.test_activity_dialog import EXTRA, HELD, open_page
from tests.ui.test_honours_page import active_dialog, choose

YES = QMessageBox.StandardButton.Yes
PAST = 2025  # a year wholly over, whatever the machine's date


@pytest.fixture
def page(qtbot, ctx, sample) -> ActivitiesPage:
    return open_page(qtbot, ctx, sample)


def record(db, org: int, kind: ActivityKind, on: dt.date, topic: str, away: dict[str, AttendanceStatus] | None = None,
           **fields) -> int:
    roll = activities.expected_attendees(db, org, kind, on=on)
    away = away or {}
    entries = [AttendanceEntry(p.member_id, away.get(p.name, AttendanceStatus.PRESENT),
                               "出差" if away.get(p.name) is AttendanceStatus.LEAVE else "") for p in roll]
    return activities.create(db, ActivityData(org, kind, on, topic, **fields), entries)


def listed(page: ActivitiesPage, *columns: str) -> list[tuple[str, ...]]:
    m = page.list.model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    return [tuple(m.index(r, headers.index(h)).data() for h in columns) for r in range(m.rowCount())]


def test_the_list_filters_by_kind_period_and_search(qtbot, page, ctx, sample) -> None:
    db, branch = ctx.db, sample.branch
    record(db, branch, ActivityKind.LECTURE, dt.date(2026, 3, 20), "学习党章", lecturer="王建国")
    record(db, branch, ActivityKind.THEME_DAY, dt.date(2026, 5, 8), "参观红色教育基地", place="党史馆")
    record(db, branch, ActivityKind.GENERAL_MEETING, dt.date(2026, 11, 10), "讨论发展对象")
    page.list.reload()
    choose(page.list.year_filter, "2026年")
    assert listed(page, "日期", "类型", "主题") == [
        ("2026-11-10", "支部党员大会", "讨论发展对象"), ("2026-05-08", "主题党日", "参观红色教育基地"),
        ("2026-03-20", "党课", "学习党章")]
    assert page.list.count_label.text() == "共 3 次"
    choose(page.list.period_filter, "第二季度")
    assert listed(page, "主题") == [("参观红色教育基地",)]
    choose(page.list.period_filter, "全年")
    choose(page.list.kind_filter, "党课")
    assert listed(page, "主题", "授课人") == [("学习党章", "王建国")]
    choose(page.list.kind_filter, "全部类型")
    type_text(qtbot, page.list.search, "党史")  # the place
    assert listed(page, "主题") == [("参观红色教育基地",)]
    type_text(qtbot, page.list.search, "不存在")
    assert page.list.empty_label.isVisible()
    assert page.list.empty_label.text().startswith("没有符合条件的会议或活动。")
    page.list.search.clear()
    choose(page.list.year_filter, "2025年")
    assert page.list.empty_label.text().startswith("所选期间还没有会议或学习活动的记录。")


def test_make_up_through_the_page_credits_the_hours(qtbot, page, ctx, sample) -> None:
    meeting = record(ctx.db, sample.branch, ActivityKind.STUDY, HELD, "学习条例", study_hours_tenths=30,
                     away={"刘洋": AttendanceStatus.LEAVE, "孙海": AttendanceStatus.ABSENT})
    page.list.reload()
    liu = next(p.member_id for p in activities.get(ctx.db, meeting).attendance if p.name == "刘洋")
    hours = {m.member_id: m.hours_tenths for m in activities.member_study(ctx.db, sample.branch, HELD.year)}
    assert hours[liu] == 0
    page.list.table.selectRow(0)
    assert page.list.make_up_button.isEnabled()
    qtbot.mouseClick(page.list.make_up_button, Qt.MouseButton.LeftButton)
    dialog = active_dialog(qtbot)
    assert [dialog.member.itemText(i) for i in range(dialog.member.count())] == ["刘洋（请假：出差）", "孙海（缺席）"]
    type_date(qtbot, dialog.made_up_on, dt.date(2026, 11, 5))  # before the meeting: refused under the field
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("made_up_on") == "刘洋：补学日期不能早于活动日期"
    type_date(qtbot, dialog.made_up_on, dt.date(2026, 11, 12))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    assert listed(page, "主题", "出席", "请假", "缺席", "补学") == [("学习条例", "4", "", "1", "1")]
    study = {m.member_id: m for m in activities.member_study(ctx.db, sample.branch, HELD.year)}
    assert (study[liu].hours_tenths, study[liu].attended) == (30, 1)
    # The compliance view's member table shows it too.
    page.tabs.setCurrentWidget(page.compliance)
    page.compliance.year.setValue(HELD.year)
    rows = page.compliance.study
    row = next(r for r in range(rows.rowCount()) if rows.record_at(r).member_id == liu)
    assert (rows.index(row, 3).data(), rows.index(row, 5).data()) == ("1", "3")


def test_a_quarter_without_a_lecture_is_missing_until_one_is_held(qtbot, page, ctx, sample) -> None:
    tab = page.compliance
    page.tabs.setCurrentWidget(tab)
    tab.year.setValue(PAST)
    model = tab.compliance

    def lecture_cells() -> list[tuple[str, str]]:
        row = next(r for r in range(model.rowCount()) if model.index(r, KIND).data() == "党课")
        # One cell per quarter: the first month's column, the span covering the other two.
        assert [tab.compliance_table.columnSpan(row, FIRST_MONTH + m) for m in (0, 3, 6, 9)] == [3, 3, 3, 3]
        cells = [model.index(row, FIRST_MONTH + m) for m in (0, 3, 6, 9)]
        return [(cell.data(), cell.data(Qt.ItemDataRole.UserRole)) for cell in cells]

    assert lecture_cells() == [("0/1", "missing")] * 4
    row = next(r for r in range(model.rowCount()) if model.index(r, KIND).data() == "党课")
    assert model.index(row, KIND).data(Qt.ItemDataRole.ForegroundRole) is not None  # the kind is marked

    # The lecture of the second quarter is recorded through the dialog.
    page.tabs.setCurrentWidget(page.list)
    dialog = page.list.add()
    choose(dialog.kind, "党课")
    type_date(qtbot, dialog.held_on, dt.date(PAST, 5, 20))
    type_text(qtbot, dialog.topic, "党的创新理论")
    type_text(qtbot, dialog.lecturer, "王建国")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    page.tabs.setCurrentWidget(tab)
    assert lecture_cells() == [("0/1", "missing"), ("1/1", "met"), ("0/1", "missing"), ("0/1", "missing")]


def test_delete_asks_and_moves_the_meeting_to_the_recycle_bin(qtbot, page, ctx, sample) -> None:
    record(ctx.db, sample.branch, ActivityKind.STUDY, HELD, "学习条例")
    page.list.reload()
    page.list.table.selectRow(0)
    seen = answer_message_boxes(YES)
    qtbot.keyClick(page.list.table, Qt.Key.Key_Delete)
    assert seen and seen[0].startswith("确定删除理论学习“学习条例”（2026-11-10）吗？")
    assert page.list.model.rowCount() == 0
    assert activities.list_activities(ctx.db, sample.branch) == []
    assert any("学习条例" in e.label for e in recycle.entries(ctx.db))


def test_double_click_opens_the_meeting(qtbot, page, ctx, sample) -> None:
    record(ctx.db, sample.branch, ActivityKind.STUDY, HELD, "学习条例")
    page.list.reload()
    index = page.list.model.index(0, 2)
    rect = page.list.table.visualRect(index)
    # QTest's double click alone lacks the first press.
    qtbot.mouseClick(page.list.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.list.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = active_dialog(qtbot)
    assert dialog.windowTitle() == f"编辑会议/活动（编号 {page.list.selected().id}）"
    assert dialog.topic.text() == "学习条例"
    dialog.reject()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_printed_sign_in_sheet_and_minutes_carry_the_names(qtbot, page, ctx, sample, tmp_path: Path) -> None:
    record(ctx.db, sample.branch, ActivityKind.GENERAL_MEETING, HELD, "讨论发展对象", place="三楼会议室",
           away={"刘洋": AttendanceStatus.LEAVE})
    page.list.reload()
    page.list.table.selectRow(0)
    seen = answer_message_boxes(QMessageBox.StandardButton.Ok)
    out = page.list.print_sign_in(tmp_path / "签到表.pdf")
    qtbot.waitUntil(lambda: bool(seen))
    assert out == tmp_path / "签到表.pdf"
    # NFKC: the PDF's text layer names a few ideographs by their Kangxi-radical twins (⽀ for 支).
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                                                        capture_output=True, text=True).stdout)
    assert "办公室党支部党员大会签到表" in text
    assert "讨论发展对象" in text and "三楼会议室" in text
    for name in ("王建国", "李晓梅", *EXTRA):
        assert name in text
    assert "应到 6 人" in text

    seen = answer_message_boxes(QMessageBox.StandardButton.Ok)
    minutes = page.list.print_minutes(tmp_path / "会议记录.pdf")
    qtbot.waitUntil(lambda: bool(seen))
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", str(minutes), "-"], check=True,
                                                        capture_output=True, text=True).stdout)
    assert "办公室党支部党员大会会议记录" in text
    assert "刘洋(出差)" in text  # NFKC turns the full-width brackets into ASCII ones
    assert "应到 6 人,实到 5 人,请假 1 人" in text


def test_the_print_menu_exports_the_sign_in_sheet_to_excel(qtbot, page, ctx, sample, tmp_path: Path,
                                                            monkeypatch) -> None:
    record(ctx.db, sample.branch, ActivityKind.GENERAL_MEETING, HELD, "讨论发展对象",
           away={"刘洋": AttendanceStatus.LEAVE})
    page.list.reload()
    page.list.table.selectRow(0)
    asked = []

    def save_as(parent, caption: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append((caption, Path(suggested).name, filters))
        return str(tmp_path / "签到表"), filters  # typed without the suffix

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    action = next(a for a in page.list.print_button.menu().actions() if a.text() == "签到表（Excel）…")
    seen = answer_message_boxes(QMessageBox.StandardButton.Ok)
    action.trigger()
    qtbot.waitUntil(lambda: bool(seen))
    out = tmp_path / "签到表.xlsx"
    assert asked == [("保存签到表", "2026-11-10_支部党员大会签到表.xlsx", "Excel 工作簿 (*.xlsx)")]
    assert seen == [f"签到表已保存：{out}"]
    ws = load_workbook(out)["签到表"]
    assert ws["A1"].value == "办公室党支部党员大会签到表"
    names = [ws.cell(row, 2).value for row in range(4, 10)]
    assert sorted(names) == sorted(["王建国", "李晓梅", *EXTRA])  # all six entered, 刘洋 on leave too
    assert all(ws.cell(row, 5).value is None for row in range(4, 10))  # the 签到 column is left blank

    page.list.table.clearSelection()
    assert not action.isEnabled()


def test_the_period_listed_suits_the_scope(qtbot, page, ctx, sample) -> None:
    quarter = (dt.date.today().month - 1) // 3 + 1
    ctx.set_scope(sample.committee)  # two branches: this quarter, not a year of every branch
    assert page.list.year_filter.currentData() == dt.date.today().year
    assert page.list.period_filter.currentData() == f"Q{quarter}"
    choose(page.list.period_filter, "全年")  # the user's choice stands while the scope does
    page.list.reload()
    assert page.list.period_filter.currentText() == "全年"
    ctx.set_scope(sample.branch)
    assert page.list.period_filter.currentText() == "全年"
    assert page.list.period_filter.currentData() is None
