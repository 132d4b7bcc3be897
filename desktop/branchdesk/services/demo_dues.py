"""Demo party dues: yearly bases, payments, exemptions and quarterly remittances from the ledger's
start (1 January two years back, as the rest of the demo) to today.

The mix: most members are 在职 or 离退休 as generated; a few become 学生/下岗/低保 (0.20 元), 农民
(0.20–1.00 元) or 其他 (a fixed amount). Each year has a January assessment (pay rising a few percent
a year), some given as pay items (应发工资 − 个税 − 扣除) and some changing mid-year; one or two
hardship reductions (an override with its reason). Most members pay every month; some pay a quarter
or half a year ahead (预交), some a quarter late (补交); a few on long sick leave are exempt for some
months. Deliberate arrears: several members three or four months behind and a few at five or more
(the 自行脱党 warning). Each branch remits (上缴) what it collected for each ended quarter early in the
next month. The amounts follow domain/dues.py, so the services see the same figures.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ..domain.dues import DEFAULT_RULES, DuesRules, month_from_index, month_index, monthly_due

DUES_COLUMNS: dict[str, tuple[str, ...]] = {
    "dues_bases": ("member_id", "effective_from", "category", "base_fen", "gross_fen", "tax_fen", "deductions_fen",
                   "fixed_fen", "override_fen", "override_reason", "note"),
    "dues_payments": ("id", "member_id", "paid_on", "amount_fen", "extra_fen", "receipt_no", "note"),
    "dues_months": ("member_id", "month", "payment_id", "due_fen", "paid_fen", "exempt_reason"),
    "dues_remittances": ("org_id", "period_from", "period_to", "amount_fen", "remitted_on", "receipt_no", "note"),
}
HARDSHIP = "家庭困难，经机关党委批准减交"
SICK_LEAVE = "长期病休，经支委会研究同意免交"


@dataclass
class DuesMember:
    """What the generator needs of a demo member; `category` and `base_fen` are updated to the
    latest assessment (the member row carries them)."""

    id: int
    org_id: int
    category: str
    base_fen: int
    joined: dt.date
    arrived: dt.date | None
    left: dt.date | None
    status: str


@dataclass(frozen=True)
class _Assessment:
    start: int  # month index
    category: str
    base_fen: int
    fixed_fen: int | None
    override_fen: int | None

    def due(self, rules: DuesRules) -> int:
        if self.override_fen is not None:
            return self.override_fen
        return monthly_due(self.category, self.base_fen, rules, self.fixed_fen)


def _day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, 28))


class DuesGenerator:
    def __init__(self, r: random.Random, today: dt.date, start: dt.date, rules: DuesRules = DEFAULT_RULES) -> None:
        self.r = r
        self.today = today
        self.rules = rules
        self.first = month_index(f"{start.year:04d}-{start.month:02d}")
        self.now = month_index(f"{today.year:04d}-{today.month:02d}")
        self.rows: dict[str, list[tuple]] = {table: [] for table in DUES_COLUMNS}
        self.receipts: dict[int, int] = {}  # year → receipts issued
        self.names: dict[int, str] = {}  # month index → 'YYYY-MM'
        self.collected: dict[tuple[int, int], int] = {}  # (org id, month index) → paid for that month

    def run(self, people: list[DuesMember]) -> dict[str, list[tuple]]:
        r = self.r
        self._recategorize(people)
        active = [p for p in people if p.status in ("normal", "mobile") and self._span(p)[0] <= self.now - 12]
        r.shuffle(active)
        warn = max(3, round(0.008 * len(people)))
        danger = max(2, round(0.003 * len(people)))
        behind = {p.id: r.choice((3, 4)) for p in active[:warn]}
        # The first at exactly five (the warning), the next at seven (past the lapse), then spread.
        behind |= {p.id: (5, 7)[n] if n < 2 else r.randint(5, 9) for n, p in enumerate(active[warn:warn + danger])}
        sick = {p.id for p in active[warn + danger:warn + danger + max(1, round(0.002 * len(people)))]}
        hardship = {p.id for p in active[-max(1, round(0.002 * len(people))):]}
        for p in people:
            assessments = self._assess(p, p.id in hardship)
            self._pay(p, assessments, behind.get(p.id), p.id in sick)
        self._remit(people)
        return self.rows

    # --- who pays what ------------------------------------------------------------------------------------

    def _recategorize(self, people: list[DuesMember]) -> None:
        """A few members of other categories, as any organ has."""
        r = self.r
        for p in people:
            x = r.random()
            if p.category == "employed" and x < 0.012:
                p.category, p.base_fen = "other", r.choice((1000, 2000, 5000, 10000))
            elif p.category == "employed" and x < 0.02:
                p.category, p.base_fen = "student", 0  # 下岗失业
            elif p.category == "retired" and x < 0.03:
                p.category, p.base_fen = "student", 0  # 低保
            elif p.category == "retired" and x < 0.05:
                p.category, p.base_fen = "farmer", r.choice((20, 50, 100))
        # At least one of each, however few members a scale has.
        for category, was, fen in (("student", "employed", 0), ("farmer", "retired", 50), ("other", "employed", 2000)):
            if not any(p.category == category for p in people):
                chosen = next((p for p in people if p.category == was), None)
                if chosen:
                    chosen.category, chosen.base_fen = category, fen

    def _span(self, p: DuesMember) -> tuple[int, int]:
        """The months (indexes, inclusive) the member owes dues here within the ledger."""
        first = max(self.first, month_index(f"{p.joined.year:04d}-{p.joined.month:02d}"))
        if p.arrived:
            first = max(first, month_index(f"{p.arrived.year:04d}-{p.arrived.month:02d}") + 1)
        last = self.now
        if p.left:
            last = month_index(f"{p.left.year:04d}-{p.left.month:02d}")
        return first, last

    def _assess(self, p: DuesMember, hardship: bool) -> list[_Assessment]:
        """January assessments for each year (from the first month owed), the pay rising a few percent
        a year; now and then a mid-year change. The latest is the member's own figure."""
        r = self.r
        first, last = self._span(p)
        if first > last:
            return []
        starts = sorted({first, *(y * 12 for y in range(first // 12 + 1, last // 12 + 1))})
        found: list[_Assessment] = []
        base = p.base_fen
        flat = p.category in ("student", "farmer", "other")
        fixed = p.base_fen if p.category in ("farmer", "other") else None
        changes: list[tuple[int, int]] = []  # (start, base), latest first
        for start in reversed(starts):
            if not flat and start % 12 == 0 and start + 6 <= last and r.random() < 0.08:
                changes.append((start + 6, base))  # a pay change from July
                base = round(base / r.uniform(1.03, 1.08))
            changes.append((start, base))
            if not flat:
                base = round(base / r.uniform(1.02, 1.05))
        for start, fen in sorted(changes):
            found.append(_Assessment(start, p.category, 0 if flat else fen, fixed, None))
        if hardship and not flat:
            a = found[-1]
            found[-1] = _Assessment(a.start, a.category, a.base_fen, None, a.due(self.rules) // 2)
        for a in found:
            self._base_row(p, a)
        return found

    def _base_row(self, p: DuesMember, a: _Assessment) -> None:
        gross = tax = deductions = None
        if a.category == "employed" and self.r.random() < 0.3:
            # Entered as pay items: about a fifth of the gross withheld for insurance and fund.
            gross = round(a.base_fen / 0.76)
            deductions = round(gross * 0.2)
            tax = gross - deductions - a.base_fen
        override = a.override_fen
        self.rows["dues_bases"].append((
            p.id, month_from_index(a.start), a.category, a.base_fen, gross, tax, deductions, a.fixed_fen, override,
            HARDSHIP if override is not None else "", ""))

    # --- payments --------------------------------------------------------------------------------------------

    def _payment(self, p: DuesMember, months: list[int], paid: int, day: int, dues: dict[int, int]) -> None:
        """One payment on day `day` of month index `paid` covering `months` (none after today)."""
        if paid > self.now or (paid == self.now and day > self.today.day) or not months:
            return
        payment_id = len(self.rows["dues_payments"]) + 1
        year, month = divmod(paid, 12)
        amount = sum(dues[m] for m in months)
        extra = 0
        if month == 6 and self.r.random() < 0.04:
            extra = self.r.choice((10000, 20000, 50000))  # 七一 voluntary extra
        n = self.receipts[year] = self.receipts.get(year, 0) + 1
        self.rows["dues_payments"].append((payment_id, p.id, f"{year:04d}-{month + 1:02d}-{day:02d}", amount, extra,
                                           f"{year}-{n:05d}", "七一自愿多交" if extra else ""))
        months_rows = self.rows["dues_months"]
        for m in months:
            months_rows.append((p.id, self._name(m), payment_id, dues[m], dues[m], ""))
            key = (p.org_id, m)
            self.collected[key] = self.collected.get(key, 0) + dues[m]

    def _monthly(self, p: DuesMember, months: list[int], payday: int, dues: dict[int, int]) -> None:
        """Each month paid in itself, around the member's usual day: `_payment` unrolled, as most members
        pay so and the large demo has a quarter of a million of them."""
        payments, months_rows, collected, receipts = (self.rows["dues_payments"], self.rows["dues_months"],
                                                      self.collected, self.receipts)
        random, now, today = self.r.random, self.now, self.today.day
        for m in months:
            day = min(28, payday + int(random() * 5) - 2)
            if m > now or (m == now and day > today):
                return
            if m % 12 == 6:  # July: 七一 voluntary extras go through the general path
                self._payment(p, [m], m, day, dues)
                continue
            name = self._name(m)
            due = dues[m]
            year = m // 12
            n = receipts[year] = receipts.get(year, 0) + 1
            payment_id = len(payments) + 1
            payments.append((payment_id, p.id, f"{name}-{day:02d}", due, 0, f"{year}-{n:05d}", ""))
            months_rows.append((p.id, name, payment_id, due, due, ""))
            key = (p.org_id, m)
            collected[key] = collected.get(key, 0) + due

    def _name(self, m: int) -> str:
        name = self.names.get(m)
        if name is None:
            name = self.names[m] = month_from_index(m)
        return name

    def _pay(self, p: DuesMember, assessments: list[_Assessment], behind: int | None, sick: bool) -> None:
        r = self.r
        first, last = self._span(p)
        if first > last or not assessments:
            return
        habit = "monthly" if behind else r.choices(("monthly", "quarter_ahead", "half_ahead", "quarter_late"),
                                                   (50, 30, 8, 12))[0]
        if p.status == "mobile" and not behind:
            habit = "quarter_late"  # away from the branch, paying when back
        size = {"half_ahead": 6, "quarter_ahead": 3, "quarter_late": 3}.get(habit, 1)
        # Paying ahead covers the months of the current quarter or half-year still to come.
        ahead = habit in ("quarter_ahead", "half_ahead") and not p.left
        horizon = self.now // size * size + size - 1 if ahead else last
        dues: dict[int, int] = {}
        for a, following in zip(assessments, [*assessments[1:], None], strict=True):
            due = a.due(self.rules)
            for m in range(max(a.start, first), (following.start if following else horizon + 1)):
                dues[m] = due
        exempt: set[int] = set()
        if sick:
            begin = r.randint(max(first, self.now - 9), self.now - 5)
            exempt = set(range(begin, begin + r.randint(2, 4)))
            for m in sorted(exempt):
                self.rows["dues_months"].append((p.id, self._name(m), None, 0, 0, SICK_LEAVE))
        # Months from `stop` on are left unpaid (arrears up to last month; this month is not over).
        stop = self.now - behind if behind else horizon + 1
        payable = [m for m in range(first, horizon + 1) if m not in exempt and m < stop]
        payday = r.randint(3, 25)
        if habit == "monthly":
            self._monthly(p, payable, payday, dues)
            return
        groups: dict[int, list[int]] = {}
        for m in payable:
            groups.setdefault(m // size, []).append(m)
        for block, months in sorted(groups.items()):
            # Late: the month after the quarter; ahead: the block's first month owed.
            self._payment(p, months, block * size + size if habit == "quarter_late" else months[0], payday, dues)

    # --- remittances ---------------------------------------------------------------------------------------

    def _remit(self, people: list[DuesMember]) -> None:
        r = self.r
        orgs = sorted({p.org_id for p in people})
        for quarter in range(self.first // 3, self.now // 3):  # quarters that have ended
            months = range(quarter * 3, quarter * 3 + 3)
            year, month = divmod(quarter * 3 + 3, 12)
            day = _day(year, month + 1, r.randint(5, 15))
            if day > self.today:
                continue
            for org in orgs:
                amount = sum(self.collected.get((org, m), 0) for m in months)
                if amount:
                    self.rows["dues_remittances"].append((
                        org, month_from_index(months[0]), month_from_index(months[-1]), amount, day.isoformat(),
                        f"SJ{day.year}-{org:03d}{quarter % 4 + 1}", ""))
