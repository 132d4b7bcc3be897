"""工具 › 回收站 and 操作日志 dialogs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from branchdesk.services import members, recycle
from branchdesk.ui.recycle_dialogs import AuditLogDialog, RecycleBinDialog


def _yes(_parent, _title, _text) -> bool:
    return True


def test_bin_dialog_restores_the_selected_member(qtbot, ctx, sample) -> None:
    history = members.history(ctx.db, sample.probationary)
    members.delete(ctx.db, sample.probationary)
    changed: list[bool] = []
    ctx.dataChanged.connect(lambda: changed.append(True))
    dialog = RecycleBinDialog(ctx, ask=_yes)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "李晓梅（办公室党支部）"
    assert dialog.table.item(0, 1).text() == "党员" and "历史记录 1 条" in dialog.table.item(0, 3).text()
    assert not dialog.restore_button.isEnabled()
    dialog.select(0)
    assert dialog.restore_button.isEnabled()
    assert dialog.restore_selected()
    assert dialog.table.rowCount() == 0 and changed and not dialog.empty_button.isEnabled()
    assert members.get(ctx.db, sample.probationary).name == "李晓梅"
    assert members.history(ctx.db, sample.probationary) == history


def test_bin_dialog_purges_and_empties_after_confirmation(qtbot, ctx, sample) -> None:
    members.delete(ctx.db, sample.probationary)
    members.delete(ctx.db, sample.secretary)
    answers = [False, True, True]
    dialog = RecycleBinDialog(ctx, ask=lambda *_args: answers.pop(0))
    qtbot.addWidget(dialog)
    dialog.select(0)
    assert not dialog.purge_selected() and dialog.table.rowCount() == 2  # declined: nothing changes
    assert dialog.purge_selected() and dialog.table.rowCount() == 1
    assert dialog.empty() and dialog.table.rowCount() == 0 and recycle.entries(ctx.db) == []


def test_audit_dialog_filters_and_exports(qtbot, ctx, sample, tmp_path: Path, monkeypatch) -> None:
    members.delete(ctx.db, sample.probationary)
    monkeypatch.setattr("branchdesk.ui.recycle_dialogs.QMessageBox.information", lambda *a: None)
    dialog = AuditLogDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 8  # the sample's 4 organizations and 3 members, and the delete
    dialog.action.setCurrentIndex(dialog.action.findData("删除"))
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 4).text() == "李晓梅（办公室党支部）"
    dialog.first.setDate(dialog.first.date().addYears(-20))
    dialog.last.setDate(dialog.first.date())
    assert dialog.table.rowCount() == 0
    dialog.last.setDate(dialog.last.date().addYears(40))
    out = dialog.export(tmp_path / "日志.xlsx")
    assert out is not None and out.exists()
    assert dialog.filters()[2] == "删除" and isinstance(dialog.filters()[0], dt.date)


def test_tools_menu_opens_both(qtbot, ctx, sample) -> None:
    from branchdesk.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.recycle_bin_action.text() == "回收站(&R)…"
    assert window.audit_log_action.text() == "操作日志(&L)…"
