"""The year's figures that the 机关党委 reports upward (年度党建工作统计表), per branch: study sessions
and their 人次, 党课 and those given by 党员领导干部, study hours, study output by type, commendations
by level, 民主评议 ratings, dues due / collected / remitted, and how many required meetings were kept;
and the scope's months (attendance rate, dues) for the charts.

The figures reuse the services that the pages show (activities.member_study and compliance_matrix,
dues.branch_months, honours' lists); only the counts of sessions and 人次 per branch come from one
store query each, with what counts as attended taken from domain.activities.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ..domain.activities import STUDY_KINDS, ActivityKind, AttendanceStatus
from ..domain.honours import Level, OutputKind, Rating
from ..domain.organization import OrgKind
from ..store import statistics as q
from ..store.database import Database
from . import activities, dues, honours, organizations

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
        return _annual(db, scope_id, year, today)


def _annual(db: Database, scope_id: int, year: int, today: dt.date) -> AnnualStats:
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
