"""Demo data (`branchdesk demo`, the first-run choice): fictional organizations and members.

What the data is made of (organs, departments, names, mixes, scales) is defined in seeds/*.toml;
this module turns it into rows with a seeded random generator, so a seed always gives the same
database, and writes them in one transaction.
"""

from __future__ import annotations

import datetime as dt
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
    for table, rows in data.rows.items():
        bulk.insert_rows(db, table, COLUMNS[table], rows)
    return data.counts()


def generate(scale: str = "small", seed: int = 1, today: dt.date | None = None) -> DemoData:
    """The rows of a demo database, the same for the same scale, seed and day."""
    seeds = _seeds()
    scales = seeds["organizations"]["scales"]
    if scale not in scales:
        raise ServiceError(f"未知的演示数据规模“{scale}”，可选：{'、'.join(scales)}")
    spec = scales[scale]
    organs = seeds["organizations"]["organs"]
    if len(organs) < spec["organs"]:
        raise ServiceError(f"演示数据定义文件 {seeds_dir() / 'organizations.toml'} 中的单位"
                           f"不足 {spec['organs']} 个")
    return _Generator(seeds, random.Random(seed), today or dt.date.today()).run(spec, organs[:spec["organs"]])


@cache
def _seeds() -> dict[str, Any]:
    seeds = {}
    for name in ("organizations", "people"):
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
    category: str  # dues category: employed or retired
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
        return DemoData({
            "organizations": [tuple(o) for o in self.orgs],
            "members": [p.row() for p in self.people],
            "member_events": self.events,
            "transfers": self.transfers,
            "committee_members": self.seats,
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
                on = self.day_between(start, today)
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
                self.transfer(p, "out", self.day_between(start, today), r.choice(counterparts))

    def transfer(self, p: _Person, direction: str, on: dt.date, counterpart: str) -> None:
        letter = f"{on.year}-{self.r.randint(1, 300):03d}"
        self.transfers.append((p.id, direction, on.isoformat(), counterpart, letter))
        if direction == "in":
            self.events.append((p.id, on.isoformat(), "transferred_in",
                                f"组织关系由{counterpart}转入（介绍信 {letter}）"))
        else:
            self.events.append((p.id, on.isoformat(), "transferred_out",
                                f"组织关系转出至{counterpart}（介绍信 {letter}）"))


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights` (largest remainders), so the sizes add up exactly."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    sizes = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: sizes[i] - exact[i])[:total - sum(sizes)]:
        sizes[i] += 1
    return sizes
