"""Backups and restore on real files: service, CLI, and the damaged-file flow."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.services import backups, members
from branchdesk.services.errors import ServiceError
from branchdesk.store.backup import backup_files
from branchdesk.store.connection import open_database
from tests.conftest import TODAY, member_data

NOW = dt.datetime(2026, 11, 23, 9, 30, 0)


def dump(path: Path) -> list[str]:
    """Every table's rows (and the schema), as SQL."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_backup_restore_round_trip_is_identical(db, db_path, sample):
    written = backups.backup_now(db, db_path, now=NOW)
    assert written == db_path.parent / "备份" / "branchdesk-20261123-093000.sqlite"
    db.close()
    before = dump(db_path)
    assert any("王建国" in line for line in before)

    changed = open_database(db_path)
    members.create(changed, sample.branch, member_data("新来的"), today=TODAY)
    changed.close()
    assert dump(db_path) != before

    result = backups.restore(written, db_path, now=NOW + dt.timedelta(hours=1))
    assert dump(db_path) == before
    assert not result.previous_damaged
    # The database as it was before the restore was backed up first, and holds the new member.
    assert result.previous == db_path.parent / "备份" / "branchdesk-20261123-103000.sqlite"
    assert any("新来的" in line for line in dump(result.previous))
    reopened = open_database(db_path)
    assert reopened.count("members") == 3
    reopened.close()


def test_listing_shows_date_size_and_counts(db, db_path, sample):
    backups.backup_now(db, db_path, now=NOW)
    backups.backup_now(db, db_path, now=NOW + dt.timedelta(days=1))
    listed = backups.list_backups(db_path, backups.folder(db, db_path))
    assert [i.taken_at for i in listed] == [NOW + dt.timedelta(days=1), NOW]
    assert listed[0].size > 0 and listed[0].counts["members"] == 3 and listed[0].counts["organizations"] == 4
    assert backups.latest_backup(db_path) == listed[0].path


def test_retention_keeps_the_newest_n(db, db_path, sample):
    backups.save_settings(db, None, 3)
    for day in range(6):
        backups.backup_now(db, db_path, now=NOW + dt.timedelta(days=day))
    kept = backup_files(db_path, backups.default_folder(db_path))
    assert [b.taken_at for b in kept] == [NOW + dt.timedelta(days=d) for d in (5, 4, 3)]


def test_two_backups_in_one_second_both_kept(db, db_path, sample):
    first = backups.backup_now(db, db_path, now=NOW)
    second = backups.backup_now(db, db_path, now=NOW)
    assert first != second and second.name == "branchdesk-20261123-093000-2.sqlite"
    assert backups.latest_backup(db_path) == second


def test_backup_folder_setting(db, db_path, tmp_path, sample):
    elsewhere = tmp_path / "U盘" / "党建备份"
    backups.save_settings(db, elsewhere, 10)
    assert backups.folder(db, db_path) == elsewhere and backups.keep(db) == 10
    written = backups.backup_now(db, db_path, now=NOW)
    assert written.parent == elsewhere
    assert backups.configured_folder(db_path) == elsewhere
    with pytest.raises(ServiceError, match="1 到"):
        backups.save_settings(db, None, 0)
    with pytest.raises(ServiceError, match="完整路径"):
        backups.save_settings(db, "relative/folder", 5)
    backups.save_settings(db, "", 30)
    assert backups.folder(db, db_path) == db_path.parent / "备份"


def test_daily_backup_due(db, db_path, sample):
    folder = backups.default_folder(db_path)
    assert backups.backup_due(db_path, folder, now=NOW)
    backups.backup_now(db, db_path, now=NOW)
    assert not backups.backup_due(db_path, folder, now=NOW + dt.timedelta(hours=23, minutes=59))
    assert backups.backup_due(db_path, folder, now=NOW + dt.timedelta(days=1))


def test_exit_backup_only_when_changed(db, db_path, sample):
    folder = backups.default_folder(db_path)
    assert backups.changed_since_backup(db_path, folder)
    backups.backup_now(db, db_path, now=dt.datetime.now() + dt.timedelta(seconds=5))
    assert not backups.changed_since_backup(db_path, folder)


def test_corrupt_backup_is_refused_and_nothing_changes(db, db_path, sample, tmp_path):
    good = backups.backup_now(db, db_path, now=NOW)
    db.close()
    before = dump(db_path)
    bad = tmp_path / "bad.sqlite"
    data = bytearray(good.read_bytes())
    data[len(data) // 2:] = b"\x00garbage" * (len(data) // 2 // 8 + 1)
    bad.write_bytes(bytes(data[: len(good.read_bytes())]))
    with pytest.raises(ServiceError, match="不能用于恢复"):
        backups.restore(bad, db_path, now=NOW + dt.timedelta(hours=1))
    text = tmp_path / "notes.sqlite"
    text.write_text("不是数据库", encoding="utf-8")
    with pytest.raises(ServiceError, match="不能用于恢复"):
        backups.restore(text, db_path)
    assert dump(db_path) == before
    assert len(backup_files(db_path, backups.default_folder(db_path))) == 1  # no backup taken either


def test_a_bad_copy_is_deleted_and_reported(db, db_path, sample, monkeypatch):
    from branchdesk.store import backup as store_backup

    monkeypatch.setattr(store_backup, "file_problems", lambda path: ["完整性检查：测试用的问题"])
    with pytest.raises(ServiceError, match="检查未通过，已删除"):
        backups.backup_now(db, db_path, now=NOW)
    assert list(backups.default_folder(db_path).iterdir()) == []


def damage(path: Path) -> None:
    """Overwrite the middle of the file, as a bad disk sector would."""
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)
    path.write_bytes(bytes(data))


def test_damaged_database_is_moved_aside_then_restored(db, db_path, sample):
    good = backups.backup_now(db, db_path, now=NOW)
    db.close()
    expected = dump(db_path)
    damage(db_path)
    damaged_bytes = db_path.read_bytes()
    assert backups.damaged(db_path)
    assert backups.latest_backup(db_path) == good
    result = backups.restore(good, db_path, now=NOW + dt.timedelta(hours=2))
    assert result.previous_damaged
    assert result.previous == db_path.with_name("branchdesk.sqlite.damaged-20261123-113000")
    assert result.previous.read_bytes() == damaged_bytes  # kept, never overwritten
    assert dump(db_path) == expected
    assert not backups.damaged(db_path)


def test_a_foreign_or_missing_file_is_not_called_damaged(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert not backups.damaged(other)
    assert not backups.damaged(tmp_path / "missing.sqlite")


# Command line


def test_cli_backup_and_restore(db, db_path, sample, tmp_path, capsys):
    db.close()
    out = tmp_path / "手动备份.sqlite"
    assert main(["backup", "--db", str(db_path), "--out", str(out)]) == 0
    assert "已备份数据库" in capsys.readouterr().out
    assert dump(out) == dump(db_path)
    assert main(["backup", "--db", str(db_path)]) == 0
    assert len(backup_files(db_path, backups.default_folder(db_path))) == 1

    changed = open_database(db_path)
    members.create(changed, sample.branch, member_data("新来的"), today=TODAY)
    changed.close()
    assert main(["restore", str(out), "--db", str(db_path)]) == 0
    printed = capsys.readouterr().out
    assert "恢复前的数据库已备份到" in printed and "党员 3 名" in printed
    assert dump(db_path) == dump(out)
    assert len(backup_files(db_path, backups.default_folder(db_path))) == 2


def test_cli_refusals(db, db_path, sample, tmp_path, capsys):
    db.close()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"garbage" * 1000)
    before = dump(db_path)
    assert main(["restore", str(junk), "--db", str(db_path)]) == 1
    assert "恢复失败" in capsys.readouterr().err
    assert dump(db_path) == before
    assert main(["backup", "--db", str(tmp_path / "missing.sqlite")]) == 1
    assert "找不到数据库文件" in capsys.readouterr().err
    assert main(["restore", "--db", str(db_path)]) == 2
    assert main(["backup"]) == 2
