"""从表格导入党员 through the member page, with real widgets, a real SQLite file and real spreadsheets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtWidgets import QMessageBox

from branchdesk.imports.members import COLUMNS
from branchdesk.services import members
from branchdesk.ui.members.import_dialog import ImportDialog
from branchdesk.ui.members.page import MembersPage
from tests.ui.conftest import answer_message_boxes
from tests.ui.test_members_page import names, open_page

HEADER = list(COLUMNS)
OK = QMessageBox.StandardButton.Ok
# Valid people (GB 11643 check digits), none of them in the sample database.
ZHOU = ("周文华", "男", "1980-05-17", "110105198005170017")
CHEN = ("陈丽", "女", "1990-02-14", "110105199002140028")
SUN = ("孙国庆", "男", "1975-08-08", "310104197508080036")


def line(name: str, gender: str, birth: str, id_number: str, **more: object) -> list[object]:
    values: dict[str, object] = {"姓名": name, "性别": gender, "民族": "汉族", "出生日期": birth,
                                 "身份证号": id_number, "学历": "大学本科", "人员类别": "正式党员",
                                 "入党日期": "2003-07-01", "转正日期": "2004-07-01", "党费类别": "在职",
                                 "党费基数": "5100", "所在党小组": "", "联系电话": "13800138000", "备注": ""}
    values.update(more)
    return [values[c] for c in HEADER]


def xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def roll(db, org_id: int) -> list[tuple]:
    return [(m.name, m.data.phone, m.data.education) for m in members.list_members(db, org_id)]


@pytest.fixture
def page(qtbot, ctx, sample) -> MembersPage:
    return open_page(qtbot, ctx, sample.branch)


def open_dialog(qtbot, page: MembersPage, path: Path | None = None) -> ImportDialog:
    dialog = page.import_from_file(path)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def cells(model) -> list[tuple[str, ...]]:
    return list(model.rows)


def test_a_good_file_imports_and_shows_in_the_members_table(qtbot, page, tmp_path) -> None:
    assert page.import_button.text() == "导入"
    assert [a.text() for a in page.import_button.menu().actions()] == ["下载模板…", "从表格导入…"]
    dialog = open_dialog(qtbot, page, xlsx(tmp_path / "名册.xlsx", [line(*ZHOU), line(*CHEN)]))
    assert dialog.org_label.text() == "办公室党支部"
    assert "新增 <b>2</b> / 更新 <b>0</b> / 已存在 <b>0</b> / 有问题" in dialog.summary.text()
    assert [r[:4] for r in cells(dialog.new_model)] == [("2", "周文华", "男", "1980-05-17"),
                                                       ("3", "陈丽", "女", "1990-02-14")]
    assert cells(dialog.new_model)[0][4] == "1101*************7"  # masked in the list
    assert not dialog.save_button.isEnabled() and dialog.import_button.isEnabled()
    assert "周文华" not in names(page)  # nothing written by the preview

    seen = answer_message_boxes(OK)
    assert dialog.import_rows()
    assert seen == ["已导入到“办公室党支部”：新增党员 2 名，更新 0 名。"]
    assert (dialog.added, dialog.updated) == (2, 0)
    assert {"周文华", "陈丽", "王建国", "李晓梅"} <= set(names(page))

    # The same file again adds nothing: both rows are already there.
    again = open_dialog(qtbot, page, tmp_path / "名册.xlsx")
    assert "新增 <b>0</b> / 更新 <b>0</b> / 已存在 <b>2</b>" in again.summary.text()
    assert not again.import_button.isEnabled()
    again.reject()


def test_problems_are_listed_by_row_and_column_and_only_valid_rows_import(qtbot, page, ctx, sample,
                                                                       tmp_path) -> None:
    rows = [line(*ZHOU),
            line("钱多多", "男", "1980-05-17", "110105198005170018"),  # wrong check digit
            line(*CHEN, 入党日期="2003-13-45"),  # no such date
            line(*SUN)]
    dialog = open_dialog(qtbot, page, xlsx(tmp_path / "有问题.xlsx", rows))
    problems = cells(dialog.problems_model)
    assert [(r, c) for r, c, _v, _why in problems] == [("3", "身份证号"), ("4", "入党日期")]
    assert problems[0][2] == "110105198005170018"
    assert problems[1][2] == "2003-13-45"
    assert all(why for *_x, why in problems)
    assert dialog.tabs.currentIndex() == 0 and dialog.tabs.tabText(0) == "问题（2）"
    assert "有问题 <b style='color:#d93025'>2</b>" in dialog.summary.text()
    assert [r[1] for r in cells(dialog.new_model)] == ["周文华", "孙国庆"]
    assert dialog.save_button.isEnabled()

    seen = answer_message_boxes(OK)
    assert dialog.import_rows()
    assert "有问题的 2 行（共 2 处）不会导入" in dialog.summary.text()
    assert seen[0].startswith("已导入到“办公室党支部”：新增党员 2 名")
    assert "2 行有问题，未导入。" in seen[0]
    stored = {m.name for m in members.list_members(ctx.db, sample.branch)}
    assert {"周文华", "孙国庆"} <= stored and not {"钱多多", "陈丽"} & stored


def test_cancel_writes_nothing(qtbot, page, ctx, sample, tmp_path) -> None:
    before = roll(ctx.db, sample.branch)
    dialog = open_dialog(qtbot, page, xlsx(tmp_path / "名册.xlsx", [line(*ZHOU)]))
    assert dialog.preview is not None and len(dialog.preview.new) == 1
    dialog.cancel_button.click()
    assert dialog.result() == ImportDialog.DialogCode.Rejected
    assert roll(ctx.db, sample.branch) == before
    assert "周文华" not in names(page)


def test_an_unreadable_file_shows_why_and_keeps_the_dialog(qtbot, page, tmp_path) -> None:
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"this is no spreadsheet at all")
    dialog = open_dialog(qtbot, page, bad)
    assert dialog.isVisible() and dialog.preview is None
    assert not dialog.error.isHidden()
    assert "坏文件.xlsx" in dialog.error.text()
    assert not dialog.import_button.isEnabled()
    # Another choice: the message goes, the preview comes.
    assert dialog.choose_file(xlsx(tmp_path / "名册.xlsx", [line(*ZHOU)]))
    assert dialog.error.isHidden()
    assert dialog.import_button.isEnabled()


def test_the_problem_list_saves_as_xlsx(qtbot, page, tmp_path) -> None:
    dialog = open_dialog(qtbot, page, xlsx(tmp_path / "有问题.xlsx", [
        line(*ZHOU), line("钱多多", "男", "1980-05-17", "110105198005170018")]))
    out = dialog.save_problems(tmp_path / "问题清单")  # the .xlsx suffix is added
    assert out == tmp_path / "问题清单.xlsx" and out.is_file()
    assert "问题清单已保存" in dialog.saved_label.text()
    values = [tuple(r) for r in load_workbook(out, read_only=True).active.iter_rows(values_only=True)]
    found = [r for r in values if r[:3] == (3, "身份证号", "110105198005170018")]
    assert len(found) == 1 and found[0][3]


def test_updates_show_their_changes_and_can_be_left_out(qtbot, page, ctx, sample, tmp_path) -> None:
    # 王建国 (matched by name and birth date) with a new phone number and education.
    path = xlsx(tmp_path / "更新.xlsx", [line("王建国", "男", "1985-03-04", "", 学历="研究生",
                                              联系电话="13912345678", 入党日期="2008-06-01",
                                              转正日期="2009-06-01", 所在党小组="第一党小组"),
                                         line(*ZHOU)])
    dialog = open_dialog(qtbot, page, path)
    assert cells(dialog.updates_model) == [("2", "王建国", "学历", "（空） → 研究生"),
                                           ("", "", "党费基数", "0.00 → 5100.00"),
                                           ("", "", "联系电话", "（空） → 139****5678")]
    assert dialog.include_updates.isEnabled() and dialog.include_updates.isChecked()
    dialog.include_updates.setChecked(False)
    seen = answer_message_boxes(OK)
    assert dialog.import_rows()
    assert "另有 1 名已有党员的信息有变化，未更新。" in seen[0]
    assert ("王建国", "", "") in roll(ctx.db, sample.branch)

    again = open_dialog(qtbot, page, path)  # now with the updates
    assert "更新 <b>1</b>" in again.summary.text()
    answer_message_boxes(OK)
    assert again.import_rows()
    assert ("王建国", "13912345678", "研究生") in roll(ctx.db, sample.branch)


def test_a_committee_scope_asks_which_branch(qtbot, ctx, sample, tmp_path) -> None:
    page = open_page(qtbot, ctx, sample.committee)
    dialog = open_dialog(qtbot, page, xlsx(tmp_path / "名册.xlsx", [line(*ZHOU)]))
    assert dialog.org.isVisible()
    assert dialog.preview is None and dialog.error.text() == "请先选择导入到哪个支部"
    dialog.org.setCurrentIndex(dialog.org.findData(sample.other_branch))
    assert dialog.preview is not None and dialog.preview.org_name == "业务科党支部"
    answer_message_boxes(OK)
    assert dialog.import_rows()
    assert "周文华" in {m.name for m in members.list_members(ctx.db, sample.other_branch)}


def test_download_template_saves_a_template_that_imports_nothing(qtbot, page, tmp_path) -> None:
    seen = answer_message_boxes(OK)
    out = page.download_template(tmp_path / "模板")
    assert out == tmp_path / "模板.xlsx" and out.is_file()
    assert seen and str(out) in seen[0]
    header = next(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert "姓名" in header and "身份证号" in header
    dialog = open_dialog(qtbot, page, out)  # the example row is skipped
    assert dialog.preview is not None and not dialog.preview.new and not dialog.import_button.isEnabled()
