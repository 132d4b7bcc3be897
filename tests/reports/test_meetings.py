"""三会一课落实情况统计表 from the hand-countable 2025 of activity_records.py: the numbers in the cells are the
ones counted by hand, and the ones services.activities.compliance gives the meetings page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from branchdesk.domain.periods import Period
from branchdesk.services import activities, exports
from tests.conftest import TODAY
from tests.reports.activity_records import Year
from tests.reports.layout import assert_layout, column, highlights, rows_by, totals_row
from tests.reports.records import table

SHEETS = ["落实情况", "明细", "会议清单"]


def _export(db, year: Year, period: Period, tmp_path: Path):
    out = exports.export_report(db, "meetings", tmp_path / "m.xlsx", year.sample.committee, period, TODAY)
    return load_workbook(out)


def test_a_quarter(db, year: Year, tmp_path: Path) -> None:
    book = _export(db, year, Period(2025, quarter=1), tmp_path)
    assert_layout(book, "meetings", "2025-Q1", SHEETS)
    ws = book["落实情况"]
    assert ws["A1"].value == "2025年第一季度三会一课落实情况统计表"
    kinds = ["支部党员大会", "支委会", "党小组会", "党课", "主题党日"]
    assert [c.value for c in ws[3]] == ["党支部", *[f"{k}\n{w}" for k in kinds for w in ("应开", "已开")],
                                        "到期\n应开", "按期\n已开", "缺开\n次数", "落实率"]
    rows = rows_by(ws)
    # 办公室: 大会 1/1, 支委会 1 of 3 months, no 党小组会 in 3 months, 党课 1/1, no 主题党日: 11 due, 3 kept.
    assert rows["办公室党支部"][:13] == ("办公室党支部", 1, 1, 3, 1, 3, 0, 1, 1, 3, 0, 11, 3)
    # 业务科 has no 党小组: nothing required of it there.
    assert rows["业务科党支部"][:13] == ("业务科党支部", 1, 0, 3, 0, None, None, 1, 0, 3, 0, 8, 0)
    first, total = 4, totals_row(ws)
    short, rate = column(ws, "缺开\n次数"), column(ws, "落实率")
    letter = ws.cell(first, short - 2).column_letter, ws.cell(first, short - 1).column_letter
    assert ws.cell(first, short).value == f"={letter[0]}{first}-{letter[1]}{first}"
    assert ws.cell(first, rate).value.startswith(f"=IF({letter[0]}{first}>0,")
    assert ws.cell(total, 2).value == f"=SUM(B{first}:B{first + 1})"
    assert ws.cell(total, short - 2).value == f"=SUM({letter[0]}{first}:{letter[0]}{first + 1})"
    sq, cond = highlights(ws)[0]
    assert sq == f"A{first}:{get_column_letter(rate)}{first + 1}"
    assert cond == [f"${get_column_letter(short)}{first}>0"]
    assert "组织生活会、民主评议党员" in ws.cell(total + 2, 1).value  # yearly kinds left out of a quarter

    details = table(book["明细"])
    assert len(details) == 11 + 8 + 1  # one line per required period, and the totals
    assert details[0][1:] == ("办公室党支部", "支部党员大会", "每季度至少1次", "2025年第一季度", 1, 1, "达标")
    assert ("业务科党支部", "党课", "每季度至少1次", "2025年第一季度", 1, 0, "未达标") in [d[1:] for d in details]
    assert sum(d[7] == "未达标" for d in details[:-1]) == 2 + 3 + 3 + 1 + 3 + 1 + 3
    assert highlights(book["明细"])[0][1] == [f'$H{first}="未达标"']

    held = table(book["会议清单"])
    assert [(r[2], r[4], r[6], r[7], r[8]) for r in held[:-1]] == [
        ("办公室党支部", "支委会", 1, 1, 0), ("办公室党支部", "党课", 2, 1, 1),
        ("办公室党支部", "支部党员大会", 2, 2, 0)]
    assert held[0][1].date().isoformat() == "2025-01-15" and held[1][10] == "王局长"


def test_the_numbers_are_the_meetings_pages(db, year: Year, tmp_path: Path) -> None:
    """Each branch's 应开 / 已开 add up services.activities.compliance's cells of the period."""
    period = Period(2025, quarter=1)
    rows = rows_by(_export(db, year, period, tmp_path)["落实情况"])
    for branch, name in ((year.sample.branch, "办公室党支部"), (year.sample.other_branch, "业务科党支部")):
        shown = rows[name]
        for n, kc in enumerate(c for c in activities.compliance(db, branch, 2025, TODAY)
                               if c.kind.label in ("支部党员大会", "支委会", "党课")):
            inside = [c for c in kc.periods if period.start <= c.period.start and c.period.end <= period.end]
            offset = {"支部党员大会": 1, "支委会": 3, "党课": 7}[kc.kind.label]
            assert shown[offset:offset + 2] == (sum(c.required for c in inside), sum(c.held for c in inside)), n


def test_a_month_shows_the_monthly_kinds(db, year: Year, tmp_path: Path) -> None:
    book = _export(db, year, Period(2025, month=3), tmp_path)
    ws = book["落实情况"]
    assert ws["A1"].value == "2025年3月三会一课落实情况统计表"
    assert [c.value for c in ws[3]][1:7] == ["支委会\n应开", "支委会\n已开", "党小组会\n应开", "党小组会\n已开",
                                             "主题党日\n应开", "主题党日\n已开"]
    assert rows_by(ws)["办公室党支部"][:9] == ("办公室党支部", 1, 0, 1, 0, 1, 0, 3, 0)
    notes = [r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("注：")]
    assert any("支部党员大会、党课、组织生活会、民主评议党员" in n for n in notes)
    assert [r[4] for r in table(book["会议清单"])[:-1]] == ["党课", "支部党员大会"]


def test_the_year(db, year: Year, tmp_path: Path) -> None:
    rows = rows_by(_export(db, year, Period(2025), tmp_path)["落实情况"])
    # 12 支委会 + 12 党小组会 + 12 主题党日 + 4 大会 + 4 党课 + 1 组织生活会 + 1 民主评议 = 46, kept: 4.
    assert rows["办公室党支部"][-4:-2] == (46, 4)
    assert rows["业务科党支部"][-4:-2] == (34, 1)  # no 党小组会; its 5-12 党课 keeps the second quarter


def test_periods_not_over_are_not_yet_due(db, year: Year, tmp_path: Path) -> None:
    """On 2026-11-23, October is over; November is under way and the quarter's meetings are still open."""
    rows = rows_by(_export(db, year, Period(2026, quarter=4), tmp_path)["落实情况"])
    assert rows["办公室党支部"][-4:-2] == (3, 0)  # October's 支委会, 党小组会, 主题党日
    assert rows["业务科党支部"][-4:-2] == (2, 0)


@pytest.mark.parametrize("period", [Period(2025), Period(2025, quarter=2), Period(2025, month=12)])
def test_an_organization_without_branches_or_meetings(db, tmp_path: Path, period: Period) -> None:
    from branchdesk.domain.organization import OrgKind
    from branchdesk.services import organizations

    top = organizations.create(db, None, OrgKind.COMMITTEE, "空的机关党委")
    out = exports.export_report(db, "meetings", tmp_path / "m.xlsx", top, period, TODAY)
    book = load_workbook(out)
    assert table(book["落实情况"])[0][0] == "无记录"


def test_one_reading_for_every_branch_agrees_with_each_branchs_own(db, year: Year) -> None:
    """statistics.compliance_by_branch (the report's) gives what activities.compliance (the page's) gives."""
    from branchdesk.services import statistics

    for day in (TODAY, dt.date(2025, 5, 20)):
        found = statistics.compliance_by_branch(db, year.sample.committee, 2025, day)
        assert list(found) == [year.sample.branch, year.sample.other_branch]
        for branch, kinds in found.items():
            assert kinds == activities.compliance(db, branch, 2025, day) and kinds
