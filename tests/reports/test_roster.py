"""党员花名册: members on the roll with their fields; ID numbers and phones masked unless asked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from branchdesk.domain import idnumber
from branchdesk.domain.members import Status
from branchdesk.domain.periods import Period
from branchdesk.services import exports, members
from tests.conftest import TODAY, Sample, member_data
from tests.reports.layout import assert_layout, highlights
from tests.reports.records import header, table

BODY = "11010519850304001"
ID_NUMBER = BODY + idnumber.check_char(BODY)  # a man born 1985-03-04
PHONE = "13912345678"


def _book(db, scope: int, tmp_path: Path, options: exports.Options | None = None):
    out = exports.export_report(db, "roster", tmp_path / "r.xlsx", scope, Period(2026), TODAY, options)
    return load_workbook(out)


def _people(db, sample: Sample) -> None:
    members.create(db, sample.other_branch, member_data(
        "欧阳明", id_number=ID_NUMBER, phone=PHONE, ethnicity="回族", education="大学本科"), today=TODAY)
    lost = members.create(db, sample.other_branch, member_data("钱进", gender="女"), today=TODAY)
    members.set_status(db, lost, Status.LOST, dt.date(2026, 3, 1))
    gone = members.create(db, sample.branch, member_data("吴刚"), today=TODAY)
    members.transfer_out(db, gone, dt.date(2026, 5, 1), "市委办公室党支部")


def test_members_on_the_roll_masked(db, sample: Sample, tmp_path: Path) -> None:
    _people(db, sample)
    book = _book(db, sample.committee, tmp_path)
    assert_layout(book, "roster", "2026", ["党员花名册", "人数统计"])
    ws = book["党员花名册"]
    assert ws["A1"].value == "党员花名册（截至2026年11月23日）"
    assert header(ws) == ["序号", "所在党支部", "党小组", "姓名", "性别", "民族", "出生日期", "身份证号", "学历",
                          "人员类别", "入党日期", "转正日期", "党费类别", "联系电话", "状态", "备注"]
    rows = table(ws)
    # 吴刚 was transferred out: not on the roll. Branches in tree order, then by the names' initials.
    assert [(r[1], r[3], r[14]) for r in rows[:-1]] == [
        ("办公室党支部", "李晓梅", "正常"), ("办公室党支部", "王建国", "正常"), ("业务科党支部", "欧阳明", "正常"),
        ("业务科党支部", "钱进", "失联"), ("业务科党支部", "赵志强", "正常")]
    ouyang = rows[2]
    assert ouyang[7] == "1101*************" + ID_NUMBER[-1] and ouyang[13] == "139****5678"
    assert ID_NUMBER not in str([c.value for row in ws.iter_rows() for c in row])
    assert (ouyang[5], ouyang[8], ouyang[9], ouyang[12]) == ("回族", "大学本科", "正式党员", "在职")
    assert ouyang[6] == dt.datetime(1985, 3, 4) and ws["G4"].number_format == "yyyy-mm-dd"
    assert rows[0][9:12] == ("预备党员", dt.datetime(2026, 1, 10), None) and rows[1][2] == "第一党小组"
    assert rows[-1][3] == "=SUBTOTAL(3,D4:D8)"
    assert highlights(ws) == [("A4:P8", ['$O4="失联"'])]
    note = next(r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("注："))
    assert "已部分遮蔽" in note

    counts = table(book["人数统计"])
    assert counts[0] == ("办公室党支部", "=C4+D4", 1, 1, 1, 0, 0)
    assert counts[1] == ("业务科党支部", "=C5+D5", 3, 0, 1, 1, 1)
    assert counts[2] == ("合计", "=SUM(B4:B5)", "=SUM(C4:C5)", "=SUM(D4:D5)", "=SUM(E4:E5)", "=SUM(F4:F5)",
                         "=SUM(G4:G5)")


def test_whole_numbers_only_when_asked(db, sample: Sample, tmp_path: Path) -> None:
    _people(db, sample)
    ws = _book(db, sample.other_branch, tmp_path, exports.Options(show_full_ids=True))["党员花名册"]
    row = next(r for r in table(ws) if r[3] == "欧阳明")
    assert (row[7], row[13]) == (ID_NUMBER, PHONE)
    note = next(r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("注："))
    assert "含完整身份证号" in note


def test_a_past_year_lists_the_roll_at_its_end(db, sample: Sample, tmp_path: Path) -> None:
    """2025: 吴刚 (transferred out in May 2026) was still on the roll; 李晓梅 joined only in 2026."""
    _people(db, sample)
    out = exports.export_report(db, "roster", tmp_path / "r.xlsx", sample.committee, Period(2025), TODAY)
    book = load_workbook(out)
    ws = book["党员花名册"]
    assert ws["A1"].value == "党员花名册（截至2025年12月31日）"
    assert [(r[1], r[3], r[14]) for r in table(ws)[:-1]] == [
        ("办公室党支部", "吴刚", "转出"), ("办公室党支部", "王建国", "正常"), ("业务科党支部", "欧阳明", "正常"),
        ("业务科党支部", "钱进", "失联"), ("业务科党支部", "赵志强", "正常")]
    assert [r[2:4] for r in table(book["人数统计"])[:-1]] == [(2, 0), (3, 0)]
