"""Organizations (党组织 tree) and their committees (委员会 seats with terms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain import organization as rules
from ..domain.dates import from_iso, iso
from ..domain.fields import FieldError
from ..domain.organization import CommitteeRole, OrgKind
from ..store import members as member_store
from ..store import organizations as q
from ..store.database import Database
from . import audit, recycle
from .errors import ServiceError, ValidationError


@dataclass(frozen=True)
class Organization:
    id: int
    parent_id: int | None
    kind: OrgKind
    name: str
    established_on: dt.date | None
    contact: str
    phone: str
    note: str
    sort_order: int

    @property
    def holds_members(self) -> bool:
        return self.kind in rules.MEMBER_HOLDING_KINDS


def _org(r: tuple) -> Organization:
    return Organization(r[0], r[1], OrgKind(r[2]), r[3], from_iso(r[4]), r[5], r[6], r[7], r[8])


def tree(db: Database) -> list[Organization]:
    """Every organization, siblings in display order (parents are not guaranteed first)."""
    return [_org(r) for r in q.all_rows(db)]


def outline(db: Database, root_id: int | None = None) -> list[tuple[int, Organization]]:
    """The tree as it is shown, each organization with its depth: depth-first, siblings in display
    order. From every top-level organization (depth 0), or from `root_id` (depth 0) down."""
    children: dict[int | None, list[Organization]] = {}
    for org in tree(db):
        children.setdefault(org.parent_id, []).append(org)
    found: list[tuple[int, Organization]] = []

    def visit(org: Organization, depth: int) -> None:
        found.append((depth, org))
        for child in children.get(org.id, []):
            visit(child, depth + 1)

    for top in children.get(None, []) if root_id is None else [get(db, root_id)]:
        visit(top, 0)
    return found


def get(db: Database, org_id: int) -> Organization:
    r = q.row(db, org_id)
    if r is None:
        raise ServiceError(f"找不到编号为 {org_id} 的党组织")
    return _org(r)


def resolve(db: Database, ref: str) -> Organization:
    """An organization by id or by its unique name (the CLI's ORG argument)."""
    if ref.strip().isdigit():
        return get(db, int(ref))
    found = q.rows_named(db, ref.strip())
    if not found:
        raise ServiceError(f"找不到名为“{ref}”的党组织")
    if len(found) > 1:
        ids = "、".join(str(r[0]) for r in found)
        raise ServiceError(f"有多个党组织名为“{ref}”（编号 {ids}），请用编号指定")
    return _org(found[0])


def subtree_ids(db: Database, org_id: int) -> list[int]:
    return q.subtree_ids(db, org_id)


def member_totals(db: Database) -> dict[int, int]:
    """Members on the roll under each organization: its whole subtree, or for a 党小组 the
    members sorted into it (they belong to the branch, so groups add nothing to the totals)."""
    with db.snapshot():
        orgs = tree(db)
        direct = q.member_counts(db)
        by_group = q.group_member_counts(db)
    children: dict[int | None, list[Organization]] = {}
    for o in orgs:
        children.setdefault(o.parent_id, []).append(o)
    totals: dict[int, int] = {}

    def total(o: Organization) -> int:
        if o.kind is OrgKind.GROUP:
            totals[o.id] = by_group.get(o.id, 0)
            return 0
        totals[o.id] = direct.get(o.id, 0) + sum(total(c) for c in children.get(o.id, []))
        return totals[o.id]

    for root in children.get(None, []):
        total(root)
    return totals


def groups_of(db: Database, branch_id: int) -> list[Organization]:
    return [o for o in tree(db) if o.parent_id == branch_id and o.kind is OrgKind.GROUP]


def _check(db: Database, parent_id: int | None, name: str,
           exclude_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError([FieldError("org_name", "不能为空")])
    if q.sibling_named(db, parent_id, name, exclude_id):
        raise ValidationError([FieldError("org_name", f"同一上级下已有名为“{name}”的组织")])
    return name


def create(db: Database, parent_id: int | None, kind: OrgKind, name: str,
           established_on: dt.date | None = None, contact: str = "", phone: str = "",
           note: str = "") -> int:
    with db.atomic():
        parent = get(db, parent_id) if parent_id is not None else None
        if not rules.can_hold(parent.kind if parent else None, kind):
            where = parent.kind.label if parent else "最上级"
            raise ServiceError(f"{where}下不能建立{kind.label}")
        name = _check(db, parent_id, name)
        siblings = [o for o in tree(db) if o.parent_id == parent_id]
        org_id = q.insert(db, {
            "parent_id": parent_id, "kind": kind.value, "name": name,
            "established_on": iso(established_on), "contact": contact.strip(),
            "phone": phone.strip(), "note": note.strip(),
            "sort_order": max((o.sort_order for o in siblings), default=0) + 1,
        })
        audit.record(db, audit.CREATE, "organizations", org_id, f"{kind.label}“{name}”")
        return org_id


def update(db: Database, org_id: int, name: str,
           established_on: dt.date | None, contact: str, phone: str, note: str) -> None:
    with db.atomic():
        org = get(db, org_id)
        name = _check(db, org.parent_id, name, exclude_id=org_id)
        values = {"name": name, "established_on": established_on, "contact": contact.strip(),
                  "phone": phone.strip(), "note": note.strip()}
        changed = [_ORG_FIELDS[k] for k, v in values.items() if getattr(org, k) != v]
        if not changed:
            return
        q.update(db, org_id, {**values, "established_on": iso(established_on)})
        audit.record(db, audit.UPDATE, "organizations", org_id, f"{org.kind.label}“{name}”", changed)


_ORG_FIELDS = {"name": "组织名称", "established_on": "成立日期", "contact": "联系人", "phone": "联系电话",
               "note": "备注"}


def delete(db: Database, org_id: int) -> None:
    """Delete an organization that holds nothing (no sub-organizations, no members)."""
    with db.atomic():
        org = get(db, org_id)
        if q.child_count(db, org_id):
            raise ServiceError(f"“{org.name}”下还有下级组织，不能删除")
        if q.member_count(db, org_id):
            raise ServiceError(f"“{org.name}”中还有党员，请先将党员转出或调整后再删除")
        if held := q.activity_count(db, org_id):
            raise ServiceError(f"“{org.name}”还有 {held} 次会议和学习记录，请先在“会议学习”页面删除后再删除该组织")
        recycle.move_to_bin(db, "organization", org_id, f"{org.kind.label}“{org.name}”")


@dataclass(frozen=True)
class Seat:
    """One person's place on a committee for one term."""

    id: int
    org_id: int
    member_id: int
    member_name: str
    role: CommitteeRole
    term_start: dt.date
    term_end: dt.date
    note: str

    def current(self, today: dt.date) -> bool:
        return self.term_start <= today <= self.term_end


def _seat(r: tuple) -> Seat:
    return Seat(r[0], r[1], r[2], r[3], CommitteeRole(r[4]), dt.date.fromisoformat(r[5]),
                dt.date.fromisoformat(r[6]), r[7])


def committee(db: Database, org_id: int) -> list[Seat]:
    """The seats of `org_id`'s committee, latest term first, secretary first within it."""
    return [_seat(r) for r in q.seats(db, org_id)]


def all_seats(db: Database) -> list[Seat]:
    return [_seat(r) for r in q.all_seats(db)]


def _seat_values(db: Database, org_id: int, member_id: int, role: CommitteeRole,
                 term_start: dt.date, term_end: dt.date | None, note: str,
                 seat_id: int | None) -> dict:
    org = get(db, org_id)
    if org.kind is OrgKind.GROUP:
        raise ServiceError("党小组不设委员会")
    end = term_end or rules.term_end(term_start)
    errors = []
    if end <= term_start:
        errors.append(FieldError("term_end", "任期结束日期应晚于开始日期"))
    if not member_store.belongs_to(db, member_id, q.subtree_ids(db, org_id)):
        errors.append(FieldError("member_id", f"所选党员不在“{org.name}”中"))
    if role is not CommitteeRole.MEMBER:
        holder = q.overlapping_role(db, org_id, role.value, term_start.isoformat(),
                                    end.isoformat(), seat_id)
        if holder:
            errors.append(FieldError("role", f"该任期内{role.label}已由{holder}担任"))
    if errors:
        raise ValidationError(errors)
    return {"org_id": org_id, "member_id": member_id, "role": role.value,
            "term_start": term_start.isoformat(), "term_end": end.isoformat(),
            "note": note.strip()}


def add_seat(db: Database, org_id: int, member_id: int, role: CommitteeRole,
             term_start: dt.date, term_end: dt.date | None = None, note: str = "") -> int:
    """Seat a member on the committee; the term defaults to three years (design.md §3)."""
    with db.atomic():
        seat_id = q.insert_seat(db, _seat_values(db, org_id, member_id, role, term_start,
                                                 term_end, note, None))
        audit.record(db, audit.CREATE, "committee_members", seat_id, _seat_label(db, seat_id))
        return seat_id


def _seat_label(db: Database, seat_id: int) -> str:
    s = _seat(q.seat(db, seat_id))
    return f"{get(db, s.org_id).name} {s.role.label} {s.member_name}（{s.term_start:%Y.%m}—{s.term_end:%Y.%m}）"


def update_seat(db: Database, seat_id: int, member_id: int, role: CommitteeRole,
                term_start: dt.date, term_end: dt.date | None, note: str = "") -> None:
    with db.atomic():
        r = q.seat(db, seat_id)
        if r is None:
            raise ServiceError(f"找不到编号为 {seat_id} 的委员记录")
        q.update_seat(db, seat_id, _seat_values(db, r[1], member_id, role, term_start,
                                                term_end, note, seat_id))
        after = q.seat(db, seat_id)
        changed = [label for i, label in ((2, "党员"), (4, "职务"), (5, "任期开始"), (6, "任期结束"), (7, "备注"))
                   if r[i] != after[i]]
        if changed:
            audit.record(db, audit.UPDATE, "committee_members", seat_id, _seat_label(db, seat_id), changed)


def remove_seat(db: Database, seat_id: int) -> None:
    """Move the seat to the recycle bin."""
    with db.atomic():
        if q.seat(db, seat_id) is None:
            return
        recycle.move_to_bin(db, "committee_seat", seat_id, _seat_label(db, seat_id))


def terms_ending(db: Database, today: dt.date) -> list[Seat]:
    """Current seats whose term ends within the warning window (design.md §3)."""
    return [s for s in all_seats(db) if rules.term_ending_soon(s.term_end, today)]
