"""Queries over organizations and committee seats."""

from __future__ import annotations

from typing import Any

from .database import Database
from .uids import with_uid

ORG_COLUMNS = "id, parent_id, kind, name, established_on, contact, phone, note, sort_order"


def all_rows(db: Database) -> list[tuple]:
    return db.conn.execute(
        f"SELECT {ORG_COLUMNS} FROM organizations ORDER BY sort_order, id"
    ).fetchall()


def row(db: Database, org_id: int) -> tuple | None:
    return db.conn.execute(
        f"SELECT {ORG_COLUMNS} FROM organizations WHERE id = ?", (org_id,)
    ).fetchone()


def rows_named(db: Database, name: str) -> list[tuple]:
    return db.conn.execute(
        f"SELECT {ORG_COLUMNS} FROM organizations WHERE name = ?", (name,)
    ).fetchall()


def sibling_named(db: Database, parent_id: int | None, name: str,
                  exclude_id: int | None = None) -> bool:
    return db.conn.execute(
        "SELECT 1 FROM organizations WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND name = ?"
        " AND id IS NOT ifnull(?, -1)",
        (parent_id, name, exclude_id),
    ).fetchone() is not None


def subtree_ids(db: Database, org_id: int) -> list[int]:
    return [r[0] for r in db.conn.execute(
        """WITH RECURSIVE sub(id) AS (
               SELECT ? UNION ALL SELECT o.id FROM organizations o JOIN sub ON o.parent_id = sub.id)
           SELECT id FROM sub""",
        (org_id,),
    )]


def insert(db: Database, values: dict[str, Any]) -> int:
    return db["organizations"].insert(with_uid(values)).last_pk


def update(db: Database, org_id: int, values: dict[str, Any]) -> None:
    db["organizations"].update(org_id, values)


def delete(db: Database, org_id: int) -> None:
    db.conn.execute("DELETE FROM organizations WHERE id = ?", (org_id,))


def child_count(db: Database, org_id: int) -> int:
    return db.conn.execute(
        "SELECT count(*) FROM organizations WHERE parent_id = ?", (org_id,)
    ).fetchone()[0]


def activity_count(db: Database, org_id: int) -> int:
    """Meetings and study sessions held by the organization (a group's are its branch's)."""
    return db.conn.execute("SELECT count(*) FROM activities WHERE org_id = ?", (org_id,)).fetchone()[0]


def member_count(db: Database, org_id: int) -> int:
    return db.conn.execute(
        "SELECT count(*) FROM members WHERE org_id = ? OR group_id = ?", (org_id, org_id)
    ).fetchone()[0]


# Statuses that keep a member on the roll (domain.members.Status.active).
_ON_ROLL = "status IN ('normal', 'mobile', 'lost')"


def member_counts(db: Database) -> dict[int, int]:
    """Members on the roll directly in each organization."""
    return dict(db.conn.execute(
        f"SELECT org_id, count(*) FROM members WHERE {_ON_ROLL} GROUP BY org_id"
    ).fetchall())


def group_member_counts(db: Database) -> dict[int, int]:
    """Members on the roll sorted into each 党小组."""
    return dict(db.conn.execute(
        f"SELECT group_id, count(*) FROM members WHERE group_id IS NOT NULL AND {_ON_ROLL} GROUP BY group_id"
    ).fetchall())


SEAT_COLUMNS = ("c.id, c.org_id, c.member_id, m.name, c.role, c.term_start, c.term_end, c.note")


def seats(db: Database, org_id: int) -> list[tuple]:
    return db.conn.execute(
        f"SELECT {SEAT_COLUMNS} FROM committee_members c JOIN members m ON m.id = c.member_id"
        " WHERE c.org_id = ? ORDER BY c.term_end DESC, CASE c.role"
        " WHEN 'secretary' THEN 0 WHEN 'deputy_secretary' THEN 1 WHEN 'organization' THEN 2"
        " WHEN 'propaganda' THEN 3 WHEN 'discipline' THEN 4 ELSE 5 END, c.id",
        (org_id,),
    ).fetchall()


def seat(db: Database, seat_id: int) -> tuple | None:
    return db.conn.execute(
        f"SELECT {SEAT_COLUMNS} FROM committee_members c JOIN members m ON m.id = c.member_id"
        " WHERE c.id = ?",
        (seat_id,),
    ).fetchone()


def all_seats(db: Database) -> list[tuple]:
    return db.conn.execute(
        f"SELECT {SEAT_COLUMNS} FROM committee_members c JOIN members m ON m.id = c.member_id"
        " ORDER BY c.term_end"
    ).fetchall()


def overlapping_role(db: Database, org_id: int, role: str, start: str, end: str,
                     exclude_id: int | None) -> str | None:
    """The name of another holder of `role` in `org_id` whose term overlaps [start, end]."""
    found = db.conn.execute(
        "SELECT m.name FROM committee_members c JOIN members m ON m.id = c.member_id"
        " WHERE c.org_id = ? AND c.role = ? AND c.term_start <= ? AND c.term_end >= ?"
        " AND c.id IS NOT ifnull(?, -1)",
        (org_id, role, end, start, exclude_id),
    ).fetchone()
    return found[0] if found else None


def insert_seat(db: Database, values: dict[str, Any]) -> int:
    return db["committee_members"].insert(with_uid(values)).last_pk


def update_seat(db: Database, seat_id: int, values: dict[str, Any]) -> None:
    db["committee_members"].update(seat_id, values)


def delete_seat(db: Database, seat_id: int) -> None:
    db.conn.execute("DELETE FROM committee_members WHERE id = ?", (seat_id,))
