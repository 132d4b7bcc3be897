"""Opening the database: pragmas on every connection, then any pending migrations."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from .database import Database
from .schema import MIGRATIONS, SCHEMA_VERSION


class StoreError(Exception):
    """A database that cannot be used; the message is Chinese and names the file."""


def connect(path: str | Path) -> Database:
    """A connection with the pragmas every connection needs (foreign keys are off by default)."""
    db = Database(sqlite3.connect(str(path)))
    db.conn.execute("PRAGMA foreign_keys = ON")
    db.conn.execute("PRAGMA busy_timeout = 5000")
    db.conn.execute("PRAGMA synchronous = NORMAL")  # safe under WAL: commits survive a crash
    return db


def schema_version(db: Database) -> int:
    return db.conn.execute("PRAGMA user_version").fetchone()[0]


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) and migrate the database at `path`.

    An existing database is copied beside itself before any migration runs, and one written by
    a newer BranchDesk is refused rather than opened.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise StoreError(f"无法打开数据库文件 {path}：文件夹 {path.parent} 不存在")
    try:
        db = connect(path)
        version = schema_version(db)
        foreign = version == 0 and bool(db.table_names())
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"无法打开数据库文件 {path}：文件已损坏或不是 BranchDesk 数据库（{exc}）") from exc
    # Refuse before anything (even the journal mode) is written to a file that is not ours.
    if foreign:
        db.close()
        raise StoreError(f"文件 {path} 是其他程序的 SQLite 数据库，不是 BranchDesk 数据库，未作任何修改")
    if version > SCHEMA_VERSION:
        db.close()
        raise StoreError(
            f"数据库文件 {path} 由更新版本的 BranchDesk 创建（结构版本 {version}，"
            f"本程序支持 {SCHEMA_VERSION}），请升级程序后再打开"
        )
    mode = db.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        db.close()
        raise StoreError(f"无法以 WAL 模式打开数据库文件 {path}（当前为 {mode}）")
    if version < SCHEMA_VERSION:
        if version > 0:
            backup_copy(db, path.with_name(f"{path.stem}.before-v{SCHEMA_VERSION}"
                                           f"-{dt.datetime.now():%Y%m%d-%H%M%S}{path.suffix}"))
        migrate(db, version)
    return db


def open_read_only(path: str | Path) -> Database:
    """Open `path` for reading only (SQLite mode=ro), while another BranchDesk has it open for
    writing: nothing is migrated or written, and `Database.atomic()` refuses every write."""
    path = Path(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        db = Database(conn, read_only=True)
        db.conn.execute("PRAGMA foreign_keys = ON")
        db.conn.execute("PRAGMA busy_timeout = 5000")
        version = schema_version(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"无法以只读方式打开数据库文件 {path}：{exc}") from exc
    if version != SCHEMA_VERSION:
        db.close()
        raise StoreError(f"数据库文件 {path} 的结构版本为 {version}，本程序需要 {SCHEMA_VERSION}；"
                         "只读方式不能升级，请关闭另一个窗口后再打开")
    return db


def migrate(db: Database, current: int) -> None:
    """Apply each pending migration in its own transaction, bumping user_version with it."""
    for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
        with db.atomic():
            step(db)
            db.conn.execute(f"PRAGMA user_version = {number}")


def backup_copy(db: Database, target: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe while the app runs)."""
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    return target


def connect_for_reading(path: str | Path) -> Database:
    """A connection that only reads (no migration, no pragma written), for checking a file.

    Not opened with mode=ro: a read-only connection cannot remove the WAL files on close.
    """
    try:
        conn = sqlite3.connect(str(path))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"无法读取数据库文件 {path}：文件已损坏或不是 SQLite 数据库（{exc}）") from exc
    return Database(conn)


def integrity_problems(db: Database) -> list[str]:
    """What PRAGMA integrity_check and foreign_key_check find, as Chinese lines."""
    try:
        found = [r[0] for r in db.conn.execute("PRAGMA integrity_check")]
        problems = [] if found == ["ok"] else [f"完整性检查：{line}" for line in found]
        problems += [f"外键检查：表 {t} 第 {rowid} 行引用的 {parent} 不存在"
                     for t, rowid, parent, _ in db.conn.execute("PRAGMA foreign_key_check")]
    except sqlite3.DatabaseError as exc:
        problems = [f"完整性检查失败：{exc}"]
    return problems
