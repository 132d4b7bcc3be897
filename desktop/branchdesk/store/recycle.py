"""Queries over the recycle bin and the audit log (schema v4), and the row copying a bin needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .database import Database


def columns(db: Database, table: str) -> list[str]:
    return [r[1] for r in db.conn.execute(f"PRAGMA table_info([{table}])")]


def foreign_keys(db: Database, table: str) -> list[tuple[str, str, str]]:
    """(column, parent table, ON DELETE action) of each foreign key of `table`."""
    return [(r[3], r[2], r[6]) for r in db.conn.execute(f"PRAGMA foreign_key_list([{table}])")]


def rows_where(db: Database, table: str, column: str, values: Sequence[Any]) -> list[dict[str, Any]]:
    """Every column of the rows of `table` whose `column` is one of `values`, by id."""
    if not values:
        return []
    names = columns(db, table)
    marks = ",".join("?" * len(values))
    found = db.conn.execute(
        f"SELECT {', '.join(names)} FROM [{table}] WHERE [{column}] IN ({marks}) ORDER BY id", tuple(values))
    return [dict(zip(names, r, strict=True)) for r in found]


def exists(db: Database, table: str, column: str, value: Any) -> bool:
    return db.conn.execute(f"SELECT 1 FROM [{table}] WHERE [{column}] = ?", (value,)).fetchone() is not None


def uid_of(db: Database, table: str, row_id: int) -> str | None:
    found = db.conn.execute(f"SELECT uid FROM [{table}] WHERE id = ?", (row_id,)).fetchone()
    return found[0] if found else None


def delete_rows(db: Database, table: str, ids: Sequence[int]) -> None:
    marks = ",".join("?" * len(ids))
    db.conn.execute(f"DELETE FROM [{table}] WHERE id IN ({marks})", tuple(ids))


def insert_row(db: Database, table: str, row: dict[str, Any]) -> None:
    names = list(row)
    db.conn.execute(f"INSERT INTO [{table}] ({', '.join(names)}) VALUES ({','.join('?' * len(names))})",
                    tuple(row.values()))


def next_id(db: Database, table: str) -> int:
    return db.conn.execute(f"SELECT ifnull(max(id), 0) + 1 FROM [{table}]").fetchone()[0]


BIN_COLUMNS = "id, deleted_at, os_user, kind, record_uid, label, payload"


def add_entry(db: Database, os_user: str, kind: str, record_uid: str, label: str, payload: str) -> int:
    return db.conn.execute(
        "INSERT INTO recycle_bin (os_user, kind, record_uid, label, payload) VALUES (?, ?, ?, ?, ?)",
        (os_user, kind, record_uid, label, payload)).lastrowid


def entries(db: Database) -> list[tuple]:
    return db.conn.execute(f"SELECT {BIN_COLUMNS} FROM recycle_bin ORDER BY deleted_at DESC, id DESC").fetchall()


def entry(db: Database, entry_id: int) -> tuple | None:
    return db.conn.execute(f"SELECT {BIN_COLUMNS} FROM recycle_bin WHERE id = ?", (entry_id,)).fetchone()


def remove_entry(db: Database, entry_id: int) -> None:
    db.conn.execute("DELETE FROM recycle_bin WHERE id = ?", (entry_id,))


LOG_COLUMNS = "id, at, os_user, action, table_name, record_uid, label, fields"


def add_log(db: Database, os_user: str, action: str, table: str, record_uid: str | None,
            label: str, fields: str) -> None:
    db.conn.execute(
        "INSERT INTO audit_log (os_user, action, table_name, record_uid, label, fields)"
        " VALUES (?, ?, ?, ?, ?, ?)", (os_user, action, table, record_uid, label, fields))


def log(db: Database, first: str | None, last: str | None, action: str | None, limit: int | None) -> list[tuple]:
    """Audit entries, latest first: `at` from day `first` to day `last` (ISO dates, inclusive)."""
    where, args = [], []
    if first:
        where.append("at >= ?")
        args.append(first)
    if last:
        where.append("at < date(?, '+1 day')")
        args.append(last)
    if action:
        where.append("action = ?")
        args.append(action)
    sql = f"SELECT {LOG_COLUMNS} FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at DESC, id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return db.conn.execute(sql, tuple(args)).fetchall()


def log_actions(db: Database) -> list[str]:
    return [r[0] for r in db.conn.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]
