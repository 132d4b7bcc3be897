"""Files attached to records, copied into a managed folder beside the database file."""

from __future__ import annotations

import shutil
from pathlib import Path

from .database import Database


def folder(db: Database) -> Path:
    """`<database name>-附件` beside the database file (travels with it when copied together)."""
    main = next(r[2] for r in db.conn.execute("PRAGMA database_list") if r[1] == "main")
    path = Path(main)
    return path.with_name(f"{path.stem}-附件")


def keep(db: Database, source: Path, area: str, record_id: int) -> str:
    """Copy `source` in; the stored name, relative to the folder (`area/ID-name`)."""
    relative = f"{area}/{record_id}-{source.name}"
    target = folder(db) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return relative


def resolve(db: Database, relative: str) -> Path:
    return folder(db) / relative


def discard(db: Database, relative: str) -> None:
    (folder(db) / relative).unlink(missing_ok=True)
