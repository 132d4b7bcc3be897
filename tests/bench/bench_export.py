"""Benchmark: exporting 表彰名单 and 民主评议结果汇总表 for the large demo (10,000 members, 200 branches).

Run: .venv/bin/python tests/bench/bench_export.py [--runs 3]

The large demo is built once into a temporary file and each report exported for the whole
organization and the demo's year of ratings:
  (a) `exports.export_report` in process, best of N runs (the queries, the styled sheets, the save);
  (b) `branchdesk export` as a user runs it, in a child process: wall time and the child's peak RSS;
  (c) the floor: openpyxl write-only writing the same cell values with no queries and no styles;
      (a) ÷ (c) says what the shared sheet style costs.
Peak RSS: VmHWM on Linux, `resource` on macOS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

from branchdesk.services import demo, exports
from branchdesk.store.connection import open_database

TODAY = dt.date(2026, 11, 23)
YEAR = {"commendations": 2025, "evaluations": 2025}

# The child prints its peak RSS in KiB: VmHWM (ru_maxrss on Linux carries the parent's peak across exec).
_CHILD = """
import sys
from pathlib import Path
from branchdesk.cli import main
code = main(sys.argv[1:])
status = Path("/proc/self/status")
if status.exists():
    print(next(line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM:")),
          file=sys.stderr)
else:
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1),
          file=sys.stderr)
sys.exit(code)
"""


def in_process(db_path: Path, report: str, out: Path, runs: int) -> float:
    db = open_database(db_path)
    try:
        scope = exports.default_scope(db).id
        best = float("inf")
        for _ in range(runs):
            started = time.perf_counter()
            exports.export_report(db, report, out, scope, YEAR[report], TODAY)
            best = min(best, time.perf_counter() - started)
        return best
    finally:
        db.close()


def child(db_path: Path, report: str, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of `branchdesk export` in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, "export", report, "--db", str(db_path), "--out", str(out),
                           "--year", str(YEAR[report])], capture_output=True, text=True, check=True)
    return time.perf_counter() - started, int(done.stderr.split()[-1])


def plain_floor(exported: Path, out: Path, runs: int) -> tuple[float, int]:
    """Seconds for openpyxl write-only to write the exported file's values, unstyled; and the cell count."""
    book = load_workbook(exported, read_only=True)
    sheets = {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    book.close()
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        wb = Workbook(write_only=True)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for row in rows:
                ws.append(row)
        wb.save(out)
        best = min(best, time.perf_counter() - started)
    return best, sum(v is not None for rows in sheets.values() for row in rows for v in row)


def main() -> None:
    parser = argparse.ArgumentParser(description="大规模演示数据的表彰名单、民主评议结果汇总表导出耗时")
    parser.add_argument("--runs", type=int, default=3, help="每项重复次数，取最快一次（默认 3）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="branchdesk-bench-export-") as name:
        folder = Path(name)
        db_path = folder / "large.sqlite"
        db = open_database(db_path)
        counts = demo.build(db, scale="large", seed=1, today=TODAY)
        db.close()
        print(f"large demo: {counts['members']} members, {counts['commendations']} commendations, "
              f"{counts['evaluations']} ratings")
        for report in exports.REPORTS:
            out = folder / f"{report}.xlsx"
            seconds = in_process(db_path, report, out, args.runs)
            wall, rss = child(db_path, report, out)
            floor, cells = plain_floor(out, folder / f"{report}-plain.xlsx", args.runs)
            print(f"{report:14s} export {seconds:.2f} s in process, {wall:.2f} s as a command (peak RSS "
                  f"{rss / 1024:.0f} MiB); {cells} cells; plain openpyxl write-only {floor:.2f} s "
                  f"(ratio {floor / seconds:.2f})")

if __name__ == "__main__":
    main()
