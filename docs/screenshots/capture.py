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
FILES = {"工作台": "home.png", "组织": "organization.png", "党员": "members.png", "会议学习": "activities.png",
         "表彰评议": "honours.png",
         "党费": "dues.png", "报表中心": "reports.png", "设置": "settings.png"}


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
    rows = {window.nav.item(row).text(): row for row in range(window.nav.count())}
    for label, scope in (("工作台", root), ("组织", branch), ("党员", root), ("会议学习", branch),
                         ("表彰评议", root), ("党费", branch), ("报表中心", root),
                         ("设置", root)):
        row = rows[label]
        window.nav.setCurrentRow(row)
        ctx.set_scope(scope)
        if label == "党员":
            window.page(row).select_member(probationary.id)
        if label == "设置":
            window.page(row).tabs.setCurrentWidget(window.page(row).dues)  # the fullest tab
        while label == "工作台" and not window.page(row).loaded:  # read on a worker thread
            app.processEvents()
        if label == "报表中心":  # the preview is read on a worker thread
            window.page(row).select_report("meetings")
            while window.page(row).prepared is None:
                app.processEvents()
        for _ in range(20):
            app.processEvents()
        name = FILES[label]
        window.screen().grabWindow(0, 0, 0, 1366, 768).save(str(HERE / name))
        print("saved", HERE / name)
        if label == "会议学习":  # and a 支部党员大会 being entered for the largest branch
            totals = organizations.member_totals(db)
            ctx.set_scope(max((o.id for o in organizations.tree(db) if o.kind.value == "branch"),
                              key=lambda org_id: totals.get(org_id, 0)))
            dialog = window.page(row).list.add()
            dialog.kind.setCurrentIndex(dialog.kind.findData("general_meeting"))
            dialog.resize(1000, 700)
            for _ in range(20):
                app.processEvents()
            dialog.grab().save(str(HERE / "activity-dialog.png"))
            print("saved", HERE / "activity-dialog.png", dialog.attendance.rowCount(), "attendees")
            dialog.reject()
    window.close()
    db.close()
    QApplication.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
