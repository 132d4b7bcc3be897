"""Queries over members, their events and transfers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .database import Database
from .uids import new_uid, with_uid

MEMBER_COLUMNS = (
    "id", "org_id", "group_id", "name", "name_initials", "gender", "ethnicity", "birth_date",
    "id_number", "education", "standing", "joined_on", "full_on", "probation_extension_months",
    "dues_category", "dues_base_fen", "phone", "note", "status",
)

_COLUMNS = ", ".join(f"m.{c}" for c in MEMBER_COLUMNS)


def row(db: Database, member_id: int) -> tuple | None:
    """The member's MEMBER_COLUMNS, then the names of its organization and its group (or None)."""
    return db.conn.execute(
        f"SELECT {_COLUMNS}, o.name, g.name FROM members m"
        " JOIN organizations o ON o.id = m.org_id LEFT JOIN organizations g ON g.id = m.group_id"
        " WHERE m.id = ?",
        (member_id,),
    ).fetchone()


def rows_in(db: Database, org_ids: Sequence[int]) -> list[tuple]:
    """MEMBER_COLUMNS of all members of the given organizations, by branch then name's initials.

    Without the organizations' names: 10,000 rows repeat a few hundred of them, and joining
    them in costs more than looking them up in `organization_names` (~15 ms against ~2 ms).
    """
    marks = ",".join("?" * len(org_ids))
    return db.conn.execute(
        f"SELECT {_COLUMNS} FROM members m WHERE m.org_id IN ({marks})"
        " ORDER BY m.org_id, m.name_initials, m.id",
        tuple(org_ids),
    ).fetchall()


def organization_names(db: Database) -> dict[int, str]:
    """Every organization's name by id, for the branch and group of the members in a list."""
    return dict(db.conn.execute("SELECT id, name FROM organizations").fetchall())


def belongs_to(db: Database, member_id: int, org_ids: Sequence[int]) -> bool:
    marks = ",".join("?" * len(org_ids))
    return db.conn.execute(
        f"SELECT 1 FROM members WHERE id = ? AND org_id IN ({marks})", (member_id, *org_ids)
    ).fetchone() is not None


def holder_of_id_number(db: Database, id_number: str,
                        exclude_id: int | None = None) -> str | None:
    found = db.conn.execute(
        "SELECT name FROM members WHERE id_number = ? AND id IS NOT ifnull(?, -1)",
        (id_number, exclude_id),
    ).fetchone()
    return found[0] if found else None


def id_number_holders(db: Database) -> dict[str, tuple[int, int, str]]:
    """Every recorded ID number with its holder's id, organization and name (numbers are unique)."""
    return {r[0]: (r[1], r[2], r[3]) for r in db.conn.execute(
        "SELECT id_number, id, org_id, name FROM members WHERE id_number IS NOT NULL")}


def next_id(db: Database) -> int:
    """The id the next member inserted would get: ids assigned up front let a bulk insert add the
    members' events in the same pass."""
    return db.conn.execute("SELECT ifnull(max(id), 0) + 1 FROM members").fetchone()[0]


def update_many(db: Database, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """One executemany of rows of `columns` values followed by the member's id."""
    assignments = ", ".join(f"{c} = ?" for c in columns)
    db.conn.executemany(
        f"UPDATE members SET {assignments}, updated_at = datetime('now', 'localtime') WHERE id = ?", rows)


def insert(db: Database, values: dict[str, Any]) -> int:
    return db["members"].insert(with_uid(values)).last_pk


def update(db: Database, member_id: int, values: dict[str, Any]) -> None:
    db["members"].update(member_id, {**values, "updated_at": _now(db)})


def delete(db: Database, member_id: int) -> None:
    db.conn.execute("DELETE FROM members WHERE id = ?", (member_id,))


def committee_seat_count(db: Database, member_id: int) -> int:
    return db.conn.execute(
        "SELECT count(*) FROM committee_members WHERE member_id = ?", (member_id,)
    ).fetchone()[0]


def add_event(db: Database, member_id: int, on_date: str, kind: str,
              detail: str = "") -> None:
    db.conn.execute(
        "INSERT INTO member_events (member_id, on_date, kind, detail, uid) VALUES (?, ?, ?, ?, ?)",
        (member_id, on_date, kind, detail, new_uid()),
    )


def events(db: Database, member_id: int) -> list[tuple]:
    return db.conn.execute(
        "SELECT on_date, kind, detail, recorded_at FROM member_events WHERE member_id = ?"
        " ORDER BY on_date, id",
        (member_id,),
    ).fetchall()


def add_transfer(db: Database, values: dict[str, Any]) -> int:
    return db["transfers"].insert(with_uid(values)).last_pk


def _now(db: Database) -> str:
    return db.conn.execute("SELECT datetime('now', 'localtime')").fetchone()[0]
