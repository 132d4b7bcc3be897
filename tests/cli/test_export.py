"""`branchdesk export REPORT --db PATH --out FILE.xlsx [--org ORG] [--year Y] [--quarter Q] [--month M] [--show-ids]`,
in process through main()."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.cli import main
from branchdesk.domain.periods import Period
from branchdesk.services import exports
from tests.conftest import Sample
from tests.reports.records import Honours, info, record, table


@pytest.fixture
def recorded(db, sample: Sample) -> Honours:
    return record(db, sample)


def _export(db_path: Path, *args: str) -> int:
    return main(["export", *args[:1], "--db", str(db_path), *args[1:]])


def test_exports_each_report_for_the_top_organization(db_path: Path, recorded: Honours, tmp_path: Path,
                                                      capsys) -> None:
    for report, described in exports.REPORTS.items():
        out = tmp_path / f"{report}.xlsx"
        assert _export(db_path, report, "--out", str(out), "--year", "2025") == 0
        printed = capsys.readouterr().out
        title = exports.report_title(report, Period(2025))
        assert title.startswith("2025年度") and title.endswith(described.label.removeprefix("年度"))
        assert f"已导出{title}（市直机关某局机关党委）：{out}" in printed and "用时" in printed
        meta = info(load_workbook(out))
        assert (meta["kind"], meta["period"], meta["scope_id"]) == (report, "2025", recorded.sample.committee)


def test_org_by_name_or_id_and_the_default_year(db_path: Path, recorded: Honours, tmp_path: Path) -> None:
    out = tmp_path / "e.xlsx"
    assert _export(db_path, "evaluations", "--out", str(out), "--org", "业务科党支部") == 0
    book = load_workbook(out)
    assert info(book)["scope_id"] == recorded.sample.other_branch
    assert info(book)["period"] == str(dt.date.today().year - 1)  # evaluations: last year by default
    assert _export(db_path, "commendations", "--out", str(out), "--org", str(recorded.sample.branch),
                   "--year", "2025") == 0
    book = load_workbook(out)
    assert info(book)["scope"] == "办公室党支部"
    assert {r[3] for r in table(book["表彰名单"]) if isinstance(r[0], int)} == {"王建国", "办公室党支部", "孙丽"}
    assert _export(db_path, "commendations", "--out", str(out)) == 0
    assert info(load_workbook(out))["period"] == str(dt.date.today().year)  # commendations: this year


def test_a_missing_output_folder_is_named(db_path: Path, recorded: Honours, tmp_path: Path, capsys) -> None:
    out = tmp_path / "报表" / "e.xlsx"
    assert _export(db_path, "evaluations", "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert f"文件夹 {out.parent} 不存在" in err and str(out) in err
    assert not out.parent.exists()


def test_an_unknown_report_is_a_usage_error_listing_the_reports(db_path: Path, sample: Sample, tmp_path: Path,
                                                                capsys) -> None:
    assert _export(db_path, "sign-up", "--out", str(tmp_path / "r.xlsx")) == 2
    err = capsys.readouterr().err
    assert "没有名为“sign-up”的报表" in err and all(name in err for name in exports.REPORTS)
    assert "用法：" in err


@pytest.mark.parametrize(("args", "message"), [
    (["--org", "不存在的党支部"], "找不到名为“不存在的党支部”的党组织"),
    (["--year", "1800"], "统计年度 1800"),
])
def test_bad_data_is_exit_1_in_chinese(db_path: Path, sample: Sample, tmp_path: Path, capsys,
                                       args: list[str], message: str) -> None:
    assert _export(db_path, "evaluations", "--out", str(tmp_path / "e.xlsx"), *args) == 1
    err = capsys.readouterr().err
    assert err.startswith("导出失败：") and message in err
    assert not (tmp_path / "e.xlsx").exists()


def test_a_missing_database_is_not_created(tmp_path: Path, capsys) -> None:
    db_path = tmp_path / "none.sqlite"
    assert _export(db_path, "evaluations", "--out", str(tmp_path / "e.xlsx")) == 1
    assert f"找不到数据库文件 {db_path}" in capsys.readouterr().err
    assert not db_path.exists()


def test_usage_errors(db_path: Path, tmp_path: Path, capsys) -> None:
    assert main(["export", "evaluations", "--db", str(db_path)]) == 2
    assert "缺少必需的参数：--out" in capsys.readouterr().err
    assert _export(db_path, "evaluations", "--out", str(tmp_path / "e.xlsx"), "--year", "去年") == 2


def test_help_names_every_report_its_periods_and_the_defaults(capsys) -> None:
    assert main(["export", "--help"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    for name, described in exports.REPORTS.items():
        assert any(line.split() == [name, f"{described.label}（{exports.period_kinds_text(described)}）"]
                   for line in lines), name
    assert "meetings" in text and "三会一课落实情况统计表（年度、季度、月份）" in text
    assert "evaluations 为上一年" in text and "其他报表为今年" in text and "最上级党组织" in text
    assert "--quarter Q" in text and "--month M" in text and "--show-ids" in text


@pytest.mark.parametrize(("args", "message"), [
    (["evaluations", "--quarter", "2"], "参数 --quarter：evaluations（民主评议结果汇总表）只能按年度统计"),
    (["dues-summary", "--month", "2"], "参数 --month：dues-summary（党费收缴汇总表）只能按年度、季度统计"),
    (["meetings", "--quarter", "2", "--month", "5"], "--quarter 和 --month 只能指定一个"),
    (["meetings", "--quarter", "5"], "参数 --quarter：无效的选择"),
    (["meetings", "--month", "13"], "参数 --month：无效的选择"),
    (["meetings", "--year", "0"], "参数 --year：年份不正确"),
])
def test_a_period_the_report_cannot_have_is_a_usage_error(db_path: Path, sample: Sample, tmp_path: Path, capsys,
                                                          args: list[str], message: str) -> None:
    out = tmp_path / "r.xlsx"
    assert _export(db_path, args[0], "--out", str(out), *args[1:]) == 2
    err = capsys.readouterr().err
    assert message in err and "用法：" in err
    assert not out.exists()


def test_a_quarter_or_a_month_of_the_default_year(db_path: Path, sample: Sample, tmp_path: Path, capsys) -> None:
    out = tmp_path / "m.xlsx"
    year = dt.date.today().year
    assert _export(db_path, "meetings", "--out", str(out), "--quarter", "3") == 0
    assert info(load_workbook(out))["period"] == f"{year}-Q3"
    assert f"已导出{year}年第三季度三会一课落实情况统计表" in capsys.readouterr().out
    assert _export(db_path, "attendance", "--out", str(out), "--year", "2025", "--month", "11") == 0
    meta = info(load_workbook(out))
    assert (meta["period"], meta["title"]) == ("2025-11", "2025年11月学习考勤表")


def test_the_roster_masks_ids_unless_asked(db, db_path: Path, sample: Sample, tmp_path: Path) -> None:
    from branchdesk.domain import idnumber
    from branchdesk.services import members
    from tests.conftest import TODAY, member_data

    body = "11010519850304001"
    number = body + idnumber.check_char(body)
    members.create(db, sample.branch, member_data("欧阳明", id_number=number), today=TODAY)
    out = tmp_path / "r.xlsx"
    assert _export(db_path, "roster", "--out", str(out)) == 0
    cells = [c for row in load_workbook(out)["党员花名册"].iter_rows(values_only=True) for c in row]
    assert number not in cells and idnumber.mask(number) in cells
    assert _export(db_path, "roster", "--out", str(out), "--show-ids") == 0
    assert number in [c for row in load_workbook(out)["党员花名册"].iter_rows(values_only=True) for c in row]
