"""Databases written by every schema version that has landed open in this version, data intact."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from branchdesk.services import audit, honours, members, organizations, recycle
from branchdesk.services.check import check
from branchdesk.store import connection, schema
from branchdesk.store.connection import open_database

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Each fixture: schema-vN.sqlite, the small demo (seed 7, today 2026-11-23) as version N wrote it.
VERSIONS = sorted(int(p.stem.removeprefix("schema-v")) for p in FIXTURES.glob("schema-v*.sqlite"))
HONOURS = ("commendations", "evaluations", "study_outputs")
# What each fixture holds of the tables later versions added (None: the version had no such table).
EXPECTED: dict[int, dict[str, int | None]] = {
    1: {"commendations": None, "evaluations": None, "study_outputs": None},
    2: {"commendations": 52, "evaluations": 316, "study_outputs": 340},
    3: {"commendations": 52, "evaluations": 316, "study_outputs": 340},
    4: {"commendations": 52, "evaluations": 316, "study_outputs": 340},
    5: {"commendations": 52, "evaluations": 316, "study_outputs": 340},
}
EVALUATION_YEAR = 2025  # the demo rates the year before its `today`
# Meetings and dues (v5): what the v5 fixture holds; older fixtures open with these tables empty.
MEETINGS_AND_DUES = {"activities": 2426, "attendance": 39835, "dues_bases": 1033, "dues_payments": 6890,
                     "dues_months": 10894, "dues_remittances": 132}


def _raw_counts(path: Path) -> dict[str, int | None]:
    """Row counts read straight from the file, before this version's code has touched it."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] if t in tables else None
                for t in HONOURS}
    finally:
        conn.close()


def test_there_is_a_fixture_for_every_landed_version() -> None:
    assert list(range(1, schema.SCHEMA_VERSION + 1)) == VERSIONS == sorted(EXPECTED)


def test_fixtures_hold_what_their_version_wrote() -> None:
    for version in VERSIONS:
        assert _raw_counts(FIXTURES / f"schema-v{version}.sqlite") == EXPECTED[version], version


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
    # Honours: what the version wrote survives; tables added since exist and are empty.
    expected = {table: n or 0 for table, n in EXPECTED[version].items()}
    assert {table: db.count(table) for table in HONOURS} == expected
    assert len(honours.list_commendations(db, root.id)) == expected["commendations"]
    rated = honours.evaluation_counts(db, root.id, EVALUATION_YEAR)
    assert sum(sum(c.values()) for c in rated.values()) == expected["evaluations"]
    assert len(honours.list_study_outputs(db, root.id)) == expected["study_outputs"]
    if expected["evaluations"]:
        assert sum(rated.values(), Counter()).keys() >= {"excellent", "qualified", "not_rated"}
    assert {table: db.count(table) for table in MEETINGS_AND_DUES} == (
        MEETINGS_AND_DUES if version >= 5 else dict.fromkeys(MEETINGS_AND_DUES, 0))
    # v4: an empty recycle bin and audit log, and a member of the old file goes to the bin and back.
    assert db.count("recycle_bin") == db.count("audit_log") == 0
    someone = next(m for m in roll if not db.conn.execute(
        "SELECT 1 FROM committee_members WHERE member_id = ?", (m.id,)).fetchone())
    members.delete(db, someone.id)
    [entry] = recycle.entries(db)
    recycle.restore(db, entry.id)
    assert members.get(db, someone.id) == someone
    assert [e.action for e in audit.entries(db)] == [audit.RESTORE, audit.DELETE]
    db.close()
    result = check(path)
    assert result["ok"] and result["counts"]["members"] == 330
    assert (result["counts"]["commendations"], result["counts"]["evaluations"]) == (
        expected["commendations"], expected["evaluations"])
