"""学习考勤表 from the hand-countable 2025 of activity_records.py, read back: marks, counts, 人次."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from branchdesk.domain.periods import Period
from branchdesk.services import exports
from tests.conftest import TODAY
from tests.reports.activity_records import Year
from tests.reports.layout import assert_layout, highlights, totals_row
from tests.reports.records import header, table


def _export(db, year: Year, period: Period, tmp_path: Path, scope: int | None = None):
    out = exports.export_report(db, "attendance", tmp_path / "a.xlsx", scope or year.sample.committee, period, TODAY)
    return load_workbook(out)


def test_the_year(db, year: Year, tmp_path: Path) -> None:
    book = _export(db, year, Period(2025), tmp_path)
    assert_layout(book, "attendance", "2025", ["出勤汇总", "学习活动", "办公室党支部", "业务科党支部"])
    ws = book["出勤汇总"]
    assert ws["A1"].value == "2025年度学习考勤表"
    assert header(ws) == ["序号", "党支部", "姓名", "应参加", "出席", "补学", "请假", "缺席", "出勤率"]
    rows = table(ws)
    # 李晓梅 joined in 2026: not on a 2025 sheet. 郑华 sat in (列席) on the 读书班: not expected there.
    assert [r[:8] for r in rows[:-1]] == [
        (1, "办公室党支部", "孙丽", 3, 0, 1, 1, 1), (2, "办公室党支部", "王建国", 3, 3, 0, 0, 0),
        (3, "业务科党支部", "郑华", 1, 1, 0, 0, 0), (4, "业务科党支部", "赵志强", 2, 2, 0, 0, 0)]
    assert rows[0][8] == '=IF(D4>0,(E4+F4)/D4,"")'
    total = totals_row(ws)
    assert rows[-1][:5] == ("合计", None, "=SUBTOTAL(3,C4:C7)", "=SUM(D4:D7)", "=SUM(E4:E7)") and total == 8
    assert highlights(ws) == [("A4:I7", ["$H4>0"])]  # absent, neither on leave nor made up

    sessions = table(book["学习活动"])
    assert [(r[1], r[2], r[3], r[5], r[6], r[7]) for r in sessions[:-1]] == [
        (dt.datetime(2025, 3, 10), "办公室党支部", "党课", 2.0, 2, 1),
        (dt.datetime(2025, 5, 12), "业务科党支部", "党课", 2.0, 2, 2),
        (dt.datetime(2025, 6, 5), "办公室党支部", "理论学习", 1.5, 2, 2),
        (dt.datetime(2025, 7, 1), "办公室党支部", "主题党日", 1.0, 2, 1),
        (dt.datetime(2025, 9, 1), "业务科党支部", "读书班", 3.0, 1, 1)]  # the planned 10-08 session is not listed
    assert sessions[-1][7] == "=SUM(H4:H8)"  # 7 人次

    office = book["办公室党支部"]
    assert office["A1"].value == "办公室党支部2025年度学习考勤表"
    assert header(office) == ["序号", "姓名", "3月10日\n党课", "6月5日\n理论学习", "7月1日\n主题党日",
                              "应参加", "出勤", "缺席", "出勤率"]
    assert [r[:8] for r in table(office)[:-1]] == [(1, "孙丽", "假", "补", "缺", 3, 1, 1),
                                                   (2, "王建国", "✓", "✓", "✓", 3, 3, 0)]
    assert office.column_dimensions["C"].width == 9  # mark columns stay narrow; their headers wrap
    assert office.row_dimensions[3].height > 30
    other = book["业务科党支部"]
    assert [r[:7] for r in table(other)[:-1]] == [(1, "郑华", "✓", "列", 1, 1, 0), (2, "赵志强", "✓", "✓", 2, 2, 0)]
    notes = [r[0] for r in other.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("学习内容")]
    assert notes == ["学习内容：5月12日党课《党史专题》；9月1日读书班《读书班》。"]


def test_a_quarter_of_one_branch(db, year: Year, tmp_path: Path) -> None:
    book = _export(db, year, Period(2025, quarter=1), tmp_path, scope=year.sample.branch)
    assert book.sheetnames == ["出勤汇总", "学习活动", "办公室党支部", "报表信息"]
    assert [r[2:8] for r in table(book["出勤汇总"])[:-1]] == [("孙丽", 1, 0, 0, 1, 0), ("王建国", 1, 1, 0, 0, 0)]
    assert header(book["办公室党支部"])[2] == "3月10日\n党课"


def test_a_month_without_sessions(db, year: Year, tmp_path: Path) -> None:
    book = _export(db, year, Period(2025, month=2), tmp_path)
    assert table(book["学习活动"])[0][0] == "无记录"
    assert [r[3] for r in table(book["出勤汇总"])[:-1]] == [0, 0, 0, 0]


def test_sheet_names_excel_accepts() -> None:
    from branchdesk.reports.attendance import sheet_name

    taken: set[str] = set()
    assert sheet_name("一支部[机关]/后勤", taken) == "一支部_机关__后勤"
    long = "中共江州市审计局机关委员会第一党总支第二党支部办公室和后勤服务中心联合"
    assert len(long) > 31
    assert sheet_name(long, taken) == long[:31]
    assert sheet_name(long, taken) == long[:29] + "_2"
    assert sheet_name("出勤汇总", taken) == "出勤汇总_2"
