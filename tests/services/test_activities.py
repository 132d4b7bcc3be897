"""Meetings and study through the service: records, expected attendees, 补学, compliance, members'
hours, attachments, the recycle bin and handover packages — on a real SQLite file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from branchdesk.domain import activities as rules
from branchdesk.domain.activities import (
    DEFAULT_RULES,
    ActivityKind,
    ActivityRules,
    AttendanceStatus,
    Requirement,
)
from branchdesk.domain.members import Standing
from branchdesk.domain.organization import CommitteeRole, OrgKind
from branchdesk.domain.periods import Period
from branchdesk.services import activities, audit, demo, handover, members, organizations, recycle
from branchdesk.services.activities import ActivityData, AttendanceEntry
from branchdesk.services.errors import ServiceError, ValidationError
from branchdesk.store import activities as activity_store
from branchdesk.store.connection import open_database
from tests.conftest import TODAY, member_data

K = ActivityKind
S = AttendanceStatus


@pytest.fixture
def third(db, sample) -> int:
    """孙丽: a full member of 办公室党支部 in no group."""
    return members.create(db, sample.branch, member_data("孙丽", gender="女", birth_date=dt.date(1990, 5, 6)),
                          today=TODAY)


def _new(db, sample, kind: ActivityKind, on: dt.date, attendance=(), **fields) -> int:
    values = {"topic": f"{kind.label}主题", **fields}
    if kind is K.LECTURE and "lecturer" not in values:
        values["lecturer"] = "王建国"
    return activities.create(db, ActivityData(sample.branch, kind, on, **values), list(attendance), today=TODAY)


def _errors(excinfo) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for e in excinfo.value.errors:
        found.setdefault(e.field, []).append(e.message)
    return found


def test_create_get_update(db, sample, third) -> None:
    data = ActivityData(sample.branch, K.LECTURE, dt.date(2026, 3, 5), "学习党章", starts_at="14:30",
                        ends_at="16:30", place="三楼会议室", chair="王建国", recorder="孙丽", agenda="1. 学习",
                        minutes="会议内容", study_hours_tenths=20, lecturer="王局长", lecturer_is_leader=True)
    activity_id = activities.create(db, data, [AttendanceEntry(sample.secretary, S.PRESENT),
                                               AttendanceEntry(third, S.LEAVE, "出差")], today=TODAY)
    got = activities.get(db, activity_id)
    assert got.data == data
    assert got.branch_name == "办公室党支部" and got.group_name == ""
    assert {(a.name, a.status, a.reason, a.voting) for a in got.attendance} == {
        ("王建国", S.PRESENT, "", True), ("孙丽", S.LEAVE, "出差", True)}
    data.topic = "学习新党章"
    activities.update(db, activity_id, data, [AttendanceEntry(sample.secretary, S.PRESENT)], today=TODAY)
    got = activities.get(db, activity_id)
    assert got.data.topic == "学习新党章" and [a.name for a in got.attendance] == ["王建国"]
    entry = audit.entries(db, limit=1)[0]
    assert entry.action == audit.UPDATE and entry.table_label == "会议活动"
    assert "主题" in entry.fields and "出席情况" in entry.fields
    assert "学习新党章" in entry.label


def test_list_counts_attendance_and_filters(db, sample, third) -> None:
    _new(db, sample, K.THEME_DAY, dt.date(2026, 5, 6), [
        AttendanceEntry(sample.secretary, S.PRESENT), AttendanceEntry(third, S.ABSENT),
        AttendanceEntry(sample.probationary, S.OBSERVER)], study_hours_tenths=20)
    _new(db, sample, K.LECTURE, dt.date(2026, 3, 5), topic="党课：坚定理想信念")
    rows = activities.list_activities(db, sample.committee)
    assert [r.kind for r in rows] == [K.THEME_DAY, K.LECTURE]  # latest first
    theme = rows[0]
    assert (theme.expected, theme.present, theme.absent, theme.observer, theme.attended) == (2, 1, 1, 1, 1)
    assert [r.topic for r in activities.list_activities(db, sample.committee, kind=K.LECTURE)] == ["党课：坚定理想信念"]
    assert [r.kind for r in activities.list_activities(db, sample.branch, start=dt.date(2026, 4, 1))] == [K.THEME_DAY]
    assert [r.kind for r in activities.list_activities(db, sample.branch, search="理想")] == [K.LECTURE]
    assert activities.list_activities(db, sample.other_branch) == []
    assert activities.list_activities(db, sample.branch, search="100%") == []


def test_expected_attendees_follow_the_kind_and_the_day(db, sample, third) -> None:
    def names(kind, on, group=None):
        return {a.name for a in activities.expected_attendees(db, sample.branch, kind, group, on)}

    # 李晓梅 was admitted on 2026-01-10: not expected before.
    assert names(K.GENERAL_MEETING, dt.date(2025, 6, 1)) == {"王建国", "孙丽"}
    assert names(K.GENERAL_MEETING, dt.date(2026, 3, 1)) == {"王建国", "孙丽", "李晓梅"}
    assert names(K.GROUP_MEETING, dt.date(2026, 3, 1), sample.group) == {"王建国"}
    assert names(K.GROUP_MEETING, dt.date(2026, 3, 1)) == set()
    assert names(K.COMMITTEE_MEETING, dt.date(2026, 3, 1)) == set()
    organizations.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2025, 1, 1))
    committee = activities.expected_attendees(db, sample.branch, K.COMMITTEE_MEETING, on=dt.date(2026, 3, 1))
    assert [(a.name, a.role, a.voting) for a in committee] == [("王建国", "书记", True)]
    assert names(K.COMMITTEE_MEETING, dt.date(2024, 12, 31)) == set()
    everyone = activities.expected_attendees(db, sample.branch, K.THEME_DAY, on=dt.date(2026, 3, 1))
    assert {(a.name, a.voting, a.role, a.group_name) for a in everyone} == {
        ("王建国", True, "书记", "第一党小组"), ("孙丽", True, "", ""), ("李晓梅", False, "", "")}
    # Transferred out on 30 June: expected until then, not after.
    members.transfer_out(db, third, dt.date(2026, 6, 30), "市财政局机关党委")
    assert "孙丽" in names(K.THEME_DAY, dt.date(2026, 6, 29))
    assert "孙丽" not in names(K.THEME_DAY, dt.date(2026, 7, 1))
    assert names(K.THEME_DAY, dt.date(2026, 3, 1), None) == names(K.STUDY, dt.date(2026, 3, 1))


def test_validation_refuses_and_writes_nothing(db, sample, third) -> None:
    other_group = organizations.create(db, sample.other_branch, OrgKind.GROUP, "业务党小组")
    stranger = members.list_members(db, sample.other_branch)[0].id
    cases = [
        (ActivityData(sample.branch, K.THEME_DAY, dt.date(2026, 3, 5), " "), [], {"topic": ["不能为空"]}),
        (ActivityData(sample.branch, K.GROUP_MEETING, dt.date(2026, 3, 5), "学习"), [],
         {"group_id": ["党小组会须选择党小组"]}),
        (ActivityData(sample.branch, K.GROUP_MEETING, dt.date(2026, 3, 5), "学习", group_id=other_group), [],
         {"group_id": ["“业务党小组”不是“办公室党支部”的党小组"]}),
        (ActivityData(sample.branch, K.THEME_DAY, TODAY + dt.timedelta(days=1), "学习"), [],
         {"held_on": ["已召开的活动日期不能晚于今天（尚未召开的请保存为计划）"]}),
        (ActivityData(sample.branch, K.STUDY, dt.date(2026, 3, 5), "学习", study_hours_tenths=-10), [],
         {"study_hours_tenths": ["不能为负数"]}),
        (ActivityData(sample.branch, K.STUDY, dt.date(2026, 3, 5), "学习"),
         [AttendanceEntry(stranger, S.PRESENT)], {"attendance": ["赵志强不是“办公室党支部”的党员"]}),
        (ActivityData(sample.branch, K.STUDY, dt.date(2026, 3, 5), "学习"),
         [AttendanceEntry(third, S.LEAVE), AttendanceEntry(third, S.PRESENT)],
         {"attendance": ["孙丽：请假须填写原因", "孙丽重复登记"]}),
        (ActivityData(sample.branch, K.STUDY, dt.date(2026, 12, 5), "学习", status="planned"),
         [AttendanceEntry(third, S.PRESENT)], {"attendance": ["计划中的活动尚未召开，不能登记出席情况"]}),
        (ActivityData(sample.group, K.STUDY, dt.date(2026, 3, 5), "学习"), [],
         {"branch": ["活动应记在党支部名下（党小组会请选择支部后再选择党小组）"]}),
        (ActivityData(9999, K.STUDY, dt.date(2026, 3, 5), "学习"), [], {"branch": ["找不到编号为 9999 的党组织"]}),
    ]
    for data, attendance, expected in cases:
        with pytest.raises(ValidationError) as excinfo:
            activities.create(db, data, attendance, today=TODAY)
        assert _errors(excinfo) == expected, data
    assert db.count("activities") == 0 and db.count("attendance") == 0
    # A planned meeting may lie in the past (planned and never held) and in the future.
    for on in (dt.date(2025, 1, 5), TODAY + dt.timedelta(days=10)):
        activities.create(db, ActivityData(sample.branch, K.THEME_DAY, on, "学习", status="planned"), [],
                          today=TODAY)
    assert db.count("activities") == 2
    with pytest.raises(ValidationError) as excinfo:
        activities.create(db, cases[0][0], [], today=TODAY)
    assert str(excinfo.value) == "主题：不能为空"  # the message names the field in Chinese


def test_a_failed_update_keeps_the_record(db, sample, third) -> None:
    activity_id = _new(db, sample, K.STUDY, dt.date(2026, 3, 5), [AttendanceEntry(third, S.PRESENT)])
    with pytest.raises(ValidationError):
        activities.update(db, activity_id, ActivityData(sample.branch, K.STUDY, dt.date(2026, 3, 5), ""),
                          [], today=TODAY)
    got = activities.get(db, activity_id)
    assert got.data.topic == "理论学习主题" and [a.name for a in got.attendance] == ["孙丽"]


def test_quorum_counts_voting_members_only(db, sample, third) -> None:
    on = dt.date(2026, 6, 10)
    data = ActivityData(sample.branch, K.GENERAL_MEETING, on, "讨论接收预备党员")
    # Voting: 王建国 and 孙丽 (李晓梅 is probationary, no vote).
    half = [AttendanceEntry(sample.secretary, S.PRESENT), AttendanceEntry(third, S.LEAVE, "出差"),
            AttendanceEntry(sample.probationary, S.PRESENT)]
    assert activities.quorum(db, sample.branch, on, half) == (1, 2)
    assert activities.warnings(db, data, half) == [
        "到会有表决权的正式党员 1 名，未超过应到 2 名的半数，会议不能作出决议"]
    full = [AttendanceEntry(sample.secretary, S.PRESENT), AttendanceEntry(third, S.PRESENT)]
    assert activities.quorum(db, sample.branch, on, full) == (2, 2)
    assert activities.warnings(db, data, full) == []
    assert activities.warnings(db, ActivityData(sample.branch, K.THEME_DAY, on, "学习"), half) == []
    # Saving without a quorum is allowed: the form warns, the record is kept.
    assert activities.create(db, data, half, today=TODAY)


def test_make_up_credits_the_hours(db, sample, third) -> None:
    lecture = _new(db, sample, K.LECTURE, dt.date(2026, 3, 5), [
        AttendanceEntry(sample.secretary, S.PRESENT), AttendanceEntry(third, S.ABSENT)], study_hours_tenths=20)

    def study_of(member_id):
        return next(m for m in activities.member_study(db, sample.branch, 2026) if m.member_id == member_id)

    before = study_of(third)
    assert (before.expected, before.attended, before.hours_tenths, before.rate) == (1, 0, 0, 0.0)
    with pytest.raises(ValidationError, match="补学日期不能早于活动日期"):
        activities.make_up(db, lecture, third, dt.date(2026, 3, 1), today=TODAY)
    with pytest.raises(ServiceError, match="无需补学"):
        activities.make_up(db, lecture, sample.secretary, dt.date(2026, 3, 10), today=TODAY)
    with pytest.raises(ServiceError, match="不在这次活动的出席名单中"):
        activities.make_up(db, lecture, sample.probationary, dt.date(2026, 3, 10), today=TODAY)
    activities.make_up(db, lecture, third, dt.date(2026, 3, 10), "观看录像补学", today=TODAY)
    after = study_of(third)
    assert (after.expected, after.attended, after.hours_tenths, after.rate) == (1, 1, 20, 1.0)
    line = next(a for a in activities.get(db, lecture).attendance if a.member_id == third)
    assert (line.status, line.made_up_on, line.reason) == (S.MADE_UP, dt.date(2026, 3, 10), "观看录像补学")
    history = activities.member_activities(db, third)
    assert [(h.kind, h.status, h.study_hours_tenths) for h in history] == [(K.LECTURE, S.MADE_UP, 20)]


def test_member_study_hours_and_requirements(db, sample, third) -> None:
    organizations.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2025, 1, 1))
    _new(db, sample, K.THEME_DAY, dt.date(2026, 2, 3), [
        AttendanceEntry(sample.secretary, S.PRESENT), AttendanceEntry(third, S.PRESENT),
        AttendanceEntry(sample.probationary, S.LEAVE, "病假")], study_hours_tenths=25)
    _new(db, sample, K.STUDY, dt.date(2026, 4, 3), [
        AttendanceEntry(sample.secretary, S.PRESENT), AttendanceEntry(third, S.ABSENT),
        AttendanceEntry(sample.probationary, S.PRESENT)], study_hours_tenths=30)
    _new(db, sample, K.STUDY, dt.date(2025, 4, 3), [AttendanceEntry(third, S.PRESENT)], study_hours_tenths=40)
    _new(db, sample, K.STUDY, TODAY + dt.timedelta(days=3), status="planned", study_hours_tenths=40)
    found = {m.name: m for m in activities.member_study(db, sample.committee, 2026)}
    assert set(found) == {"王建国", "孙丽", "李晓梅", "赵志强"}
    wang, sun, li, zhao = found["王建国"], found["孙丽"], found["李晓梅"], found["赵志强"]
    assert (wang.expected, wang.attended, wang.hours_tenths, wang.required_tenths, wang.gap_tenths,
            wang.committee) == (2, 2, 55, 560, 505, True)
    assert (sun.expected, sun.attended, sun.hours_tenths, sun.required_tenths, sun.gap_tenths) == (2, 1, 25, 320, 295)
    assert (li.expected, li.attended, li.hours_tenths, li.rate) == (2, 1, 30, 0.5)
    assert (zhao.expected, zhao.rate, zhao.hours_tenths, zhao.branch_name) == (0, None, 0, "业务科党支部")
    assert {m.name: m.hours_tenths for m in activities.member_study(db, sample.branch, 2025)}["孙丽"] == 40
    # Behind pace on 23 November (≈ 90% of the year gone): everybody here, the most behind first.
    assert [m.name for m in activities.behind_pace(db, sample.branch, TODAY)] == ["王建国", "孙丽", "李晓梅"]
    assert activities.monthly_attendance(db, sample.branch, 2026) == [
        None, 2 / 3, None, 2 / 3, None, None, None, None, None, None, None, None]


def test_a_member_owes_no_hours_for_a_year_before_joining(db, sample) -> None:
    """李晓梅 was admitted on 10 January 2026: 2025 is not hers; one admitted on 31 December 2025 owes 2025."""
    members.create(db, sample.branch, member_data("周敏", joined_on=dt.date(2025, 12, 31), full_on=None,
                                                  standing=Standing.PROBATIONARY), today=TODAY)
    in_2025 = {m.name: m for m in activities.member_study(db, sample.committee, 2025)}
    assert set(in_2025) == {"王建国", "周敏", "赵志强"}
    assert (in_2025["周敏"].required_tenths, in_2025["周敏"].gap_tenths) == (320, 320)
    in_2026 = {m.name for m in activities.member_study(db, sample.committee, 2026)}
    assert in_2026 == {"王建国", "李晓梅", "周敏", "赵志强"}
    assert "李晓梅" not in {m.name for m in activities.behind_pace(db, sample.committee, dt.date(2025, 12, 1))}


def test_a_scope_s_own_lines_total_as_the_year_s_pass(db, sample, third) -> None:
    """member_study reads a small scope's members' own lines, a large one's year: both give the same totals."""
    other = members.create(db, sample.branch, member_data("郑华"), today=TODAY)
    _new(db, sample, K.STUDY, dt.date(2026, 3, 5), [
        AttendanceEntry(sample.secretary, S.PRESENT), AttendanceEntry(third, S.ABSENT),
        AttendanceEntry(sample.probationary, S.LEAVE, "病假"), AttendanceEntry(other, S.OBSERVER)],
        study_hours_tenths=20)
    lecture = _new(db, sample, K.LECTURE, dt.date(2026, 4, 5), [
        AttendanceEntry(sample.secretary, S.PRESENT), AttendanceEntry(third, S.ABSENT)], study_hours_tenths=15)
    activities.make_up(db, lecture, third, dt.date(2026, 4, 9), today=TODAY)
    _new(db, sample, K.STUDY, dt.date(2025, 3, 5), [AttendanceEntry(third, S.PRESENT)], study_hours_tenths=40)
    ids = [sample.secretary, third, sample.probationary, other]
    by_lines = sorted(activity_store.member_totals(db, "2026-01-01", "2026-12-31", ids))
    assert by_lines == [(sample.secretary, 2, 2, 35), (sample.probationary, 1, 0, 0), (third, 2, 1, 15),
                        (other, 0, 0, 0)]  # 郑华 only 列席: listed, expected nowhere
    assert sorted(activity_store.member_totals(db, "2026-01-01", "2026-12-31")) == by_lines


def _year_2025(db, sample) -> None:
    """The fixture of the hand-computed compliance test (see test_compliance_counts)."""
    for month in (1, 2, 3, 5):
        _new(db, sample, K.THEME_DAY, dt.date(2025, month, 8))
    _new(db, sample, K.THEME_DAY, dt.date(2025, 4, 8), status="planned")  # planned, never held: not counted
    for on in (dt.date(2025, 1, 6), dt.date(2025, 2, 3), dt.date(2025, 2, 24)):
        _new(db, sample, K.COMMITTEE_MEETING, on)
    _new(db, sample, K.GROUP_MEETING, dt.date(2025, 1, 20), group_id=sample.group)
    _new(db, sample, K.GENERAL_MEETING, dt.date(2025, 2, 14))
    _new(db, sample, K.GENERAL_MEETING, dt.date(2025, 8, 14))
    _new(db, sample, K.LECTURE, dt.date(2025, 3, 20))
    _new(db, sample, K.LECTURE, dt.date(2025, 7, 20))
    _new(db, sample, K.LIFE_MEETING, dt.date(2025, 12, 20))
    _new(db, sample, K.STUDY, dt.date(2025, 6, 20))  # no requirement for study: not counted anywhere


def test_compliance_counts(db, sample) -> None:
    _year_2025(db, sample)
    found = {c.kind: c for c in activities.compliance(db, sample.branch, 2025, TODAY)}
    assert list(found) == [K.GENERAL_MEETING, K.COMMITTEE_MEETING, K.GROUP_MEETING, K.LECTURE, K.THEME_DAY,
                           K.LIFE_MEETING, K.EVALUATION_MEETING]

    def cells(kind):
        return [(c.held, c.required, c.state) for c in found[kind].periods]

    assert cells(K.GENERAL_MEETING) == [(1, 1, "met"), (0, 1, "missing"), (1, 1, "met"), (0, 1, "missing")]
    assert cells(K.LECTURE) == [(1, 1, "met"), (0, 1, "missing"), (1, 1, "met"), (0, 1, "missing")]
    assert cells(K.COMMITTEE_MEETING)[:3] == [(1, 1, "met"), (2, 1, "met"), (0, 1, "missing")]
    assert [c[0] for c in cells(K.THEME_DAY)] == [1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert cells(K.GROUP_MEETING)[:2] == [(1, 1, "met"), (0, 1, "missing")]
    assert cells(K.LIFE_MEETING) == [(1, 1, "met")]
    assert cells(K.EVALUATION_MEETING) == [(0, 1, "missing")]
    assert found[K.LECTURE].missing == 2
    assert found[K.LECTURE].periods[1].period == Period(2025, quarter=2)

    row = next(r for r in activities.compliance_matrix(db, sample.committee, 2025, TODAY)
               if r.branch_id == sample.branch)
    # Each month: 主题党日 + 支委会 + 党小组会 (one group); quarter ends add 大会 and 党课; December adds
    # 组织生活会 and 民主评议. Held counts only toward what is required (February's second 支委会 is extra).
    assert [(c.required, c.held, c.state) for c in row.months] == [
        (3, 3, "met"), (3, 2, "missing"), (5, 3, "missing"), (3, 0, "missing"), (3, 1, "missing"),
        (5, 0, "missing"), (3, 0, "missing"), (3, 0, "missing"), (5, 2, "missing"), (3, 0, "missing"),
        (3, 0, "missing"), (7, 1, "missing")]
    # 业务科党支部 has no 党小组: no 党小组会 is required of it.
    other = next(r for r in activities.compliance_matrix(db, sample.committee, 2025, TODAY)
                 if r.branch_id == sample.other_branch)
    assert [c.required for c in other.months] == [2, 2, 4, 2, 2, 4, 2, 2, 4, 2, 2, 6]
    assert K.GROUP_MEETING not in {c.kind for c in activities.compliance(db, sample.other_branch, 2025, TODAY)}


def test_a_quarter_without_a_lecture_is_flagged_until_one_is_added(db, sample) -> None:
    _year_2025(db, sample)

    def q2():
        lecture = next(c for c in activities.compliance(db, sample.branch, 2025, TODAY) if c.kind is K.LECTURE)
        return lecture.periods[1].state

    assert q2() == "missing"
    _new(db, sample, K.LECTURE, dt.date(2025, 5, 16))
    assert q2() == "met"
    june = activities.compliance_matrix(db, sample.branch, 2025, TODAY)[0].months[5]
    assert (june.required, june.held) == (5, 1)


def test_current_year_states_and_due_now(db, sample) -> None:
    _new(db, sample, K.THEME_DAY, dt.date(2026, 11, 3))
    _new(db, sample, K.LECTURE, dt.date(2026, 10, 3))
    row = next(r for r in activities.compliance_matrix(db, sample.committee, 2026, TODAY)
               if r.branch_id == sample.branch)
    assert [c.state for c in row.months[9:]] == ["missing", "open", "future"]
    due = {(m.branch_name, m.kind, m.period.key) for m in activities.due_now(db, sample.committee, TODAY)}
    assert ("办公室党支部", K.COMMITTEE_MEETING, "2026-11") in due
    assert ("办公室党支部", K.GROUP_MEETING, "2026-11") in due
    assert ("办公室党支部", K.GENERAL_MEETING, "2026-Q4") in due
    assert ("办公室党支部", K.LIFE_MEETING, "2026") in due
    assert ("办公室党支部", K.THEME_DAY, "2026-11") not in due  # held on 3 November
    assert ("办公室党支部", K.LECTURE, "2026-Q4") not in due
    assert ("业务科党支部", K.THEME_DAY, "2026-11") in due
    assert ("业务科党支部", K.GROUP_MEETING, "2026-11") not in due  # no groups


def test_rules_are_editable_and_used(db, sample) -> None:
    assert activities.load_rules(db) == DEFAULT_RULES
    edited = ActivityRules({K.LECTURE: Requirement(2, "quarter"), K.STUDY: Requirement(1, "month")}, 400, 600)
    activities.save_rules(db, edited)
    assert activities.load_rules(db) == edited
    entry = audit.entries(db, limit=1)[0]
    assert entry.label == "会议活动规则" and "党课" in entry.fields and "党员学时要求" in entry.fields
    _new(db, sample, K.LECTURE, dt.date(2025, 2, 1))
    kinds = activities.compliance(db, sample.branch, 2025, TODAY)
    assert [(k.kind, k.periods[0].held, k.periods[0].required, k.periods[0].state) for k in kinds] == [
        (K.LECTURE, 1, 2, "missing"), (K.STUDY, 0, 1, "missing")]
    assert {m.required_tenths for m in activities.member_study(db, sample.branch, 2025)} == {400}
    with pytest.raises(ValidationError, match="学时要求不能为负数"):
        activities.save_rules(db, ActivityRules({}, -1, 560))
    db.conn.execute("UPDATE settings SET value = 'not json' WHERE key = ?", (activities.RULES_KEY,))
    assert activities.load_rules(db) == DEFAULT_RULES


def test_attachments_are_copied_and_a_missing_one_is_shown(db, sample, tmp_path: Path) -> None:
    activity_id = _new(db, sample, K.THEME_DAY, dt.date(2026, 3, 5))
    photo = tmp_path / "合影.jpg"
    photo.write_bytes(b"jpeg")
    sheet = tmp_path / "签到表.pdf"
    sheet.write_bytes(b"pdf")
    first = activities.add_attachment(db, activity_id, photo, "photo")
    activities.add_attachment(db, activity_id, sheet, "sign_in")
    photo.unlink()  # the copy is kept beside the database
    kept = activities.get(db, activity_id).attachments
    assert [(a.kind_label, a.original_name, a.missing) for a in kept] == [("照片", "合影.jpg", False),
                                                                          ("签到表", "签到表.pdf", False)]
    assert kept[0].path.read_bytes() == b"jpeg" and kept[0].path.parent.parent.name.endswith("-附件")
    kept[1].path.unlink()
    assert [a.missing for a in activities.get(db, activity_id).attachments] == [False, True]
    activities.remove_attachment(db, first)
    assert [a.original_name for a in activities.get(db, activity_id).attachments] == ["签到表.pdf"]
    assert not kept[0].path.exists()
    with pytest.raises(ServiceError, match="找不到文件"):
        activities.add_attachment(db, activity_id, tmp_path / "nothing.jpg")
    with pytest.raises(ServiceError, match="未知的附件类型"):
        activities.add_attachment(db, activity_id, sheet, "video")


def test_delete_goes_to_the_bin_with_attendance_and_attachments(db, sample, third, tmp_path: Path) -> None:
    activity_id = _new(db, sample, K.THEME_DAY, dt.date(2026, 3, 5), [AttendanceEntry(third, S.PRESENT)])
    photo = tmp_path / "合影.jpg"
    photo.write_bytes(b"jpeg")
    activities.add_attachment(db, activity_id, photo, "photo")
    kept = activities.get(db, activity_id).attachments[0].path
    activities.delete(db, activity_id)
    assert activities.list_activities(db, sample.branch) == []
    assert db.count("attendance") == 0 and db.count("activity_attachments") == 0
    entry = recycle.entries(db)[0]
    assert entry.kind_label == "会议活动" and entry.contents == "出席记录 1 条、附件 1 条"
    assert kept.exists()  # until the entry is purged
    recycle.restore(db, entry.id)
    got = activities.get(db, activity_id)
    assert [a.name for a in got.attendance] == ["孙丽"] and not got.attachments[0].missing
    activities.delete(db, activity_id)
    recycle.purge(db, recycle.entries(db)[0].id)
    assert not kept.exists()


def test_deleting_a_member_takes_their_attendance_along(db, sample, third) -> None:
    activity_id = _new(db, sample, K.THEME_DAY, dt.date(2026, 3, 5), [
        AttendanceEntry(third, S.PRESENT), AttendanceEntry(sample.secretary, S.PRESENT)])
    members.delete(db, third)
    assert [a.name for a in activities.get(db, activity_id).attendance] == ["王建国"]
    recycle.restore(db, recycle.entries(db)[0].id)
    assert {a.name for a in activities.get(db, activity_id).attendance} == {"王建国", "孙丽"}


def test_a_handover_package_carries_activities_and_their_files(db, sample, third, tmp_path: Path) -> None:
    activity_id = _new(db, sample, K.LECTURE, dt.date(2026, 3, 5), [
        AttendanceEntry(third, S.MADE_UP, "出差", dt.date(2026, 3, 9)),
        AttendanceEntry(sample.secretary, S.PRESENT)], study_hours_tenths=20, group_id=None)
    photo = tmp_path / "合影.jpg"
    photo.write_bytes(b"jpeg")
    activities.add_attachment(db, activity_id, photo, "photo")
    package = tmp_path / "p.bdpkg"
    manifest = handover.export_package(db, sample.committee, package)
    assert manifest["counts"]["activities"] == 1 and manifest["counts"]["attendance"] == 2
    assert manifest["counts"]["activity_attachments"] == 1 and manifest["counts"]["attachments"] == 1
    (tmp_path / "target").mkdir()
    target = open_database(tmp_path / "target" / "t.sqlite")
    try:
        result = handover.import_package(target, package)
        assert result["counts"]["attendance"]["added"] == 2 and result["attachments"] == 1
        root = target.conn.execute("SELECT id FROM organizations WHERE parent_id IS NULL").fetchone()[0]
        [row] = activities.list_activities(target, root)
        got = activities.get(target, row.id)
        assert (got.data.topic, got.branch_name, row.made_up, row.present) == ("党课主题", "办公室党支部", 1, 1)
        assert got.attachments[0].path.read_bytes() == b"jpeg" and not got.attachments[0].missing
        again = handover.import_package(target, package)
        assert again["counts"]["activities"]["added"] == 0 and again["attachments"] == 0
    finally:
        target.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    database = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    demo.build(database, "small", seed=1, today=TODAY)
    yield database
    database.close()


def test_demo_meetings_have_realistic_gaps(demo_db) -> None:
    db = demo_db
    root = organizations.outline(db)[0][1].id
    branches = [o for _d, o in organizations.outline(db, root) if o.kind is OrgKind.BRANCH]
    rows = activities.list_activities(db, root)
    # Two full years before this one, and this year to date (with the coming month planned).
    assert {r.held_on.year for r in rows} == {TODAY.year - 2, TODAY.year - 1, TODAY.year}
    assert min(r.held_on for r in rows) < dt.date(TODAY.year - 2, 1, 20)
    planned = [r for r in rows if r.status == "planned"]
    assert planned and all(TODAY < r.held_on <= TODAY + dt.timedelta(days=30) for r in planned)
    assert all(r.expected == r.observer == 0 for r in planned)
    assert all(r.held_on <= TODAY and r.expected > 0 for r in rows if r.status == "held")
    # The deliberate gaps: last year's second-quarter 党课 of the first branch, last August's 支委会 of
    # the third, last month's 主题党日 of the fourth.
    last = TODAY.year - 1
    lecture = next(k for k in activities.compliance(db, branches[0].id, last, TODAY) if k.kind is K.LECTURE)
    assert lecture.periods[1].state == "missing"
    committee = next(k for k in activities.compliance(db, branches[2].id, last, TODAY)
                     if k.kind is K.COMMITTEE_MEETING)
    assert committee.periods[7].state == "missing"
    theme = next(k for k in activities.compliance(db, branches[3].id, TODAY.year, TODAY) if k.kind is K.THEME_DAY)
    assert theme.periods[TODAY.month - 2].state == "missing"
    # …and most requirements met: a few missing cells in the heatmap, not a red sheet.
    cells = [c for r in activities.compliance_matrix(db, root, last, TODAY) for c in r.months]
    assert 0 < sum(c.state == "missing" for c in cells) < len(cells) / 4
    # Attendance: mostly present, some on leave or absent, some made up, observers only at 支委会.
    statuses = dict.fromkeys(S, 0)
    for r in rows:
        statuses[S.PRESENT] += r.present
        statuses[S.LEAVE] += r.leave
        statuses[S.ABSENT] += r.absent
        statuses[S.MADE_UP] += r.made_up
        statuses[S.OBSERVER] += r.observer
        assert r.observer == 0 or r.kind is K.COMMITTEE_MEETING
    total = sum(statuses.values())
    assert statuses[S.PRESENT] > 0.8 * total
    assert min(statuses[S.LEAVE], statuses[S.ABSENT], statuses[S.MADE_UP], statuses[S.OBSERVER]) > 0
    lectures = [r for r in rows if r.kind is K.LECTURE and r.status == "held"]
    assert any(r.lecturer_is_leader for r in lectures) and not all(r.lecturer_is_leader for r in lectures)
    # Members' hours: most meet the 32 学时 of last year, some fall short.
    study = activities.member_study(db, root, last)
    short = [m for m in study if m.gap_tenths > 0]
    assert 0 < len(short) < len(study) / 3


def test_demo_records_pass_the_rules_and_list_the_expected(demo_db) -> None:
    db = demo_db
    root = organizations.outline(db)[0][1].id
    rows = activities.list_activities(db, root)
    for r in rows[::23]:  # a spread of them, every kind
        got = activities.get(db, r.id)
        assert rules.validate(got.data, TODAY) == [], got.label
        for line in got.attendance:
            entry = AttendanceEntry(line.member_id, line.status, line.reason, line.made_up_on)
            assert rules.attendance_problem(entry, got.data.held_on, TODAY) is None, (got.label, line)
        if r.status == "held" and r.kind is not K.COMMITTEE_MEETING:
            expected = activities.expected_attendees(db, r.branch_id, r.kind, got.data.group_id, r.held_on)
            assert {a.member_id for a in expected} == {a.member_id for a in got.attendance
                                                      if a.status is not S.OBSERVER}, got.label


def test_a_package_from_before_meetings_still_imports(db, sample, tmp_path: Path) -> None:
    """A package written before the meeting tables existed has no data/activities.json and its manifest lists
    none: it imports, with no meetings."""
    import hashlib
    import json
    import zipfile

    package = tmp_path / "p.bdpkg"
    handover.export_package(db, sample.committee, package)
    later = {"data/activities.json", "data/attendance.json", "data/activity_attachments.json"}
    old = tmp_path / "old.bdpkg"
    with zipfile.ZipFile(package) as src:
        files = {n: src.read(n) for n in src.namelist() if n not in later}
    manifest = json.loads(files["manifest.json"])
    manifest["checksums"] = {n: v for n, v in manifest["checksums"].items() if n not in later}
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    files["manifest.sha256"] = f"{hashlib.sha256(files['manifest.json']).hexdigest()}  manifest.json\n".encode()
    with zipfile.ZipFile(old, "w") as dst:
        for name, data in files.items():
            dst.writestr(name, data)
    (tmp_path / "target").mkdir()
    target = open_database(tmp_path / "target" / "t.sqlite")
    try:
        result = handover.import_package(target, old)
        assert result["counts"]["members"]["added"] == 3
        assert result["counts"]["activities"] == {"added": 0, "updated": 0, "unchanged": 0}
    finally:
        target.close()


def test_a_branch_with_meetings_is_not_deleted(db, sample) -> None:
    _new(db, sample, K.THEME_DAY, dt.date(2026, 3, 5), study_hours_tenths=20)
    [someone] = members.list_members(db, sample.other_branch)
    members.delete(db, someone.id)
    meeting = activities.create(db, ActivityData(sample.other_branch, K.COMMITTEE_MEETING, dt.date(2026, 3, 6),
                                                    topic="研究工作"), [], today=TODAY)
    with pytest.raises(ServiceError, match=r"业务科党支部.*还有 1 次会议和学习记录"):
        organizations.delete(db, sample.other_branch)
    assert organizations.get(db, sample.other_branch).name == "业务科党支部"
    activities.delete(db, meeting)
    organizations.delete(db, sample.other_branch)
    assert all(o.id != sample.other_branch for o in organizations.tree(db))
