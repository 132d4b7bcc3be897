"""Rules of meetings and study: kinds, attendance marks, quorum, hours, requirements, validation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain import activities as rules
from branchdesk.domain.activities import (
    DEFAULT_RULES,
    STUDY_KINDS,
    ActivityData,
    ActivityKind,
    ActivityRules,
    AttendanceEntry,
    AttendanceStatus,
    Requirement,
)
from branchdesk.domain.periods import Period

TODAY = dt.date(2026, 11, 23)


def test_kinds_and_statuses_read_in_chinese() -> None:
    assert [k.label for k in ActivityKind] == [
        "支部党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会", "民主评议党员", "理论学习", "读书班",
        "专题培训", "其他"]
    assert [(s.label, s.mark) for s in AttendanceStatus] == [
        ("出席", "✓"), ("请假", "假"), ("缺席", "缺"), ("列席", "列"), ("补学", "补")]
    assert {s for s in AttendanceStatus if s.counts_as_attended} == {AttendanceStatus.PRESENT, AttendanceStatus.MADE_UP}
    assert [s for s in AttendanceStatus if not s.expected] == [AttendanceStatus.OBSERVER]
    assert ActivityKind.LECTURE in STUDY_KINDS and ActivityKind.COMMITTEE_MEETING not in STUDY_KINDS


def test_who_is_expected_follows_the_kind() -> None:
    assert ActivityKind.COMMITTEE_MEETING.attendees == "committee"
    assert ActivityKind.GROUP_MEETING.attendees == "group"
    assert {k.attendees for k in ActivityKind} - {"committee", "group"} == {"branch"}


def test_default_rules_are_design_section_3() -> None:
    r = DEFAULT_RULES.required
    assert r[ActivityKind.GENERAL_MEETING] == Requirement(1, "quarter")
    assert r[ActivityKind.COMMITTEE_MEETING] == Requirement(1, "month")
    assert r[ActivityKind.GROUP_MEETING] == Requirement(1, "month", per_group=True)
    assert r[ActivityKind.LECTURE] == Requirement(1, "quarter")
    assert r[ActivityKind.THEME_DAY] == Requirement(1, "month")
    assert r[ActivityKind.LIFE_MEETING] == Requirement(1, "year")
    assert r[ActivityKind.EVALUATION_MEETING] == Requirement(1, "year")
    assert ActivityKind.STUDY not in r
    assert DEFAULT_RULES.required_hours_tenths(committee=False) == 320
    assert DEFAULT_RULES.required_hours_tenths(committee=True) == 560
    assert Requirement(1, "month", per_group=True).label == "每个党小组每月至少1次"
    assert Requirement(2, "quarter").label == "每季度至少2次"


def test_rules_round_trip_through_json_and_bad_json_is_refused() -> None:
    edited = ActivityRules({ActivityKind.LECTURE: Requirement(2, "quarter"),
                            ActivityKind.GROUP_MEETING: Requirement(1, "month", per_group=True)}, 400, 600)
    assert ActivityRules.from_json(edited.to_json()) == edited
    assert ActivityRules.from_json(DEFAULT_RULES.to_json()) == DEFAULT_RULES
    for bad in ("", "{}", "[1]", '{"required": {"party": {"count": 1, "per": "month"}}, '
                '"member_hours_tenths": 1, "committee_hours_tenths": 1}',
                '{"required": {"lecture": {"count": 1, "per": "week"}}, "member_hours_tenths": 1, '
                '"committee_hours_tenths": 1}',
                '{"required": {}, "member_hours_tenths": -1, "committee_hours_tenths": 1}'):
        with pytest.raises(ValueError):
            ActivityRules.from_json(bad)
    with pytest.raises(ValueError):
        Requirement(-1, "month")


def test_quorum_needs_more_than_half() -> None:
    assert rules.quorum_reached(3, 5)
    assert not rules.quorum_reached(2, 4)  # exactly half is not enough
    assert rules.quorum_reached(3, 4)
    assert not rules.quorum_reached(0, 0)
    assert rules.quorum_reached(1, 1)


@given(st.integers(0, 500), st.integers(0, 500))
def test_quorum_is_more_than_half(present: int, total: int) -> None:
    if present <= total:
        assert rules.quorum_reached(present, total) == (present > total / 2)


def test_hours_are_written_and_read_in_tenths() -> None:
    assert [rules.format_hours(t) for t in (0, 5, 10, 15, 20, 560)] == ["0", "0.5", "1", "1.5", "2", "56"]
    assert [rules.parse_hours(t) for t in ("2", "1.5", " 0.5 ", "", "3.0", "1。5")] == [20, 15, 5, 0, 30, 15]
    with pytest.raises(ValueError, match="不能为负数"):
        rules.parse_hours("-1")
    for bad in ("1.25", "abc", "1,5.5", "2小时"):
        with pytest.raises(ValueError, match="最多一位小数"):
            rules.parse_hours(bad)


@given(st.integers(0, 99999))
def test_hours_round_trip(tenths: int) -> None:
    assert rules.parse_hours(rules.format_hours(tenths)) == tenths


def _data(**overrides) -> ActivityData:
    values = dict(org_id=1, kind=ActivityKind.THEME_DAY, held_on=dt.date(2026, 11, 2), topic="重温入党誓词")
    values.update(overrides)
    return ActivityData(**values)


def _messages(data: ActivityData) -> dict[str, str]:
    return {e.field: e.message for e in rules.validate(data, TODAY)}


def test_a_complete_record_passes() -> None:
    assert rules.validate(_data(), TODAY) == []
    assert rules.validate(_data(kind=ActivityKind.LECTURE, lecturer="王建国", study_hours_tenths=20,
                                starts_at="14:30", ends_at="16:30"), TODAY) == []
    assert rules.validate(_data(kind=ActivityKind.GROUP_MEETING, group_id=4), TODAY) == []


def test_validation_messages() -> None:
    assert _messages(_data(topic="  ")) == {"topic": "不能为空"}
    assert _messages(_data(kind=ActivityKind.GROUP_MEETING)) == {"group_id": "党小组会须选择党小组"}
    assert _messages(_data(group_id=4)) == {"group_id": "只有党小组会选择党小组"}
    assert _messages(_data(study_hours_tenths=-5)) == {"study_hours_tenths": "不能为负数"}
    assert _messages(_data(held_on=None)) == {"held_on": "不能为空"}
    assert _messages(_data(starts_at="25:00")) == {"starts_at": "应为 时:分，如 14:30"}
    assert _messages(_data(starts_at="15:00", ends_at="14:00")) == {"ends_at": "应晚于开始时间"}
    assert _messages(_data(kind=ActivityKind.LECTURE)) == {"lecturer": "已召开的党课须填写授课人"}
    assert _messages(_data(lecturer="王建国")) == {"lecturer": "只有党课填写授课人"}
    assert _messages(_data(kind="party")) == {"kind": "请选择活动类型"}


def test_held_in_the_future_is_refused_but_planned_is_fine() -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    assert "held_on" in _messages(_data(held_on=tomorrow))
    assert _messages(_data(held_on=TODAY)) == {}
    assert _messages(_data(held_on=tomorrow, status="planned")) == {}
    assert _messages(_data(held_on=dt.date(2025, 1, 5), status="planned")) == {}  # a plan never held stays
    assert _messages(_data(kind=ActivityKind.LECTURE, held_on=tomorrow, status="planned")) == {}


def test_attendance_lines() -> None:
    held = dt.date(2026, 11, 2)
    problem = rules.attendance_problem
    assert problem(AttendanceEntry(1, AttendanceStatus.PRESENT), held, TODAY) is None
    assert problem(AttendanceEntry(1, AttendanceStatus.LEAVE), held, TODAY) == "请假须填写原因"
    assert problem(AttendanceEntry(1, AttendanceStatus.LEAVE, "出差"), held, TODAY) is None
    assert problem(AttendanceEntry(1, AttendanceStatus.MADE_UP), held, TODAY) == "补学须填写补学日期"
    assert problem(AttendanceEntry(1, AttendanceStatus.MADE_UP, "", held - dt.timedelta(days=1)), held,
                   TODAY) == "补学日期不能早于活动日期"
    assert problem(AttendanceEntry(1, AttendanceStatus.MADE_UP, "", TODAY + dt.timedelta(days=1)), held,
                   TODAY) == "补学日期不能晚于今天"
    assert problem(AttendanceEntry(1, AttendanceStatus.MADE_UP, "", held), held, TODAY) is None
    assert problem(AttendanceEntry(1, AttendanceStatus.ABSENT, "", held), held, TODAY) == "只有补学填写补学日期"


def test_period_states() -> None:
    q3, q4, next_year = Period(2026, quarter=3), Period(2026, quarter=4), Period(2027)
    assert rules.period_state(q3, 1, 1, TODAY) == "met"
    assert rules.period_state(q3, 0, 1, TODAY) == "missing"
    assert rules.period_state(q4, 0, 1, TODAY) == "open"
    assert rules.period_state(q4, 2, 1, TODAY) == "met"
    assert rules.period_state(next_year, 0, 1, TODAY) == "future"
    # The last day of a period is still open; the day after, it is missing.
    november = Period(2026, month=11)
    assert rules.period_state(november, 0, 1, dt.date(2026, 11, 30)) == "open"
    assert rules.period_state(november, 0, 1, dt.date(2026, 12, 1)) == "missing"
    assert rules.combined_state(["met", "open", "missing"]) == "missing"
    assert rules.combined_state(["met", "future"]) == "future"
    assert rules.combined_state(["met", "open", "future"]) == "open"
    assert rules.combined_state([]) == "met"


def test_study_pace() -> None:
    assert rules.year_share(2026, dt.date(2025, 12, 31)) == 0
    assert rules.year_share(2026, dt.date(2026, 12, 31)) == 1
    assert rules.year_share(2026, dt.date(2026, 7, 2)) == pytest.approx(183 / 365)
    # 23 November: 327 of 365 days gone, so 32 学时 × 327/365 ≈ 28.7 are due by now.
    assert rules.behind_pace(286, 320, 2026, TODAY)
    assert not rules.behind_pace(287, 320, 2026, TODAY)
    assert not rules.behind_pace(0, 320, 2026, dt.date(2025, 12, 31))
    assert rules.rate(3, 4) == 0.75 and rules.rate(0, 0) is None
