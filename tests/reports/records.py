"""Commendations and 民主评议 ratings recorded through services.honours on the shared sample, and
reading exported workbooks back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from branchdesk.domain.honours import CommendationData, Level, Rating, Title
from branchdesk.domain.members import Standing
from branchdesk.reports import sheet
from branchdesk.services import honours, members
from tests.conftest import TODAY, Sample, member_data

YEAR = 2025


@dataclass
class Honours:
    sample: Sample
    year: int
    # (level label, title label) → how many commendations in `year`, as recorded
    commendations: dict[tuple[str, str], int]
    # branch name → rating → how many in `year`, as recorded
    ratings: dict[str, dict[Rating, int]]
    # (branch, name, rating) in `year`, as recorded
    rated: list[tuple[str, str, Rating]]


def _commend(db, title: Title, level: Level, number: int, year: int = YEAR, **recipient) -> None:
    honours.create_commendation(db, CommendationData(
        title=title, level=level, year=year, issuer="中共江州市委", document_no=f"江委〔{year}〕{number}号",
        awarded_on=dt.date(year, 6, 28), **recipient), today=TODAY)


def record(db, sample: Sample) -> Honours:
    """办公室党支部: 王建国, 孙丽, 周敏, 吴刚, 陈静 (probationary in 2025; 李晓梅 joined in 2026);
    业务科党支部: 赵志强, 郑华, 钱进.

    2025: five commendations at four levels (one 其他 with its own wording), one more in 2024;
    ratings: 办公室 2 优秀 of 4 rated (over a third), a 不合格, 陈静 not rated (不参加评定);
    业务科 合格 and 基本合格, 钱进 not yet rated.
    """
    branch, other = sample.branch, sample.other_branch
    sun = members.create(db, branch, member_data("孙丽", gender="女"), today=TODAY)
    zhou = members.create(db, branch, member_data("周敏", gender="女"), today=TODAY)
    wu = members.create(db, branch, member_data("吴刚"), today=TODAY)
    chen = members.create(db, branch, member_data("陈静", gender="女", standing=Standing.PROBATIONARY,
                                                  joined_on=dt.date(2025, 7, 1), full_on=None), today=TODAY)
    zhao = next(m.id for m in members.list_members(db, other) if m.name == "赵志强")
    zheng = members.create(db, other, member_data("郑华"), today=TODAY)
    members.create(db, other, member_data("钱进"), today=TODAY)

    _commend(db, Title.EXCELLENT_MEMBER, Level.CITY, 12, member_id=sample.secretary)
    _commend(db, Title.EXCELLENT_MEMBER, Level.CITY, 12, member_id=zhao)
    _commend(db, Title.EXCELLENT_WORKER, Level.PROVINCIAL, 31, member_id=sample.secretary)
    _commend(db, Title.ADVANCED_ORGANIZATION, Level.ORGANS_WORKING_COMMITTEE, 5, org_id=branch)
    honours.create_commendation(db, CommendationData(
        title=Title.OTHER, title_text="学习标兵", level=Level.UNIT, year=YEAR, member_id=sun), today=TODAY)
    _commend(db, Title.EXCELLENT_MEMBER, Level.CITY, 20, year=YEAR - 1, member_id=zhou)

    honours.save_evaluations(db, branch, YEAR, [
        (sample.secretary, Rating.EXCELLENT, ""), (sun, Rating.EXCELLENT, ""), (zhou, Rating.QUALIFIED, ""),
        (chen, Rating.NOT_RATED, ""), (wu, Rating.UNQUALIFIED, "限期改正"),
    ])
    honours.save_evaluations(db, other, YEAR, [(zhao, Rating.QUALIFIED, ""),
                                               (zheng, Rating.BASICALLY_QUALIFIED, "")])
    return Honours(
        sample, YEAR,
        commendations={("市级", "优秀共产党员"): 2, ("省级", "优秀党务工作者"): 1,
                       ("机关工委", "先进基层党组织"): 1, ("本单位", "学习标兵"): 1},
        ratings={"办公室党支部": {Rating.EXCELLENT: 2, Rating.QUALIFIED: 1, Rating.NOT_RATED: 1,
                                   Rating.UNQUALIFIED: 1},
                 "业务科党支部": {Rating.QUALIFIED: 1, Rating.BASICALLY_QUALIFIED: 1}},
        rated=[("办公室党支部", "王建国", Rating.EXCELLENT), ("办公室党支部", "陈静", Rating.NOT_RATED),
               ("办公室党支部", "孙丽", Rating.EXCELLENT), ("办公室党支部", "周敏", Rating.QUALIFIED),
               ("办公室党支部", "吴刚", Rating.UNQUALIFIED), ("业务科党支部", "赵志强", Rating.QUALIFIED),
               ("业务科党支部", "郑华", Rating.BASICALLY_QUALIFIED)],
    )


def info(wb) -> dict[str, object]:
    """The hidden 报表信息 sheet as key → value."""
    return {key: value for key, value, _label in wb[sheet.INFO_SHEET].iter_rows(values_only=True)}


def table(ws) -> list[tuple]:
    """The rows under the header, totals row included, up to the notes."""
    rows = []
    for row in ws.iter_rows(min_row=sheet.FIRST_ROW, values_only=True):
        if row[0] is not None and str(row[0]).startswith("注："):
            break
        rows.append(row)
    return rows


def header(ws) -> list[str]:
    return [c.value for c in ws[sheet.HEADER_ROW]]
