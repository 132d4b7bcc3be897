import sqlite3
from pathlib import Path

import pytest

from branchdesk.store import connection, schema
from branchdesk.store.connection import StoreError, open_database


def test_new_file_is_migrated_to_the_current_version(db_path: Path) -> None:
    db = open_database(db_path)
    assert connection.schema_version(db) == schema.SCHEMA_VERSION
    assert {"organizations", "members", "member_events", "transfers", "committee_members", "settings"} <= set(
        db.table_names())
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_reopening_keeps_data_and_runs_nothing_again(db_path: Path) -> None:
    db = open_database(db_path)
    db.conn.execute("INSERT INTO organizations (kind, name) VALUES ('committee', '某局机关党委')")
    db.conn.commit()
    db.close()
    again = open_database(db_path)
    assert again.conn.execute("SELECT name FROM organizations").fetchall() == [("某局机关党委",)]
    assert list(db_path.parent.glob("*.before-*")) == []  # nothing to migrate, so no backup
    again.close()


def test_foreign_keys_are_enforced_on_every_connection(db, sample) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("INSERT INTO members (org_id, name, gender, birth_date, standing, joined_on)"
                        " VALUES (9999, '某人', '男', '1990-01-01', 'full', '2015-01-01')")
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("DELETE FROM organizations WHERE id = ?", (sample.branch,))


def test_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    db = open_database(db_path)
    db.conn.execute("PRAGMA user_version = 99")
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="更新版本"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_garbage_and_foreign_files_are_refused_untouched(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match=r"garbage\.sqlite"):
        open_database(garbage)
    assert garbage.read_bytes() == b"not a database at all" * 100

    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(StoreError, match="不是 BranchDesk 数据库"):
        open_database(foreign)
    assert foreign.read_bytes() == before


def test_a_backup_is_taken_before_a_migration_runs(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_database(db_path)
    db.conn.execute("INSERT INTO organizations (kind, name) VALUES ('committee', '某局机关党委')")
    db.conn.commit()
    db.close()

    def add_column(database) -> None:
        database.conn.execute("ALTER TABLE organizations ADD COLUMN code TEXT")

    # A next schema version, as a later release would ship it.
    monkeypatch.setattr(connection, "MIGRATIONS", [*schema.MIGRATIONS, add_column])
    monkeypatch.setattr(connection, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    upgraded = open_database(db_path)
    assert connection.schema_version(upgraded) == schema.SCHEMA_VERSION + 1
    assert "code" in upgraded["organizations"].columns_dict
    upgraded.close()

    [backup] = db_path.parent.glob(f"*.before-v{schema.SCHEMA_VERSION + 1}-*.sqlite")
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert old.execute("SELECT name FROM organizations").fetchall() == [("某局机关党委",)]
    old.close()


def test_a_failing_migration_leaves_the_previous_version(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(db_path).close()

    def broken(database) -> None:
        database.conn.execute("ALTER TABLE organizations ADD COLUMN code TEXT")
        database.conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(connection, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(connection, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        open_database(db_path)
    check = sqlite3.connect(db_path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert "code" not in [r[1] for r in check.execute("PRAGMA table_info(organizations)")]
    check.close()


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"文件夹 .*absent 不存在"):
        open_database(tmp_path / "absent" / "branchdesk.sqlite")
    assert not (tmp_path / "absent").exists()
