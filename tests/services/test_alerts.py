"""The Home page's alerts (services/alerts.py) on hand-built data, on 2026-11-23."""

from __future__ import annotations

import datetime as dt

from branchdesk.domain.activities import ActivityData, ActivityKind
from branchdesk.domain.members import DuesCategory, Standing, Status
from branchdesk.domain.organization import CommitteeRole
from branchdesk.services import activities, alerts, dues, members, organizations
from tests.conftest import TODAY, member_data


def _pay(db, member_id: int, first: int, last: int) -> None:
    """2026's months first..last paid, each in its own month."""
    for month in range(first, last + 1):
        dues.record_payment(db, member_id, [f"2026-{month:02d}"], dt.date(2026, month, 15), 5000, today=TODAY)


def test_arrears_listed_from_three_months_and_danger_from_five(db, sample):
    late = members.create(db, sample.branch, member_data("欠五月", dues_category=DuesCategory.EMPLOYED), today=TODAY)
    some = members.create(db, sample.branch, member_data("欠三月", dues_category=DuesCategory.EMPLOYED), today=TODAY)
    fine = members.create(db, sample.branch, member_data("欠两月", dues_category=DuesCategory.EMPLOYED), today=TODAY)
    others = [r.member_id for r in dues.year_grid(db, sample.committee, 2026, TODAY).rows
              if r.member_id not in (late, some, fine)]
    for member_id in (late, some, fine, *others):
        dues.set_base(db, member_id, dues.BaseData("2026-01", DuesCategory.EMPLOYED, base_fen=500_000))
    _pay(db, late, 1, 5)  # June–October unpaid: five consecutive months (November is not over)
    _pay(db, some, 1, 7)  # August–October
    _pay(db, fine, 1, 8)  # September, October
    for member_id in others:
        _pay(db, member_id, 1, 10)

    found = alerts.gather(db, sample.committee, TODAY)

    by_name = {a.name: a for a in found.arrears}
    assert set(by_name) == {"欠五月", "欠三月"}
    assert (by_name["欠五月"].consecutive, by_name["欠五月"].level) == (5, "danger")
    assert (by_name["欠三月"].consecutive, by_name["欠三月"].level) == (3, "warn")
    assert found.arrears[0].name == "欠五月"  # the longest run unpaid first
    assert found.dues_rules.lapse_months == 6


def test_conversions_within_thirty_days_of_the_scope(db, sample):
    due = members.create(db, sample.other_branch, member_data(
        "周预备", standing=Standing.PROBATIONARY, joined_on=dt.date(2025, 12, 10), full_on=None), today=TODAY)

    found = alerts.gather(db, sample.committee, TODAY)

    # 李晓梅's probation ends 2027-01-10, 48 days away: not yet.
    assert [(c.member_id, c.name, c.branch_name, c.due_on) for c in found.conversions] == [
        (due, "周预备", "业务科党支部", dt.date(2026, 12, 10))]
    assert alerts.gather(db, sample.branch, TODAY).conversions == []


def test_terms_ending_within_ninety_days_grouped_by_committee(db, sample):
    ends = dt.date(2027, 1, 31)
    organizations.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2024, 2, 1), ends)
    organizations.add_seat(db, sample.branch, sample.probationary, CommitteeRole.MEMBER, dt.date(2024, 2, 1), ends)
    far = members.create(db, sample.other_branch, member_data("孙远期"), today=TODAY)
    organizations.add_seat(db, sample.other_branch, far, CommitteeRole.SECRETARY, dt.date(2025, 3, 1))

    found = alerts.gather(db, sample.committee, TODAY)

    assert [(t.org_id, t.branch_name, t.term_end, t.seats) for t in found.terms] == [
        (sample.branch, "办公室党支部", ends, ("书记 王建国", "委员 李晓梅"))]
    assert alerts.gather(db, sample.other_branch, TODAY).terms == []  # another branch's committee


def test_political_birthdays_this_month_on_the_roll(db, sample):
    first = members.create(db, sample.branch, member_data("钱十一", joined_on=dt.date(2000, 11, 5),
                                                          full_on=dt.date(2001, 11, 5)), today=TODAY)
    members.create(db, sample.other_branch, member_data("吴十月", joined_on=dt.date(1999, 10, 30),
                                                        full_on=dt.date(2000, 10, 30)), today=TODAY)
    gone = members.create(db, sample.other_branch, member_data("郑转出", joined_on=dt.date(2010, 11, 2),
                                                               full_on=dt.date(2011, 11, 2)), today=TODAY)
    members.set_status(db, gone, Status.DECEASED, dt.date(2026, 3, 1))
    last = members.create(db, sample.other_branch, member_data("冯月末", joined_on=dt.date(1986, 11, 30),
                                                               full_on=dt.date(1987, 11, 30)), today=TODAY)

    found = alerts.gather(db, sample.committee, TODAY)

    assert [(a.member_id, a.name, a.joined_on, a.years) for a in found.anniversaries] == [
        (first, "钱十一", dt.date(2000, 11, 5), 26), (last, "冯月末", dt.date(1986, 11, 30), 40)]


def test_meetings_due_now_and_gone_once_held(db, sample):
    def missing(scope: int) -> set[tuple[str, ActivityKind]]:
        return {(m.branch_name, m.kind) for m in alerts.gather(db, scope, TODAY).meetings}

    assert ("办公室党支部", ActivityKind.THEME_DAY) in missing(sample.committee)
    activities.create(db, ActivityData(sample.branch, ActivityKind.THEME_DAY, dt.date(2026, 11, 12), "重温入党誓词"),
                      [], today=TODAY)
    assert ("办公室党支部", ActivityKind.THEME_DAY) not in missing(sample.committee)
    assert ("业务科党支部", ActivityKind.THEME_DAY) in missing(sample.committee)


def test_charts_for_the_year(db, sample):
    found = alerts.charts(db, sample.committee, TODAY)

    assert found.year == 2026
    assert len(found.attendance) == len(found.collection) == 12
    assert [row.branch_name for row in found.compliance] == ["办公室党支部", "业务科党支部"]
    assert all(len(row.months) == 12 for row in found.compliance)
