"""What the command-line modules share."""

from __future__ import annotations

import sys
from pathlib import Path

from .store.database import Database


def open_existing(path: Path) -> Database | None:
    """The database a command works on; None, with the reason on stderr, when it is missing or
    unusable (a command that reads a database never creates one by mistake)."""
    from .store.connection import StoreError, open_database

    if not path.is_file():
        print(f"找不到数据库文件 {path}", file=sys.stderr)
        return None
    try:
        return open_database(path)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return None
