"""表彰名单 exported from records made through services.honours: the file's numbers are the records'."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.domain.honours import Level, Title
from branchdesk.domain.periods import Period
from branchdesk.reports.sheet import FIRST_ROW
from branchdesk.services import exports, honours
from tests.conftest import TODAY
from tests.reports.records import Honours, header, info, table


@pytest.fixture
def book(db, recorded: Honours, tmp_path: Path):
    out = exports.export_report(db, "commendations", tmp_path / "表彰名单.xlsx", recorded.sample.committee,
                                Period(recorded.year), TODAY)
    return load_workbook(out)


def test_sheets_and_metadata(book, recorded: Honours) -> None:
    assert book.sheetnames == ["表彰名单", "表彰统计", "报表信息"]
    assert book.properties.title == "2025年度表彰名单"
    meta = info(book)
    assert (meta["kind"], meta["period"], meta["scope_id"]) == ("commendations", "2025", recorded.sample.committee)


def test_one_row_per_commendation_grouped_by_level_then_title(book, recorded: Honours) -> None:
    ws = book["表彰名单"]
    assert ws["A1"].value == "2025年度表彰名单"
    assert header(ws) == ["序号", "级别", "称号", "表彰对象", "所在支部", "表彰单位", "文号", "表彰日期"]
    rows = table(ws)
    entries = [r for r in rows if isinstance(r[0], int)]
    assert [r[0] for r in entries] == list(range(1, 6))
    # Highest level first; within a level, the titles in their fixed order.
    assert [(r[1], r[2]) for r in entries] == [("省级", "优秀党务工作者"), ("市级", "优秀共产党员"),
                                              ("市级", "优秀共产党员"), ("机关工委", "先进基层党组织"),
                                              ("本单位", "学习标兵")]
    assert Counter((r[1], r[2]) for r in entries) == recorded.commendations
    city = [r for r in entries if r[1] == "市级"]
    assert {r[3] for r in city} == {"王建国", "赵志强"}
    assert {r[4] for r in city} == {"办公室党支部", "业务科党支部"}
    assert city[0][5:7] == ("中共江州市委", "江委〔2025〕12号") and city[0][7].date().isoformat() == "2025-06-28"
    organization = next(r for r in entries if r[2] == "先进基层党组织")
    assert organization[3] == "办公室党支部" and organization[4] is None  # a branch is not in a branch


def test_each_group_counts_its_rows_and_the_total_counts_them_all(book) -> None:
    ws = book["表彰名单"]
    rows = table(ws)
    first = FIRST_ROW
    for offset, row in enumerate(rows[:-1]):
        if row[0] == "小计":
            group = list(range(first, FIRST_ROW + offset))
            assert row[3] == f"=SUBTOTAL(3,D{group[0]}:D{group[-1]})"
            assert all((ws[f"B{n}"].value, ws[f"C{n}"].value) == (row[1], row[2]) for n in group)
            first = FIRST_ROW + offset + 1
    last = FIRST_ROW + len(rows) - 2
    assert rows[-1][0] == "合计" and rows[-1][3] == f"=SUBTOTAL(3,D{FIRST_ROW}:D{last})"
    assert sum(row[0] == "小计" for row in rows) == 4


def test_counts_by_level_and_title(book, db, recorded: Honours) -> None:
    ws = book["表彰统计"]
    assert header(ws) == ["级别", *(t.label for t in Title), "合计"]
    rows = table(ws)
    assert [r[0] for r in rows] == [level.label for level in Level] + ["合计"]
    counted = honours.commendation_counts(db, recorded.sample.committee, recorded.year)
    for level, row in zip(Level, rows, strict=False):
        expected = [counted[level, t.label] for t in Title]
        expected[-1] = sum(n for (lv, label), n in counted.items()
                           if lv is level and label not in {t.label for t in Title})
        assert list(row[1:6]) == expected, level.label
    last = FIRST_ROW + len(Level) - 1
    assert rows[0][6] == f"=SUM(B{FIRST_ROW}:F{FIRST_ROW})"
    assert list(rows[-1][1:]) == [f"=SUM({c}{FIRST_ROW}:{c}{last})" for c in "BCDEF"] + [
        f"=SUM(B{last + 1}:F{last + 1})"]


def test_a_branch_scope_and_another_year(db, recorded: Honours, tmp_path: Path) -> None:
    out = exports.export_report(db, "commendations", tmp_path / "c.xlsx", recorded.sample.other_branch,
                                Period(recorded.year - 1), TODAY)
    book = load_workbook(out)
    assert table(book["表彰名单"])[0] == ("无记录", None, None, None, None, None, None, None)
    out = exports.export_report(db, "commendations", tmp_path / "c.xlsx", recorded.sample.other_branch,
                                Period(recorded.year), TODAY)
    ws = load_workbook(out)["表彰名单"]
    assert [r[3] for r in table(ws) if isinstance(r[0], int)] == ["赵志强"]
    assert ws["A2"].value.startswith("填报单位：业务科党支部")  # no 填报单位 set: the scope's name
