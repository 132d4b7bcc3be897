"""Demo data (`branchdesk demo`, the first-run choice): fictional organizations, members and their
commendations, last year's 民主评议 and study output.

What the data is made of (organs, departments, names, mixes, scales) is defined in seeds/*.toml;
this module turns it into rows with a seeded random generator, so a seed always gives the same
database, and writes them in one transaction.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import tomllib
from bisect import bisect
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Any

from ..domain import idnumber
from ..domain.dates import add_months, add_years, iso
from ..domain.organization import term_end
from ..paths import seeds_dir
from ..store import bulk
from ..store.database import Database
from .demo_activities import ACTIVITY_COLUMNS, ATTENDANCE_COLUMNS, ActivityGenerator, Branch
from .demo_dues import DUES_COLUMNS, DuesGenerator, DuesMember
from .errors import ServiceError

# The columns written, table by table in insertion order (parents before the rows that refer to them).
COLUMNS: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "parent_id", "kind", "name", "established_on", "contact", "sort_order"),
    "members": ("id", "org_id", "group_id", "name", "name_initials", "gender", "ethnicity", "birth_date",
                "id_number", "education", "standing", "joined_on", "full_on", "dues_category",
                "dues_base_fen", "status"),
    "member_events": ("member_id", "on_date", "kind", "detail"),
    "transfers": ("member_id", "direction", "on_date", "counterpart", "letter_no"),
    "committee_members": ("org_id", "member_id", "role", "term_start", "term_end"),
    "commendations": ("member_id", "org_id", "title", "title_text", "level", "year", "issuer", "document_no",
                      "awarded_on"),
    "evaluations": ("member_id", "year", "rating", "note"),
    "study_outputs": ("member_id", "kind", "title", "written_on", "published_in", "award"),
    "activities": ACTIVITY_COLUMNS,
    "attendance": ATTENDANCE_COLUMNS,
    **DUES_COLUMNS,
}


@dataclass(frozen=True)
class DemoData:
    """Rows per table, as tuples in the order of COLUMNS."""

    rows: dict[str, list[tuple]]

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.rows.items()}


def build(db: Database, scale: str = "small", seed: int = 1,
          today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with demo data; the number of rows written per table.

    One transaction: an interrupted build leaves the database as it was.
    """
    with db.atomic():
        if db.conn.execute("SELECT 1 FROM organizations LIMIT 1").fetchone():
            raise ServiceError("数据库中已有党组织，演示数据只能生成到空数据库中")
        return write(db, generate(scale, seed, today))


def write(db: Database, data: DemoData) -> dict[str, int]:
    """Insert generated rows in the caller's transaction."""
    # A page cache of up to 128 MB (taken only as used) keeps the indexes of a million attendance and
    # dues rows, their random uids above all, in memory while they go in: ~25% faster at the large
    # scale. The connection's own size is put back after.
    before = db.conn.execute("PRAGMA cache_size").fetchone()[0]
    db.conn.execute("PRAGMA cache_size = -131072")
    try:
        for table, rows in data.rows.items():
            bulk.insert_rows(db, table, COLUMNS[table], rows)
    finally:
        db.conn.execute(f"PRAGMA cache_size = {int(before)}")
    return data.counts()


def generate(scale: str = "small", seed: int = 1, today: dt.date | None = None) -> DemoData:
    """The rows of a demo database, the same for the same scale, seed and day."""
    seeds = _seeds()
    scales = seeds["organizations"]["scales"]
    if scale not in scales:
        raise ServiceError(f"未知的演示数据规模“{scale}”，可选：{'、'.join(scales)}")
    spec = {**scales[scale], "scale": scale}
    organs = seeds["organizations"]["organs"]
    if len(organs) < spec["organs"]:
        raise ServiceError(f"演示数据定义文件 {seeds_dir() / 'organizations.toml'} 中的单位"
                           f"不足 {spec['organs']} 个")
    unnamed = [organ["name"] for organ in organs[:spec["organs"]] if not organ.get("short")]
    if unnamed:
        raise ServiceError(f"演示数据定义文件 {seeds_dir() / 'organizations.toml'} 中"
                           f"“{'、'.join(unnamed)}”缺少文号用的简称（short）")
    return _Generator(seeds, random.Random(seed), today or dt.date.today()).run(spec, organs[:spec["organs"]])


@cache
def _seeds() -> dict[str, Any]:
    seeds = {}
    for name in ("organizations", "people", "honours", "activities"):
        path = seeds_dir() / f"{name}.toml"
        try:
            with path.open("rb") as f:
                seeds[name] = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ServiceError(f"无法读取演示数据定义文件 {path}：{exc}") from exc
    return seeds


class _Pick:
    """Weighted choice by bisecting cumulative weights (random.choices costs a list per call)."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, r: random.Random) -> Any:
        return self.items[bisect(self.cumulative, r.random() * self.total)]


def _chars(text: str) -> list[tuple[str, str]]:
    """'王w 李l' → [('王', 'w'), ('李', 'l')]: each character with its pinyin initial."""
    return [(token[0], token[1:]) for token in text.split()]


def _mix(weights: dict[str, int]) -> _Pick:
    return _Pick(list(weights), list(weights.values()))


@dataclass(slots=True)
class _Person:
    id: int
    org_id: int
    group_id: int
    category: str  # dues category: employed or retired (a few others: services.demo_dues)
    name: str
    initials: str
    gender: str
    ethnicity: str
    birth: dt.date
    id_number: str
    education: str
    joined: dt.date
    full: dt.date | None
    dues_base_fen: int
    status: str = "normal"
    seated: bool = False
    arrived: dt.date | None = None  # transferred in on
    left: dt.date | None = None  # transferred out on

    def row(self) -> tuple:
        return (self.id, self.org_id, self.group_id, self.name, self.initials, self.gender, self.ethnicity,
                self.birth.isoformat(), self.id_number, self.education,
                "full" if self.full else "probationary", self.joined.isoformat(),
                self.full.isoformat() if self.full else None, self.category, self.dues_base_fen, self.status)


def _roles(size: int) -> tuple[str, ...]:
    # 支部工作条例: a branch of 7 or more members elects a committee of 3–5 (larger ones add a
    # 纪检委员, the largest a deputy); a smaller branch elects only a secretary.
    if size < 7:
        return ("secretary",)
    return ("secretary", "organization", "propaganda") + (("discipline",) if size >= 20 else ()) + (
        ("deputy_secretary",) if size >= 45 else ())


class _Generator:
    def __init__(self, seeds: dict[str, Any], r: random.Random, today: dt.date) -> None:
        self.r = r
        self.today = today
        # The ledger starts on 1 January two years back: history before it is not recorded.
        self.start = dt.date(today.year - 2, 1, 1)
        self.org_seeds = seeds["organizations"]
        people = seeds["people"]
        self.people_seeds = people
        self.regions = people["regions"]
        surnames = _chars(people["surnames"])
        # Rank-weighted, roughly as common surnames are distributed.
        self.surname = _Pick(surnames, [1 / (rank + 8) for rank in range(len(surnames))])
        shared = _chars(people["shared_given"])
        self.given = {True: _chars(people["male_given"]), False: _chars(people["female_given"])}
        self.first_given = {male: shared + chars for male, chars in self.given.items()}
        self.ethnicity = _mix(people["ethnicities"])
        self.education = {cat: _mix(mix) for cat, mix in people["education"].items()}
        self.orgs: list[list] = []
        self.people: list[_Person] = []
        self.events: list[tuple] = []
        self.transfers: list[tuple] = []
        self.seats: list[tuple] = []
        self.used_numbers: set[str] = set()
        self.sort_orders: dict[int | None, int] = {}
        self.honour_seeds = seeds["honours"]
        # Each organ: its 机关党委, its seed entry and its branches.
        self.organs: list[tuple[int, dict[str, Any], list[int]]] = []
        self.secretaries: dict[int, bool] = {}  # committee members: whether the branch's secretary
        # Who may be commended: by (机关党委 or None for all, year, for 优秀党务工作者).
        self.candidates: dict[tuple[int | None, int, bool], tuple[list, list[float]]] = {}
        self.commendations: list[tuple] = []
        self.evaluations: list[tuple] = []
        self.study_outputs: list[tuple] = []

    def run(self, spec: dict[str, Any], organs: list[dict[str, Any]]) -> DemoData:
        root = self.org(None, "committee", spec["root"]) if "root" in spec else None
        branches: list[tuple[int, str, list[int]]] = []  # (branch id, dues category, its groups)
        for organ in organs:
            branches += self.organ(root, organ, spec["branches"])
        weights = [1.3 if category == "retired" else self.r.uniform(0.7, 1.3) for _, category, _ in branches]
        sizes = _split(spec["members"], weights)
        for (branch, _, groups), size in zip(branches, sizes, strict=True):
            group_count = 1 if size < 15 else 2 if size < 35 else 3
            groups += [self.org(branch, "group", name) for name in self.org_seeds["groups"][:group_count]]
        slots = [(branch, category, groups[i % len(groups)])
                 for (branch, category, groups), size in zip(branches, sizes, strict=True)
                 for i in range(size)]
        employed = [i for i, slot in enumerate(slots) if slot[1] == "employed"]
        count = max(3, round(self.people_seeds["shares"]["probationary"] * len(slots)))
        probationary = self.r.sample(employed, count)
        due_soon = probationary[0]
        probationary_set = set(probationary)
        for i, (branch, category, group) in enumerate(slots):
            self.people.append(self.person(i + 1, branch, group, category, i in probationary_set, i == due_soon))
        by_branch: dict[int, list[_Person]] = {}
        for p in self.people:
            by_branch.setdefault(p.org_id, []).append(p)
        # The second branch of the first organ is the one whose committee term ends soon.
        for n, (branch, _, _) in enumerate(branches):
            self.committee(branch, by_branch[branch], ending_soon=n == 1)
        self.history()
        # Drawn after everything above, so adding them left the organizations and members of a
        # seed as they were.
        excellent = self.commend()
        year = self.today.year - 1
        honoured = {member_id for y, member_id in excellent if y in (year, year + 1)}
        self.evaluate(year, [branch for branch, _, _ in branches], by_branch, honoured)
        self.write_outputs()
        activities, attendance = self.meetings(spec["scale"], branches, by_branch)
        dues = self.dues()
        return DemoData({
            "organizations": [tuple(o) for o in self.orgs],
            "members": [p.row() for p in self.people],
            "member_events": self.events,
            "transfers": self.transfers,
            "committee_members": self.seats,
            "commendations": self.commendations,
            "evaluations": self.evaluations,
            "study_outputs": self.study_outputs,
            "activities": activities,
            "attendance": attendance,
            **dues,
        })

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.r.randrange((last - first).days + 1))

    def org(self, parent: int | None, kind: str, name: str, established: dt.date | None = None) -> int:
        org_id = len(self.orgs) + 1
        order = self.sort_orders[parent] = self.sort_orders.get(parent, 0) + 1
        self.orgs.append([org_id, parent, kind, name, iso(established), "", order])
        return org_id

    def organ(self, parent: int | None, organ: dict[str, Any], count: int) -> list[tuple[int, str, list[int]]]:
        """One organ's 机关党委 with `count` branches: departments, then units, then retirees."""
        o = self.org_seeds
        y = self.today.year
        committee = self.org(parent, "committee", organ["name"] + o["committee_suffix"],
                             self.day_between(dt.date(1992, 1, 1), dt.date(2008, 12, 31)))
        units = organ["units"]
        departments = organ["departments"][:count - 1 - len(units)]
        if len(departments) + len(units) + 1 < count:
            raise ServiceError(f"演示数据定义文件 {seeds_dir() / 'organizations.toml'} 中“{organ['name']}”"
                               f"的处室不足以组成 {count} 个党支部")
        result: list[tuple[int, str, list[int]]] = []

        def add(parent_id: int, name: str, category: str) -> None:
            branch = self.org(parent_id, "branch", name,
                              self.day_between(dt.date(2000, 1, 1), dt.date(y - 3, 12, 31)))
            result.append((branch, category, []))

        for name in departments:
            add(committee, name + "党支部", "employed")
        # Two or more units share a 党总支; a single unit's branch sits under the committee directly.
        unit_parent = committee
        if len(units) > 1:
            unit_parent = self.org(committee, "general_branch", o["general_branch"],
                                   self.day_between(dt.date(2005, 1, 1), dt.date(y - 5, 12, 31)))
        for name in units:
            add(unit_parent, name + "党支部", "employed")
        add(committee, o["retirees_branch"], "retired")
        self.organs.append((committee, organ, [branch for branch, _, _ in result]))
        return result

    def name(self, male: bool) -> tuple[str, str]:
        r = self.r
        surname, initial = self.surname(r)
        given = self.given[male]
        if r.random() < self.people_seeds["two_char_names"]:
            (a, ai), (b, bi) = r.choice(self.first_given[male]), r.choice(given)
            return surname + a + b, initial + ai + bi
        a, ai = r.choice(given)
        return surname + a, initial + ai

    def id_number(self, birth: dt.date, male: bool) -> str:
        """GB 11643: region, birth date, a sequence whose last digit is odd for men, check character."""
        r = self.r
        born = f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        while True:
            body = f"{r.choice(self.regions)}{born}{r.randrange(500) * 2 + male:03d}"
            number = body + idnumber.check_char(body)
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def person(self, pid: int, org_id: int, group_id: int, category: str, probationary: bool,
               due_soon: bool) -> _Person:
        r = self.r
        s = self.people_seeds
        today = self.today
        male = r.random() < s["male_share"]
        name, initials = self.name(male)
        low, high = (24, 35) if probationary else s[category]["age"]
        age = r.randint(low, high)
        birth = dt.date(today.year - age, 1, 1) + dt.timedelta(days=r.randrange(365))
        full: dt.date | None = None
        if due_soon:
            # Probation (one year) ends 7–25 days from today: due for conversion within 30 days.
            joined = add_months(today + dt.timedelta(days=r.randint(7, 25)), -12)
        elif probationary:
            joined = today - dt.timedelta(days=r.randint(20, 320))
        else:
            # Admitted at 18 or later, and early enough for a year's probation to have ended.
            latest = today - dt.timedelta(days=400)
            first, last, mode = s["joining_age"][category]
            joined = add_years(birth, int(r.triangular(first, last, mode))) + dt.timedelta(days=r.randrange(365))
            if joined > latest:
                adult = add_years(birth, 18)
                joined = adult + dt.timedelta(days=r.randrange((latest - adult).days))
            full = add_years(joined, 1) + dt.timedelta(days=r.randrange(20))
        # Pay and pensions rise with age; the rest is spread.
        base_low, base_high = s[category]["dues_base_yuan"]
        seniority = (age - low) / max(1, high - low)
        base = base_low + (base_high - base_low) * (0.65 * seniority + 0.35 * r.random())
        return _Person(
            pid, org_id, group_id, category, name, initials, "男" if male else "女", self.ethnicity(r), birth,
            self.id_number(birth, male), self.education[category](r), joined, full, int(base * 100))

    def committee(self, branch: int, members: list[_Person], ending_soon: bool) -> None:
        r = self.r
        roles = _roles(len(members))
        chosen = r.sample([p for p in members if p.full], len(roles))
        chosen.sort(key=lambda p: p.birth)  # the eldest chosen serves as secretary
        if ending_soon:
            start = add_years(self.today + dt.timedelta(days=r.randint(20, 80)), -3)
        else:
            start = self.today - dt.timedelta(days=r.randint(30, 1090))
        end = term_end(start)
        for role, p in zip(roles, chosen, strict=True):
            p.seated = True
            self.secretaries[p.id] = role == "secretary"
            self.seats.append((branch, p.id, role, start.isoformat(), end.isoformat()))
        self.orgs[branch - 1][5] = chosen[0].name  # the branch's contact is its secretary

    def history(self) -> None:
        """Admission, conversion, transfers and status changes since the ledger began."""
        r = self.r
        s = self.people_seeds
        start, today = self.start, self.today
        eligible = [p for p in self.people
                    if p.category == "employed" and p.full and p.full < start and not p.seated]
        counts = [max(1, round(s["shares"][kind] * len(self.people)))
                  for kind in ("mobile", "transferred_out", "transferred_in")]
        picked = r.sample(eligible, sum(counts))
        mobile = {p.id for p in picked[:counts[0]]}
        leaving = {p.id for p in picked[counts[0]:counts[0] + counts[1]]}
        arriving = {p.id for p in picked[counts[0] + counts[1]:]}
        counterparts = s["history"]["counterparts"]
        for p in self.people:
            if p.id in arriving:
                on = p.arrived = self.day_between(start, today)
                self.transfer(p, "in", on, r.choice(counterparts))
            else:
                self.events.append((p.id, max(start, p.joined).isoformat(), "created",
                                    "接收为预备党员" if p.joined >= start else "登记入册"))
            if p.full and p.full >= start:
                self.events.append((p.id, p.full.isoformat(), "converted", "按期转为正式党员"))
            if p.id in mobile:
                p.status = "mobile"
                reason = r.choice(s["history"]["mobile_reasons"])
                self.events.append((p.id, self.day_between(start, today).isoformat(), "status",
                                    f"状态由正常改为流动：{reason}"))
            elif p.id in leaving:
                p.status = "transferred_out"
                on = p.left = self.day_between(start, today)
                self.transfer(p, "out", on, r.choice(counterparts))

    def transfer(self, p: _Person, direction: str, on: dt.date, counterpart: str) -> None:
        letter = f"{on.year}-{self.r.randint(1, 300):03d}"
        self.transfers.append((p.id, direction, on.isoformat(), counterpart, letter))
        if direction == "in":
            self.events.append((p.id, on.isoformat(), "transferred_in",
                                f"组织关系由{counterpart}转入（介绍信 {letter}）"))
        else:
            self.events.append((p.id, on.isoformat(), "transferred_out",
                                f"组织关系转出至{counterpart}（介绍信 {letter}）"))


    # --- commendations, 民主评议, study output --------------------------------------------------

    def chance(self, expected: float) -> int:
        """A whole number whose average is `expected` (the fraction decides by chance)."""
        whole = int(expected)
        return whole + (self.r.random() < expected - whole)

    @staticmethod
    def on_roll(p: _Person, day: dt.date) -> bool:
        """A member of their branch on `day`: admitted, arrived by then and not yet left."""
        return p.joined <= day and (p.arrived is None or p.arrived <= day) and (p.left is None or p.left > day)

    def commend(self) -> list[tuple[int, int]]:
        """Commendations of the two latest years whose 七一 has passed, in the seed's order (highest
        level first), each member and organization at most once a year. Every issuer's
        commendations of a year come from one decision: one 文号, one date. Returns (year, member id)
        of the 优秀共产党员 and 优秀党务工作者."""
        r = self.r
        today = self.today
        last = today.year if today >= dt.date(today.year, 7, 1) else today.year - 1
        years = (last - 1, last)
        people_of: dict[int, list[_Person]] = {}
        for p in self.people:
            people_of.setdefault(p.org_id, []).append(p)
        # A scope: (its 机关党委 or None for all, the organ's seed or None, branch ids, members).
        organs = [(committee, organ, branch_ids, [p for b in branch_ids for p in people_of[b]])
                  for committee, organ, branch_ids in self.organs]
        everyone = (None, None, [b for _, _, branch_ids in self.organs for b in branch_ids], self.people)
        taken: dict[int, set[tuple[str, int]]] = {year: set() for year in years}
        decisions: dict[tuple[str, int | None, int], tuple[str, str, str]] = {}
        excellent: list[tuple[int, int]] = []
        for spec in self.honour_seeds["commendations"]:
            scopes = organs if spec["level"] in ("party_committee", "unit") else [everyone]
            per_branch = "branches" in spec
            share = spec["branches"] if per_branch else spec["members"]
            plan = [[year, scope, self.chance(share * len(scope[2] if per_branch else scope[3]))]
                    for year in years for scope in scopes]
            for _ in range(spec.get("at_least", 0) - sum(n for _, _, n in plan)):
                r.choice(plan)[2] += 1
            for year, scope, count in plan:
                if count:
                    key = (spec["level"], scope[0], year)
                    if key not in decisions:
                        decisions[key] = self.decision(spec["level"], scope[1], scope[0], year)
                    for member_id, _org_id in self.award(spec, scope, year, count, taken[year], decisions[key]):
                        if member_id and spec["title"] in ("excellent_member", "excellent_worker"):
                            excellent.append((year, member_id))
        return excellent

    def decision(self, level: str, organ: dict[str, Any] | None, committee: int | None,
                 year: int) -> tuple[str, str, str]:
        """Issuer, 文号 and date of `level`'s commendation decision of `year`."""
        h = self.honour_seeds
        if level == "party_committee":
            issuer, prefix = self.orgs[committee - 1][3], organ["short"] + "机党"
        elif level == "unit":
            issuer, prefix = organ["name"], organ["short"]
        else:
            issuer, prefix = h["issuers"][level]["name"], h["issuers"][level]["prefix"]
        days = h["commendation_dates"]
        on = dt.date(year, 6, self.r.randint(days["first_day"], days["last_day"]))
        return issuer, f"{prefix}〔{year}〕{self.r.randint(2, 60)}号", on.isoformat()

    def award(self, spec: dict[str, Any], scope: tuple, year: int, count: int, taken: set[tuple[str, int]],
              decision: tuple[str, str, str]) -> list[tuple[int | None, int | None]]:
        """`count` recipients of one title at one level (fewer when the scope runs out of them)."""
        committee, _organ, branch_ids, people = scope
        title = spec["title"]
        issuer, document_no, awarded_on = decision
        if title in ("advanced_organization", "five_good_branch"):
            orgs = [("o", b) for b in branch_ids]
            if title == "advanced_organization":  # a 机关党委 may be commended as a whole
                orgs += [("o", c) for c, _, _ in self.organs if committee is None or c == committee]
            chosen = _draw(self.r, orgs, [1.0] * len(orgs), count, taken)
        else:
            worker = title == "excellent_worker"
            key = (committee, year, worker)
            if key not in self.candidates:
                # Full members on the roll all through June (commendations are decided then).
                first, last = dt.date(year, 6, 1), dt.date(year, 6, 30)
                pool = [p for p in people if p.full and p.full <= first and self.on_roll(p, first)
                        and (p.left is None or p.left > last) and (not worker or p.seated)]
                if worker:  # mostly branch secretaries
                    weights = [3.0 if self.secretaries[p.id] else 1.0 for p in pool]
                else:
                    weights = [0.3 if p.category == "retired" else 1.0 for p in pool]
                self.candidates[key] = ([("m", p.id) for p in pool], weights)
            chosen = _draw(self.r, *self.candidates[key], count, taken)
        recipients = []
        for kind, rid in chosen:
            taken.add((kind, rid))
            member_id, org_id = (rid, None) if kind == "m" else (None, rid)
            text = self.r.choice(spec["texts"]) if title == "other" else ""
            self.commendations.append((member_id, org_id, title, text, spec["level"], year, issuer,
                                       document_no, awarded_on))
            recipients.append((member_id, org_id))
        return recipients

    def evaluate(self, year: int, branch_ids: list[int], by_branch: dict[int, list[_Person]],
                 honoured: set[int]) -> None:
        """`year`'s 民主评议, branch by branch: everyone on the roll at the year's end; those not yet
        full members then are not rated. 优秀 up to a third of the rated (members commended that
        year or the next first), except one branch deliberately over; a few 基本合格 and 不合格."""
        r = self.r
        e = self.honour_seeds["evaluations"]
        end = dt.date(year, 12, 31)
        sheets = []
        for b in branch_ids:
            here = [p for p in by_branch[b] if self.on_roll(p, end)]
            sheets.append((b, here, [p for p in here if p.full and p.full <= end]))
        over = r.choice([b for b, _, rated in sheets if len(rated) >= 6 and rated[0].category == "employed"])
        low, high = e["excellent_share"]
        excellent: set[int] = set()
        for b, _, rated in sheets:
            limit = len(rated) // 3
            k = limit + 1 if b == over else min(limit, round(len(rated) * r.uniform(low, high)))
            first = [p for p in rated if p.id in honoured][:k]
            rest = [p for p in rated if p.id not in honoured]
            excellent.update(p.id for p in first + r.sample(rest, k - len(first)))
        rated_total = sum(len(rated) for _, _, rated in sheets)
        pool = [p for b, _, rated in sheets if b != over for p in rated
                if p.id not in excellent and p.id not in honoured and not p.seated and p.category == "employed"]
        basic_count = max(1, round(e["basically_qualified"] * rated_total))
        picked = r.sample(pool, basic_count + max(1, round(e["unqualified"] * rated_total)))
        notes = {p.id: ("basically_qualified", r.choice(e["basically_qualified_notes"]))
                 for p in picked[:basic_count]}
        notes.update((p.id, ("unqualified", r.choice(e["unqualified_notes"]))) for p in picked[basic_count:])
        for _, here, rated in sheets:
            rated_ids = {p.id for p in rated}
            for p in here:
                if p.id not in rated_ids:
                    rating, note = "not_rated", ""
                elif p.id in notes:
                    rating, note = notes[p.id]
                else:
                    rating, note = ("excellent" if p.id in excellent else "qualified"), ""
                self.evaluations.append((p.id, year, rating, note))

    def write_outputs(self) -> None:
        """Study output (学习成果) written by each member while on the roll in the ledger's period."""
        r = self.r
        rand = r.random
        s = self.honour_seeds["study_outputs"]
        kinds = s["kinds"]
        kind = _Pick([(k, spec["titles"], spec["recognized"], spec["awards"]) for k, spec in kinds.items()],
                     [spec["weight"] for spec in kinds.values()])
        published = s["published_in"]
        rates = {category: s["per_member_year"] * (s["retired_factor"] if category == "retired" else 1)
                 for category in ("employed", "retired")}
        rows = []
        for p in self.people:
            first = max(self.start, p.joined, p.arrived or self.start)
            days = (min(self.today, p.left or self.today) - first).days + 1
            if days <= 0:
                continue
            for _ in range(self.chance(rates[p.category] * days / 365.25)):
                k, titles, recognized, awards = kind(r)
                title = titles[int(rand() * len(titles))]
                written = first + dt.timedelta(days=int(rand() * days))
                where = award = ""
                if rand() < recognized:
                    how = rand()  # published, published and awarded, or awarded
                    if how < 0.85:
                        where = published[int(rand() * len(published))]
                    if how >= 0.6:
                        award = awards[int(rand() * len(awards))]
                rows.append((p.id, k, title, written.isoformat(), where, award))
        rows.sort(key=lambda row: (row[3], row[0]))  # entered in the order written
        self.study_outputs = rows

    def meetings(self, scale: str, branches: list[tuple[int, str, list[int]]],
                 by_branch: dict[int, list[_Person]]) -> tuple[list[tuple], list[tuple]]:
        """Meetings and study sessions with their attendance (services.demo_activities), drawn from a
        stream of their own."""
        seeds = _seeds()["activities"]
        seated: dict[int, list[tuple[int, str]]] = {}
        for org_id, member_id, role, _start, _end in self.seats:  # secretary first (_roles' order)
            seated.setdefault(org_id, []).append((member_id, role))
        generator = ActivityGenerator(seeds, random.Random(self.r.random()), self.today, seeds["years"][scale],
                                      {p.id: p.name for p in self.people})
        leaders = [member_id for member_id, secretary in self.secretaries.items() if secretary]
        return generator.run([Branch(b, category == "retired", groups, by_branch[b], seated.get(b, []))
                              for b, category, groups in branches], leaders)

    def dues(self) -> dict[str, list[tuple]]:
        """Dues bases, payments and remittances (services.demo_dues), from a stream of their own; a few
        members' dues category and base change to those of their latest assessment."""
        people = [DuesMember(p.id, p.org_id, p.category, p.dues_base_fen, p.joined, p.arrived, p.left, p.status)
                  for p in self.people]
        rows = DuesGenerator(random.Random(self.r.random()), self.today, self.start).run(people)
        for p, d in zip(self.people, people, strict=True):
            p.category, p.dues_base_fen = d.category, d.base_fen
        return rows


def _draw(r: random.Random, items: list, weights: list[float], k: int, taken: set) -> list:
    """Up to `k` of `items` not in `taken`, without replacement, each drawn in proportion to its
    weight. By rejection, so a few from ten thousand cost a few draws rather than a pass over all;
    when most are gone, the rest are weighed in one pass (Efraimidis–Spirakis: the k largest of
    random() ** (1 / weight))."""
    if not items or k <= 0:
        return []
    top = max(weights)
    chosen: list = []
    seen: set[int] = set()
    tries = 20 * k + 50
    while len(chosen) < k and tries:
        tries -= 1
        i = r.randrange(len(items))
        if i not in seen and items[i] not in taken and r.random() * top < weights[i]:
            seen.add(i)
            chosen.append(items[i])
    if len(chosen) == k:
        return chosen
    rest = [i for i in range(len(items)) if i not in seen and items[i] not in taken]
    keys = {i: r.random() ** (1.0 / weights[i]) for i in rest}
    return chosen + [items[i] for i in heapq.nlargest(k - len(chosen), rest, key=keys.__getitem__)]


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights` (largest remainders), so the sizes add up exactly."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    sizes = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: sizes[i] - exact[i])[:total - sum(sizes)]:
        sizes[i] += 1
    return sizes
