"""Party organizations (党组织) and their committees (委员会)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from .dates import add_years


class OrgKind(StrEnum):
    COMMITTEE = "committee"
    GENERAL_BRANCH = "general_branch"
    BRANCH = "branch"
    GROUP = "group"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    OrgKind.COMMITTEE: "党委",
    OrgKind.GENERAL_BRANCH: "党总支",
    OrgKind.BRANCH: "党支部",
    OrgKind.GROUP: "党小组",
}

# Which kinds may sit under which: 党委 over 总支 and 支部, 总支 over 支部, 支部 over 党小组.
CHILD_KINDS: dict[OrgKind, tuple[OrgKind, ...]] = {
    OrgKind.COMMITTEE: (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH),
    OrgKind.GENERAL_BRANCH: (OrgKind.BRANCH,),
    OrgKind.BRANCH: (OrgKind.GROUP,),
    OrgKind.GROUP: (),
}

# Members belong to a 支部 (党总支 and 党委 may also keep members directly); groups only sort them.
MEMBER_HOLDING_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE)


class CommitteeRole(StrEnum):
    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    ORGANIZATION = "organization"
    PROPAGANDA = "propaganda"
    DISCIPLINE = "discipline"
    MEMBER = "member"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    CommitteeRole.SECRETARY: "书记",
    CommitteeRole.DEPUTY_SECRETARY: "副书记",
    CommitteeRole.ORGANIZATION: "组织委员",
    CommitteeRole.PROPAGANDA: "宣传委员",
    CommitteeRole.DISCIPLINE: "纪检委员",
    CommitteeRole.MEMBER: "委员",
}

# 中国共产党支部工作条例（试行）2018 art. 20 and 选举工作条例 art. 3: a branch committee serves 3 years.
COMMITTEE_TERM_YEARS = 3
# design.md §3: warn 90 days before a committee's term ends.
TERM_WARNING_DAYS = 90


def term_end(start: dt.date, years: int = COMMITTEE_TERM_YEARS) -> dt.date:
    """The day a term that began on `start` ends (the day before its anniversary)."""
    return add_years(start, years) - dt.timedelta(days=1)


def term_ending_soon(end: dt.date, today: dt.date, warning_days: int = TERM_WARNING_DAYS) -> bool:
    """True from `warning_days` before the end up to and including the end day."""
    return today <= end and (end - today).days <= warning_days


def can_hold(parent: OrgKind | None, child: OrgKind) -> bool:
    """Whether an organization of kind `child` may be created under `parent` (None: a root)."""
    if parent is None:
        return child is not OrgKind.GROUP
    return child in CHILD_KINDS[parent]
