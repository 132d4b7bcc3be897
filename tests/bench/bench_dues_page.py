"""Benchmark: the 党费 page's year grid on the large demo (design.md §8: a page opened ≤ 0.3 s).

Run: .venv/bin/python tests/bench/bench_dues_page.py [--runs 7] [--db large.sqlite]

One process, offscreen platform, the app's own style (`ui.app.application()`). The large demo (200
branches, 10,000 members, five years of dues) is built into a temporary file unless --db names one
already built. The scope is the organization below the top whose roll is nearest 300 members (a
党总支 or 党委 of that size; the largest branch when there is none). Every figure includes the
repaint: events are processed until the grid's viewport has been painted (bench_pages.PaintWatch).

  (a) 党费 page opened on that scope: construct + show + the grid's first paint;
      `services.dues.year_grid` alone beside it;
  (b) the year switched to the previous one and the grid repainted;
  (c) a payment recorded through the service and the grid reloaded (what 保存 in the dialog does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from bench_pages import PaintWatch, build_database, dispose, line, quiet_offscreen_warnings, timed

from branchdesk.domain.organization import OrgKind
from branchdesk.services import dues, organizations
from branchdesk.store.connection import open_database
from branchdesk.ui.app import application
from branchdesk.ui.context import AppContext
from branchdesk.ui.dues.page import DuesPage

PAGE_TARGET = 0.3
SIZE = (1280, 720)
WANTED = 300


def pick_scope(db) -> tuple[int, str, int]:
    """(id, name, members) of the organization nearest WANTED members below the top."""
    tree = organizations.tree(db)
    totals = organizations.member_totals(db)
    parents = [o for o in tree if o.parent_id is not None and o.kind in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)]
    pool = parents or [o for o in tree if o.kind is OrgKind.BRANCH]
    best = min(pool, key=lambda o: abs(totals.get(o.id, 0) - WANTED))
    return best.id, best.name, totals.get(best.id, 0)


def run(path: Path, runs: int) -> None:
    quiet_offscreen_warnings()
    app = application()
    watch = PaintWatch()
    app.installEventFilter(watch)
    db = open_database(path)
    ctx = AppContext(db, path)
    scope, name, total = pick_scope(db)
    ctx.set_scope(scope)
    today = dt.date.today()
    grid = dues.year_grid(db, scope, today.year, today)
    print(f"scope “{name}”: {total} on the roll, {len(grid.rows)} grid rows for {today.year}; "
          f"dues_payments {db.count('dues_payments')}, dues_months {db.count('dues_months')}", flush=True)
    print(f"Python {sys.version.split()[0]}, PySide6 {__import__('PySide6').__version__}, {os.cpu_count()} CPUs\n",
          flush=True)

    service = [timed(lambda: dues.year_grid(db, scope, today.year, today)) for _ in range(runs + 1)][1:]
    opens = []
    for i in range(runs + 1):
        started = time.perf_counter()
        page = DuesPage(ctx)
        page.resize(*SIZE)
        page.show()
        watch.until_painted(app, page.grid.table.viewport)
        if i:  # the first open warms imports and the style's caches
            opens.append(time.perf_counter() - started)
        if i < runs:
            dispose(app, page)
    assert page.grid.model.rowCount() == len(grid.rows)
    print("(a) 党费 page, year grid")
    line("    construct + show + first paint", opens, PAGE_TARGET)
    line("    of which services.dues.year_grid", service)

    switches = []
    for i in range(runs):
        started = time.perf_counter()
        page.year.setCurrentIndex(page.year.findData(today.year - 1 - i % 2))
        watch.until_painted(app, page.grid.table.viewport)
        switches.append(time.perf_counter() - started)
    print("(b) year switched")
    line("    reload + repaint", switches, PAGE_TARGET)

    page.year.setCurrentIndex(page.year.findData(today.year))
    watch.until_painted(app, page.grid.table.viewport)
    owing = [r for r in page.grid.rows if r.cells[today.month - 1].state == "unpaid"][:runs]
    saves = []
    for row in owing:
        due = row.cells[today.month - 1].due_fen
        started = time.perf_counter()
        dues.record_payment(db, row.member_id, [f"{today:%Y-%m}"], today, due, today=today)
        ctx.notify_changed()
        watch.until_painted(app, page.grid.table.viewport)
        saves.append(time.perf_counter() - started)
    if saves:
        print("(c) payment saved and the grid reloaded")
        line("    record_payment + reload + repaint", saves, PAGE_TARGET)
    dispose(app, page)
    db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a large demo database already built (it is written to)")
    args = parser.parse_args()
    if args.db:
        run(args.db, args.runs)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        run(build_database(Path(folder)), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
