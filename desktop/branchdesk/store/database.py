"""The handle every layer passes around: one SQLite connection to a BranchDesk file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


class Database:
    """Reads go straight to `conn`; writes and transactions go through sqlite-utils.

    sqlite-utils takes ~85 ms to import (click, dateutil, pluggy), a third of the app's start-up,
    so it is loaded on the first write rather than when the window opens (design.md §8).
    """

    def __init__(self, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.conn = conn
        # Opened with mode=ro while another BranchDesk holds the file: atomic() refuses every write.
        self.read_only = read_only

    @cached_property
    def utils(self) -> sqlite_utils.Database:
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction (a savepoint when nested): all of the block's writes or none."""
        if self.read_only:
            from ..services.errors import ReadOnlyError  # a ServiceError: the UI shows it as a refusal

            raise ReadOnlyError()
        with self.utils.atomic():
            yield self

    @contextmanager
    def snapshot(self) -> Iterator[Database]:
        """Several reads that see one state of the file: a read transaction, no write allowed."""
        if self.conn.in_transaction:
            yield self
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        finally:
            self.conn.execute("ROLLBACK")

    def __getitem__(self, table: str) -> sqlite_utils.db.Table:
        return self.utils.table(table)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def count(self, table: str) -> int:
        return self.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]

    def close(self) -> None:
        self.conn.close()
