"""The command line on real SQLite files: in-process through main(), and as `python -m branchdesk`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.services import demo
from branchdesk.store.connection import open_database
from branchdesk.store.schema import SCHEMA_VERSION
from tests.conftest import TODAY

CHECK_KEYS = ["organizations", "members", "activities", "attendance", "dues_payments", "commendations",
              "evaluations"]


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _run(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "branchdesk", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, env={**os.environ, **env})


def test_demo_prints_counts_and_time(db_path: Path, capsys) -> None:
    assert main(["demo", "--db", str(db_path), "--seed", "3"]) == 0
    out = capsys.readouterr().out
    members = _count(db_path, "members")
    assert members >= 300
    assert f"党员 {members} 名" in out and "随机种子 3" in out and "用时" in out


def test_check_json_counts_match_the_demo(db_path: Path, capsys) -> None:
    db = open_database(db_path)
    built = demo.build(db, scale="small", seed=1, today=TODAY)
    db.close()
    assert main(["check", "--db", str(db_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["ok", "schema_version", "counts"]
    assert result["ok"] is True and result["schema_version"] == SCHEMA_VERSION
    assert list(result["counts"]) == CHECK_KEYS
    for key in CHECK_KEYS:  # the demo fills every table counted
        assert result["counts"][key] == built[key] == _count(db_path, key) > 0


def test_check_in_words(db_path: Path, capsys) -> None:
    assert main(["demo", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["check", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert f"结构版本：{SCHEMA_VERSION}" in out and "检查通过" in out and "党组织" in out


@pytest.mark.parametrize("as_json", [False, True])
def test_check_refuses_damaged_and_missing_files(tmp_path: Path, capsys, as_json: bool) -> None:
    full = tmp_path / "full.sqlite"
    assert main(["demo", "--db", str(full)]) == 0
    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"PK\x03\x04 not a database " * 300)
    capsys.readouterr()
    for path, why in ((truncated, "损坏"), (garbage, "损坏"), (tmp_path / "missing.sqlite", "找不到")):
        assert main(["check", "--db", str(path), *(["--json"] if as_json else [])]) == 1
        captured = capsys.readouterr()
        assert str(path) in captured.err and why in captured.err
        if as_json:
            assert json.loads(captured.out)["ok"] is False


def test_demo_refuses_a_database_with_data_and_leaves_it_unchanged(db_path: Path, capsys) -> None:
    assert main(["demo", "--db", str(db_path)]) == 0
    before = _dump(db_path)
    capsys.readouterr()
    assert main(["demo", "--db", str(db_path), "--seed", "2"]) == 1
    err = capsys.readouterr().err
    assert str(db_path) in err and "已有党组织" in err
    assert _dump(db_path) == before


def test_demo_refuses_files_that_are_not_branchdesk_databases(tmp_path: Path, capsys) -> None:
    garbage = tmp_path / "notes.sqlite"
    garbage.write_bytes("会议记录，不是数据库。".encode() * 200)
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    for path in (garbage, foreign):
        before = path.read_bytes()
        assert main(["demo", "--db", str(path)]) == 1
        assert str(path) in capsys.readouterr().err
        assert path.read_bytes() == before


@pytest.mark.parametrize(("argv", "message"), [
    (["demo"], "缺少必需的参数：--db"),
    (["demo", "--db", "x.sqlite", "--scale", "huge"], "无效的选择"),
    (["demo", "--db", "x.sqlite", "--seed", "one"], "不是有效的数值"),
    (["exprot"], "无效的选择"),
    (["check", "--db", "x.sqlite", "--xml"], "无法识别的参数"),
    (["--smoke", "check", "--db", "x.sqlite"], "不能与子命令同用"),
])
def test_usage_errors_exit_2_in_chinese(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("用法：")


def test_help_is_chinese(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：branchdesk") and "生成演示数据" in out and "检查数据库" in out


def test_python_m_branchdesk_runs_demo_and_check(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    built = _run("demo", "--db", str(path), "--scale", "small", "--seed", "5")
    assert built.returncode == 0, built.stderr
    assert "已生成演示数据" in built.stdout
    checked = _run("check", "--db", str(path), "--json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["counts"]["members"] >= 300


def test_subcommands_do_not_load_qt(tmp_path: Path) -> None:
    code = ("import sys; from branchdesk.cli import main; code = main(sys.argv[1:]);"
            " print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'openpyxl', 'pypinyin'}))")
    path = tmp_path / "demo.sqlite"
    for args in (["demo", "--db", str(path)], ["check", "--db", str(path)]):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                              encoding="utf-8", timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "[]"


def test_smoke_visits_every_page_on_the_demo(db_path: Path) -> None:
    assert main(["demo", "--db", str(db_path)]) == 0
    done = _run("--smoke", "--db", str(db_path), timeout=120, QT_QPA_PLATFORM="offscreen")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stdout
    assert "Qt Cancel = 取消" in done.stdout  # Qt's own strings are Chinese
