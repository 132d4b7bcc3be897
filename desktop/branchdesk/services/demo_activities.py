"""Demo meetings and study sessions (seeds/activities.toml): what each branch held from the ledger's
start to today, with attendance, and the gaps an inspection would find.

Every branch follows the rules of design.md §3 (主题党日 and 支委会 monthly, 党小组会 monthly per group,
支部党员大会 and 党课 quarterly, 组织生活会 and 民主评议 yearly, several study sessions), missing a few at
random; on top of that, deliberate gaps: the first branch skips last year's second-quarter 党课, the
third last year's August 支委会, the fourth this year's previous month's 主题党日. Attendance is one line
per member expected (on the roll that day; the committee for a 支委会, the group for a 党小组会):
mostly present, some on leave with a reason or absent, and about half of those make the session up
later (补学). Sessions of the coming month are planned, without attendance.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.activities import ActivityKind as K

if TYPE_CHECKING:
    from .demo import _Person

ACTIVITY_COLUMNS = ("id", "org_id", "group_id", "kind", "status", "held_on", "starts_at", "ends_at", "place",
                    "chair", "recorder", "topic", "agenda", "minutes", "decisions", "study_hours_tenths",
                    "lecturer", "lecturer_is_leader")
ATTENDANCE_COLUMNS = ("activity_id", "member_id", "status", "reason", "made_up_on")
PLANNED_DAYS = 30  # sessions up to a month ahead are on the calendar as planned


@dataclass(frozen=True)
class Branch:
    id: int
    retired: bool  # a 离退休党支部
    groups: list[int]
    members: list[_Person]
    committee: list[tuple[int, str]]  # (member id, role), secretary first


def _workday(day: dt.date) -> dt.date:
    """The day, or the Monday after when it falls on a weekend (staying in its month when it can)."""
    moved = day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    return moved if moved.month == day.month else day - dt.timedelta(days=day.weekday() - 4)


class ActivityGenerator:
    def __init__(self, seeds: dict[str, Any], r: random.Random, today: dt.date, years: int,
                 names: dict[int, str]) -> None:
        self.s = seeds
        self.r = r
        self.today = today
        self.first_year = today.year - years
        self.names = names  # member id → name
        self.planned: list[tuple[Branch, K, dt.date, int | None]] = []
        self.activities: list[tuple] = []
        self.steady: dict[int, list[bool]] = {}  # branch id → whether each member is on the roll throughout
        self.attendance: list[tuple] = []

    def run(self, branches: list[Branch], leaders: list[int]) -> tuple[list[tuple], list[tuple]]:
        """The activities and attendance rows of every branch, ids in the order of their dates."""
        self.leaders = leaders  # who may come to lecture as a 党员领导干部
        gaps = self.gaps(branches)
        for branch in branches:
            for year in range(self.first_year, self.today.year + 1):
                self.year(branch, year, gaps)
        self.planned.sort(key=lambda p: (p[2], p[0].id, p[1].value, p[3] or 0))
        for activity_id, (branch, kind, day, group) in enumerate(self.planned, start=1):
            self.activity(activity_id, branch, kind, day, group)
        return self.activities, self.attendance

    def gaps(self, branches: list[Branch]) -> set[tuple[int, K, int, int]]:
        """(branch id, kind, year, month) deliberately not held."""
        y, m = self.today.year, self.today.month
        found = set()
        if branches:
            found.update((branches[0].id, K.LECTURE, y - 1, month) for month in (4, 5, 6))
        if len(branches) > 2:
            found.add((branches[2].id, K.COMMITTEE_MEETING, y - 1, 8))
        if len(branches) > 3 and m > 1:
            found.add((branches[3].id, K.THEME_DAY, y, m - 1))
        return found

    def add(self, branch: Branch, kind: K, day: dt.date, gaps: set, group: int | None = None) -> None:
        if (branch.id, kind, day.year, day.month) in gaps:
            return
        if self.r.random() < self.s["miss"].get(kind.value, 0.0):
            return
        if day > self.today + dt.timedelta(days=PLANNED_DAYS):
            return  # not yet on the calendar
        self.planned.append((branch, kind, day, group))

    def day_in(self, year: int, month: int, first: int = 1, last: int = 28) -> dt.date:
        return _workday(dt.date(year, month, self.r.randint(first, last)))

    def year(self, branch: Branch, year: int, gaps: set) -> None:
        r = self.r
        last_month = 12 if year < self.today.year else min(12, self.today.month + 1)
        for month in range(1, last_month + 1):
            self.add(branch, K.THEME_DAY, self.day_in(year, month, 1, 12), gaps)
            if branch.committee:
                self.add(branch, K.COMMITTEE_MEETING, self.day_in(year, month, 1, 10), gaps)
            for group in branch.groups:
                self.add(branch, K.GROUP_MEETING, self.day_in(year, month, 10, 25), gaps, group)
        for quarter in range(4):
            first = 3 * quarter + 1
            if first > last_month:
                break
            self.add(branch, K.GENERAL_MEETING, self.day_in(year, first + r.randrange(3)), gaps)
            self.add(branch, K.LECTURE, self.day_in(year, first + r.randrange(3)), gaps)
        # 组织生活会 and 民主评议 early in the year (on the year before) or in December.
        month = r.choice((1, 2, 12))
        if month <= last_month:
            self.add(branch, K.LIFE_MEETING, self.day_in(year, month, 5, 20), gaps)
            self.add(branch, K.EVALUATION_MEETING, self.day_in(year, month, 21, 28), gaps)
        study = self.s["study"]
        for _ in range(r.randint(*study["sessions"])):
            self.add(branch, K.STUDY, self.day_in(year, r.randint(1, 12)), gaps)
        for kind in (K.READING_CLASS, K.TRAINING, K.OTHER):
            if r.random() < study[kind.value]:
                self.add(branch, kind, self.day_in(year, r.randint(3, 11)), gaps)

    def expected(self, branch: Branch, kind: K, day: dt.date, group: int | None) -> list[_Person]:
        # Most members are on the roll all through the ledger: only the others are checked day by day.
        if branch.id not in self.steady:
            first = dt.date(self.first_year, 1, 1)
            self.steady[branch.id] = [p.joined <= first and p.arrived is None and p.left is None
                                      for p in branch.members]
        on_roll = [p for p, steady in zip(branch.members, self.steady[branch.id], strict=True)
                   if steady or (p.joined <= day and (p.arrived is None or p.arrived <= day)
                                 and (p.left is None or p.left > day))]
        if kind is K.COMMITTEE_MEETING:
            # The committee now in office stands for the one before it too (the ledger keeps one term).
            seated = {member_id for member_id, _ in branch.committee}
            return [p for p in on_roll if p.id in seated]
        if kind is K.GROUP_MEETING:
            return [p for p in on_roll if p.group_id == group]
        return on_roll

    def activity(self, activity_id: int, branch: Branch, kind: K, day: dt.date, group: int | None) -> None:
        r = self.r
        s = self.s
        held = day <= self.today
        people = self.expected(branch, kind, day, group)
        secretary = self.names[branch.committee[0][0]] if branch.committee else ""
        recorder_id = branch.committee[min(1, len(branch.committee) - 1)][0] if branch.committee else None
        chair = self.names[people[0].id] if kind is K.GROUP_MEETING and people else secretary
        recorder = self.names[recorder_id] if recorder_id else ""
        topic = r.choice(s["topics"][kind.value])
        if kind in (K.LIFE_MEETING, K.EVALUATION_MEETING):
            topic = f"{day.year - (day.month <= 2)}年度{topic.removeprefix('年度')}"
        lecturer, leader = "", 0
        if kind is K.LECTURE:
            if self.leaders and r.random() < s["leader_share"]:
                lecturer, leader = f"{self.names[r.choice(self.leaders)]}（{r.choice(s['leaders'])}）", 1
            else:
                lecturer = secretary
        starts, ends = r.choice(s["times"])
        hours = s["hours_tenths"][kind.value]
        decisions = r.choice(s["decisions"][kind.value]) if kind.value in s["decisions"] else ""
        present = 0
        if held:
            present = self.attend(activity_id, branch, kind, day, people, hours)
        agenda = f"1. {topic}\n2. 交流讨论\n3. 部署下一步工作"
        minutes = (f"{chair}主持。应到{len(people)}人，实到{present}人。围绕“{topic}”开展学习讨论，"
                   "与会党员结合工作实际交流了体会。") if held else ""
        self.activities.append((activity_id, branch.id, group, kind.value, "held" if held else "planned",
                                day.isoformat(), starts, ends, r.choice(s["places"]), chair, recorder, topic,
                                agenda, minutes, decisions if held else "", hours, lecturer, leader))

    def attend(self, activity_id: int, branch: Branch, kind: K, day: dt.date, people: list[_Person],
               hours: int) -> int:
        """One attendance line per member expected (and now and then one observer); how many were present."""
        r = self.r
        rand = r.random
        add = self.attendance.append
        a = self.s["attendance"]
        usual = a["retired"] if branch.retired else a["employed"]
        present = 0
        for p in people:
            mix = a["mobile"] if p.status == "mobile" else usual
            x = rand()
            if x < mix["present"]:
                add((activity_id, p.id, "present", "", None))
                present += 1
                continue
            status = "leave" if x < mix["present"] + mix["leave"] else "absent"
            reason = r.choice(a["leave_reasons"]) if status == "leave" else ""
            made_up = day + dt.timedelta(days=r.randint(1, 20))
            if hours and made_up <= self.today and rand() < a["made_up"]:
                add((activity_id, p.id, "made_up", reason, made_up.isoformat()))
            else:
                add((activity_id, p.id, status, reason, None))
        if kind is K.COMMITTEE_MEETING and r.random() < a["observer"]:
            seated = {p.id for p in people}
            others = [p for p in self.expected(branch, K.THEME_DAY, day, None) if p.id not in seated]
            if others:
                self.attendance.append((activity_id, r.choice(others).id, "observer", "", None))
        return present
