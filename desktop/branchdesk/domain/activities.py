"""Meetings and study (三会一课, 主题党日, 组织生活会, 民主评议, 学习培训): kinds, attendance, the rules
of how often each is held, quorum and study hours.

Rule sources (design.md §3; every default is editable in Settings since local rules differ):
- 中国共产党支部工作条例（试行）(2018) art. 15: 支部党员大会 at least once a quarter, 支委会 at least once a
  month, 党小组会 at least once a month (per group), 党课 at least once a quarter.
- 中国共产党党员教育管理工作条例 (2019) art. 16: 主题党日 once a month; art. 17: 组织生活会 at least once a
  year; art. 18: 民主评议党员 once a year; art. 20 and the 2019–2023 全国党员教育培训工作规划: members
  at least 32 学时 a year, secretaries and committee members at least 56.
- 支部党员大会 decisions need more than half of the members with a vote present (支部工作条例 art. 15;
  党章 art. 5 for admissions): probationary members have no vote (党章 art. 7).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .fields import FieldError
from .periods import Period


class ActivityKind(StrEnum):
    GENERAL_MEETING = "general_meeting"
    COMMITTEE_MEETING = "committee_meeting"
    GROUP_MEETING = "group_meeting"
    LECTURE = "lecture"
    THEME_DAY = "theme_day"
    LIFE_MEETING = "life_meeting"
    EVALUATION_MEETING = "evaluation_meeting"
    STUDY = "study"
    READING_CLASS = "reading_class"
    TRAINING = "training"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def attendees(self) -> str:
        """Who is expected: "committee" (支委会), "group" (党小组会) or "branch" (everything else)."""
        if self is ActivityKind.COMMITTEE_MEETING:
            return "committee"
        if self is ActivityKind.GROUP_MEETING:
            return "group"
        return "branch"


_KIND_LABELS = {
    ActivityKind.GENERAL_MEETING: "支部党员大会",
    ActivityKind.COMMITTEE_MEETING: "支委会",
    ActivityKind.GROUP_MEETING: "党小组会",
    ActivityKind.LECTURE: "党课",
    ActivityKind.THEME_DAY: "主题党日",
    ActivityKind.LIFE_MEETING: "组织生活会",
    ActivityKind.EVALUATION_MEETING: "民主评议党员",
    ActivityKind.STUDY: "理论学习",
    ActivityKind.READING_CLASS: "读书班",
    ActivityKind.TRAINING: "专题培训",
    ActivityKind.OTHER: "其他",
}

# Study sessions for the 学习考勤表: the 党课 and the study kinds, and 主题党日, whose fixed content is
# collective study (党员教育管理工作条例 art. 16: 主题党日 "组织党员集中学习"). Meetings that decide
# (大会, 支委会, 小组会, 生活会, 评议) are not study sessions even when they carry some study hours.
STUDY_KINDS = frozenset({ActivityKind.LECTURE, ActivityKind.THEME_DAY, ActivityKind.STUDY,
                         ActivityKind.READING_CLASS, ActivityKind.TRAINING})


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LEAVE = "leave"
    ABSENT = "absent"
    OBSERVER = "observer"
    MADE_UP = "made_up"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self][0]

    @property
    def mark(self) -> str:
        """The sign on an attendance sheet: ✓ 假 缺 列 补."""
        return _STATUS_LABELS[self][1]

    @property
    def counts_as_attended(self) -> bool:
        """Attended and credited the hours: present, or made up (补学) afterwards."""
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.MADE_UP)

    @property
    def expected(self) -> bool:
        """Counted among those expected (an observer, 列席, was not expected)."""
        return self is not AttendanceStatus.OBSERVER


_STATUS_LABELS = {
    AttendanceStatus.PRESENT: ("出席", "✓"),
    AttendanceStatus.LEAVE: ("请假", "假"),
    AttendanceStatus.ABSENT: ("缺席", "缺"),
    AttendanceStatus.OBSERVER: ("列席", "列"),
    AttendanceStatus.MADE_UP: ("补学", "补"),
}

PERS = ("month", "quarter", "year")
_PER_LABELS = {"month": "每月", "quarter": "每季度", "year": "每年"}


@dataclass(frozen=True)
class Requirement:
    """At least `count` held per `per` ("month" / "quarter" / "year"); per group when `per_group`."""

    count: int
    per: str
    per_group: bool = False

    def __post_init__(self) -> None:
        if self.per not in PERS:
            raise ValueError(f"未知的周期：{self.per}")
        if self.count < 0:
            raise ValueError("次数不能为负数")

    @property
    def label(self) -> str:
        """"每月至少1次" / "每个党小组每月至少1次"."""
        who = "每个党小组" if self.per_group else ""
        return f"{who}{_PER_LABELS[self.per]}至少{self.count}次"

    def periods(self, year: int) -> list[Period]:
        if self.per == "month":
            return [Period(year, month=m) for m in range(1, 13)]
        if self.per == "quarter":
            return [Period(year, quarter=q) for q in range(1, 5)]
        return [Period(year)]


@dataclass(frozen=True)
class ActivityRules:
    required: dict[ActivityKind, Requirement]
    member_hours_tenths: int = 320
    committee_hours_tenths: int = 560

    def required_hours_tenths(self, committee: bool) -> int:
        """The yearly study hours a member owes: more for secretaries and committee members."""
        return self.committee_hours_tenths if committee else self.member_hours_tenths

    def to_json(self) -> str:
        return json.dumps({
            "required": {k.value: {"count": r.count, "per": r.per, "per_group": r.per_group}
                         for k, r in self.required.items()},
            "member_hours_tenths": self.member_hours_tenths,
            "committee_hours_tenths": self.committee_hours_tenths,
        }, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ActivityRules:
        """The rules `to_json` wrote; ValueError when the text is not such rules."""
        try:
            raw = json.loads(text)
            required = {ActivityKind(k): Requirement(int(v["count"]), str(v["per"]), bool(v.get("per_group", False)))
                        for k, v in raw["required"].items()}
            rules = cls(required, int(raw["member_hours_tenths"]), int(raw["committee_hours_tenths"]))
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"活动规则设置无法读取：{exc}") from exc
        if rules.member_hours_tenths < 0 or rules.committee_hours_tenths < 0:
            raise ValueError("学时要求不能为负数")
        return rules


# design.md §3 with the sources in the module docstring.
DEFAULT_RULES = ActivityRules(
    required={
        ActivityKind.GENERAL_MEETING: Requirement(1, "quarter"),
        ActivityKind.COMMITTEE_MEETING: Requirement(1, "month"),
        ActivityKind.GROUP_MEETING: Requirement(1, "month", per_group=True),
        ActivityKind.LECTURE: Requirement(1, "quarter"),
        ActivityKind.THEME_DAY: Requirement(1, "month"),
        ActivityKind.LIFE_MEETING: Requirement(1, "year"),
        ActivityKind.EVALUATION_MEETING: Requirement(1, "year"),
    },
    member_hours_tenths=320,
    committee_hours_tenths=560,
)


def quorum_reached(voting_present: int, voting_total: int) -> bool:
    """More than half of the members with a vote present (支部工作条例 art. 15). No voting members: no quorum."""
    return voting_total > 0 and voting_present * 2 > voting_total


def format_hours(tenths: int) -> str:
    """Tenths of a 学时 as people write them: 20 → "2", 15 → "1.5"."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


_HOURS = re.compile(r"^(\d{1,4})(?:\.(\d))?0*$")


def parse_hours(text: str) -> int:
    """"2", "1.5", "0.5" (学时) → tenths; ValueError with the message for the 学时 field for anything else
    (negative, more than one decimal). FieldError is a record, not an exception: the form wraps the message."""
    s = text.strip().replace("，", ".").replace("。", ".")
    if s == "":
        return 0
    m = _HOURS.match(s)
    if not m:
        message = "不能为负数" if s.startswith("-") else "应为不小于0的数，最多一位小数（如 1.5）"
        raise ValueError(message)
    return int(m.group(1)) * 10 + int(m.group(2) or 0)


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
STATUSES = ("planned", "held")
_STATUS_NAMES = {"planned": "计划", "held": "已召开"}


def status_label(status: str) -> str:
    return _STATUS_NAMES.get(status, status)


@dataclass
class ActivityData:
    """What a user enters for one meeting or study session of a branch (`org_id`)."""

    org_id: int
    kind: ActivityKind
    held_on: dt.date | None
    topic: str
    status: str = "held"
    group_id: int | None = None
    starts_at: str = ""
    ends_at: str = ""
    place: str = ""
    chair: str = ""
    recorder: str = ""
    agenda: str = ""
    minutes: str = ""
    decisions: str = ""
    study_hours_tenths: int = 0
    lecturer: str = ""
    lecturer_is_leader: bool = False
    note: str = ""


def _kind(value: object) -> ActivityKind | None:
    try:
        return ActivityKind(value)
    except ValueError:
        return None


def validate(data: ActivityData, today: dt.date) -> list[FieldError]:
    """Every problem with `data` alone, in the order of the form's fields (the branch, the group
    and the attendees are checked against the database by the service)."""
    errors: list[FieldError] = []
    kind = _kind(data.kind)
    if kind is None:
        errors.append(FieldError("kind", "请选择活动类型"))
    if data.status not in STATUSES:
        errors.append(FieldError("activity_status", "应为计划或已召开"))
    if data.held_on is None:
        errors.append(FieldError("held_on", "不能为空"))
    elif data.status == "held" and data.held_on > today:
        errors.append(FieldError("held_on", "已召开的活动日期不能晚于今天（尚未召开的请保存为计划）"))
    for name in ("starts_at", "ends_at"):
        value = getattr(data, name).strip()
        if value and not _TIME.match(value):
            errors.append(FieldError(name, "应为 时:分，如 14:30"))
    if (_TIME.match(data.starts_at.strip()) and _TIME.match(data.ends_at.strip())
            and data.ends_at.strip() <= data.starts_at.strip()):
        errors.append(FieldError("ends_at", "应晚于开始时间"))
    if not data.topic.strip():
        errors.append(FieldError("topic", "不能为空"))
    elif len(data.topic.strip()) > 200:
        errors.append(FieldError("topic", "不能超过200个字"))
    if kind is ActivityKind.GROUP_MEETING and data.group_id is None:
        errors.append(FieldError("group_id", "党小组会须选择党小组"))
    if kind is not None and kind is not ActivityKind.GROUP_MEETING and data.group_id is not None:
        errors.append(FieldError("group_id", "只有党小组会选择党小组"))
    if not isinstance(data.study_hours_tenths, int) or data.study_hours_tenths < 0:
        errors.append(FieldError("study_hours_tenths", "不能为负数"))
    elif data.study_hours_tenths > 240:
        errors.append(FieldError("study_hours_tenths", "一次活动不能超过24学时"))
    if kind is not ActivityKind.LECTURE and (data.lecturer.strip() or data.lecturer_is_leader):
        errors.append(FieldError("lecturer", "只有党课填写授课人"))
    elif kind is ActivityKind.LECTURE and data.status == "held" and not data.lecturer.strip():
        errors.append(FieldError("lecturer", "已召开的党课须填写授课人"))
    return errors


@dataclass(frozen=True)
class AttendanceEntry:
    member_id: int
    status: AttendanceStatus
    reason: str = ""
    made_up_on: dt.date | None = None


def attendance_problem(entry: AttendanceEntry, held_on: dt.date | None, today: dt.date) -> str | None:
    """What is wrong with one attendee's line, or None."""
    try:
        status = AttendanceStatus(entry.status)
    except ValueError:
        return "请选择出席情况"
    if status is AttendanceStatus.MADE_UP:
        if entry.made_up_on is None:
            return "补学须填写补学日期"
        if held_on is not None and entry.made_up_on < held_on:
            return "补学日期不能早于活动日期"
        if entry.made_up_on > today:
            return "补学日期不能晚于今天"
    elif entry.made_up_on is not None:
        return "只有补学填写补学日期"
    if status is AttendanceStatus.LEAVE and not entry.reason.strip():
        return "请假须填写原因"
    return None


def period_state(period: Period, held: int, required: int, today: dt.date) -> str:
    """"met"; "missing" (the period is over and the requirement was not met); "open" (under way, not yet
    met); "future" (not begun)."""
    if held >= required:
        return "met" if period.start <= today else "future"
    if period.end < today:
        return "missing"
    if period.start <= today:
        return "open"
    return "future"


def combined_state(states: Iterable[str]) -> str:
    """The state of several requirements falling due together (a heatmap cell): the worst of them."""
    found = set(states)
    for state in ("missing", "open", "future"):
        if state in found:
            return state
    return "met"


def year_share(year: int, today: dt.date) -> float:
    """How much of `year` has passed by the end of `today` (0 before it, 1 after it)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return ((today - start).days + 1) / ((end - start).days + 1)


def behind_pace(hours_tenths: int, required_tenths: int, year: int, today: dt.date) -> bool:
    """Fewer hours than the share of the yearly requirement that the part of the year gone asks."""
    return hours_tenths < required_tenths * year_share(year, today)


def rate(attended: int, expected: int) -> float | None:
    """Attendance rate 0–1 (None when nobody was expected): for display, never stored."""
    return attended / expected if expected else None

