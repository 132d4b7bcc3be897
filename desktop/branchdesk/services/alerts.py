"""The Home page's to-dos and alerts (design.md §4, 工作台), and the figures of its charts.

Each gathers what the other areas' services already compute, in one read snapshot, so that the page
never shows counts taken from two states of the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.dues import DuesRules
from ..domain.members import Status
from ..store import alerts as queries
from ..store import members as member_store
from ..store import organizations as org_store
from ..store.database import Database
from . import activities, dues, members, organizations
from .activities import MemberStudy, Missing
from .dues import Arrear, DuesMonth


@dataclass(frozen=True)
class Conversion:
    """A probationary member whose probation ends within the notice window (or already has)."""

    member_id: int
    name: str
    branch_name: str
    due_on: dt.date


@dataclass(frozen=True)
class TermEnding:
    """A committee whose term ends within the warning window: its seats ending on that day."""

    org_id: int
    branch_name: str
    term_end: dt.date
    seats: tuple[str, ...]  # "书记 王建国", …


@dataclass(frozen=True)
class Anniversary:
    """政治生日: a member on the roll who joined the Party in this calendar month of an earlier year."""

    member_id: int
    name: str
    branch_name: str
    joined_on: dt.date
    years: int


@dataclass(frozen=True)
class Alerts:
    today: dt.date
    meetings: list[Missing]  # required meetings of the current month / quarter / year not yet held
    arrears: list[Arrear]  # dues unpaid ≥ 3 months; level "danger" at 5 consecutive (自行脱党 warning)
    dues_rules: DuesRules  # the months of those thresholds, and of the lapse itself (党章 art. 9)
    conversions: list[Conversion]
    terms: list[TermEnding]
    behind: list[MemberStudy]  # study hours below the year's pace
    anniversaries: list[Anniversary]


@dataclass(frozen=True)
class Charts:
    year: int
    attendance: list[float | None]  # 12 monthly attendance rates (None: no session that month)
    collection: list[DuesMonth]  # 12 months of dues due and collected
    compliance: list[activities.BranchRow]  # branches × 12 months of required meetings


def gather(db: Database, scope_id: int, today: dt.date) -> Alerts:
    """Everything the Home page lists for the organization `scope_id` (and those under it) on `today`."""
    with db.snapshot():
        conversions = sorted(
            (Conversion(m.id, m.name, m.org_name, m.probation_end)
             for m in members.due_for_conversion(db, scope_id, today) if m.probation_end is not None),
            key=lambda c: (c.due_on, c.branch_name, c.name))
        in_scope = org_store.subtree_ids(db, scope_id)
        names = member_store.organization_names(db)
        on_roll = [s.value for s in Status if s.active]
        anniversaries = []
        for member_id, name, org_id, joined in queries.joined_in_month(db, in_scope, on_roll, today.month, today.year):
            joined_on = dt.date.fromisoformat(joined)
            anniversaries.append(Anniversary(member_id, name, names[org_id], joined_on, today.year - joined_on.year))
        anniversaries.sort(key=lambda a: (a.joined_on.day, a.branch_name, a.name))
        scope_ids = set(in_scope)
        committees: dict[tuple[int, dt.date], list[str]] = {}
        for seat in organizations.terms_ending(db, today):
            if seat.org_id in scope_ids:
                committees.setdefault((seat.org_id, seat.term_end), []).append(f"{seat.role.label} {seat.member_name}")
        terms = sorted((TermEnding(org_id, names.get(org_id, ""), end, tuple(seats))
                        for (org_id, end), seats in committees.items()), key=lambda t: (t.term_end, t.branch_name))
        return Alerts(
            today=today,
            meetings=activities.due_now(db, scope_id, today),
            arrears=[a for a in dues.arrears(db, scope_id, today) if a.level],  # the longest run unpaid first
            dues_rules=dues.load_rules(db),
            conversions=conversions,
            terms=terms,
            behind=activities.behind_pace(db, scope_id, today),
            anniversaries=anniversaries,
        )


def charts(db: Database, scope_id: int, today: dt.date) -> Charts:
    """This year's monthly attendance, dues collection and meeting compliance for `scope_id`."""
    with db.snapshot():
        return Charts(
            year=today.year,
            attendance=activities.monthly_attendance(db, scope_id, today.year),
            collection=dues.monthly_collection(db, scope_id, today.year, today),
            compliance=activities.compliance_matrix(db, scope_id, today.year, today),
        )
