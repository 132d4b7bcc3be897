"""Shared fixtures: a real SQLite file per test, and a small organization in it."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from branchdesk.domain.members import MemberData, Standing
from branchdesk.domain.organization import OrgKind
from branchdesk.services import members, organizations
from branchdesk.store.connection import open_database

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "branchdesk.sqlite"


@pytest.fixture
def db(db_path: Path):
    database = open_database(db_path)
    yield database
    database.close()


@dataclass
class Sample:
    committee: int
    branch: int
    other_branch: int
    group: int
    secretary: int
    probationary: int


def member_data(name: str, **overrides) -> MemberData:
    values = dict(name=name, gender="男", birth_date=dt.date(1985, 3, 4), standing=Standing.FULL,
                  joined_on=dt.date(2008, 6, 1), full_on=dt.date(2009, 6, 1))
    values.update(overrides)
    return MemberData(**values)


@pytest.fixture
def sample(db) -> Sample:
    """市直机关某局机关党委 › 办公室党支部 (with 第一党小组) and 业务科党支部, three members."""
    committee = organizations.create(db, None, OrgKind.COMMITTEE, "市直机关某局机关党委")
    branch = organizations.create(db, committee, OrgKind.BRANCH, "办公室党支部")
    other = organizations.create(db, committee, OrgKind.BRANCH, "业务科党支部")
    group = organizations.create(db, branch, OrgKind.GROUP, "第一党小组")
    secretary = members.create(db, branch, member_data("王建国", group_id=group), today=TODAY)
    probationary = members.create(
        db, branch,
        member_data("李晓梅", gender="女", birth_date=dt.date(1996, 8, 9),
                    standing=Standing.PROBATIONARY, joined_on=dt.date(2026, 1, 10), full_on=None),
        today=TODAY)
    members.create(db, other, member_data("赵志强", birth_date=dt.date(1979, 12, 1)), today=TODAY)
    return Sample(committee, branch, other, group, secretary, probationary)
