from __future__ import annotations

import pytest

from tests.conftest import Sample
from tests.reports.records import Honours, record


@pytest.fixture
def recorded(db, sample: Sample) -> Honours:
    return record(db, sample)
