"""Backups (design.md §9): now, on exit and once a day, keeping the last N; listing; restore.

Where and how many come from two settings kept in the database: `backup_folder` (blank: a
`备份` folder beside the database) and `backup_keep` (default 30).

Restore contract: `restore()` works on files only. The caller closes every connection it holds to
the database first and opens it again afterwards (open_database also migrates a backup taken by
an older version). The current file is backed up (or, when damaged, renamed aside) before it is
replaced, so a restore can itself be undone from the list.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..store import backup as files
from ..store import settings as q
from ..store.connection import StoreError, connect_for_reading
from ..store.database import Database
from .check import COUNTED_TABLES
from .errors import ServiceError

FOLDER = "backup_folder"
KEEP = "backup_keep"
DEFAULT_KEEP = 30
MAX_KEEP = 999
DEFAULT_FOLDER_NAME = "备份"
DAILY = dt.timedelta(days=1)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    size: int
    counts: dict[str, int] = field(default_factory=dict)  # empty when the file cannot be read


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous: Path | None  # the backup of the replaced database, or where a damaged one was moved
    previous_damaged: bool


# Settings


def default_folder(db_path: Path) -> Path:
    return Path(db_path).parent / DEFAULT_FOLDER_NAME


def folder(db: Database, db_path: Path) -> Path:
    """The backup folder: the setting, else `备份` beside the database."""
    chosen = (q.value(db, FOLDER) or "").strip()
    return Path(chosen) if chosen else default_folder(db_path)


def keep(db: Database) -> int:
    text = (q.value(db, KEEP) or "").strip()
    try:
        number = int(text)
    except ValueError:
        return DEFAULT_KEEP
    return number if 1 <= number <= MAX_KEEP else DEFAULT_KEEP


def save_settings(db: Database, backup_folder: Path | str | None, keep_last: int) -> None:
    """Save the folder (None or blank: the default beside the database) and how many to keep."""
    if not 1 <= keep_last <= MAX_KEEP:
        raise ServiceError(f"保留的备份份数须在 1 到 {MAX_KEEP} 之间")
    text = str(backup_folder).strip() if backup_folder else ""
    if text and not Path(text).is_absolute():
        raise ServiceError(f"备份文件夹须是完整路径：{text}")
    with db.atomic():
        q.put(db, FOLDER, text)
        q.put(db, KEEP, str(keep_last))


# Taking backups


def _ensure_folder(target: Path) -> None:
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServiceError(f"无法创建备份文件夹 {target}：{exc}（U 盘或网络盘是否已连接？）") from exc


def backup_now(db: Database, db_path: Path, now: dt.datetime | None = None) -> Path:
    """Back up to the backup folder, verified, then keep only the newest `backup_keep`; the new file."""
    db_path = Path(db_path)
    target_folder = folder(db, db_path)
    _ensure_folder(target_folder)
    when = now or dt.datetime.now()
    try:
        written = files.write_verified(db, files.free_name(db_path, target_folder, when))
    except StoreError as exc:
        raise ServiceError(str(exc)) from exc
    prune(db_path, target_folder, keep(db))
    return written


def backup_to(db: Database, out: Path) -> Path:
    """A verified backup at exactly `out` (an existing file there is replaced only by a good copy)."""
    out = Path(out)
    _ensure_folder(out.parent)
    try:
        return files.write_verified(db, out)
    except StoreError as exc:
        raise ServiceError(str(exc)) from exc


def prune(db_path: Path, backup_folder: Path, keep_last: int) -> list[Path]:
    """Delete all but the newest `keep_last` backups of `db_path`; the files deleted."""
    removed = []
    for old in files.backup_files(Path(db_path), backup_folder)[keep_last:]:
        try:
            old.path.unlink()
        except OSError:
            continue  # read-only or in use: tried again after the next backup
        removed.append(old.path)
    return removed


def latest_backup(db_path: Path, backup_folder: Path | None = None) -> Path | None:
    """The newest backup of `db_path` (in `backup_folder`, by default the one beside it)."""
    found = files.backup_files(Path(db_path), backup_folder or default_folder(Path(db_path)))
    return found[0].path if found else None


def backup_due(db_path: Path, backup_folder: Path, now: dt.datetime | None = None) -> bool:
    """True when there is no backup, or the newest is a day old or older (the daily backup)."""
    found = files.backup_files(Path(db_path), backup_folder)
    return not found or (now or dt.datetime.now()) - found[0].taken_at >= DAILY


def changed_since_backup(db_path: Path, backup_folder: Path) -> bool:
    """Whether the database file (or its WAL) was written after the newest backup was started;
    an exit with nothing changed needs no new backup (keeping more days within the last N)."""
    found = files.backup_files(Path(db_path), backup_folder)
    if not found:
        return True
    stamps = [p.stat().st_mtime for p in (Path(db_path), Path(f"{db_path}-wal")) if p.exists()]
    written = dt.datetime.fromtimestamp(max(stamps)) if stamps else dt.datetime.max
    return written >= found[0].taken_at


def list_backups(db_path: Path, backup_folder: Path) -> list[BackupInfo]:
    """The backups of `db_path`, newest first, with file size and record counts."""
    listed = []
    for found in files.backup_files(Path(db_path), backup_folder):
        try:
            size = found.path.stat().st_size
        except OSError:
            continue
        listed.append(BackupInfo(found.path, found.taken_at, size, counts(found.path)))
    return listed


def counts(path: Path) -> dict[str, int]:
    """Record counts of the file at `path` (the keys of `check`); empty when it cannot be read."""
    try:
        db = connect_for_reading(path)
    except StoreError:
        return {}
    try:
        tables = set(db.table_names())
        return {key: (db.count(table) if table in tables else 0) for key, table in COUNTED_TABLES.items()}
    except sqlite3.DatabaseError:
        return {}
    finally:
        db.close()


# Restoring


def verify(path: Path) -> None:
    """ServiceError naming the file when it is not a good BranchDesk database."""
    problems = files.file_problems(Path(path))
    if problems:
        raise ServiceError(f"备份文件 {path} 不能用于恢复：{'；'.join(problems)}")


def restore(backup: Path, db_path: Path, backup_folder: Path | None = None,
            now: dt.datetime | None = None) -> RestoreResult:
    """Replace the database at `db_path` with a verified copy of `backup`.

    The caller must have closed its connections to `db_path` and reopens it afterwards. The
    current file is first backed up to `backup_folder` (default: beside it); when it is damaged
    and cannot be backed up, it is renamed to `<name>.damaged-TIMESTAMP` instead. Nothing is
    touched when `backup` fails its check.
    """
    backup, db_path = Path(backup), Path(db_path)
    verify(backup)
    when = now or dt.datetime.now()
    target_folder = backup_folder or default_folder(db_path)
    previous: Path | None = None
    damaged = False
    try:
        if db_path.exists():
            if files.file_problems(db_path):
                previous, damaged = files.move_aside(db_path, when), True
            else:
                _ensure_folder(target_folder)
                previous = files.copy_file(db_path, files.free_name(db_path, target_folder, when))
        files.replace_database(backup, db_path)
    except StoreError as exc:
        raise ServiceError(str(exc)) from exc
    return RestoreResult(backup, previous, damaged)


def damaged(db_path: Path) -> bool:
    """Whether an existing file at `db_path` is damaged (not merely missing, foreign or newer)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        return False
    problems = files.file_problems(db_path)
    return bool(problems) and not any(p.startswith(("不是 BranchDesk", "由更新版本")) for p in problems)


def configured_folder(db_path: Path) -> Path:
    """The backup folder set in the database file at `db_path`, read without opening it for
    writing; the default folder when the file is missing, damaged or has no setting."""
    db_path = Path(db_path)
    if db_path.is_file():
        try:
            db = connect_for_reading(db_path)
        except StoreError:
            return default_folder(db_path)
        try:
            return folder(db, db_path)
        except sqlite3.DatabaseError:
            pass
        finally:
            db.close()
    return default_folder(db_path)
