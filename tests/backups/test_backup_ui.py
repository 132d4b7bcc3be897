"""The restore dialog and the damaged-file offer, with pytest-qt."""

from __future__ import annotations

import datetime as dt
import os

from PySide6.QtWidgets import QMessageBox

from branchdesk.services import backups, members
from branchdesk.store.connection import StoreError
from branchdesk.ui import backups as backup_ui
from branchdesk.ui.context import AppContext
from branchdesk.ui.main_window import MainWindow
from tests.backups.test_backups import NOW, damage, dump
from tests.conftest import TODAY, member_data


def test_restore_dialog_restores_and_the_window_reloads(qtbot, db, db_path, sample, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    backups.backup_now(db, db_path, now=NOW)
    members.create(db, sample.branch, member_data("新来的"), today=TODAY)
    ctx = AppContext(db, db_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert "4 名" in window.count_label.text()
    asked: list[str] = []
    dialog = backup_ui.RestoreDialog(window, ask=lambda _p, _t, text: asked.append(text) or True)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "2026-11-23 09:30:00" and dialog.table.item(0, 2).text() == "3"
    if os.environ.get("BRANCHDESK_SHOTS"):
        dialog.show()
        window.resize(1366, 768)
        dialog.grab().save(os.environ["BRANCHDESK_SHOTS"])
    assert dialog.restore_selected() is not None
    assert "党员 3 名" in asked[0]
    assert ctx.db is not db  # reopened on the restored file
    assert ctx.db.count("members") == 3
    assert "3 名" in window.count_label.text()
    assert len(backups.list_backups(db_path, backups.default_folder(db_path))) == 2  # the one taken first
    ctx.db.close()


def test_damaged_file_offers_the_latest_backup(qtbot, db, db_path, sample, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    backups.backup_now(db, db_path, now=NOW)
    db.close()
    expected = dump(db_path)
    damage(db_path)
    asked: list[str] = []
    restored = backup_ui.recover(db_path, StoreError("损坏"), ask=lambda _p, _t, text: asked.append(text) or True)
    assert restored is not None
    restored.close()
    assert str(db_path) in asked[0] and "damaged-" in asked[0]
    assert dump(db_path) == expected
    assert len(list(db_path.parent.glob("branchdesk.sqlite.damaged-*[0-9]"))) == 1


def test_declining_leaves_the_damaged_file_alone(qtbot, db, db_path, sample):
    backups.backup_now(db, db_path, now=dt.datetime.now())
    db.close()
    damage(db_path)
    damaged = db_path.read_bytes()
    assert backup_ui.recover(db_path, StoreError("损坏"), ask=lambda *_: False) is None
    assert db_path.read_bytes() == damaged
    assert not list(db_path.parent.glob("*.damaged-*"))


def test_file_menu_has_the_backup_actions(qtbot, db, db_path, sample):
    window = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(window)
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert {"立即备份(&B)", "从备份恢复(&R)…", "备份设置(&S)…"} <= set(texts)
    assert window.restore_action.isEnabled()
