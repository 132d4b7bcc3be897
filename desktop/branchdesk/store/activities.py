"""Queries over meetings and study sessions (activities), their attendance and attachments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .database import Database
from .uids import new_uid, with_uid

ACTIVITY_COLUMNS = (
    "id", "org_id", "kind", "held_on", "topic", "status", "group_id", "starts_at", "ends_at", "place", "chair",
    "recorder", "agenda", "minutes", "decisions", "study_hours_tenths", "lecturer", "lecturer_is_leader", "note",
)
_COLUMNS = ", ".join(f"v.{c}" for c in ACTIVITY_COLUMNS)

# Statuses that keep a member on the roll (domain.members.Status.active).
_ACTIVE = "('normal', 'mobile', 'lost')"
# On the roll of `m.org_id` on the day bound as :on — joined by then, not transferred in after it,
# and still active or gone (转出, 去世) only after it.
_ON_ROLL_AT = (
    f"m.joined_on <= :on"
    f" AND ifnull((SELECT max(t.on_date) FROM transfers t WHERE t.member_id = m.id AND t.direction = 'in'),"
    f" '') <= :on"
    f" AND (m.status IN {_ACTIVE} OR ifnull((SELECT max(e.on_date) FROM member_events e WHERE e.member_id = m.id"
    f" AND e.kind IN ('transferred_out', 'status')), '9999') > :on)"
)


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _count(statuses: str) -> str:
    """How many of activity v's attendance lines have one of `statuses` (an SQL list): a range of the
    covering index attendance_activity_status, read only for the activities selected."""
    return f"(SELECT count(*) FROM attendance a WHERE a.activity_id = v.id AND a.status IN ({statuses}))"


# Sums over activities v of the lines present, made up, and on leave or absent (observers are not expected).
_PRESENT_MADE_UP_MISSED = ", ".join(f"sum({_count(statuses)})"
                                    for statuses in ("'present'", "'made_up'", "'leave', 'absent'"))
_BY_STATUS = ", ".join(_count(f"'{status}'") for status in ("present", "leave", "absent", "observer", "made_up"))


def row(db: Database, activity_id: int) -> tuple | None:
    """ACTIVITY_COLUMNS, then the branch's and the group's names (or None)."""
    return db.conn.execute(
        f"SELECT {_COLUMNS}, o.name, g.name FROM activities v JOIN organizations o ON o.id = v.org_id"
        " LEFT JOIN organizations g ON g.id = v.group_id WHERE v.id = ?",
        (activity_id,),
    ).fetchone()


def insert(db: Database, values: dict[str, Any]) -> int:
    return db["activities"].insert(with_uid(values)).last_pk


def update(db: Database, activity_id: int, values: dict[str, Any]) -> None:
    db["activities"].update(activity_id, values)


def listing(db: Database, org_ids: Sequence[int], kind: str | None, start: str | None, end: str | None,
            search: str) -> list[tuple]:
    """Activities of the organizations, latest first, each with its counts of attendance by status:
    id, kind, status, held_on, topic, org_id, branch name, group name, present, leave, absent,
    observer, made_up, study hours, lecturer, lecturer_is_leader (expected = all but observer: summed
    by the caller rather than counted again)."""
    where = [f"v.org_id IN ({_marks(org_ids)})"]
    params: list[Any] = list(org_ids)
    if kind:
        where.append("v.kind = ?")
        params.append(kind)
    if start:
        where.append("v.held_on >= ?")
        params.append(start)
    if end:
        where.append("v.held_on <= ?")
        params.append(end)
    if search:
        where.append("(v.topic LIKE ? ESCAPE '\\' OR v.place LIKE ? ESCAPE '\\' OR v.lecturer LIKE ? ESCAPE '\\')")
        like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like, like]
    return db.conn.execute(
        f"SELECT v.id, v.kind, v.status, v.held_on, v.topic, v.org_id, o.name, g.name,"
        f" {_BY_STATUS}, v.study_hours_tenths, v.lecturer, v.lecturer_is_leader"
        " FROM activities v JOIN organizations o ON o.id = v.org_id"
        " LEFT JOIN organizations g ON g.id = v.group_id"
        f" WHERE {' AND '.join(where)} ORDER BY v.held_on DESC, v.starts_at DESC, v.id DESC",
        params,
    ).fetchall()


def attendance(db: Database, activity_id: int) -> list[tuple]:
    """member_id, name, standing, full_on, status, reason, made_up_on, group name — by group (those in
    none last), then name."""
    return db.conn.execute(
        "SELECT a.member_id, m.name, m.standing, m.full_on, a.status, a.reason, a.made_up_on, ifnull(g.name, '')"
        " FROM attendance a JOIN members m ON m.id = a.member_id LEFT JOIN organizations g ON g.id = m.group_id"
        " WHERE a.activity_id = ? ORDER BY g.id IS NULL, g.sort_order, g.name, m.name_initials, m.id",
        (activity_id,),
    ).fetchall()


def attendance_of(db: Database, activity_id: int, member_id: int) -> tuple | None:
    """id, status, reason, made_up_on."""
    return db.conn.execute(
        "SELECT id, status, reason, made_up_on FROM attendance WHERE activity_id = ? AND member_id = ?",
        (activity_id, member_id),
    ).fetchone()


def save_attendance(db: Database, activity_id: int, entries: Iterable[tuple[int, str, str, str | None]]) -> None:
    """Make the activity's attendance exactly `entries` (member_id, status, reason, made_up_on);
    lines kept keep their uid."""
    entries = list(entries)
    db.conn.executemany(
        "INSERT INTO attendance (activity_id, member_id, status, reason, made_up_on, uid) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (activity_id, member_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,"
        " made_up_on = excluded.made_up_on",
        [(activity_id, member_id, status, reason, made_up_on, new_uid())
         for member_id, status, reason, made_up_on in entries],
    )
    kept = [e[0] for e in entries]
    db.conn.execute(
        f"DELETE FROM attendance WHERE activity_id = ? AND member_id NOT IN ({_marks(kept)})",
        (activity_id, *kept),
    )


def set_made_up(db: Database, attendance_id: int, made_up_on: str, reason: str) -> None:
    db.conn.execute("UPDATE attendance SET status = 'made_up', made_up_on = ?, reason = ? WHERE id = ?",
                    (made_up_on, reason, attendance_id))


def roll(db: Database, org_id: int, on: str, group_id: int | None = None) -> list[tuple]:
    """Members of `org_id` on the roll on day `on` (of the group when given): id, name, standing, full_on,
    group name — by group (those in none last), then name."""
    group = " AND m.group_id = :group" if group_id is not None else ""
    return db.conn.execute(
        "SELECT m.id, m.name, m.standing, m.full_on, ifnull(g.name, '') FROM members m"
        " LEFT JOIN organizations g ON g.id = m.group_id"
        f" WHERE m.org_id = :org{group} AND {_ON_ROLL_AT}"
        " ORDER BY g.id IS NULL, g.sort_order, g.name, m.name_initials, m.id",
        {"org": org_id, "on": on, "group": group_id},
    ).fetchall()


def committee_at(db: Database, org_id: int, on: str) -> list[tuple]:
    """The committee of `org_id` in office on day `on`: member id, name, standing, full_on, group name, role —
    by role, then name."""
    return db.conn.execute(
        "SELECT m.id, m.name, m.standing, m.full_on, ifnull(g.name, ''), c.role FROM committee_members c"
        " JOIN members m ON m.id = c.member_id LEFT JOIN organizations g ON g.id = m.group_id"
        " WHERE c.org_id = ? AND c.term_start <= ? AND c.term_end >= ?"
        " ORDER BY CASE c.role WHEN 'secretary' THEN 0 WHEN 'deputy_secretary' THEN 1 WHEN 'organization' THEN 2"
        " WHEN 'propaganda' THEN 3 WHEN 'discipline' THEN 4 ELSE 5 END, m.name_initials, m.id",
        (org_id, on, on),
    ).fetchall()


def member_orgs(db: Database, member_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """member id → (organization id, name) for those that exist."""
    if not member_ids:
        return {}
    return {r[0]: (r[1], r[2]) for r in db.conn.execute(
        f"SELECT id, org_id, name FROM members WHERE id IN ({_marks(member_ids)})", tuple(member_ids))}


def attachments(db: Database, activity_id: int) -> list[tuple]:
    """id, kind, file_name, original_name — in the order added."""
    return db.conn.execute(
        "SELECT id, kind, file_name, original_name FROM activity_attachments WHERE activity_id = ? ORDER BY id",
        (activity_id,),
    ).fetchall()


def attachment(db: Database, attachment_id: int) -> tuple | None:
    """id, activity_id, kind, file_name, original_name."""
    return db.conn.execute(
        "SELECT id, activity_id, kind, file_name, original_name FROM activity_attachments WHERE id = ?",
        (attachment_id,),
    ).fetchone()


def attachment_named(db: Database, activity_id: int, file_name: str) -> int | None:
    found = db.conn.execute(
        "SELECT id FROM activity_attachments WHERE activity_id = ? AND file_name = ?", (activity_id, file_name)
    ).fetchone()
    return found[0] if found else None


def insert_attachment(db: Database, values: dict[str, Any]) -> int:
    return db["activity_attachments"].insert(with_uid(values)).last_pk


def update_attachment(db: Database, attachment_id: int, values: dict[str, Any]) -> None:
    db["activity_attachments"].update(attachment_id, values)


def delete_attachment(db: Database, attachment_id: int) -> None:
    db.conn.execute("DELETE FROM activity_attachments WHERE id = ?", (attachment_id,))


def held_counts(db: Database, start: str, end: str,
                org_id: int | None = None) -> list[tuple[int, int | None, str, int, int]]:
    """(organization id, group id, kind, month 1–12, how many) of the activities held from `start` to
    `end` — of `org_id`, or of every organization: a few hundred branches' year is one pass over the
    covering date index."""
    if org_id is not None:
        return db.conn.execute(
            "SELECT org_id, group_id, kind, CAST(substr(held_on, 6, 2) AS INTEGER), count(*) FROM activities"
            " WHERE org_id = ? AND held_on >= ? AND held_on <= ? AND status = 'held' GROUP BY 1, 2, 3, 4",
            (org_id, start, end),
        ).fetchall()
    return db.conn.execute(
        "SELECT org_id, group_id, kind, CAST(substr(held_on, 6, 2) AS INTEGER), count(*) FROM activities"
        " WHERE held_on >= ? AND held_on <= ? AND status = 'held' GROUP BY 1, 2, 3, 4",
        (start, end),
    ).fetchall()


def groups(db: Database) -> list[tuple[int, int]]:
    """(group id, its parent's id) of every 党小组."""
    return db.conn.execute("SELECT id, parent_id FROM organizations WHERE kind = 'group'").fetchall()


def member_totals(db: Database, start: str, end: str,
                  member_ids: Sequence[int] | None = None) -> list[tuple[int, int, int, int]]:
    """(member id, times expected, times attended, study hours in tenths) over the activities held
    from `start` to `end` — for every member with an attendance line there (列席 only: all zeros), or
    for those of `member_ids`; attended (present or made up) earns the activity's hours.

    Given members are read through their own lines (index attendance_member, every year's): quick for a
    branch or two, slower than the year's pass for thousands. The year's pass reads the covering index
    attendance_activity_status twice, each time only in its status range: the lines attended (the great
    majority; counted with no test per line), then the others."""
    if member_ids is not None:
        return db.conn.execute(
            "SELECT a.member_id, sum(a.status <> 'observer'), sum(a.status IN ('present', 'made_up')),"
            " sum(CASE WHEN a.status IN ('present', 'made_up') THEN v.study_hours_tenths ELSE 0 END)"
            " FROM attendance a JOIN activities v ON v.id = a.activity_id"
            f" WHERE a.member_id IN ({_marks(member_ids)}) AND v.held_on >= ? AND v.held_on <= ?"
            " AND v.status = 'held' GROUP BY a.member_id",
            (*member_ids, start, end),
        ).fetchall()
    params = (start, end)
    year = " FROM activities v JOIN attendance a ON a.activity_id = v.id AND a.status IN ({})" \
        " WHERE v.held_on >= ? AND v.held_on <= ? AND v.status = 'held' GROUP BY a.member_id"
    attended = db.conn.execute(
        "SELECT a.member_id, count(*), sum(v.study_hours_tenths)" + year.format("'present', 'made_up'"), params
    ).fetchall()
    others = dict(db.conn.execute(
        "SELECT a.member_id, sum(a.status <> 'observer')" + year.format("'leave', 'absent', 'observer'"), params))
    found = [(member_id, times + others.pop(member_id, 0), times, hours) for member_id, times, hours in attended]
    found += [(member_id, times, 0, 0) for member_id, times in others.items()]
    return found


def members_in(db: Database, org_ids: Sequence[int]) -> list[tuple]:
    """id, name, org_id, status, joined_on of every member of the organizations, by organization then
    name's initials."""
    return db.conn.execute(
        f"SELECT id, name, org_id, status, joined_on FROM members WHERE org_id IN ({_marks(org_ids)})"
        " ORDER BY org_id, name_initials, id",
        tuple(org_ids),
    ).fetchall()


def committee_member_ids(db: Database, start: str, end: str) -> set[int]:
    """Members who sat on any committee at some time from `start` to `end`."""
    return {r[0] for r in db.conn.execute(
        "SELECT DISTINCT member_id FROM committee_members WHERE term_start <= ? AND term_end >= ?", (end, start))}


def monthly_totals(db: Database, org_ids: Sequence[int], start: str, end: str) -> list[tuple[int, int, int]]:
    """(month 1–12, times expected, times attended) over the organizations' activities held from `start` to `end`.
    Each line is counted once, by its status (expected and attended are sums of those counts)."""
    found = db.conn.execute(
        f"SELECT CAST(substr(v.held_on, 6, 2) AS INTEGER), {_PRESENT_MADE_UP_MISSED} FROM activities v"
        f" WHERE v.held_on >= ? AND v.held_on <= ? AND v.status = 'held' AND v.org_id IN ({_marks(org_ids)})"
        " GROUP BY 1",
        (start, end, *org_ids),
    ).fetchall()
    return [(month, present + made_up + missed, present + made_up) for month, present, made_up, missed in found]


def of_member(db: Database, member_id: int) -> list[tuple]:
    """The member's attendance: activity id, held_on, kind, topic, attendance status, study hours,
    branch name — latest first."""
    return db.conn.execute(
        "SELECT v.id, v.held_on, v.kind, v.topic, a.status, v.study_hours_tenths, o.name FROM attendance a"
        " JOIN activities v ON v.id = a.activity_id JOIN organizations o ON o.id = v.org_id"
        " WHERE a.member_id = ? ORDER BY v.held_on DESC, v.id DESC",
        (member_id,),
    ).fetchall()
