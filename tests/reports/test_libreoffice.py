"""Exported files opened by another spreadsheet program: LibreOffice converts them headless (one run
for all files), computing every formula, and the computed values are the records'."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.domain.periods import Period
from branchdesk.services import exports
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


def test_libreoffice_computes_the_same_numbers(db, recorded: Honours, tmp_path: Path) -> None:
    files = [exports.export_report(db, report, tmp_path / f"{report}.xlsx", recorded.sample.committee,
                                   Period(recorded.year), TODAY) for report in exports.REPORTS]
    _convert(files, tmp_path / "converted", tmp_path / "profile")
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
