"""Settings that belong to the data (design.md §7): the `settings` table of key → text."""

from __future__ import annotations

from .database import Database

# The start-up password and idle lock belong to this copy of the data on this PC: a handover
# package neither carries nor installs them.
NOT_HANDED_OVER = ("startup_password", "idle_lock_minutes")


def value(db: Database, key: str) -> str | None:
    found = db.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if found is None else found[0]


def put(db: Database, key: str, value: str) -> None:
    db.conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
