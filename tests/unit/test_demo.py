"""Demo data: its shape, validity, determinism, the alerts it is meant to raise, one transaction;
commendations, last year's 民主评议 and study output as the services read them."""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from branchdesk.domain import honours as honour_rules
from branchdesk.domain import idnumber, pinyin
from branchdesk.domain import members as member_rules
from branchdesk.domain.dates import add_years
from branchdesk.domain.honours import Level, OutputKind, Rating, Title
from branchdesk.domain.organization import term_end, term_ending_soon
from branchdesk.services import demo, honours
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
        low, high = {"employed": (4000_00, 12000_00), "retired": (3200_00, 9000_00), "student": (0, 0),
                     "farmer": (20, 100), "other": (1000, 10000)}[d.dues_category.value]
        assert low <= d.dues_base_fen <= high, m
    categories = Counter(m.data.dues_category.value for m in everyone)
    assert categories["employed"] > categories["retired"] > 0
    assert min(categories[c] for c in ("student", "farmer", "other")) > 0  # services.demo_dues


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


def test_the_same_seed_gives_the_same_rows_in_every_table() -> None:
    first = demo.generate("small", seed=7, today=TODAY)
    assert first == demo.generate("small", seed=7, today=TODAY)
    other = demo.generate("small", seed=8, today=TODAY)
    assert all(first.rows[table] != other.rows[table] for table in ("commendations", "evaluations", "study_outputs"))


def _root(db) -> int:
    return org_service.tree(db)[0].id


def test_commendations_at_several_levels_over_two_years(built) -> None:
    db, counts = built
    listed = honours.list_commendations(db, _root(db))
    assert len(listed) == counts["commendations"] > 0
    assert {c.data.year for c in listed} == {TODAY.year - 1, TODAY.year}  # 七一 has passed this year
    levels = Counter(c.data.level for c in listed)
    assert Level.NATIONAL not in levels
    assert levels[Level.PARTY_COMMITTEE] + levels[Level.ORGANS_WORKING_COMMITTEE] > 0.7 * len(listed)
    assert 2 <= levels[Level.CITY] <= 6 and 1 <= levels[Level.PROVINCIAL] <= 2
    titles = Counter(c.data.title for c in listed)
    assert titles[Title.EXCELLENT_MEMBER] > titles[Title.EXCELLENT_WORKER] > 0
    assert titles[Title.FIVE_GOOD_BRANCH] + titles[Title.ADVANCED_ORGANIZATION] >= 2
    assert all(c.title_label for c in listed)


def test_every_commendation_is_valid_and_plausible(built) -> None:
    db, _ = built
    members_by_id = {m.id: m for m in member_service.list_members(db, _root(db))}
    branch_ids = {o.id for o in org_service.tree(db) if o.kind.value == "branch"}
    decisions: dict[tuple, set] = {}
    seen: set[tuple] = set()
    for c in honours.list_commendations(db, _root(db)):
        d = c.data
        assert honour_rules.validate_commendation(d, TODAY) == [], c
        assert d.awarded_on.year == d.year and d.awarded_on.month == 6  # before 七一
        assert re.fullmatch(rf"\S+〔{d.year}〕\d+号", d.document_no), d.document_no
        assert d.issuer and c.attachment == ""
        # One decision per issuer and year: the same 文号 and date.
        decisions.setdefault((d.issuer, d.year), set()).add((d.document_no, d.awarded_on))
        recipient = ("m", d.member_id) if d.member_id else ("o", d.org_id)
        assert (recipient, d.year) not in seen  # at most one commendation a year each
        seen.add((recipient, d.year))
        if d.member_id:
            m = members_by_id[d.member_id]
            assert m.data.full_on <= d.awarded_on, c
        elif d.title is Title.FIVE_GOOD_BRANCH:
            assert d.org_id in branch_ids
    assert all(len(found) == 1 for found in decisions.values())
    issuers = {issuer for issuer, _ in decisions}
    assert {"中共江州市委", "中共江州市直机关工作委员会", "江州市财政局机关党委"} <= issuers
    assert any(no.startswith("江财机党〔") for no, _ in set().union(*decisions.values()))


def test_last_years_evaluation(built) -> None:
    db, counts = built
    year = TODAY.year - 1
    assert {r[0] for r in db.conn.execute("SELECT DISTINCT year FROM evaluations")} == {year}
    branches = [o for o in org_service.tree(db) if o.kind.value == "branch"]
    over = []
    everyone: Counter[Rating] = Counter()
    for branch in branches:
        sheet = honours.evaluation_sheet(db, branch.id, year)
        for e in sheet:
            # The demo's sheet saves again unchanged: every line satisfies the rules.
            if e.rating is None:  # arrived after the year's end
                assert any(t.on_date.year > year for t in member_service.history(db, e.member.id)
                           if t.kind == "transferred_in"), e
            else:
                assert honour_rules.rating_problem(e.rating, e.probationary, e.note) is None, e
        ratings = [e.rating for e in sheet if e.rating]
        everyone.update(ratings)
        if honour_rules.excellent_over_limit(ratings):
            over.append(branch.name)
        assert honours.save_evaluations(db, branch.id, year, [(e.member.id, e.rating, e.note) for e in sheet]) == (
            honours.evaluation_warnings(ratings))
    assert len(over) == 1  # one branch deliberately over a third, for the warning
    assert everyone[Rating.QUALIFIED] > everyone[Rating.EXCELLENT] > 0
    assert everyone[Rating.BASICALLY_QUALIFIED] >= 1 and everyone[Rating.UNQUALIFIED] >= 1
    assert everyone[Rating.NOT_RATED] >= 1  # probationary at the year's end
    assert sum(everyone.values()) == counts["evaluations"]
    unqualified = db.conn.execute("SELECT note FROM evaluations WHERE rating = 'unqualified'").fetchall()
    assert all("限期改正" in note for (note,) in unqualified)
    counted = honours.evaluation_counts(db, _root(db), year)
    assert sum(counted.values(), Counter()) == everyone


def test_commended_members_were_not_rated_below_qualified(built) -> None:
    db, _ = built
    year = TODAY.year - 1
    commended = {c.data.member_id for c in honours.list_commendations(db, _root(db))
                 if c.data.member_id and c.data.year >= year}
    low = {r[0] for r in db.conn.execute(
        "SELECT member_id FROM evaluations WHERE rating IN ('basically_qualified', 'unqualified')")}
    assert commended and not commended & low


def test_study_output(built) -> None:
    db, counts = built
    everyone = {m.id: m for m in member_service.list_members(db, _root(db))}
    outputs = honours.list_study_outputs(db, _root(db))
    assert len(outputs) == counts["study_outputs"] >= 200
    kinds = Counter(o.data.kind for o in outputs)
    assert kinds[OutputKind.REFLECTION] > 0.7 * len(outputs)
    assert kinds[OutputKind.RESEARCH_REPORT] > 0 and kinds[OutputKind.PAPER] > 0
    recognized = [o for o in outputs if o.data.published_or_awarded]
    assert 0.02 * len(outputs) < len(recognized) < 0.2 * len(outputs)
    assert any(o.data.award for o in recognized) and any(o.data.published_in for o in recognized)
    for o in outputs:
        assert honour_rules.validate_study_output(o.data, TODAY) == [], o
        assert o.data.written_on >= max(everyone[o.data.member_id].data.joined_on, dt.date(TODAY.year - 2, 1, 1))
    for year in (TODAY.year - 2, TODAY.year - 1, TODAY.year):
        assert honours.study_output_counts(db, _root(db), year)[OutputKind.REFLECTION] > 0


def test_large_scale_rows() -> None:
    started = time.perf_counter()
    data = demo.generate("large", seed=1, today=TODAY)
    # About 0.5 s for the organizations and members, 1–2 s with a year of meetings (775,000 attendance lines)
    # and the dues; under the load of parallel test runs twice that. A pass slow per row would show.
    assert time.perf_counter() - started < 15
    kinds = Counter(r[2] for r in data.rows["organizations"])
    assert kinds["branch"] == 200 and kinds["committee"] == 21
    members = data.rows["members"]
    assert len(members) == 10_000
    assert len({r[8] for r in members}) == len(members)  # ID numbers are unique
    # The initials come from the seed files; search must find them as if typed in by hand.
    assert [r[4] for r in members] == [pinyin.initials(r[3]) for r in members]
    counts = data.counts()
    assert 800 < counts["commendations"] < 2500 and 8000 < counts["study_outputs"] < 13000
    assert 9000 < counts["evaluations"] < 10_000
    ratings_by_member = {r[0]: r[2] for r in data.rows["evaluations"]}
    branch_of = {r[0]: r[1] for r in members}
    by_branch: dict[int, list[Rating]] = {}
    for member_id, rating in ratings_by_member.items():
        by_branch.setdefault(branch_of[member_id], []).append(Rating(rating))
    over = sum(honour_rules.excellent_over_limit(ratings) for ratings in by_branch.values())
    assert over == 1
    assert Counter(r[4] for r in data.rows["commendations"])["provincial"] >= 1


def test_unknown_scale_is_refused() -> None:
    with pytest.raises(ServiceError, match="huge"):
        demo.generate("huge")


def test_draw_takes_what_is_left_when_the_pool_runs_out() -> None:
    r = random.Random(3)
    items = [("m", i) for i in range(10)]
    taken = {("m", 0), ("m", 1)}
    drawn = demo._draw(r, items, [1.0] * 10, 50, taken)
    assert sorted(drawn) == items[2:]
    few = demo._draw(r, items, [0.01] + [1.0] * 9, 3, set())
    assert len(set(few)) == 3
    assert demo._draw(r, [], [], 3, set()) == [] and demo._draw(r, items, [1.0] * 10, 0, set()) == []
