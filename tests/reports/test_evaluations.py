"""民主评议结果汇总表 exported from ratings saved through services.honours."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.domain.honours import Rating
from branchdesk.domain.periods import Period
from branchdesk.reports.sheet import FIRST_ROW
from branchdesk.services import exports, honours
from tests.conftest import TODAY
from tests.reports.records import Honours, header, info, table


@pytest.fixture
def book(db, recorded: Honours, tmp_path: Path):
    out = exports.export_report(db, "evaluations", tmp_path / "民主评议.xlsx", recorded.sample.committee,
                                Period(recorded.year), TODAY)
    return load_workbook(out)


def test_sheets_and_metadata(book, recorded: Honours) -> None:
    assert book.sheetnames == ["评议汇总", "评议名单", "报表信息"]
    assert book.properties.title == "2025年度民主评议结果汇总表"
    meta = info(book)
    assert (meta["kind"], meta["period"], meta["scope_id"]) == ("evaluations", "2025", recorded.sample.committee)


def test_counts_per_branch_and_rating_are_the_records(book, db, recorded: Honours) -> None:
    ws = book["评议汇总"]
    assert ws["A1"].value == "2025年度民主评议结果汇总表"
    assert header(ws) == ["支部", "优秀", "合格", "基本合格", "不合格", "不参加评定", "合计", "优秀占比"]
    rows = table(ws)
    counted = honours.evaluation_counts(db, recorded.sample.committee, recorded.year)
    assert [r[0] for r in rows] == [*counted, "合计"] == ["办公室党支部", "业务科党支部", "合计"]
    for row, (branch, ratings) in zip(rows, counted.items(), strict=False):
        assert list(row[1:6]) == [ratings[r] for r in Rating]
        assert list(row[1:6]) == [recorded.ratings[branch].get(r, 0) for r in Rating]


def test_row_and_column_totals_are_live(book) -> None:
    rows = table(book["评议汇总"])
    first, last, totals = FIRST_ROW, FIRST_ROW + 1, FIRST_ROW + 2
    assert rows[0][6:] == (f"=SUM(B{first}:F{first})", f'=IF(G{first}-F{first}>0,B{first}/(G{first}-F{first}),"")')
    assert list(rows[2][1:7]) == [f"=SUM({c}{first}:{c}{last})" for c in "BCDEF"] + [f"=SUM(B{totals}:F{totals})"]
    assert rows[2][7] == f'=IF(G{totals}-F{totals}>0,B{totals}/(G{totals}-F{totals}),"")'
    assert book["评议汇总"][f"H{first}"].number_format == "0.0%"


def test_more_than_a_third_excellent_and_unrecorded_branches_are_highlighted(book) -> None:
    ws = book["评议汇总"]
    rules = {rule.formula[0]: str(cf.sqref) for cf in ws.conditional_formatting for rule in cf.rules}
    area = f"A{FIRST_ROW}:H{FIRST_ROW + 1}"
    assert rules == {f"$B{FIRST_ROW}*3>$G{FIRST_ROW}-$F{FIRST_ROW}": area, f"$G{FIRST_ROW}=0": area}
    assert "三分之一" in ws[f"A{FIRST_ROW + 3}"].value


def test_every_rated_member_listed(book, recorded: Honours) -> None:
    ws = book["评议名单"]
    assert ws["A1"].value == "2025年度民主评议党员结果名单"
    assert header(ws) == ["序号", "支部", "姓名", "人员类别", "等次", "备注"]
    rows = table(ws)
    members = rows[:-1]
    assert [r[0] for r in members] == list(range(1, len(recorded.rated) + 1))
    assert sorted((r[1], r[2], r[4]) for r in members) == sorted((b, n, r.label) for b, n, r in recorded.rated)
    assert "钱进" not in {r[2] for r in members}  # not rated yet
    assert "李晓梅" not in {r[2] for r in members}  # joined after 2025
    by_name = {r[2]: r for r in members}
    assert by_name["陈静"][3:5] == ("预备党员", "不参加评定")
    assert by_name["吴刚"][3:6] == ("正式党员", "不合格", "限期改正")
    # The list adds up to the counts sheet.
    assert Counter((r[1], r[4]) for r in members) == Counter(
        {(b, r.label): n for b, ratings in recorded.ratings.items() for r, n in ratings.items()})
    assert rows[-1][:3] == ("合计", None, f"=SUBTOTAL(3,C{FIRST_ROW}:C{FIRST_ROW + len(members) - 1})")
    rules = [rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules]
    assert rules == [f'$E{FIRST_ROW}="不合格"']


def test_a_year_without_ratings(db, recorded: Honours, tmp_path: Path) -> None:
    out = exports.export_report(db, "evaluations", tmp_path / "e.xlsx", recorded.sample.committee,
                                Period(recorded.year - 1), TODAY)
    book = load_workbook(out)
    assert [r[:6] for r in table(book["评议汇总"])[:2]] == [
        ("办公室党支部", 0, 0, 0, 0, 0), ("业务科党支部", 0, 0, 0, 0, 0)]
    assert table(book["评议名单"])[0][0] == "无记录"
