"""A small, hand-countable year (2025) of meetings and study recorded through services.activities, and of
dues through services.dues, on the shared sample: for the meetings, attendance, study-hours, dues,
dues-summary and annual reports.

办公室党支部 (with 第一党小组): 王建国 (in the group), 孙丽; 李晓梅 joined only in 2026.
业务科党支部 (no groups): 赵志强, 郑华.

2025, 办公室党支部:
  01-15 支委会            王建国 ✓                                    (0 h)
  03-10 党课 2 h, 王局长 (党员领导干部)   王建国 ✓  孙丽 假
  03-20 支部党员大会       王建国 ✓  孙丽 ✓                             (0 h)
  06-05 理论学习 1.5 h      王建国 ✓  孙丽 缺 → 补学 06-20
  07-01 主题党日 1 h        王建国 ✓  孙丽 缺
2025, 业务科党支部:
  05-12 党课 2 h, 李老师                 赵志强 ✓  郑华 ✓
  09-01 读书班 3 h                      赵志强 ✓  郑华 列
  10-08 理论学习 (planned, not held)
Study hours: 王建国 2+1.5+1 = 4.5; 孙丽 1.5 (补学); 赵志强 2+3 = 5; 郑华 2 (列席 earns nothing).

Dues 2025 (ledger from 2025-01):
  王建国 5100 元 → 76.50 a month; paid Jan–Jun (459.00) on 06-30; Jul–Dec unpaid (459.00 owed).
  孙丽 4900 元 → 49.00; paid Jan–Jun on 06-10 and Jul–Dec on 12-10 with 10.00 extra (自愿多交).
  赵志强 3000 元 → 15.00 (0.5%); March exempt (免交); paid Jan–Feb on 02-10, Apr–Sep on 09-10; Oct–Dec owed.
  郑华 student → 0.20; paid Jan–Jun on 06-20, Jul–Dec on 12-20.
  Remitted: 办公室 2025-01–06 753.00 on 07-05; 业务科 2025-01–12 122.40 on 2026-01-10.
  办公室: due 918.00 + 588.00 = 1506.00, paid 459.00 + 588.00 = 1047.00; 业务科: due 165.00 + 2.40 = 167.40,
  paid 120.00 + 2.40 = 122.40.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from branchdesk.domain.activities import ActivityData, ActivityKind, AttendanceEntry, AttendanceStatus
from branchdesk.domain.members import DuesCategory
from branchdesk.services import activities, dues, members
from branchdesk.services.dues import BaseData
from tests.conftest import TODAY, Sample, member_data

YEAR = 2025
P, L, A, OB = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT, AttendanceStatus.OBSERVER


@dataclass
class Year:
    sample: Sample
    wang: int
    sun: int
    zhao: int
    zheng: int


def record_year(db, sample: Sample) -> Year:
    b1, b2 = sample.branch, sample.other_branch
    wang = sample.secretary
    sun = members.create(db, b1, member_data("孙丽", gender="女"), today=TODAY)
    zhao = next(m.id for m in members.list_members(db, b2) if m.name == "赵志强")
    zheng = members.create(db, b2, member_data("郑华", ethnicity="回族"), today=TODAY)

    def held(org: int, kind: ActivityKind, day: dt.date, topic: str, lines: list[tuple[int, AttendanceStatus]],
             hours: int = 0, **extra) -> int:
        entries = [AttendanceEntry(m, s, "出差" if s is L else "") for m, s in lines]
        return activities.create(db, ActivityData(org, kind, day, topic, study_hours_tenths=hours, **extra), entries,
                                 today=TODAY)

    held(b1, ActivityKind.COMMITTEE_MEETING, dt.date(YEAR, 1, 15), "研究年度工作计划", [(wang, P)])
    held(b1, ActivityKind.LECTURE, dt.date(YEAR, 3, 10), "学习党章", [(wang, P), (sun, L)], 20,
         lecturer="王局长", lecturer_is_leader=True)
    held(b1, ActivityKind.GENERAL_MEETING, dt.date(YEAR, 3, 20), "选举支部委员会", [(wang, P), (sun, P)])
    study = held(b1, ActivityKind.STUDY, dt.date(YEAR, 6, 5), "学习条例", [(wang, P), (sun, A)], 15)
    activities.make_up(db, study, sun, dt.date(YEAR, 6, 20), today=TODAY)
    held(b1, ActivityKind.THEME_DAY, dt.date(YEAR, 7, 1), "重温入党誓词", [(wang, P), (sun, A)], 10)
    held(b2, ActivityKind.LECTURE, dt.date(YEAR, 5, 12), "党史专题", [(zhao, P), (zheng, P)], 20, lecturer="李老师")
    held(b2, ActivityKind.READING_CLASS, dt.date(YEAR, 9, 1), "读书班", [(zhao, P), (zheng, OB)], 30)
    activities.create(db, ActivityData(b2, ActivityKind.STUDY, dt.date(YEAR, 10, 8), "计划中的学习", status="planned",
                                       study_hours_tenths=20), [], today=TODAY)
    return Year(sample, wang, sun, zhao, zheng)


def _months(first: int, last: int) -> list[str]:
    return [f"{YEAR}-{m:02d}" for m in range(first, last + 1)]


def record_dues(db, year: Year) -> None:
    b1, b2 = year.sample.branch, year.sample.other_branch
    dues.set_ledger_start(db, f"{YEAR}-01")
    employed = DuesCategory.EMPLOYED
    dues.set_base(db, year.wang, BaseData(f"{YEAR}-01", employed, base_fen=510_000))
    dues.set_base(db, year.sun, BaseData(f"{YEAR}-01", employed, base_fen=490_000))
    dues.set_base(db, year.zhao, BaseData(f"{YEAR}-01", employed, base_fen=300_000))
    dues.set_base(db, year.zheng, BaseData(f"{YEAR}-01", DuesCategory.STUDENT))
    D = dt.date
    dues.record_payment(db, year.wang, _months(1, 6), D(YEAR, 6, 30), 6 * 7650, today=TODAY)
    dues.record_payment(db, year.sun, _months(1, 6), D(YEAR, 6, 10), 6 * 4900, today=TODAY)
    dues.record_payment(db, year.sun, _months(7, 12), D(YEAR, 12, 10), 6 * 4900, extra_fen=1000, today=TODAY)
    dues.exempt(db, year.zhao, f"{YEAR}-03", "生病住院", today=TODAY)
    dues.record_payment(db, year.zhao, _months(1, 2), D(YEAR, 2, 10), 2 * 1500, today=TODAY)
    dues.record_payment(db, year.zhao, _months(4, 9), D(YEAR, 9, 10), 6 * 1500, today=TODAY)
    dues.record_payment(db, year.zheng, _months(1, 6), D(YEAR, 6, 20), 6 * 20, today=TODAY)
    dues.record_payment(db, year.zheng, _months(7, 12), D(YEAR, 12, 20), 6 * 20, today=TODAY)
    dues.record_remittance(db, b1, f"{YEAR}-01", f"{YEAR}-06", 75_300, D(YEAR, 7, 5), "收据001", today=TODAY)
    dues.record_remittance(db, b2, f"{YEAR}-01", f"{YEAR}-12", 12_240, D(YEAR + 1, 1, 10), today=TODAY)
