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

from branchdesk.services import demo, members, organizations
from branchdesk.store.connection import open_database
from branchdesk.ui import app as app_module
from branchdesk.ui.context import AppContext
from branchdesk.ui.main_window import MainWindow

HERE = Path(__file__).resolve().parent
FILES = {"组织": "organization.png", "党员": "members.png", "表彰评议": "honours.png"}


def main() -> int:
    app = app_module.application()
    QSettings().remove("main_window/geometry")
    path = Path(tempfile.mkdtemp()) / "demo.sqlite"
    db = open_database(path)
    today = dt.date.today()
    demo.build(db, scale="small", seed=1, today=today)
    ctx = AppContext(db, path)
    window = MainWindow(ctx)
    window.setGeometry(0, 0, 1366, 768)
    window.show()
    root = ctx.scope_id
    # The organization page on a branch whose committee term ends soon; the members page on the
    # whole organization with a probationary member selected, so the history panel shows.
    branch = next(s.org_id for s in organizations.terms_ending(db, today))
    probationary = next(m for m in members.list_members(db, root) if m.probation_end)
    for row, scope in ((0, branch), (1, root), (2, root)):
        window.nav.setCurrentRow(row)
        ctx.set_scope(scope)
        if row == 1:
            window.page(row).select_member(probationary.id)
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
