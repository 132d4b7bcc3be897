"""Benchmark: importing 10,000 member rows from .xlsx (issue 7: ≤ 3 s in all; the insert ≤ 1.5× plain
sqlite3 executemany).

Run: .venv/bin/python tests/bench/bench_import.py [--repeat N]

The file is written once with openpyxl. "total" is preview (read with python-calamine, parse,
validate, match against the roll) plus apply, into a fresh database holding one branch. "insert"
is `apply_member_import` alone; the baseline inserts the same member and event rows with a bare
sqlite3 connection and executemany in one transaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from branchdesk.domain import idnumber
from branchdesk.domain.organization import OrgKind
from branchdesk.imports.members import COLUMNS
from branchdesk.services import imports, members, organizations
from branchdesk.store.connection import open_database

ROWS = 10_000
TODAY = dt.date(2026, 11, 23)


def make_file(path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员")
    ws.append(list(COLUMNS))
    start = dt.date(1960, 1, 1)
    for i in range(ROWS):
        born = start + dt.timedelta(days=i * 37 % 14_000)  # 1960–1998, no two alike
        body = f"110105{born:%Y%m%d}{i % 1000:03d}"
        gender = "男" if int(body[16]) % 2 else "女"
        ws.append([f"党员{i:05d}", gender, "汉族", born.isoformat(), body + idnumber.check_char(body), "大学本科",
                   "正式党员", "2010-07-01", "2011-07-01", "在职", 5100 + i % 7, "", f"138{i:08d}", ""])
    wb.save(path)


def fresh(folder: Path, name: str) -> tuple[Path, int]:
    path = folder / f"{name}.sqlite"
    db = open_database(path)
    committee = organizations.create(db, None, OrgKind.COMMITTEE, "机关党委")
    branch = organizations.create(db, committee, OrgKind.BRANCH, "第一党支部")
    db.close()
    return path, branch


def run(folder: Path, source: Path, name: str) -> tuple[float, float, float, imports.MemberImportPreview]:
    path, branch = fresh(folder, name)
    db = open_database(path)
    try:
        started = time.perf_counter()
        preview = imports.preview_member_import(db, branch, source, today=TODAY)
        read = time.perf_counter()
        added, _ = imports.apply_member_import(db, branch, preview, today=TODAY)
        done = time.perf_counter()
        assert added == ROWS and not preview.problems, preview.problems[:3]
        return done - started, read - started, done - read, preview
    finally:
        db.close()


def raw(folder: Path, name: str, preview: imports.MemberImportPreview) -> float:
    path, branch = fresh(folder, name)
    values = [members.stored_values(branch, r.data) for r in preview.new]
    columns = list(values[0])
    rows = [(i + 1, *v.values()) for i, v in enumerate(values)]
    events = [(i + 1, TODAY.isoformat(), "created", imports.IMPORTED) for i in range(ROWS)]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        started = time.perf_counter()
        conn.execute("BEGIN")
        marks = ", ".join("?" * (len(columns) + 1))
        conn.executemany(f"INSERT INTO members (id, {', '.join(columns)}) VALUES ({marks})", rows)
        conn.executemany("INSERT INTO member_events (member_id, on_date, kind, detail) VALUES (?, ?, ?, ?)", events)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def _prepare(preview: imports.MemberImportPreview) -> float:
    started = time.perf_counter()
    for r in preview.new:
        members.stored_values(1, r.data)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description="导入一万名党员的用时，及写入部分与 sqlite3 executemany 的比较")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数，取最快一次（默认 3）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="branchdesk-bench-") as tmp:
        folder = Path(tmp)
        source = folder / "members.xlsx"
        make_file(source)
        runs = [run(folder, source, f"import-{i}") for i in range(args.repeat)]
        total = min(r[0] for r in runs)
        preview_time = min(r[1] for r in runs)
        insert = min(r[2] for r in runs)
        baseline = min(raw(folder, f"raw-{i}", runs[0][3]) for i in range(args.repeat))
        prepare = min(_prepare(runs[0][3]) for _ in range(args.repeat))
    print(f"{ROWS:,} rows, best of {args.repeat}")
    print(f"total (preview + apply): {total:.3f} s  (target ≤ 3 s)")
    print(f"  preview (read, parse, validate, match): {preview_time:.3f} s")
    print(f"  apply (one transaction): {insert:.3f} s")
    print(f"plain sqlite3 executemany, same rows: {baseline:.3f} s")
    print(f"  of which row values (pinyin initials etc.): {prepare:.3f} s")
    print(f"apply / executemany: {insert / baseline:.2f}×; without the row values: "
          f"{(insert - prepare) / baseline:.2f}×  (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
