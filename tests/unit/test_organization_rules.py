import datetime as dt

from branchdesk.domain.organization import OrgKind, can_hold, term_end, term_ending_soon


def test_term_is_three_years_ending_the_day_before_the_anniversary() -> None:
    assert term_end(dt.date(2024, 3, 1)) == dt.date(2027, 2, 28)
    assert term_end(dt.date(2024, 2, 29)) == dt.date(2027, 2, 27)
    assert term_end(dt.date(2024, 1, 1), years=5) == dt.date(2028, 12, 31)


def test_term_warning_window_edges() -> None:
    end = dt.date(2027, 2, 28)
    assert term_ending_soon(end, end - dt.timedelta(days=90))
    assert not term_ending_soon(end, end - dt.timedelta(days=91))
    assert term_ending_soon(end, end)
    assert not term_ending_soon(end, end + dt.timedelta(days=1))


def test_which_kind_holds_which() -> None:
    assert can_hold(None, OrgKind.COMMITTEE)
    assert can_hold(None, OrgKind.BRANCH)
    assert not can_hold(None, OrgKind.GROUP)
    assert can_hold(OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)
    assert can_hold(OrgKind.BRANCH, OrgKind.GROUP)
    assert not can_hold(OrgKind.BRANCH, OrgKind.BRANCH)
    assert not can_hold(OrgKind.GENERAL_BRANCH, OrgKind.GROUP)
    assert not can_hold(OrgKind.GROUP, OrgKind.GROUP)
