"""Party dues (党费): yearly bases, the members × months ledger, payments, arrears, remittances.

How a member's monthly amount is found: the `dues_bases` rows are the yearly assessments (年初核定,
and a new row when the pay changes mid-year), each applying from its `effective_from` month until the
next. Months before a member's first row take the member's own `dues_category` / `dues_base_fen`
(filled by the member import and dialog), so members owe dues from the day they are entered; setting
a base keeps those two columns in step with the member's latest row. For 农民 and 其他 the member's
`dues_base_fen` is the fixed monthly amount (the import's 党费基数 column is 元/月).

Which months a member owes (design.md §3, issue 4): from the ledger's first month (`ledger_start`) and
the month of admission (预备党员 from the 支部大会 month, `joined_on`), through the month of a transfer
out or death; a member who arrives by transfer owes from the month after (the former branch collects
the month of transfer, 交至转出当月). A month is covered by a payment (state paid / back_paid /
advance by when it was paid) or exempt (with a reason); otherwise it is unpaid once it has begun, and
overdue (arrears) once it has ended. Money is integer fen throughout.
"""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from ..domain import dues as rules_mod
from ..domain.dues import (
    DEFAULT_RULES,
    DuesRules,
    add_month_count,
    cell_state,
    month_from_index,
    month_index,
    month_key,
    month_of,
    payment_problem,
)
from ..domain.fields import FIELD_LABELS, FieldError
from ..domain.members import DuesCategory, Status, fen_to_yuan
from ..imports.dues import BaseRow, BaseSheet
from ..imports.members import ImportProblem
from ..store import dues as q
from ..store import members as member_store
from ..store import organizations as org_store
from ..store import settings as settings_store
from ..store.database import Database
from . import audit, recycle
from .errors import ImportFileError, ServiceError, ValidationError

log = logging.getLogger(__name__)

RULES_KEY = "dues_rules"  # settings: DuesRules as JSON
START_KEY = "dues_start_month"  # settings: the ledger's first month ('YYYY-MM')

_CATEGORIES = {c.value: c for c in DuesCategory}
_ACTIVE = {s.value for s in Status if s.active}


# ---------------------------------------------------------------- rules and the ledger's start

def load_rules(db: Database) -> DuesRules:
    """The rules in force: the saved ones, or the defaults (also when the saved text is unreadable,
    which is logged: the dues pages must still open)."""
    text = settings_store.value(db, RULES_KEY)
    if not text:
        return DEFAULT_RULES
    try:
        return DuesRules.from_json(text)
    except ValueError:
        log.warning("dues rules in the settings table cannot be read; using the defaults")
        return DEFAULT_RULES


def save_rules(db: Database, rules: DuesRules) -> None:
    errors = rules.problems()
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        before = load_rules(db)
        settings_store.put(db, RULES_KEY, rules.to_json())
        changed = [FIELD_LABELS.get(f.name, f.name) for f in fields(DuesRules)
                   if getattr(before, f.name) != getattr(rules, f.name)]
        audit.record(db, audit.UPDATE, "settings", label="党费规则", fields=changed or ["党费规则"])


def ledger_start(db: Database, today: dt.date | None = None) -> str:
    """The first month the ledger holds: the setting, else the first month an assessment takes effect
    or a month is paid for (a demo or a package brings such data), else January of this year. Months
    before it are never owed."""
    saved = settings_store.value(db, START_KEY)
    if saved:
        return saved
    return q.first_month(db) or month_key((today or dt.date.today()).year, 1)


def _settle_start(db: Database, month: str, today: dt.date | None = None) -> None:
    """On the first dues record written, fix the ledger's start (unless set already): the start so far,
    or the record's month when earlier. Records dated earlier later on no longer move it, so the months
    everyone owes do not change behind the secretary's back."""
    if not settings_store.value(db, START_KEY):
        settings_store.put(db, START_KEY, min(ledger_start(db, today), month))


def set_ledger_start(db: Database, month: str) -> None:
    try:
        month_index(month)
    except ValueError as exc:
        raise ValidationError([FieldError("month", str(exc))]) from None
    with db.atomic():
        settings_store.put(db, START_KEY, month)
        audit.record(db, audit.UPDATE, "settings", label="党费台账起始月份", fields=["党费台账起始月份"])


# ---------------------------------------------------------------- bases

@dataclass
class BaseData:
    """One assessment as entered: the base as a final figure (`base_fen`) or from pay items
    (应发 `gross_fen` − 个税 `tax_fen` − 扣除 `deductions_fen`); `fixed_fen` for 农民 / 其他;
    `override_fen` replaces the amount by rule (a hardship reduction approved above) and needs a reason."""

    effective_from: str  # 'YYYY-MM'
    category: DuesCategory
    base_fen: int | None = None
    gross_fen: int | None = None
    tax_fen: int | None = None
    deductions_fen: int | None = None
    fixed_fen: int | None = None
    override_fen: int | None = None
    override_reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class Base:
    id: int
    member_id: int
    data: BaseData
    base_fen: int  # as stored (computed from the pay items when they were given)
    rule_due_fen: int  # by rule
    due_fen: int  # what the member owes a month: the override when there is one
    rate_text: str
    until: str | None  # the month before the next assessment; None: still in force


@dataclass(frozen=True, slots=True)
class _Assessment:
    category: DuesCategory
    base_fen: int
    fixed_fen: int | None
    override_fen: int | None
    rule_due_fen: int
    rules: DuesRules

    @property
    def due_fen(self) -> int:
        return self.rule_due_fen if self.override_fen is None else self.override_fen

    @property
    def rate_text(self) -> str:
        return rules_mod.rate_text(self.category, self.base_fen, self.rules, self.fixed_fen)


def _assess(category: str, base_fen: int, fixed_fen: int | None, override_fen: int | None,
            rules: DuesRules) -> _Assessment:
    cat = _CATEGORIES[category]
    try:
        due = rules_mod.monthly_due(cat, base_fen, rules, fixed_fen)
    except ValueError:
        # A farmer's amount outside the range now in force (the rules were changed since): the
        # nearest amount allowed, rather than a ledger that will not open.
        due = min(max(fixed_fen or 0, rules.farmer_min_fen), rules.farmer_max_fen)
    return _Assessment(cat, base_fen, fixed_fen, override_fen, due, rules)


def _own_assessment(category: str, base_fen: int, rules: DuesRules) -> _Assessment:
    """The member's own category and base, for months no assessment covers."""
    fixed = base_fen if category in ("farmer", "other") else None
    if category == "farmer" and not rules.farmer_min_fen <= base_fen <= rules.farmer_max_fen:
        fixed = rules.farmer_min_fen
    return _assess(category, base_fen, fixed, None, rules)


def _base_from_row(r: tuple, until: str | None, rules: DuesRules) -> Base:
    (base_id, member_id, effective_from, category, base_fen, gross, tax, deductions, fixed, override,
     reason, note) = r
    a = _assess(category, base_fen, fixed, override, rules)
    data = BaseData(effective_from, _CATEGORIES[category], base_fen, gross, tax, deductions, fixed, override,
                    reason, note)
    return Base(base_id, member_id, data, base_fen, a.rule_due_fen, a.due_fen, a.rate_text, until)


def bases(db: Database, member_id: int) -> list[Base]:
    """The member's assessments, earliest first."""
    rules = load_rules(db)
    rows = q.bases_of(db, member_id)
    untils: list[str | None] = [add_month_count(r[2], -1) for r in rows[1:]]
    return [_base_from_row(r, until, rules) for r, until in zip(rows, [*untils, None][:len(rows)], strict=True)]


def _base_values(data: BaseData, rules: DuesRules) -> dict:
    """The row for `data`, or ValidationError naming every field that is wrong."""
    errors: list[FieldError] = []
    try:
        month_index(data.effective_from)
    except ValueError as exc:
        errors.append(FieldError("effective_from", str(exc)))
    category = _CATEGORIES.get(getattr(data.category, "value", data.category))
    if category is None:
        errors.append(FieldError("category", "请选择党费类别"))
    for name in ("base_fen", "gross_fen", "tax_fen", "deductions_fen", "fixed_fen", "override_fen"):
        value = getattr(data, name)
        if value is not None and (not isinstance(value, int) or value < 0):
            errors.append(FieldError(name, "不能为负数"))
    if errors:
        raise ValidationError(errors)
    base = data.base_fen
    if any(v is not None for v in (data.gross_fen, data.tax_fen, data.deductions_fen)):
        if data.gross_fen is None:
            errors.append(FieldError("gross_fen", "按工资项目计算基数时须填写应发工资"))
        else:
            try:
                computed = rules_mod.after_tax_base(data.gross_fen, data.tax_fen or 0, data.deductions_fen or 0)
            except ValueError as exc:
                errors.append(FieldError("deductions_fen", str(exc)))
            else:
                if base is not None and base != computed:
                    errors.append(FieldError("base_fen", f"与按工资项目计算的 {fen_to_yuan(computed)} 元不一致"))
                base = computed
    if base is None:
        if category in (DuesCategory.EMPLOYED, DuesCategory.RETIRED):
            label = "税后月收入" if category is DuesCategory.EMPLOYED else "离退休费"
            errors.append(FieldError("base_fen", f"请填写党费基数（{label}），或填写应发工资、个税和扣除项"))
        base = 0
    problem = rules_mod.category_problem(category, base, data.fixed_fen, rules)
    if problem:
        errors.append(problem)
    if data.override_fen is not None and not data.override_reason.strip():
        errors.append(FieldError("override_reason", "调整应交金额须写明理由（如经上级党组织批准的困难减免）"))
    if errors:
        raise ValidationError(errors)
    keeps_fixed = category in (DuesCategory.FARMER, DuesCategory.OTHER)
    return {"effective_from": data.effective_from, "category": category.value, "base_fen": base,
            "gross_fen": data.gross_fen, "tax_fen": data.tax_fen, "deductions_fen": data.deductions_fen,
            "fixed_fen": data.fixed_fen if keeps_fixed else None, "override_fen": data.override_fen,
            "override_reason": data.override_reason.strip() if data.override_fen is not None else "",
            "note": data.note.strip()}


def _member_row(db: Database, member_id: int) -> tuple:
    r = q.member(db, member_id)
    if r is None:
        raise ServiceError(f"找不到编号为 {member_id} 的党员")
    return r


def _sync_member(db: Database, member_id: int) -> None:
    """members.dues_category / dues_base_fen follow the member's latest assessment."""
    rows = q.bases_of(db, member_id)
    if not rows:
        return
    latest = rows[-1]
    category, base_fen, fixed = latest[3], latest[4], latest[8]
    own = fixed if category in ("farmer", "other") and fixed is not None else base_fen
    member_store.update(db, member_id, {"dues_category": category, "dues_base_fen": own})


def _keep_earlier_months(db: Database, member: tuple, effective_from: str, rules: DuesRules) -> None:
    """Before a member's first assessment, one from the first month they owe holding the category and
    base they owed by until now: the member's own values follow the new assessment, and the months
    before it must not change with them."""
    member_id, _name, _org, joined_on, _status, category, own_fen = member
    if q.bases_of(db, member_id):
        return
    first = max(ledger_start(db), joined_on[:7] if joined_on else "0000-01")
    if first >= effective_from:
        return
    fixed = own_fen if category in ("farmer", "other") else None
    if category == "farmer" and not rules.farmer_min_fen <= own_fen <= rules.farmer_max_fen:
        fixed = rules.farmer_min_fen
    q.insert(db, "dues_bases", {"member_id": member_id, "effective_from": first, "category": category,
                                "base_fen": 0 if fixed is not None else own_fen, "fixed_fen": fixed,
                                "note": "此前登记在党员信息中的党费类别和基数"})


def _put_base(db: Database, member: tuple, values: dict, rules: DuesRules) -> tuple[int, str, list[str]]:
    """Write one assessment (in the caller's transaction): its id, the audit action and the fields changed."""
    member_id = member[0]
    _settle_start(db, values["effective_from"])
    _keep_earlier_months(db, member, values["effective_from"], rules)
    existing = q.base_at(db, member_id, values["effective_from"])
    if existing is None:
        base_id = q.insert(db, "dues_bases", {"member_id": member_id, **values})
        action, changed = audit.CREATE, []
    else:
        before = q.base(db, existing)
        q.update(db, "dues_bases", existing, values)
        after = q.base(db, existing)
        base_id, action = existing, audit.UPDATE
        changed = [FIELD_LABELS.get(n, n) for n, b, a in zip(q.BASE_COLUMNS, before, after, strict=True) if b != a]
    _sync_member(db, member_id)
    return base_id, action, changed


def set_base(db: Database, member_id: int, data: BaseData) -> int:
    """Record the member's assessment from `data.effective_from` on (replacing one from the same
    month); its id. The member's own category and base follow the latest assessment."""
    rules = load_rules(db)
    values = _base_values(data, rules)
    with db.atomic():
        member = _member_row(db, member_id)
        base_id, action, changed = _put_base(db, member, values, rules)
        audit.record(db, action, "dues_bases", base_id, f"{member[1]} {values['effective_from']}起党费基数", changed)
        return base_id


def delete_base(db: Database, base_id: int) -> None:
    """Move an assessment to the recycle bin; the member's own category and base follow the
    assessment that is now the latest."""
    with db.atomic():
        r = q.base(db, base_id)
        if r is None:
            raise ServiceError(f"找不到编号为 {base_id} 的党费基数记录")
        name = _member_row(db, r[1])[1]
        recycle.move_to_bin(db, "dues_base", base_id, f"{name} {r[2]}起党费基数")
        _sync_member(db, r[1])


# Where the member form shows a problem with the assessment it records (services.members.update).
_FORM_FIELDS = {"category": "dues_category"}


def member_form_changed(db: Database, member_id: int, category: DuesCategory, base_fen: int,
                        today: dt.date | None = None) -> int | None:
    """The member form changed the member's own dues category or base (call in its transaction).

    Months an assessment covers do not read those two fields, so for a member with assessments the
    change is recorded as one from the current month (replacing one from the same month): what a
    secretary means by changing them — the months before keep their amounts. For 农民 and 其他 the
    base is the monthly amount. Its id; None for a member without assessments, whose own figures
    are what the ledger reads. ValidationError, naming the form's fields, when the rules refuse it."""
    if not q.bases_of(db, member_id):
        return None
    rules = load_rules(db)
    flat = category in (DuesCategory.FARMER, DuesCategory.OTHER)
    data = BaseData(month_of(today or dt.date.today()), category, base_fen=0 if flat else base_fen,
                    fixed_fen=base_fen if flat else None, note="在党员信息中修改")
    try:
        values = _base_values(data, rules)
    except ValidationError as exc:
        raise ValidationError([FieldError(_FORM_FIELDS.get(e.field, "dues_base_fen"), e.message)
                               for e in exc.errors]) from None
    member = _member_row(db, member_id)
    base_id, action, changed = _put_base(db, member, values, rules)
    audit.record(db, action, "dues_bases", base_id, f"{member[1]} {values['effective_from']}起党费基数", changed)
    return base_id


def base_restored(db: Database, tables: dict[str, list[dict]]) -> None:
    """Recycle-bin hook (services.recycle.AFTER_RESTORE), in the restoring transaction: an assessment
    put back may be the member's latest again, so the member's own category and base follow it."""
    for member_id in sorted({row["member_id"] for row in tables.get("dues_bases", [])}):
        _sync_member(db, member_id)


# ---------------------------------------------------------------- a member's months on the ledger

def _at(month: str) -> int:
    """A stored month ('YYYY-MM', checked by the schema) as a month index, without parsing it again."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


_MONTH_NAMES: dict[int, str] = {}


def _month_name(at: int) -> str:
    name = _MONTH_NAMES.get(at)
    if name is None:
        name = _MONTH_NAMES[at] = month_from_index(at)
    return name


def _spans(joined_on: str | None, status: str, moves: Sequence[tuple[str, str]]) -> list[tuple[int, int | None]]:
    """Month-index spans (first, last or None) during which the member owes dues here."""
    if not moves:  # most members: from admission on, while on the roll
        return [(_at(joined_on), None)] if joined_on and status in _ACTIVE else []
    events = sorted(moves)
    # One who arrived by transfer owes from the month after; the former branch collects that month.
    opened: int | None = None if events[0][1] == "in" or not joined_on else _at(joined_on)
    spans: list[tuple[int, int | None]] = []
    for day, kind in events:
        at = _at(day)
        if kind == "in":
            if opened is None:
                opened = at + 1
        elif opened is not None:
            if at >= opened:
                spans.append((opened, at))
            opened = None
    if opened is not None and status in _ACTIVE:
        spans.append((opened, None))
    return spans


@dataclass(slots=True)
class _Ledger:
    """One member as the ledger sees them."""

    member_id: int
    name: str
    org_id: int
    status: str
    spans: list[tuple[int, int | None]]
    own_figures: tuple[str, int]  # the member's own dues category and base
    rules: DuesRules
    starts: list[int] = field(default_factory=list)  # month indexes of the assessments, ascending
    assessments: list[_Assessment] = field(default_factory=list)
    own: _Assessment | None = None  # worked out when a month before the first assessment asks for it

    def on_roll(self, at: int) -> bool:
        return any(first <= at and (last is None or at <= last) for first, last in self.spans)

    def owed_between(self, first: int, last: int) -> list[int]:
        """The month indexes from `first` to `last` the member is on the roll for."""
        return [at for f, e in self.spans for at in range(max(f, first), min(last if e is None else e, last) + 1)]

    def assessment(self, at: int) -> _Assessment:
        if self.starts and at >= self.starts[0]:
            return self.assessments[bisect_right(self.starts, at) - 1]
        if self.own is None:
            self.own = _own_assessment(*self.own_figures, self.rules)
        return self.own

    def due(self, at: int) -> int:
        return self.assessment(at).due_fen


def _ledgers(roll: Sequence[tuple], moves: Iterable[tuple], base_rows: Iterable[tuple],
             rules: DuesRules) -> dict[int, _Ledger]:
    """The members' ledgers."""
    by_member: dict[int, list[tuple[str, str]]] = {}
    for member_id, on_date, kind in moves:
        by_member.setdefault(member_id, []).append((on_date, kind))
    ledgers = {member_id: _Ledger(member_id, name, org_id, status, _spans(joined_on, status,
                                                                          by_member.get(member_id, ())),
                                  (category, base_fen), rules)
               for member_id, name, org_id, joined_on, status, category, base_fen in roll}
    kept: dict[int, list[tuple[int, tuple]]] = {}
    for r in base_rows:  # by member, then month
        if r[1] in ledgers:
            kept.setdefault(r[1], []).append((_at(r[2]), r))
    cache: dict[tuple, _Assessment] = {}  # members share many assessments: each is worked out once
    for member_id, rows in kept.items():
        ledger = ledgers[member_id]
        for at, r in rows:
            key = (r[3], r[4], r[8], r[9])
            a = cache.get(key)
            if a is None:
                a = cache[key] = _assess(*key, rules)
            ledger.starts.append(at)
            ledger.assessments.append(a)
    return ledgers


def _ledger_of(db: Database, member_id: int, rules: DuesRules) -> _Ledger:
    r = _member_row(db, member_id)
    return _ledgers([r], q.moves_of(db, member_id), q.bases_of(db, member_id), rules)[member_id]


# ---------------------------------------------------------------- the year grid

@dataclass(frozen=True)
class MonthCell:
    month: str  # 'YYYY-MM'
    state: str  # "paid" | "unpaid" | "advance" | "back_paid" | "exempt" | "not_due"
    due_fen: int  # owed for the month (as recorded when paid; 0 when not due)
    paid_fen: int
    payment_id: int | None
    paid_on: dt.date | None
    receipt_no: str
    overdue: bool = False  # unpaid and the month has ended (counted in arrears)
    exempt_reason: str = ""


@dataclass(frozen=True)
class GridRow:
    member_id: int
    name: str
    branch_name: str
    category: DuesCategory  # as of the current month (the year's last month for a past year)
    base_fen: int
    rate_text: str
    due_fen: int  # monthly amount as of that month
    cells: list[MonthCell]  # 12
    paid_total_fen: int  # paid for the year's months
    owed_fen: int  # overdue unpaid months of the year
    extra_fen: int = 0  # voluntary extra (自愿多交) paid during the year
    overridden: bool = False  # the monthly amount is a manual override
    branch_id: int = 0


@dataclass(frozen=True)
class DuesMonth:
    due_fen: int
    paid_fen: int
    rate: float | None  # paid / due, for months begun with something due; display only
    month: str = ""


@dataclass(frozen=True)
class DuesGrid:
    year: int
    months: list[str]
    rows: list[GridRow]
    totals: list[DuesMonth]  # 12, over the rows
    ledger_start: str


def _scope(db: Database, scope_id: int) -> list[int]:
    ids = org_store.subtree_ids(db, scope_id)
    if not ids or org_store.row(db, scope_id) is None:
        raise ServiceError(f"找不到编号为 {scope_id} 的党组织")
    return ids


def _rate(due: int, paid: int, begun: bool) -> float | None:
    return paid / due if begun and due > 0 else None


def _cells(ledger: _Ledger, year: int, covered: dict[str, tuple], start: int, now: int) -> list[MonthCell]:
    first = year * 12
    owed = set(ledger.owed_between(max(first, start), first + 11))
    cells = []
    for at in range(first, first + 12):
        month = _month_name(at)
        r = covered.get(month)
        if r is not None:
            _mid, _month, payment_id, due, paid, reason, paid_on, receipt = r
            if payment_id is None:
                cells.append(MonthCell(month, "exempt", 0, 0, None, None, "", False, reason))
            else:
                cells.append(MonthCell(month, cell_state(month, paid_on[:7]), due, paid, payment_id,
                                       dt.date.fromisoformat(paid_on), receipt or ""))
        elif at in owed:
            cells.append(MonthCell(month, "unpaid" if at <= now else "not_due", ledger.due(at), 0, None, None, "",
                                   at < now))
        else:
            cells.append(MonthCell(month, "not_due", 0, 0, None, None, ""))
    return cells


def _reference_month(year: int, today: dt.date) -> int:
    at = month_index(month_of(today))
    return min(max(at, year * 12), year * 12 + 11)


def _grid_rows(db: Database, org_ids: list[int], year: int, today: dt.date, rules: DuesRules,
               only: int | None = None) -> list[GridRow]:
    """The year's grid rows of the organizations' members (of member `only`, when given)."""
    first, last = month_key(year, 1), month_key(year, 12)
    if only is None:
        roll, moves = q.roll(db, org_ids), q.moves(db, org_ids)
        months, base_rows = q.months_in(db, org_ids, first, last), q.bases_in(db, org_ids)
    else:
        roll, moves = [q.member(db, only)], q.moves_of(db, only)
        months, base_rows = q.months_of(db, only, first, last), q.bases_of(db, only)
    extras = q.extras_in(db, org_ids, f"{year}-01-01", f"{year}-12-31")
    names = member_store.organization_names(db)
    ledgers = _ledgers(roll, moves, base_rows, rules)
    covered: dict[int, dict[str, tuple]] = {}
    for r in months:
        covered.setdefault(r[0], {})[r[1]] = r
    start = month_index(ledger_start(db, today))
    now = month_index(month_of(today))
    ref = _reference_month(year, today)
    rows = []
    for member_id, *_ in roll:
        ledger = ledgers[member_id]
        mine = covered.get(member_id, {})
        if not mine and not ledger.owed_between(max(year * 12, start), year * 12 + 11):
            continue
        cells = _cells(ledger, year, mine, start, now)
        a = ledger.assessment(ref)
        rows.append(GridRow(
            member_id, ledger.name, names.get(ledger.org_id, ""), a.category, a.base_fen, a.rate_text, a.due_fen,
            cells, sum(c.paid_fen for c in cells), sum(c.due_fen for c in cells if c.overdue),
            extras.get(member_id, 0), a.override_fen is not None, ledger.org_id))
    return rows


def _month_totals(figures: Sequence[Sequence[int]], year: int, today: dt.date) -> list[DuesMonth]:
    """DuesMonth of each month from 12 (due, paid) pairs."""
    now = month_index(month_of(today))
    return [DuesMonth(due, paid, _rate(due, paid, year * 12 + i <= now), month_key(year, i + 1))
            for i, (due, paid) in enumerate(figures)]


def _totals(rows: Sequence[GridRow], year: int, today: dt.date) -> list[DuesMonth]:
    return _month_totals([(sum(r.cells[i].due_fen for r in rows), sum(r.cells[i].paid_fen for r in rows))
                          for i in range(12)], year, today)


def _due_function(rules: DuesRules) -> Callable[[str, int, int | None, int | None], int]:
    """due(category, base_fen, fixed_fen, override_fen): what `_assess(...).due_fen` gives, for the
    totals that need an amount per assessment of thousands of members: 在职 and 离退休 bases (nearly
    all distinct) take their bracket's rate directly; the other categories are worked out once each."""
    brackets = {"employed": rules.employed, "retired": rules.retired}
    cache: dict[tuple, int] = {}

    def due(category: str, base_fen: int, fixed_fen: int | None, override_fen: int | None) -> int:
        if override_fen is not None:
            return override_fen
        scale = brackets.get(category)
        if scale is not None:
            return rules_mod.apply_rate(base_fen, rules_mod.bracket_of(scale, base_fen).rate_bp, rules.rounding)
        key = (category, base_fen, fixed_fen)
        found = cache.get(key)
        if found is None:
            found = cache[key] = _assess(category, base_fen, fixed_fen, None, rules).rule_due_fen
        return found

    return due


def _own_due(due: Callable[[str, int, int | None, int | None], int], category: str, base_fen: int,
             rules: DuesRules) -> int:
    """`_own_assessment(...).due_fen` through `due`."""
    if category not in ("farmer", "other"):
        return due(category, base_fen, None, None)
    fixed = base_fen
    if category == "farmer" and not rules.farmer_min_fen <= base_fen <= rules.farmer_max_fen:
        fixed = rules.farmer_min_fen
    return due(category, base_fen, fixed, None)


def _bits(first: int, last: int) -> int:
    """Months `first` to `last` of a year (0 = January) as bits."""
    return (1 << (last + 1)) - (1 << first) if first <= last else 0


_COVER_MASKS: dict[str, int] = {}


def _cover_mask(months: str) -> int:
    """"2026-01,2026-02,…" as bits (January = 1); members share a few hundred such lists."""
    mask = _COVER_MASKS.get(months)
    if mask is None:
        mask = 0
        for m in months.split(","):
            mask |= 1 << (int(m[5:7]) - 1)
        if len(_COVER_MASKS) < 10_000:
            _COVER_MASKS[months] = mask
    return mask


def _org_figures(db: Database, org_ids: list[int], year: int, today: dt.date,
                 rules: DuesRules) -> dict[int, list[list[int]]]:
    """organization id → 12 × [due, paid] of its members: the grid's totals without building the grid
    (the Home chart adds up every member of a large organization; the same figures as `_totals`).

    Covered months add their recorded due and paid: members whose months of the year carry one amount
    (nearly all) are added up by organization and set of months, then spread over those months once.
    The months still owed carry the amount by rule: worked out once per member and assessment in force
    (bases change rarely), multiplied over the months it covers."""
    first = year * 12
    lowest = max(first, month_index(ledger_start(db, today)))
    moves: dict[int, list[tuple[str, str]]] = {}
    for member_id, on_date, kind in q.moves(db, org_ids):
        moves.setdefault(member_id, []).append((on_date, kind))
    due = _due_function(rules)
    figures: dict[int, list[list[int]]] = {}
    # (organization, months as listed) → the monthly due, summed, of members who owed and paid one
    # amount for each of those months (nearly all).
    same: dict[tuple[int, str], int] = {}
    by_owed: dict[tuple[int, int], int] = {}  # (organization, months owed as bits) → their monthly due, summed
    changing: list[tuple[int, int, int, str, int]] = []  # (member, organization, owed, category, base)
    present: set[int] = set()  # organizations with a month covered or owed
    from_month = [_bits(i, 11) for i in range(12)]  # from_month[i]: month i to December
    masks = _COVER_MASKS
    for (member_id, org_id, joined_at, status, category, base_fen, covered, in_category, in_base, in_fixed,
         in_override, changes) in q.year_cover(db, org_ids, year):
        mask = 0
        if covered is not None:
            present.add(org_id)
            months, amounts = covered.split(";")
            mask = masks.get(months)
            if mask is None:
                mask = _cover_mask(months)
            items = amounts.split(",")
            one = items[0]
            if items.count(one) == len(items) and "/" not in one:
                key = (org_id, months)
                same[key] = same.get(key, 0) + int(one)
            else:
                sums = figures.get(org_id) or figures.setdefault(org_id, [[0, 0] for _ in range(12)])
                for m, item in zip(months.split(","), items, strict=True):
                    due_text, _, paid_text = item.partition("/")
                    cell = sums[int(m[5:7]) - 1]
                    cell[0] += int(due_text)
                    cell[1] += int(paid_text or due_text)
        mine = moves.get(member_id)
        if mine is None:  # most members: from admission on, while on the roll
            if joined_at is None or status not in _ACTIVE:
                continue
            at = (lowest if joined_at < lowest else joined_at) - first
            if at > 11:
                continue
            owed = from_month[at] & ~mask
        else:
            owed = 0
            for f, e in _spans(f"{joined_at // 12:04d}-{joined_at % 12 + 1:02d}" if joined_at is not None else None,
                               status, mine):
                owed |= _bits(max(lowest, f) - first, min(first + 11, first + 11 if e is None else e) - first)
            owed &= ~mask
        if not owed:
            continue
        present.add(org_id)
        if changes:
            changing.append((member_id, org_id, owed, category, base_fen))
            continue
        # One assessment in force all year (or none: the member's own figures).
        amount = (due(in_category, in_base, in_fixed, in_override) if in_category is not None
                  else _own_due(due, category, base_fen, rules))
        key = (org_id, owed)
        by_owed[key] = by_owed.get(key, 0) + amount
    for org_id in present:
        if org_id not in figures:
            figures[org_id] = [[0, 0] for _ in range(12)]
    for (org_id, months), value in same.items():
        sums = figures[org_id]
        for m in months.split(","):
            cell = sums[int(m[5:7]) - 1]
            cell[0] += value
            cell[1] += value
    # The few whose assessment changes during the year: the amount of each run of months.
    runs: dict[int, list[tuple[int, int]]] = {}  # member → (first month as 0–11, due) of each assessment
    for member_id, effective_from, *key in q.bases_during(db, [c[0] for c in changing], month_key(year, 1),
                                                           month_key(year, 12)):
        runs.setdefault(member_id, []).append((max(_at(effective_from) - first, 0), due(*key)))
    for member_id, org_id, owed, category, base_fen in changing:
        mine = runs[member_id]
        if mine[0][0] > 0:  # months before the first assessment: the member's own figures
            mine = [(0, _own_due(due, category, base_fen, rules)), *mine]
        for n, (begin, amount) in enumerate(mine):
            part = owed & _bits(begin, mine[n + 1][0] - 1 if n + 1 < len(mine) else 11)
            if part:
                key = (org_id, part)
                by_owed[key] = by_owed.get(key, 0) + amount
    for (org_id, owed), amount in by_owed.items():
        sums = figures[org_id]
        for i in range(12):
            if owed >> i & 1:
                sums[i][0] += amount
    return figures


def year_grid(db: Database, scope_id: int, year: int, today: dt.date | None = None) -> DuesGrid:
    """Members × months of `year` for the scope: everyone on the roll for some month of the year
    (or with a payment recorded for one), in the members list's order."""
    today = today or dt.date.today()
    with db.snapshot():
        org_ids = _scope(db, scope_id)
        rules = load_rules(db)
        rows = _grid_rows(db, org_ids, year, today, rules)
        start = ledger_start(db, today)
    return DuesGrid(year, rules_mod.year_months(year), rows, _totals(rows, year, today), start)


def member_year(db: Database, member_id: int, year: int, today: dt.date | None = None) -> GridRow:
    """One member's row of the year grid (for the payment dialog)."""
    today = today or dt.date.today()
    with db.snapshot():
        r = _member_row(db, member_id)
        rows = _grid_rows(db, [r[2]], year, today, load_rules(db), only=member_id)
    if rows:
        return rows[0]
    names = member_store.organization_names(db)
    cells = [MonthCell(m, "not_due", 0, 0, None, None, "") for m in rules_mod.year_months(year)]
    ledger = _ledger_of(db, member_id, load_rules(db))
    a = ledger.assessment(_reference_month(year, today))
    return GridRow(member_id, r[1], names.get(r[2], ""), a.category, a.base_fen, a.rate_text, a.due_fen, cells, 0, 0,
                   0, a.override_fen is not None, r[2])


def amount_due(db: Database, member_id: int, months: Sequence[str]) -> int:
    """What the member owes for `months` by their assessments (the payment dialog's suggestion)."""
    ledger = _ledger_of(db, member_id, load_rules(db))
    return sum(ledger.due(month_index(m)) for m in months)


# ---------------------------------------------------------------- payments

@dataclass(frozen=True)
class Payment:
    id: int
    member_id: int
    paid_on: dt.date
    amount_fen: int
    extra_fen: int
    receipt_no: str
    note: str
    months: list[str]


def _payment(r: tuple, months: list[str]) -> Payment:
    return Payment(r[0], r[1], dt.date.fromisoformat(r[2]), r[3], r[4], r[5], r[6], months)


def payments(db: Database, member_id: int) -> list[Payment]:
    """The member's payments, earliest first."""
    rows = q.payments_of(db, member_id)
    months = q.months_of_payments(db, [r[0] for r in rows])
    return [_payment(r, months.get(r[0], [])) for r in rows]


def get_payment(db: Database, payment_id: int) -> Payment:
    r = q.payment(db, payment_id)
    if r is None:
        raise ServiceError(f"找不到编号为 {payment_id} 的党费交纳记录")
    return _payment(r, q.months_of_payments(db, [payment_id]).get(payment_id, []))


def _months_label(months: Sequence[str]) -> str:
    ordered = sorted(months)
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}至{ordered[-1]}（{len(ordered)}个月）"


def _open_months(db: Database, ledger: _Ledger, months: Sequence[str], today: dt.date) -> list[str]:
    """Problems with paying or exempting `months`: not owed here, or covered already."""
    start = ledger_start(db, today)
    covered = {r[1]: r for r in q.months_of(db, ledger.member_id, min(months), max(months))}
    problems = []
    for month in sorted(months):
        at = month_index(month)
        r = covered.get(month)
        if r is not None:
            problems.append(f"{month} 已免交（{r[5]}）" if r[2] is None else
                            f"{month} 已于 {r[6]} 交纳" + (f"（收据 {r[7]}）" if r[7] else ""))
        elif month < start:
            problems.append(f"{month} 早于党费台账的起始月份 {start}")
        elif not ledger.on_roll(at):
            problems.append(f"{month} {ledger.name}不在本支部（入党、转入前或转出后）")
    return problems


def _check_months(months: Sequence[str]) -> list[str]:
    errors = []
    for month in months:
        try:
            month_index(month)
        except ValueError as exc:
            errors.append(str(exc))
    return errors


def record_payment(db: Database, member_id: int, months: list[str], paid_on: dt.date, amount_fen: int,
                   receipt_no: str = "", extra_fen: int = 0, note: str = "", today: dt.date | None = None) -> int:
    """Record one payment covering `months`; its id.

    Refused with the reason, nothing written: a month not owed here or already covered; more months
    before the month of payment than 补交 allows, or after it than 预交 allows; a date in the future;
    an amount other than the months' dues (a voluntary extra goes in `extra_fen`).
    """
    today = today or dt.date.today()
    rules = load_rules(db)
    months = list(months)
    bad = _check_months(months)
    if bad:
        raise ValidationError([FieldError("months", m) for m in bad])
    errors: list[FieldError] = []
    if paid_on is None:
        errors.append(FieldError("paid_on", "不能为空"))
    elif paid_on > today:
        errors.append(FieldError("paid_on", "不能晚于今天"))
    why = payment_problem(months, month_of(paid_on or today), rules)
    if why:
        errors.append(FieldError("months", why))
    if extra_fen < 0:
        errors.append(FieldError("extra_fen", "不能为负数"))
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        ledger = _ledger_of(db, member_id, rules)
        problems = _open_months(db, ledger, months, today)
        if problems:
            raise ValidationError([FieldError("months", p) for p in problems])
        dues = {m: ledger.due(month_index(m)) for m in months}
        total = sum(dues.values())
        if amount_fen != total:
            raise ValidationError([FieldError(
                "amount_fen", f"{len(months)}个月应交合计 {fen_to_yuan(total)} 元，"
                f"填写的是 {fen_to_yuan(amount_fen)} 元；自愿多交的部分请填在“自愿多交”")])
        _settle_start(db, min(months), today)
        payment_id = q.insert(db, "dues_payments", {
            "member_id": member_id, "paid_on": paid_on.isoformat(), "amount_fen": amount_fen,
            "extra_fen": extra_fen, "receipt_no": receipt_no.strip(), "note": note.strip()})
        q.insert_months(db, [(member_id, m, payment_id, dues[m], dues[m], "") for m in sorted(months)])
        audit.record(db, audit.CREATE, "dues_payments", payment_id,
                     f"{ledger.name} {_months_label(months)}党费", ["交纳月份", "交纳日期", "金额", "收据号"])
        return payment_id


def pay_month_for_all(db: Database, scope_id: int, month: str, paid_on: dt.date,
                      today: dt.date | None = None) -> int:
    """Mark `month` paid, at the amount due, for every member of the scope who owes it and has an
    amount due above zero; how many. One transaction, one audit entry."""
    today = today or dt.date.today()
    try:
        at = month_index(month)
    except ValueError as exc:
        raise ValidationError([FieldError("month", str(exc))]) from None
    if paid_on > today:
        raise ValidationError([FieldError("paid_on", "不能晚于今天")])
    rules = load_rules(db)
    why = payment_problem([month], month_of(paid_on), rules)
    if why:
        raise ValidationError([FieldError("month", why)])
    with db.atomic():
        org_ids = _scope(db, scope_id)
        if month < ledger_start(db, today):
            return 0
        ledgers = _ledgers(q.roll(db, org_ids), q.moves(db, org_ids), q.bases_in(db, org_ids), rules)
        covered = {r[0] for r in q.months_in(db, org_ids, month, month)}
        owing = [(m, ledger.due(at)) for m, ledger in ledgers.items()
                 if m not in covered and ledger.on_roll(at) and ledger.due(at) > 0]
        if owing:
            _settle_start(db, month, today)
        rows = []
        for member_id, due in owing:
            payment_id = q.insert(db, "dues_payments", {"member_id": member_id, "paid_on": paid_on.isoformat(),
                                                        "amount_fen": due, "extra_fen": 0, "receipt_no": "",
                                                        "note": ""})
            rows.append((member_id, month, payment_id, due, due, ""))
        q.insert_months(db, rows)
        if rows:
            org = org_store.row(db, scope_id)
            label = f"{org[3] if org else ''} {month}党费（{len(rows)} 人）"
            audit.record(db, audit.CREATE, "dues_payments", label=label, fields=["交纳月份", "交纳日期", "金额"],
                         uid=audit.uid_of(db, "organizations", scope_id))
        return len(rows)


def delete_payment(db: Database, payment_id: int) -> None:
    """Move a payment (and the months it covered, which become unpaid again) to the recycle bin."""
    with db.atomic():
        p = get_payment(db, payment_id)
        name = _member_row(db, p.member_id)[1]
        recycle.move_to_bin(db, "dues_payment", payment_id, f"{name} {_months_label(p.months) if p.months else ''}党费")


def exempt(db: Database, member_id: int, month: str, reason: str, today: dt.date | None = None) -> None:
    """Record that the member owes nothing for `month` (免交, with the reason)."""
    today = today or dt.date.today()
    bad = _check_months([month])
    if bad:
        raise ValidationError([FieldError("month", bad[0])])
    if not reason.strip():
        raise ValidationError([FieldError("reason", "免交须写明理由")])
    with db.atomic():
        ledger = _ledger_of(db, member_id, load_rules(db))
        problems = _open_months(db, ledger, [month], today)
        if problems:
            raise ValidationError([FieldError("month", p) for p in problems])
        _settle_start(db, month, today)
        q.insert_months(db, [(member_id, month, None, 0, 0, reason.strip())])
        audit.record(db, audit.CREATE, "dues_months", label=f"{ledger.name} {month}党费免交", fields=["免交理由"],
                     uid=audit.uid_of(db, "members", member_id))


def clear_exemption(db: Database, member_id: int, month: str) -> None:
    """Undo `exempt`: the month is owed again."""
    with db.atomic():
        row_id = q.exemption(db, member_id, month)
        if row_id is None:
            raise ServiceError(f"{month} 没有免交记录")
        name = _member_row(db, member_id)[1]
        uid = audit.uid_of(db, "dues_months", row_id)
        q.delete(db, "dues_months", row_id)
        audit.record(db, audit.DELETE, "dues_months", label=f"{name} {month}党费免交", fields=["免交"], uid=uid)


# ---------------------------------------------------------------- arrears

@dataclass(frozen=True)
class Arrear:
    member_id: int
    name: str
    branch_name: str
    months_owed: int  # overdue months unpaid, since the ledger began
    consecutive: int  # the latest run of unpaid months, up to last month
    owed_fen: int
    level: str  # "danger" (自行脱党 warning) / "warn" / "" (owes, below the warning)
    first_owed: str = ""  # the earliest month owed
    branch_id: int = 0


def arrears(db: Database, scope_id: int, today: dt.date | None = None) -> list[Arrear]:
    """Members on the roll who owe at least one month that has ended, the longest run unpaid first.

    The current month is not overdue yet. Exempt months are not owed and end a run. Counted first
    from one aggregate over the covered months (how many, and the latest, per member); only the few
    who owe are then looked at month by month.
    """
    today = today or dt.date.today()
    with db.snapshot():
        org_ids = _scope(db, scope_id)
        rules = load_rules(db)
        start = month_index(ledger_start(db, today))
        last = month_index(month_of(today)) - 1
        if last < start:
            return []
        first_month, last_month = _month_name(start), _month_name(last)
        candidates = q.arrears_candidates(db, org_ids, first_month, last_month)
        moves: dict[int, list[tuple[str, str]]] = {}
        if candidates:
            for member_id, on_date, kind in q.moves(db, org_ids):
                moves.setdefault(member_id, []).append((on_date, kind))
        owing: list[tuple[tuple, int, int, list[tuple[int, int | None]]]] = []
        for r in candidates:
            count, latest = r[7], r[8]
            spans = _spans(r[3], r[4], moves.get(r[0], ()))
            total = sum(max(0, min(last, last if e is None else e) - max(f, start) + 1) for f, e in spans)
            if total - count <= 0:
                continue
            # The run unpaid up to last month, within the member's latest time on the roll.
            run_start = max(spans[-1][0], start) if spans and spans[-1][1] is None else last + 1
            consecutive = last - max(_at(latest) if latest else start - 1, run_start - 1)
            owing.append((r[:7], total - count, max(consecutive, 0), spans))
        if not owing:
            return []
        ids = [r[0] for r, *_ in owing]
        # Only those with months owed before their latest run need their months looked at.
        covered = q.covered_months(db, [r[0] for r, owed, run, _ in owing if owed > run], first_month, last_month)
        # member → the months its assessments take effect and their monthly amounts
        due = _due_function(rules)
        runs: dict[int, tuple[list[int], list[int]]] = {}
        for n in range(0, len(ids), 500):
            for b in q.bases_for(db, ids[n:n + 500]):
                starts, amounts = runs.setdefault(b[1], ([], []))
                starts.append(_at(b[2]))
                amounts.append(due(b[3], b[4], b[8], b[9]))
        names = member_store.organization_names(db)
    result = []
    for r, owed, consecutive, spans in owing:
        if owed == consecutive:
            unpaid = list(range(last - owed + 1, last + 1))
        else:
            mine = covered.get(r[0], set())
            unpaid = [at for f, e in spans for at in range(max(f, start), min(last if e is None else e, last) + 1)
                      if _month_name(at) not in mine]
        starts, amounts = runs.get(r[0], ((), ()))
        own = None
        owed_fen = 0
        for at in unpaid:
            if starts and at >= starts[0]:
                owed_fen += amounts[bisect_right(starts, at) - 1]
            else:  # before the first assessment: the member's own figures
                own = _own_due(due, r[5], r[6], rules) if own is None else own
                owed_fen += own
        result.append(Arrear(r[0], r[1], names.get(r[2], ""), owed, consecutive, owed_fen,
                             rules_mod.arrears_level(owed, consecutive, rules),
                             _month_name(unpaid[0]) if unpaid else "", r[2]))
    result.sort(key=lambda a: (-a.consecutive, -a.months_owed, a.branch_id, a.name))
    return result


# ---------------------------------------------------------------- remittances (上缴)

@dataclass(frozen=True)
class Remittance:
    id: int
    org_id: int
    org_name: str
    period_from: str
    period_to: str
    amount_fen: int
    remitted_on: dt.date
    receipt_no: str
    note: str

    @property
    def period_label(self) -> str:
        return self.period_from if self.period_from == self.period_to else f"{self.period_from}至{self.period_to}"


def _remittance(r: tuple) -> Remittance:
    return Remittance(r[0], r[1], r[8], r[2], r[3], r[4], dt.date.fromisoformat(r[5]), r[6], r[7])


def record_remittance(db: Database, org_id: int, period_from: str, period_to: str, amount_fen: int,
                      remitted_on: dt.date, receipt_no: str = "", note: str = "",
                      today: dt.date | None = None) -> int:
    """Record dues handed over to the organization above (上缴) for the months `period_from`–`period_to`."""
    today = today or dt.date.today()
    errors: list[FieldError] = []
    for name, month in (("period_from", period_from), ("period_to", period_to)):
        try:
            month_index(month)
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    if not errors and period_to < period_from:
        errors.append(FieldError("period_to", "截止月份不能早于起始月份"))
    if not isinstance(amount_fen, int) or amount_fen < 0:
        errors.append(FieldError("amount_fen", "不能为负数"))
    if remitted_on is None:
        errors.append(FieldError("remitted_on", "不能为空"))
    elif remitted_on > today:
        errors.append(FieldError("remitted_on", "不能晚于今天"))
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        org = org_store.row(db, org_id)
        if org is None:
            raise ServiceError(f"找不到编号为 {org_id} 的党组织")
        remittance_id = q.insert(db, "dues_remittances", {
            "org_id": org_id, "period_from": period_from, "period_to": period_to, "amount_fen": amount_fen,
            "remitted_on": remitted_on.isoformat(), "receipt_no": receipt_no.strip(), "note": note.strip()})
        r = _remittance(q.remittance(db, remittance_id))
        audit.record(db, audit.CREATE, "dues_remittances", remittance_id, f"{r.org_name} {r.period_label}党费上缴",
                     ["期间", "金额", "上缴日期", "收据号"])
        return remittance_id


def remittances(db: Database, scope_id: int, year: int) -> list[Remittance]:
    """Remittances of the scope's organizations whose period meets `year`, earliest first."""
    with db.snapshot():
        org_ids = _scope(db, scope_id)
        return [_remittance(r) for r in q.remittances_in(db, org_ids, month_key(year, 1), month_key(year, 12))]


def delete_remittance(db: Database, remittance_id: int) -> None:
    with db.atomic():
        r = q.remittance(db, remittance_id)
        if r is None:
            raise ServiceError(f"找不到编号为 {remittance_id} 的上缴记录")
        rem = _remittance(r)
        recycle.move_to_bin(db, "remittance", remittance_id, f"{rem.org_name} {rem.period_label}党费上缴")


# ---------------------------------------------------------------- branch totals

@dataclass(frozen=True)
class BranchDues:
    branch_id: int
    branch_name: str
    months: list[DuesMonth]  # 12
    remitted_fen: int  # remittances whose period begins in the year
    extra_fen: int = 0

    @property
    def due_fen(self) -> int:
        return sum(m.due_fen for m in self.months)

    @property
    def paid_fen(self) -> int:
        return sum(m.paid_fen for m in self.months)


def branch_months(db: Database, scope_id: int, year: int, today: dt.date | None = None) -> list[BranchDues]:
    """Per organization of the scope holding members or remitting (breadth-first from the scope): due,
    collected and the collection rate for each month of `year`, and what it remitted for the year."""
    today = today or dt.date.today()
    with db.snapshot():
        org_ids = _scope(db, scope_id)
        figures = _org_figures(db, org_ids, year, today, load_rules(db))
        remitted: dict[int, int] = {}
        for r in q.remittances_in(db, org_ids, month_key(year, 1), month_key(year, 12)):
            if r[2][:4] == str(year):
                remitted[r[1]] = remitted.get(r[1], 0) + r[4]
        extras = q.extras_by_org(db, org_ids, f"{year}-01-01", f"{year}-12-31")
        names = member_store.organization_names(db)
    empty = [[0, 0]] * 12
    return [BranchDues(org_id, names.get(org_id, ""), _month_totals(figures.get(org_id, empty), year, today),
                       remitted.get(org_id, 0), extras.get(org_id, 0))
            for org_id in org_ids if org_id in figures or org_id in remitted]


def monthly_collection(db: Database, scope_id: int, year: int, today: dt.date | None = None) -> list[DuesMonth]:
    """The scope's due, collected and collection rate for each month of `year` (the Home chart)."""
    today = today or dt.date.today()
    with db.snapshot():
        figures = _org_figures(db, _scope(db, scope_id), year, today, load_rules(db))
    return _month_totals([(sum(f[i][0] for f in figures.values()), sum(f[i][1] for f in figures.values()))
                          for i in range(12)], year, today)


# ---------------------------------------------------------------- importing a year's bases

@dataclass(frozen=True)
class BaseImportRow:
    row: int  # 1-based spreadsheet row
    member_id: int
    name: str
    data: BaseData
    due_fen: int  # the monthly amount it gives
    replaces: bool  # an assessment from the same month is recorded and will be replaced


@dataclass(frozen=True)
class BaseImport:
    file: str
    org_id: int
    year: int
    rows_read: int
    valid: list[BaseImportRow]
    problems: list[ImportProblem]  # by row, then column; a row with any is not in `valid`
    written: int  # assessments written: 0 for a dry run, or while problems remain unconfirmed

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})


def import_bases(db: Database, path: Path | str, org_id: int, year: int, dry_run: bool = True,
                 confirm_valid: bool = False) -> BaseImport:
    """Read a sheet of yearly bases for the members of `org_id` (and under it) and check every row;
    unless `dry_run`, write the valid rows in one transaction — but only when there are no problems,
    or the user confirmed importing the valid rows alone (`confirm_valid`).

    A row matches a member by 身份证号, else by 姓名 (refused when two members share it). A blank
    党费类别 keeps the member's; a blank 生效月份 is January of `year`; a month outside `year` is a problem.
    ImportFileError when the file cannot be read at all.
    """
    from ..imports.dues import parse_bases
    from ..imports.reader import UnreadableFile, read_table

    try:
        table = read_table(Path(path))
    except UnreadableFile as exc:
        raise ImportFileError(str(exc)) from exc
    sheet = parse_bases(table)
    rules = load_rules(db)
    with db.snapshot():
        org_ids = _scope(db, org_id)
        people = q.people(db, org_ids)
        own = {r[0]: r for r in q.roll(db, org_ids)}
        recorded = {(r[1], r[2]) for r in q.bases_in(db, org_ids)}
    by_id = {r[2]: r for r in people if r[2]}
    by_name: dict[str, list[tuple]] = {}
    for r in people:
        by_name.setdefault(r[1], []).append(r)
    problems = list(sheet.problems)
    checked: list[tuple[BaseRow, int, str, BaseData, dict]] = []
    for row in sheet.rows:
        found = _import_row(row, sheet, by_id, by_name, own, year, rules)
        if found:
            checked.append((row, *found))
    seen: dict[tuple[int, str], list[int]] = {}
    for row, member_id, _name, _data, values in checked:
        seen.setdefault((member_id, values["effective_from"]), []).append(row.row)
    valid: list[BaseImportRow] = []
    writes: list[tuple[int, dict]] = []
    for row, member_id, name, data, values in checked:
        same = seen[(member_id, values["effective_from"])]
        if len(same) > 1:
            others = "、".join(str(n) for n in same if n != row.row)
            row.problems.append(ImportProblem(row.row, "姓名", row.shown.get("name", ""),
                                              f"与第{others}行是同一党员、同一生效月份"))
            continue
        due = _assess(values["category"], values["base_fen"], values["fixed_fen"], None, rules).due_fen
        valid.append(BaseImportRow(row.row, member_id, name, data, due,
                                   (member_id, values["effective_from"]) in recorded))
        writes.append((member_id, values))
    for row in sheet.rows:
        problems.extend(row.problems)
    order = {label: i for i, label in enumerate(_IMPORT_COLUMNS)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    result = BaseImport(sheet.file, org_id, year, len(sheet.rows), valid, problems, 0)
    if dry_run or not writes or (problems and not confirm_valid):
        return result
    with db.atomic():
        org = org_store.row(db, org_id)
        for member_id, values in writes:
            member = _member_row(db, member_id)
            _put_base(db, member, values, rules)
        audit.record(db, audit.IMPORT, "dues_bases",
                     label=f"导入{year}年党费基数到“{org[3]}”：{len(writes)} 名党员",
                     fields=["党费类别", "党费基数"], uid=audit.uid_of(db, "organizations", org_id))
    return replace(result, written=len(writes))


_IMPORT_COLUMNS = ("", "姓名", "身份证号", "党费类别", "党费基数", "税后收入", "应发工资", "个税", "扣除", "每月金额",
                   "生效月份", "备注")
# Where a rule's problem is reported, by BaseData field.
_IMPORT_FIELDS = {"effective_from": "effective_from", "category": "category", "base_fen": "base_fen",
                  "gross_fen": "gross_fen", "tax_fen": "tax_fen", "deductions_fen": "deductions_fen",
                  "fixed_fen": "fixed_fen"}


def _import_row(row: BaseRow, sheet: BaseSheet, by_id: dict[str, tuple], by_name: dict[str, list[tuple]],
                own: dict[int, tuple], year: int, rules: DuesRules) -> tuple[int, str, BaseData, dict] | None:
    """The member, the assessment and its stored values of one row, or None (its problems added)."""
    v = row.values
    bad = {p.column for p in row.problems}

    def problem(name: str, reason: str) -> None:
        column = sheet.label(name)
        if column not in bad:
            row.problems.append(ImportProblem(row.row, column, row.shown.get(name, ""), reason))
            bad.add(column)

    name = str(v.get("name") or "")
    number = str(v.get("id_number") or "")
    person = None
    if not name:
        problem("name", "不能为空")
    elif number and "身份证号" not in bad:
        person = by_id.get(number)
        if person is None:
            problem("id_number", "本组织中没有登记此身份证号的党员")
        elif person[1] != name:
            problem("name", f"与该身份证号登记的党员“{person[1]}”不符")
            person = None
    elif not number:
        same = by_name.get(name, [])
        if not same:
            problem("name", "本组织中找不到该党员")
        elif len(same) > 1:
            problem("name", f"本组织有 {len(same)} 名同名党员，请填写身份证号")
        else:
            person = same[0]
    month = v.get("effective_from") or month_key(year, 1)
    if "生效月份" not in bad and not month.startswith(f"{year:04d}-"):
        problem("effective_from", f"不在 {year} 年内")
    if person is None or row.problems:
        return None
    member = own[person[0]]
    category = v.get("category") or _CATEGORIES[member[5]]
    base, fixed = v.get("base_fen"), v.get("fixed_fen")
    if category in (DuesCategory.FARMER, DuesCategory.OTHER) and fixed is None and base is not None:
        fixed, base = base, None  # their 党费基数 is the monthly amount
    if category is DuesCategory.STUDENT and base is None:
        base = 0
    data = BaseData(month, category, base, v.get("gross_fen"), v.get("tax_fen"), v.get("deductions_fen"), fixed,
                    note=str(v.get("note") or ""))
    try:
        values = _base_values(data, rules)
    except ValidationError as exc:
        for e in exc.errors:
            target = _IMPORT_FIELDS.get(e.field, "base_fen")
            if target == "fixed_fen" and "fixed_fen" not in sheet.given:
                target = "base_fen"
            problem(target, e.message)
        return None
    return person[0], person[1], data, values
