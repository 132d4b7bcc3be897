"""Benchmark: pages on the large demo (design.md §8: page open ≤ 0.3 s, keystroke ≤ 0.1 s).

Run: .venv/bin/python tests/bench/bench_pages.py [--runs 7] [--rounds 5]

One process, offscreen platform, the app's own style and translations (`ui.app.application()`).
The large demo (10,000 members) is built once into a temporary file. Every figure includes the
repaint: after the action, events are processed until the widget that shows the result has been
painted. Pages are shown as top-level windows of 1280×720, scoped to the whole organization.

  (a) 党员 page opened: construct + show + first paint; `list_members` alone beside it;
  (b) search keystrokes: real key events into `page.search` (QTest.keyClick) and Chinese
      committed through a QInputMethodEvent, as a user's input method does, then backspaces;
  (c) 组织 page opened on the whole tree, and its refresh after `ctx.notify_changed()`;
  (d) switching the scope to a branch and back, with each page shown.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from branchdesk.services import demo, members, organizations
from branchdesk.store.connection import open_database
from branchdesk.ui.app import application
from branchdesk.ui.context import AppContext
from branchdesk.ui.members.page import MembersPage
from branchdesk.ui.organization.page import OrganizationPage

PAGE_TARGET = 0.3
KEY_TARGET = 0.1
SIZE = (1280, 720)


class PaintWatch(QObject):
    """Notes which widgets receive paint events (a filter installed on the application)."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: set[QWidget] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            self.painted.add(watched)
        return False

    def until_painted(self, app: QApplication, *widgets: Callable[[], QWidget],
                      limit: float = 10.0) -> None:
        """Process events until one of `widgets()` (looked up each time: a page may switch what
        it shows) has been painted, then while further passes still paint (a view's delayed
        layout may repaint once more). A window's dirty widgets are painted in one pass."""
        self.painted.clear()
        deadline = time.perf_counter() + limit
        while not any(w() in self.painted for w in widgets):
            app.processEvents()
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{widgets[0]()!r} was never painted")
        for _ in range(10):
            self.painted.clear()
            app.processEvents()
            if not self.painted:
                break


def quiet_offscreen_warnings() -> None:
    """The offscreen plugin warns on every top-level show; keep the figures readable."""
    def handler(mode: QtMsgType, context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)
    qInstallMessageHandler(handler)


def shown_part(page: MembersPage) -> QWidget:
    """What displays a search's result: the table's viewport, or the 'no match' text."""
    current = page.stack.currentWidget()
    return page.table.viewport() if current is page.table else current


def dispose(app: QApplication, widget: QWidget) -> None:
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def verdict(seconds: float, target: float) -> str:
    return f"{'ok' if seconds <= target else 'OVER'} (target ≤ {target:.1f} s, {seconds / target:.2f}×)"


def line(label: str, values: list[float], target: float | None = None, show_max: bool = False) -> None:
    med = statistics.median(values)
    text = f"{label:50s} median {med * 1000:7.1f} ms"
    if show_max:
        text += f"  max {max(values) * 1000:7.1f} ms"
    text += f"  (n={len(values)})"
    if target is not None:
        text += "  " + verdict(max(values) if show_max else med, target)
    print(text, flush=True)


def build_database(folder: Path) -> Path:
    path = folder / "large.sqlite"
    db = open_database(path)
    started = time.perf_counter()
    counts = demo.build(db, scale="large", seed=1)
    db.close()
    print(f"large demo built in {time.perf_counter() - started:.2f} s: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)
    return path


def run(path: Path, runs: int, rounds: int) -> None:
    quiet_offscreen_warnings()
    app = application()
    watch = PaintWatch()
    app.installEventFilter(watch)
    db = open_database(path)
    ctx = AppContext(db, path)
    tree = organizations.tree(db)
    root = next(o for o in tree if o.parent_id is None)
    ctx.set_scope(root.id)
    totals = organizations.member_totals(db)
    branch = max((o for o in tree if o.kind.value == "branch"), key=lambda o: totals.get(o.id, 0))
    roll = members.list_members(db, root.id)
    print(f"scope “{root.name}”: {len(roll)} members; {len(tree)} organizations;"
          f" branch for (d): “{branch.name}” ({totals.get(branch.id, 0)} on the roll)", flush=True)
    print(f"Python {sys.version.split()[0]}, PySide6 {__import__('PySide6').__version__},"
          f" {os.cpu_count()} CPUs\n", flush=True)

    # (a) the member page opened on the whole organization
    list_times = [timed(lambda: members.list_members(db, root.id)) for _ in range(runs + 1)][1:]
    opens = []
    for i in range(runs + 1):
        started = time.perf_counter()
        page = MembersPage(ctx)
        page.resize(*SIZE)
        page.show()
        watch.until_painted(app, page.table.viewport)
        if i:  # the first open warms imports and the style's caches
            opens.append(time.perf_counter() - started)
        if i < runs:
            dispose(app, page)
    assert page.model.rowCount() > 9000, page.model.rowCount()
    print("(a) 党员 page, whole organization")
    line("    construct + show + first paint", opens, PAGE_TARGET)
    line("    of which services.members.list_members", list_times)

    # (b) search-as-you-type on the page left open
    page.activateWindow()
    page.search.setFocus()
    app.processEvents()

    def key(k: str | Qt.Key) -> Callable[[], None]:
        return lambda: QTest.keyClick(page.search, k)

    def commit(text: str) -> Callable[[], None]:
        def send() -> None:
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(page.search, event)
        return send

    fragment = roll[len(roll) // 3].name[:2]  # a real name's first two characters
    back = Qt.Key.Key_Backspace
    sequences = {
        "initials w, j, g": [key("w"), key("j"), key("g")],
        "backspace ×3 (back to all rows)": [key(back)] * 3,
        f"Chinese {fragment[0]}, {fragment[1]} (input method)": [commit(c) for c in fragment],
        "backspace ×2": [key(back)] * 2,
        "digits 1, 3, 8, 0 (ID/phone from 4)": [key(c) for c in "1380"],
        "backspace ×4": [key(back)] * 4,
    }
    keystrokes: dict[str, list[float]] = {name: [] for name in sequences}
    shown_after: dict[str, int] = {}
    for _ in range(rounds):
        for name, steps in sequences.items():
            for step in steps:
                started = time.perf_counter()
                step()
                # The search box repaints on every change; the result may not (no match twice).
                watch.until_painted(app, lambda: shown_part(page), lambda: page.search)
                keystrokes[name].append(time.perf_counter() - started)
            shown_after[name] = page.model.rowCount()
    assert page.search.text() == "", page.search.text()
    print("(b) search keystroke, key event to repaint")
    for name, values in keystrokes.items():
        line(f"    {name} → {shown_after[name]} rows", values, show_max=True)
    every = [v for values in keystrokes.values() for v in values]
    line("    every keystroke", every, KEY_TARGET, show_max=True)

    # (d, first half) scope to a branch and back, the member page shown
    to_branch, to_root = [], []
    for _ in range(runs):
        to_branch.append(timed(lambda: (ctx.set_scope(branch.id),
                                        watch.until_painted(app, page.table.viewport))))
        to_root.append(timed(lambda: (ctx.set_scope(root.id),
                                      watch.until_painted(app, page.table.viewport))))
    dispose(app, page)

    # (c) the organization page on the whole tree
    opens, refreshes = [], []
    for i in range(runs + 1):
        started = time.perf_counter()
        org_page = OrganizationPage(ctx)
        org_page.resize(*SIZE)
        org_page.show()
        watch.until_painted(app, org_page.tree.viewport)
        if i:
            opens.append(time.perf_counter() - started)
        if i < runs:
            dispose(app, org_page)
    for _ in range(runs):
        refreshes.append(timed(lambda: (ctx.notify_changed(),
                                        watch.until_painted(app, org_page.tree.viewport))))
    print("(c) 组织 page, whole tree")
    line("    construct + show + first paint", opens, PAGE_TARGET)
    line("    refresh after ctx.notify_changed()", refreshes, PAGE_TARGET)

    org_branch, org_root = [], []
    for _ in range(runs):
        org_branch.append(timed(lambda: (ctx.set_scope(branch.id),
                                         watch.until_painted(app, org_page.tree.viewport))))
        org_root.append(timed(lambda: (ctx.set_scope(root.id),
                                       watch.until_painted(app, org_page.tree.viewport))))
    dispose(app, org_page)
    print("(d) scope switch, to repaint")
    line("    党员 page: whole organization → branch", to_branch, PAGE_TARGET)
    line("    党员 page: branch → whole organization", to_root, PAGE_TARGET)
    line("    组织 page: whole organization → branch", org_branch, PAGE_TARGET)
    line("    组织 page: branch → whole organization", org_root, PAGE_TARGET)
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7, help="page opens and scope switches")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the keystroke sequence")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="branchdesk-bench-") as folder:
        run(build_database(Path(folder)), args.runs, args.rounds)


if __name__ == "__main__":
    main()
