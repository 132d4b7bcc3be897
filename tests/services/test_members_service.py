import datetime as dt

import pytest

from branchdesk.domain.members import DuesCategory, Standing, Status
from branchdesk.services import members, organizations
from branchdesk.services.errors import ServiceError, ValidationError
from tests.conftest import TODAY, member_data

ID = "110105198503040012"


def test_create_stores_every_field_and_history(db, sample) -> None:
    new = members.create(db, sample.branch, member_data(
        "欧阳明", id_number=ID.lower(), phone="13800000000", group_id=sample.group, education="大学本科",
        dues_base_fen=510000), today=TODAY)
    m = members.get(db, new)
    assert (m.name, m.org_name, m.group_name, m.name_initials) == ("欧阳明", "办公室党支部", "第一党小组", "oym")
    assert m.data.id_number == ID and m.data.dues_base_fen == 510000 and m.status is Status.NORMAL
    assert [(e.kind, e.detail) for e in members.history(db, new)] == [("created", "登记入册")]


def test_every_field_reads_back_alike_from_get_and_list(db, sample) -> None:
    # Distinct values in every field: the rows are read positionally, a swapped column shows here.
    data = member_data("欧阳明", ethnicity="回族", id_number=ID, education="研究生",
                       dues_category=DuesCategory.RETIRED, dues_base_fen=123456, group_id=sample.group,
                       phone="13800000000", note="备注", probation_extension_months=6)
    new = members.create(db, sample.branch, data, today=TODAY)
    members.set_status(db, new, Status.MOBILE, TODAY)
    got = members.get(db, new)
    assert got.data == data
    assert (got.id, got.org_id, got.org_name, got.group_name, got.status, got.name_initials) == (
        new, sample.branch, "办公室党支部", "第一党小组", Status.MOBILE, "oym")
    listed = {m.id: m for m in members.list_members(db, sample.committee)}
    assert listed[new] == got
    ungrouped = [m for m in listed.values() if m.data.group_id is None]
    assert [(m.name, m.org_name, m.group_name) for m in ungrouped] == [
        ("李晓梅", "办公室党支部", ""), ("赵志强", "业务科党支部", "")]
    assert members.get(db, ungrouped[0].id) == ungrouped[0]


def test_refused_create_writes_nothing_and_names_every_field(db, sample) -> None:
    before = len(members.list_members(db, sample.committee))
    with pytest.raises(ValidationError) as caught:
        members.create(db, sample.branch, member_data("", id_number="110105198503040013", full_on=None), today=TODAY)
    assert [str(e) for e in caught.value.errors] == [
        "姓名：不能为空", "身份证号：校验码不正确，请核对号码", "转正日期：正式党员须填写转正日期"]
    assert len(members.list_members(db, sample.committee)) == before


def test_duplicate_id_number_names_the_holder(db, sample) -> None:
    members.create(db, sample.branch, member_data("甲", id_number=ID), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        members.create(db, sample.other_branch, member_data("乙", id_number=ID), today=TODAY)
    assert caught.value.for_field("id_number") == ["该号码已登记在党员“甲”名下"]


def test_group_must_belong_to_the_members_branch(db, sample) -> None:
    with pytest.raises(ValidationError) as caught:
        members.create(db, sample.other_branch, member_data("丙", group_id=sample.group), today=TODAY)
    assert caught.value.for_field("group_id") == ["所选党小组不属于“业务科党支部”"]


def test_update_records_the_changed_fields(db, sample) -> None:
    m = members.get(db, sample.secretary)
    data = m.data
    data.phone = "13912345678"
    data.education = "研究生"
    members.update(db, sample.secretary, data, today=TODAY)
    assert members.get(db, sample.secretary).data.phone == "13912345678"
    assert members.history(db, sample.secretary)[-1].detail == "修改：学历、联系电话"
    members.update(db, sample.secretary, members.get(db, sample.secretary).data, today=TODAY)
    assert len(members.history(db, sample.secretary)) == 2  # an unchanged save records nothing


def test_conversion_to_full_membership(db, sample) -> None:
    with pytest.raises(ValidationError, match="转正日期应晚于入党日期"):
        members.convert_to_full(db, sample.probationary, dt.date(2026, 1, 10), today=TODAY)
    members.convert_to_full(db, sample.probationary, dt.date(2026, 11, 10), today=TODAY)
    m = members.get(db, sample.probationary)
    assert (m.data.standing, m.data.full_on) == (Standing.FULL, dt.date(2026, 11, 10))
    events = [(e.on_date, e.detail) for e in members.history(db, sample.probationary)]
    assert events == [(dt.date(2026, 11, 10), "按期转为正式党员"), (TODAY, "登记入册")]  # in date order
    with pytest.raises(ServiceError, match="已是正式党员"):
        members.convert_to_full(db, sample.probationary, TODAY, today=TODAY)


def test_probation_is_extended_once(db, sample) -> None:
    members.extend_probation(db, sample.probationary, 6, TODAY)
    assert members.get(db, sample.probationary).probation_end == dt.date(2027, 7, 10)
    with pytest.raises(ServiceError, match="已延长过一次"):
        members.extend_probation(db, sample.probationary, 6, TODAY)


def test_due_for_conversion_lists_members_within_thirty_days(db, sample) -> None:
    assert members.due_for_conversion(db, sample.committee, dt.date(2026, 12, 10)) == []
    due = members.due_for_conversion(db, sample.committee, dt.date(2026, 12, 11))
    assert [m.name for m in due] == ["李晓梅"]


def test_transfer_out_and_back(db, sample) -> None:
    with pytest.raises(ValidationError, match="转往单位不能为空"):
        members.transfer_out(db, sample.secretary, TODAY, " ")
    members.transfer_out(db, sample.secretary, TODAY, "市财政局机关党委", "2026-015")
    assert members.get(db, sample.secretary).status is Status.TRANSFERRED_OUT
    assert members.history(db, sample.secretary)[-1].detail == "组织关系转出至市财政局机关党委（介绍信 2026-015）"
    with pytest.raises(ServiceError, match="不能转出"):
        members.transfer_out(db, sample.secretary, TODAY, "别处")
    members.return_in(db, sample.secretary, TODAY, "市财政局机关党委")
    assert members.get(db, sample.secretary).status is Status.NORMAL


def test_transfer_in_creates_the_member_with_the_transfer(db, sample) -> None:
    new = members.transfer_in(db, sample.branch, member_data("孙丽", gender="女"), TODAY, "市教育局机关党委",
                              today=TODAY)
    assert members.history(db, new)[-1].detail == "组织关系由市教育局机关党委转入"
    with pytest.raises(ValidationError):
        members.transfer_in(db, sample.branch, member_data(""), TODAY, "市教育局机关党委", today=TODAY)
    assert [m.name for m in members.list_members(db, sample.branch)].count("孙丽") == 1


def test_status_change_and_its_limits(db, sample) -> None:
    members.set_status(db, sample.secretary, Status.MOBILE, TODAY, "外出务工")
    assert members.history(db, sample.secretary)[-1].detail == "状态由正常改为流动：外出务工"
    with pytest.raises(ServiceError, match="组织关系转出"):
        members.set_status(db, sample.secretary, Status.TRANSFERRED_OUT, TODAY)


def test_delete_is_refused_while_on_a_committee(db, sample) -> None:
    seat = organizations.add_seat(db, sample.branch, sample.secretary, organizations.CommitteeRole.SECRETARY,
                                  dt.date(2025, 1, 1))
    with pytest.raises(ServiceError, match="任职记录"):
        members.delete(db, sample.secretary)
    organizations.remove_seat(db, seat)
    members.delete(db, sample.secretary)
    with pytest.raises(ServiceError, match="找不到"):
        members.get(db, sample.secretary)


def test_search_matches_name_initials_and_numbers(db, sample) -> None:
    m = members.get(db, sample.secretary)
    assert members.matches(m, "建国") and members.matches(m, "wjg") and members.matches(m, "WJ")
    assert not members.matches(m, "jg")
    assert members.matches(m, "")
