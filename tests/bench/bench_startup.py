"""Start-up time and idle memory of BranchDesk against a bare PySide6 window with a QTableView.

Run: .venv/bin/python tests/bench/bench_startup.py [--runs 7]
Each run is a fresh process (offscreen platform) timed from spawn to the first shown main window;
the figures are medians over warm runs (the first run of each kind is discarded). Targets
(design.md §8): both ratios ≤ 2.0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The child reports when a main window is shown, then its RSS after a second of idling.
CHILD = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

app = QApplication(sys.argv)

def watch():
    shown = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if not shown:
        QTimer.singleShot(1, watch)
        return
    print("shown", time.perf_counter(), flush=True)
    QTimer.singleShot(1000, lambda: (print("rss", rss_kib(), flush=True), app.quit()))

QTimer.singleShot(0, watch)
if sys.argv[1] == "bare":
    from PySide6.QtWidgets import QTableView
    from PySide6.QtGui import QStandardItemModel
    window = QMainWindow()
    view = QTableView()
    view.setModel(QStandardItemModel(20, 8))
    window.setCentralWidget(view)
    window.resize(1280, 720)
    window.show()
    app.exec()
else:
    from pathlib import Path
    from branchdesk.ui.app import run
    run(Path(sys.argv[2]))
"""


def one_run(kind: str, db: Path) -> tuple[float, int]:
    # Bytecode as an installed copy has it (pip and the frozen build compile it): a shell that sets
    # PYTHONDONTWRITEBYTECODE would otherwise make every run compile our modules again (~40 ms), a
    # cost the bare window, whose modules come compiled, never pays. The discarded first run writes it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(db)], env=env, capture_output=True,
                         text=True, check=True).stdout
    values = dict(line.split() for line in out.splitlines() if line.startswith(("shown", "rss")))
    return float(values["shown"]) - start, int(values["rss"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "demo.sqlite"
    subprocess.run([sys.executable, "-m", "branchdesk", "demo", "--db", str(db)], check=True,
                   capture_output=True)
    results = {}
    for kind in ("bare", "app"):
        runs = [one_run(kind, db) for _ in range(args.runs + 1)][1:]
        results[kind] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
        print(f"{kind:5s} start {results[kind][0]:.3f} s  idle RSS {results[kind][1] / 1024:.1f} MiB"
              f"  (median of {args.runs} warm runs)")
    print(f"start-up ratio {results['app'][0] / results['bare'][0]:.2f} (target ≤ 2.0)")
    print(f"idle RSS ratio {results['app'][1] / results['bare'][1]:.2f} (target ≤ 2.0)")


if __name__ == "__main__":
    main()
