"""Benchmark: the 报表中心 page and 汇总 on the large demo (10,000 members, 200 branches, five years).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_report_center.py [--db LARGE.sqlite]

  (a) the page built (its preview is read on a worker thread, so this is all the window waits for);
  (b) per report, for the whole organization and its default period: from picking it to its preview
      shown, and of that the time on the UI thread (the rows put into the table: the window's only
      pause; design.md §8 target for any page: ≤ 0.3 s);
  (c) 汇总 as the 机关工委 does it: the 党费收缴汇总表 of each of its 20 机关党委 (200 branches in all)
      exported on its own, then all added up into one sheet (checks and writing); no target in
      design.md, quoted per file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from branchdesk.services import consolidation, demo, exports, organizations
from branchdesk.store.connection import open_database
from branchdesk.ui.context import AppContext
from branchdesk.ui.reports import page as page_module

TODAY = dt.date(2026, 11, 23)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="a large demo database already built (else one is built)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = args.db
    if path is None:
        path = folder / "large.sqlite"
        built = open_database(path)
        started = time.perf_counter()
        demo.build(built, scale="large", seed=1, today=TODAY)
        built.close()
        print(f"large demo built in {time.perf_counter() - started:.1f} s")
    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(path)
    ctx = AppContext(db, path)
    top = exports.default_scope(db).id
    ctx.set_scope(top)

    # The page's UI-thread share of a preview: the time spent showing the rows read.
    shown: list[float] = []
    real = page_module.ReportsPage._previewed

    def timed(self, request, prepared) -> None:
        started = time.perf_counter()
        real(self, request, prepared)
        shown.append(time.perf_counter() - started)

    page_module.ReportsPage._previewed = timed  # type: ignore[method-assign]
    started = time.perf_counter()
    page = page_module.ReportsPage(ctx)
    page.today = TODAY
    page.resize(1230, 700)
    page.show()
    print(f"(a) page built: {time.perf_counter() - started:.3f} s (target ≤ 0.3 s)")
    _wait(app, lambda: page.prepared is not None)

    print("(b) report                 preview shown   of which UI thread   rows")
    worst = 0.0
    for report in exports.REPORTS:
        shown.clear()
        started = time.perf_counter()
        if page.report == report:
            page.refresh()
        else:
            page.select_report(report)
        _wait(app, lambda r=report: page.prepared is not None and page.prepared.info.name == r and shown)
        total = time.perf_counter() - started
        rows = sum(len(s.rows) for s in page.prepared.sheets)
        worst = max(worst, shown[-1])
        print(f"    {report:22s} {total:8.2f} s {shown[-1]:14.3f} s {rows:12d}")
    print(f"    worst UI-thread pause {worst:.3f} s (target ≤ 0.3 s)")
    page.close()
    page.pool.waitForDone()

    committees = [org.id for depth, org in organizations.outline(db, top) if depth == 1]
    period = exports.default_period("dues-summary", TODAY)
    started = time.perf_counter()
    files = [exports.export_report(db, "dues-summary", folder / f"{org}.xlsx", org, period, TODAY)
             for org in committees]
    exported = time.perf_counter() - started
    started = time.perf_counter()
    done = consolidation.consolidate(files, folder / "汇总.xlsx", "市直机关工委", today=TODAY)
    added = time.perf_counter() - started
    print(f"(c) {len(files)} files exported in {exported:.1f} s; consolidated ({done.branches} branches) in "
          f"{added:.2f} s = {added / len(files):.3f} s per file")
    db.close()
    return 0


def _wait(app: QApplication, ready, timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while not ready():
        if time.perf_counter() > deadline:
            raise TimeoutError("no preview")
        app.processEvents()
        time.sleep(0.001)


if __name__ == "__main__":
    sys.exit(main())
