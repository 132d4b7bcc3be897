"""Backup files on disk: writing a verified copy, finding the copies of a database, putting one back.

A backup of `<folder>/branchdesk.sqlite` is `<backup folder>/branchdesk-YYYYMMDD-HHMMSS.sqlite`
(`-2`, `-3`… after the time when two are taken in one second). Every file is written under a
temporary name, checked with `integrity_check`, and only then given its real name, so a name in
the folder always means a good copy.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .connection import SCHEMA_VERSION, StoreError, backup_copy, connect_for_reading, integrity_problems, schema_version
from .database import Database

SUFFIX = ".sqlite"
PARTIAL = ".partial"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: dt.datetime


def backup_name(db_path: Path, when: dt.datetime, serial: int = 1) -> str:
    extra = f"-{serial}" if serial > 1 else ""
    return f"{db_path.stem}-{when:%Y%m%d-%H%M%S}{extra}{SUFFIX}"


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(db_path.stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?{re.escape(SUFFIX)}$")


def backup_files(db_path: Path, folder: Path) -> list[BackupFile]:
    """The backups of `db_path` in `folder`, newest first (by the time in their names)."""
    if not folder.is_dir():
        return []
    pattern = _pattern(db_path)
    found: list[tuple[dt.datetime, int, Path]] = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            when = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append((when, int(match.group(2) or 1), entry))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [BackupFile(path, when) for when, _serial, path in found]


def free_name(db_path: Path, folder: Path, when: dt.datetime) -> Path:
    serial = 1
    while (folder / backup_name(db_path, when, serial)).exists():
        serial += 1
    return folder / backup_name(db_path, when, serial)


def file_problems(path: Path) -> list[str]:
    """Why the file at `path` is not a usable BranchDesk database (empty when it is one)."""
    if not path.is_file():
        return [f"找不到文件 {path}"]
    try:
        db = connect_for_reading(path)
    except StoreError as exc:
        return [str(exc)]
    try:
        problems = integrity_problems(db)
        if problems:
            return problems
        try:
            version = schema_version(db)
        except sqlite3.DatabaseError as exc:
            return [f"无法读取结构版本：{exc}"]
        if version == 0:
            return ["不是 BranchDesk 数据库（没有结构版本）"]
        if version > SCHEMA_VERSION:
            return [f"由更新版本的 BranchDesk 创建（结构版本 {version}，本程序支持 {SCHEMA_VERSION}）"]
        return []
    finally:
        db.close()


def quick_problems(db: Database) -> list[str]:
    """`PRAGMA quick_check` on an open database: catches a truncated or overwritten file that
    still opens (much faster than integrity_check; it skips index contents)."""
    try:
        found = [r[0] for r in db.conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        return [f"完整性检查失败：{exc}"]
    return [] if found == ["ok"] else [f"完整性检查：{line}" for line in found]


def _sync(path: Path) -> None:
    """Flush the file to the disk (a USB stick pulled right after a backup keeps it)."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def write_verified(source: Database, target: Path) -> Path:
    """Copy `source` to `target` through the online backup API, under a temporary name first;
    the copy is checked and renamed only when it is good. A bad copy is deleted and StoreError
    raised. An existing `target` is replaced only by a good copy."""
    temp = target.with_name(target.name + PARTIAL)
    temp.unlink(missing_ok=True)
    try:
        backup_copy(source, temp)
        problems = file_problems(temp)
        if problems:
            raise StoreError(f"备份文件 {target} 写入后检查未通过，已删除：{'；'.join(problems)}")
        _sync(temp)
        os.replace(temp, target)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"无法写入备份文件 {target}：{exc}") from exc
    finally:
        temp.unlink(missing_ok=True)
    return target


def copy_file(source: Path, target: Path) -> Path:
    """A verified copy of the database file `source` at `target` (see write_verified)."""
    db = connect_for_reading(source)
    try:
        return write_verified(db, target)
    finally:
        db.close()


def replace_database(source: Path, db_path: Path) -> None:
    """Put a verified copy of `source` in place of `db_path`. No connection to `db_path` may be
    open: its leftover -wal/-shm files are removed so SQLite cannot replay them onto the new file."""
    temp = db_path.with_name(db_path.name + ".restoring")
    copy_file(source, temp)
    try:
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{extra}").unlink(missing_ok=True)
        os.replace(temp, db_path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"无法用备份替换数据库文件 {db_path}：{exc}") from exc


def move_aside(db_path: Path, when: dt.datetime) -> Path:
    """Rename a damaged database (and its -wal/-shm) to `<name>.damaged-TIMESTAMP`; never deleted."""
    target = db_path.with_name(f"{db_path.name}.damaged-{when:%Y%m%d-%H%M%S}")
    serial = 1
    while target.exists():
        serial += 1
        target = db_path.with_name(f"{db_path.name}.damaged-{when:%Y%m%d-%H%M%S}-{serial}")
    try:
        os.replace(db_path, target)
        for extra in ("-wal", "-shm", "-journal"):
            side = Path(f"{db_path}{extra}")
            if side.exists():
                os.replace(side, Path(f"{target}{extra}"))
    except OSError as exc:
        raise StoreError(f"无法把损坏的数据库文件 {db_path} 改名保存：{exc}") from exc
    return target
