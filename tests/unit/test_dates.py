import datetime as dt

import pytest

from branchdesk.domain.dates import add_months, add_years, parse_date


@pytest.mark.parametrize("text", ["2024-05-01", "2024/5/1", "2024.5.1", "2024年5月1日", "2024年05月01", "20240501",
                                  " 2024-5-1 "])
def test_accepted_date_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2024, 5, 1)


@pytest.mark.parametrize("text", ["", "2024-13-01", "2024-02-30", "5/1/2024", "二〇二四年五月一日"])
def test_refused_date_forms(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 12, 15), 1) == dt.date(2025, 1, 15)
    assert add_months(dt.date(2024, 1, 15), -1) == dt.date(2023, 12, 15)
