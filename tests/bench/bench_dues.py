"""Benchmark: party dues services on the demo databases.

Run: .venv/bin/python tests/bench/bench_dues.py [--runs 5] [--large PATH]

Builds the small demo (one 机关党委, ~330 members) and the large one (10,000 members, 200 branches) into
temporary files (or uses an already built large demo given by --large) and times, best of N runs:
  - `dues.year_grid` for the small demo's whole organization (the Dues page's grid; target ≤ 0.3 s);
  - `dues.arrears` for the large demo's 10,000 members (target ≤ 0.2 s);
  - `dues.monthly_collection` and `dues.branch_months` for the large demo's 10,000 members (the Home
    chart; the 党费收缴汇总表): target ≤ 0.3 s each, any page at large scale (design.md §8);
  - the floor: one bare sqlite3 pass over the covered months that arrears must count
    (`SELECT member_id, count(*), max(month) … GROUP BY member_id`), to read arrears against.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from branchdesk.services import demo, dues, organizations
from branchdesk.store.connection import open_database

TODAY = dt.date(2026, 11, 23)


def best(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    result = work()  # warm: the first call pays for imports and the page cache
    fastest = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest, result


def build(path: Path, scale: str) -> float:
    db = open_database(path)
    started = time.perf_counter()
    demo.build(db, scale=scale, seed=1, today=TODAY)
    db.close()
    return time.perf_counter() - started


def floor(path: Path, first: str, runs: int) -> float:
    conn = sqlite3.connect(path)
    last = "2026-10"  # the last month ended on TODAY
    query = ("SELECT member_id, count(*), max(month) FROM dues_months INDEXED BY sqlite_autoindex_dues_months_1"
             " WHERE month BETWEEN ? AND ?"
             " GROUP BY member_id")
    seconds, _ = best(runs, lambda: conn.execute(query, (first, last)).fetchall())
    conn.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", type=Path, help="an already built large demo (seed 1, today 2026-11-23)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.sqlite"
        print(f"small demo built in {build(small, 'small'):.1f} s")
        large = args.large
        if large is None:
            large = Path(tmp) / "large.sqlite"
            print(f"large demo built in {build(large, 'large'):.1f} s")

        db = open_database(small)
        root = organizations.tree(db)[0].id
        seconds, grid = best(args.runs, lambda: dues.year_grid(db, root, 2026, TODAY))
        print(f"year_grid, {len(grid.rows)} members × 12 months: {seconds * 1000:.0f} ms (target ≤ 300 ms)")
        db.close()

        db = open_database(large)
        root = organizations.tree(db)[0].id
        members = db.count("members")
        seconds, found = best(args.runs, lambda: dues.arrears(db, root, TODAY))
        levels = {level: sum(a.level == level for a in found) for level in ("danger", "warn", "")}
        print(f"arrears, {members:,} members: {seconds * 1000:.0f} ms (target ≤ 200 ms); {len(found)} owing "
              f"({levels['danger']} 自行脱党 warning, {levels['warn']} ≥ 3 months, {levels['']} below)")
        bare = floor(large, dues.ledger_start(db, TODAY), args.runs)
        print(f"  floor, bare sqlite3 count of covered months ({db.count('dues_months'):,} rows): "
              f"{bare * 1000:.0f} ms; arrears = {seconds / bare:.1f} × floor")
        seconds, _ = best(args.runs, lambda: dues.monthly_collection(db, root, 2026, TODAY))
        print(f"monthly_collection, {members:,} members: {seconds * 1000:.0f} ms (target ≤ 300 ms)")
        seconds, branches = best(args.runs, lambda: dues.branch_months(db, root, 2026, TODAY))
        print(f"branch_months, {len(branches)} organizations, {members:,} members: {seconds * 1000:.0f} ms"
              " (target ≤ 300 ms)")
        organ = next(o.id for o in organizations.tree(db) if o.parent_id == root)  # a 机关党委, ~500 members
        seconds, grid = best(args.runs, lambda: dues.year_grid(db, organ, 2026, TODAY))
        print(f"year_grid, one 机关党委 of the large demo ({len(grid.rows)} members): {seconds * 1000:.0f} ms"
              " (target ≤ 300 ms)")
        db.close()


if __name__ == "__main__":
    main()
