"""Databases written by every schema version that has landed open in this version, data intact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from branchdesk.services import members, organizations
from branchdesk.services.check import check
from branchdesk.store import connection, schema
from branchdesk.store.connection import open_database

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Each fixture: schema-vN.sqlite, the small demo (seed 7, today 2026-11-23) as version N wrote it.
VERSIONS = sorted(int(p.stem.removeprefix("schema-v")) for p in FIXTURES.glob("schema-v*.sqlite"))


def test_there_is_a_fixture_for_every_landed_version() -> None:
    assert list(range(1, schema.SCHEMA_VERSION + 1)) == VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_opens_at_the_current_version_with_its_data(version: int, tmp_path: Path) -> None:
    path = tmp_path / f"v{version}.sqlite"
    shutil.copy(FIXTURES / f"schema-v{version}.sqlite", path)
    db = open_database(path)
    assert connection.schema_version(db) == schema.SCHEMA_VERSION
    [root] = [o for o in organizations.tree(db) if o.parent_id is None]
    roll = members.list_members(db, root.id)
    assert len(roll) == 330
    assert sum(1 for m in roll if m.status.active) == organizations.member_totals(db)[root.id]
    db.close()
    result = check(path)
    assert result["ok"] and result["counts"]["members"] == 330
