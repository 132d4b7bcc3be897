"""`branchdesk export sign-in --meeting ID --db PATH --out FILE.pdf`: one meeting's pre-filled sign-in sheet."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.cli import main
from branchdesk.domain.activities import ActivityData, ActivityKind
from branchdesk.services import activities
from tests.conftest import Sample


@pytest.fixture
def planned(db, sample: Sample) -> int:
    """A 支部党员大会 planned for December: nobody entered yet, the sheet lists the branch's roll."""
    return activities.create(db, ActivityData(sample.branch, ActivityKind.GENERAL_MEETING, dt.date(2026, 12, 8),
                                              "讨论李晓梅同志转正", status="planned", place="三楼会议室",
                                              starts_at="15:00"), [])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_sign_in_sheet_of_a_planned_meeting_lists_the_expected_attendees(db, db_path: Path, planned: int,
                                                                             tmp_path: Path) -> None:
    out = tmp_path / "签到表.pdf"
    # A process of its own, as it is run: the command makes its own offscreen Qt application.
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run([sys.executable, "-m", "branchdesk", "export", "sign-in", "--meeting", str(planned),
                           "--db", str(db_path), "--out", str(out)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已导出签到表（会议编号 {planned}）：{out}"
    assert out.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("*.part"))
    # NFKC: the PDF's text layer names a few ideographs by their Kangxi-radical twins (⽀ for 支).
    text = unicodedata.normalize("NFKC", subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                                                        capture_output=True, text=True).stdout)
    assert "办公室党支部党员大会签到表" in text
    assert "讨论李晓梅同志转正" in text and "2026年12月8日 15:00" in text and "三楼会议室" in text
    assert "王建国" in text and "李晓梅" in text
    assert "赵志强" not in text  # of the other branch
    assert "应到 2 人" in text


def test_a_meeting_is_required_and_must_exist(db, db_path: Path, sample: Sample, tmp_path: Path, capsys) -> None:
    out = tmp_path / "s.pdf"
    assert main(["export", "sign-in", "--db", str(db_path), "--out", str(out)]) == 2
    assert "sign-in（签到表）须用 --meeting ID 指定会议" in capsys.readouterr().err
    assert main(["export", "sign-in", "--meeting", "99", "--db", str(db_path), "--out", str(out)]) == 1
    assert "找不到编号为 99 的活动记录" in capsys.readouterr().err
    assert not out.exists()


def test_an_xlsx_out_writes_the_excel_sheet(db, db_path: Path, planned: int, tmp_path: Path, capsys) -> None:
    out = tmp_path / "签到表.xlsx"
    assert main(["export", "sign-in", "--meeting", str(planned), "--db", str(db_path), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"已导出签到表（会议编号 {planned}）：{out}"
    ws = load_workbook(out)["签到表"]
    assert ws["A1"].value == "办公室党支部党员大会签到表"
    assert [ws.cell(row, 2).value for row in (4, 5)] == ["王建国", "李晓梅"]
    assert main(["export", "sign-in", "--meeting", "99", "--db", str(db_path), "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "导出失败：找不到编号为 99 的活动记录" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(("args", "name", "message"), [
    (["sign-in", "--meeting", "1"], "s.docx", "参数 --out：签到表的文件名应以 .xlsx（Excel）或 .pdf（PDF）结尾："),
    (["sign-in", "--meeting", "1"], "s", "参数 --out：签到表的文件名应以 .xlsx（Excel）或 .pdf（PDF）结尾："),
    (["roster", "--meeting", "1"], "r.xlsx", "参数 --meeting 只用于 sign-in（签到表）"),
])
def test_usage_errors(db, db_path: Path, sample: Sample, tmp_path: Path, capsys, args: list[str], name: str,
                      message: str) -> None:
    out = tmp_path / name
    assert main(["export", *args, "--db", str(db_path), "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
