"""党费收缴汇总表 from the hand-countable 2025 dues of activity_records.py: per branch, per month, remitted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from branchdesk.domain.periods import Period
from branchdesk.services import dues, exports
from tests.conftest import TODAY
from tests.reports.activity_records import Year
from tests.reports.layout import assert_layout, highlights
from tests.reports.records import header, table


def _book(db, year: Year, period: Period, tmp_path: Path):
    out = exports.export_report(db, "dues-summary", tmp_path / "s.xlsx", year.sample.committee, period, TODAY)
    return load_workbook(out)


def test_the_year(db, year: Year, tmp_path: Path) -> None:
    book = _book(db, year, Period(2025), tmp_path)
    assert_layout(book, "dues-summary", "2025", ["收缴汇总", "分月收缴", "上缴记录"])
    ws = book["收缴汇总"]
    assert header(ws) == ["党支部", "应交（元）", "实交（元）", "收缴率", "自愿多交（元）", "上缴（元）"]
    rows = table(ws)
    assert rows[0] == ("办公室党支部", 1506, 1047, '=IF(B4>0,C4/B4,"")', 10, 753)
    assert rows[1] == ("业务科党支部", 167.4, 122.4, '=IF(B5>0,C5/B5,"")', 0, 122.4)
    assert rows[2] == ("合计", "=SUM(B4:B5)", "=SUM(C4:C5)", '=IF(B6>0,C6/B6,"")', "=SUM(E4:E5)", "=SUM(F4:F5)")
    assert highlights(ws) == [("A4:F5", ["AND($B4>0,$C4<$B4)"])]
    months = table(book["分月收缴"])
    assert len(months) == 24 + 1
    assert months[0][:4] == ("办公室党支部", "2025年1月", 125.5, 125.5)
    assert months[6][:4] == ("办公室党支部", "2025年7月", 125.5, 49)
    assert months[14][:4] == ("业务科党支部", "2025年3月", 0.2, 0.2)  # 赵志强 exempt in March
    upward = table(book["上缴记录"])
    assert [r[1:6] for r in upward[:-1]] == [
        ("办公室党支部", "2025-01至2025-06", 753, dt.datetime(2025, 7, 5), "收据001"),
        ("业务科党支部", "2025-01至2025-12", 122.4, dt.datetime(2026, 1, 10), None)]


def test_the_figures_are_the_dues_pages(db, year: Year, tmp_path: Path) -> None:
    rows = {r[0]: r for r in table(_book(db, year, Period(2025), tmp_path)["收缴汇总"])[:-1]}
    for b in dues.branch_months(db, year.sample.committee, 2025, TODAY):
        shown = rows[b.branch_name]
        assert (round(shown[1] * 100), round(shown[2] * 100), round(shown[5] * 100)) == \
            (b.due_fen, b.paid_fen, b.remitted_fen)


def test_a_quarter(db, year: Year, tmp_path: Path) -> None:
    book = _book(db, year, Period(2025, quarter=1), tmp_path)
    assert book["收缴汇总"]["A1"].value == "2025年第一季度党费收缴汇总表"
    rows = table(book["收缴汇总"])
    # 3 × (76.50 + 49.00); 业务科: 2 × 15.00 (March exempt) + 3 × 0.20. Extra is kept by the year only.
    assert rows[0][:3] + rows[0][4:] == ("办公室党支部", 376.5, 376.5, None, 753)
    assert rows[1][:3] + rows[1][4:] == ("业务科党支部", 30.6, 30.6, None, 122.4)
    assert [r[1] for r in table(book["分月收缴"])[:-1]] == ["2025年1月", "2025年2月", "2025年3月"] * 2
    later = table(_book(db, year, Period(2025, quarter=3), tmp_path)["收缴汇总"])
    assert later[0][5] == 0 and later[0][1:3] == (376.5, 147)  # no remittance begins in the third quarter
