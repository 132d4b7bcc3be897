"""The dues base dialog (党费基数) and the payment dialog's month choice, with real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from branchdesk.domain.members import DuesCategory
from branchdesk.services import dues
from branchdesk.ui.dues import clock
from branchdesk.ui.dues.base_dialog import BaseDialog
from branchdesk.ui.dues.dialogs import PaymentDialog
from branchdesk.ui.dues.grid_model import BASE, DUE, NAME, RATE
from branchdesk.ui.dues.page import DuesPage
from tests.conftest import TODAY
from tests.ui.conftest import answer_message_boxes


@pytest.fixture
def page(qtbot, ctx, sample, monkeypatch) -> DuesPage:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    ctx.set_scope(sample.branch)
    page = DuesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def select(page: DuesPage, name: str, column: int = NAME) -> int:
    model = page.grid.model
    row = next(r for r in range(model.rowCount()) if model.index(r, NAME).data() == name)
    page.grid.table.setCurrentIndex(model.index(row, column))
    return row


def base_dialog(page: DuesPage, name: str) -> BaseDialog:
    select(page, name)
    dialog = page.grid.edit_base()
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_base_typed_gives_the_amount_live_and_saves(qtbot, page, ctx, sample) -> None:
    dialog = base_dialog(page, "王建国")
    assert dialog.category.currentText() == "在职"
    assert dialog.effective_from.text() == "2026-11"
    dialog.effective_from.selectAll()
    qtbot.keyClicks(dialog.effective_from, "2026/1")
    qtbot.keyClicks(dialog.base, "5100")
    assert dialog.due.text() == "76.50 元（1.5%）"  # 中组发〔2008〕3号's own example
    dialog.base.clear()
    qtbot.keyClicks(dialog.base, "4900")
    assert dialog.due.text() == "49.00 元（1%）"
    dialog.base.clear()
    qtbot.keyClicks(dialog.base, "5100")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    [base] = dues.bases(ctx.db, sample.secretary)
    assert (base.data.effective_from, base.base_fen, base.due_fen) == ("2026-01", 510000, 7650)
    row = select(page, "王建国")
    model = page.grid.model
    assert [model.index(row, c).data() for c in (BASE, RATE, DUE)] == ["5100.00", "1.5%", "76.50"]


def test_base_from_pay_items_is_worked_out_as_typed(qtbot, page, ctx, sample) -> None:
    dialog = base_dialog(page, "王建国")
    dialog.from_pay.click()
    assert dialog.gross.isVisibleTo(dialog) and not dialog.base.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.gross, "6500")
    qtbot.keyClicks(dialog.tax, "150.50")
    qtbot.keyClicks(dialog.deductions, "1249.50")
    assert dialog.computed.text() == "应发工资 − 个人所得税 − 扣除项 = 5100.00 元"
    assert dialog.due.text() == "76.50 元（1.5%）"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    base = dues.bases(ctx.db, sample.secretary)[-1]  # from this month on
    assert base.data.effective_from == "2026-11"
    assert (base.data.gross_fen, base.data.tax_fen, base.data.deductions_fen) == (650000, 15050, 124950)
    assert base.base_fen == 510000

    # Opened again, the dialog starts from the pay items saved.
    again = base_dialog(page, "王建国")
    assert again.from_pay.isChecked() and again.gross.text() == "6500.00"
    assert again.due.text() == "76.50 元（1.5%）"


def test_override_needs_a_reason(qtbot, page, ctx, sample) -> None:
    dialog = base_dialog(page, "李晓梅")
    qtbot.keyClicks(dialog.base, "5100")
    dialog.override.click()
    assert dialog.override_reason.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.override_amount, "50")
    assert dialog.due.text() == "50.00 元（手动调整；按规定为 76.50 元（1.5%））"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert "须写明理由" in dialog.error_text("override_reason")
    assert dialog.override_amount.text() == "50" and dialog.base.text() == "5100"
    assert dues.bases(ctx.db, sample.probationary) == []
    qtbot.keyClicks(dialog.override_reason, "hardship")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    base = dues.bases(ctx.db, sample.probationary)[-1]
    assert (base.due_fen, base.rule_due_fen, base.data.override_reason) == (5000, 7650, "hardship")


def test_farmer_amount_outside_the_range_is_refused(qtbot, page, ctx, sample) -> None:
    dialog = base_dialog(page, "李晓梅")
    dialog.category.setCurrentIndex(dialog.category.findData(DuesCategory.FARMER))
    assert not dialog.base.isVisibleTo(dialog) and dialog.fixed.isVisibleTo(dialog)
    assert dialog.fixed_hint.text() == "农民党员每月 0.20 至 1.00 元，由支部确定"
    qtbot.keyClicks(dialog.fixed, "1.5")
    assert dialog.due.text() == "—"
    assert "超出范围" in dialog.due_hint.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "超出范围" in dialog.error_text("fixed_fen")
    dialog.fixed.clear()
    qtbot.keyClicks(dialog.fixed, "0.5")
    assert dialog.due.text() == "0.50 元（0.50元）"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dues.bases(ctx.db, sample.probationary)[-1].due_fen == 50


def test_student_category_is_the_flat_amount(qtbot, page) -> None:
    dialog = base_dialog(page, "李晓梅")
    dialog.category.setCurrentIndex(dialog.category.findData(DuesCategory.STUDENT))
    assert dialog.category.currentText() == "学生·下岗·低保"
    assert not dialog.base.isVisibleTo(dialog) and not dialog.fixed.isVisibleTo(dialog)
    assert dialog.due.text() == "0.20 元（0.20元）"


def test_payment_dialog_offers_only_months_open(qtbot, page, ctx, sample) -> None:
    dues.set_base(ctx.db, sample.secretary, dues.BaseData("2026-01", DuesCategory.EMPLOYED, base_fen=510000))
    dues.record_payment(ctx.db, sample.secretary, ["2026-10"], TODAY, 7650, today=TODAY)
    page.grid.reload()
    select(page, "王建国")
    dialog = page.grid.pay_selected()
    assert isinstance(dialog, PaymentDialog)
    buttons = dialog.months.buttons
    assert not buttons["2026-10"].isEnabled()  # paid
    assert buttons["2026-11"].isEnabled() and buttons["2026-12"].isEnabled()  # owed; to come (预交)
    assert dialog.months.months() == []
    assert dialog.months_hint.text() == "点选要交纳的月份；一次可交多个月"
    qtbot.mouseClick(buttons["2026-12"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons["2026-11"], Qt.MouseButton.LeftButton)
    assert dialog.amount.text() == "153.00"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [p.months for p in dues.payments(ctx.db, sample.secretary)][-1] == ["2026-11", "2026-12"]


def test_import_bases_lists_problems_and_imports_the_valid_rows(qtbot, page, ctx, sample, tmp_path) -> None:
    sheet = tmp_path / "基数.csv"
    sheet.write_text("姓名,党费类别,党费基数,生效月份\n王建国,在职,5100,2026-01\n李晓梅,离退休,4000,\n"
                     "张无忌,在职,3000,2026-01\n", encoding="utf-8")
    dialog = page.grid.import_bases()
    assert dialog is not None and dialog.org.currentData() == sample.branch
    assert not dialog.import_button.isEnabled()
    assert dialog.choose_file(sheet)
    problems = [tuple(dialog.problems_model.index(r, c).data() for c in range(4))
                for r in range(dialog.problems_model.rowCount())]
    assert problems == [("4", "姓名", "张无忌", "本组织中找不到该党员")]
    valid = [tuple(dialog.valid_model.index(r, c).data() for c in range(6))
             for r in range(dialog.valid_model.rowCount())]
    assert valid == [("2", "王建国", "在职", "5100.00", "2026-01", "76.50"),
                     ("3", "李晓梅", "离退休", "4000.00", "2026-01", "20.00")]
    assert dialog.tabs.tabText(0) == "问题（1）" and dialog.tabs.tabText(1) == "将导入（2）"
    assert dues.bases(ctx.db, sample.secretary) == []  # nothing written before the import

    seen = answer_message_boxes(QMessageBox.StandardButton.Ok)
    assert dialog.import_rows()
    assert seen == ["已导入 2 名党员的2026年党费基数。\n1 行有问题，未导入。"]
    row = select(page, "王建国")
    assert page.grid.model.index(row, DUE).data() == "76.50"
    assert dues.bases(ctx.db, sample.probationary)[0].due_fen == 2000
