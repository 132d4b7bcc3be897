"""汇总: the files the branches of the demo's 机关党委 exported add up to the file the 机关党委 exports
for all of them; a file of another report or period, a file that is no workbook, one without the
报表信息 sheet or of another format version, and a branch sent twice are refused naming the file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from branchdesk.domain.organization import OrgKind
from branchdesk.domain.periods import Period
from branchdesk.reports import sheet
from branchdesk.reports.consolidate import read_table
from branchdesk.services import consolidation, demo, exports, members, organizations
from branchdesk.services.consolidation import SUMMARY_SHEETS
from branchdesk.services.errors import ServiceError
from branchdesk.store.connection import open_database
from tests.conftest import TODAY, member_data
from tests.reports.records import info

UNIT = "中共江州市直机关工委"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """The small demo, built once for the module (each test works on its own copy)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    built = open_database(path)
    demo.build(built, scale="small", seed=1, today=TODAY)
    built.close()
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path):
    copy = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_file, copy)
    database = open_database(copy)
    yield database
    database.close()


@pytest.fixture
def branches(db) -> list[tuple[int, str]]:
    """The demo 机关党委's own children, in tree order: its branches and one 党总支 with two."""
    top = exports.default_scope(db)
    children = [(org.id, org.name) for depth, org in organizations.outline(db, top.id) if depth == 1]
    kinds = {org.id: org.kind for _depth, org in organizations.outline(db, top.id)}
    assert OrgKind.GENERAL_BRANCH in {kinds[org_id] for org_id, _name in children}
    return children


def _export(db, kind: str, org_id: int, out: Path, period: Period | None = None) -> Path:
    return exports.export_report(db, kind, out, org_id, period or exports.default_period(kind, TODAY), TODAY)


def _data_and_totals(path: Path, sheet_name: str) -> tuple[list[tuple[Any, ...]], dict[str, float]]:
    """The data rows, and the totals the file's SUM formulas come to, by column header."""
    ws = load_workbook(path)[sheet_name]
    headers = [c.value for c in ws[sheet.HEADER_ROW]]
    rows = []
    for row in ws.iter_rows(min_row=sheet.FIRST_ROW):
        if row[0].value == sheet.TOTAL_LABEL:
            totals = {}
            for header, cell in zip(headers, row, strict=False):
                col = cell.column_letter
                if cell.value == f"=SUM({col}{sheet.FIRST_ROW}:{col}{cell.row - 1})":  # not a row's formula
                    totals[header] = sum(r[cell.column - 1] or 0 for r in rows
                                         if not isinstance(r[cell.column - 1], str))
            return rows, totals
        rows.append(tuple(c.value for c in row))
    raise AssertionError(f"no totals row in {path.name}")


def _by_branch(rows: list[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """Rows by their branch, each formula written for its own row: "=" and the formula with the row's
    number taken out."""
    found = {}
    for number, row in enumerate(rows, sheet.FIRST_ROW):
        found[row[0]] = tuple(v.replace(str(number), "#") if isinstance(v, str) and v.startswith("=") else v
                              for v in row)
    assert len(found) == len(rows)
    return found


@pytest.mark.parametrize("kind", list(SUMMARY_SHEETS))
def test_the_branches_files_add_up_to_the_whole(db, branches, tmp_path: Path, kind: str) -> None:
    whole = _export(db, kind, exports.default_scope(db).id, tmp_path / "whole.xlsx")
    files = [_export(db, kind, org_id, tmp_path / f"{name}.xlsx") for org_id, name in branches]
    out = consolidation.consolidate(files, tmp_path / "汇总.xlsx", UNIT, "李晓梅", today=TODAY).path

    name = SUMMARY_SHEETS[kind]
    added, added_totals = _data_and_totals(out, name)
    expected, expected_totals = _data_and_totals(whole, name)
    assert _by_branch(added) == _by_branch(expected)  # a row per branch, in the files' order
    assert added_totals == pytest.approx(expected_totals) and expected_totals
    assert len(added) >= len(branches) + 1  # the 党总支's file brings its two branches

    book = load_workbook(out)
    assert book.sheetnames == [name, sheet.INFO_SHEET]
    recorded = info(book)
    assert recorded["kind"] == kind and recorded["period"] == info(load_workbook(whole))["period"]
    assert recorded["unit"] == UNIT and str(recorded["format_version"]) == str(sheet.FORMAT_VERSION)
    ws = book[name]
    assert "填报单位：中共江州市直机关工委" in ws["A2"].value and "制表人：李晓梅" in ws["A2"].value
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    notes = [r[0] for r in ws.iter_rows(min_row=sheet.FIRST_ROW + len(added) + 1, values_only=True) if r[0]]
    assert notes[-1].startswith(f"注：汇总自 {len(files)} 个文件：办公室党支部（2026-11-23制表）")
    # The same highlight conditions as the source, on the consolidated rows.
    source_rules = [r.formula for cf in load_workbook(whole)[name].conditional_formatting for r in cf.rules]
    assert [r.formula for cf in ws.conditional_formatting for r in cf.rules] == source_rules


def test_consolidated_files_add_up_one_level_higher(db, branches, tmp_path: Path) -> None:
    whole = _export(db, "dues-summary", exports.default_scope(db).id, tmp_path / "whole.xlsx")
    files = [_export(db, "dues-summary", org_id, tmp_path / f"{name}.xlsx") for org_id, name in branches]
    first = consolidation.consolidate(files[:3], tmp_path / "一.xlsx", "第一片区", today=TODAY).path
    second = consolidation.consolidate(files[3:], tmp_path / "二.xlsx", "第二片区", today=TODAY).path
    out = consolidation.consolidate([first, second], tmp_path / "全部.xlsx", UNIT, today=TODAY).path
    (added, added_totals), (expected, expected_totals) = (_data_and_totals(f, "收缴汇总") for f in (out, whole))
    assert _by_branch(added) == _by_branch(expected) and added_totals == pytest.approx(expected_totals)
    notes = read_table(out, "收缴汇总").notes
    assert notes[-1] == "注：汇总自 2 个文件：第一片区（2026-11-23制表）、第二片区（2026-11-23制表）。"
    assert sum(n.startswith("注：汇总自") for n in notes) == 1


def test_three_branches_add_up(db, branches, tmp_path: Path) -> None:
    files = [_export(db, "evaluations", org_id, tmp_path / f"{name}.xlsx") for org_id, name in branches[:3]]
    checked = consolidation.check(files)
    assert [c.problem for c in checked] == ["", "", ""]
    assert [c.source.branches for c in checked if c.source] == [[name] for _id, name in branches[:3]]
    out = consolidation.consolidate(files, tmp_path / "三个.xlsx", today=TODAY).path
    rows, totals = _data_and_totals(out, "评议汇总")
    single = [_data_and_totals(f, "评议汇总")[1] for f in files]
    assert [r[0] for r in rows] == [name for _id, name in branches[:3]]
    assert totals == {h: sum(t[h] for t in single) for h in totals}
    # No unit given and the branches' differ: 填报单位 is left to be written in.
    assert load_workbook(out)["评议汇总"]["A2"].value.startswith("填报单位：　")


def _refused(files: list[Path], out: Path, *expected: str) -> str:
    with pytest.raises(ServiceError) as refused:
        consolidation.consolidate(files, out, UNIT, today=TODAY)
    message = str(refused.value)
    for text in expected:
        assert text in message
    assert not out.exists() and not list(out.parent.glob("*.part"))
    return message


def test_files_that_do_not_match_are_refused_naming_the_file(db, branches, tmp_path: Path) -> None:
    (first_id, _first), (second_id, _second), (third_id, _third) = branches[:3]
    good = _export(db, "evaluations", first_id, tmp_path / "甲.xlsx")
    other_kind = _export(db, "study-hours", second_id, tmp_path / "学时.xlsx")
    other_period = _export(db, "evaluations", second_id, tmp_path / "上年.xlsx", Period(2024))
    not_summed = _export(db, "commendations", third_id, tmp_path / "表彰.xlsx")
    text = tmp_path / "改名的文本.xlsx"
    text.write_text("这不是表格", encoding="utf-8")
    truncated = tmp_path / "半个文件.xlsx"
    truncated.write_bytes(good.read_bytes()[:2000])
    plain = tmp_path / "普通表格.xlsx"
    Workbook().save(plain)
    csv = tmp_path / "名单.csv"
    csv.write_text("支部,优秀\n", encoding="utf-8")
    out = tmp_path / "out" / "汇总.xlsx"
    out.parent.mkdir()

    _refused([good, other_kind], out, "“学时.xlsx”是学时统计表", "不是同一种报表")
    _refused([good, other_period], out, "“上年.xlsx”的统计期间是2024年度", "2025年度", "不同")
    _refused([good, not_summed], out, "“表彰.xlsx”是表彰名单，这种报表不能汇总", "民主评议结果汇总表")
    _refused([good, text], out, "“改名的文本.xlsx”不是有效的 Excel 工作簿")
    _refused([good, truncated], out, "“半个文件.xlsx”不是有效的 Excel 工作簿")
    _refused([good, plain], out, "“普通表格.xlsx”不是本程序导出的报表")
    _refused([good, csv], out, "“名单.csv”不是 Excel 工作簿")
    _refused([good, tmp_path / "不存在.xlsx"], out, "找不到文件“不存在.xlsx”")
    # Every problem at once, each naming its file; the good file is not among them.
    message = _refused([good, text, plain], out)
    assert message.count("\n") == 1 and "甲.xlsx" not in message

    book = load_workbook(other_period)
    for key, value in (("format_version", 99), ("period", "2025")):
        next(r for r in book[sheet.INFO_SHEET].iter_rows() if r[0].value == key)[1].value = value
    newer = tmp_path / "新版本.xlsx"
    book.save(newer)
    _refused([good, newer], out, "“新版本.xlsx”的格式版本为 99")


def test_the_same_branch_twice_is_refused(db, branches, tmp_path: Path) -> None:
    (branch_id, name), (general_id, _general) = branches[0], next(
        b for b in branches if organizations.get(db, b[0]).kind is OrgKind.GENERAL_BRANCH)
    mine = _export(db, "evaluations", branch_id, tmp_path / "本支部.xlsx")
    again = _export(db, "evaluations", branch_id, tmp_path / "重新导出.xlsx")
    whole = _export(db, "evaluations", exports.default_scope(db).id, tmp_path / "机关党委.xlsx")
    out = tmp_path / "汇总.xlsx"
    _refused([mine, again], out, f"“重新导出.xlsx”中的“{name}”已在“本支部.xlsx”中", "同一支部不能汇总两次")
    _refused([whole, mine], out, f"“本支部.xlsx”中的“{name}”已在“机关党委.xlsx”中")
    _refused([mine, mine], out, "“本支部.xlsx”添加了两次")
    general = _export(db, "evaluations", general_id, tmp_path / "党总支.xlsx")
    whole_again = _export(db, "evaluations", exports.default_scope(db).id, tmp_path / "机关党委2.xlsx")
    _refused([general, whole, whole_again], out, "“机关党委2.xlsx”中的", "已在“机关党委.xlsx”中")
    own = _export(db, "evaluations", branches[-1][0], tmp_path / "离退休.xlsx")
    _refused([general, own, whole], out, "“机关党委.xlsx”中的“离退休干部党支部”已在“离退休.xlsx”中")


def test_same_named_branches_of_two_organizations_are_told_apart(db, tmp_path: Path) -> None:
    """A 机关工委 adds up its 机关党委s' files: each has an 办公室党支部."""
    files = []
    for organ, counts in (("财政局机关党委", (1, 2)), ("税务局机关党委", (3,))):
        committee = organizations.create(db, None, OrgKind.COMMITTEE, organ)
        for number, members_count in enumerate(counts):
            branch = organizations.create(db, committee, OrgKind.BRANCH, ("办公室党支部", "业务科党支部")[number])
            for n in range(members_count):
                members.create(db, branch, member_data(f"{organ[:2]}{number}{n}"), today=TODAY)
        files.append(_export(db, "roster", committee, tmp_path / f"{organ}.xlsx", Period(2026)))
    checked = consolidation.check(files)
    assert [c.problem for c in checked] == ["", ""]
    out = consolidation.consolidate(files, tmp_path / "工委.xlsx", UNIT, today=TODAY).path
    rows, totals = _data_and_totals(out, "人数统计")
    assert [(r[0], r[2]) for r in rows] == [("财政局机关党委 办公室党支部", 1), ("财政局机关党委 业务科党支部", 2),
                                          ("税务局机关党委 办公室党支部", 3)]
    assert totals["正式党员"] == 6


def test_what_cannot_be_saved_is_refused(db, branches, tmp_path: Path) -> None:
    files = [_export(db, "evaluations", org_id, tmp_path / f"{name}.xlsx") for org_id, name in branches[:2]]
    with pytest.raises(ServiceError, match="至少两个"):
        consolidation.consolidate(files[:1], tmp_path / "a.xlsx")
    with pytest.raises(ServiceError, match=r"\.xlsx 结尾"):
        consolidation.consolidate(files, tmp_path / "a.xls")
    with pytest.raises(ServiceError, match="不存在"):
        consolidation.consolidate(files, tmp_path / "没有" / "a.xlsx")
    with pytest.raises(ServiceError, match="不能保存为要汇总的文件"):
        consolidation.consolidate(files, files[0])


def test_the_consolidated_reports_are_named(db) -> None:
    assert consolidation.consolidated_labels()[0] == "党员花名册（人数统计）"
    assert len(consolidation.consolidated_labels()) == len(SUMMARY_SHEETS)
    assert set(SUMMARY_SHEETS) <= set(exports.REPORTS)


def test_an_empty_branch_adds_nothing(db, tmp_path: Path) -> None:
    committee = organizations.create(db, None, OrgKind.COMMITTEE, "某局机关党委")
    one = organizations.create(db, committee, OrgKind.BRANCH, "一支部")
    two = organizations.create(db, committee, OrgKind.BRANCH, "二支部")
    files = [_export(db, "evaluations", org, tmp_path / f"{org}.xlsx", Period(2025)) for org in (one, two)]
    out = consolidation.consolidate(files, tmp_path / "汇总.xlsx", today=dt.date(2026, 1, 5)).path
    rows, totals = _data_and_totals(out, "评议汇总")
    assert [r[:6] for r in rows] == [("一支部", 0, 0, 0, 0, 0), ("二支部", 0, 0, 0, 0, 0)]
    assert set(totals.values()) == {0}


def test_files_unchanged_are_read_once(db, branches, tmp_path: Path, monkeypatch) -> None:
    files = [_export(db, "evaluations", org_id, tmp_path / f"{name}.xlsx") for org_id, name in branches[:2]]
    read: list[str] = []
    real = consolidation._read
    monkeypatch.setattr(consolidation, "_read", lambda path: read.append(path.name) or real(path))
    cache: consolidation.Cache = {}
    assert [c.problem for c in consolidation.check(files[:1], cache)] == [""]
    assert [c.problem for c in consolidation.check(files, cache)] == ["", ""]
    assert read == [files[0].name, files[1].name]
    # A file written again (here: another report under the same name) is read again.
    _export(db, "study-hours", branches[1][0], files[1])
    checked = consolidation.check(files, cache)
    assert read[-1] == files[1].name and len(read) == 3 and "学时统计表" in checked[1].problem
