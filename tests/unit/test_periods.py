"""Reporting periods: labels, keys, bounds and months."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain.periods import Period, quarter_of


def test_year_quarter_and_month() -> None:
    year, quarter, month = Period(2026), Period(2026, quarter=3), Period(2026, month=11)
    assert [p.kind for p in (year, quarter, month)] == ["year", "quarter", "month"]
    assert [p.label for p in (year, quarter, month)] == ["2026年度", "2026年第三季度", "2026年11月"]
    assert [p.key for p in (year, quarter, month)] == ["2026", "2026-Q3", "2026-11"]
    assert (year.start, year.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (quarter.start, quarter.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert (month.start, month.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert quarter.months() == ["2026-07", "2026-08", "2026-09"]
    assert len(year.months()) == 12 and year.months()[0] == "2026-01" and year.months()[-1] == "2026-12"
    assert month.months() == ["2026-11"]


def test_month_ends() -> None:
    assert Period(2024, month=2).end == dt.date(2024, 2, 29)
    assert Period(2025, month=2).end == dt.date(2025, 2, 28)
    assert Period(2026, quarter=1).end == dt.date(2026, 3, 31)
    assert Period(2026, quarter=4).label == "2026年第四季度"


def test_parse_reads_keys_and_refuses_the_rest() -> None:
    assert Period.parse("2026") == Period(2026)
    assert Period.parse("2026-Q2") == Period(2026, quarter=2)
    assert Period.parse(" 2026-03 ") == Period(2026, month=3)
    for bad in ("", "26", "2026-Q5", "2026-13", "2026-00", "2026-3", "2026Q1", "二〇二六"):
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_impossible_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        Period(2026, quarter=1, month=1)
    with pytest.raises(ValueError):
        Period(2026, quarter=0)
    with pytest.raises(ValueError):
        Period(2026, month=13)


def test_quarter_of_at_the_boundaries() -> None:
    assert [quarter_of(dt.date(2026, m, 1)) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert quarter_of(dt.date(2026, 3, 31)) == 1 and quarter_of(dt.date(2026, 4, 1)) == 2


@given(st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)), st.sampled_from(["year", "quarter", "month"]))
def test_containing_holds_the_day_and_its_key_round_trips(day: dt.date, kind: str) -> None:
    period = Period.containing(day, kind)
    assert period.kind == kind
    assert period.start <= day <= period.end and period.contains(day)
    assert not period.contains(period.start - dt.timedelta(days=1))
    assert not period.contains(period.end + dt.timedelta(days=1))
    assert Period.parse(period.key) == period
    assert period.months()[0] == period.start.isoformat()[:7] and period.months()[-1] == period.end.isoformat()[:7]
