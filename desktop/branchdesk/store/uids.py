"""Stable ids (`uid`): the same row has the same uid in every database it is carried to."""

from __future__ import annotations

import secrets
from typing import Any

from .database import Database
from .schema import NEW_UID_SQL, UID_TABLES


def new_uid() -> str:
    """32 lowercase hex digits (128 random bits), the form the v3 migration backfilled."""
    return secrets.token_hex(16)


def with_uid(values: dict[str, Any]) -> dict[str, Any]:
    """`values` for an INSERT, with a new uid unless they bring one."""
    return values if values.get("uid") else {**values, "uid": new_uid()}


def fill_missing(db: Database) -> int:
    """Give a uid to any row written without one (by code outside the store's insert paths);
    how many rows got one. Call it in a write transaction."""
    return sum(db.conn.execute(f"UPDATE {table} SET uid = {NEW_UID_SQL} WHERE uid IS NULL").rowcount
               for table in UID_TABLES)
