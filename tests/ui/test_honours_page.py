"""The 表彰评议 page through its real widgets, on a real SQLite file: commendations, 民主评议 and
study output as a branch secretary enters them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QInputMethodEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QFileDialog, QMessageBox, QWidget

from branchdesk.domain.honours import CommendationData, Level, OutputKind, Rating, StudyOutputData, Title
from branchdesk.domain.members import Standing
from branchdesk.services import honours, members
from branchdesk.ui.context import AppContext
from branchdesk.ui.honours.common import RecordTab
from branchdesk.ui.honours.dialogs import CommendationDialog, StudyOutputDialog
from branchdesk.ui.honours.evaluations import EvaluationsTab
from branchdesk.ui.honours.models import NAME, NOTE, RATING, STANDING
from branchdesk.ui.honours.page import HonoursPage
from branchdesk.ui.members.page import MembersPage
from branchdesk.ui.organization.page import OrganizationPage
from tests.conftest import TODAY, member_data
from tests.ui.conftest import answer_message_boxes, type_date, type_text

YES, NO, OK = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No, QMessageBox.StandardButton.Ok
EVALUATED = 2025  # the 民主评议 year of these tests (the sample's probationary member joined in 2026)


def show(qtbot, widget, ctx: AppContext, scope: int):
    """`widget` shown on `scope` as the active window (keys and focus as the user has them)."""
    ctx.set_scope(scope)
    qtbot.addWidget(widget)
    widget.resize(1280, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


def active_dialog(qtbot):
    """The dialog just opened, once it is the active window."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None
                    and QApplication.activeWindow() is QApplication.activeModalWidget())
    return QApplication.activeModalWidget()


@pytest.fixture
def page(qtbot, ctx, sample) -> HonoursPage:
    return show(qtbot, HonoursPage(ctx), ctx, sample.committee)


def table(tab: RecordTab) -> list[dict[str, str]]:
    """The rows as the user reads them: header → cell text."""
    m = tab.model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    return [{h: m.index(r, c).data() for c, h in enumerate(headers)} for r in range(m.rowCount())]


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def commend(db, sample, title: Title, level: Level, year: int, member: int | None = None,
            org: int | None = None, **fields) -> int:
    return honours.create_commendation(db, CommendationData(title, level, year, member, org, **fields), today=TODAY)


def member_history(qtbot, ctx: AppContext, scope: int, member_id: int) -> list[tuple[str, str]]:
    members_page = show(qtbot, MembersPage(ctx), ctx, scope)
    assert members_page.select_member(member_id)
    h = members_page.history
    return [(h.item(r, 0).text(), h.item(r, 1).text()) for r in range(h.rowCount())]


# 表彰

def test_a_city_level_excellent_member_added_through_the_dialog_shows_in_the_list_and_history(
        qtbot, page, ctx, sample) -> None:
    tab = page.commendations
    assert tab.empty_label.isVisible()
    assert tab.empty_label.text().startswith("本组织还没有表彰记录。")
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = active_dialog(qtbot)
    assert isinstance(dialog, CommendationDialog) and dialog.windowTitle() == "新增表彰"

    choose(dialog.title, "优秀共产党员")
    assert dialog.to_member.isChecked()  # the recipient follows the title
    assert dialog.recipient_hint.text() == "“优秀共产党员”授予党员个人"
    # The scope holds two branches: the list names each member's; typing the name finds the one.
    type_text(qtbot, dialog.recipient.lineEdit(), "王建国")
    popup = dialog.recipient.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.recipient.currentText() == "王建国（办公室党支部）"
    choose(dialog.level, "市级")
    dialog.year.setValue(2024)
    type_text(qtbot, dialog.issuer, "中共江州市委")
    type_text(qtbot, dialog.document_no, "江委〔2024〕12号")
    type_date(qtbot, dialog.awarded_on, dt.date(2024, 6, 28))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert table(tab) == [{
        "年度": "2024", "级别": "市级", "称号": "优秀共产党员", "表彰对象": "王建国", "所在支部": "办公室党支部",
        "表彰单位": "中共江州市委", "文号": "江委〔2024〕12号", "表彰日期": "2024-06-28", "附件": "",
    }]
    assert tab.selected().recipient_name == "王建国"
    assert tab.count_label.text() == "共 1 项"
    # Latest first: the member was entered today, commended in 2024.
    assert member_history(qtbot, ctx, sample.branch, sample.secretary) == [
        (dt.date.today().isoformat(), "登记入册"), ("2024-06-28", "表彰：2024 市级 优秀共产党员（江委〔2024〕12号）")]


def test_an_organization_title_given_to_a_member_is_refused_under_the_field(qtbot, page, ctx, sample) -> None:
    dialog = page.commendations.add()
    choose(dialog.title, "先进基层党组织")
    assert dialog.to_org.isChecked()
    assert dialog.recipient_hint.text() == "“先进基层党组织”授予党组织"
    qtbot.mouseClick(dialog.to_member, Qt.MouseButton.LeftButton)  # the user insists on a member
    type_text(qtbot, dialog.recipient.lineEdit(), "王建国")
    choose(dialog.level, "基层党委")
    type_text(qtbot, dialog.document_no, "财机党〔2025〕3号")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error_text("recipient") == "“先进基层党组织”授予党组织，请选择党组织"
    assert not dialog.recipient_hint.isVisible()  # the error says it; the hint would repeat it
    assert (dialog.title.currentText(), dialog.recipient.currentText(), dialog.level.currentText(),
            dialog.document_no.text()) == ("先进基层党组织", "王建国", "基层党委", "财机党〔2025〕3号")
    assert honours.list_commendations(ctx.db, sample.committee) == []

    # To the branch instead: the member picked is kept should the user switch back.
    qtbot.mouseClick(dialog.to_org, Qt.MouseButton.LeftButton)
    assert dialog.recipient.currentText() == ""
    choose(dialog.recipient, "办公室党支部")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [(r["称号"], r["表彰对象"], r["所在支部"]) for r in table(page.commendations)] == [
        ("先进基层党组织", "办公室党支部", "办公室党支部")]


def test_the_forms_own_problems_show_together_and_nothing_is_written(qtbot, page, ctx, sample) -> None:
    dialog = page.commendations.add()
    choose(dialog.title, "其他")
    assert dialog.title_text.isEnabled()
    type_text(qtbot, dialog.recipient.lineEdit(), "王")  # 王建国 only: found
    type_text(qtbot, dialog.recipient.lineEdit(), "某某")  # "王某某": nobody
    type_date(qtbot, dialog.awarded_on, "2024-02-30")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("level") == "请选择级别"
    assert dialog.error_text("recipient") == "请从列表中选择党员"
    assert dialog.error_text("awarded_on") == "不是有效的日期，请按 2024-05-01 的格式填写"
    assert dialog.error_text("title_text") == ""  # the rules are not checked without a level
    assert honours.list_commendations(ctx.db, sample.committee) == []


def test_filters_by_year_level_and_title(qtbot, ctx, sample) -> None:
    db = ctx.db
    commend(db, sample, Title.EXCELLENT_MEMBER, Level.CITY, 2024, member=sample.secretary)
    zhao = next(m.id for m in members.list_members(db, sample.other_branch))
    commend(db, sample, Title.EXCELLENT_WORKER, Level.UNIT, 2025, member=zhao)
    commend(db, sample, Title.ADVANCED_ORGANIZATION, Level.CITY, 2025, org=sample.branch)
    commend(db, sample, Title.OTHER, Level.PARTY_COMMITTEE, 2024, org=sample.group, title_text="优秀党小组")
    page = show(qtbot, HonoursPage(ctx), ctx, sample.committee)
    tab = page.commendations
    assert tab.count_label.text() == "共 4 项"
    # Latest year first, then the highest level.
    assert [(r["年度"], r["级别"], r["称号"]) for r in table(tab)] == [
        ("2025", "市级", "先进基层党组织"), ("2025", "本单位", "优秀党务工作者"),
        ("2024", "市级", "优秀共产党员"), ("2024", "基层党委", "优秀党小组")]
    assert [tab.year_filter.itemText(i) for i in range(tab.year_filter.count())] == ["全部年度", "2025年", "2024年"]

    choose(tab.year_filter, "2025年")
    assert [r["表彰对象"] for r in table(tab)] == ["办公室党支部", "赵志强"]
    choose(tab.level_filter, "市级")
    assert [r["表彰对象"] for r in table(tab)] == ["办公室党支部"]
    assert tab.count_label.text() == "共 1 项"
    choose(tab.title_filter, "优秀共产党员")
    assert table(tab) == []
    assert tab.empty_label.isVisible()
    assert tab.empty_label.text().startswith("没有符合条件的表彰记录。")
    choose(tab.year_filter, "全部年度")
    assert [(r["年度"], r["表彰对象"]) for r in table(tab)] == [("2024", "王建国")]
    choose(tab.level_filter, "全部级别")
    choose(tab.title_filter, "其他")
    assert [(r["称号"], r["表彰对象"], r["所在支部"]) for r in table(tab)] == [
        ("优秀党小组", "第一党小组", "第一党小组")]

    # A new record starts from what is filtered.
    choose(tab.year_filter, "2024年")
    dialog = tab.add()
    assert (dialog.year.value(), dialog.level.currentText(), dialog.title.currentText()) == (2024, "", "其他")
    dialog.reject()
    # Another scope: its records only; the level and title chosen stay, a year it lacks does not.
    choose(tab.title_filter, "优秀党务工作者")
    ctx.set_scope(sample.other_branch)
    assert tab.year_filter.currentText() == "全部年度"
    assert [(r["年度"], r["称号"], r["表彰对象"]) for r in table(tab)] == [("2025", "优秀党务工作者", "赵志强")]


def test_a_hidden_page_reads_the_changes_when_shown_again(qtbot, page, ctx, sample) -> None:
    tab = page.commendations
    assert table(tab) == []
    page.hide()
    commend(ctx.db, sample, Title.EXCELLENT_MEMBER, Level.CITY, 2024, member=sample.secretary)
    ctx.notify_changed()
    assert table(tab) == []  # not read while hidden
    page.show()
    assert [r["表彰对象"] for r in table(tab)] == ["王建国"]


def test_edit_and_delete_with_a_confirmation_naming_the_record(qtbot, page, ctx, sample) -> None:
    commend(ctx.db, sample, Title.EXCELLENT_MEMBER, Level.CITY, 2024, member=sample.secretary,
            document_no="江委〔2024〕12号")
    ctx.notify_changed()
    tab = page.commendations
    tab.table.selectRow(0)
    dialog = tab.edit_selected()
    assert dialog.windowTitle() == "编辑表彰"
    assert (dialog.title.currentText(), dialog.recipient.currentText(), dialog.level.currentText(),
            dialog.year.value()) == ("优秀共产党员", "王建国（办公室党支部）", "市级", 2024)
    choose(dialog.level, "省级")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [r["级别"] for r in table(tab)] == ["省级"]

    seen = answer_message_boxes(NO)
    assert not tab.delete_selected()
    assert seen == ["确定删除表彰记录“2024 省级 优秀共产党员（江委〔2024〕12号） · 王建国”吗？"
                    "\n\n记录将移入回收站，可在“工具 › 回收站”中恢复。"]
    # Offscreen, closing the box gives neither the activation nor the focus back.
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    tab.table.setFocus()
    answer_message_boxes(YES)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert table(tab) == []
    assert honours.list_commendations(ctx.db, sample.committee) == []


def test_attachment_attached_opened_and_a_missing_file_explained(qtbot, page, ctx, sample, tmp_path,
                                                                 monkeypatch) -> None:
    commend(ctx.db, sample, Title.EXCELLENT_MEMBER, Level.CITY, 2024, member=sample.secretary)
    ctx.notify_changed()
    tab = page.commendations
    tab.table.selectRow(0)
    assert not tab.open_action.isEnabled()
    scan = tmp_path / "表彰决定.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(scan), ""))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)

    tab.attach_action.trigger()
    assert table(tab)[0]["附件"] == "有"
    assert tab.attach_action.text() == "更换附件…"
    stored = honours.attachment_path(ctx.db, tab.selected())
    assert stored.read_bytes() == b"%PDF-1.4 scan"
    assert tab.open_attachment()
    assert opened == [QUrl.fromLocalFile(str(stored))]

    stored.unlink()  # moved or deleted outside the app
    seen = answer_message_boxes(OK)
    assert not tab.open_attachment()
    assert seen and seen[0].startswith("附件文件已不在原处：")
    assert str(stored) in seen[0]
    assert opened == [QUrl.fromLocalFile(str(stored))]  # nothing more was opened
    assert table(tab)[0]["附件"] == "文件缺失"

    tab.attach_action.trigger()  # attached again
    assert table(tab)[0]["附件"] == "有"


def test_export_writes_the_file_and_says_where(qtbot, page, ctx, sample, tmp_path, monkeypatch) -> None:
    commend(ctx.db, sample, Title.EXCELLENT_MEMBER, Level.CITY, 2024, member=sample.secretary)
    ctx.notify_changed()
    out = tmp_path / "表彰名单"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(out), ""))
    seen = answer_message_boxes(OK)
    written = page.commendations.export()
    assert written == out.with_suffix(".xlsx") and written.is_file()
    assert seen == [f"已导出：{written}"]


def test_the_organization_page_shows_its_commendations(qtbot, ctx, sample) -> None:
    commend(ctx.db, sample, Title.ADVANCED_ORGANIZATION, Level.CITY, 2024, org=sample.branch,
            document_no="江委〔2024〕12号")
    commend(ctx.db, sample, Title.FIVE_GOOD_BRANCH, Level.ORGANS_WORKING_COMMITTEE, 2025, org=sample.branch)
    org_page = show(qtbot, OrganizationPage(ctx), ctx, sample.committee)
    org_page.select_org(sample.branch)
    assert org_page.honours_box.isVisible()
    assert org_page.honours_box.title() == "获得表彰（2 项）"
    assert org_page.honours_list.text() == "2025 机关工委 五好党支部\n2024 市级 先进基层党组织（江委〔2024〕12号）"
    org_page.select_org(sample.other_branch)
    assert not org_page.honours_box.isVisible()


# 民主评议

@pytest.fixture
def sheet(qtbot, ctx, sample) -> Iterator[EvaluationsTab]:
    """办公室党支部's 2025 sheet: 王建国, three more full members and 孙预备, probationary since 2025."""
    for name in ("张明", "刘芳", "陈刚"):
        members.create(ctx.db, sample.branch, member_data(name), today=TODAY)
    members.create(ctx.db, sample.branch, member_data(
        "孙预备", standing=Standing.PROBATIONARY, joined_on=dt.date(2025, 5, 10), full_on=None), today=TODAY)
    page = show(qtbot, HonoursPage(ctx), ctx, sample.branch)
    page.tabs.setCurrentIndex(1)
    tab = page.evaluations
    tab.year.setValue(EVALUATED)
    tab.table.setFocus()
    yield tab  # the page lives while the test runs


def rows(tab: EvaluationsTab) -> dict[str, tuple[str, str, str]]:
    m = tab.model
    return {m.index(r, NAME).data(): (m.index(r, STANDING).data(), m.index(r, RATING).data(),
                                      m.index(r, NOTE).data()) for r in range(m.rowCount())}


def line(tab: EvaluationsTab, name: str) -> int:
    return next(r for r in range(tab.model.rowCount()) if tab.model.index(r, NAME).data() == name)


def press(qtbot, tab: EvaluationsTab, name: str, key: Qt.Key) -> None:
    """Go to `name`'s line and press `key`, as the secretary does."""
    tab.table.setCurrentIndex(tab.model.index(line(tab, name), NAME))
    qtbot.keyClick(tab.table, key)


def compose(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does: a composition (pinyin) first, then the characters."""
    QApplication.sendEvent(widget, QInputMethodEvent("xian", []))
    commit = QInputMethodEvent()
    commit.setCommitString(text)
    QApplication.sendEvent(widget, commit)


def stored(ctx: AppContext, sample) -> dict[str, tuple[Rating | None, str]]:
    return {e.member.name: (e.rating, e.note) for e in honours.evaluation_sheet(ctx.db, sample.branch, EVALUATED)}


def test_the_year_shown_first_is_last_year_until_this_years_evaluation_begins(qtbot, ctx, sample) -> None:
    this_year = dt.date.today().year
    page = show(qtbot, HonoursPage(ctx), ctx, sample.branch)
    page.tabs.setCurrentIndex(1)
    assert page.evaluations.year.value() == this_year - 1
    assert page.evaluations.branch.currentText() == "办公室党支部"
    honours.save_evaluations(ctx.db, sample.branch, this_year, [(sample.secretary, Rating.QUALIFIED, "")])
    again = show(qtbot, HonoursPage(ctx), ctx, sample.branch)
    again.tabs.setCurrentIndex(1)
    assert again.evaluations.year.value() == this_year


def test_the_one_third_warning_appears_with_too_many_excellent_and_goes_when_fixed(qtbot, ctx, sample, sheet) -> None:
    qtbot.mouseClick(sheet.bulk_button, Qt.MouseButton.LeftButton)
    assert sheet.summary.text() == "参加评定 4 人：优秀 0 人，合格 4 人，基本合格 0 人，不合格 0 人；不参加评定 1 人"
    press(qtbot, sheet, "王建国", Qt.Key.Key_1)
    # The cursor moved on to the next member's 等次.
    assert sheet.table.currentIndex().row() == line(sheet, "王建国") + 1
    assert sheet.table.currentIndex().column() == RATING
    assert not sheet.warning.isVisible()  # 1 of 4
    press(qtbot, sheet, "刘芳", Qt.Key.Key_Y)
    assert rows(sheet)["刘芳"][1] == "优秀"
    assert sheet.warning.isVisible()
    assert sheet.warning.text() == "⚠ 评为优秀的 2 名，超过参加评定党员 4 名的三分之一（一般不超过 1 名）"
    press(qtbot, sheet, "刘芳", Qt.Key.Key_2)
    assert not sheet.warning.isVisible()
    assert sheet.summary.text() == "参加评定 4 人：优秀 1 人，合格 3 人，基本合格 0 人，不合格 0 人；不参加评定 1 人"

    qtbot.keyClick(sheet.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert sheet.saved_label.text() == "已保存"
    assert stored(ctx, sample)["王建国"] == (Rating.EXCELLENT, "")
    assert stored(ctx, sample)["刘芳"] == (Rating.QUALIFIED, "")


def test_probationary_members_show_not_rated_and_cannot_be_rated(qtbot, ctx, sample, sheet) -> None:
    assert rows(sheet)["孙预备"][:2] == ("预备党员", "不参加评定")
    assert "李晓梅" not in rows(sheet)  # admitted in 2026: not on the 2025 sheet
    index = sheet.model.index(line(sheet, "孙预备"), RATING)
    assert not sheet.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not sheet.model.setData(index, Rating.EXCELLENT.value)
    press(qtbot, sheet, "孙预备", Qt.Key.Key_1)
    assert rows(sheet)["孙预备"][1] == "不参加评定"
    qtbot.mouseClick(sheet.bulk_button, Qt.MouseButton.LeftButton)
    assert rows(sheet)["孙预备"][1] == "不参加评定"
    assert rows(sheet)["王建国"][1] == "合格"
    assert sheet.save()
    assert stored(ctx, sample)["孙预备"] == (Rating.NOT_RATED, "")


def test_unqualified_without_a_note_is_refused_naming_the_member(qtbot, ctx, sample, sheet) -> None:
    qtbot.mouseClick(sheet.bulk_button, Qt.MouseButton.LeftButton)
    press(qtbot, sheet, "陈刚", Qt.Key.Key_4)
    assert rows(sheet)["陈刚"][1:] == ("不合格", "请写明处置意见，如限期改正")  # shown, not stored
    qtbot.mouseClick(sheet.save_button, Qt.MouseButton.LeftButton)

    assert sheet.errors.isVisible()
    assert sheet.errors.text() == "陈刚：评为不合格的，请在备注中写明处置意见（如限期改正）"
    assert set(stored(ctx, sample).values()) == {(None, "")}  # nothing written
    assert rows(sheet)["陈刚"][1] == "不合格"  # the entries are kept
    assert sheet.table.currentIndex() == sheet.model.index(line(sheet, "陈刚"), NOTE)

    # Typing on the note cell opens it for editing; Enter ends the edit.
    compose(sheet.table, "限期改正，三个月后复评")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sheet.table.state() != QAbstractItemView.State.EditingState)
    assert rows(sheet)["陈刚"] == ("正式党员", "不合格", "限期改正，三个月后复评")
    assert not sheet.errors.isVisible()
    assert sheet.save()
    assert stored(ctx, sample)["陈刚"] == (Rating.UNQUALIFIED, "限期改正，三个月后复评")


def test_switching_away_from_unsaved_ratings_asks_first(qtbot, ctx, sample, sheet) -> None:
    press(qtbot, sheet, "王建国", Qt.Key.Key_1)
    assert sheet.revert_button.isEnabled()
    answer_message_boxes(NO)
    sheet.year.setValue(EVALUATED - 1)
    assert sheet.year.value() == EVALUATED  # kept, with the edit
    assert rows(sheet)["王建国"][1] == "优秀"
    ctx.notify_changed()  # a change elsewhere does not wipe the edit
    assert rows(sheet)["王建国"][1] == "优秀"
    seen = answer_message_boxes(YES)
    sheet.year.setValue(EVALUATED - 1)
    assert seen == ["办公室党支部2025年度的评议结果有修改尚未保存，放弃这些修改吗？"]
    assert sheet.year.value() == EVALUATED - 1
    assert rows(sheet)["王建国"][1] == "未评定"


def test_the_evaluation_export_wants_the_sheet_saved_first(qtbot, ctx, sample, sheet, tmp_path,
                                                           monkeypatch) -> None:
    out = tmp_path / "民主评议.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(out), ""))
    press(qtbot, sheet, "王建国", Qt.Key.Key_2)
    seen = answer_message_boxes(OK)
    assert sheet.export() is None
    assert seen == ["评议结果有修改尚未保存，请先保存再导出。"]
    assert not out.exists()
    assert sheet.save()
    seen = answer_message_boxes(OK)
    assert sheet.export() == out and out.is_file()
    assert seen == [f"已导出：{out}"]


# 学习成果

def test_study_output_added_edited_and_deleted(qtbot, ctx, sample) -> None:
    page = show(qtbot, HonoursPage(ctx), ctx, sample.branch)
    page.tabs.setCurrentIndex(2)
    tab = page.outputs
    assert tab.empty_label.isVisible()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = active_dialog(qtbot)
    assert isinstance(dialog, StudyOutputDialog)
    type_text(qtbot, dialog.member.lineEdit(), "王")
    qtbot.keyClick(dialog.member.completer().popup(), Qt.Key.Key_Escape)
    qtbot.keyClick(dialog.member.lineEdit(), Qt.Key.Key_Tab)  # leaving the field completes the name
    assert dialog.member.currentText() == "王建国"
    choose(dialog.kind, "调研报告")
    type_text(qtbot, dialog.title, "关于机关党建与业务深度融合的调研报告")
    type_date(qtbot, dialog.written_on, dt.date(2025, 9, 15))
    type_text(qtbot, dialog.published_in, "《江州机关党建》2025年第4期")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert table(tab) == [{"日期": "2025-09-15", "党员": "王建国", "所在支部": "办公室党支部", "类型": "调研报告",
                           "题目": "关于机关党建与业务深度融合的调研报告", "发表/获奖": "《江州机关党建》2025年第4期"}]

    dialog = tab.edit_selected()
    assert dialog.member.currentText() == "王建国"
    dialog.title.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text("title") == "不能为空"  # refused, kept open
    type_text(qtbot, dialog.title, "机关党建与业务融合调研")
    type_text(qtbot, dialog.award, "市直机关调研成果二等奖")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [(r["题目"], r["发表/获奖"]) for r in table(tab)] == [
        ("机关党建与业务融合调研", "《江州机关党建》2025年第4期；市直机关调研成果二等奖")]
    assert honours.list_study_outputs(ctx.db, sample.branch)[0].data.kind is OutputKind.RESEARCH_REPORT

    seen = answer_message_boxes(YES)
    assert tab.delete_selected()
    assert seen == ["确定删除王建国的调研报告《机关党建与业务融合调研》吗？"
                    "\n\n记录将移入回收站，可在“工具 › 回收站”中恢复。"]
    assert table(tab) == []
    assert honours.list_study_outputs(ctx.db, sample.branch) == []


def test_study_output_year_filter(qtbot, ctx, sample) -> None:
    for year in (2024, 2025, 2025):
        honours.create_study_output(ctx.db, StudyOutputData(
            sample.secretary, OutputKind.REFLECTION, f"{year}年学习心得", dt.date(year, 4, 1)), today=TODAY)
    page = show(qtbot, HonoursPage(ctx), ctx, sample.branch)
    page.tabs.setCurrentIndex(2)
    tab = page.outputs
    assert tab.count_label.text() == "共 3 项"
    choose(tab.year_filter, "2024年")
    assert [r["题目"] for r in table(tab)] == ["2024年学习心得"]
    assert tab.count_label.text() == "共 1 项"


def test_nothing_selected_leaves_edit_and_delete_off(page) -> None:
    tab = page.commendations
    assert tab.table.selectionModel().selectedRows() == []
    assert not tab.edit_button.isEnabled() and not tab.delete_button.isEnabled()
    assert tab.edit_selected() is None
    assert tab.table.currentIndex() == QModelIndex()


def test_a_refused_save_of_a_study_output_keeps_the_input(qtbot, ctx, sample) -> None:
    page = show(qtbot, HonoursPage(ctx), ctx, sample.branch)
    page.tabs.setCurrentIndex(2)
    dialog = page.outputs.add()
    type_text(qtbot, dialog.title, "学习心得")
    type_date(qtbot, dialog.written_on, TODAY + dt.timedelta(days=400))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("member_id") == "请从列表中选择党员"
    assert dialog.error_text("written_on") == "不能晚于今天"
    assert dialog.title.text() == "学习心得"
    assert honours.list_study_outputs(ctx.db, sample.branch) == []


def test_the_page_is_in_the_main_window(qtbot, ctx, sample) -> None:
    from branchdesk.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    window.nav.setCurrentRow(labels.index("表彰评议"))
    assert isinstance(window.pages.currentWidget(), HonoursPage)
    assert not window.nav.item(labels.index("表彰评议")).icon().isNull()
