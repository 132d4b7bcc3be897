"""The application shell: Chinese standard buttons, first run, main window navigation and scope."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox

from branchdesk.services import organizations as orgs
from branchdesk.ui.app import application
from branchdesk.ui.context import AppContext
from branchdesk.ui.first_run import FirstRunDialog
from branchdesk.ui.main_window import MainWindow
from tests.ui.conftest import type_text


def test_qt_standard_buttons_are_chinese(qapp) -> None:
    application()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_first_run_creates_the_named_committee(qtbot, db, db_path) -> None:
    dialog = FirstRunDialog(AppContext(db, db_path))
    qtbot.addWidget(dialog)
    dialog.accept()  # OK with the name still empty: refused, the dialog stays
    assert dialog.error.text() == "组织名称：不能为空"
    assert orgs.tree(db) == []
    type_text(qtbot, dialog.name, "市财政局机关党委")
    dialog.accept()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert [(o.name, o.kind.label) for o in orgs.tree(db)] == [("市财政局机关党委", "党委")]


def test_first_run_with_demo_data(qtbot, db, db_path) -> None:
    dialog = FirstRunDialog(AppContext(db, db_path))
    qtbot.addWidget(dialog)
    dialog.use_demo.setChecked(True)
    assert not dialog.name.isEnabled()
    dialog.accept()
    branches = [o for o in orgs.tree(db) if o.kind.value == "branch"]
    assert len(branches) >= 10


def test_main_window_lists_working_pages_and_scopes(qtbot, db, db_path, sample) -> None:
    ctx = AppContext(db, db_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "工作台", "组织", "党员", "会议学习", "党费", "表彰评议", "报表中心", "设置"]
    # Groups only sort members: the selector lists the committee and its branches, indented.
    assert [window.scope.itemText(i) for i in range(window.scope.count())] == [
        "市直机关某局机关党委", "　办公室党支部", "　业务科党支部"]
    assert ctx.scope_id == sample.committee
    assert window.count_label.text().strip() == "在册党员 3 名"
    window.scope.setCurrentIndex(2)
    window.scope.activated.emit(2)
    assert ctx.scope_id == sample.other_branch
    assert window.count_label.text().strip() == "在册党员 1 名"
    orgs.create(db, sample.committee, orgs.OrgKind.BRANCH, "新设党支部", dt.date(2026, 1, 1))
    ctx.notify_changed()
    assert window.scope.findText("　新设党支部") >= 0
    assert ctx.scope_id == sample.other_branch  # a reload keeps the choice
    ctx.set_scope(sample.branch)  # chosen elsewhere, e.g. on a page: the selector follows
    assert window.scope.currentText() == "　办公室党支部"
    assert window.count_label.text().strip() == "在册党员 2 名"
