"""Recycle bin (delete → restore / purge, conflicts refused) and the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.domain.honours import CommendationData, Level, OutputKind, Rating, StudyOutputData, Title
from branchdesk.domain.organization import CommitteeRole, OrgKind
from branchdesk.services import audit, honours, members, organizations, recycle
from branchdesk.services.errors import ServiceError
from tests.conftest import TODAY, member_data

ID_NUMBER = "110105198503040020"
PHONE = "13912345678"
TABLES = ("members", "member_events", "transfers", "commendations", "evaluations", "study_outputs",
          "organizations", "committee_members")


def dump(db) -> dict[str, list[tuple]]:
    return {t: db.conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


def _full_member(db, sample, tmp_path: Path) -> int:
    """A member with an ID number and phone, history, a transfer, a commendation with a file, a
    rating and a study output."""
    who = members.transfer_in(db, sample.branch, member_data(
        "孙丽", gender="女", id_number=ID_NUMBER, phone=PHONE, group_id=sample.group), dt.date(2025, 3, 1),
        "江州市财政局机关党委", "2025-08", today=TODAY)
    members.set_status(db, who, members.Status.MOBILE, dt.date(2025, 6, 1))
    c = honours.create_commendation(db, CommendationData(
        title=Title.EXCELLENT_MEMBER, level=Level.CITY, year=2025, member_id=who, document_no="江委〔2025〕3号",
        awarded_on=dt.date(2025, 6, 28)), today=TODAY)
    scan = tmp_path / "证书.pdf"
    scan.write_bytes(b"%PDF")
    honours.attach(db, c, scan)
    honours.save_evaluations(db, sample.branch, 2025, [(who, Rating.EXCELLENT, "")])
    honours.create_study_output(db, StudyOutputData(member_id=who, kind=OutputKind.PAPER, title="基层党建研究",
                                                    written_on=dt.date(2025, 9, 1)), today=TODAY)
    return who


def test_member_delete_then_restore_brings_back_every_row(db, sample, tmp_path: Path) -> None:
    who = _full_member(db, sample, tmp_path)
    before = dump(db)
    kept = honours.attachment_path(db, honours.commendations_of_member(db, who)[0])
    members.delete(db, who)
    gone = dump(db)
    assert who not in [r[0] for r in gone["members"]]
    for table in ("member_events", "transfers", "commendations", "evaluations", "study_outputs"):
        assert len(gone[table]) < len(before[table]) or not before[table], table
    assert kept.exists()  # files wait in the bin until purged
    [entry] = recycle.entries(db)
    assert (entry.kind, entry.label) == ("member", "孙丽（办公室党支部）")
    assert "历史记录 2 条、转接记录 1 条" in entry.contents and "表彰 1 条" in entry.contents
    assert recycle.restore(db, entry.id) == entry.label
    assert dump(db) == before and recycle.entries(db) == []
    assert members.get(db, who).data.id_number == ID_NUMBER


def test_purge_removes_the_entry_and_the_attached_file(db, sample, tmp_path: Path) -> None:
    who = _full_member(db, sample, tmp_path)
    kept = honours.attachment_path(db, honours.commendations_of_member(db, who)[0])
    members.delete(db, who)
    output = honours.list_study_outputs(db, sample.branch)
    assert output == []
    [entry] = recycle.entries(db)
    recycle.purge(db, entry.id)
    assert recycle.entries(db) == [] and not kept.exists()
    with pytest.raises(ServiceError, match="回收站中找不到"):
        recycle.restore(db, entry.id)


def test_purge_all_and_each_kind_goes_to_the_bin(db, sample) -> None:
    seat = organizations.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2024, 1, 1))
    c = honours.create_commendation(db, CommendationData(
        title=Title.ADVANCED_ORGANIZATION, level=Level.CITY, year=2025, org_id=sample.other_branch), today=TODAY)
    o = honours.create_study_output(db, StudyOutputData(
        member_id=sample.probationary, kind=OutputKind.REFLECTION, title="心得", written_on=dt.date(2026, 3, 1)),
        today=TODAY)
    empty = organizations.create(db, sample.committee, OrgKind.BRANCH, "新建党支部")
    before = dump(db)
    organizations.remove_seat(db, seat)
    honours.delete_commendation(db, c)
    honours.delete_study_output(db, o)
    organizations.delete(db, empty)
    assert sorted(e.kind for e in recycle.entries(db)) == ["commendation", "committee_seat", "organization",
                                                            "study_output"]
    for entry in recycle.entries(db):
        recycle.restore(db, entry.id)
    assert dump(db) == before
    organizations.delete(db, empty)
    honours.delete_study_output(db, o)
    assert recycle.purge_all(db) == 2 and recycle.entries(db) == []


def test_restore_refused_on_conflicts_changes_nothing(db, sample, tmp_path: Path) -> None:
    who = _full_member(db, sample, tmp_path)
    members.delete(db, who)
    [entry] = recycle.entries(db)
    # The ID number is now recorded for someone else.
    other = members.create(db, sample.branch, member_data("孙莉", gender="女", id_number=ID_NUMBER), today=TODAY)
    before = dump(db)
    log = len(audit.entries(db))
    with pytest.raises(ServiceError, match="其身份证号已登记在党员“孙莉”名下"):
        recycle.restore(db, entry.id)
    assert dump(db) == before and len(recycle.entries(db)) == 1 and len(audit.entries(db)) == log
    members.delete(db, other)
    # A commendation whose member is in the bin cannot come back alone.
    c = honours.create_commendation(db, CommendationData(
        title=Title.EXCELLENT_MEMBER, level=Level.CITY, year=2024, member_id=sample.probationary), today=TODAY)
    honours.delete_commendation(db, c)
    members.delete(db, sample.probationary)
    entries = {e.label: e for e in recycle.entries(db)}
    commendation = next(e for e in entries.values() if e.kind == "commendation")
    with pytest.raises(ServiceError, match="其所属的党员已不存在"):
        recycle.restore(db, commendation.id)
    recycle.restore(db, entries["李晓梅（办公室党支部）"].id)
    recycle.restore(db, commendation.id)
    # An organization of the same name added since.
    empty = organizations.create(db, sample.committee, OrgKind.BRANCH, "新建党支部")
    organizations.delete(db, empty)
    organizations.create(db, sample.committee, OrgKind.BRANCH, "新建党支部")
    org_entry = next(e for e in recycle.entries(db) if e.kind == "organization")
    with pytest.raises(ServiceError, match="同一上级下已有名为“新建党支部”的组织"):
        recycle.restore(db, org_entry.id)


def test_restore_gives_a_new_id_when_the_old_one_was_taken(db, sample) -> None:
    last = members.create(db, sample.branch, member_data("钱多多"), today=TODAY)
    members.delete(db, last)
    newcomer = members.create(db, sample.branch, member_data("周新"), today=TODAY)
    assert newcomer == last  # SQLite reuses the highest id
    [entry] = recycle.entries(db)
    recycle.restore(db, entry.id)
    names = {m.name: m.id for m in members.list_members(db, sample.committee)}
    assert names["周新"] == last and names["钱多多"] != last
    assert [e.kind for e in members.history(db, names["钱多多"])] == ["created"]


def test_restore_refused_when_the_organization_is_gone(db, sample) -> None:
    branch = organizations.create(db, sample.committee, OrgKind.BRANCH, "临时党支部")
    who = members.create(db, branch, member_data("吴临"), today=TODAY)
    members.delete(db, who)
    organizations.delete(db, branch)
    member_entry = next(e for e in recycle.entries(db) if e.kind == "member")
    with pytest.raises(ServiceError, match="其所属的党组织已不存在"):
        recycle.restore(db, member_entry.id)


def test_every_write_is_audited_without_personal_data(db, sample, tmp_path: Path) -> None:
    who = _full_member(db, sample, tmp_path)
    members.update(db, who, member_data("孙丽", gender="女", id_number="110105198503040047", phone="13800000000",
                                        group_id=sample.group), today=TODAY)
    organizations.update(db, sample.branch, "办公室党支部", dt.date(2010, 7, 1), "王建国", "66012345", "")
    seat = organizations.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2024, 1, 1))
    organizations.remove_seat(db, seat)
    members.delete(db, who)
    [entry] = [e for e in recycle.entries(db) if e.kind == "member"]
    recycle.restore(db, entry.id)
    members.delete(db, who)
    recycle.purge_all(db)
    log = audit.entries(db)
    actions = {(e.action, e.table) for e in log}
    assert {("新增", "organizations"), ("新增", "members"), ("修改", "members"), ("新增", "commendations"),
            ("修改", "commendations"), ("修改", "evaluations"), ("新增", "study_outputs"),
            ("修改", "organizations"), ("新增", "committee_members"), ("删除", "committee_members"),
            ("删除", "members"), ("恢复", "members"), ("彻底删除", "members")} <= actions
    update = next(e for e in log if e.action == "修改" and e.table == "members" and "身份证号" in e.fields)
    assert update.fields == "身份证号、联系电话" and update.label == "孙丽（办公室党支部）"
    org_update = next(e for e in log if e.table == "organizations" and e.action == "修改")
    assert org_update.fields == "成立日期、联系人、联系电话"
    assert all(e.os_user == audit.os_user() and e.at.startswith(dt.date.today().isoformat()[:4]) for e in log)
    text = repr(db.conn.execute("SELECT * FROM audit_log").fetchall())
    for secret in (ID_NUMBER, "110105198503040047", PHONE, "13800000000", "66012345"):
        assert secret not in text
    assert audit.entries(db, action="恢复")[0].label == "孙丽（办公室党支部）"
    assert audit.entries(db, first=dt.date(2000, 1, 1), last=dt.date(2000, 12, 31)) == []


def test_export_writes_the_filtered_log(db, sample, tmp_path: Path) -> None:
    members.delete(db, sample.probationary)
    out = tmp_path / "日志.xlsx"
    assert audit.export(db, out, action="删除") == 1
    ws = load_workbook(out)["操作日志"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "李晓梅（办公室党支部）" in values and "删除" in values
    with pytest.raises(ServiceError):
        audit.export(db, tmp_path / "日志.csv")
