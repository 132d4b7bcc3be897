"""`branchdesk consolidate FILE... --out FILE.xlsx [--unit NAME] [--preparer NAME]`, in process through main()."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.cli import main
from branchdesk.domain.periods import Period
from branchdesk.services import exports
from tests.conftest import TODAY, Sample
from tests.reports.records import Honours, info, record, table


@pytest.fixture
def recorded(db, sample: Sample) -> Honours:
    return record(db, sample)


def _files(db, sample: Sample, folder: Path, report: str = "evaluations", year: int = 2025) -> list[Path]:
    return [exports.export_report(db, report, folder / f"{report}-{name}-{year}.xlsx", org, Period(year), TODAY)
            for name, org in (("办公室", sample.branch), ("业务科", sample.other_branch))]


def test_the_branches_files_are_added_up(db, recorded: Honours, tmp_path: Path, capsys) -> None:
    files = _files(db, recorded.sample, tmp_path)
    out = tmp_path / "汇总.xlsx"
    code = main(["consolidate", *map(str, files), "--out", str(out), "--unit", "市直机关工委", "--preparer", "张明"])
    assert code == 0
    assert f"已汇总 2 个文件（2025年度民主评议结果汇总表，2 个支部）：{out}" in capsys.readouterr().out
    book = load_workbook(out)
    rows = table(book["评议汇总"])
    assert [r[:6] for r in rows[:2]] == [("办公室党支部", 2, 1, 0, 1, 1), ("业务科党支部", 0, 1, 1, 0, 0)]
    assert rows[2][:6] == ("合计", "=SUM(B4:B5)", "=SUM(C4:C5)", "=SUM(D4:D5)", "=SUM(E4:E5)", "=SUM(F4:F5)")
    assert info(book)["unit"] == "市直机关工委" and "制表人：张明" in book["评议汇总"]["A2"].value


def test_a_mismatched_file_is_named_and_nothing_written(db, recorded: Honours, tmp_path: Path, capsys) -> None:
    files = _files(db, recorded.sample, tmp_path)
    other_year = _files(db, recorded.sample, tmp_path, year=2024)[1]
    other_kind = _files(db, recorded.sample, tmp_path, report="commendations")[1]
    renamed = tmp_path / "说明.xlsx"
    renamed.write_text("不是表格", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    for odd, expected in ((other_year, "的统计期间是2024年度"), (other_kind, "是表彰名单，这种报表不能汇总"),
                          (renamed, "不是有效的 Excel 工作簿")):
        assert main(["consolidate", str(files[0]), str(odd), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"“{odd.name}”{expected}" in err and "没有生成文件" in err
        assert not out.exists()
    assert main(["consolidate", str(files[0]), str(files[0]), "--out", str(out)]) == 1
    assert "添加了两次" in capsys.readouterr().err


def test_usage(tmp_path: Path, capsys) -> None:
    assert main(["consolidate", "--out", str(tmp_path / "a.xlsx")]) == 2
    assert "缺少必需的参数" in capsys.readouterr().err
    assert main(["consolidate", "a.xlsx", "b.xlsx"]) == 2
    assert "--out" in capsys.readouterr().err
