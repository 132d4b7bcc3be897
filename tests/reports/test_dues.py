"""党费收缴明细表 from the hand-countable 2025 dues of activity_records.py, and from the demo: the amounts in
the cells are services.dues.year_grid's, in yuan, with 免交 / 未交 where nothing was paid."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from branchdesk.domain.periods import Period
from branchdesk.services import demo, dues, exports
from tests.conftest import TODAY
from tests.reports.activity_records import Year
from tests.reports.layout import assert_layout, highlights
from tests.reports.records import header, table


def _book(db, scope: int, tmp_path: Path, year: int = 2025):
    out = exports.export_report(db, "dues", tmp_path / "d.xlsx", scope, Period(year), TODAY)
    return load_workbook(out)


def test_each_member_and_month(db, year: Year, tmp_path: Path) -> None:
    book = _book(db, year.sample.committee, tmp_path)
    assert_layout(book, "dues", "2025", ["党费明细", "月度合计"])
    ws = book["党费明细"]
    assert ws["A1"].value == "2025年度党费收缴明细表"
    months = [f"{m}月" for m in range(1, 13)]
    assert header(ws) == ["序号", "党支部", "姓名", "党费类别", "基数（元）", "比例或标准", "月应交（元）", *months,
                          "已交合计（元）", "自愿多交（元）", "欠缴（元）"]
    rows = {r[2]: r for r in table(ws)[:-1]}
    assert rows["王建国"][3:7] == ("在职", 5100, "1.5%", 76.5)
    assert rows["王建国"][7:19] == (76.5,) * 6 + ("未交",) * 6
    assert rows["王建国"][20:] == (0, 459)
    assert rows["孙丽"][7:19] == (49,) * 12 and rows["孙丽"][20:] == (10, 0)
    assert rows["赵志强"][7:19] == (15, 15, "免交", *(15,) * 6, "未交", "未交", "未交")
    assert rows["赵志强"][20:] == (0, 45)
    assert rows["郑华"][3:7] == ("学生", 0, "0.20元", 0.2) and rows["郑华"][7:19] == (0.2,) * 12
    assert rows["王建国"][19] == f"=SUM(H{rows['王建国'][0] + 3}:S{rows['王建国'][0] + 3})"
    assert ws["H4"].number_format == "0.00" and ws["E4"].number_format == "0.00"
    totals = table(ws)[-1]
    assert totals[:3] == ("合计", None, "=SUBTOTAL(3,C4:C7)") and totals[7] == "=SUM(H4:H7)"
    assert totals[19:] == ("=SUM(T4:T7)", "=SUM(U4:U7)", "=SUM(V4:V7)")
    assert highlights(ws) == [("H4:S7", ['H4="未交"']), ("V4:V7", ["V4>0"])]

    monthly = table(book["月度合计"])
    # January: 76.50 + 49.00 + 15.00 + 0.20 due and paid; March: 赵志强 exempt; July on: 王建国 unpaid.
    assert monthly[0][:3] == ("1月", 140.7, 140.7) and monthly[2][:3] == ("3月", 125.7, 125.7)
    assert monthly[6][:3] == ("7月", 140.7, 64.2) and monthly[9][:3] == ("10月", 140.7, 49.2)
    assert monthly[0][3] == '=IF(B4>0,C4/B4,"")' and monthly[-1][:3] == ("合计", "=SUM(B4:B15)", "=SUM(C4:C15)")


def _shown(cell: dues.MonthCell) -> object:
    if cell.state in ("paid", "advance", "back_paid"):
        return cell.paid_fen
    if cell.state == "exempt":
        return "免交"
    return "未交" if cell.state == "unpaid" and cell.overdue else None


def test_the_demo_export_equals_the_dues_grid(db, tmp_path: Path) -> None:
    """Every amount of the demo's grid (the dues page) is in the file, in the same order."""
    demo.build(db, scale="small", seed=3, today=TODAY)
    scope = exports.default_scope(db).id
    marked = 0
    for year in (2025, 2026):
        grid = dues.year_grid(db, scope, year, TODAY)
        rows = table(_book(db, scope, tmp_path, year)["党费明细"])[:-1]
        assert len(rows) == len(grid.rows) > 300
        for shown, row in zip(rows, grid.rows, strict=True):
            assert shown[2] == row.name and shown[1] == row.branch_name
            assert round(shown[6] * 100) == row.due_fen and round(shown[4] * 100) == row.base_fen
            assert [round(v * 100) if isinstance(v, float | int) else v for v in shown[7:19]] == \
                [_shown(c) for c in row.cells]
            assert round(shown[20] * 100) == row.extra_fen and round(shown[21] * 100) == row.owed_fen
            paid = [v for v in shown[7:19] if isinstance(v, float | int)]
            assert round(sum(paid) * 100) == row.paid_total_fen
        marked += sum(isinstance(v, str) for r in rows for v in r[7:19])
    assert marked > 0  # the demo has arrears


def test_money_is_exact_in_yuan(db, sample, tmp_path: Path) -> None:
    """Fen become yuan when written (as Decimal: 7650 fen is 76.5, not 76.49999)."""
    from branchdesk.domain.members import DuesCategory
    from branchdesk.services.dues import BaseData

    dues.set_ledger_start(db, "2026-01")
    dues.set_base(db, sample.secretary, BaseData("2026-01", DuesCategory.EMPLOYED, base_fen=1_234_567))
    dues.record_payment(db, sample.secretary, ["2026-01"], dt.date(2026, 1, 5), 24691, today=TODAY)
    [row] = [r for r in table(_book(db, sample.branch, tmp_path, 2026)["党费明细"])[:-1] if r[2] == "王建国"]
    assert row[4] == 12345.67 and row[6] == 246.91 and row[7] == 246.91
