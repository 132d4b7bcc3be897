"""Queries over commendations, evaluations and study output."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .database import Database
from .uids import new_uid, with_uid

# A commendation with its recipient's name and the branch it belongs to (a member's branch, or
# the organization itself).
COMMENDATION_SQL = (
    "SELECT c.id, c.member_id, c.org_id, c.title, c.title_text, c.level, c.year, c.issuer,"
    " c.document_no, c.awarded_on, c.attachment, c.note, coalesce(m.name, o.name),"
    " coalesce(mo.name, o.name), coalesce(m.org_id, o.id)"
    " FROM commendations c LEFT JOIN members m ON m.id = c.member_id"
    " LEFT JOIN organizations mo ON mo.id = m.org_id"
    " LEFT JOIN organizations o ON o.id = c.org_id"
)
_LEVEL_ORDER = ("CASE c.level WHEN 'national' THEN 0 WHEN 'provincial' THEN 1 WHEN 'city' THEN 2"
                " WHEN 'organs_working_committee' THEN 3 WHEN 'party_committee' THEN 4 ELSE 5 END")


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def commendations_in(db: Database, org_ids: Sequence[int]) -> list[tuple]:
    """Commendations of members of, and of, the given organizations: latest year, highest level first."""
    marks = _marks(org_ids)
    return db.conn.execute(
        COMMENDATION_SQL + f" WHERE m.org_id IN ({marks}) OR c.org_id IN ({marks})"
        f" ORDER BY c.year DESC, {_LEVEL_ORDER}, c.title, c.id",
        (*org_ids, *org_ids),
    ).fetchall()


def commendation(db: Database, commendation_id: int) -> tuple | None:
    return db.conn.execute(COMMENDATION_SQL + " WHERE c.id = ?", (commendation_id,)).fetchone()


def commendations_of_member(db: Database, member_id: int) -> list[tuple]:
    return db.conn.execute(
        COMMENDATION_SQL + f" WHERE c.member_id = ? ORDER BY c.year DESC, {_LEVEL_ORDER}, c.title, c.id",
        (member_id,)
    ).fetchall()


def commendations_of_org(db: Database, org_id: int) -> list[tuple]:
    return db.conn.execute(
        COMMENDATION_SQL + f" WHERE c.org_id = ? ORDER BY c.year DESC, {_LEVEL_ORDER}, c.title, c.id", (org_id,)
    ).fetchall()


def insert(db: Database, table: str, values: dict[str, Any]) -> int:
    return db[table].insert(with_uid(values)).last_pk


def update(db: Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    db[table].update(row_id, values)


def delete(db: Database, table: str, row_id: int) -> bool:
    return db.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,)).rowcount > 0


def ratings_in(db: Database, org_ids: Sequence[int], year: int) -> dict[int, tuple[str, str]]:
    """member id → (rating, note) for `year`, for members of the given organizations (those who
    have left since included)."""
    # CROSS JOIN keeps members as the outer loop: a branch's few members, each looked up in the
    # (member_id, year) index, rather than every rating of the year (30× slower at 10,000 members).
    return {r[0]: (r[1], r[2]) for r in db.conn.execute(
        f"SELECT e.member_id, e.rating, e.note FROM members m CROSS JOIN evaluations e ON e.member_id = m.id"
        f" WHERE m.org_id IN ({_marks(org_ids)}) AND e.year = ?",
        (*org_ids, year),
    )}


def rating_counts_by_org(db: Database, year: int) -> list[tuple[int, str, int]]:
    """(organization id, rating, how many) for `year`, by the rated members' organizations."""
    return db.conn.execute(
        "SELECT m.org_id, e.rating, count(*) FROM evaluations e JOIN members m ON m.id = e.member_id"
        " WHERE e.year = ? GROUP BY m.org_id, e.rating",
        (year,),
    ).fetchall()


def set_rating(db: Database, member_id: int, year: int, rating: str, note: str) -> None:
    db.conn.execute(
        "INSERT INTO evaluations (member_id, year, rating, note, uid) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (member_id, year) DO UPDATE SET rating = excluded.rating, note = excluded.note",
        (member_id, year, rating, note, new_uid()),
    )


def clear_rating(db: Database, member_id: int, year: int) -> None:
    db.conn.execute("DELETE FROM evaluations WHERE member_id = ? AND year = ?", (member_id, year))


STUDY_OUTPUT_SQL = (
    "SELECT s.id, s.member_id, m.name, o.name, s.kind, s.title, s.written_on, s.published_in,"
    " s.award, s.note FROM study_outputs s JOIN members m ON m.id = s.member_id"
    " JOIN organizations o ON o.id = m.org_id"
)


def study_outputs_in(db: Database, org_ids: Sequence[int]) -> list[tuple]:
    return db.conn.execute(
        STUDY_OUTPUT_SQL + f" WHERE m.org_id IN ({_marks(org_ids)}) ORDER BY s.written_on DESC, s.id",
        tuple(org_ids),
    ).fetchall()


def study_output(db: Database, output_id: int) -> tuple | None:
    return db.conn.execute(STUDY_OUTPUT_SQL + " WHERE s.id = ?", (output_id,)).fetchone()
