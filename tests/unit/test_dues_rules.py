"""The dues rules of 中组发〔2008〕3号 (domain/dues.py) at their boundaries, and over the whole range."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain.dues import (
    DEFAULT_RULES,
    Bracket,
    DuesRules,
    after_tax_base,
    apply_rate,
    arrears_level,
    bracket_of,
    cell_state,
    month_index,
    monthly_due,
    parse_month,
    payment_problem,
    percent_text,
    rate_text,
)
from branchdesk.domain.members import DuesCategory

EMPLOYED, RETIRED = DuesCategory.EMPLOYED, DuesCategory.RETIRED


def yuan(text: str) -> int:
    return int(Decimal(text) * 100)


def test_the_official_examples() -> None:
    assert monthly_due(EMPLOYED, yuan("5100")) == yuan("76.50")
    assert monthly_due(EMPLOYED, yuan("4900")) == yuan("49.00")


@pytest.mark.parametrize(("base", "due", "rate"), [
    ("0", "0", "0.5%"),
    ("3000.00", "15.00", "0.5%"),
    ("3000.01", "30.00", "1%"),  # 30.0001 → 30.00: the whole base at the higher rate
    ("5000.00", "50.00", "1%"),
    ("5000.01", "75.00", "1.5%"),  # 75.00015
    ("10000.00", "150.00", "1.5%"),
    ("10000.01", "200.00", "2%"),  # 200.0002
    ("2999.99", "15.00", "0.5%"),  # 14.99995 rounds half up to 15.00
    ("20000", "400.00", "2%"),
])
def test_employed_brackets_at_every_boundary(base: str, due: str, rate: str) -> None:
    assert monthly_due(EMPLOYED, yuan(base)) == yuan(due)
    assert rate_text(EMPLOYED, yuan(base)) == rate


@pytest.mark.parametrize(("base", "due", "rate"), [
    ("5000.00", "25.00", "0.5%"),
    ("5000.01", "50.00", "1%"),
    ("4999.99", "25.00", "0.5%"),  # 24.99995
    ("8000", "80.00", "1%"),
])
def test_retired_brackets(base: str, due: str, rate: str) -> None:
    assert monthly_due(RETIRED, yuan(base)) == yuan(due)
    assert rate_text(RETIRED, yuan(base)) == rate


def test_flat_rate_for_students_the_unemployed_and_low_income() -> None:
    assert monthly_due(DuesCategory.STUDENT, 0) == 20
    assert monthly_due(DuesCategory.STUDENT, yuan("9000")) == 20  # whatever the base
    assert rate_text(DuesCategory.STUDENT, 0) == "0.20元"


@pytest.mark.parametrize("fixed", [20, 55, 100])
def test_farmers_pay_their_own_amount_within_the_range(fixed: int) -> None:
    assert monthly_due(DuesCategory.FARMER, 0, fixed_fen=fixed) == fixed
    assert rate_text(DuesCategory.FARMER, 0, fixed_fen=fixed) == {20: "0.20元", 55: "0.55元", 100: "1.00元"}[fixed]


@pytest.mark.parametrize("fixed", [None, 0, 19, 101, 500])
def test_farmer_amounts_outside_020_to_100_are_refused(fixed: int | None) -> None:
    with pytest.raises(ValueError, match=r"0\.20至1\.00元"):
        monthly_due(DuesCategory.FARMER, 0, fixed_fen=fixed)


def test_other_pays_the_fixed_amount() -> None:
    assert monthly_due(DuesCategory.OTHER, yuan("5000"), fixed_fen=yuan("100")) == yuan("100")
    assert rate_text(DuesCategory.OTHER, 0, fixed_fen=yuan("12.5")) == "12.50元"


def test_negative_figures_are_refused() -> None:
    with pytest.raises(ValueError):
        monthly_due(EMPLOYED, -1)
    with pytest.raises(ValueError):
        after_tax_base(yuan("5000"), yuan("300"), yuan("5000"))


def test_base_from_pay_items() -> None:
    assert after_tax_base(yuan("8000"), yuan("500"), yuan("1500")) == yuan("6000")


@pytest.mark.parametrize(("rounding", "expected"), [("half_up", 15), ("down", 14), ("half_even", 14)])
def test_rounding_is_a_setting(rounding: str, expected: int) -> None:
    # 2900 fen at 0.5% = 14.5 fen exactly
    assert apply_rate(2900, 50, rounding) == expected
    assert apply_rate(3100, 50, "half_even") == 16  # 15.5 → even 16


BASES = st.integers(min_value=0, max_value=10_000_000)  # 0 to 100,000 元 a month


@given(BASES)
def test_employed_due_is_the_base_times_its_rate_rounded_half_up(base: int) -> None:
    due = monthly_due(EMPLOYED, base)
    rate = Fraction(bracket_of(DEFAULT_RULES.employed, base).rate_bp, 10_000)
    exact = Decimal(base) * Decimal(rate.numerator) / Decimal(rate.denominator)
    assert isinstance(due, int) and due >= 0
    assert due == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(BASES, BASES)
def test_due_is_monotone_within_a_bracket(a: int, b: int) -> None:
    low, high = sorted((a, b))
    for category in (EMPLOYED, RETIRED):
        brackets = DEFAULT_RULES.employed if category is EMPLOYED else DEFAULT_RULES.retired
        if bracket_of(brackets, low) == bracket_of(brackets, high):
            assert monthly_due(category, low) <= monthly_due(category, high)


@given(BASES)
def test_retired_due_never_exceeds_employed_and_is_never_negative(base: int) -> None:
    retired = monthly_due(RETIRED, base)
    assert 0 <= retired <= monthly_due(EMPLOYED, base)


def test_rules_survive_json_and_keep_defaults_for_missing_fields() -> None:
    rules = DuesRules(employed=(Bracket(400_000, 60), Bracket(None, 120)), rounding="down", advance_max_months=12)
    assert DuesRules.from_json(rules.to_json()) == rules
    assert DuesRules.from_json('{"rounding": "down"}') == DuesRules(rounding="down")
    with pytest.raises(ValueError):
        DuesRules.from_json("not json")
    with pytest.raises(ValueError, match="舍入"):
        DuesRules.from_json('{"rounding": "up"}')


def test_rules_with_brackets_out_of_order_are_refused() -> None:
    bad = DuesRules(employed=(Bracket(500_000, 100), Bracket(300_000, 50), Bracket(None, 200)))
    assert [e.field for e in bad.problems()] == ["employed"]
    assert DuesRules(retired=(Bracket(500_000, 50),)).problems()[0].field == "retired"  # last has no limit
    assert DEFAULT_RULES.problems() == []


def test_percent_text() -> None:
    assert [percent_text(bp) for bp in (50, 100, 150, 200, 125)] == ["0.5%", "1%", "1.5%", "2%", "1.25%"]


def test_back_payments_over_six_months_are_refused() -> None:
    six = [f"2026-{m:02d}" for m in range(1, 7)]
    assert payment_problem(six, "2026-07") is None
    why = payment_problem([*six, "2025-12"], "2026-07")
    assert why and "一次补交最多 6 个月" in why and "7 个月" in why


def test_advance_payments_up_to_the_setting() -> None:
    ahead = [f"2027-{m:02d}" for m in range(1, 7)]
    assert payment_problem(["2026-11", "2026-12", *ahead[:5]], "2026-11") is None
    assert "一次预交最多 6 个月" in payment_problem(["2026-12", *ahead], "2026-11")
    assert payment_problem(["2026-12", *ahead], "2026-11", DuesRules(advance_max_months=12)) is None
    assert payment_problem([], "2026-11") == "请选择要交纳的月份"
    assert payment_problem(["2026-11", "2026-11"], "2026-11") == "同一个月份选了两次"


def test_a_months_state_follows_when_it_was_paid() -> None:
    assert cell_state("2026-03", "2026-03") == "paid"
    assert cell_state("2026-03", "2026-04") == "back_paid"
    assert cell_state("2025-12", "2026-01") == "back_paid"
    assert cell_state("2026-03", "2026-02") == "advance"
    assert cell_state("2026-03", None) == "unpaid"


def test_arrears_levels() -> None:
    assert arrears_level(2, 2) == ""
    assert arrears_level(3, 1) == "warn"
    assert arrears_level(4, 4) == "warn"
    assert arrears_level(5, 5) == "danger"
    assert arrears_level(9, 4) == "warn"  # many owed, but not five in a row


def test_months_parse_and_count_across_a_year_boundary() -> None:
    assert month_index("2026-01") - month_index("2025-12") == 1
    assert [parse_month(t) for t in ("2026-3", "2026/03", "2026年3月", "202603", "2026.3")] == ["2026-03"] * 5
    for bad in ("2026-13", "2026", "三月"):
        with pytest.raises(ValueError):
            parse_month(bad)
    with pytest.raises(ValueError):
        month_index("2026-00")
