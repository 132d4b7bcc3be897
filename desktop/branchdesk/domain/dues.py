"""Party dues (党费): how much a member owes a month, and the limits on paying late or early.

Source of the defaults: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）:
- 在职 (art. 3): the whole after-tax monthly wage is the base, charged at one rate by the bracket it
  falls in: ≤ 3000 元 0.5%; 3000–5000 元 1%; 5000–10000 元 1.5%; > 10000 元 2%. The official
  examples: a base of 5100 元 pays 76.50 元, one of 4900 元 pays 49.00 元.
- 离退休 (art. 4): pension ≤ 5000 元 0.5%; > 5000 元 1%.
- 学生、下岗失业、低保 (art. 5): 0.20 元 a month. 农民 (art. 5): 0.20–1.00 元 a month, set per member.
- The base is assessed once a year (art. 10, 年初核定) and changed when the pay changes mid-year.
- 补交 (art. 12): at most 6 months at once. 预交 has no national rule; the default 6 months is a local one.
- No rounding rule is given: half-up to the fen by default, a setting (design.md §3).
- 党章 art. 9: six consecutive months unpaid without good reason → 自行脱党; the app warns at 3 and
  at 5 (design.md §3, issue 4). A voluntary extra (自愿多交) is recorded apart from the amount due.
Local rules differ, so every figure is a field of `DuesRules`, kept as JSON in the settings table.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from .fields import FieldError
from .members import DuesCategory, fen_to_yuan

ROUNDINGS = ("half_up", "down", "half_even")
ROUNDING_LABELS = {"half_up": "四舍五入到分", "down": "舍去分以下", "half_even": "银行家舍入到分"}
RATE_SCALE = 10_000  # rates in basis points (万分之一): 1.5% = 150


@dataclass(frozen=True)
class Bracket:
    """Bases up to `up_to_fen` (inclusive; None: no upper limit) pay `rate_bp` / 10,000 of the base."""

    up_to_fen: int | None
    rate_bp: int


@dataclass(frozen=True)
class DuesRules:
    employed: tuple[Bracket, ...] = (Bracket(300_000, 50), Bracket(500_000, 100), Bracket(1_000_000, 150),
                                     Bracket(None, 200))
    retired: tuple[Bracket, ...] = (Bracket(500_000, 50), Bracket(None, 100))
    flat_fen: int = 20  # 学生、下岗失业、低保
    farmer_min_fen: int = 20
    farmer_max_fen: int = 100
    back_pay_max_months: int = 6
    advance_max_months: int = 6
    rounding: str = "half_up"
    warn_months: int = 3  # arrears highlighted
    danger_months: int = 5  # consecutive months unpaid: 自行脱党 warning (the lapse itself is at 6)
    lapse_months: int = 6

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DuesRules:
        """Rules saved by `to_json`; fields missing (saved by an older version) keep their defaults.
        ValueError when the text is not rules or breaks `problems`."""
        try:
            raw = json.loads(text)
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            values: dict[str, Any] = {k: v for k, v in raw.items() if k in _FIELDS}
            for name in ("employed", "retired"):
                if name in values:
                    values[name] = tuple(Bracket(b["up_to_fen"], int(b["rate_bp"])) for b in values[name])
            rules = replace(DEFAULT_RULES, **values)
        except (TypeError, KeyError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"党费规则设置无法读取：{exc}") from exc
        found = rules.problems()
        if found:
            raise ValueError("党费规则设置有误：" + "；".join(str(e) for e in found))
        return rules

    def problems(self) -> list[FieldError]:
        """What makes these rules unusable (the Settings page shows it by the field)."""
        errors: list[FieldError] = []
        for name, brackets in (("employed", self.employed), ("retired", self.retired)):
            bounds = [b.up_to_fen for b in brackets]
            ok = (bool(brackets) and bounds[-1] is None and all(isinstance(b, int) and b > 0 for b in bounds[:-1])
                  and bounds[:-1] == sorted(set(bounds[:-1])) and all(0 <= b.rate_bp <= RATE_SCALE for b in brackets))
            if not ok:
                errors.append(FieldError(name, "档次应按上限从低到高排列，最后一档不设上限，比例在0至100%之间"))
        if self.flat_fen < 0:
            errors.append(FieldError("flat_fen", "不能为负数"))
        if not 0 <= self.farmer_min_fen <= self.farmer_max_fen:
            errors.append(FieldError("farmer_min_fen", "下限应不大于上限，且不为负数"))
        for name in ("back_pay_max_months", "advance_max_months"):
            if not 1 <= getattr(self, name) <= 120:
                errors.append(FieldError(name, "应在1至120个月之间"))
        if self.rounding not in ROUNDINGS:
            errors.append(FieldError("rounding", "请选择舍入方式"))
        if not 1 <= self.warn_months <= self.danger_months <= self.lapse_months:
            errors.append(FieldError("danger_months", "提醒月数应不大于警告月数，警告月数应不大于脱党月数"))
        return errors


DEFAULT_RULES = DuesRules()
_FIELDS = set(DuesRules.__dataclass_fields__)


def apply_rate(base_fen: int, rate_bp: int, rounding: str = "half_up") -> int:
    """base × rate, to the fen, in integers (no float ever touches money)."""
    whole, rest = divmod(base_fen * rate_bp, RATE_SCALE)
    if rounding == "down" or rest == 0:
        return whole
    twice = 2 * rest
    if twice > RATE_SCALE or (twice == RATE_SCALE and (rounding == "half_up" or whole % 2)):
        return whole + 1
    return whole


def bracket_of(brackets: tuple[Bracket, ...], base_fen: int) -> Bracket:
    """The bracket a base falls in: the first whose upper limit it does not exceed."""
    for b in brackets:
        if b.up_to_fen is None or base_fen <= b.up_to_fen:
            return b
    return brackets[-1]


def _brackets(category: DuesCategory, rules: DuesRules) -> tuple[Bracket, ...] | None:
    if category is DuesCategory.EMPLOYED:
        return rules.employed
    if category is DuesCategory.RETIRED:
        return rules.retired
    return None


def farmer_problem(fixed_fen: int | None, rules: DuesRules) -> str | None:
    low, high = fen_to_yuan(rules.farmer_min_fen), fen_to_yuan(rules.farmer_max_fen)
    if fixed_fen is None:
        return f"农民党员须填写每月交纳金额（{low}至{high}元）"
    if not rules.farmer_min_fen <= fixed_fen <= rules.farmer_max_fen:
        return f"农民党员每月交纳{low}至{high}元，{fen_to_yuan(fixed_fen)}元超出范围"
    return None


def monthly_due(category: DuesCategory | str, base_fen: int, rules: DuesRules = DEFAULT_RULES,
                fixed_fen: int | None = None) -> int:
    """The amount due a month by rule, in fen.

    在职/离退休: the base (after-tax wage / pension) at its bracket's rate; 学生等: the flat amount;
    农民: `fixed_fen`, which must lie within the farmers' range (ValueError otherwise); 其他: `fixed_fen`
    (0 when not set).
    """
    if not isinstance(category, DuesCategory):
        category = DuesCategory(category)
    if base_fen < 0 or (fixed_fen is not None and fixed_fen < 0):
        raise ValueError("党费基数和金额不能为负数")
    brackets = _brackets(category, rules)
    if brackets is not None:
        return apply_rate(base_fen, bracket_of(brackets, base_fen).rate_bp, rules.rounding)
    if category is DuesCategory.STUDENT:
        return rules.flat_fen
    if category is DuesCategory.FARMER:
        why = farmer_problem(fixed_fen, rules)
        if why:
            raise ValueError(why)
        return fixed_fen
    return fixed_fen or 0


def percent_text(rate_bp: int) -> str:
    """150 → "1.5%", 50 → "0.5%", 200 → "2%"."""
    whole, rest = divmod(rate_bp, 100)
    return f"{whole}.{rest:02d}".rstrip("0").rstrip(".") + "%"


def rate_text(category: DuesCategory | str, base_fen: int, rules: DuesRules = DEFAULT_RULES,
              fixed_fen: int | None = None) -> str:
    """How the amount is set, as a ledger's 比例 column shows it: "1.5%", "0.20元", "0.20–1.00元"."""
    category = DuesCategory(category)
    brackets = _brackets(category, rules)
    if brackets is not None:
        return percent_text(bracket_of(brackets, max(base_fen, 0)).rate_bp)
    if category is DuesCategory.STUDENT:
        return f"{fen_to_yuan(rules.flat_fen)}元"
    if fixed_fen is not None:
        return f"{fen_to_yuan(fixed_fen)}元"
    if category is DuesCategory.FARMER:
        return f"{fen_to_yuan(rules.farmer_min_fen)}–{fen_to_yuan(rules.farmer_max_fen)}元"
    return "定额"


def after_tax_base(gross_fen: int, tax_fen: int = 0, deductions_fen: int = 0) -> int:
    """The base from pay items: 应发工资 − 个人所得税 − 扣除 (社保、公积金…); ValueError when negative."""
    base = gross_fen - tax_fen - deductions_fen
    if min(gross_fen, tax_fen, deductions_fen) < 0 or base < 0:
        raise ValueError("应发工资减去个税和扣除项后不能为负数")
    return base


# ---------------------------------------------------------------- months ('YYYY-MM')

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_of(day: dt.date) -> str:
    return month_key(day.year, day.month)


def month_index(month: str) -> int:
    """'2026-03' → a running number of months (consecutive months differ by one); ValueError."""
    m = _MONTH.match(month or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"不是有效的月份：{month}（应为 2026-03 这样的形式）")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_from_index(index: int) -> str:
    year, month = divmod(index, 12)
    return month_key(year, month + 1)


def add_month_count(month: str, count: int) -> str:
    return month_from_index(month_index(month) + count)


def year_months(year: int) -> list[str]:
    return [month_key(year, m) for m in range(1, 13)]


def parse_month(text: str) -> str:
    """What people type for a month — 2026-03, 2026-3, 2026/3, 2026.3, 202603, 2026年3月 — as
    'YYYY-MM'; ValueError otherwise."""
    s = text.strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))", s)
    if not m:
        raise ValueError(f"无法识别的月份：{text}（应为 2026-03 这样的形式）")
    month = int(m.group(2) or m.group(3))
    if not 1 <= month <= 12:
        raise ValueError(f"无法识别的月份：{text}")
    return month_key(int(m.group(1)), month)


# ---------------------------------------------------------------- payments and arrears

def payment_problem(months: list[str], paid_month: str, rules: DuesRules = DEFAULT_RULES) -> str | None:
    """Why one payment cannot cover `months` when paid in `paid_month`, or None.

    Months before the month of payment are 补交 (at most `back_pay_max_months`), months after it 预交
    (at most `advance_max_months`).
    """
    if not months:
        return "请选择要交纳的月份"
    if len(set(months)) != len(months):
        return "同一个月份选了两次"
    paid = month_index(paid_month)
    back = sum(1 for m in months if month_index(m) < paid)
    ahead = sum(1 for m in months if month_index(m) > paid)
    if back > rules.back_pay_max_months:
        return (f"一次补交最多 {rules.back_pay_max_months} 个月，所选有 {back} 个月是交纳日期以前的月份；"
                "请分次登记，或先处理更早的欠缴")
    if ahead > rules.advance_max_months:
        return f"一次预交最多 {rules.advance_max_months} 个月，所选有 {ahead} 个月是交纳日期以后的月份"
    return None


def cell_state(month: str, paid_month: str | None) -> str:
    """A month paid in `paid_month` ('YYYY-MM'): "paid" in the month itself, "back_paid" after it
    (补交), "advance" before it (预交); "unpaid" when not paid (None)."""
    if paid_month is None:
        return "unpaid"
    return "paid" if paid_month == month else ("back_paid" if paid_month > month else "advance")


def arrears_level(months_owed: int, consecutive: int, rules: DuesRules = DEFAULT_RULES) -> str:
    """"danger" at `danger_months` consecutive unpaid months (自行脱党 warning), "warn" at
    `warn_months` owed in all, "" below."""
    if consecutive >= rules.danger_months:
        return "danger"
    if months_owed >= rules.warn_months:
        return "warn"
    return ""


CATEGORY_BY_LABEL = {c.label: c for c in DuesCategory} | {
    "在职党员": DuesCategory.EMPLOYED, "离休": DuesCategory.RETIRED, "退休": DuesCategory.RETIRED,
    "离退休党员": DuesCategory.RETIRED, "学生党员": DuesCategory.STUDENT, "下岗": DuesCategory.STUDENT,
    "下岗失业": DuesCategory.STUDENT, "失业": DuesCategory.STUDENT, "低保": DuesCategory.STUDENT,
    "农民党员": DuesCategory.FARMER,
}


def category_problem(category: DuesCategory, base_fen: int, fixed_fen: int | None,
                     rules: DuesRules = DEFAULT_RULES) -> FieldError | None:
    """What is wrong with a base assessment's figures for its category, or None."""
    if base_fen < 0:
        return FieldError("base_fen", "不能为负数")
    if category is DuesCategory.FARMER:
        why = farmer_problem(fixed_fen, rules)
        return FieldError("fixed_fen", why) if why else None
    if category is DuesCategory.OTHER and fixed_fen is None:
        return FieldError("fixed_fen", "“其他”类别须填写每月固定交纳金额")
    if fixed_fen is not None and fixed_fen < 0:
        return FieldError("fixed_fen", "不能为负数")
    return None

