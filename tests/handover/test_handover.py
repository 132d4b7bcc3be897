"""Handover packages (issue 7): round trip, idempotence, attachments, refusals, uid backfill."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.services import demo, handover, settings
from branchdesk.services.errors import ServiceError
from branchdesk.store import attachments
from branchdesk.store.connection import open_database
from branchdesk.store.handover import TABLES, dump
from branchdesk.store.schema import UID_TABLES

TODAY = dt.date(2026, 11, 23)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _root(db) -> int:
    return db.conn.execute("SELECT id FROM organizations WHERE parent_id IS NULL ORDER BY id").fetchone()[0]


@pytest.fixture
def source(tmp_path: Path):
    db = open_database(tmp_path / "source.sqlite")
    demo.build(db, scale="small", seed=7, today=TODAY)
    settings.save(db, settings.REPORT_PREPARER, "张三")
    # One commendation with an attached file.
    commendation = db.conn.execute("SELECT id FROM commendations ORDER BY id").fetchone()[0]
    scan = tmp_path / "表彰决定.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned decision \x00\x01\x02")
    _attach(db, commendation, scan)
    yield db
    db.close()


def _attach(db, commendation_id: int, scan: Path) -> None:
    kept = attachments.keep(db, scan, "commendations", commendation_id)
    with db.atomic():
        db.conn.execute("UPDATE commendations SET attachment = ? WHERE id = ?", (kept, commendation_id))


def _by_uid(db) -> dict[str, dict[str, tuple]]:
    """Each exported table's rows by uid, references as uids, without local ids or attachment names."""
    result = {}
    for table, refs in TABLES.items():
        names = [r[1] for r in db.conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("id", "attachment")]
        select = [f"(SELECT uid FROM {refs[n]} WHERE id = t.{n})" if n in refs else f"t.{n}" for n in names]
        result[table] = {r[0]: r[1:] for r in db.conn.execute(
            f"SELECT t.uid, {', '.join(select)} FROM {table} t")}
    return result


def _attachment_bytes(db) -> dict[str, bytes]:
    return {uid: attachments.resolve(db, rel).read_bytes() for uid, rel in db.conn.execute(
        "SELECT uid, attachment FROM commendations WHERE attachment != ''")}


def test_round_trip_into_an_empty_database_gives_the_same_content(source, tmp_path: Path) -> None:
    first = handover.export_package(source, _root(source), tmp_path / "p.bdpkg")
    assert first["format_version"] == handover.FORMAT_VERSION and first["counts"]["members"] == 330
    assert first["counts"]["attachments"] == 1 and first["counts"]["settings"] == 1
    target = open_database(tmp_path / "target.sqlite")
    result = handover.import_package(target, tmp_path / "p.bdpkg")
    assert result["counts"]["members"] == {"added": 330, "updated": 0, "unchanged": 0}
    assert result["attachments"] == 1
    again = handover.export_package(target, _root(target), tmp_path / "q.bdpkg")
    assert again["counts"] == first["counts"]
    assert _by_uid(target) == _by_uid(source)
    assert _attachment_bytes(target) == _attachment_bytes(source)
    assert list(_attachment_bytes(target).values()) == [b"%PDF-1.4 scanned decision \x00\x01\x02"]
    for name in ("data/members.json", "data/organizations.json", "data/settings.json"):
        assert again["checksums"][name] == first["checksums"][name]
    target.close()


def test_importing_twice_adds_nothing(source, tmp_path: Path) -> None:
    handover.export_package(source, _root(source), tmp_path / "p.bdpkg")
    target = open_database(tmp_path / "target.sqlite")
    handover.import_package(target, tmp_path / "p.bdpkg")
    before = dump(target)
    result = handover.import_package(target, tmp_path / "p.bdpkg")
    assert all(c["added"] == 0 and c["updated"] == 0 for c in result["counts"].values())
    assert result["attachments"] == 0
    assert dump(target) == before
    # Into the database it came from: nothing new either.
    mine = dump(source)
    assert handover.import_package(source, tmp_path / "p.bdpkg")["counts"]["members"]["added"] == 0
    assert dump(source) == mine
    target.close()


def test_a_changed_row_is_updated(source, tmp_path: Path) -> None:
    handover.export_package(source, _root(source), tmp_path / "p.bdpkg")
    target = open_database(tmp_path / "target.sqlite")
    handover.import_package(target, tmp_path / "p.bdpkg")
    with source.atomic():
        source.conn.execute("UPDATE members SET phone = '13800000000' WHERE id = 1")
    handover.export_package(source, _root(source), tmp_path / "p2.bdpkg")
    result = handover.import_package(target, tmp_path / "p2.bdpkg")
    assert result["counts"]["members"] == {"added": 0, "updated": 1, "unchanged": 329}
    uid = source.conn.execute("SELECT uid FROM members WHERE id = 1").fetchone()[0]
    assert target.conn.execute("SELECT phone FROM members WHERE uid = ?", (uid,)).fetchone()[0] == "13800000000"
    target.close()


def test_import_into_a_database_with_other_organizations_keeps_them(source, tmp_path: Path, db, sample) -> None:
    branch, uid = source.conn.execute(
        "SELECT id, uid FROM organizations WHERE kind = 'branch' ORDER BY id").fetchone()
    handover.export_package(source, branch, tmp_path / "branch.bdpkg")
    before = dump(db)
    result = handover.import_package(db, tmp_path / "branch.bdpkg")
    assert result["counts"]["organizations"]["added"] >= 1
    after = dump(db)
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), table  # nothing of theirs changed or went
    # The branch's parent stayed behind in the source database: it arrives at the top of the tree.
    assert db.conn.execute("SELECT parent_id FROM organizations WHERE uid = ?", (uid,)).fetchone() == (None,)
    assert db.conn.execute("SELECT count(*) FROM members").fetchone()[0] == 3 + result["counts"]["members"]["added"]


def _refused(db, package: Path, *fragments: str) -> None:
    before = dump(db)
    files = sorted(p.name for p in attachments.folder(db).rglob("*")) if attachments.folder(db).exists() else []
    with pytest.raises(ServiceError) as caught:
        handover.import_package(db, package)
    message = str(caught.value)
    assert str(package) in message and "未导入任何内容" in message, message
    for fragment in fragments:
        assert fragment in message, message
    assert dump(db) == before
    after = sorted(p.name for p in attachments.folder(db).rglob("*")) if attachments.folder(db).exists() else []
    assert after == files


def _rewrite(package: Path, out: Path, name: str, change) -> Path:
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, change(data) if info.filename == name else data)
    return out


def _flip(data: bytes) -> bytes:
    return data[:20] + bytes([data[20] ^ 0x01]) + data[21:]


@pytest.fixture
def package(source, tmp_path: Path) -> Path:
    handover.export_package(source, _root(source), tmp_path / "p.bdpkg")
    return tmp_path / "p.bdpkg"


@pytest.fixture
def target(tmp_path: Path):
    db = open_database(tmp_path / "target.sqlite")
    yield db
    db.close()


def test_a_tampered_member_file_is_refused(package: Path, target, tmp_path: Path) -> None:
    bad = _rewrite(package, tmp_path / "bad.bdpkg", "data/members.json", _flip)
    _refused(target, bad, "校验和不符", "data/members.json")
    attachment = next(n for n in zipfile.ZipFile(package).namelist() if n.startswith("attachments/"))
    bad = _rewrite(package, tmp_path / "bad2.bdpkg", attachment, _flip)
    _refused(target, bad, "校验和不符", attachment)


def test_a_tampered_manifest_is_refused(package: Path, target, tmp_path: Path) -> None:
    def recount(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["counts"]["members"] += 1
        return json.dumps(manifest).encode()
    _refused(target, _rewrite(package, tmp_path / "m1.bdpkg", "manifest.json", recount), "manifest.json")
    _refused(target, _rewrite(package, tmp_path / "m2.bdpkg", "manifest.json", _flip), "manifest.json")


def test_a_raw_byte_changed_in_the_file_is_refused(package: Path, target, tmp_path: Path) -> None:
    data = bytearray(package.read_bytes())
    data[len(data) // 3] ^= 0xFF
    bad = tmp_path / "raw.bdpkg"
    bad.write_bytes(bytes(data))
    _refused(target, bad)


def test_a_truncated_file_and_a_non_zip_are_refused(package: Path, target, tmp_path: Path) -> None:
    short = tmp_path / "short.bdpkg"
    short.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    _refused(target, short, "已损坏")
    text = tmp_path / "notes.bdpkg"
    text.write_text("这不是数据包", encoding="utf-8")
    _refused(target, text, "已损坏")


def test_a_newer_format_is_refused(package: Path, target, tmp_path: Path) -> None:
    with zipfile.ZipFile(package) as src:
        members = {n: src.read(n) for n in src.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["format_version"] = handover.FORMAT_VERSION + 1
    members["manifest.json"] = json.dumps(manifest).encode()
    import hashlib
    members["manifest.sha256"] = f"{hashlib.sha256(members['manifest.json']).hexdigest()}  manifest.json\n".encode()
    newer = tmp_path / "newer.bdpkg"
    with zipfile.ZipFile(newer, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    _refused(target, newer, "更新版本", f"格式版本 {handover.FORMAT_VERSION + 1}")
    with pytest.raises(ServiceError):
        handover.inspect_package(newer)
    assert handover.inspect_package(package)["source"]["organization"]


def test_a_conflicting_row_is_refused_naming_it(package: Path, source, target) -> None:
    name, number = source.conn.execute("SELECT name, id_number FROM members ORDER BY id").fetchone()
    handover.import_package(target, package)
    with target.atomic():  # the same person under another uid (e.g. typed in again)
        target.conn.execute("UPDATE members SET uid = 'someone-else' WHERE id_number = ?", (number,))
    _refused(target, package, "冲突", f"党员“{name}”", "身份证号")


def test_cli_export_and_import(source, tmp_path: Path, capsys) -> None:
    db_path = tmp_path / "source.sqlite"
    out = tmp_path / "cli.bdpkg"
    assert main(["package", "export", "--db", str(db_path), "--org", str(_root(source)), "--out", str(out)]) == 0
    assert "已导出交接数据包" in capsys.readouterr().out
    new_db = tmp_path / "new.sqlite"
    assert main(["package", "import", str(out), "--db", str(new_db)]) == 0
    assert "党员：新增 330" in capsys.readouterr().out
    bad = tmp_path / "bad.bdpkg"
    bad.write_text("x")
    other = tmp_path / "other.sqlite"
    assert main(["package", "import", str(bad), "--db", str(other)]) == 1
    assert f"数据包 {bad} 已损坏" in capsys.readouterr().err
    assert not other.exists()
    assert main(["package", "export", "--db", str(db_path)]) == 2


@pytest.mark.parametrize("version", [1, 2])
def test_v3_migration_backfills_uids(version: int, tmp_path: Path) -> None:
    path = tmp_path / f"v{version}.sqlite"
    shutil.copy(FIXTURES / f"schema-v{version}.sqlite", path)
    open_database(path).close()
    conn = sqlite3.connect(path)
    for table in UID_TABLES:
        total, filled, distinct = conn.execute(
            f"SELECT count(*), count(uid), count(DISTINCT uid) FROM {table}").fetchone()
        assert total == filled == distinct, table
        if table in ("organizations", "members"):
            assert total > 0
    conn.close()


def test_new_rows_get_uids(sample, db) -> None:
    for table in UID_TABLES:
        assert db.conn.execute(f"SELECT count(*) FROM {table} WHERE uid IS NULL").fetchone()[0] == 0, table
    assert db.conn.execute("SELECT count(*) FROM members").fetchone()[0] == 3
