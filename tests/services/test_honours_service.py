"""Commendations, 民主评议 results and study output through services/honours.py on a real file."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from branchdesk.domain.honours import CommendationData, Level, OutputKind, Rating, StudyOutputData, Title
from branchdesk.domain.members import Standing, Status
from branchdesk.domain.organization import OrgKind
from branchdesk.services import honours, members, organizations, recycle
from branchdesk.services.errors import ServiceError, ValidationError
from branchdesk.store import attachments
from tests.conftest import TODAY, member_data


def _count(db, table: str) -> int:
    return db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _dump(db, table: str) -> list[tuple]:
    return db.conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def city_member(who: int, **overrides) -> CommendationData:
    values = dict(title=Title.EXCELLENT_MEMBER, level=Level.CITY, year=2024, member_id=who,
                  issuer=" 中共江州市委 ", document_no="江委〔2024〕31号", awarded_on=dt.date(2024, 6, 28),
                  note="")
    values.update(overrides)
    return CommendationData(**values)


def for_org(org_id: int, **overrides) -> CommendationData:
    values = dict(title=Title.FIVE_GOOD_BRANCH, level=Level.PARTY_COMMITTEE, year=2025, org_id=org_id,
                  issuer="江州市财政局机关党委", document_no="江财机党〔2025〕4号", awarded_on=dt.date(2025, 6, 30))
    values.update(overrides)
    return CommendationData(**values)


# --- commendations -------------------------------------------------------------------------------------------


def test_a_city_level_excellent_member_reads_back_everywhere(db, sample) -> None:
    new = honours.create_commendation(db, city_member(sample.secretary, note=" 事迹材料见附件 "), today=TODAY)
    got = honours.get_commendation(db, new)
    assert got.id == new and got.attachment == "" and not got.to_organization
    assert got.data == city_member(sample.secretary, issuer="中共江州市委", note="事迹材料见附件")
    assert (got.recipient_name, got.branch_name, got.branch_id, got.title_label) == (
        "王建国", "办公室党支部", sample.branch, "优秀共产党员")
    assert honours.commendations_of_member(db, sample.secretary) == [got]
    assert honours.list_commendations(db, sample.committee) == [got]
    assert honours.list_commendations(db, sample.branch) == [got]
    assert honours.commendations_of_org(db, sample.branch) == []


def test_an_organizations_commendation_names_the_organization(db, sample) -> None:
    new = honours.create_commendation(db, for_org(sample.other_branch), today=TODAY)
    got = honours.get_commendation(db, new)
    assert got.to_organization and got.data.member_id is None
    assert (got.recipient_name, got.branch_name, got.branch_id) == ("业务科党支部", "业务科党支部", sample.other_branch)
    assert honours.commendations_of_org(db, sample.other_branch) == [got]


def test_other_keeps_its_text_and_named_titles_drop_it(db, sample) -> None:
    other = honours.create_commendation(db, city_member(
        sample.secretary, title=Title.OTHER, title_text=" 党员先锋岗 ", level=Level.UNIT), today=TODAY)
    named = honours.create_commendation(db, city_member(sample.secretary, title_text="残留文字"), today=TODAY)
    assert honours.get_commendation(db, other).title_label == "党员先锋岗"
    assert honours.get_commendation(db, other).data.title_text == "党员先锋岗"
    assert honours.get_commendation(db, named).data.title_text == ""


@pytest.mark.parametrize(("overrides", "field", "message"), [
    (dict(member_id=None), "recipient", "请选择一名党员或一个党组织"),
    (dict(org_id=2), "recipient", "请选择一名党员或一个党组织"),
    (dict(title=Title.ADVANCED_ORGANIZATION), "recipient", "“先进基层党组织”授予党组织，请选择党组织"),
    (dict(title=Title.OTHER, title_text=" "), "title_text", "请填写称号名称"),
    (dict(year=1948, awarded_on=None), "year", "应在 1949 至 2027 年之间"),
    (dict(year=2028, awarded_on=None), "year", "应在 1949 至 2027 年之间"),
    (dict(awarded_on=dt.date(2026, 11, 24), year=2026), "awarded_on", "不能晚于今天"),
    (dict(awarded_on=dt.date(2022, 12, 31)), "awarded_on", "与表彰年度 2024 相差超过一年，请核对"),
    (dict(member_id=999), "recipient", "找不到编号为 999 的党员"),
    (dict(level="county"), "level", "请选择级别"),
])
def test_each_refusal_names_its_field_and_writes_nothing(db, sample, overrides, field, message) -> None:
    kept = honours.create_commendation(db, city_member(sample.secretary), today=TODAY)
    before = _dump(db, "commendations")
    with pytest.raises(ValidationError) as caught:
        honours.create_commendation(db, city_member(sample.secretary, **overrides), today=TODAY)
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]
    with pytest.raises(ValidationError) as caught:
        honours.update_commendation(db, kept, city_member(sample.secretary, **overrides), today=TODAY)
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]
    assert _dump(db, "commendations") == before


def test_a_missing_organization_is_named(db, sample) -> None:
    with pytest.raises(ValidationError) as caught:
        honours.create_commendation(db, for_org(999), today=TODAY)
    assert caught.value.for_field("recipient") == ["找不到编号为 999 的党组织"]
    assert _count(db, "commendations") == 0


def test_update_moves_the_commendation_and_keeps_the_attachment(db, sample, tmp_path: Path) -> None:
    new = honours.create_commendation(db, city_member(sample.secretary), today=TODAY)
    scan = tmp_path / "证书.pdf"
    scan.write_bytes(b"%PDF scan")
    honours.attach(db, new, scan)
    honours.update_commendation(db, new, for_org(sample.branch, title=Title.ADVANCED_ORGANIZATION), today=TODAY)
    got = honours.get_commendation(db, new)
    assert got.data == for_org(sample.branch, title=Title.ADVANCED_ORGANIZATION)
    assert got.recipient_name == "办公室党支部" and got.attachment == f"commendations/{new}-证书.pdf"
    assert honours.commendations_of_member(db, sample.secretary) == []


def test_missing_records_are_refused(db, sample) -> None:
    with pytest.raises(ServiceError, match="找不到编号为 41 的表彰记录"):
        honours.get_commendation(db, 41)
    with pytest.raises(ServiceError, match="找不到编号为 41 的表彰记录"):
        honours.update_commendation(db, 41, city_member(sample.secretary), today=TODAY)
    with pytest.raises(ServiceError, match="找不到编号为 41 的表彰记录"):
        honours.delete_commendation(db, 41)
    assert _count(db, "commendations") == 0


def test_delete(db, sample) -> None:
    first = honours.create_commendation(db, city_member(sample.secretary), today=TODAY)
    second = honours.create_commendation(db, for_org(sample.branch), today=TODAY)
    honours.delete_commendation(db, first)
    assert [c.id for c in honours.list_commendations(db, sample.committee)] == [second]


@pytest.fixture
def spread(db, sample) -> dict[str, int]:
    """Commendations over two years, levels and titles, in both branches and for the committee."""
    made = {
        "city_2024": city_member(sample.secretary),
        "city_2024_other": city_member(sample.secretary, title=Title.EXCELLENT_WORKER),
        "wc_2024": city_member(sample.probationary, level=Level.ORGANS_WORKING_COMMITTEE,
                               issuer="江州市直机关工委", document_no="江直工委〔2024〕8号"),
        "province_2025": city_member(sample.secretary, level=Level.PROVINCIAL, year=2025,
                                     awarded_on=dt.date(2025, 6, 26), issuer="中共东江省委"),
        "branch_2025": for_org(sample.branch),
        "other_branch_2024": for_org(sample.other_branch, year=2024, awarded_on=dt.date(2024, 6, 30)),
        "committee_2025": for_org(sample.committee, title=Title.ADVANCED_ORGANIZATION, level=Level.CITY),
    }
    zhao = next(m.id for m in members.list_members(db, sample.other_branch))
    made["zhao_city_2024"] = city_member(zhao)
    return {key: honours.create_commendation(db, data, today=TODAY) for key, data in made.items()}


def test_list_scope_the_members_branch_and_the_organizations_own(db, sample, spread) -> None:
    def ids(scope: int, **filters) -> set[str]:
        names = {v: k for k, v in spread.items()}
        return {names[c.id] for c in honours.list_commendations(db, scope, **filters)}

    assert ids(sample.committee) == set(spread)
    # A member of another branch and a commendation of the committee above are outside the branch.
    assert ids(sample.branch) == {"city_2024", "city_2024_other", "wc_2024", "province_2025", "branch_2025"}
    assert ids(sample.other_branch) == {"other_branch_2024", "zhao_city_2024"}
    assert ids(sample.group) == set()  # members belong to the branch, not to the 党小组


def test_list_filters_by_year_level_and_title(db, sample, spread) -> None:
    def ids(**filters) -> set[str]:
        names = {v: k for k, v in spread.items()}
        return {names[c.id] for c in honours.list_commendations(db, sample.committee, **filters)}

    assert ids(year=2025) == {"province_2025", "branch_2025", "committee_2025"}
    assert ids(level=Level.CITY) == {"city_2024", "city_2024_other", "committee_2025", "zhao_city_2024"}
    assert ids(title=Title.FIVE_GOOD_BRANCH) == {"branch_2025", "other_branch_2024"}
    assert ids(year=2024, level=Level.CITY, title=Title.EXCELLENT_MEMBER) == {"city_2024", "zhao_city_2024"}
    assert ids(year=2024, level="city", title="excellent_member") == {"city_2024", "zhao_city_2024"}
    assert ids(year=2023) == set()


def test_list_is_latest_year_and_highest_level_first(db, sample, spread) -> None:
    listed = honours.list_commendations(db, sample.committee)
    keys = [(-c.data.year, list(Level).index(c.data.level)) for c in listed]
    assert keys == sorted(keys)
    assert [c.data.level for c in honours.commendations_of_member(db, sample.secretary)] == [
        Level.PROVINCIAL, Level.CITY, Level.CITY]


def test_how_many_city_level_excellent_members_in_2024(db, sample, spread) -> None:
    counts = honours.commendation_counts(db, sample.committee, 2024)
    assert counts[(Level.CITY, "优秀共产党员")] == 2
    assert counts == Counter({(Level.CITY, "优秀共产党员"): 2, (Level.CITY, "优秀党务工作者"): 1,
                              (Level.ORGANS_WORKING_COMMITTEE, "优秀共产党员"): 1,
                              (Level.PARTY_COMMITTEE, "五好党支部"): 1})
    assert honours.commendation_counts(db, sample.branch, 2024)[(Level.CITY, "优秀共产党员")] == 1
    assert honours.commendation_counts(db, sample.committee, 2025) == Counter({
        (Level.PROVINCIAL, "优秀共产党员"): 1, (Level.CITY, "先进基层党组织"): 1,
        (Level.PARTY_COMMITTEE, "五好党支部"): 1})


# --- attachments ---------------------------------------------------------------------------------------------


def test_attach_copies_beside_the_database_and_replacing_removes_the_old_copy(db, db_path, sample,
                                                                             tmp_path: Path) -> None:
    new = honours.create_commendation(db, city_member(sample.secretary), today=TODAY)
    assert honours.attachment_path(db, honours.get_commendation(db, new)) is None
    outside = tmp_path / "scans"
    outside.mkdir()
    first = outside / "表彰决定.pdf"
    first.write_bytes(b"%PDF decision")
    honours.attach(db, new, first)
    got = honours.get_commendation(db, new)
    kept = honours.attachment_path(db, got)
    assert kept == db_path.with_name("branchdesk-附件") / "commendations" / f"{new}-表彰决定.pdf"
    assert kept.read_bytes() == b"%PDF decision" and first.exists()  # a copy: the original stays
    second = outside / "证书.jpg"
    second.write_bytes(b"\xff\xd8 certificate")
    honours.attach(db, new, str(second))  # a file dialog's str works as well as a Path
    replaced = honours.attachment_path(db, honours.get_commendation(db, new))
    assert replaced.name == f"{new}-证书.jpg" and replaced.read_bytes() == b"\xff\xd8 certificate"
    assert not kept.exists()
    assert sorted(p.name for p in replaced.parent.iterdir()) == [f"{new}-证书.jpg"]
    # The same name again overwrites the copy in place.
    second.write_bytes(b"\xff\xd8 rescanned")
    honours.attach(db, new, second)
    assert replaced.read_bytes() == b"\xff\xd8 rescanned"
    # Attaching the managed copy itself changes nothing.
    honours.attach(db, new, replaced)
    assert replaced.read_bytes() == b"\xff\xd8 rescanned"
    assert honours.get_commendation(db, new).attachment == f"commendations/{new}-证书.jpg"


def test_a_missing_source_is_refused_naming_it(db, sample, tmp_path: Path) -> None:
    new = honours.create_commendation(db, city_member(sample.secretary), today=TODAY)
    missing = tmp_path / "不存在.pdf"
    with pytest.raises(ServiceError) as caught:
        honours.attach(db, new, missing)
    assert str(missing) in str(caught.value)
    with pytest.raises(ServiceError, match="找不到文件"):
        honours.attach(db, new, tmp_path)  # a folder is not a file
    assert honours.get_commendation(db, new).attachment == ""
    assert not attachments.folder(db).exists()


def test_attaching_to_a_missing_record_copies_nothing(db, sample, tmp_path: Path) -> None:
    scan = tmp_path / "证书.pdf"
    scan.write_bytes(b"%PDF")
    with pytest.raises(ServiceError, match="找不到编号为 77 的表彰记录"):
        honours.attach(db, 77, scan)
    assert not attachments.folder(db).exists()


def test_delete_keeps_the_copied_file_until_purged(db, sample, tmp_path: Path) -> None:
    new = honours.create_commendation(db, city_member(sample.secretary), today=TODAY)
    scan = tmp_path / "证书.pdf"
    scan.write_bytes(b"%PDF")
    honours.attach(db, new, scan)
    kept = honours.attachment_path(db, honours.get_commendation(db, new))
    assert kept.exists()
    honours.delete_commendation(db, new)
    assert kept.exists() and _count(db, "commendations") == 0  # in the recycle bin, restorable
    [entry] = recycle.entries(db)
    recycle.purge(db, entry.id)
    assert not kept.exists() and scan.exists()


def test_a_copy_that_fails_is_refused_and_leaves_no_trace(db, sample, tmp_path: Path, monkeypatch) -> None:
    new = honours.create_commendation(db, city_member(sample.secretary), today=TODAY)
    scan = tmp_path / "证书.pdf"
    scan.write_bytes(b"%PDF")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(attachments.shutil, "copy2", full_disk)
    with pytest.raises(ServiceError, match=r"无法复制文件 .*证书\.pdf"):
        honours.attach(db, new, scan)
    assert honours.get_commendation(db, new).attachment == ""


# --- 民主评议 ------------------------------------------------------------------------------------------------


@pytest.fixture
def branch_roll(db, sample) -> dict[str, int]:
    """办公室党支部 for the 2025 evaluation: the sample's two, a member converted in 2026 (probationary
    all 2025), one transferred out in 2026 and one who left in 2025 before the evaluation."""
    made = {"王建国": sample.secretary, "李晓梅": sample.probationary}
    made["陈思远"] = members.create(db, sample.branch, member_data(
        "陈思远", birth_date=dt.date(1995, 2, 3), joined_on=dt.date(2025, 2, 20), full_on=dt.date(2026, 2, 20)),
        today=TODAY)
    for name in ("周文", "吴佳", "郑立"):
        made[name] = members.create(db, sample.branch, member_data(name), today=TODAY)
    made["钱永"] = members.create(db, sample.branch, member_data("钱永"), today=TODAY)
    members.transfer_out(db, made["钱永"], dt.date(2025, 9, 1), "江州市水利局机关党委")
    return made


def test_the_sheet_is_the_roll_plus_rated_leavers(db, sample, branch_roll) -> None:
    sheet = honours.evaluation_sheet(db, sample.branch, 2025)
    # 李晓梅 was admitted in 2026 and 钱永 left in 2025 unrated: neither is on the 2025 sheet.
    assert [e.member.name for e in sheet] == [m.name for m in members.list_members(db, sample.branch)
                                              if m.name not in ("李晓梅", "钱永")]
    assert {e.member.name for e in sheet} == {"王建国", "陈思远", "周文", "吴佳", "郑立"}
    assert all(e.rating is None and e.note == "" for e in sheet)
    assert {e.member.name: e.probationary for e in sheet} == {
        "王建国": False, "陈思远": True, "周文": False, "吴佳": False, "郑立": False}
    sheet_2026 = honours.evaluation_sheet(db, sample.branch, 2026)
    assert {e.member.name: e.probationary for e in sheet_2026} == {
        "王建国": False, "李晓梅": True, "陈思远": False, "周文": False, "吴佳": False, "郑立": False}
    members.transfer_out(db, branch_roll["郑立"], dt.date(2026, 3, 1), "江州市审计局机关党委")
    assert "郑立" not in [e.member.name for e in honours.evaluation_sheet(db, sample.branch, 2025)]
    db.conn.execute("INSERT INTO evaluations (member_id, year, rating) VALUES (?, 2025, 'qualified')",
                    (branch_roll["郑立"],))
    rated_leaver = [e for e in honours.evaluation_sheet(db, sample.branch, 2025) if e.member.name == "郑立"]
    assert [(e.rating, e.member.status) for e in rated_leaver] == [(Rating.QUALIFIED, Status.TRANSFERRED_OUT)]
    assert "郑立" not in [e.member.name for e in honours.evaluation_sheet(db, sample.other_branch, 2025)]


def _whole_sheet(roll: dict[str, int], **ratings) -> list[tuple[int, Rating | None, str]]:
    defaults = {"王建国": Rating.EXCELLENT, "陈思远": Rating.NOT_RATED, "周文": Rating.QUALIFIED,
                "吴佳": Rating.QUALIFIED, "郑立": Rating.BASICALLY_QUALIFIED}
    defaults.update(ratings)
    return [(roll[name], rating if not isinstance(rating, tuple) else rating[0],
             rating[1] if isinstance(rating, tuple) else "") for name, rating in defaults.items()]


def test_save_and_read_back_the_branch_in_one_table(db, sample, branch_roll) -> None:
    warnings = honours.save_evaluations(db, sample.branch, 2025, _whole_sheet(
        branch_roll, 吴佳=(Rating.UNQUALIFIED, " 限期改正，期限六个月 ")))
    assert warnings == []
    read = {e.member.name: (e.rating, e.note) for e in honours.evaluation_sheet(db, sample.branch, 2025)}
    assert read == {"王建国": (Rating.EXCELLENT, ""), "陈思远": (Rating.NOT_RATED, ""),
                    "周文": (Rating.QUALIFIED, ""), "吴佳": (Rating.UNQUALIFIED, "限期改正，期限六个月"),
                    "郑立": (Rating.BASICALLY_QUALIFIED, "")}
    # Saving again replaces; the 2026 sheet is separate.
    honours.save_evaluations(db, sample.branch, 2025, _whole_sheet(branch_roll, 王建国=Rating.QUALIFIED))
    assert {e.member.name: e.rating for e in honours.evaluation_sheet(db, sample.branch, 2025)}["王建国"] is (
        Rating.QUALIFIED)
    assert _count(db, "evaluations") == 5
    assert all(e.rating is None for e in honours.evaluation_sheet(db, sample.branch, 2026))


def test_a_refused_sheet_names_each_member_and_writes_nothing(db, sample, branch_roll) -> None:
    honours.save_evaluations(db, sample.branch, 2025, _whole_sheet(branch_roll))
    before = _dump(db, "evaluations")
    with pytest.raises(ValidationError) as caught:
        honours.save_evaluations(db, sample.branch, 2025, _whole_sheet(
            branch_roll, 王建国=Rating.QUALIFIED, 陈思远=Rating.EXCELLENT, 周文=Rating.NOT_RATED,
            吴佳=Rating.UNQUALIFIED))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("rating", "陈思远：预备党员不参加评定"),
        ("rating", "周文：正式党员须评定等次"),
        ("note", "吴佳：评为不合格的，请在备注中写明处置意见（如限期改正）"),
    ]
    assert _dump(db, "evaluations") == before
    with pytest.raises(ServiceError, match="不在本支部 2025 年的评议名单中"):
        honours.save_evaluations(db, sample.branch, 2025, [(sample.secretary, Rating.QUALIFIED, ""),
                                                          (sample.probationary, Rating.NOT_RATED, "")])
    assert _dump(db, "evaluations") == before


def test_none_clears_a_rating(db, sample, branch_roll) -> None:
    honours.save_evaluations(db, sample.branch, 2025, _whole_sheet(branch_roll))
    honours.save_evaluations(db, sample.branch, 2025, [(branch_roll["周文"], None, "")])
    read = {e.member.name: e.rating for e in honours.evaluation_sheet(db, sample.branch, 2025)}
    assert read["周文"] is None and read["王建国"] is Rating.EXCELLENT
    assert _count(db, "evaluations") == 4


def test_more_than_a_third_excellent_is_saved_with_a_warning(db, sample, branch_roll) -> None:
    # Four rated (陈思远 is not): two 优秀 is more than a third.
    warnings = honours.save_evaluations(db, sample.branch, 2025, _whole_sheet(branch_roll, 周文=Rating.EXCELLENT))
    assert warnings == ["评为优秀的 2 名，超过参加评定党员 4 名的三分之一（一般不超过 1 名）"]
    assert Counter(e.rating for e in honours.evaluation_sheet(db, sample.branch, 2025))[Rating.EXCELLENT] == 2
    # Saving one line judges the branch as stored, not just the line.
    assert honours.save_evaluations(db, sample.branch, 2025, [(branch_roll["郑立"], Rating.QUALIFIED, "")]) == [
        "评为优秀的 2 名，超过参加评定党员 4 名的三分之一（一般不超过 1 名）"]
    assert honours.save_evaluations(db, sample.branch, 2025, [(branch_roll["周文"], Rating.QUALIFIED, "")]) == []
    assert honours.evaluation_warnings([Rating.EXCELLENT, Rating.QUALIFIED, Rating.QUALIFIED]) == []
    assert honours.evaluation_warnings([Rating.EXCELLENT, Rating.NOT_RATED, Rating.NOT_RATED]) == [
        "评为优秀的 1 名，超过参加评定党员 1 名的三分之一（一般不超过 0 名）"]


def test_evaluation_counts_per_branch(db, sample, branch_roll) -> None:
    honours.save_evaluations(db, sample.branch, 2025, _whole_sheet(branch_roll, 吴佳=(Rating.UNQUALIFIED, "限期改正")))
    zhao = next(m.id for m in members.list_members(db, sample.other_branch))
    honours.save_evaluations(db, sample.other_branch, 2025, [(zhao, Rating.EXCELLENT, "")])
    counts = honours.evaluation_counts(db, sample.committee, 2025)
    assert list(counts) == ["办公室党支部", "业务科党支部"]
    assert counts["办公室党支部"] == Counter({Rating.EXCELLENT: 1, Rating.NOT_RATED: 1, Rating.QUALIFIED: 1,
                                         Rating.UNQUALIFIED: 1, Rating.BASICALLY_QUALIFIED: 1})
    assert counts["业务科党支部"] == Counter({Rating.EXCELLENT: 1})
    assert honours.evaluation_counts(db, sample.branch, 2025) == {"办公室党支部": counts["办公室党支部"]}
    assert honours.evaluation_counts(db, sample.committee, 2024) == {
        "办公室党支部": Counter(), "业务科党支部": Counter()}
    # A rated member who has since left still counts for the year.
    members.transfer_out(db, branch_roll["郑立"], dt.date(2026, 3, 1), "江州市审计局机关党委")
    assert honours.evaluation_counts(db, sample.committee, 2025)["办公室党支部"] == counts["办公室党支部"]


def test_evaluation_counts_tell_apart_branches_of_the_same_name(db, sample) -> None:
    other_committee = organizations.create(db, None, OrgKind.COMMITTEE, "江州市审计局机关党委")
    root = organizations.create(db, None, OrgKind.COMMITTEE, "江州市直机关工委")
    db.conn.execute("UPDATE organizations SET parent_id = ? WHERE id IN (?, ?)",
                    (root, sample.committee, other_committee))
    twin = organizations.create(db, other_committee, OrgKind.BRANCH, "办公室党支部")
    member = members.create(db, twin, member_data("孙立"), today=TODAY)
    honours.save_evaluations(db, twin, 2025, [(member, Rating.BASICALLY_QUALIFIED, "")])
    honours.save_evaluations(db, sample.branch, 2025, [(sample.secretary, Rating.QUALIFIED, "")])
    counts = honours.evaluation_counts(db, root, 2025)
    assert counts == {
        "市直机关某局机关党委 办公室党支部": Counter({Rating.QUALIFIED: 1}),
        "业务科党支部": Counter(),
        "江州市审计局机关党委 办公室党支部": Counter({Rating.BASICALLY_QUALIFIED: 1}),
    }


# --- 学习成果 ------------------------------------------------------------------------------------------------


def reflection(member_id: int, **overrides) -> StudyOutputData:
    values = dict(member_id=member_id, kind=OutputKind.REFLECTION, title=" 重温入党誓词有感 ",
                  written_on=dt.date(2025, 7, 1))
    values.update(overrides)
    return StudyOutputData(**values)


def test_study_output_create_update_delete(db, sample) -> None:
    new = honours.create_study_output(db, reflection(sample.secretary, published_in=" 《江州机关党建》 "), today=TODAY)
    [got] = honours.list_study_outputs(db, sample.committee)
    assert (got.id, got.member_name, got.branch_name) == (new, "王建国", "办公室党支部")
    assert got.data == reflection(sample.secretary, title="重温入党誓词有感", published_in="《江州机关党建》")
    assert got.data.published_or_awarded
    assert honours.get_study_output(db, new) == got
    honours.update_study_output(db, new, reflection(sample.probationary, kind=OutputKind.PAPER, title="论文",
                                                    written_on=dt.date(2026, 5, 4), award="征文三等奖"), today=TODAY)
    got = honours.get_study_output(db, new)
    assert (got.member_name, got.data.kind, got.data.award, got.data.published_in) == (
        "李晓梅", OutputKind.PAPER, "征文三等奖", "")
    honours.delete_study_output(db, new)
    assert honours.list_study_outputs(db, sample.committee) == []
    for refused in (lambda: honours.delete_study_output(db, new), lambda: honours.get_study_output(db, new),
                    lambda: honours.update_study_output(db, new, reflection(sample.secretary), today=TODAY)):
        with pytest.raises(ServiceError, match=f"找不到编号为 {new} 的学习成果"):
            refused()


def test_study_output_refusals_name_their_fields_and_write_nothing(db, sample) -> None:
    with pytest.raises(ValidationError) as caught:
        honours.create_study_output(db, reflection(999, title=" ", written_on=TODAY + dt.timedelta(days=1)),
                                    today=TODAY)
    assert [str(e) for e in caught.value.errors] == ["标题：不能为空", "完成日期：不能晚于今天",
                                                     "党员：找不到编号为 999 的党员"]
    kept = honours.create_study_output(db, reflection(sample.secretary), today=TODAY)
    before = _dump(db, "study_outputs")
    with pytest.raises(ValidationError) as caught:
        honours.update_study_output(db, kept, reflection(sample.secretary, written_on=None), today=TODAY)
    assert caught.value.for_field("written_on") == ["不能为空"]
    assert _dump(db, "study_outputs") == before


def test_study_output_lists_and_counts_by_scope_and_year(db, sample) -> None:
    zhao = next(m.id for m in members.list_members(db, sample.other_branch))
    for member_id, kind, written_on in [
        (sample.secretary, OutputKind.REFLECTION, dt.date(2025, 3, 1)),
        (sample.secretary, OutputKind.REFLECTION, dt.date(2025, 12, 31)),
        (sample.probationary, OutputKind.RESEARCH_REPORT, dt.date(2025, 8, 1)),
        (sample.secretary, OutputKind.PAPER, dt.date(2026, 1, 1)),
        (zhao, OutputKind.REFLECTION, dt.date(2025, 6, 1)),
    ]:
        honours.create_study_output(db, reflection(member_id, kind=kind, written_on=written_on), today=TODAY)
    listed = honours.list_study_outputs(db, sample.committee)
    assert [o.data.written_on for o in listed] == sorted((o.data.written_on for o in listed), reverse=True)
    assert len(honours.list_study_outputs(db, sample.branch, 2025)) == 3
    assert honours.study_output_counts(db, sample.committee, 2025) == Counter(
        {OutputKind.REFLECTION: 3, OutputKind.RESEARCH_REPORT: 1})
    assert honours.study_output_counts(db, sample.other_branch, 2025) == Counter({OutputKind.REFLECTION: 1})
    assert honours.study_output_counts(db, sample.committee, 2026) == Counter({OutputKind.PAPER: 1})


def test_a_probationary_member_stays_so_for_the_years_before_conversion(db, sample) -> None:
    members.convert_to_full(db, sample.probationary, dt.date(2026, 11, 20), today=TODAY)
    assert members.get(db, sample.probationary).data.standing is Standing.FULL
    [entry] = [e for e in honours.evaluation_sheet(db, sample.branch, 2026) if e.member.id == sample.probationary]
    assert not entry.probationary  # converted before the year's end: rated for 2026
