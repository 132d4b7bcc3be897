"""Meetings and study (三会一课, 主题党日…): records with their attendance and attachments, 补学, how
well each branch keeps the rules (compliance), and members' attendance and study hours."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, fields
from pathlib import Path

from ..domain import activities as rules
from ..domain.activities import (  # ActivityData and AttendanceEntry are also used from here by the UI
    DEFAULT_RULES,
    ActivityData,
    ActivityKind,
    ActivityRules,
    AttendanceEntry,
    AttendanceStatus,
    Requirement,
)
from ..domain.dates import from_iso, iso
from ..domain.fields import FIELD_LABELS, FieldError
from ..domain.members import Status
from ..domain.organization import CommitteeRole, OrgKind
from ..domain.periods import Period
from ..store import activities as q
from ..store import attachments as files
from ..store import members as member_store
from ..store import organizations as org_store
from ..store import settings as settings_store
from ..store.database import Database
from . import audit, organizations, recycle
from .errors import ServiceError, ValidationError

RULES_KEY = "activity_rules"
ATTACHMENT_AREA = "activities"
ATTACHMENT_KINDS = {"photo": "照片", "sign_in": "签到表", "file": "文件"}


@dataclass(frozen=True)
class Attendee:
    """One person expected at a meeting, as the attendance checklist lists them."""

    member_id: int
    name: str
    voting: bool  # a full member on the day (probationary members have no vote)
    role: str  # committee post ("书记", "组织委员"…) on the day, or ""
    group_name: str


@dataclass(frozen=True)
class AttendanceRow:
    member_id: int
    name: str
    voting: bool
    status: AttendanceStatus
    reason: str
    made_up_on: dt.date | None
    group_name: str = ""


@dataclass(frozen=True)
class ActivityAttachment:
    id: int
    kind: str  # "photo" / "sign_in" / "file"
    original_name: str
    path: Path
    missing: bool  # the copy is gone from the attachments folder: shown, never opened

    @property
    def kind_label(self) -> str:
        return ATTACHMENT_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Activity:
    id: int
    data: ActivityData
    branch_name: str
    group_name: str
    attendance: list[AttendanceRow]
    attachments: list[ActivityAttachment]

    @property
    def label(self) -> str:
        """"2026-03-05 支委会《…》": how the audit log and the recycle bin name it."""
        return f"{iso(self.data.held_on)} {ActivityKind(self.data.kind).label}《{self.data.topic}》"


@dataclass(slots=True)  # thousands at a time: a frozen dataclass costs 6× as much to build
class ActivityRow:
    id: int
    kind: ActivityKind
    status: str
    held_on: dt.date
    topic: str
    branch_id: int
    branch_name: str
    group_name: str
    expected: int
    present: int
    leave: int
    absent: int
    observer: int
    made_up: int
    study_hours_tenths: int
    lecturer: str
    lecturer_is_leader: bool

    @property
    def attended(self) -> int:
        return self.present + self.made_up


def _voting(standing: str, full_on: str | None, on: str) -> bool:
    return standing == "full" and (full_on is None or full_on <= on)


def _data(r: tuple) -> ActivityData:
    return ActivityData(
        org_id=r[1], kind=ActivityKind(r[2]), held_on=from_iso(r[3]), topic=r[4], status=r[5], group_id=r[6],
        starts_at=r[7], ends_at=r[8], place=r[9], chair=r[10], recorder=r[11], agenda=r[12], minutes=r[13],
        decisions=r[14], study_hours_tenths=r[15], lecturer=r[16], lecturer_is_leader=bool(r[17]), note=r[18])


def get(db: Database, activity_id: int) -> Activity:
    with db.snapshot():
        r = q.row(db, activity_id)
        if r is None:
            raise ServiceError(f"找不到编号为 {activity_id} 的活动记录")
        on = r[3]
        attendance = [AttendanceRow(a[0], a[1], _voting(a[2], a[3], on), AttendanceStatus(a[4]), a[5],
                                    from_iso(a[6]), a[7]) for a in q.attendance(db, activity_id)]
        kept = q.attachments(db, activity_id)
    found = []
    for a in kept:
        path = files.resolve(db, a[2])
        found.append(ActivityAttachment(a[0], a[1], a[3] or Path(a[2]).name, path, not path.is_file()))
    n = len(q.ACTIVITY_COLUMNS)  # the names follow the activity's columns
    return Activity(r[0], _data(r), r[n], r[n + 1] or "", attendance, found)


def expected_attendees(db: Database, org_id: int, kind: ActivityKind, group_id: int | None = None,
                       on: dt.date | None = None) -> list[Attendee]:
    """Who is expected on day `on` (today when not given): the branch's members on the roll; for a 支委会
    its committee in office; for a 党小组会 the group's members (none until a group is chosen)."""
    day = (on or dt.date.today()).isoformat()
    kind = ActivityKind(kind)
    with db.snapshot():
        if kind.attendees == "committee":
            return [Attendee(r[0], r[1], _voting(r[2], r[3], day), CommitteeRole(r[5]).label, r[4])
                    for r in q.committee_at(db, org_id, day)]
        if kind.attendees == "group" and group_id is None:
            return []
        roles = {r[0]: CommitteeRole(r[5]).label for r in q.committee_at(db, org_id, day)}
        found = q.roll(db, org_id, day, group_id if kind.attendees == "group" else None)
    return [Attendee(r[0], r[1], _voting(r[2], r[3], day), roles.get(r[0], ""), r[4]) for r in found]


def quorum(db: Database, org_id: int, on: dt.date, attendance: list[AttendanceEntry]) -> tuple[int, int]:
    """(voting members present, voting members on the roll) at a 支部党员大会 of `org_id` on `on`."""
    voters = {a.member_id for a in expected_attendees(db, org_id, ActivityKind.GENERAL_MEETING, on=on) if a.voting}
    present = sum(1 for e in attendance if e.member_id in voters and e.status == AttendanceStatus.PRESENT)
    return present, len(voters)


def warnings(db: Database, data: ActivityData, attendance: list[AttendanceEntry]) -> list[str]:
    """What the form shows before saving (saving is still allowed): a 支部党员大会 without a quorum."""
    if data.kind != ActivityKind.GENERAL_MEETING or data.status != "held" or data.held_on is None:
        return []
    present, total = quorum(db, data.org_id, data.held_on, attendance)
    if rules.quorum_reached(present, total):
        return []
    return [f"到会有表决权的正式党员 {present} 名，未超过应到 {total} 名的半数，会议不能作出决议"]


def _check(db: Database, data: ActivityData, attendance: list[AttendanceEntry], today: dt.date) -> dict:
    """The row's values, or ValidationError with every problem."""
    errors = rules.validate(data, today)
    org = org_store.row(db, data.org_id)
    if org is None:
        errors.append(FieldError("branch", f"找不到编号为 {data.org_id} 的党组织"))
    elif OrgKind(org[2]) is OrgKind.GROUP:
        errors.append(FieldError("branch", "活动应记在党支部名下（党小组会请选择支部后再选择党小组）"))
    if data.group_id is not None and org is not None:
        group = org_store.row(db, data.group_id)
        if group is None or OrgKind(group[2]) is not OrgKind.GROUP:
            errors.append(FieldError("group_id", f"找不到编号为 {data.group_id} 的党小组"))
        elif group[1] != data.org_id:
            errors.append(FieldError("group_id", f"“{group[3]}”不是“{org[3]}”的党小组"))
    if attendance and data.status == "planned":
        errors.append(FieldError("attendance", "计划中的活动尚未召开，不能登记出席情况"))
    seen: set[int] = set()
    owners = q.member_orgs(db, [e.member_id for e in attendance])
    for e in attendance:
        owner = owners.get(e.member_id)
        if owner is None:
            errors.append(FieldError("attendance", f"找不到编号为 {e.member_id} 的党员"))
            continue
        who = owner[1]
        if org is not None and owner[0] != data.org_id:
            errors.append(FieldError("attendance", f"{who}不是“{org[3]}”的党员"))
        if e.member_id in seen:
            errors.append(FieldError("attendance", f"{who}重复登记"))
        seen.add(e.member_id)
        problem = rules.attendance_problem(e, data.held_on, today)
        if problem:
            errors.append(FieldError("attendance", f"{who}：{problem}"))
    if errors:
        raise ValidationError(errors)
    values = {f.name: getattr(data, f.name) for f in fields(ActivityData)}
    values.update(kind=ActivityKind(data.kind).value, held_on=iso(data.held_on),
                  lecturer_is_leader=int(bool(data.lecturer_is_leader)))
    for name in ("topic", "starts_at", "ends_at", "place", "chair", "recorder", "lecturer"):
        values[name] = values[name].strip()
    for name in ("agenda", "minutes", "decisions", "note"):
        values[name] = values[name].strip("\n ")
    return values


def _attendance_values(attendance: list[AttendanceEntry]) -> list[tuple[int, str, str, str | None]]:
    return [(e.member_id, AttendanceStatus(e.status).value, e.reason.strip(), iso(e.made_up_on)) for e in attendance]


def create(db: Database, data: ActivityData, attendance: list[AttendanceEntry],
           today: dt.date | None = None) -> int:
    """Record a meeting or study session with one attendance line per attendee (one transaction)."""
    with db.atomic():
        values = _check(db, data, attendance, today or dt.date.today())
        activity_id = q.insert(db, values)
        q.save_attendance(db, activity_id, _attendance_values(attendance))
        audit.record(db, audit.CREATE, "activities", activity_id, get(db, activity_id).label)
        return activity_id


# ActivityData fields whose form label is kept under another name (FIELD_LABELS' "org_id" and "status"
# would be taken for members' columns).
_LABELS = {"org_id": FIELD_LABELS["branch"], "status": FIELD_LABELS["activity_status"]}


def update(db: Database, activity_id: int, data: ActivityData, attendance: list[AttendanceEntry],
           today: dt.date | None = None) -> None:
    """Replace the record and its attendance (lines of members left out are removed)."""
    with db.atomic():
        before = get(db, activity_id)
        values = _check(db, data, attendance, today or dt.date.today())
        q.update(db, activity_id, values)
        q.save_attendance(db, activity_id, _attendance_values(attendance))
        after = get(db, activity_id)
        changed = [_LABELS.get(f.name) or FIELD_LABELS.get(f.name, f.name) for f in fields(ActivityData)
                   if getattr(before.data, f.name) != getattr(after.data, f.name)]
        if [(a.member_id, a.status, a.reason, a.made_up_on) for a in before.attendance] != \
                [(a.member_id, a.status, a.reason, a.made_up_on) for a in after.attendance]:
            changed.append(FIELD_LABELS["attendance"])
        audit.record(db, audit.UPDATE, "activities", activity_id, after.label, changed)


def delete(db: Database, activity_id: int) -> None:
    """Move the activity, its attendance and attachment records to the recycle bin (the files stay
    until the bin entry is purged)."""
    with db.atomic():
        recycle.move_to_bin(db, "activity", activity_id, get(db, activity_id).label)


def make_up(db: Database, activity_id: int, member_id: int, on: dt.date, note: str = "",
            today: dt.date | None = None) -> None:
    """Record that a member who was away (请假/缺席) made the session up (补学) on `on`: it now counts as
    attended and credits the hours. `note` is added to the reason recorded."""
    with db.atomic():
        activity = get(db, activity_id)
        line = q.attendance_of(db, activity_id, member_id)
        if line is None:
            raise ServiceError("该党员不在这次活动的出席名单中")
        name = next(a.name for a in activity.attendance if a.member_id == member_id)
        status = AttendanceStatus(line[1])
        if status not in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT, AttendanceStatus.MADE_UP):
            raise ServiceError(f"{name}的出席情况为{status.label}，无需补学")
        reason = line[2] if not note.strip() else f"{line[2]}；{note.strip()}".strip("；")
        problem = rules.attendance_problem(AttendanceEntry(member_id, AttendanceStatus.MADE_UP, reason, on),
                                           activity.data.held_on, today or dt.date.today())
        if activity.data.status != "held":
            problem = "活动尚未召开，不能补学"
        if problem:
            raise ValidationError([FieldError("made_up_on", f"{name}：{problem}")])
        q.set_made_up(db, line[0], on.isoformat(), reason)
        audit.record(db, audit.UPDATE, "activities", activity_id, f"{activity.label} {name}补学",
                     [FIELD_LABELS["attendance"]])


def add_attachment(db: Database, activity_id: int, source: Path | str, kind: str = "file") -> int:
    """Copy `source` (a photo, the scanned sign-in sheet, a file) into the attachments folder and link
    it; a file of the same name attached before is replaced. The attachment's id."""
    source = Path(source)
    if kind not in ATTACHMENT_KINDS:
        raise ServiceError(f"未知的附件类型：{kind}")
    if not source.is_file():
        raise ServiceError(f"找不到文件 {source}")
    activity = get(db, activity_id)
    try:
        kept = files.keep(db, source, ATTACHMENT_AREA, activity_id)
    except OSError as exc:
        raise ServiceError(f"无法复制文件 {source}：{exc.strerror or exc}") from exc
    try:
        with db.atomic():
            values = {"activity_id": activity_id, "kind": kind, "file_name": kept, "original_name": source.name}
            attachment_id = q.attachment_named(db, activity_id, kept)
            if attachment_id is None:
                attachment_id = q.insert_attachment(db, values)
            else:
                q.update_attachment(db, attachment_id, values)
            audit.record(db, audit.UPDATE, "activities", activity_id, activity.label, ["附件"])
    except BaseException:
        if q.attachment_named(db, activity_id, kept) is None:
            _discard(db, kept)
        raise
    return attachment_id


def remove_attachment(db: Database, attachment_id: int) -> None:
    """Unlink the attachment and remove its copy (the file the user picked stays where it was)."""
    with db.atomic():
        r = q.attachment(db, attachment_id)
        if r is None:
            raise ServiceError(f"找不到编号为 {attachment_id} 的附件")
        q.delete_attachment(db, attachment_id)
        audit.record(db, audit.UPDATE, "activities", r[1], get(db, r[1]).label, ["附件"])
    _discard(db, r[3])


def _discard(db: Database, relative: str) -> None:
    """Remove a copy no record refers to any more; one that cannot be removed now (open in a viewer on
    Windows) is left behind rather than failing an operation already committed."""
    with suppress(OSError):
        files.discard(db, relative)


def list_activities(db: Database, scope_id: int, *, kind: ActivityKind | None = None, start: dt.date | None = None,
                    end: dt.date | None = None, search: str = "") -> list[ActivityRow]:
    """Activities of the scope's organizations, latest first, with their attendance counts."""
    with db.snapshot():
        found = q.listing(db, org_store.subtree_ids(db, scope_id), ActivityKind(kind).value if kind else None,
                          iso(start), iso(end), search.strip())
    return [ActivityRow(r[0], ActivityKind(r[1]), r[2], dt.date.fromisoformat(r[3]), r[4], r[5], r[6], r[7] or "",
                        r[8] + r[9] + r[10] + r[12], r[8], r[9], r[10], r[11], r[12], r[13], r[14], bool(r[15]))
            for r in found]


@dataclass(frozen=True)
class MemberActivity:
    activity_id: int
    held_on: dt.date
    kind: ActivityKind
    topic: str
    status: AttendanceStatus  # the member's attendance
    study_hours_tenths: int  # credited: the activity's hours when attended, else 0
    branch_name: str


def member_activities(db: Database, member_id: int) -> list[MemberActivity]:
    """The meetings and sessions the member was expected at or attended, latest first (their history)."""
    return [MemberActivity(r[0], dt.date.fromisoformat(r[1]), ActivityKind(r[2]), r[3], AttendanceStatus(r[4]),
                           r[5] if AttendanceStatus(r[4]).counts_as_attended else 0, r[6])
            for r in q.of_member(db, member_id)]


# --- rules (Settings) ---

def load_rules(db: Database) -> ActivityRules:
    """The rules in force: those saved in Settings, else the defaults of design.md §3."""
    text = settings_store.value(db, RULES_KEY)
    if not text:
        return DEFAULT_RULES
    try:
        return ActivityRules.from_json(text)
    except ValueError:
        return DEFAULT_RULES  # a damaged setting must not stop the Home page; Settings shows and re-saves them


def save_rules(db: Database, rules_: ActivityRules) -> None:
    """Save the rules edited in Settings (counts are never negative: Requirement refuses that)."""
    if rules_.member_hours_tenths < 0 or rules_.committee_hours_tenths < 0:
        raise ValidationError([FieldError("rules", "学时要求不能为负数")])
    with db.atomic():
        before = load_rules(db)
        settings_store.put(db, RULES_KEY, rules_.to_json())
        changed = [k.label for k in ActivityKind if before.required.get(k) != rules_.required.get(k)]
        if before.member_hours_tenths != rules_.member_hours_tenths:
            changed.append("党员学时要求")
        if before.committee_hours_tenths != rules_.committee_hours_tenths:
            changed.append("支委学时要求")
        audit.record(db, audit.UPDATE, "settings", label="会议活动规则", fields=changed)


# --- compliance ---

@dataclass(frozen=True)
class PeriodCell:
    period: Period
    required: int
    held: int
    state: str  # "met" / "missing" / "open" / "future" (domain.activities.period_state)


@dataclass(frozen=True)
class KindCompliance:
    kind: ActivityKind
    requirement: Requirement
    periods: list[PeriodCell]

    @property
    def missing(self) -> int:
        return sum(1 for c in self.periods if c.state == "missing")


@dataclass(frozen=True)
class MonthCell:
    required: int
    held: int  # counted toward the requirements (extra meetings of one kind do not make up for another)
    state: str


@dataclass(frozen=True)
class BranchRow:
    branch_id: int
    branch_name: str
    months: list[MonthCell]


class _Held:
    """Held counts of one year, month by month (index 1–12): by (branch, kind), and 党小组会 by group."""

    def __init__(self, db: Database, year: int, branch_id: int | None = None) -> None:
        self.by_kind: dict[tuple[int, str], list[int]] = {}
        self.by_group: dict[int, list[int]] = {}
        for org_id, group_id, kind, month, n in q.held_counts(db, f"{year}-01-01", f"{year}-12-31", branch_id):
            self.by_kind.setdefault((org_id, kind), [0] * 13)[month] += n
            if group_id is not None:
                self.by_group.setdefault(group_id, [0] * 13)[month] += n
        self.groups: dict[int, list[int]] = defaultdict(list)
        for group_id, parent_id in q.groups(db):
            self.groups[parent_id].append(group_id)

    def counts(self, branch_id: int, kind: ActivityKind, req: Requirement, period: Period) -> tuple[int, int] | None:
        """(required, held) in `period`; None for a per-group rule in a branch without groups."""
        first, last = period.first_month, period.last_month + 1
        if req.per_group:
            groups = self.groups.get(branch_id)
            if not groups:
                return None
            # Each group owes its own meetings: one group's extra meeting does not cover another's.
            held = sum(min(req.count, sum(self.by_group[g][first:last])) for g in groups if g in self.by_group)
            return req.count * len(groups), held
        months = self.by_kind.get((branch_id, kind.value))
        return req.count, sum(months[first:last]) if months else 0

    def cell(self, branch_id: int, kind: ActivityKind, req: Requirement, period: Period,
             today: dt.date) -> PeriodCell | None:
        found = self.counts(branch_id, kind, req, period)
        if found is None:
            return None
        required, held = found
        return PeriodCell(period, required, held, rules.period_state(period, held, required, today))


def compliance(db: Database, branch_id: int, year: int, today: dt.date | None = None) -> list[KindCompliance]:
    """Each required kind's periods of `year` for one branch: required, held and whether it was met."""
    today = today or dt.date.today()
    with db.snapshot():
        active = load_rules(db)
        held = _Held(db, year, branch_id)
    found = []
    for kind, req in active.required.items():
        if req.count == 0:
            continue
        cells = [held.cell(branch_id, kind, req, p, today) for p in req.periods(year)]
        if all(c is not None for c in cells):
            found.append(KindCompliance(kind, req, [c for c in cells if c is not None]))
    return found


def _branches(db: Database, scope_id: int) -> list[organizations.Organization]:
    return [org for _depth, org in organizations.outline(db, scope_id) if org.kind is OrgKind.BRANCH]


def compliance_matrix(db: Database, scope_id: int, year: int, today: dt.date | None = None) -> list[BranchRow]:
    """Branches × 12 months: every requirement falling due in the month (quarterly and yearly ones in
    their period's last month), how many of them were held, and the worst state among them ("future"
    for a month not yet begun)."""
    today = today or dt.date.today()
    with db.snapshot():
        active = load_rules(db)
        held = _Held(db, year)
        branches = _branches(db, scope_id)
    due: dict[int, list[tuple[ActivityKind, Requirement, Period]]] = defaultdict(list)
    for kind, req in active.required.items():
        if req.count:
            for period in req.periods(year):
                due[period.last_month].append((kind, req, period))
    rows = []
    for branch in branches:
        months = []
        for month in range(1, 13):
            required = counted = 0
            states = []
            for kind, req, period in due[month]:
                found = held.counts(branch.id, kind, req, period)
                if found is not None:
                    need, done = found
                    required += need
                    counted += min(need, done)
                    states.append(rules.period_state(period, done, need, today))
            # A month not yet begun is "future" even when a quarter or the year falling due in it is under way.
            state = "future" if dt.date(year, month, 1) > today else rules.combined_state(states)
            months.append(MonthCell(required, counted, state))
        rows.append(BranchRow(branch.id, branch.name, months))
    return rows


@dataclass(frozen=True)
class Missing:
    branch_id: int
    branch_name: str
    kind: ActivityKind
    period: Period
    required: int
    held: int


def due_now(db: Database, scope_id: int, today: dt.date | None = None) -> list[Missing]:
    """Required meetings of the current month, quarter and year not yet held, branch by branch."""
    today = today or dt.date.today()
    with db.snapshot():
        active = load_rules(db)
        held = _Held(db, today.year)
        branches = _branches(db, scope_id)
    found = []
    for branch in branches:
        for kind, req in active.required.items():
            if not req.count:
                continue
            cell = held.cell(branch.id, kind, req, Period.containing(today, req.per), today)
            if cell is not None and cell.held < cell.required:
                found.append(Missing(branch.id, branch.name, kind, cell.period, cell.required, cell.held))
    return found


# --- members' attendance and study hours ---

@dataclass(slots=True)  # thousands at a time: a frozen dataclass costs 6× as much to build
class MemberStudy:
    member_id: int
    name: str
    branch_name: str
    expected: int
    attended: int
    rate: float | None  # display only; None when the member was expected nowhere
    hours_tenths: int
    required_tenths: int
    gap_tenths: int  # ≥ 0
    branch_id: int = 0
    committee: bool = False  # sat on a committee during the year: owes the higher hours


# Up to this many members in the scope, their own attendance lines (of every year) are read rather than
# the whole organization's for the year: on the large demo a 56-member branch takes 6 ms instead of 250,
# 511 members 45 ms with two years recorded — about even with the year's pass after some ten years.
_FEW_MEMBERS = 500


def member_study(db: Database, scope_id: int, year: int) -> list[MemberStudy]:
    """Each member of the scope (on the roll now, or expected somewhere in `year`) who had joined the Party
    by the end of `year`: attendance and study hours of the year against the hours they owe. A member
    admitted later was on no roll that year and owes it nothing. A few aggregate queries, whatever the
    scope's size."""
    return _study(db, scope_id, year)


def _study(db: Database, scope_id: int, year: int, on_roll_only: bool = False) -> list[MemberStudy]:
    """member_study; with `on_roll_only`, of the members on the roll now only."""
    start, end = f"{year}-01-01", f"{year}-12-31"
    with db.snapshot():
        active = load_rules(db)
        org_ids = org_store.subtree_ids(db, scope_id)
        members = q.members_in(db, org_ids)
        few = [m[0] for m in members] if len(members) <= _FEW_MEMBERS else None
        totals = {r[0]: r[1:] for r in q.member_totals(db, start, end, few)}
        committee = q.committee_member_ids(db, start, end)
        names = member_store.organization_names(db)
    on_roll = {s.value for s in Status if s.active}
    found = []
    for member_id, name, org_id, status, joined_on in members:
        total = totals.get(member_id)
        if joined_on > end or ((total is None or on_roll_only) and status not in on_roll):
            continue
        expected, attended, hours = total or (0, 0, 0)
        sits = member_id in committee
        required = active.required_hours_tenths(sits)
        found.append(MemberStudy(member_id, name, names.get(org_id, ""), expected, attended,
                                 rules.rate(attended, expected), hours, required, max(0, required - hours),
                                 org_id, sits))
    return found


def behind_pace(db: Database, scope_id: int, today: dt.date | None = None) -> list[MemberStudy]:
    """Members on the roll whose study hours this year lag the share of the yearly requirement that
    the part of the year gone asks (most behind first)."""
    today = today or dt.date.today()
    late = [m for m in _study(db, scope_id, today.year, on_roll_only=True)
            if rules.behind_pace(m.hours_tenths, m.required_tenths, today.year, today)]
    return sorted(late, key=lambda m: (m.hours_tenths - m.required_tenths, m.branch_id, m.member_id))


def monthly_attendance(db: Database, scope_id: int, year: int) -> list[float | None]:
    """The scope's attendance rate in each month of `year` (None for a month with nobody expected)."""
    with db.snapshot():
        totals = {r[0]: (r[1], r[2]) for r in q.monthly_totals(
            db, org_store.subtree_ids(db, scope_id), f"{year}-01-01", f"{year}-12-31")}
    return [rules.rate(totals[m][1], totals[m][0]) if m in totals else None for m in range(1, 13)]
