"""What each report shows, read from the services the pages use (`READERS`, by report name, called
by services.exports.prepare inside its read snapshot); reports/<name>.py lays the rows out.

Also the year's figures that the 机关党委 reports upward (年度党建工作统计表), per branch: study
sessions and their 人次, 党课 and those given by 党员领导干部, study hours, study output by type,
commendations by level, 民主评议 ratings, dues due / collected / remitted, and how many required
meetings were kept; and the scope's months (attendance rate, dues) for the charts. They reuse the
services the pages show (activities.member_study, compliance_matrix and monthly_attendance,
dues.branch_months, honours' lists); only the counts of sessions and 人次 per branch come from one
store query each, with what counts as attended taken from domain.activities.

Kept apart from services.exports so that importing the export service (the command line, the report
center) does not load every area's services.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain import idnumber
from ..domain.activities import STUDY_KINDS, ActivityKind, AttendanceStatus, format_hours
from ..domain.honours import Level, OutputKind, Rating
from ..domain.members import Standing, Status
from ..domain.organization import OrgKind
from ..domain.periods import Period
from ..store import activities as activity_store
from ..store import statistics as q
from ..store.database import Database
from . import activities, dues, honours, members, organizations
from .exports import Context
from .organizations import Organization

if TYPE_CHECKING:
    from ..reports import attendance as attendance_report
    from ..reports import commendations as commendations_report
    from ..reports.sheet import Sheet

# Statuses whose attendance line is one 人次 (present, or made up: domain.activities).
_ATTENDED = tuple(s.value for s in AttendanceStatus if s.counts_as_attended)
_STUDY = frozenset(k.value for k in STUDY_KINDS)


@dataclass
class BranchYear:
    """One branch's year; the scope's own line (本级) holds what was given to organizations above the branches."""

    branch_id: int
    name: str
    members: int = 0  # on the roll on the day of the report
    sessions: int = 0  # study sessions held (domain.activities.STUDY_KINDS)
    attendances: int = 0  # 人次 at them (present or made up)
    lectures: int = 0  # 党课 held
    leader_lectures: int = 0  # of which given by a 党员领导干部
    studied: int = 0  # members counted for study hours
    hours_tenths: int = 0
    short: int = 0  # members below the hours they owe
    outputs: Counter[OutputKind] = field(default_factory=Counter)
    published: int = 0  # study output published or awarded
    commendations: Counter[Level] = field(default_factory=Counter)
    ratings: Counter[Rating] = field(default_factory=Counter)
    due_fen: int = 0
    paid_fen: int = 0
    extra_fen: int = 0
    remitted_fen: int = 0
    meetings_due: int = 0  # required meetings of the months over (or already met)
    meetings_kept: int = 0  # of those, held as required


@dataclass(frozen=True)
class Month:
    attendance: float | None  # the scope's attendance rate (activities.monthly_attendance)
    due_fen: int
    paid_fen: int


@dataclass
class AnnualStats:
    year: int
    branches: list[BranchYear]
    own: BranchYear  # the scope's own line: commendations to organizations that are not its branches
    months: list[Month]
    commendations: list[honours.Commendation]


def compliance_by_branch(db: Database, scope_id: int, year: int,
                         today: dt.date) -> dict[int, list[activities.KindCompliance]]:
    """services.activities.compliance for every branch of the scope, in tree order, reading the year's
    meetings once: compliance() reads them again for each branch (a minute for 200 branches). The
    cells are activities._Held's, as compliance() makes them (tests/reports/test_meetings.py checks
    the two agree)."""
    with db.snapshot():
        rules = activities.load_rules(db)
        held = activities._Held(db, year)
        branches = [org for _depth, org in organizations.outline(db, scope_id) if org.kind is OrgKind.BRANCH]
    found: dict[int, list[activities.KindCompliance]] = {}
    for branch in branches:
        kinds = []
        for kind, req in rules.required.items():
            if req.count == 0:
                continue
            cells = [held.cell(branch.id, kind, req, p, today) for p in req.periods(year)]
            if all(c is not None for c in cells):
                kinds.append(activities.KindCompliance(kind, req, [c for c in cells if c is not None]))
        found[branch.id] = kinds
    return found


def annual(db: Database, scope_id: int, year: int, today: dt.date) -> AnnualStats:
    """The year's figures of the scope's branches, read in one snapshot."""
    with db.snapshot():
        return _annual_figures(db, scope_id, year, today)


def _annual_figures(db: Database, scope_id: int, year: int, today: dt.date) -> AnnualStats:
    outline = organizations.outline(db, scope_id)
    scope = outline[0][1]
    lines = {org.id: BranchYear(org.id, org.name) for _depth, org in outline if org.kind is OrgKind.BRANCH}
    own = BranchYear(scope.id, f"{scope.name}（本级）")
    in_scope = {org.id for _depth, org in outline}
    start, end = f"{year}-01-01", f"{year}-12-31"

    totals = organizations.member_totals(db)
    for line in lines.values():
        line.members = totals.get(line.branch_id, 0)

    for org_id, kind, by_leader, n in q.held_by_org(db, start, end):
        line = lines.get(org_id)
        if line is None:
            continue
        if kind in _STUDY:
            line.sessions += n
        if kind == ActivityKind.LECTURE.value:
            line.lectures += n
            line.leader_lectures += n if by_leader else 0
    for org_id, n in q.attendance_by_org(db, start, end, sorted(_STUDY), _ATTENDED):
        if org_id in lines:
            lines[org_id].attendances += n

    for m in activities.member_study(db, scope_id, year):
        line = lines.get(m.branch_id)
        if line is not None:
            line.studied += 1
            line.hours_tenths += m.hours_tenths
            line.short += m.gap_tenths > 0

    by_name = {line.name: line for line in lines.values()}
    for o in honours.list_study_outputs(db, scope_id, year):
        line = by_name.get(o.branch_name)
        if line is not None:
            line.outputs[o.data.kind] += 1
            line.published += o.data.published_or_awarded

    commendations = honours.list_commendations(db, scope_id, year)
    for c in commendations:
        (lines.get(c.branch_id) or own).commendations[c.data.level] += 1

    # evaluation_counts: one entry per branch, in tree order (the same order as `lines`).
    for line, counted in zip(lines.values(), honours.evaluation_counts(db, scope_id, year).values(), strict=True):
        line.ratings.update(counted)

    months = [[0, 0] for _ in range(12)]
    for b in dues.branch_months(db, scope_id, year, today):
        line = lines.get(b.branch_id) or (own if b.branch_id in in_scope else None)
        if line is not None:
            line.due_fen += b.due_fen
            line.paid_fen += b.paid_fen
            line.extra_fen += b.extra_fen
            line.remitted_fen += b.remitted_fen
        for i, m in enumerate(b.months):
            months[i][0] += m.due_fen
            months[i][1] += m.paid_fen

    for row in activities.compliance_matrix(db, scope_id, year, today):
        line = lines.get(row.branch_id)
        if line is None:
            continue
        for cell in row.months:
            if cell.state in ("met", "missing"):  # months over, or whose meetings were all held already
                line.meetings_due += cell.required
                line.meetings_kept += cell.held

    rates = activities.monthly_attendance(db, scope_id, year)
    return AnnualStats(year, list(lines.values()), own,
                       [Month(rate, due, paid) for rate, (due, paid) in zip(rates, months, strict=True)],
                       commendations)


# --- what each report shows: read from the services the pages use, laid out by reports/<name>.py ---

def _mask_phone(phone: str) -> str:
    """The first 3 and last 4 characters (138****5678), as the members list shows phones."""
    if len(phone) <= 7:
        return "*" * max(len(phone) - 4, 0) + phone[-4:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def _roster_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import roster as report

    outline = organizations.outline(ctx.db, ctx.scope.id)
    order = {org.id: n for n, (_depth, org) in enumerate(outline)}
    # The roll on the period's last day (today for the period under way), as the meetings' expected
    # attendees are taken (store.activities.roll: joined by then, not yet transferred out or deceased).
    day = min(ctx.period.end, ctx.today).isoformat()
    ids = {r[0] for _depth, org in outline if org.kind is not OrgKind.GROUP
           for r in activity_store.roll(ctx.db, org.id, day)}
    on_roll = sorted((m for m in members.list_members(ctx.db, ctx.scope.id) if m.id in ids),
                     key=lambda m: order[m.org_id])
    full = ctx.options.show_full_ids
    entries = []
    counts: dict[int, list[int]] = {}  # by branch: full, probationary, women, minorities, away
    for m in on_roll:
        d = m.data
        entries.append(report.Entry(
            m.org_name, m.group_name, d.name, d.gender, d.ethnicity, d.birth_date,
            d.id_number if full else idnumber.mask(d.id_number), d.education, d.standing.label, d.joined_on,
            d.full_on, d.dues_category.label, d.phone if full else _mask_phone(d.phone), m.status.label, d.note))
        c = counts.setdefault(m.org_id, [0, 0, 0, 0, 0])
        c[0 if d.standing is Standing.FULL else 1] += 1
        c[2] += d.gender == "女"
        c[3] += bool(d.ethnicity) and d.ethnicity != "汉族"
        c[4] += m.status is not Status.NORMAL
    rows = [report.BranchCount(b.name, *counts.get(b.id, (0, 0, 0, 0, 0))) for b in _branches(ctx)]
    return report.sheets(ctx.report, entries, rows, masked=not full, on=min(ctx.period.end, ctx.today))


def _branches(ctx: Context) -> list[Organization]:
    """The scope's branches in tree order (the rows of the per-branch sheets)."""
    return [org for _depth, org in organizations.outline(ctx.db, ctx.scope.id) if org.kind is OrgKind.BRANCH]


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _meeting_lines(ctx: Context) -> tuple[list[ActivityKind], list[str], dict[int, dict[ActivityKind, list]]]:
    """services.activities.compliance of each branch, cut to the periods inside the report's: the kinds
    shown (in their order), the kinds left out (required over longer periods than the report's), and
    each branch's cells by kind."""
    cells: dict[int, dict[ActivityKind, list]] = {}
    required: set[ActivityKind] = set()
    shown: set[ActivityKind] = set()
    for branch_id, found in compliance_by_branch(ctx.db, ctx.scope.id, ctx.period.year, ctx.today).items():
        mine: dict[ActivityKind, list] = {}
        for kc in found:
            required.add(kc.kind)
            inside = [c for c in kc.periods if _within(c.period, ctx.period)]
            if inside:
                shown.add(kc.kind)
                mine[kc.kind] = inside
        cells[branch_id] = mine
    kinds = [k for k in ActivityKind if k in shown]
    return kinds, [k.label for k in ActivityKind if k in required - shown], cells


def _meetings_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import meetings as report

    kinds, left_out, cells = _meeting_lines(ctx)
    required = activities.load_rules(ctx.db).required
    lines, details = [], []
    for branch in _branches(ctx):
        mine = cells[branch.id]
        counts, due_required, due_kept = [], 0, 0
        for kind in kinds:
            kc = mine.get(kind)
            if kc is None:
                counts.append(None)
                continue
            counts.append(report.KindCount(sum(c.required for c in kc), sum(c.held for c in kc)))
            for c in kc:
                details.append(report.Detail(branch.name, kind.label, required[kind].label, c.period.label,
                                             c.required, c.held, report.STATE_LABELS[c.state]))
                if c.state in ("met", "missing"):  # the period is over, or its meetings were all held early
                    due_required += c.required
                    due_kept += min(c.held, c.required)
        lines.append(report.BranchLine(branch.name, counts, due_required, due_kept))
    held = sorted((a for a in activities.list_activities(ctx.db, ctx.scope.id, start=ctx.period.start,
                                                          end=ctx.period.end) if a.status == "held"),
                  key=lambda a: (a.held_on, a.id))
    meetings = [report.Meeting(a.held_on, a.branch_name, a.group_name, a.kind.label, a.topic, a.expected,
                               a.attended, a.leave, a.absent, a.lecturer) for a in held]
    return report.sheets(ctx.report, [k.label for k in kinds], lines, details, meetings, left_out)


def _attendance_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import attendance as report

    db, period = ctx.db, ctx.period
    sessions = sorted((a for a in activities.list_activities(db, ctx.scope.id, start=period.start, end=period.end)
                       if a.status == "held" and a.kind in STUDY_KINDS), key=lambda a: (a.held_on, a.id))
    by_branch: dict[int, list[activities.ActivityRow]] = {}
    for a in sessions:
        by_branch.setdefault(a.branch_id, []).append(a)
    lines: dict[int, dict[int, AttendanceStatus]] = {}  # activity → member → status
    names: dict[int, str] = {}
    wanted = {a.id for a in sessions}
    statuses = {s.value: s for s in AttendanceStatus}
    for activity_id, member_id, name, status in q.attendance_lines(
            db, organizations.subtree_ids(db, ctx.scope.id), period.start.isoformat(), period.end.isoformat(),
            [k.value for k in STUDY_KINDS]):
        if activity_id in wanted:
            lines.setdefault(activity_id, {})[member_id] = statuses[status]
            names[member_id] = name
    roll: dict[int, list[int]] = {}  # branch → members on the roll who had joined by the period's end
    for m in members.list_members(db, ctx.scope.id):
        names.setdefault(m.id, m.name)
        if m.status.active and (m.data.joined_on is None or m.data.joined_on <= period.end):
            roll.setdefault(m.org_id, []).append(m.id)
    found = []
    for branch in _branches(ctx):
        mine = by_branch.get(branch.id, [])
        people = list(roll.get(branch.id, []))
        seen = set(people)
        for a in mine:  # members since gone, or moved to another branch, keep their lines here
            for member_id in lines.get(a.id, {}):
                if member_id not in seen:
                    seen.add(member_id)
                    people.append(member_id)
        if not mine and not people:
            continue
        found.append(report.BranchSheet(
            branch.name,
            [report.Session(a.held_on, a.kind.label, a.topic, a.study_hours_tenths / 10, a.expected, a.attended)
             for a in mine],
            [_member_line(names[m], [lines.get(a.id, {}).get(m) for a in mine]) for m in people]))
    return report.sheets(ctx.report, found)


def _member_line(name: str, statuses: list[AttendanceStatus | None]) -> attendance_report.MemberLine:
    from ..reports import attendance as report

    marked = [s for s in statuses if s is not None]
    return report.MemberLine(
        name, [s.mark if s is not None else "" for s in statuses],
        expected=sum(s.expected for s in marked), attended=sum(s.counts_as_attended for s in marked),
        leave=sum(s is AttendanceStatus.LEAVE for s in marked),
        absent=sum(s is AttendanceStatus.ABSENT for s in marked),
        made_up=sum(s is AttendanceStatus.MADE_UP for s in marked))


def _study_hours_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import study_hours as report

    order = {b.id: n for n, b in enumerate(_branches(ctx))}
    found = sorted(activities.member_study(ctx.db, ctx.scope.id, ctx.period.year),
                   key=lambda m: order.get(m.branch_id, len(order)))
    entries = [report.Entry(m.branch_name, m.name, m.committee, m.expected, m.attended, m.hours_tenths,
                            m.required_tenths, m.gap_tenths) for m in found]
    totals: dict[int, list[int]] = {}
    for m in found:
        t = totals.setdefault(m.branch_id, [0, 0, 0])
        t[0] += 1
        t[1] += m.hours_tenths
        t[2] += m.gap_tenths > 0
    branches = [report.BranchTotal(b.name, *totals.get(b.id, (0, 0, 0))) for b in _branches(ctx)]
    rules = activities.load_rules(ctx.db)
    required = (f"党员{format_hours(rules.member_hours_tenths)}学时，"
                f"支部委员会委员{format_hours(rules.committee_hours_tenths)}学时")
    return report.sheets(ctx.report, entries, branches, required)


_PAID_STATES = ("paid", "advance", "back_paid")


def _month_cell(cell: dues.MonthCell) -> int | str | None:
    """A month of the dues grid as the 明细表 shows it: the fen paid, 免交, 未交 (over and unpaid), or blank."""
    from ..reports import dues as report

    if cell.state in _PAID_STATES:
        return cell.paid_fen
    if cell.state == "exempt":
        return report.EXEMPT
    if cell.state == "unpaid" and cell.overdue:
        return report.UNPAID
    return None


def _dues_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import dues as report

    grid = dues.year_grid(ctx.db, ctx.scope.id, ctx.period.year, ctx.today)
    entries = [report.Entry(r.branch_name, r.name, r.category.label, r.base_fen, r.rate_text, r.due_fen,
                            [_month_cell(c) for c in r.cells], r.extra_fen, r.owed_fen) for r in grid.rows]
    totals = [report.MonthTotal(report.MONTHS[i], t.due_fen, t.paid_fen) for i, t in enumerate(grid.totals)]
    return report.sheets(ctx.report, entries, totals)


def _dues_summary_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import dues_summary as report

    period = ctx.period
    months = period.months()
    chosen = range(period.first_month - 1, period.last_month)
    # Remittances count in the period their own period begins in (as services.dues.branch_months counts them).
    upward = [r for r in dues.remittances(ctx.db, ctx.scope.id, period.year) if r.period_from in months]
    remitted: dict[int, int] = {}
    for r in upward:
        remitted[r.org_id] = remitted.get(r.org_id, 0) + r.amount_fen
    branches, by_month = [], []
    for b in dues.branch_months(ctx.db, ctx.scope.id, period.year, ctx.today):
        mine = [b.months[i] for i in chosen]
        extra = b.extra_fen if period.kind == "year" else None  # kept for the year only
        branches.append(report.BranchLine(b.branch_name, sum(m.due_fen for m in mine), sum(m.paid_fen for m in mine),
                                          extra, remitted.get(b.branch_id, 0)))
        by_month += [report.MonthLine(b.branch_name, f"{period.year}年{i + 1}月", b.months[i].due_fen,
                                      b.months[i].paid_fen) for i in chosen]
    records = [report.Remitted(r.org_name, r.period_label, r.amount_fen, r.remitted_on, r.receipt_no, r.note)
               for r in upward]
    return report.sheets(ctx.report, branches, by_month, records)


def _annual_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import annual as report

    found = annual(ctx.db, ctx.scope.id, ctx.period.year, ctx.today)

    def line(b: BranchYear) -> report.Branch:
        return report.Branch(
            b.name, b.members, b.sessions, b.attendances, b.lectures, b.leader_lectures, b.studied, b.hours_tenths,
            b.short, dict(b.outputs), b.published, dict(b.commendations), dict(b.ratings), b.due_fen, b.paid_fen,
            b.extra_fen, b.remitted_fen, b.meetings_due, b.meetings_kept)

    own = found.own
    has_own = bool(own.commendations or own.due_fen or own.paid_fen or own.remitted_fen)
    return report.sheets(ctx.report, [line(b) for b in found.branches], line(own) if has_own else None,
                         [report.Month(m.attendance, m.due_fen, m.paid_fen) for m in found.months],
                         _commendation_entries(found.commendations))


def _commendation_entries(found: list[honours.Commendation]) -> list[commendations_report.Entry]:
    from ..reports import commendations as report

    return [report.Entry(c.data.level, c.data.title, c.title_label, c.recipient_name,
                         "" if c.to_organization else c.branch_name, c.data.issuer, c.data.document_no,
                         c.data.awarded_on) for c in found]


def _commendations_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import commendations as report

    found = honours.list_commendations(ctx.db, ctx.scope.id, ctx.period.year)
    return report.sheets(ctx.report, _commendation_entries(found))


def _evaluations_sheets(ctx: Context) -> list[Sheet]:
    from ..reports import evaluations as report

    db, year = ctx.db, ctx.period.year
    counts = honours.evaluation_counts(db, ctx.scope.id, year)  # by branch label, in tree order
    branches = [org for _depth, org in organizations.outline(db, ctx.scope.id) if org.kind is OrgKind.BRANCH]
    entries: list[report.Entry] = []
    for org, label in zip(branches, counts, strict=True):
        entries += [report.Entry(label, e.member.name, _standing(e), e.rating, e.note)
                    for e in honours.evaluation_sheet(db, org.id, year) if e.rating is not None]
    return report.sheets(ctx.report, list(counts.items()), entries)


def _standing(entry: honours.EvaluationEntry) -> str:
    """正式党员 / 预备党员 as at the end of the year rated."""
    return (Standing.PROBATIONARY if entry.probationary else Standing.FULL).label


READERS: dict[str, Callable[[Context], list[Sheet]]] = {
    "roster": _roster_sheets, "meetings": _meetings_sheets, "attendance": _attendance_sheets,
    "study-hours": _study_hours_sheets, "dues": _dues_sheets, "dues-summary": _dues_summary_sheets,
    "commendations": _commendations_sheets, "evaluations": _evaluations_sheets, "annual": _annual_sheets,
}
