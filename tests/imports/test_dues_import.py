"""Importing a year's dues bases from a spreadsheet (services.dues.import_bases)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.domain.members import DuesCategory
from branchdesk.services import audit, dues, members
from branchdesk.services.errors import ImportFileError
from branchdesk.store.connection import open_database
from tests.conftest import TODAY, Sample, member_data
from tests.imports.conftest import dump, write_csv, xlsx

WANG_ID = "110105198503040012"  # 王建国, born 1985-03-04 (tests.conftest)


@pytest.fixture
def branch(db, sample: Sample) -> Sample:
    members.update(db, sample.secretary, member_data("王建国", group_id=sample.group, id_number=WANG_ID),
                   today=TODAY)
    dues.set_ledger_start(db, "2026-01")
    return sample


def problems(result: dues.BaseImport) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.value, p.reason) for p in result.problems]


def test_a_good_sheet_imports_every_way_of_giving_the_base(db, branch: Sample, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bases.xlsx", [
        ["王建国", WANG_ID, "在职", None, 8000, 300, 1700, None, "2026-01"],
        ["李晓梅", None, "学生", None, None, None, None, None, None],
        ["赵志强", None, "在职", 5100, None, None, None, None, "2026年7月"],
    ], header=["姓名", "身份证号", "党费类别", "党费基数", "应发工资", "个税", "扣除项", "每月金额", "生效月份"])
    before = dump(db)
    checked = dues.import_bases(db, path, branch.committee, 2026)
    assert dump(db) == before and checked.written == 0  # a dry run writes nothing
    assert checked.problems == []
    assert [(r.row, r.name, r.data.effective_from, r.due_fen) for r in checked.valid] == [
        (2, "王建国", "2026-01", 9000), (3, "李晓梅", "2026-01", 20), (4, "赵志强", "2026-07", 7650)]
    done = dues.import_bases(db, path, branch.committee, 2026, dry_run=False)
    assert done.written == 3
    assert [b.base_fen for b in dues.bases(db, branch.secretary)] == [600_000]
    assert members.get(db, branch.probationary).data.dues_category is DuesCategory.STUDENT
    # 赵志强's own (blank) base is kept for January to June, the imported one from July.
    assert [(b.data.effective_from, b.due_fen) for b in dues.bases(db, members.list_members(
        db, branch.other_branch)[0].id)] == [("2026-01", 0), ("2026-07", 7650)]
    assert audit.entries(db)[0].label == "导入2026年党费基数到“市直机关某局机关党委”：3 名党员"
    again = dues.import_bases(db, path, branch.committee, 2026)
    assert all(r.replaces for r in again.valid)


def test_problems_are_listed_by_row_and_column_and_nothing_is_written(db, branch: Sample, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bases.xlsx", [
        ["王建国", "110105198503040012", "在职", "abc", None],
        ["王五", None, "在职", 5000, None],
        ["李晓梅", None, "农民", 5, "2026-03"],
        ["赵志强", None, "公务员", 5000, "2025-12"],
        ["李晓梅", "110105198503040012", "在职", 3000, None],
        ["赵志强", None, None, 4000, None],
    ], header=["姓名", "身份证号", "党费类别", "税后收入", "生效月份"])
    before = dump(db)
    result = dues.import_bases(db, path, branch.committee, 2026, dry_run=False)
    assert problems(result) == [
        (2, "税后收入", "abc", "不是有效的金额（以元为单位，如 5100 或 76.50）"),
        (3, "姓名", "王五", "本组织中找不到该党员"),
        (4, "税后收入", "5", "农民党员每月交纳0.20至1.00元，5.00元超出范围"),
        (5, "党费类别", "公务员", "不是可选的值（可选：在职、离退休、学生、农民、其他）"),
        (5, "生效月份", "2025-12", "不在 2026 年内"),
        (6, "姓名", "李晓梅", "与该身份证号登记的党员“王建国”不符"),
    ]
    assert [r.row for r in result.valid] == [7] and result.written == 0
    assert dump(db) == before  # problems remain and the user has not confirmed
    confirmed = dues.import_bases(db, path, branch.committee, 2026, dry_run=False, confirm_valid=True)
    assert confirmed.written == 1


def test_the_same_member_twice_and_namesakes(db, branch: Sample, tmp_path: Path) -> None:
    members.create(db, branch.other_branch, member_data("王建国", birth_date=dt.date(1990, 1, 1)),
                   today=TODAY)
    path = write_csv(tmp_path / "bases.csv", [
        ["王建国", "", "在职", "5000"],
        ["赵志强", "", "在职", "5000"],
        ["赵志强", "", "在职", "6000"],
    ], "gbk", header=["姓名", "身份证号", "党费类别", "党费基数"])
    result = dues.import_bases(db, path, branch.committee, 2026)
    assert problems(result) == [
        (2, "姓名", "王建国", "本组织有 2 名同名党员，请填写身份证号"),
        (3, "姓名", "赵志强", "与第4行是同一党员、同一生效月份"),
        (4, "姓名", "赵志强", "与第3行是同一党员、同一生效月份"),
    ]


def test_a_sheet_without_the_needed_columns_or_not_a_sheet(db, branch: Sample, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bases.xlsx", [["王建国", "x"]], header=["姓名", "说明"])
    assert problems(dues.import_bases(db, path, branch.committee, 2026))[0][3].startswith("缺少党费基数")
    bad = tmp_path / "bases.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ImportFileError):
        dues.import_bases(db, bad, branch.committee, 2026)


def test_the_command_line_imports_the_valid_rows(db, branch: Sample, db_path: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = xlsx(tmp_path / "bases.xlsx", [["王建国", "5100"], ["王五", "5000"]], header=["姓名", "税后收入"])
    db.close()
    assert main(["import", "dues-bases", str(path), "--db", str(db_path), "--org", "办公室党支部", "--year", "2026",
                 "--dry-run"]) == 1
    out = capsys.readouterr()
    assert "第2行 王建国：2026-01起 在职 每月 76.50 元" in out.out
    assert "第3行 姓名“王五”：本组织中找不到该党员" in out.err and "未写入数据库" in out.out
    assert main(["import", "dues-bases", str(path), "--db", str(db_path), "--org", "办公室党支部",
                 "--year", "2026"]) == 1
    assert "已导入 1 名党员的党费基数" in capsys.readouterr().out
    again = open_database(db_path)
    try:
        assert [b.due_fen for b in dues.bases(again, branch.secretary)] == [7650]
    finally:
        again.close()
