"""The Settings page (设置) through its real widgets in the main window, on a real SQLite file."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from branchdesk.domain.activities import DEFAULT_RULES as DEFAULT_MEETING_RULES
from branchdesk.domain.activities import ActivityKind, Requirement
from branchdesk.domain.dues import DEFAULT_RULES as DEFAULT_DUES_RULES
from branchdesk.domain.periods import Period
from branchdesk.services import activities, audit, backups, dues, exports
from branchdesk.services import settings as report_settings
from branchdesk.store import settings as settings_store
from branchdesk.ui.backups import BackupSettingsDialog
from branchdesk.ui.main_window import PAGES, MainWindow
from branchdesk.ui.settings.page import SettingsPage
from tests.conftest import TODAY
from tests.ui.conftest import type_text
from tests.ui.test_home import wait_loaded


@pytest.fixture
def window(qtbot, ctx, sample) -> MainWindow:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.page(0).today = lambda: TODAY
    main.resize(1366, 768)
    main.show()
    wait_loaded(qtbot, main.page(0))
    return main


def settings_page(window: MainWindow) -> SettingsPage:
    assert PAGES[-1][0] == "设置"
    page = window.open_page("settings.page")
    assert isinstance(page, SettingsPage) and window.pages.currentWidget() is page
    return page


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(combo, value: str) -> None:
    combo.setCurrentIndex(combo.findData(value))
    combo.activated.emit(combo.currentIndex())


def test_lecture_every_month_shows_on_the_home_page(qtbot, window, db):
    home = window.page(0)
    january_before = home.compliance.rows[0].months[0].required
    assert "办公室党支部：党课 本季度已开0/1次" in home.meetings.texts()
    page = settings_page(window)
    group = page.meetings
    page.tabs.setCurrentWidget(group)
    assert group.pers[ActivityKind.LECTURE].currentText() == "每季度"

    choose(group.pers[ActivityKind.LECTURE], "month")
    click(qtbot, group.save_button)

    assert group.status.text() == "已保存。"
    assert activities.load_rules(db).required[ActivityKind.LECTURE] == Requirement(1, "month")
    loaded = home.loaded
    window.open_page("home.page")
    wait_loaded(qtbot, home, loaded)
    assert "办公室党支部：党课 本月已开0/1次" in home.meetings.texts()
    assert home.compliance.rows[0].months[0].required == january_before + 1  # January now asks for a 党课


def test_restore_defaults_fills_the_fields_and_saves_only_when_asked(qtbot, window, db):
    group = settings_page(window).meetings
    choose(group.pers[ActivityKind.LECTURE], "month")
    group.member_hours.setValue(40)
    click(qtbot, group.save_button)
    assert activities.load_rules(db).member_hours_tenths == 400

    click(qtbot, group.defaults_button)

    assert group.pers[ActivityKind.LECTURE].currentData() == "quarter"
    assert group.member_hours.value() == 32
    assert group.status.text() == "已填入默认值，点“保存”后生效。"
    assert activities.load_rules(db).member_hours_tenths == 400  # not yet saved
    click(qtbot, group.save_button)
    assert activities.load_rules(db) == DEFAULT_MEETING_RULES


def test_a_rate_that_is_no_percentage_is_refused_under_the_brackets(qtbot, window, db):
    page = settings_page(window)
    group = page.dues
    page.tabs.setCurrentWidget(group)
    assert [group.employed.table.item(r, 1).text() for r in range(4)] == ["0.5", "1", "1.5", "2"]

    logged = len(audit.entries(db))
    group.employed.set_cell(1, 1, "abc")
    click(qtbot, group.save_button)

    assert group.form.error_text("employed") == "第2档比例“abc”不是有效的百分比（如 1.5）"
    assert group.employed.table.item(1, 1).text() == "abc"  # what was typed stays
    assert settings_store.value(db, dues.RULES_KEY) is None and dues.load_rules(db) == DEFAULT_DUES_RULES
    assert group.status.text() == ""

    group.employed.set_cell(1, 1, "150")  # a percentage, but not a rate: the service refuses it
    click(qtbot, group.save_button)
    assert "比例在0至100%之间" in group.form.error_text("employed")
    assert dues.load_rules(db) == DEFAULT_DUES_RULES

    group.employed.set_cell(1, 1, "1.2")
    click(qtbot, group.save_button)
    assert group.form.error_text("employed") == ""
    assert dues.load_rules(db).employed[1].rate_bp == 120
    assert len(audit.entries(db)) == logged + 1  # the refusals wrote nothing, the save one entry
    assert group.status.text() == "已保存。"


def test_a_farmers_amount_that_is_no_amount_is_refused_under_its_field(qtbot, window, db):
    group = settings_page(window).dues
    group.farmer_max.clear()
    type_text(qtbot, group.farmer_max, "一元")
    click(qtbot, group.save_button)
    assert group.form.error_text("farmer_max_fen") == "不是有效的金额：一元"
    assert dues.load_rules(db) == DEFAULT_DUES_RULES


def test_report_unit_is_saved_and_printed_on_exports(qtbot, window, db, sample, tmp_path):
    group = settings_page(window).report
    type_text(qtbot, group.unit, "中共某局机关委员会")
    type_text(qtbot, group.preparer, "王建国")
    click(qtbot, group.save_button)

    assert report_settings.get(db, report_settings.REPORT_UNIT) == "中共某局机关委员会"
    assert report_settings.get(db, report_settings.REPORT_PREPARER) == "王建国"
    logged = audit.entries(db, limit=1)[0]
    assert (logged.table, logged.label, logged.fields) == ("settings", "报表设置", "报表填报单位、制表人")
    out = exports.export_report(db, "commendations", tmp_path / "表彰名单.xlsx", sample.committee, Period(2026),
                                today=TODAY)
    assert exports.read_info(out)["unit"] == "中共某局机关委员会"


def test_backup_settings_go_through_the_backup_dialog(qtbot, window, db, db_path, tmp_path):
    group = settings_page(window).backup
    assert group.folder.text() == str(backups.default_folder(db_path))
    assert group.keep.text() == f"{backups.DEFAULT_KEEP} 份"
    assert group.save_button.text() == "修改备份设置…"

    dialog = group.dialog()  # what the button opens (文件 › 备份设置… opens the same dialog)
    assert isinstance(dialog, BackupSettingsDialog)
    dialog.folder.setText(str(tmp_path / "备份"))
    dialog.keep.setValue(12)
    dialog.save()  # its 确定

    assert backups.keep(db) == 12
    assert group.keep.text() == "12 份" and group.folder.text() == str(tmp_path / "备份")
    assert group.status.text() == "已保存。"
    defaults = group.dialog(defaults=True)  # 恢复默认 opens it filled with the defaults, saved on 确定
    assert defaults.folder.text() == str(backups.default_folder(db_path))
    assert defaults.keep.value() == backups.DEFAULT_KEEP
    assert backups.keep(db) == 12


def test_a_save_keeps_what_is_typed_in_the_other_tabs(qtbot, window, db):
    page = settings_page(window)
    type_text(qtbot, page.report.unit, "尚未保存的单位")
    click(qtbot, page.meetings.save_button)
    assert page.meetings.status.text() == "已保存。"
    assert page.report.unit.text() == "尚未保存的单位"
    assert report_settings.get(db, report_settings.REPORT_UNIT) == ""


def test_rules_changed_elsewhere_show_when_the_page_is_next_shown(qtbot, window, db):
    page = settings_page(window)
    window.open_page("home.page")
    activities.save_rules(db, replace(DEFAULT_MEETING_RULES, member_hours_tenths=405))
    window.ctx.notify_changed()  # e.g. a handover package brought in other rules

    assert settings_page(window) is page
    assert page.meetings.member_hours.value() == 40.5
