import datetime as dt

import pytest

from branchdesk.domain.organization import CommitteeRole, OrgKind
from branchdesk.services import members
from branchdesk.services import organizations as orgs
from branchdesk.services.errors import ServiceError, ValidationError


def test_tree_scopes_and_resolve(db, sample) -> None:
    assert [o.name for o in orgs.tree(db) if o.parent_id == sample.committee] == ["办公室党支部", "业务科党支部"]
    assert set(orgs.subtree_ids(db, sample.committee)) == {sample.committee, sample.branch, sample.other_branch,
                                                           sample.group}
    assert orgs.resolve(db, "业务科党支部").id == sample.other_branch
    assert orgs.resolve(db, str(sample.branch)).name == "办公室党支部"
    orgs.create(db, sample.other_branch, OrgKind.GROUP, "第一党小组")
    with pytest.raises(ServiceError, match="有多个党组织名为“第一党小组”"):
        orgs.resolve(db, "第一党小组")
    with pytest.raises(ServiceError, match="找不到名为“不存在”的党组织"):
        orgs.resolve(db, "不存在")


def test_outline_is_the_tree_depth_first_in_display_order(db, sample) -> None:
    # Rows come from the store by sibling order, so this group (the first under its branch) is
    # read before its parent (the second under the committee); the outline still puts it beneath.
    orgs.create(db, sample.other_branch, OrgKind.GROUP, "业务一组")
    general = orgs.create(db, sample.committee, OrgKind.GENERAL_BRANCH, "机关第一党总支")
    orgs.create(db, general, OrgKind.BRANCH, "财务科党支部")
    orgs.create(db, None, OrgKind.COMMITTEE, "另一机关党委")
    read = [o.name for o in orgs.tree(db)]
    assert read.index("业务一组") < read.index("业务科党支部")
    assert [(depth, o.name) for depth, o in orgs.outline(db)] == [
        (0, "市直机关某局机关党委"),
        (1, "办公室党支部"),
        (2, "第一党小组"),
        (1, "业务科党支部"),
        (2, "业务一组"),
        (1, "机关第一党总支"),
        (2, "财务科党支部"),
        (0, "另一机关党委"),
    ]
    assert [(depth, o.name) for depth, o in orgs.outline(db, general)] == [
        (0, "机关第一党总支"), (1, "财务科党支部")]
    assert [(depth, o.name) for depth, o in orgs.outline(db, sample.group)] == [(0, "第一党小组")]
    with pytest.raises(ServiceError, match="找不到编号为 999 的党组织"):
        orgs.outline(db, 999)


def test_kinds_and_names_are_checked(db, sample) -> None:
    with pytest.raises(ServiceError, match="党支部下不能建立党支部"):
        orgs.create(db, sample.branch, OrgKind.BRANCH, "新支部")
    with pytest.raises(ValidationError, match="组织名称：同一上级下已有名为“业务科党支部”的组织"):
        orgs.create(db, sample.committee, OrgKind.BRANCH, " 业务科党支部 ")
    with pytest.raises(ValidationError, match="组织名称：不能为空"):
        orgs.update(db, sample.branch, "  ", None, "", "", "")
    orgs.update(db, sample.branch, "综合科党支部", dt.date(2010, 7, 1), "王建国", "6601", "")
    assert orgs.get(db, sample.branch).name == "综合科党支部"


def test_delete_only_empty_organizations(db, sample) -> None:
    with pytest.raises(ServiceError, match="下级组织"):
        orgs.delete(db, sample.committee)
    with pytest.raises(ServiceError, match="还有党员"):
        orgs.delete(db, sample.other_branch)
    empty = orgs.create(db, sample.committee, OrgKind.BRANCH, "新设党支部")
    orgs.delete(db, empty)
    assert all(o.id != empty for o in orgs.tree(db))


def test_seats_default_to_a_three_year_term(db, sample) -> None:
    seat = orgs.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2024, 3, 1))
    [s] = orgs.committee(db, sample.branch)
    assert (s.id, s.member_name, s.role.label, s.term_end) == (seat, "王建国", "书记", dt.date(2027, 2, 28))


def test_one_holder_per_role_per_term_and_members_only(db, sample) -> None:
    orgs.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="职务：该任期内书记已由王建国担任"):
        orgs.add_seat(db, sample.branch, sample.probationary, CommitteeRole.SECRETARY, dt.date(2026, 1, 1))
    orgs.add_seat(db, sample.branch, sample.probationary, CommitteeRole.SECRETARY, dt.date(2027, 3, 1))
    with pytest.raises(ValidationError, match="党员：所选党员不在“业务科党支部”中"):
        orgs.add_seat(db, sample.other_branch, sample.secretary, CommitteeRole.MEMBER, dt.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="任期结束：任期结束日期应晚于开始日期"):
        orgs.add_seat(db, sample.branch, sample.secretary, CommitteeRole.MEMBER, dt.date(2024, 3, 1),
                      dt.date(2024, 3, 1))


def test_terms_ending_within_ninety_days(db, sample) -> None:
    orgs.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2024, 3, 1))
    assert orgs.terms_ending(db, dt.date(2026, 11, 29)) == []
    assert [s.member_name for s in orgs.terms_ending(db, dt.date(2026, 11, 30))] == ["王建国"]


def test_member_totals_count_the_roll_of_each_subtree(db, sample) -> None:
    expected = {sample.committee: 3, sample.branch: 2, sample.other_branch: 1, sample.group: 1}
    assert orgs.member_totals(db) == expected
    members.transfer_out(db, sample.secretary, dt.date(2026, 11, 1), "市财政局机关党委")
    expected = {sample.committee: 2, sample.branch: 1, sample.other_branch: 1, sample.group: 0}
    assert orgs.member_totals(db) == expected
