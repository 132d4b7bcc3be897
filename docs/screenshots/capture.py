"""Regenerate the README screenshots: every page of the main window at 1366×768 on demo data.

Run under a virtual X display with CJK fonts (Debian: xvfb, fonts-noto-cjk):
    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/capture.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from branchdesk.services import demo
from branchdesk.store.connection import open_database
from branchdesk.ui import app as app_module
from branchdesk.ui.context import AppContext
from branchdesk.ui.main_window import MainWindow

HERE = Path(__file__).resolve().parent
FILES = {"组织": "organization.png", "党员": "members.png"}


def main() -> int:
    app = app_module.application()
    QSettings().remove("main_window/geometry")
    path = Path(tempfile.mkdtemp()) / "demo.sqlite"
    db = open_database(path)
    demo.build(db, scale="small", seed=1, today=dt.date(2026, 11, 23))
    window = MainWindow(AppContext(db, path))
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        for _ in range(20):
            app.processEvents()
        name = FILES[window.nav.item(row).text()]
        window.screen().grabWindow(0, 0, 0, 1366, 768).save(str(HERE / name))
        print("saved", HERE / name)
    window.close()
    db.close()
    QApplication.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
