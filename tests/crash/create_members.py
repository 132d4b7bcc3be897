"""Child process for tests/crash: create members one by one, each its own transaction.

Usage: python create_members.py DB ORG_ID COUNT. After each commit it prints the new member's id
and flushes, so every id the parent has read was committed before the parent kills this process.
"""

from __future__ import annotations

import datetime as dt
import sys

from branchdesk.domain.members import MemberData, Standing
from branchdesk.services import members
from branchdesk.store.connection import open_database


def main() -> None:
    path, org_id, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    db = open_database(path)
    print("ready", flush=True)
    for n in range(count):
        data = MemberData(name=f"测试{n:04d}", gender="男", birth_date=dt.date(1985, 3, 4),
                          standing=Standing.FULL, joined_on=dt.date(2008, 6, 1), full_on=dt.date(2009, 6, 1))
        member_id = members.create(db, org_id, data, today=dt.date(2026, 11, 23))
        print(member_id, flush=True)
    db.close()


if __name__ == "__main__":
    main()
