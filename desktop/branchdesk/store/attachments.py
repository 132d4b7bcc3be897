"""Files attached to records, copied into a managed folder beside the database file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .database import Database


def folder(db: Database) -> Path:
    """`<database name>-附件` beside the database file (travels with it when copied together)."""
    main = next(r[2] for r in db.conn.execute("PRAGMA database_list") if r[1] == "main")
    if not main:
        raise OSError("内存中的数据库没有存放附件的文件夹")
    path = Path(main)
    return path.with_name(f"{path.stem}-附件")


def keep(db: Database, source: Path, area: str, record_id: int) -> str:
    """Copy `source` in; the stored name, relative to the folder (`area/ID-name`).

    The copy is written beside its target and renamed over it, so a copy that fails half-way
    leaves no partial file and the file kept before under the same name intact. Keeping the
    kept file itself (the user picked it from the managed folder) changes nothing.
    """
    source = Path(source)
    prefix = f"{record_id}-"
    already = folder(db) / area / source.name
    if source.name.startswith(prefix) and already.exists() and os.path.samefile(source, already):
        return f"{area}/{source.name}"
    relative = f"{area}/{prefix}{source.name}"
    target = folder(db) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.partial")
    try:
        shutil.copy2(source, partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return relative


def resolve(db: Database, relative: str) -> Path:
    return folder(db) / relative


def discard(db: Database, relative: str) -> None:
    (folder(db) / relative).unlink(missing_ok=True)
