"""Commendations (表彰: 一先两优 and others), annual 民主评议 ratings, and study output (学习成果)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from .fields import FieldError

E = TypeVar("E", bound=StrEnum)


class Title(StrEnum):
    ADVANCED_ORGANIZATION = "advanced_organization"
    EXCELLENT_MEMBER = "excellent_member"
    EXCELLENT_WORKER = "excellent_worker"
    FIVE_GOOD_BRANCH = "five_good_branch"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _TITLE_LABELS[self]

    @property
    def for_organizations(self) -> bool | None:
        """True: given to a 党组织; False: to a member; None (其他): either."""
        return _TITLE_RECIPIENTS[self]


_TITLE_LABELS = {
    Title.ADVANCED_ORGANIZATION: "先进基层党组织",
    Title.EXCELLENT_MEMBER: "优秀共产党员",
    Title.EXCELLENT_WORKER: "优秀党务工作者",
    Title.FIVE_GOOD_BRANCH: "五好党支部",
    Title.OTHER: "其他",
}
_TITLE_RECIPIENTS = {
    Title.ADVANCED_ORGANIZATION: True,
    Title.EXCELLENT_MEMBER: False,
    Title.EXCELLENT_WORKER: False,
    Title.FIVE_GOOD_BRANCH: True,
    Title.OTHER: None,
}


class Level(StrEnum):
    """Who awarded it, highest first (the order of reports)."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    ORGANS_WORKING_COMMITTEE = "organs_working_committee"
    PARTY_COMMITTEE = "party_committee"
    UNIT = "unit"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    Level.NATIONAL: "国家级",
    Level.PROVINCIAL: "省级",
    Level.CITY: "市级",
    Level.ORGANS_WORKING_COMMITTEE: "机关工委",
    Level.PARTY_COMMITTEE: "基层党委",
    Level.UNIT: "本单位",
}

# Commendations are recorded from the founding of the People's Republic to next year (a decision
# dated in December may name the coming year).
FIRST_YEAR = 1949


@dataclass
class CommendationData:
    """What a user enters for one commendation; exactly one of member_id / org_id is set."""

    title: Title
    level: Level
    year: int
    member_id: int | None = None
    org_id: int | None = None
    title_text: str = ""
    issuer: str = ""
    document_no: str = ""
    awarded_on: dt.date | None = None
    note: str = ""

    @property
    def title_label(self) -> str:
        title = Title(self.title)
        return self.title_text.strip() if title is Title.OTHER else title.label


def _member_of(enum: type[E], value: object) -> E | None:
    """`value` as a member of `enum` (its stored string is accepted too), or None."""
    try:
        return enum(value)
    except ValueError:
        return None


def validate_commendation(data: CommendationData, today: dt.date) -> list[FieldError]:
    """Every problem with `data`, in the order of the form's fields."""
    errors: list[FieldError] = []
    title = _member_of(Title, data.title)
    if title is None:
        errors.append(FieldError("title", "请选择称号"))
    if _member_of(Level, data.level) is None:
        errors.append(FieldError("level", "请选择级别"))
    wants_org = title.for_organizations if title else None
    if (data.member_id is None) == (data.org_id is None):
        errors.append(FieldError("recipient", "请选择一名党员或一个党组织"))
    elif wants_org is True and data.org_id is None:
        errors.append(FieldError("recipient", f"“{title.label}”授予党组织，请选择党组织"))
    elif wants_org is False and data.member_id is None:
        errors.append(FieldError("recipient", f"“{title.label}”授予个人，请选择党员"))
    if title is Title.OTHER and not data.title_text.strip():
        errors.append(FieldError("title_text", "请填写称号名称"))
    year_ok = isinstance(data.year, int) and FIRST_YEAR <= data.year <= today.year + 1
    if not year_ok:
        errors.append(FieldError("year", f"应在 {FIRST_YEAR} 至 {today.year + 1} 年之间"))
    if data.awarded_on is not None:
        if data.awarded_on > today:
            errors.append(FieldError("awarded_on", "不能晚于今天"))
        elif year_ok and abs(data.awarded_on.year - data.year) > 1:
            errors.append(FieldError("awarded_on", f"与表彰年度 {data.year} 相差超过一年，请核对"))
    return errors


class Rating(StrEnum):
    EXCELLENT = "excellent"
    QUALIFIED = "qualified"
    BASICALLY_QUALIFIED = "basically_qualified"
    UNQUALIFIED = "unqualified"
    NOT_RATED = "not_rated"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self]


_RATING_LABELS = {
    Rating.EXCELLENT: "优秀",
    Rating.QUALIFIED: "合格",
    Rating.BASICALLY_QUALIFIED: "基本合格",
    Rating.UNQUALIFIED: "不合格",
    Rating.NOT_RATED: "不参加评定",
}


def excellent_over_limit(ratings: Iterable[Rating]) -> bool:
    """True when 优秀 exceeds one third of the members rated.

    中国共产党党员教育管理工作条例 (2019) art. 18 and design.md §3: 优秀 normally ≤ 1/3 of rated
    members; probationary members (不参加评定) are not rated and not counted.
    """
    counts = Counter(Rating(r) for r in ratings if r != Rating.NOT_RATED)
    return counts[Rating.EXCELLENT] * 3 > counts.total()


def probationary_in(year: int, full_on: dt.date | None) -> bool:
    """Whether a member was not yet a full member on 31 December of `year` (None: not converted),
    and so is not rated for that year.

    A year's 民主评议 judges that year (held at its end or early in the next): a member converted
    since is rated from the next year on; one admitted after it is not rated for it either.
    """
    return full_on is None or full_on > dt.date(year, 12, 31)


def rating_problem(rating: Rating, probationary: bool, note: str) -> FieldError | None:
    """What is wrong with one member's rating, or None."""
    if _member_of(Rating, rating) is None:
        return FieldError("rating", "请选择评议等次")
    rating = Rating(rating)
    if probationary and rating is not Rating.NOT_RATED:
        return FieldError("rating", "预备党员不参加评定")
    if not probationary and rating is Rating.NOT_RATED:
        return FieldError("rating", "正式党员须评定等次")
    if rating is Rating.UNQUALIFIED and not note.strip():
        return FieldError("note", "评为不合格的，请在备注中写明处置意见（如限期改正）")
    return None


class OutputKind(StrEnum):
    REFLECTION = "reflection"
    RESEARCH_REPORT = "research_report"
    PAPER = "paper"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"reflection": "心得体会", "research_report": "调研报告", "paper": "论文",
                "other": "其他"}[self.value]


@dataclass
class StudyOutputData:
    member_id: int
    kind: OutputKind
    title: str
    written_on: dt.date | None
    published_in: str = ""
    award: str = ""
    note: str = ""

    @property
    def published_or_awarded(self) -> bool:
        """Counted in the annual statistics' 发表或获奖 column."""
        return bool(self.published_in.strip() or self.award.strip())


def validate_study_output(data: StudyOutputData, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    if _member_of(OutputKind, data.kind) is None:
        errors.append(FieldError("kind", "请选择类型"))
    if not data.title.strip():
        errors.append(FieldError("title", "不能为空"))
    if data.written_on is None:
        errors.append(FieldError("written_on", "不能为空"))
    elif data.written_on > today:
        errors.append(FieldError("written_on", "不能晚于今天"))
    return errors
