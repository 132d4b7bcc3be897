"""Rows of an organization's subtree as they travel in a handover package (services.handover)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .database import Database
from .organizations import subtree_ids

# The tables a package carries, parents first, each with its references: column → table referred to.
# In a package a reference travels as the uid of the row referred to (`org_id` → `org_uid`).
TABLES: dict[str, dict[str, str]] = {
    "organizations": {"parent_id": "organizations"},
    "members": {"org_id": "organizations", "group_id": "organizations"},
    "member_events": {"member_id": "members"},
    "transfers": {"member_id": "members"},
    "committee_members": {"org_id": "organizations", "member_id": "members"},
    "commendations": {"member_id": "members", "org_id": "organizations"},
    "evaluations": {"member_id": "members"},
    "study_outputs": {"member_id": "members"},
    "activities": {"org_id": "organizations", "group_id": "organizations"},
    "attendance": {"activity_id": "activities", "member_id": "members"},
    "activity_attachments": {"activity_id": "activities"},
    "dues_bases": {"member_id": "members"},
    "dues_payments": {"member_id": "members"},
    "dues_months": {"member_id": "members", "payment_id": "dues_payments"},
    "dues_remittances": {"org_id": "organizations"},
}


def columns(db: Database, table: str) -> list[str]:
    """The table's columns but `id` (local to each database)."""
    return [r[1] for r in db.conn.execute(f"PRAGMA table_info({table})") if r[1] != "id"]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def subtree_rows(db: Database, org_id: int) -> dict[str, tuple[list[str], list[tuple]]]:
    """table → (columns with `id` first, rows) of `org_id`, its descendants and what belongs to them.

    Organizations come parents first; members are those of the subtree's organizations; the rest
    are theirs (a committee seat or commendation of the subtree held by a member outside it is
    left out: the package would not hold the member it refers to).
    """
    ids = subtree_ids(db, org_id)  # breadth-first from the root: parents before children
    order = {org: n for n, org in enumerate(ids)}
    found: dict[str, tuple[list[str], list[tuple]]] = {}

    def select(table: str, where: str, params: Sequence[Any]) -> list[tuple]:
        names = ["id", *columns(db, table)]
        rows = db.conn.execute(f"SELECT {', '.join(names)} FROM {table} WHERE {where} ORDER BY id",
                               tuple(params)).fetchall()
        found[table] = (names, rows)
        return rows

    orgs = select("organizations", f"id IN ({_marks(ids)})", ids)
    found["organizations"] = (found["organizations"][0], sorted(orgs, key=lambda r: order[r[0]]))
    select("members", f"org_id IN ({_marks(ids)})", ids)
    in_people = f"member_id IN (SELECT id FROM members WHERE org_id IN ({_marks(ids)}))"
    for table in ("member_events", "transfers", "evaluations", "study_outputs"):
        select(table, in_people, ids)
    select("committee_members", f"org_id IN ({_marks(ids)}) AND {in_people}", [*ids, *ids])
    select("commendations", f"{in_people} OR org_id IN ({_marks(ids)})", [*ids, *ids])
    select("activities", f"org_id IN ({_marks(ids)})", ids)
    in_activities = f"activity_id IN (SELECT id FROM activities WHERE org_id IN ({_marks(ids)}))"
    select("attendance", f"{in_activities} AND {in_people}", [*ids, *ids])
    select("activity_attachments", in_activities, ids)
    for table in ("dues_bases", "dues_payments", "dues_months"):
        select(table, in_people, ids)
    select("dues_remittances", f"org_id IN ({_marks(ids)})", ids)
    return found


def uid_of(db: Database, table: str, row_id: int | None) -> str | None:
    if row_id is None:
        return None
    found = db.conn.execute(f"SELECT uid FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return found[0] if found else None


def ids_by_uid(db: Database, table: str) -> dict[str, int]:
    return dict(db.conn.execute(f"SELECT uid, id FROM {table} WHERE uid IS NOT NULL").fetchall())


def row_by_uid(db: Database, table: str, names: Sequence[str], uid: str) -> tuple | None:
    return db.conn.execute(f"SELECT id, {', '.join(names)} FROM {table} WHERE uid = ?", (uid,)).fetchone()


def insert(db: Database, table: str, values: dict[str, Any]) -> int:
    names = list(values)
    cursor = db.conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({_marks(names)})", tuple(values.values()))
    return cursor.lastrowid


def update(db: Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    db.conn.execute(f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in values)} WHERE id = ?",
                    (*values.values(), row_id))


def all_settings(db: Database) -> list[tuple[str, str]]:
    """Every setting a handover package carries (not the start-up password)."""
    from .settings import NOT_HANDED_OVER

    return db.conn.execute(f"SELECT key, value FROM settings WHERE key NOT IN ({', '.join('?' * len(NOT_HANDED_OVER))})"
                           " ORDER BY key", NOT_HANDED_OVER).fetchall()


# Rows that would clash with a row of another uid on a unique rule other than the uid.
def member_with_id_number(db: Database, id_number: str) -> tuple[str, str] | None:
    """(uid, name) of the member holding the ID number."""
    return db.conn.execute("SELECT uid, name FROM members WHERE id_number = ?", (id_number,)).fetchone()


def sibling_org(db: Database, parent_id: int | None, name: str) -> str | None:
    found = db.conn.execute(
        "SELECT uid FROM organizations WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND name = ?",
        (parent_id, name)).fetchone()
    return found[0] if found else None


def evaluation_of(db: Database, member_id: int, year: int) -> str | None:
    found = db.conn.execute("SELECT uid FROM evaluations WHERE member_id = ? AND year = ?",
                            (member_id, year)).fetchone()
    return found[0] if found else None


def dues_row_of(db: Database, table: str, member_id: int, month: str) -> str | None:
    """uid of the member's dues base from `month` (table dues_bases) or covered month (dues_months)."""
    column = "effective_from" if table == "dues_bases" else "month"
    found = db.conn.execute(f"SELECT uid FROM {table} WHERE member_id = ? AND {column} = ?",
                            (member_id, month)).fetchone()
    return found[0] if found else None


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every table's rows, for comparing a database before and after."""
    return {t: db.conn.execute(f"SELECT * FROM [{t}] ORDER BY 1").fetchall() for t in db.table_names()}


def add_setting(db: Database, key: str, value: str) -> None:
    db.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, value))
