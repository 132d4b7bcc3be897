"""Exported files opened by another spreadsheet program: LibreOffice converts them headless (one run
for all files), computing every formula, and the computed values are the records': every report of
the small demo and a consolidation of its branches' files, whose totals rows come to the sums of
their data cells, and the honours sample's exact figures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.domain.periods import Period
from branchdesk.reports import sheet
from branchdesk.services import consolidation, demo, exports, organizations
from branchdesk.store.connection import open_database
from tests.conftest import TODAY
from tests.reports.records import Honours, info, table

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install --no-install-recommends libreoffice-calc)")


def _convert(files: list[Path], outdir: Path, profile: Path) -> None:
    """One headless LibreOffice run re-saving every file as .xlsx, with the formulas computed."""
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert all((outdir / f.name).exists() for f in files), done.stdout + done.stderr


def _demo_files(folder: Path) -> list[Path]:
    """Every report of the small demo's 机关党委 for its default period, and the 党费收缴汇总表 of its
    branches (each exported on its own) consolidated."""
    db = open_database(folder / "demo.sqlite")
    try:
        demo.build(db, scale="small", seed=1, today=TODAY)
        top = exports.default_scope(db).id
        files = [exports.export_report(db, report, folder / f"demo-{report}.xlsx", top,
                                       exports.default_period(report, TODAY), TODAY) for report in exports.REPORTS]
        branches = [org.id for depth, org in organizations.outline(db, top) if depth == 1]
        sources = [exports.export_report(db, "dues-summary", folder / f"branch-{org}.xlsx", org,
                                         exports.default_period("dues-summary", TODAY), TODAY) for org in branches]
    finally:
        db.close()
    files.append(consolidation.consolidate(sources, folder / "demo-consolidated.xlsx", "市直机关工委",
                                           today=TODAY).path)
    return files


def _check_totals(written: Path, computed: Path) -> int:
    """Each totals row's SUM and SUBTOTAL(3, …) cells, as LibreOffice computed them, against the data
    cells above as it computed them; every other formula on a totals row computed without an error.
    The number of totals cells checked."""
    formulas, values = load_workbook(written), load_workbook(computed, data_only=True)
    checked = 0
    for ws in formulas.worksheets:
        if ws.sheet_state == "hidden":
            continue
        shown = values[ws.title]
        total_row = next((r[0].row for r in ws.iter_rows(min_row=sheet.FIRST_ROW) if r[0].value == sheet.TOTAL_LABEL),
                         None)
        if total_row is None:
            continue
        for cell in ws[total_row][1:]:
            above = f"{cell.column_letter}{sheet.FIRST_ROW}:{cell.column_letter}{total_row - 1}"
            data = [shown.cell(row, cell.column).value for row in range(sheet.FIRST_ROW, total_row)
                    if not str(ws.cell(row, cell.column).value or "").startswith("=SUBTOTAL")]
            result = shown.cell(total_row, cell.column).value
            where = f"{written.name} {ws.title}!{cell.coordinate}"
            if cell.value == f"=SUM({above})":
                numbers = [v for v in data if isinstance(v, int | float)]
                assert result == pytest.approx(sum(numbers)), where
                checked += 1
            elif cell.value == f"=SUBTOTAL(3,{above})":
                assert result == sum(v not in (None, "") for v in data), where
                checked += 1
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                assert not (isinstance(result, str) and result.startswith("#")), where
    return checked


def test_libreoffice_computes_the_same_numbers(db, recorded: Honours, tmp_path: Path) -> None:
    files = [exports.export_report(db, report, tmp_path / f"{report}.xlsx", recorded.sample.committee,
                                   Period(recorded.year), TODAY) for report in exports.REPORTS]
    demo_files = _demo_files(tmp_path)
    _convert(files + demo_files, tmp_path / "converted", tmp_path / "profile")
    for written in files + demo_files:
        assert _check_totals(written, tmp_path / "converted" / written.name) > 0, written.name
    commendations = load_workbook(tmp_path / "converted" / "commendations.xlsx", data_only=True)
    evaluations = load_workbook(tmp_path / "converted" / "evaluations.xlsx", data_only=True)

    rows = table(commendations["表彰名单"])
    subtotals = {(r[1], r[2]): r[3] for r in rows if r[0] == "小计"}
    assert subtotals == recorded.commendations
    assert rows[-1][0] == "合计" and rows[-1][3] == 5
    counts = table(commendations["表彰统计"])
    assert [r[6] for r in counts] == [0, 1, 2, 1, 0, 1, 5]  # 国家级 … 本单位, 合计
    assert counts[-1][1:] == (1, 2, 1, 0, 1, 5)

    summary = table(evaluations["评议汇总"])
    assert summary[0] == ("办公室党支部", 2, 1, 0, 1, 1, 5, 0.5)
    assert summary[1] == ("业务科党支部", 0, 1, 1, 0, 0, 2, 0)
    assert summary[2][:7] == ("合计", 2, 2, 1, 1, 1, 7) and summary[2][7] == pytest.approx(2 / 6)
    listed = table(evaluations["评议名单"])
    assert listed[-1][:3] == ("合计", None, len(recorded.rated))

    for book, kind in ((commendations, "commendations"), (evaluations, "evaluations")):
        assert info(book)["kind"] == kind and book["报表信息"].sheet_state == "hidden"
        for ws in book.worksheets[:2]:
            assert ws.print_title_rows == "$3:$3" and ws.page_setup.fitToWidth == 1
            assert int(ws.page_setup.paperSize) == 9
