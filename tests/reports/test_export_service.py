"""services.exports and services.settings: names, defaults, the report's header line, and a file that
is replaced whole or not at all."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.domain.organization import OrgKind
from branchdesk.domain.periods import Period
from branchdesk.services import exports, organizations, settings, statistics
from branchdesk.services.errors import ServiceError
from tests.conftest import TODAY
from tests.reports.records import Honours, info


def test_settings_are_kept_trimmed_and_blank_when_never_set(db) -> None:
    assert settings.get(db, settings.REPORT_UNIT) == ""
    settings.save(db, settings.REPORT_UNIT, "  中共江州市审计局机关委员会 ")
    settings.save(db, settings.REPORT_PREPARER, "李晓梅")
    settings.save(db, settings.REPORT_PREPARER, "王建国")
    assert settings.get(db, settings.REPORT_UNIT) == "中共江州市审计局机关委员会"
    assert settings.get(db, settings.REPORT_PREPARER) == "王建国"
    with pytest.raises(ServiceError, match="report_unit"):
        settings.get(db, "report_units")
    with pytest.raises(ServiceError):
        settings.save(db, "theme", "dark")


def test_the_header_line_uses_the_settings(db, recorded: Honours, tmp_path: Path) -> None:
    settings.save(db, settings.REPORT_UNIT, "中共江州市审计局机关委员会")
    settings.save(db, settings.REPORT_PREPARER, "李晓梅")
    out = exports.export_report(db, "evaluations", tmp_path / "e.xlsx", recorded.sample.committee, Period(2025), TODAY)
    book = load_workbook(out)
    assert book.properties.creator == "中共江州市审计局机关委员会"
    for ws in book.worksheets[:2]:
        line = ws["A2"].value
        assert "填报单位：中共江州市审计局机关委员会" in line and "统计范围：市直机关某局机关党委" in line
        assert "制表人：李晓梅" in line and "制表日期：2026年11月23日" in line
    assert info(book)["unit"] == "中共江州市审计局机关委员会"


def test_without_settings_the_unit_is_the_scope_and_the_preparer_blank(db, recorded: Honours,
                                                                        tmp_path: Path) -> None:
    out = exports.export_report(db, "commendations", tmp_path / "c.xlsx", recorded.sample.branch, Period(2025), TODAY)
    line = load_workbook(out)["表彰名单"]["A2"].value
    assert line.startswith("填报单位：办公室党支部") and "统计范围" not in line
    assert "制表人：　　　　" in line


def test_default_years(db, recorded: Honours, tmp_path: Path) -> None:
    assert exports.default_year("evaluations", TODAY) == 2025
    assert exports.default_year("commendations", TODAY) == 2026
    out = exports.export_report(db, "evaluations", tmp_path / "e.xlsx", recorded.sample.committee, None, TODAY)
    assert info(load_workbook(out))["period"] == "2025"
    out = exports.export_report(db, "commendations", tmp_path / "c.xlsx", recorded.sample.committee, None, TODAY)
    assert info(load_workbook(out))["period"] == "2026"


def test_default_scope_is_the_one_top_organization(db, sample) -> None:
    assert exports.default_scope(db).id == sample.committee
    organizations.create(db, None, OrgKind.COMMITTEE, "另一个机关党委")
    with pytest.raises(ServiceError, match=r"多个最上级党组织.*另一个机关党委"):
        exports.default_scope(db)


def test_no_organization_yet(db) -> None:
    with pytest.raises(ServiceError, match="还没有党组织"):
        exports.default_scope(db)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".part")


@pytest.mark.parametrize(("report", "out", "period", "message"), [
    ("sign-up", "r.xlsx", Period(2025), "没有名为“sign-up”的报表，可选：roster（党员花名册）、meetings"),
    ("evaluations", "e.xls", Period(2025), r"e\.xls：文件名应以 \.xlsx 结尾"),
    ("evaluations", "e.xlsx", Period(1900), "统计年度 1900"),
    ("evaluations", "e.xlsx", Period(2028), "统计年度 2028"),
    ("evaluations", "e.xlsx", Period(2025, quarter=2), "民主评议结果汇总表不能按季度统计，只能按年度统计"),
    ("dues-summary", "d.xlsx", Period(2025, month=2), "党费收缴汇总表不能按月份统计，只能按年度、季度统计"),
])
def test_refused_before_anything_is_written(db, sample, tmp_path: Path, report: str, out: str, period: Period,
                                            message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        exports.export_report(db, report, tmp_path / out, sample.committee, period, TODAY)
    assert not (tmp_path / out).exists() and _leftovers(tmp_path) == []


def test_a_missing_folder_is_named(db, sample, tmp_path: Path) -> None:
    out = tmp_path / "没有的文件夹" / "e.xlsx"
    with pytest.raises(ServiceError, match=re.escape(f"文件夹 {out.parent} 不存在")):
        exports.export_report(db, "evaluations", out, sample.committee, Period(2025), TODAY)


def test_an_unknown_scope(db, sample, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="编号为 999 的党组织"):
        exports.export_report(db, "evaluations", tmp_path / "e.xlsx", 999, Period(2025), TODAY)


def test_an_existing_file_is_replaced_whole(db, recorded: Honours, tmp_path: Path) -> None:
    out = tmp_path / "c.xlsx"
    out.write_bytes(b"old")
    exports.export_report(db, "commendations", out, recorded.sample.committee, Period(2025), TODAY)
    assert load_workbook(out).sheetnames[0] == "表彰名单"
    assert _leftovers(tmp_path) == []


def test_a_file_open_elsewhere_is_left_as_it_was(db, recorded: Honours, tmp_path: Path, monkeypatch) -> None:
    """Excel on Windows holds the file open: the rename over it fails, nothing is half-written."""
    out = tmp_path / "c.xlsx"
    out.write_bytes(b"old")

    def locked(_source, _target) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(exports.os, "replace", locked)
    with pytest.raises(ServiceError, match=re.escape(f"无法写入 {out}：文件可能正在 Excel 或 WPS 中打开")):
        exports.export_report(db, "commendations", out, recorded.sample.committee, Period(2025), TODAY)
    assert out.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_write_that_fails_midway_leaves_no_part_file(db, recorded: Honours, tmp_path: Path, monkeypatch) -> None:
    from branchdesk.reports import sheet

    def disk_full(target: Path, *_args) -> None:
        target.write_bytes(b"PK\x03\x04 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sheet, "write", disk_full)
    out = tmp_path / "e.xlsx"
    with pytest.raises(ServiceError, match=re.escape(f"无法写入 {out}：No space left on device")):
        exports.export_report(db, "evaluations", out, recorded.sample.committee, Period(2025), TODAY)
    assert not out.exists() and _leftovers(tmp_path) == []


def test_one_read_snapshot(db, recorded: Honours, tmp_path: Path, monkeypatch) -> None:
    """Every read of an export happens inside one read transaction."""
    seen = []
    real = statistics.honours.evaluation_sheet

    def watched(database, branch_id: int, year: int):
        seen.append(database.conn.in_transaction)
        return real(database, branch_id, year)

    monkeypatch.setattr(statistics.honours, "evaluation_sheet", watched)
    exports.export_report(db, "evaluations", tmp_path / "e.xlsx", recorded.sample.committee, Period(2025),
                          dt.date(2026, 1, 5))
    assert seen == [True, True] and not db.conn.in_transaction


def test_openpyxl_is_loaded_only_when_a_report_is_written() -> None:
    """design.md §7: heavy imports when first used (the report center imports this service)."""
    code = "import sys, branchdesk.services.exports, branchdesk.cli; print('openpyxl' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_prepare_then_write_with_progress(db, recorded: Honours, tmp_path: Path) -> None:
    prepared = exports.prepare(db, "evaluations", recorded.sample.committee, Period(2025), TODAY)
    assert prepared.info.label == "民主评议结果汇总表" and prepared.period == Period(2025)
    assert prepared.report.title == "2025年度民主评议结果汇总表" and prepared.report.period == "2025"
    assert [s.name for s in prepared.sheets] == ["评议汇总", "评议名单"]
    assert [r[0] for r in prepared.sheets[0].rows] == ["办公室党支部", "业务科党支部"]
    assert not db.conn.in_transaction
    calls: list[tuple[int, int]] = []
    out = exports.write(prepared, tmp_path / "e.xlsx", progress=lambda done, total: calls.append((done, total)))
    total = 2 + 7  # two branches, seven members rated
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert load_workbook(out).sheetnames == ["评议汇总", "评议名单", "报表信息"]


def test_a_cancelled_write_leaves_no_file(db, recorded: Honours, tmp_path: Path) -> None:
    prepared = exports.prepare(db, "commendations", recorded.sample.committee, Period(2025), TODAY)
    out = tmp_path / "c.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(exports.Cancelled):
        exports.write(prepared, out, cancelled=lambda: True)
    assert out.read_bytes() == b"old" and _leftovers(tmp_path) == []


def test_cancelled_midway_through_the_rows(db, sample, tmp_path: Path) -> None:
    """`cancelled` is asked while rows are written, not only before."""
    from branchdesk.reports.sheet import Column, Sheet

    prepared = exports.prepare(db, "roster", sample.committee, Period(2026), TODAY)
    prepared.sheets.append(Sheet("很多行", "很多行", [Column("序号")], [(n,) for n in range(2000)]))
    seen: list[int] = []

    def progress(done: int, _total: int) -> None:
        seen.append(done)

    with pytest.raises(exports.Cancelled):
        exports.write(prepared, tmp_path / "r.xlsx", progress, cancelled=lambda: len(seen) >= 3)
    assert 0 < seen[-1] < 2000 and _leftovers(tmp_path) == []
    assert not (tmp_path / "r.xlsx").exists()


def test_read_info_says_what_a_file_is(db, recorded: Honours, tmp_path: Path) -> None:
    out = exports.export_report(db, "evaluations", tmp_path / "e.xlsx", recorded.sample.branch, Period(2025), TODAY)
    meta = exports.read_info(out)
    assert meta == {"kind": "evaluations", "title": "2025年度民主评议结果汇总表", "period": "2025",
                    "period_label": "2025年度", "scope_id": str(recorded.sample.branch), "scope": "办公室党支部",
                    "unit": "办公室党支部", "made_on": "2026-11-23", "format_version": "1"}
    assert Period.parse(meta["period"]) == Period(2025)
    other = tmp_path / "other.xlsx"
    from openpyxl import Workbook

    Workbook().save(other)
    assert exports.read_info(other) == {}
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ServiceError, match="不是有效的 Excel 工作簿"):
        exports.read_info(broken)
    with pytest.raises(ServiceError, match="找不到文件"):
        exports.read_info(tmp_path / "none.xlsx")


def test_every_report_is_described() -> None:
    assert list(exports.REPORTS) == ["roster", "meetings", "attendance", "study-hours", "dues", "dues-summary",
                                     "commendations", "evaluations", "annual"]
    for name, described in exports.REPORTS.items():
        assert described.name == name and described.label and described.description
        assert set(described.periods) <= {"year", "quarter", "month"} and "year" in described.periods
        assert exports.default_period(name, TODAY).kind == "year"
    assert exports.REPORTS["meetings"].periods == ("year", "quarter", "month")
    assert exports.default_period("evaluations", TODAY) == Period(2025)
    assert exports.default_period("annual", TODAY) == Period(2026)
