"""Demo data: its shape, validity, determinism, the alerts it is meant to raise, one transaction."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from branchdesk.domain import idnumber, pinyin
from branchdesk.domain import members as member_rules
from branchdesk.domain.dates import add_years
from branchdesk.domain.organization import term_end, term_ending_soon
from branchdesk.services import demo
from branchdesk.services import members as member_service
from branchdesk.services import organizations as org_service
from branchdesk.services.errors import ServiceError
from branchdesk.store import bulk
from branchdesk.store.connection import open_database
from branchdesk.store.members import MEMBER_COLUMNS
from tests.conftest import TODAY


@pytest.fixture
def built(db):
    counts = demo.build(db, scale="small", seed=1, today=TODAY)
    return db, counts


def _count(db, sql: str) -> int:
    return db.conn.execute(sql).fetchone()[0]


def _member_rows(path: Path, seed: int) -> list[tuple]:
    db = open_database(path)
    try:
        demo.build(db, scale="small", seed=seed, today=TODAY)
        return db.conn.execute(f"SELECT {', '.join(MEMBER_COLUMNS)} FROM members ORDER BY id").fetchall()
    finally:
        db.close()


def test_small_scale_has_a_committee_with_branches_groups_and_members(built) -> None:
    db, counts = built
    kinds = Counter(r[0] for r in db.conn.execute("SELECT kind FROM organizations"))
    assert kinds["committee"] == 1 and kinds["general_branch"] == 1 and kinds["branch"] >= 10
    under_general = _count(db, "SELECT count(*) FROM organizations b JOIN organizations g ON g.id = b.parent_id"
                               " WHERE b.kind = 'branch' AND g.kind = 'general_branch'")
    assert 1 <= under_general <= 2
    groups_per_branch = dict(db.conn.execute(
        "SELECT b.id, count(g.id) FROM organizations b LEFT JOIN organizations g ON g.parent_id = b.id"
        " WHERE b.kind = 'branch' GROUP BY b.id"))
    assert set(groups_per_branch.values()) <= {1, 2, 3}
    assert counts["members"] >= 300
    assert counts == {table: _count(db, f"SELECT count(*) FROM {table}") for table in demo.COLUMNS}


def test_every_member_is_valid_and_plausible(built) -> None:
    db, _ = built
    root = org_service.tree(db)[0].id
    everyone = member_service.list_members(db, root)
    assert len({m.data.id_number for m in everyone}) == len(everyone)
    for m in everyone:
        d = m.data
        assert idnumber.problem(d.id_number, d.birth_date, TODAY) is None, m
        assert member_rules.validate(d, TODAY) == [], m
        assert d.joined_on >= add_years(d.birth_date, 18), m
        if d.full_on:
            assert 0 <= (d.full_on - add_years(d.joined_on, 1)).days < 30, m
        assert d.education in member_rules.EDUCATION_LEVELS
        assert m.name_initials == pinyin.initials(d.name), m
        low, high = {"employed": (4000_00, 12000_00), "retired": (3200_00, 9000_00)}[d.dues_category.value]
        assert low <= d.dues_base_fen <= high, m
    categories = Counter(m.data.dues_category.value for m in everyone)
    assert categories["employed"] > categories["retired"] > 0


def test_the_same_seed_gives_the_same_members(tmp_path: Path) -> None:
    first = _member_rows(tmp_path / "a.sqlite", seed=7)
    assert first == _member_rows(tmp_path / "b.sqlite", seed=7)
    assert first != _member_rows(tmp_path / "c.sqlite", seed=8)


def test_alerts_the_demo_is_meant_to_raise(built) -> None:
    db, _ = built
    root = org_service.tree(db)[0].id
    due = member_service.due_for_conversion(db, root, TODAY)
    assert due and all(TODAY <= m.probation_end <= TODAY + dt.timedelta(days=30) for m in due)
    probationary = [m for m in member_service.list_members(db, root) if m.probation_end]
    assert len(probationary) >= 3
    assert any(term_ending_soon(s.term_end, TODAY) for s in org_service.terms_ending(db, TODAY))


def test_committees_sit_in_their_branches_for_three_years(built) -> None:
    db, _ = built
    for org in org_service.tree(db):
        if org.kind.value != "branch":
            continue
        seats = org_service.committee(db, org.id)
        assert seats[0].role.value == "secretary"
        assert org.contact == seats[0].member_name
        members_here = {m.id: m for m in member_service.list_members(db, org.id)}
        for seat in seats:
            assert seat.current(TODAY) and seat.term_end == term_end(seat.term_start)
            assert members_here[seat.member_id].status.value == "normal"


def test_history_of_transfers_and_mobile_members(built) -> None:
    db, _ = built
    statuses = Counter(r[0] for r in db.conn.execute("SELECT status FROM members"))
    assert statuses["transferred_out"] >= 1 and statuses["mobile"] >= 1
    leavers = [r[0] for r in db.conn.execute("SELECT id FROM members WHERE status = 'transferred_out'")]
    for member_id in leavers:
        kinds = [e.kind for e in member_service.history(db, member_id)]
        assert kinds[-1] == "transferred_out"
        assert _count(db, f"SELECT count(*) FROM transfers WHERE member_id = {member_id} AND direction = 'out'") == 1
    assert _count(db, "SELECT count(*) FROM transfers WHERE direction = 'in'") >= 1
    mobile = db.conn.execute("SELECT id FROM members WHERE status = 'mobile'").fetchone()[0]
    assert member_service.history(db, mobile)[-1].detail.startswith("状态由正常改为流动")
    assert _count(db, "SELECT count(*) FROM members m WHERE NOT EXISTS"
                      " (SELECT 1 FROM member_events e WHERE e.member_id = m.id)") == 0


def test_refuses_a_database_that_has_organizations(built) -> None:
    db, counts = built
    with pytest.raises(ServiceError, match="已有党组织"):
        demo.build(db, scale="small", seed=2, today=TODAY)
    assert _count(db, "SELECT count(*) FROM members") == counts["members"]


def test_an_interrupted_build_leaves_nothing(db, monkeypatch) -> None:
    real = bulk.insert_rows

    def failing(db_, table, columns, rows) -> None:
        if table == "committee_members":
            raise KeyboardInterrupt  # as if the process were stopped late in the build
        real(db_, table, columns, rows)

    monkeypatch.setattr(bulk, "insert_rows", failing)
    with pytest.raises(KeyboardInterrupt):
        demo.build(db, scale="small", seed=1, today=TODAY)
    assert [_count(db, f"SELECT count(*) FROM {table}") for table in demo.COLUMNS] == [0] * len(demo.COLUMNS)


def test_large_scale_rows() -> None:
    data = demo.generate("large", seed=1, today=TODAY)
    kinds = Counter(r[2] for r in data.rows["organizations"])
    assert kinds["branch"] == 200 and kinds["committee"] == 21
    members = data.rows["members"]
    assert len(members) == 10_000
    assert len({r[8] for r in members}) == len(members)  # ID numbers are unique
    # The initials come from the seed files; search must find them as if typed in by hand.
    assert [r[4] for r in members] == [pinyin.initials(r[3]) for r in members]


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(ServiceError, match="huge"):
        demo.generate("huge")
