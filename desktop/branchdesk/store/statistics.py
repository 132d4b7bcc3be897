"""Read-only queries for the statistical reports: attendance lines of a period, and activity counts per
organization over a year — one pass each over the date index, whatever the number of branches."""

from __future__ import annotations

from collections.abc import Sequence

from .database import Database


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def attendance_lines(db: Database, org_ids: Sequence[int], start: str, end: str,
                     kinds: Sequence[str]) -> list[tuple[int, int, str, str]]:
    """(activity id, member id, member name, attendance status) of the organizations' activities of
    `kinds` held from `start` to `end`."""
    return db.conn.execute(
        "SELECT a.activity_id, a.member_id, m.name, a.status FROM activities v"
        " JOIN attendance a ON a.activity_id = v.id JOIN members m ON m.id = a.member_id"
        f" WHERE v.held_on >= ? AND v.held_on <= ? AND v.status = 'held' AND v.kind IN ({_marks(kinds)})"
        f" AND v.org_id IN ({_marks(org_ids)})",
        (start, end, *kinds, *org_ids),
    ).fetchall()


def held_by_org(db: Database, start: str, end: str) -> list[tuple[int, str, int, int]]:
    """(organization id, kind, given by a 党员领导干部 (0/1), how many) of the activities held from
    `start` to `end`."""
    return db.conn.execute(
        "SELECT org_id, kind, lecturer_is_leader, count(*) FROM activities"
        " WHERE held_on >= ? AND held_on <= ? AND status = 'held' GROUP BY 1, 2, 3",
        (start, end),
    ).fetchall()


def attendance_by_org(db: Database, start: str, end: str, kinds: Sequence[str],
                      statuses: Sequence[str]) -> list[tuple[int, int]]:
    """(organization id, attendance lines with one of `statuses`) over its activities of `kinds` held
    from `start` to `end`: the 人次."""
    return db.conn.execute(
        "SELECT v.org_id, count(*) FROM activities v JOIN attendance a ON a.activity_id = v.id"
        f" WHERE v.held_on >= ? AND v.held_on <= ? AND v.status = 'held' AND v.kind IN ({_marks(kinds)})"
        f" AND a.status IN ({_marks(statuses)}) GROUP BY 1",
        (start, end, *kinds, *statuses),
    ).fetchall()
