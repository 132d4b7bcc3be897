"""Queries for the Home page's alerts that no other area's store answers cheaply."""

from __future__ import annotations

from collections.abc import Sequence

from .database import Database


def joined_in_month(db: Database, org_ids: Sequence[int], statuses: Sequence[str], month: int,
                    before_year: int) -> list[tuple[int, str, int, str]]:
    """(id, name, org_id, joined_on) of the members of `org_ids` with one of `statuses` who joined
    the Party in calendar month `month` of a year before `before_year` (政治生日)."""
    orgs = ",".join("?" * len(org_ids))
    marks = ",".join("?" * len(statuses))
    return db.conn.execute(
        f"SELECT id, name, org_id, joined_on FROM members WHERE org_id IN ({orgs}) AND status IN ({marks})"
        " AND substr(joined_on, 6, 2) = ? AND joined_on < ?",
        (*org_ids, *statuses, f"{month:02d}", f"{before_year:04d}-01-01"),
    ).fetchall()
