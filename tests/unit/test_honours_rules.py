"""Rules of commendations, 民主评议 ratings and study output (domain/honours.py)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain import honours as rules
from branchdesk.domain.honours import (
    CommendationData,
    Level,
    OutputKind,
    Rating,
    StudyOutputData,
    Title,
)

TODAY = dt.date(2026, 11, 23)


def commendation(**overrides) -> CommendationData:
    values = dict(title=Title.EXCELLENT_MEMBER, level=Level.CITY, year=2025, member_id=1,
                  issuer="中共江州市委", document_no="江委〔2025〕36号", awarded_on=dt.date(2025, 6, 28))
    values.update(overrides)
    return CommendationData(**values)


def problems(data: CommendationData) -> list[str]:
    return [str(e) for e in rules.validate_commendation(data, TODAY)]


def test_a_complete_commendation_has_no_problems() -> None:
    assert problems(commendation()) == []
    assert problems(commendation(title=Title.FIVE_GOOD_BRANCH, member_id=None, org_id=3,
                                 level=Level.PARTY_COMMITTEE)) == []


def test_every_title_and_level_has_its_chinese_name() -> None:
    assert [t.label for t in Title] == ["先进基层党组织", "优秀共产党员", "优秀党务工作者", "五好党支部", "其他"]
    assert [v.label for v in Level] == ["国家级", "省级", "市级", "机关工委", "基层党委", "本单位"]
    assert [r.label for r in Rating] == ["优秀", "合格", "基本合格", "不合格", "不参加评定"]
    assert [k.label for k in OutputKind] == ["心得体会", "调研报告", "论文", "其他"]


@pytest.mark.parametrize(("title", "member", "org", "expected"), [
    (Title.EXCELLENT_MEMBER, 1, None, []),
    (Title.EXCELLENT_WORKER, 1, None, []),
    (Title.EXCELLENT_MEMBER, None, 2, ["表彰对象：“优秀共产党员”授予个人，请选择党员"]),
    (Title.EXCELLENT_WORKER, None, 2, ["表彰对象：“优秀党务工作者”授予个人，请选择党员"]),
    (Title.ADVANCED_ORGANIZATION, None, 2, []),
    (Title.FIVE_GOOD_BRANCH, None, 2, []),
    (Title.ADVANCED_ORGANIZATION, 1, None, ["表彰对象：“先进基层党组织”授予党组织，请选择党组织"]),
    (Title.FIVE_GOOD_BRANCH, 1, None, ["表彰对象：“五好党支部”授予党组织，请选择党组织"]),
    (Title.OTHER, 1, None, []),
    (Title.OTHER, None, 2, []),
    (Title.EXCELLENT_MEMBER, 1, 2, ["表彰对象：请选择一名党员或一个党组织"]),
    (Title.ADVANCED_ORGANIZATION, None, None, ["表彰对象：请选择一名党员或一个党组织"]),
])
def test_the_recipient_follows_the_title(title, member, org, expected) -> None:
    assert problems(commendation(title=title, member_id=member, org_id=org, title_text="岗位建功标兵")) == expected


def test_other_needs_the_title_written_out() -> None:
    assert problems(commendation(title=Title.OTHER, title_text="  ")) == ["称号名称：请填写称号名称"]
    other = commendation(title=Title.OTHER, title_text=" 党员先锋岗 ")
    assert problems(other) == [] and other.title_label == "党员先锋岗"
    # A named title keeps its own name whatever text was left over from the form.
    assert commendation(title_text="党员先锋岗").title_label == "优秀共产党员"


@pytest.mark.parametrize(("year", "ok"), [(1948, False), (1949, True), (2026, True), (2027, True), (2028, False)])
def test_year_from_1949_to_next_year(year: int, ok: bool) -> None:
    found = problems(commendation(year=year, awarded_on=None))
    assert found == ([] if ok else ["年度：应在 1949 至 2027 年之间"])


@pytest.mark.parametrize(("year", "awarded_on", "expected"), [
    (2026, TODAY, []),
    (2026, TODAY + dt.timedelta(days=1), ["表彰日期：不能晚于今天"]),
    (2027, dt.date(2026, 12, 1), ["表彰日期：不能晚于今天"]),
    (2025, dt.date(2024, 1, 1), []),
    (2025, dt.date(2026, 3, 1), []),
    (2025, dt.date(2023, 12, 31), ["表彰日期：与表彰年度 2025 相差超过一年，请核对"]),
    (2024, dt.date(2026, 1, 1), ["表彰日期：与表彰年度 2024 相差超过一年，请核对"]),
    (2025, None, []),
])
def test_awarded_on_not_in_the_future_and_near_the_year(year, awarded_on, expected) -> None:
    assert problems(commendation(year=year, awarded_on=awarded_on)) == expected


def test_a_bad_year_is_reported_once() -> None:
    assert problems(commendation(year=1900, awarded_on=dt.date(2025, 6, 1))) == ["年度：应在 1949 至 2027 年之间"]


def test_every_problem_at_once_in_form_order() -> None:
    found = problems(CommendationData(title="honour", level="", year=None, member_id=None))
    assert found == ["标题：请选择称号", "级别：请选择级别", "表彰对象：请选择一名党员或一个党组织",
                     "年度：应在 1949 至 2027 年之间"]


def test_stored_strings_are_accepted_for_the_enumerations() -> None:
    assert problems(commendation(title="excellent_member", level="city")) == []


@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 10), st.integers(0, 5), st.integers(0, 20),
       st.randoms(use_true_random=False))
def test_excellent_over_limit_exactly_when_over_a_third_of_the_rated(
        excellent: int, qualified: int, basic: int, unqualified: int, not_rated: int, rnd: random.Random) -> None:
    ratings = ([Rating.EXCELLENT] * excellent + [Rating.QUALIFIED] * qualified
               + [Rating.BASICALLY_QUALIFIED] * basic + [Rating.UNQUALIFIED] * unqualified
               + [Rating.NOT_RATED] * not_rated)
    rnd.shuffle(ratings)
    rated = excellent + qualified + basic + unqualified
    assert rules.excellent_over_limit(ratings) is (3 * excellent > rated)
    assert rules.excellent_over_limit(iter(ratings)) is (3 * excellent > rated)  # any iterable


@pytest.mark.parametrize(("excellent", "others", "not_rated", "over"), [
    (3, 6, 0, False), (4, 5, 0, True), (1, 1, 0, True), (1, 2, 0, False), (0, 0, 0, False),
    (0, 0, 5, False), (1, 0, 0, True), (3, 6, 9, False), (4, 5, 30, True),
])
def test_excellent_over_limit_at_its_boundary(excellent: int, others: int, not_rated: int, over: bool) -> None:
    ratings = [Rating.EXCELLENT] * excellent + [Rating.QUALIFIED] * others + [Rating.NOT_RATED] * not_rated
    assert rules.excellent_over_limit(ratings) is over


@pytest.mark.parametrize(("rating", "probationary", "note", "expected"), [
    (Rating.NOT_RATED, True, "", None),
    (Rating.EXCELLENT, True, "", ("rating", "预备党员不参加评定")),
    (Rating.QUALIFIED, True, "", ("rating", "预备党员不参加评定")),
    (Rating.NOT_RATED, False, "", ("rating", "正式党员须评定等次")),
    (Rating.EXCELLENT, False, "", None),
    (Rating.QUALIFIED, False, "", None),
    (Rating.BASICALLY_QUALIFIED, False, "", None),
    (Rating.UNQUALIFIED, False, "", ("note", "评为不合格的，请在备注中写明处置意见（如限期改正）")),
    (Rating.UNQUALIFIED, False, "  ", ("note", "评为不合格的，请在备注中写明处置意见（如限期改正）")),
    (Rating.UNQUALIFIED, False, "限期改正，六个月", None),
    ("qualified", False, "", None),
    ("好", False, "", ("rating", "请选择评议等次")),
])
def test_rating_problem(rating, probationary: bool, note: str, expected) -> None:
    found = rules.rating_problem(rating, probationary, note)
    assert (None if found is None else (found.field, found.message)) == expected


@pytest.mark.parametrize(("full_on", "probationary"), [
    (None, True),
    (dt.date(2020, 5, 1), False),
    (dt.date(2025, 12, 31), False),
    (dt.date(2026, 1, 1), True),
])
def test_probationary_in_a_year_is_judged_on_its_last_day(full_on, probationary: bool) -> None:
    assert rules.probationary_in(2025, full_on) is probationary


def output(**overrides) -> StudyOutputData:
    values = dict(member_id=1, kind=OutputKind.REFLECTION, title="重温入党誓词有感", written_on=dt.date(2026, 7, 1))
    values.update(overrides)
    return StudyOutputData(**values)


def test_study_output_rules() -> None:
    def found(d: StudyOutputData) -> list[str]:
        return [str(e) for e in rules.validate_study_output(d, TODAY)]

    assert found(output()) == []
    assert found(output(written_on=TODAY)) == []
    assert found(output(written_on=TODAY + dt.timedelta(days=1))) == ["完成日期：不能晚于今天"]
    assert found(output(title=" ", written_on=None)) == ["标题：不能为空", "完成日期：不能为空"]
    assert found(output(kind="poem")) == ["类型：请选择类型"]
    assert found(output(kind="paper")) == []


def test_published_or_awarded() -> None:
    assert not output().published_or_awarded
    assert not output(published_in=" ", award="").published_or_awarded
    assert output(published_in="《江州机关党建》").published_or_awarded
    assert output(award="征文比赛三等奖").published_or_awarded
