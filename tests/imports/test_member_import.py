"""Member import (issue 7): preview, problems by row and column, one transaction, re-import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from branchdesk.cli import main
from branchdesk.imports.members import REQUIRED
from branchdesk.services import imports, members
from branchdesk.services.errors import ImportFileError
from tests.conftest import TODAY, Sample
from tests.imports.conftest import CHEN, HEADER, LIU, SUN, ZHOU, dump, row, write_csv, xlsx


def problems(preview: imports.MemberImportPreview) -> list[tuple[int, str, str, str]]:
    return [(p.row, p.column, p.value, p.reason) for p in preview.problems]


def preview(db, sample: Sample, path: Path) -> imports.MemberImportPreview:
    return imports.preview_member_import(db, sample.branch, path, today=TODAY)


def test_good_file_imports_in_one_go(db, sample: Sample, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "roster.xlsx", [
        row(*ZHOU, 所在党小组="第一党小组"),
        row(*CHEN, standing="预备党员", joined="2026-03-01", full="", 党费类别="学生", 党费基数=""),
    ])
    before = dump(db)
    p = preview(db, sample, path)
    assert dump(db) == before  # a preview writes nothing
    assert (p.rows_read, len(p.new), p.updates, p.present, p.problems) == (2, 2, [], [], [])
    assert imports.apply_member_import(db, sample.branch, p, today=TODAY) == (2, 0)
    roll = {m.name: m for m in members.list_members(db, sample.branch)}
    zhou, chen = roll["周文华"], roll["陈丽"]
    assert zhou.data.id_number == ZHOU[3] and zhou.data.group_id == sample.group
    assert zhou.data.dues_base_fen == 510_000 and zhou.data.full_on == dt.date(2004, 7, 1)
    assert chen.data.dues_category.label == "学生" and chen.data.full_on is None
    assert chen.name_initials == "cl"
    assert [(e.on_date, e.detail) for e in members.history(db, zhou.id)] == [(TODAY, "由表格导入")]


def test_reimport_is_a_no_op_and_an_updated_file_updates(db, sample: Sample, tmp_path: Path) -> None:
    rows = [row(*ZHOU), row(*SUN)]
    p = preview(db, sample, xlsx(tmp_path / "a.xlsx", rows))
    imports.apply_member_import(db, sample.branch, p, today=TODAY)
    before = dump(db)
    again = preview(db, sample, xlsx(tmp_path / "a.xlsx", rows))
    assert (again.new, again.updates, [r.row for r in again.present]) == ([], [], [2, 3])
    assert imports.apply_member_import(db, sample.branch, again, today=TODAY) == (0, 0)
    assert dump(db) == before

    changed = preview(db, sample, xlsx(tmp_path / "b.xlsx", [row(*ZHOU, 联系电话="13900000000", 党费基数="6000.5"),
                                                             row(*SUN)]))
    assert [r.row for r in changed.present] == [3]
    [update] = changed.updates
    assert update.changes == [("党费基数", "5100.00", "6000.50"), ("联系电话", "13800138000", "13900000000")]
    assert imports.apply_member_import(db, sample.branch, changed, include_updates=False, today=TODAY) == (0, 0)
    assert dump(db) == before
    assert imports.apply_member_import(db, sample.branch, changed, today=TODAY) == (0, 1)
    zhou = members.get(db, update.member_id)
    assert (zhou.data.phone, zhou.data.dues_base_fen) == ("13900000000", 600_050)
    assert members.history(db, zhou.id)[-1].detail == "由表格导入修改：党费基数、联系电话"


def test_match_by_name_and_birth_date_keeps_columns_the_file_lacks(db, sample: Sample, tmp_path: Path) -> None:
    # 王建国 has no ID number and sits in 第一党小组; this file has neither column.
    header = ["姓 名", "性别", "出生年月日", "党员类别", "入党时间", "转正时间", "手机"]
    path = xlsx(tmp_path / "own.xlsx", [["王  建国", "男", "1985/3/4", "正式党员", "2008年6月1日", "2009.6.1",
                                          "010-12345678"]], header=header)
    p = preview(db, sample, path)
    [update] = p.updates
    assert update.member_id == sample.secretary
    assert update.changes == [("联系电话", "", "010-12345678")]
    assert update.data.group_id == sample.group


def test_header_variants_and_full_width(db, sample: Sample, tmp_path: Path) -> None:
    header = ["＊姓名", "性　别", "出生日期", "公民身份号码", "人员类别（正式/预备）", "入党日期", "转正日期",
              "联系方式", "党费基数（元/月）", "籍贯"]
    path = xlsx(tmp_path / "v.xlsx", [[ZHOU[0], "男性", 29358, ZHOU[3].replace("7", "７"), "正式",
                                        dt.datetime(2003, 7, 1), 20040701, 13800138000, 5100, "北京"]], header=header)
    p = preview(db, sample, path)
    assert p.problems == []
    [new] = p.new
    assert (new.data.birth_date, new.data.joined_on, new.data.full_on) == (
        dt.date(1980, 5, 17), dt.date(2003, 7, 1), dt.date(2004, 7, 1))
    assert new.data.phone == "13800138000" and new.data.dues_base_fen == 510_000


def test_missing_required_columns_are_one_problem(db, sample: Sample, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "m.xlsx", [["周文华", "13800138000"]], header=["姓名", "联系电话"])
    p = preview(db, sample, path)
    missing = "缺少必需的列：性别、出生日期、人员类别、入党日期（请检查表头，可下载导入模板对照）"
    assert problems(p) == [(1, "", "", missing)]
    assert p.rows_read == 0
    twice = xlsx(tmp_path / "t.xlsx", [[*row(*ZHOU), "x"]], header=[*HEADER, "手机"])
    assert problems(preview(db, sample, twice)) == [(1, "联系电话", "手机", "与列“联系电话”重复，请只保留一列")]
    assert set(REQUIRED) <= set(HEADER)


SCIENTIFIC = "已被 Excel 转为科学计数法，请将该列设为文本后重新填写"


def test_bad_rows_each_give_their_problems_and_write_nothing(db, sample: Sample, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bad.xlsx", [
        row(*ZHOU),  # 2: fine
        row("陈丽", "女", "1990-02-31", CHEN[3]),  # 3: no such day
        row(*SUN[:3], "310104197508080037"),  # 4: check digit
        row(*LIU[:3], 4.4030519881111e17),  # 5: Excel made a number of it
        row("吴敏", "女", "1992-01-01", "", 人员类别="党员", 性别="F"),  # 6: unknown enums
        row("郑伟", "男", "1990-01-01", "", joined="2010-01-01", full="2009-01-01"),  # 7: date order
        row("", "男", "1990-01-01", "", 学历="博士后", 党费基数="五千"),  # 8
        row("冯强", "男", "1990-01-01", "", 所在党小组="第九党小组", 联系电话="call me"),  # 9
        row("马丽", "女", "1991-01-01", "", standing="预备党员", joined="2026-01-01"),  # 10: has a full_on
        row("钱亮", "男", "1993-01-01", "1.10105199301E+17"),  # 11: a CSV'd scientific ID
    ])
    before = dump(db)
    p = preview(db, sample, path)
    assert [r.row for r in p.new] == [2]
    assert problems(p) == [
        (3, "出生日期", "1990-02-31", "无法识别的日期，请写成 2024-05-01、2024/5/1 或 2024年5月1日"),
        (4, "身份证号", "310104197508080037", "校验码不正确，请核对号码"),
        (5, "身份证号", "4.4030519881111E+17", SCIENTIFIC),
        (6, "性别", "F", "不是可选的值（可选：男、女）"),
        (6, "人员类别", "党员", "不是可选的值（可选：正式党员、预备党员）"),
        (7, "转正日期", "2009-01-01", "应晚于入党日期"),
        (8, "姓名", "", "不能为空"),
        (8, "学历", "博士后", "不是可选的值（可选：研究生、大学本科、大学专科、中专、高中、初中及以下）"),
        (8, "党费基数", "五千", "不是有效的金额（以元为单位，如 5100 或 76.50）"),
        (9, "所在党小组", "第九党小组", "不是本支部的党小组（本支部的党小组：第一党小组）"),
        (9, "联系电话", "call me", "只能包含数字和 + - ( )，5至20位"),
        (10, "转正日期", "2004-07-01", "预备党员不应有转正日期"),
        (11, "身份证号", "1.10105199301E+17", SCIENTIFIC),
    ]
    assert dump(db) == before
    assert imports.apply_member_import(db, sample.branch, p, today=TODAY) == (1, 0)


def test_duplicates_in_the_file_and_against_the_database(db, sample: Sample, tmp_path: Path) -> None:
    members.create(db, sample.other_branch, members.MemberData(
        "孙国庆", "男", dt.date(1975, 8, 8), members.Standing.FULL, dt.date(2000, 1, 1), id_number=SUN[3],
        full_on=dt.date(2001, 1, 1)), today=TODAY)
    path = xlsx(tmp_path / "dup.xlsx", [
        row(*ZHOU), row(*CHEN), row("周文华", "男", "1980-05-17", ZHOU[3]),  # 2 and 4: same ID
        row("王五", "男", "1970-01-01", ""), row("王五", "男", "1970-01-01", ""),  # 5 and 6: same name and birth
        row(*SUN),  # 7: recorded in 业务科党支部
        row("王建国", "男", "1985-03-04", "", joined="2008-06-01", full="2009-06-01", 学历="", 党费基数="",
            所在党小组="第一党小组", 联系电话=""),  # 8: the stored 王建国, unchanged
    ])
    before = dump(db)
    p = preview(db, sample, path)
    assert problems(p) == [
        (2, "身份证号", ZHOU[3], "与第4行重复（身份证号相同）"),
        (4, "身份证号", ZHOU[3], "与第2行重复（身份证号相同）"),
        (5, "姓名", "王五", "与第6行重复（姓名和出生日期相同）"),
        (6, "姓名", "王五", "与第5行重复（姓名和出生日期相同）"),
        (7, "身份证号", SUN[3], "该号码已登记在“业务科党支部”的党员“孙国庆”名下"),
    ]
    assert [r.row for r in p.new] == [3]
    assert [(r.row, r.member_id) for r in p.present] == [(8, sample.secretary)]
    assert dump(db) == before


def test_gbk_csv_imports(db, sample: Sample, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "roster.csv", [row(*ZHOU), row(*CHEN)], "gbk")
    p = preview(db, sample, path)
    assert [r.data.name for r in p.new] == ["周文华", "陈丽"] and p.problems == []


def test_refused_file_is_an_import_file_error(db, sample: Sample, tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_text("not a workbook")
    before = dump(db)
    with pytest.raises(ImportFileError, match=r"^x\.xlsx 不是有效的 Excel"):
        preview(db, sample, tmp_path / "x.xlsx")
    assert dump(db) == before


def test_import_is_all_or_nothing(db, sample: Sample, tmp_path: Path) -> None:
    p = preview(db, sample, xlsx(tmp_path / "a.xlsx", [row(*ZHOU), row(*CHEN)]))
    # Someone records 陈丽's number after the preview: the insert fails and nothing is kept.
    members.create(db, sample.other_branch, members.MemberData(
        "陈丽", "女", dt.date(1990, 2, 14), members.Standing.FULL, dt.date(2010, 1, 1), id_number=CHEN[3],
        full_on=dt.date(2011, 1, 1)), today=TODAY)
    before = dump(db)
    with pytest.raises(imports.ServiceError, match="预览之后数据已有变化"):
        imports.apply_member_import(db, sample.branch, p, today=TODAY)
    assert dump(db) == before


def test_template_has_dropdowns_and_imports_as_nothing(db, sample: Sample, tmp_path: Path) -> None:
    out = imports.write_member_template(tmp_path / "模板.xlsx")
    wb = load_workbook(out)
    ws = wb["党员信息"]
    assert [c.value for c in ws[1]] == [*HEADER[:10], "党费基数（元/月）", *HEADER[11:]]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {"B2": '"男,女"', "F2": '"研究生,大学本科,大学专科,中专,高中,初中及以下"',
                     "G2": '"正式党员,预备党员"', "J2": '"在职,离退休,学生,农民,其他"'}
    assert ws["E2"].number_format == "@" and ws["M3"].number_format == "@"
    assert "填写说明" in wb.sheetnames
    p = preview(db, sample, out)
    assert (p.rows_read, p.new, p.problems) == (0, [], [])  # the example row is skipped
    ws.delete_rows(2)
    ws.append(row(*ZHOU))
    wb.save(tmp_path / "filled.xlsx")
    assert [r.data.name for r in preview(db, sample, tmp_path / "filled.xlsx").new] == ["周文华"]


def test_problem_report(db, sample: Sample, tmp_path: Path) -> None:
    p = preview(db, sample, xlsx(tmp_path / "bad.xlsx", [row("陈丽", "女", "1990-02-31", CHEN[3])]))
    out = imports.write_problem_report(p, tmp_path / "问题.xlsx", today=TODAY)
    ws = load_workbook(out)["导入问题"]
    assert [c.value for c in ws[3]] == ["行", "列", "值", "问题"]
    assert [c.value for c in ws[4]] == [2, "出生日期", "1990-02-31", p.problems[0].reason]


def test_cli_dry_run_import_and_template(db_path: Path, db, sample: Sample, tmp_path: Path, capsys) -> None:
    template = tmp_path / "t.xlsx"
    assert main(["template", "members", "--out", str(template)]) == 0
    assert template.is_file()
    path = xlsx(tmp_path / "a.xlsx", [row(*ZHOU), row("陈丽", "女", "1990-02-31", CHEN[3])])
    before = dump(db)
    args = ["import", "members", str(path), "--db", str(db_path), "--org", "办公室党支部"]
    capsys.readouterr()
    assert main([*args, "--dry-run"]) == 1
    out, err = capsys.readouterr()
    assert "新增 1，更新 0，已存在 0，有问题 1 行" in out and "未写入数据库" in out
    assert "第3行 出生日期“1990-02-31”：无法识别的日期" in err
    assert dump(db) == before
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert "已导入：新增 1 名，更新 0 名" in out and "这些行已跳过" in err
    good = xlsx(tmp_path / "b.xlsx", [row(*ZHOU)])
    assert main(["import", "members", str(good), "--db", str(db_path), "--org", str(sample.branch)]) == 0
    assert "已存在 1" in capsys.readouterr().out
    assert main(["import", "members", str(tmp_path / "none.xlsx"), "--db", str(db_path), "--org", "办公室党支部"]) == 1
    assert "找不到文件" in capsys.readouterr().err
    assert main(["import", "members", str(good), "--db", str(db_path), "--org", "第一党小组"]) == 1
    assert "不能直接登记党员" in capsys.readouterr().err


_CELLS = st.one_of(st.none(), st.text(max_size=12), st.integers(-10**20, 10**20),
                   st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                   st.dates(), st.datetimes(min_value=dt.datetime(1900, 3, 1)),
                   st.sampled_from(["男", "女", "正式党员", "预备党员", "1985-03-04", "2024年5月1日", ZHOU[3],
                                    "1.1010519491231E+17", "第一党小组", "离退休", "=A1"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELLS, min_size=0, max_size=len(HEADER) + 2), min_size=1, max_size=5))
def test_random_cells_never_raise(db, sample: Sample, tmp_path: Path, rows: list[list[object]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    path = tmp_path / "random.xlsx"
    try:
        for r in rows:
            ws.append(r)
        wb.save(path)
    except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some values itself
        return
    try:
        p = preview(db, sample, path)
    except ImportFileError:
        return
    assert p.rows_read == len(p.new) + len(p.updates) + len(p.present) + p.rows_with_problems
