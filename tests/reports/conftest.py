from __future__ import annotations

import pytest

from tests.conftest import Sample
from tests.reports.activity_records import Year, record_dues, record_year
from tests.reports.records import Honours, record


@pytest.fixture
def recorded(db, sample: Sample) -> Honours:
    return record(db, sample)


@pytest.fixture
def year(db, sample: Sample) -> Year:
    """The hand-countable 2025 of tests/reports/activity_records.py: meetings, study and dues."""
    found = record_year(db, sample)
    record_dues(db, found)
    return found
