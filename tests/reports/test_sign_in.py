"""签到表 as Excel (`sign-in`): a planned meeting lists whom it expects, a held one its attendance; one
tall bordered row each with blank cells to sign in; A4 portrait, one page wide, header repeated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.domain.activities import ActivityData, ActivityKind, AttendanceEntry, AttendanceStatus
from branchdesk.reports import sheet
from branchdesk.reports.sign_in import ROW_HEIGHT
from branchdesk.services import activities, exports, members, settings
from branchdesk.services.errors import ServiceError
from tests.conftest import TODAY, Sample, member_data
from tests.reports.records import info

PLANNED_ON = dt.date(2026, 11, 30)


@pytest.fixture
def branch(db, sample: Sample) -> Sample:
    """办公室党支部: 王建国 and 陈立 in 第一党小组; 李晓梅 (probationary), 孙海 and 周敏 in no group."""
    members.create(db, sample.branch, member_data("陈立", group_id=sample.group), today=TODAY)
    for name in ("周敏", "孙海"):
        members.create(db, sample.branch, member_data(name), today=TODAY)
    return sample


def lecture(db, sample: Sample) -> int:
    return activities.create(db, ActivityData(
        sample.branch, ActivityKind.LECTURE, PLANNED_ON, "学习贯彻党的二十届四中全会精神", status="planned",
        starts_at="14:30", ends_at="16:30", place="三楼会议室", chair="王建国", lecturer="王建国"), [])


def body(ws) -> list[tuple]:
    """The data rows: from under the header down to the notes."""
    rows = []
    for row in ws.iter_rows(min_row=sheet.FIRST_ROW, values_only=True):
        if row[0] is None or str(row[0]).startswith(("应到", "注：")):
            break
        rows.append(row)
    return rows


def test_a_planned_meeting_lists_its_expected_attendees_with_room_to_sign(db, branch: Sample,
                                                                          tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    out = exports.export_sign_in(db, lecture(db, branch), folder / "签到表.xlsx", TODAY)
    assert out == folder / "签到表.xlsx"
    assert [p.name for p in folder.iterdir()] == ["签到表.xlsx"]  # no temporary file left beside it
    book = load_workbook(out)
    assert book.sheetnames == ["签到表", sheet.INFO_SHEET]
    assert book[sheet.INFO_SHEET].sheet_state == "hidden"
    meta = info(book)
    assert (meta["kind"], meta["title"], meta["period"]) == ("sign-in", "办公室党支部党课签到表", "2026-11")
    assert meta["scope"] == meta["unit"] == "办公室党支部"
    ws = book["签到表"]
    assert ws["A1"].value == "办公室党支部党课签到表" and ws["A1"].font.name == "宋体" and ws["A1"].font.b
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    line = ws["A2"].value
    for part in ("会议：学习贯彻党的二十届四中全会精神", "时间：2026年11月30日 14:30—16:30", "地点：三楼会议室",
                 "授课人：王建国", "主持人：王建国"):
        assert part in line
    assert "填报单位" not in line
    assert [c.value for c in ws[sheet.HEADER_ROW]] == ["序号", "姓名", "党小组", "类别", "签到", "备注"]
    # By group (those in none last), then by pinyin.
    assert body(ws) == [
        (1, "陈立", "第一党小组", "正式党员", None, None),
        (2, "王建国", "第一党小组", "正式党员", None, None),
        (3, "李晓梅", None, "预备党员", None, None),
        (4, "孙海", None, "正式党员", None, None),
        (5, "周敏", None, "正式党员", None, None),
    ]
    assert ws["A9"].value.startswith("应到 5 人")
    for number in range(sheet.FIRST_ROW, sheet.FIRST_ROW + 5):
        assert ws.row_dimensions[number].height == ROW_HEIGHT
        for cell in ws[number]:
            assert cell.border.left.style == cell.border.bottom.style == "thin"
            assert cell.font.name == "宋体"
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[sheet.HEADER_ROW]}
    assert widths["签到"] == max(widths.values()) >= 24  # room for a signature
    assert sum(widths.values()) <= 95  # fits across A4 portrait
    setup = ws.page_setup
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == ("portrait", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${sheet.HEADER_ROW}:${sheet.HEADER_ROW}"
    assert ws.freeze_panes == f"A{sheet.FIRST_ROW}"


def test_a_held_meeting_lists_its_attendance_and_a_branch_without_groups_no_group_column(
        db, branch: Sample, tmp_path: Path) -> None:
    settings.save(db, settings.REPORT_UNIT, "中共江州市审计局机关委员会")
    roll = activities.expected_attendees(db, branch.branch, ActivityKind.GENERAL_MEETING, on=dt.date(2026, 11, 10))
    entries = [AttendanceEntry(p.member_id, AttendanceStatus.LEAVE if p.name == "孙海" else AttendanceStatus.PRESENT,
                               "出差" if p.name == "孙海" else "") for p in roll if p.name != "周敏"]
    held = activities.create(db, ActivityData(branch.branch, ActivityKind.GENERAL_MEETING, dt.date(2026, 11, 10),
                                              "讨论发展对象"), entries, today=TODAY)
    members.create(db, branch.branch, member_data("吴刚"), today=TODAY)  # joined after: not on the sheet
    book = load_workbook(exports.export_sign_in(db, held, tmp_path / "held.xlsx", TODAY))
    ws = book["签到表"]
    assert ws["A1"].value == "办公室党支部党员大会签到表"  # not 办公室党支部支部党员大会
    assert "主持人：　" in ws["A2"].value and "授课人" not in ws["A2"].value  # left blank to fill in by hand
    assert [r[1] for r in body(ws)] == ["陈立", "王建国", "李晓梅", "孙海"]  # as entered: 周敏 was not
    assert info(book)["unit"] == "中共江州市审计局机关委员会"

    other = activities.create(db, ActivityData(branch.other_branch, ActivityKind.THEME_DAY, PLANNED_ON, "志愿服务",
                                               status="planned"), [])
    ws = load_workbook(exports.export_sign_in(db, other, tmp_path / "other.xlsx", TODAY))["签到表"]
    assert [c.value for c in ws[sheet.HEADER_ROW]] == ["序号", "姓名", "类别", "签到", "备注"]
    assert body(ws) == [(1, "赵志强", "正式党员", None, None)]


def test_an_unknown_meeting_or_a_wrong_file_name_is_refused_and_nothing_written(db, branch: Sample,
                                                                                tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(ServiceError, match="找不到编号为 999 的活动记录"):
        exports.export_sign_in(db, 999, folder / "s.xlsx", TODAY)
    with pytest.raises(ServiceError, match=r"应以 \.xlsx 结尾"):
        exports.export_sign_in(db, lecture(db, branch), folder / "s.xls", TODAY)
    assert list(folder.iterdir()) == []
