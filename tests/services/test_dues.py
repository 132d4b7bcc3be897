"""Party dues through services/dues.py on a real file: bases, the year grid, payments, arrears,
remittances and totals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain.dues import ROUNDINGS, DuesRules, payment_problem
from branchdesk.domain.members import DuesCategory, Standing
from branchdesk.services import audit, demo, dues, handover, members, organizations, recycle
from branchdesk.services.dues import BaseData
from branchdesk.services.errors import ServiceError, ValidationError
from branchdesk.store.connection import open_database
from branchdesk.store.handover import dump
from tests.conftest import TODAY, member_data

EMPLOYED = DuesCategory.EMPLOYED
D = dt.date


def _count(db, table: str) -> int:
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def ledger(db, sample):
    """The sample organization with its dues ledger starting in January 2025 and the secretary
    assessed at 5100 元 (76.50 a month) from then."""
    dues.set_ledger_start(db, "2025-01")
    dues.set_base(db, sample.secretary, BaseData("2025-01", EMPLOYED, base_fen=510_000))
    return sample


def _row(db, scope: int, member_id: int, year: int = 2026, today: dt.date = TODAY) -> dues.GridRow:
    [row] = [r for r in dues.year_grid(db, scope, year, today).rows if r.member_id == member_id]
    return row


def _months(year: int, first: int, last: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(first, last + 1)]


# --- bases -------------------------------------------------------------------------------------------------


def test_a_base_sets_the_monthly_amount_and_the_members_own_figures(db, ledger) -> None:
    assert dues.bases(db, ledger.probationary) == []
    [base] = dues.bases(db, ledger.secretary)
    assert (base.base_fen, base.due_fen, base.rate_text, base.until) == (510_000, 7650, "1.5%", None)
    m = members.get(db, ledger.secretary)
    assert (m.data.dues_category, m.data.dues_base_fen) == (EMPLOYED, 510_000)
    row = _row(db, ledger.branch, ledger.secretary)
    assert (row.due_fen, row.rate_text, row.base_fen) == (7650, "1.5%", 510_000)
    assert audit.entries(db, action=audit.CREATE)[0].label == "王建国 2025-01起党费基数"


def test_a_base_from_pay_items(db, ledger) -> None:
    dues.set_base(db, ledger.secretary, BaseData("2026-01", EMPLOYED, gross_fen=800_000, tax_fen=30_000,
                                                 deductions_fen=280_000))
    latest = dues.bases(db, ledger.secretary)[-1]
    assert (latest.base_fen, latest.due_fen) == (490_000, 4900)
    with pytest.raises(ValidationError) as refused:
        dues.set_base(db, ledger.secretary, BaseData("2026-02", EMPLOYED, base_fen=500_000, gross_fen=800_000))
    assert refused.value.for_field("base_fen") == ["与按工资项目计算的 8000.00 元不一致"]


def test_a_mid_year_pay_change_starts_a_new_base(db, ledger) -> None:
    dues.set_base(db, ledger.secretary, BaseData("2026-01", EMPLOYED, base_fen=490_000))
    dues.set_base(db, ledger.secretary, BaseData("2026-07", EMPLOYED, base_fen=510_000))
    cells = _row(db, ledger.branch, ledger.secretary).cells
    assert [c.due_fen for c in cells[:11]] == [4900] * 6 + [7650] * 5
    assert [b.until for b in dues.bases(db, ledger.secretary)] == ["2025-12", "2026-06", None]
    # The same month again corrects that assessment rather than adding one.
    dues.set_base(db, ledger.secretary, BaseData("2026-07", EMPLOYED, base_fen=520_000))
    assert [b.base_fen for b in dues.bases(db, ledger.secretary)] == [510_000, 490_000, 520_000]
    assert members.get(db, ledger.secretary).data.dues_base_fen == 520_000


def test_the_first_assessment_keeps_the_amount_owed_before_it(db, sample) -> None:
    dues.set_ledger_start(db, "2026-01")
    members.update(db, sample.secretary, member_data("王建国", group_id=sample.group, dues_base_fen=400_000),
                   today=TODAY)
    dues.set_base(db, sample.secretary, BaseData("2026-07", EMPLOYED, base_fen=600_000))
    cells = _row(db, sample.branch, sample.secretary).cells
    assert [c.due_fen for c in cells[:11]] == [4000] * 6 + [9000] * 5
    first = dues.bases(db, sample.secretary)[0]
    assert (first.data.effective_from, first.base_fen) == ("2026-01", 400_000)


def test_an_override_needs_a_reason_and_replaces_the_amount(db, ledger) -> None:
    with pytest.raises(ValidationError) as refused:
        dues.set_base(db, ledger.secretary, BaseData("2026-01", EMPLOYED, base_fen=510_000, override_fen=2000))
    assert refused.value.for_field("override_reason")
    assert len(dues.bases(db, ledger.secretary)) == 1
    dues.set_base(db, ledger.secretary, BaseData("2026-01", EMPLOYED, base_fen=510_000, override_fen=2000,
                                                 override_reason="家庭困难，经机关党委批准减交"))
    latest = dues.bases(db, ledger.secretary)[-1]
    assert (latest.rule_due_fen, latest.due_fen) == (7650, 2000)
    row = _row(db, ledger.branch, ledger.secretary)
    assert row.due_fen == 2000 and row.overridden


def test_flat_farmer_and_other_categories(db, ledger) -> None:
    dues.set_base(db, ledger.probationary, BaseData("2026-01", DuesCategory.STUDENT))
    assert _row(db, ledger.branch, ledger.probationary).due_fen == 20
    for bad in (None, 10, 120):
        with pytest.raises(ValidationError) as refused:
            dues.set_base(db, ledger.probationary, BaseData("2026-03", DuesCategory.FARMER, fixed_fen=bad))
        assert "0.20至1.00元" in refused.value.for_field("fixed_fen")[0]
    dues.set_base(db, ledger.probationary, BaseData("2026-03", DuesCategory.FARMER, fixed_fen=50))
    dues.set_base(db, ledger.probationary, BaseData("2026-06", DuesCategory.OTHER, fixed_fen=1000))
    cells = _row(db, ledger.branch, ledger.probationary).cells
    assert [c.due_fen for c in cells[:8]] == [20, 20, 50, 50, 50, 1000, 1000, 1000]
    m = members.get(db, ledger.probationary)
    assert (m.data.dues_category, m.data.dues_base_fen) == (DuesCategory.OTHER, 1000)


def test_employed_without_a_base_is_refused(db, ledger) -> None:
    with pytest.raises(ValidationError) as refused:
        dues.set_base(db, ledger.secretary, BaseData("2026-01", EMPLOYED))
    assert "税后月收入" in refused.value.for_field("base_fen")[0]
    with pytest.raises(ValidationError):
        dues.set_base(db, ledger.secretary, BaseData("2026-13", EMPLOYED, base_fen=1))


def test_deleting_a_base_goes_to_the_bin(db, ledger) -> None:
    new = dues.set_base(db, ledger.secretary, BaseData("2026-07", EMPLOYED, base_fen=600_000))
    dues.delete_base(db, new)
    assert members.get(db, ledger.secretary).data.dues_base_fen == 510_000
    [entry] = recycle.entries(db)
    assert entry.label == "王建国 2026-07起党费基数"
    recycle.restore(db, entry.id)
    assert [b.base_fen for b in dues.bases(db, ledger.secretary)] == [510_000, 600_000]
    # The restored assessment is the latest again: the member's own figures follow it.
    assert members.get(db, ledger.secretary).data.dues_base_fen == 600_000


def test_changing_the_base_in_the_member_form_records_an_assessment_from_this_month(db, ledger) -> None:
    before = members.get(db, ledger.secretary).data
    members.update(db, ledger.secretary, replace(before, dues_base_fen=600_000), today=TODAY)
    latest = dues.bases(db, ledger.secretary)[-1]
    assert (latest.data.effective_from, latest.base_fen, latest.due_fen) == ("2026-11", 600_000, 9000)
    cells = _row(db, ledger.branch, ledger.secretary).cells
    assert [c.due_fen for c in cells[9:12]] == [7650, 9000, 9000]  # October keeps the earlier amount
    assert members.get(db, ledger.secretary).data.dues_base_fen == 600_000
    # A farmer's monthly amount outside the range is refused under 党费基数, nothing changed.
    with pytest.raises(ValidationError) as refused:
        members.update(db, ledger.secretary, replace(before, dues_category=DuesCategory.FARMER,
                                                     dues_base_fen=500), today=TODAY)
    assert [e.field for e in refused.value.errors] == ["dues_base_fen"]
    assert members.get(db, ledger.secretary).data.dues_category is EMPLOYED
    assert len(dues.bases(db, ledger.secretary)) == 2


def test_a_member_without_assessments_keeps_the_form_figures_only(db, sample) -> None:
    before = members.get(db, sample.secretary).data
    members.update(db, sample.secretary, replace(before, dues_base_fen=600_000), today=TODAY)
    assert dues.bases(db, sample.secretary) == []
    assert _row(db, sample.branch, sample.secretary).due_fen == 9000


@given(st.sampled_from([c.value for c in DuesCategory]), st.integers(0, 5_000_000),
       st.one_of(st.none(), st.integers(0, 200)), st.one_of(st.none(), st.integers(0, 20_000)),
       st.sampled_from(ROUNDINGS))
def test_the_totals_work_out_each_amount_as_an_assessment_does(category, base_fen, fixed_fen, override_fen,
                                                               rounding) -> None:
    rules = DuesRules(rounding=rounding)
    expected = dues._assess(category, base_fen, fixed_fen, override_fen, rules).due_fen
    assert dues._due_function(rules)(category, base_fen, fixed_fen, override_fen) == expected
    own = dues._own_assessment(category, base_fen, rules).due_fen
    assert dues._own_due(dues._due_function(rules), category, base_fen, rules) == own


# --- payments and the grid -----------------------------------------------------------------------------------


def test_one_payment_covers_several_months(db, ledger) -> None:
    paid = dues.record_payment(db, ledger.secretary, _months(2026, 1, 3), D(2026, 2, 10), 3 * 7650,
                               receipt_no="No.0012", today=TODAY)
    cells = _row(db, ledger.branch, ledger.secretary).cells
    assert [c.state for c in cells[:4]] == ["back_paid", "paid", "advance", "unpaid"]
    assert {c.payment_id for c in cells[:3]} == {paid}
    assert (cells[0].paid_fen, cells[0].receipt_no, cells[0].paid_on) == (7650, "No.0012", D(2026, 2, 10))
    payment = dues.get_payment(db, paid)
    assert (payment.months, payment.amount_fen) == (_months(2026, 1, 3), 22950)
    assert dues.payments(db, ledger.secretary) == [payment]
    assert dues.amount_due(db, ledger.secretary, _months(2026, 4, 5)) == 15300


def test_a_payment_of_the_wrong_amount_is_refused(db, ledger) -> None:
    with pytest.raises(ValidationError) as refused:
        dues.record_payment(db, ledger.secretary, _months(2026, 1, 2), D(2026, 2, 10), 20000, today=TODAY)
    assert refused.value.for_field("amount_fen") == [
        "2个月应交合计 153.00 元，填写的是 200.00 元；自愿多交的部分请填在“自愿多交”"]
    extra = dues.record_payment(db, ledger.secretary, _months(2026, 1, 2), D(2026, 2, 10), 15300, extra_fen=4700,
                                today=TODAY)
    assert dues.get_payment(db, extra).extra_fen == 4700
    row = _row(db, ledger.branch, ledger.secretary)
    assert (row.paid_total_fen, row.extra_fen) == (15300, 4700)


def test_back_paying_more_than_six_months_is_refused_and_nothing_saved(db, ledger) -> None:
    before = dump(db)
    with pytest.raises(ValidationError) as refused:
        dues.record_payment(db, ledger.secretary, _months(2026, 1, 7), D(2026, 11, 5), 7 * 7650, today=TODAY)
    assert "一次补交最多 6 个月" in refused.value.for_field("months")[0]
    assert dump(db) == before
    dues.record_payment(db, ledger.secretary, _months(2026, 1, 6), D(2026, 11, 5), 6 * 7650, today=TODAY)
    assert _count(db, "dues_months") == 6


def test_advance_payments_up_to_the_setting(db, ledger) -> None:
    ahead = [*_months(2026, 11, 12), *_months(2027, 1, 5)]  # November (now) and six ahead
    dues.record_payment(db, ledger.secretary, ahead, D(2026, 11, 5), 7 * 7650, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        dues.record_payment(db, ledger.secretary, _months(2027, 6, 12), D(2026, 11, 5), 7 * 7650, today=TODAY)
    assert "一次预交最多 6 个月" in str(refused.value)
    dues.save_rules(db, DuesRules(advance_max_months=12))
    dues.record_payment(db, ledger.secretary, _months(2027, 6, 12), D(2026, 11, 5), 7 * 7650, today=TODAY)
    assert [c.state for c in _row(db, ledger.branch, ledger.secretary, 2027).cells] == ["advance"] * 12


def test_months_already_paid_or_before_joining_are_refused(db, ledger) -> None:
    dues.record_payment(db, ledger.secretary, ["2026-03"], D(2026, 3, 2), 7650, receipt_no="A1", today=TODAY)
    with pytest.raises(ValidationError) as refused:
        dues.record_payment(db, ledger.secretary, _months(2026, 3, 4), D(2026, 4, 2), 2 * 7650, today=TODAY)
    assert refused.value.for_field("months") == ["2026-03 已于 2026-03-02 交纳（收据 A1）"]
    with pytest.raises(ValidationError) as refused:  # 李晓梅 was admitted on 10 January 2026
        dues.record_payment(db, ledger.probationary, ["2025-12"], D(2026, 1, 20), 0, today=TODAY)
    assert "不在本支部" in refused.value.for_field("months")[0]
    with pytest.raises(ValidationError):
        dues.record_payment(db, ledger.secretary, ["2024-12"], D(2026, 1, 20), 7650, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        dues.record_payment(db, ledger.secretary, ["2026-11"], D(2026, 11, 30), 7650, today=TODAY)
    assert refused.value.for_field("paid_on") == ["不能晚于今天"]


def test_a_member_joining_mid_year_owes_only_from_admission(db, ledger) -> None:
    cells = _row(db, ledger.branch, ledger.probationary).cells
    assert [c.state for c in cells] == ["unpaid"] * 11 + ["not_due"]  # admitted 10 January 2026
    late = members.create(db, ledger.branch, member_data(
        "陈新", standing=Standing.PROBATIONARY, joined_on=D(2026, 5, 20), full_on=None, dues_base_fen=300_000),
        today=TODAY)
    cells = _row(db, ledger.branch, late).cells
    assert [c.state for c in cells] == ["not_due"] * 4 + ["unpaid"] * 7 + ["not_due"]
    assert [c.due_fen for c in cells[3:6]] == [0, 1500, 1500]
    assert _row(db, ledger.branch, late).owed_fen == 6 * 1500  # May to October; November is not over
    [arrear] = [a for a in dues.arrears(db, ledger.committee, TODAY) if a.member_id == late]
    assert (arrear.months_owed, arrear.first_owed) == (6, "2026-05")


def test_transfers_bound_the_months_owed(db, ledger) -> None:
    members.transfer_out(db, ledger.secretary, D(2026, 4, 15), "市教育局机关党委")
    cells = _row(db, ledger.branch, ledger.secretary).cells
    assert [c.state for c in cells[:6]] == ["unpaid"] * 4 + ["not_due"] * 2
    assert all(a.member_id != ledger.secretary for a in dues.arrears(db, ledger.committee, TODAY))
    arrived = members.transfer_in(db, ledger.branch, member_data("周平", dues_base_fen=200_000), D(2026, 8, 3),
                                  "市财政局机关党委", today=TODAY)
    assert [c.state for c in _row(db, ledger.branch, arrived).cells[6:]] == ["not_due"] * 2 + ["unpaid"] * 3 + [
        "not_due"]


def test_a_member_who_left_and_came_back_owes_neither_the_months_away_nor_a_run_across_them(db, ledger) -> None:
    dues.record_payment(db, ledger.secretary, _months(2025, 1, 6), D(2025, 6, 5), 6 * 7650, today=TODAY)
    dues.record_payment(db, ledger.secretary, _months(2025, 7, 12), D(2025, 12, 5), 6 * 7650, today=TODAY)
    dues.record_payment(db, ledger.secretary, _months(2026, 1, 2), D(2026, 2, 3), 2 * 7650, today=TODAY)
    members.transfer_out(db, ledger.secretary, D(2026, 3, 15), "市教育局机关党委")
    members.return_in(db, ledger.secretary, D(2026, 6, 10), "市教育局机关党委")
    cells = _row(db, ledger.branch, ledger.secretary).cells
    assert [c.state for c in cells] == ["back_paid", "paid", "unpaid", *["not_due"] * 3, *["unpaid"] * 5, "not_due"]
    [arrear] = [a for a in dues.arrears(db, ledger.branch, TODAY) if a.member_id == ledger.secretary]
    assert (arrear.months_owed, arrear.consecutive, arrear.first_owed, arrear.owed_fen) == (5, 4, "2026-03", 5 * 7650)


def test_the_bulk_payment_marks_a_month_paid_for_all_who_owe_it(db, ledger) -> None:
    dues.set_base(db, ledger.probationary, BaseData("2026-01", EMPLOYED, base_fen=280_000))
    dues.record_payment(db, ledger.secretary, ["2026-10"], D(2026, 10, 8), 7650, today=TODAY)
    # 赵志强 (the other branch) has no base: nothing is due from him, so he is left for the secretary.
    assert dues.pay_month_for_all(db, ledger.committee, "2026-10", D(2026, 10, 31), today=TODAY) == 1
    row = _row(db, ledger.branch, ledger.probationary)
    assert (row.cells[9].state, row.cells[9].paid_fen) == ("paid", 1400)
    assert dues.pay_month_for_all(db, ledger.committee, "2026-10", D(2026, 10, 31), today=TODAY) == 0
    assert audit.entries(db)[0].label == "市直机关某局机关党委 2026-10党费（1 人）"


def test_an_exempt_month_is_not_owed(db, ledger) -> None:
    with pytest.raises(ValidationError):
        dues.exempt(db, ledger.secretary, "2026-05", "  ", today=TODAY)
    dues.exempt(db, ledger.secretary, "2026-05", "长期病休，经支委会研究免交", today=TODAY)
    cell = _row(db, ledger.branch, ledger.secretary).cells[4]
    assert (cell.state, cell.exempt_reason, cell.due_fen) == ("exempt", "长期病休，经支委会研究免交", 0)
    [arrear] = [a for a in dues.arrears(db, ledger.committee, TODAY) if a.member_id == ledger.secretary]
    assert (arrear.months_owed, arrear.consecutive) == (21, 5)  # Jan 2025–Oct 2026 but May; June–October
    with pytest.raises(ValidationError):
        dues.record_payment(db, ledger.secretary, ["2026-05"], D(2026, 5, 5), 7650, today=TODAY)
    dues.clear_exemption(db, ledger.secretary, "2026-05")
    assert _row(db, ledger.branch, ledger.secretary).cells[4].state == "unpaid"


def test_a_deleted_payment_goes_to_the_bin_with_its_months(db, ledger) -> None:
    paid = dues.record_payment(db, ledger.secretary, _months(2026, 1, 2), D(2026, 2, 1), 15300, today=TODAY)
    before = dump(db)
    dues.delete_payment(db, paid)
    assert _count(db, "dues_months") == 0
    assert [c.state for c in _row(db, ledger.branch, ledger.secretary).cells[:2]] == ["unpaid", "unpaid"]
    [entry] = recycle.entries(db)
    assert (entry.kind, entry.label, entry.counts) == ("dues_payment", "王建国 2026-01至2026-02（2个月）党费",
                                                       {"dues_months": 2})
    recycle.restore(db, entry.id)
    after = dump(db)
    assert {t: after[t] for t in ("dues_payments", "dues_months")} == {
        t: before[t] for t in ("dues_payments", "dues_months")}


def test_a_deleted_member_takes_the_dues_rows_along_and_back(db, ledger) -> None:
    dues.record_payment(db, ledger.secretary, _months(2026, 1, 2), D(2026, 2, 1), 15300, today=TODAY)
    dues.exempt(db, ledger.secretary, "2026-03", "病休", today=TODAY)
    before = dump(db)
    members.delete(db, ledger.secretary)
    assert (_count(db, "dues_bases"), _count(db, "dues_payments"), _count(db, "dues_months")) == (0, 0, 0)
    [entry] = recycle.entries(db)
    recycle.restore(db, entry.id)
    after = dump(db)
    assert all(after[t] == before[t] for t in ("dues_bases", "dues_payments", "dues_months"))


# --- arrears -----------------------------------------------------------------------------------------------


def test_arrears_count_across_the_year_boundary(db, ledger) -> None:
    dues.record_payment(db, ledger.secretary, _months(2025, 1, 6), D(2025, 6, 5), 6 * 7650, today=TODAY)
    dues.record_payment(db, ledger.secretary, _months(2025, 7, 9), D(2025, 9, 5), 3 * 7650, today=TODAY)
    # Unpaid from October 2025; on 10 February 2026 January has ended: four months in a row.
    [arrear] = [a for a in dues.arrears(db, ledger.branch, D(2026, 2, 10)) if a.member_id == ledger.secretary]
    assert (arrear.months_owed, arrear.consecutive, arrear.owed_fen, arrear.level, arrear.first_owed) == (
        4, 4, 4 * 7650, "warn", "2025-10")
    [arrear] = [a for a in dues.arrears(db, ledger.branch, D(2026, 3, 1)) if a.member_id == ledger.secretary]
    assert (arrear.consecutive, arrear.level) == (5, "danger")
    assert (arrear.member_id, arrear.name, arrear.branch_name) == (ledger.secretary, "王建国", "办公室党支部")


def test_arrears_are_listed_longest_run_first_and_a_back_payment_clears_them(db, ledger) -> None:
    dues.set_base(db, ledger.probationary, BaseData("2026-01", EMPLOYED, base_fen=280_000))
    dues.record_payment(db, ledger.probationary, _months(2026, 1, 8), D(2026, 6, 15), 8 * 1400, today=TODAY)
    found = dues.arrears(db, ledger.committee, TODAY)
    assert [(a.name, a.months_owed, a.consecutive, a.level) for a in found] == [
        ("王建国", 22, 22, "danger"), ("赵志强", 22, 22, "danger"), ("李晓梅", 2, 2, "")]
    assert found[1].owed_fen == 0  # no base recorded: owed, at no amount yet
    dues.record_payment(db, ledger.probationary, _months(2026, 9, 10), D(2026, 11, 2), 2800, today=TODAY)
    assert [a.name for a in dues.arrears(db, ledger.branch, TODAY)] == ["王建国"]


def test_the_first_record_fixes_the_ledger_start(db, sample) -> None:
    assert dues.ledger_start(db, TODAY) == "2026-01"  # nothing recorded: January of this year
    dues.set_base(db, sample.secretary, BaseData("2026-01", EMPLOYED, base_fen=510_000))
    dues.set_base(db, sample.probationary, BaseData("2025-07", EMPLOYED, base_fen=300_000))
    assert dues.ledger_start(db, TODAY) == "2026-01"  # a record dated earlier later on does not move it
    assert [a.first_owed for a in dues.arrears(db, sample.branch, TODAY)] == ["2026-01", "2026-01"]
    dues.set_ledger_start(db, "2025-07")
    assert [a.months_owed for a in dues.arrears(db, sample.branch, TODAY)] == [16, 10]


def test_nothing_is_owed_before_the_ledger_start(db, sample) -> None:
    dues.set_ledger_start(db, "2026-11")
    assert dues.arrears(db, sample.committee, TODAY) == []
    with pytest.raises(ValidationError):
        dues.set_ledger_start(db, "November")


# --- remittances and totals ----------------------------------------------------------------------------------


def test_remittances_and_branch_totals(db, ledger) -> None:
    dues.set_base(db, ledger.probationary, BaseData("2026-01", EMPLOYED, base_fen=280_000))
    dues.record_payment(db, ledger.secretary, _months(2026, 1, 3), D(2026, 3, 20), 3 * 7650, today=TODAY)
    dues.record_payment(db, ledger.probationary, ["2026-01"], D(2026, 1, 20), 1400, today=TODAY)
    rid = dues.record_remittance(db, ledger.branch, "2026-01", "2026-03", 24350, D(2026, 4, 5), "上缴-01",
                                 today=TODAY)
    with pytest.raises(ValidationError) as refused:
        dues.record_remittance(db, ledger.branch, "2026-06", "2026-04", 100, D(2026, 4, 5), today=TODAY)
    assert refused.value.for_field("period_to") == ["截止月份不能早于起始月份"]
    [r] = dues.remittances(db, ledger.committee, 2026)
    assert (r.id, r.org_name, r.period_label, r.amount_fen, r.remitted_on) == (
        rid, "办公室党支部", "2026-01至2026-03", 24350, D(2026, 4, 5))
    assert dues.remittances(db, ledger.committee, 2025) == []
    totals = {b.branch_name: b for b in dues.branch_months(db, ledger.committee, 2026, TODAY)}
    office = totals["办公室党支部"]
    assert (office.months[0].due_fen, office.months[0].paid_fen, office.months[0].rate) == (9050, 9050, 1.0)
    assert (office.months[1].due_fen, office.months[1].paid_fen) == (9050, 7650)
    assert office.months[11].rate is None  # December has not begun
    assert office.remitted_fen == 24350
    assert totals["业务科党支部"].months[0].due_fen == 0
    assert dues.monthly_collection(db, ledger.committee, 2026, TODAY)[1].paid_fen == 7650
    dues.delete_remittance(db, rid)
    assert dues.remittances(db, ledger.committee, 2026) == []
    assert recycle.entries(db)[0].kind == "remittance"


# --- rules ---------------------------------------------------------------------------------------------------


def test_rules_are_saved_audited_and_change_the_amounts(db, ledger) -> None:
    assert dues.load_rules(db) == DuesRules()
    dues.save_rules(db, DuesRules(rounding="down"))
    assert dues.load_rules(db).rounding == "down"
    assert audit.entries(db)[0].fields == "舍入方式"
    dues.set_base(db, ledger.secretary, BaseData("2026-01", EMPLOYED, base_fen=299_999))  # 14.99995 元
    assert _row(db, ledger.branch, ledger.secretary).due_fen == 1499
    with pytest.raises(ValidationError):
        dues.save_rules(db, DuesRules(warn_months=6, danger_months=5))


def test_unreadable_saved_rules_fall_back_to_the_defaults(db, ledger) -> None:
    with db.atomic():
        db.conn.execute("INSERT INTO settings (key, value) VALUES ('dues_rules', '{broken')")
    assert dues.load_rules(db) == DuesRules()


def test_an_unknown_scope_or_member_is_refused(db, ledger) -> None:
    with pytest.raises(ServiceError):
        dues.year_grid(db, 999, 2026, TODAY)
    with pytest.raises(ServiceError):
        dues.record_payment(db, 999, ["2026-01"], D(2026, 1, 2), 0, today=TODAY)


# --- demo data -----------------------------------------------------------------------------------------------


def test_the_demo_ledger_is_consistent_and_realistic(db) -> None:
    demo.build(db, scale="small", seed=3, today=TODAY)
    root = organizations.tree(db)[0].id
    assert dues.ledger_start(db, TODAY) == "2024-01"
    # Every payment keeps the 补交/预交 limits and its months' amounts are what the services work out.
    for member_id, paid_on, amount, months in db.conn.execute(
            "SELECT p.member_id, p.paid_on, p.amount_fen, group_concat(d.month) FROM dues_payments p"
            " JOIN dues_months d ON d.payment_id = p.id GROUP BY p.id"):
        covered = months.split(",")
        assert payment_problem(covered, paid_on[:7]) is None, (member_id, paid_on, covered)
        assert amount == dues.amount_due(db, member_id, covered), (member_id, covered)
    # The member's own category and base are those of the latest assessment.
    for m in members.list_members(db, root):
        latest = dues.bases(db, m.id)[-1:]
        if latest:
            own = latest[0].data.fixed_fen if latest[0].data.fixed_fen is not None else latest[0].base_fen
            assert (m.data.dues_category, m.data.dues_base_fen) == (latest[0].data.category, own), m.name
    grid = dues.year_grid(db, root, TODAY.year, TODAY)
    states = Counter(c.state for r in grid.rows for c in r.cells)
    assert min(states[s] for s in ("paid", "unpaid", "advance", "back_paid", "exempt", "not_due")) > 0
    assert {r.category for r in grid.rows} == set(DuesCategory)
    assert any(r.overridden for r in grid.rows) and any(r.extra_fen for r in grid.rows)
    found = dues.arrears(db, root, TODAY)
    runs = sorted(a.consecutive for a in found if a.level)
    assert runs[-2] >= 5 and sum(3 <= n <= 4 for n in runs) >= 3
    assert 0.95 < grid.totals[0].rate <= 1  # January long since collected
    # The totals worked out without the grid (Home, the summary report) are the grid's.
    assert dues.monthly_collection(db, root, TODAY.year, TODAY) == grid.totals
    assert dues.monthly_collection(db, root, TODAY.year - 1, TODAY) == dues.year_grid(db, root, TODAY.year - 1,
                                                                                      TODAY).totals
    # Per organization too, with a month paid at other than its recorded due (as a package may bring).
    with db.atomic():
        db.conn.execute("UPDATE dues_months SET paid_fen = paid_fen + 1 WHERE id = (SELECT min(id) FROM dues_months"
                        " WHERE payment_id IS NOT NULL AND month LIKE ?)", (f"{TODAY.year}-%",))
    grid = dues.year_grid(db, root, TODAY.year, TODAY)
    assert dues.monthly_collection(db, root, TODAY.year, TODAY) == grid.totals
    by_branch: dict[int, list[tuple[int, int]]] = {}
    for r in grid.rows:
        sums = by_branch.setdefault(r.branch_id, [(0, 0)] * 12)
        by_branch[r.branch_id] = [(d + c.due_fen, p + c.paid_fen) for (d, p), c in zip(sums, r.cells, strict=True)]
    assert {b.branch_id: [(m.due_fen, m.paid_fen) for m in b.months]
            for b in dues.branch_months(db, root, TODAY.year, TODAY)} == by_branch
    quarters = {(r.period_from, r.period_to) for r in dues.remittances(db, root, TODAY.year)}
    assert quarters == {("2026-01", "2026-03"), ("2026-04", "2026-06"), ("2026-07", "2026-09")}


def test_a_handover_package_carries_the_dues_and_refuses_a_clash(db, ledger, tmp_path) -> None:
    paid = dues.record_payment(db, ledger.secretary, ["2026-01"], D(2026, 1, 5), 7650, receipt_no="R1", today=TODAY)
    dues.record_remittance(db, ledger.branch, "2026-01", "2026-03", 7650, D(2026, 4, 2), today=TODAY)
    handover.export_package(db, ledger.committee, tmp_path / "first.zip")
    other = open_database(tmp_path / "other.sqlite")
    try:
        counts = handover.import_package(other, tmp_path / "first.zip")["counts"]
        assert {t: counts[t]["added"] for t in ("dues_bases", "dues_payments", "dues_months", "dues_remittances")} == {
            "dues_bases": 1, "dues_payments": 1, "dues_months": 1, "dues_remittances": 1}
        root = organizations.tree(other)[0].id
        [row] = [r for r in dues.year_grid(other, root, 2026, TODAY).rows if r.name == "王建国"]
        assert (row.cells[0].state, row.cells[0].receipt_no) == ("paid", "R1")
        # The payment is deleted and January paid again here: the package's January is another record.
        dues.delete_payment(db, paid)
        dues.record_payment(db, ledger.secretary, ["2026-01"], D(2026, 1, 6), 7650, receipt_no="R2", today=TODAY)
        handover.export_package(db, ledger.committee, tmp_path / "second.zip")
        before = dump(other)
        with pytest.raises(ServiceError, match="已有另一条党费交纳或免交记录"):
            handover.import_package(other, tmp_path / "second.zip")
        assert dump(other) == before
    finally:
        other.close()
