"""Benchmark: meetings and study on the large demo (design.md §8 and issue 3).

Run: .venv/bin/python tests/bench/bench_activities.py [--runs 7] [--db PATH]

The large demo (200 branches, 10,000 members) is built once into a temporary file (or an existing one
given with --db is used). Each figure is the best and the median of --runs calls, whole organization:

  (a) compliance_matrix: 200 branches × 12 months of the last full year (target ≤ 0.2 s);
  (b) member_study: attendance rate and study hours of 10,000 members for that year (target ≤ 0.3 s);
  (c) for reference: due_now, behind_pace and monthly_attendance (the Home page's other reads) and
      one branch's compliance.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from branchdesk.domain.organization import OrgKind
from branchdesk.services import activities, demo, organizations
from branchdesk.store.connection import open_database

TODAY = dt.date(2026, 11, 23)
YEAR = TODAY.year - 1
MATRIX_TARGET = 0.2
STUDY_TARGET = 0.3


def timed(runs: int, call: Callable[[], object]) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description="会议活动：合规矩阵与党员学时统计的耗时（大规模演示数据）")
    parser.add_argument("--runs", type=int, default=7, help="每项重复次数（默认 7）")
    parser.add_argument("--db", type=Path, help="已有的大规模演示数据库（不给则临时生成）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "large.sqlite"
        db = open_database(path)
        if not args.db:
            started = time.perf_counter()
            counts = demo.build(db, scale="large", seed=1, today=TODAY)
            print(f"large demo built in {time.perf_counter() - started:.1f} s: {counts['activities']} activities, "
                  f"{counts['attendance']} attendance lines")
        root = organizations.outline(db)[0][1].id
        branches = [o for _d, o in organizations.outline(db, root) if o.kind is OrgKind.BRANCH]
        print(f"{len(branches)} branches, year {YEAR}, best / median of {args.runs} runs")

        best, median, rows = timed(args.runs, lambda: activities.compliance_matrix(db, root, YEAR, TODAY))
        cells = sum(len(r.months) for r in rows)
        missing = sum(c.state == "missing" for r in rows for c in r.months)
        verdict = "ok" if best <= MATRIX_TARGET else "OVER"
        print(f"(a) compliance_matrix {len(rows)} × 12 = {cells} cells ({missing} missing): "
              f"{best * 1000:.0f} / {median * 1000:.0f} ms (target ≤ {MATRIX_TARGET * 1000:.0f} ms) {verdict}")

        best, median, found = timed(args.runs, lambda: activities.member_study(db, root, YEAR))
        short = sum(m.gap_tenths > 0 for m in found)
        verdict = "ok" if best <= STUDY_TARGET else "OVER"
        print(f"(b) member_study {len(found)} members ({short} short of their hours): "
              f"{best * 1000:.0f} / {median * 1000:.0f} ms (target ≤ {STUDY_TARGET * 1000:.0f} ms) {verdict}")

        for name, call in (
            ("due_now", lambda: activities.due_now(db, root, TODAY)),
            ("behind_pace", lambda: activities.behind_pace(db, root, TODAY)),
            ("monthly_attendance", lambda: activities.monthly_attendance(db, root, YEAR)),
            ("compliance (one branch)", lambda: activities.compliance(db, branches[0].id, YEAR, TODAY)),
            ("list_activities (whole year)", lambda: activities.list_activities(
                db, root, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))),
        ):
            best, median, result = timed(args.runs, call)
            size = len(result) if isinstance(result, list) else ""
            print(f"(c) {name} [{size}]: {best * 1000:.0f} / {median * 1000:.0f} ms")
        db.close()


if __name__ == "__main__":
    main()
