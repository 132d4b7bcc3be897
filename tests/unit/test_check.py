from pathlib import Path

from branchdesk.services.check import check
from branchdesk.store.schema import SCHEMA_VERSION


def test_counts_of_a_sample_database(db, db_path: Path, sample) -> None:
    result = check(db_path)
    assert result == {"ok": True, "schema_version": SCHEMA_VERSION, "counts": {
        "organizations": 4, "members": 3, "activities": 0, "attendance": 0, "dues_payments": 0,
        "commendations": 0, "evaluations": 0}}


def test_missing_and_damaged_files(tmp_path: Path) -> None:
    missing = check(tmp_path / "none.sqlite")
    assert not missing["ok"]
    assert "none.sqlite" in missing["problems"][0]
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\x00garbage" * 512)
    damaged = check(bad)
    assert not damaged["ok"]
    assert "bad.sqlite" in damaged["problems"][0]
