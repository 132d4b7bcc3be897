"""Benchmark: exporting the reports for the large demo (10,000 members, 200 branches, five years).

Run: .venv/bin/python tests/bench/bench_export.py [--runs 3] [--reports annual roster …]

The large demo is built once into a temporary file; each report is exported for the whole organization
and the year before the demo's today:
  (a) `exports.export_report` in process, best of N runs (the queries, the styled sheets, the save);
  (b) `branchdesk export` as a user runs it, in a child process: wall time and the child's peak RSS;
  (c) the floor: openpyxl write-only writing the same rows (the prepared sheets' values) with no
      queries and no styles; (c) ÷ (a) is the export's rows per second against the floor's.
Targets (design.md §8, issue 6): annual ≤ 3 s and peak RSS ≤ 150 MB; roster (10,000 rows) at ≥ 0.8 of the
floor's rows per second.
Peak RSS: VmHWM from /proc (ru_maxrss of a child on Linux starts from the parent's peak, which it carries
across exec); resource.getrusage where there is no /proc.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from branchdesk.domain.periods import Period
from branchdesk.services import demo, exports
from branchdesk.store.connection import open_database

TODAY = dt.date(2026, 11, 23)
PERIOD = Period(TODAY.year - 1)

# The child prints its peak RSS in KiB.
_CHILD = """
import resource, sys
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


def in_process(db_path: Path, report: str, out: Path, runs: int) -> tuple[float, float, exports.Prepared]:
    """Best wall and CPU seconds of `export_report` (CPU time says more when other work shares the
    machine), and the rows it wrote (prepared once more, untimed)."""
    db = open_database(db_path)
    try:
        scope = exports.default_scope(db).id
        best = cpu = float("inf")
        for _ in range(runs):
            started, used = time.perf_counter(), time.process_time()
            exports.export_report(db, report, out, scope, PERIOD, TODAY)
            best = min(best, time.perf_counter() - started)
            cpu = min(cpu, time.process_time() - used)
        return best, cpu, exports.prepare(db, report, scope, PERIOD, TODAY)
    finally:
        db.close()


def child(db_path: Path, report: str, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of `branchdesk export` in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, "export", report, "--db", str(db_path), "--out", str(out),
                           "--year", str(PERIOD.year)], capture_output=True, text=True, check=True)
    return time.perf_counter() - started, int(done.stderr.split()[-1])


def plain_floor(prepared: exports.Prepared, out: Path, runs: int) -> tuple[float, float, int]:
    """Best wall and CPU seconds for openpyxl write-only to write the prepared rows, unstyled; and the
    row count."""
    sheets = [(s.name, [s.columns[0].header], s.rows) for s in prepared.sheets]
    best = cpu = float("inf")
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        wb = Workbook(write_only=True)
        for name, header, rows in sheets:
            ws = wb.create_sheet(name)
            ws.append(header)
            for row in rows:
                ws.append(row)
        wb.save(out)
        best = min(best, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - used)
    return best, cpu, sum(len(rows) for _name, _header, rows in sheets)


def main() -> None:
    parser = argparse.ArgumentParser(description="大规模演示数据的报表导出耗时、内存与写入速度")
    parser.add_argument("--runs", type=int, default=3, help="每项重复次数，取最快一次（默认 3）")
    parser.add_argument("--reports", nargs="*", default=list(exports.REPORTS), help="要测的报表（默认全部）")
    parser.add_argument("--db", type=Path, help="已生成的大规模演示数据库（默认临时生成）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="branchdesk-bench-export-") as name:
        folder = Path(name)
        db_path = args.db
        if db_path is None:
            db_path = folder / "large.sqlite"
            db = open_database(db_path)
            started = time.perf_counter()
            counts = demo.build(db, scale="large", seed=1, today=TODAY)
            db.close()
            print(f"large demo: {counts['members']} members, {counts['organizations']} organizations, "
                  f"built in {time.perf_counter() - started:.0f} s")
        print(f"period {PERIOD.key}, {args.runs} runs each; load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs")
        for report in args.reports:
            out = folder / f"{report}.xlsx"
            seconds, cpu, prepared = in_process(db_path, report, out, args.runs)
            wall, rss = child(db_path, report, out)
            floor, floor_cpu, rows = plain_floor(prepared, folder / f"{report}-plain.xlsx", args.runs)
            line = (f"{report:14s} {rows:6d} rows: export {seconds:.2f} s in process (CPU {cpu:.2f} s; "
                    f"{rows / seconds:,.0f} rows/s), "
                    f"{wall:.2f} s as a command, peak RSS {rss * 1024 / 1e6:.0f} MB; plain openpyxl {floor:.2f} s "
                    f"(CPU {floor_cpu:.2f} s; {rows / floor:,.0f} rows/s); ratio {floor / seconds:.2f} "
                    f"(CPU {floor_cpu / cpu:.2f})")
            if report == "annual":
                line += f"  [targets: ≤ 3 s → {'met' if seconds <= 3 else 'MISSED'}, ≤ 150 MB → " \
                        f"{'met' if rss * 1024 / 1e6 <= 150 else 'MISSED'}]"
            if report == "roster":
                line += f"  [target ratio ≥ 0.8 → {'met' if floor / seconds >= 0.8 else 'MISSED'} by wall time, " \
                        f"{'met' if floor_cpu / cpu >= 0.8 else 'MISSED'} by CPU time]"
            print(line, flush=True)


if __name__ == "__main__":
    main()
