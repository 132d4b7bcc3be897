"""The 党费 page with real widgets on a real SQLite file: the year grid, payments, the bulk mark,
exemptions, deletes, arrears and remittances, as a branch secretary sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from branchdesk.domain.members import DuesCategory
from branchdesk.services import dues, recycle
from branchdesk.ui.dues import clock
from branchdesk.ui.dues.dialogs import ExemptDialog, PaymentDialog, RemittanceDialog
from branchdesk.ui.dues.grid_model import BRANCH, DUE, FIRST_MONTH, NAME, OWED, PAID_TOTAL, STATES
from branchdesk.ui.dues.page import DuesPage
from tests.conftest import TODAY
from tests.ui.conftest import type_text

WANG, LI = "王建国", "李晓梅"


@pytest.fixture
def page(qtbot, ctx, sample, monkeypatch) -> DuesPage:
    """The page on 办公室党支部 on 2026-11-23: 王建国 at a base of 5100 元 (76.50 a month), 李晓梅
    (admitted 2026-01) at 3000 元 (15.00), both owing from January."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    dues.set_base(ctx.db, sample.secretary, dues.BaseData("2026-01", DuesCategory.EMPLOYED, base_fen=510000))
    dues.set_base(ctx.db, sample.probationary, dues.BaseData("2026-01", DuesCategory.EMPLOYED, base_fen=300000))
    ctx.set_scope(sample.branch)
    page = DuesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def grid_row(page: DuesPage, name: str) -> int:
    model = page.grid.model
    return next(r for r in range(model.rowCount()) if model.index(r, NAME).data() == name)


def cell(page: DuesPage, name: str, column: int) -> str:
    return page.grid.model.index(grid_row(page, name), column).data()


def month(page: DuesPage, name: str, number: int) -> str:
    return cell(page, name, FIRST_MONTH + number - 1)


def click_month(qtbot, page: DuesPage, name: str, number: int, shift: bool = False) -> None:
    table = page.grid.table
    index = page.grid.model.index(grid_row(page, name), FIRST_MONTH + number - 1)
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, table.visualRect(index).center())


def focus_table(qtbot, page: DuesPage) -> None:
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.grid.table.setFocus()


def open_dialog(page: DuesPage, kind: type):
    found = [d for d in page.findChildren(kind) if d.isVisible()]
    assert len(found) == 1
    return found[0]


def test_grid_shows_the_year(page) -> None:
    assert cell(page, WANG, DUE) == "76.50"
    assert cell(page, LI, DUE) == "15.00"
    assert month(page, WANG, 1) == "未交"
    assert month(page, WANG, 11) == "未交"  # this month: owed, not yet overdue
    assert month(page, WANG, 12) == ""  # still to come
    assert cell(page, WANG, OWED) == "765.00"  # January to October
    assert page.grid.table.isColumnHidden(BRANCH)  # one branch: no column repeating its name
    assert page.grid.totals.text() == "2 名党员　已交合计 0.00 元　欠缴 915.00 元（2 人）"
    index = page.grid.model.index(grid_row(page, WANG), FIRST_MONTH)
    assert index.data(Qt.ItemDataRole.BackgroundRole) == STATES["unpaid"][1]


def test_payment_recorded_from_the_grid_with_the_keyboard(qtbot, page, ctx, sample) -> None:
    click_month(qtbot, page, WANG, 11)
    focus_table(qtbot, page)
    qtbot.keyClick(page.grid.table, Qt.Key.Key_Return)
    dialog = open_dialog(page, PaymentDialog)
    assert dialog.months.months() == ["2026-11"]
    assert dialog.amount.text() == "76.50"
    assert dialog.paid_on.date_value() == TODAY
    qtbot.keyClicks(dialog.receipt_no, "No.0012")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert month(page, WANG, 11) == "✓76.50"
    index = page.grid.model.index(grid_row(page, WANG), FIRST_MONTH + 10)
    assert index.data(Qt.ItemDataRole.BackgroundRole) == STATES["paid"][1]
    assert "收据号 No.0012" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert cell(page, WANG, PAID_TOTAL) == "76.50"
    assert page.grid.totals.text() == "2 名党员　已交合计 76.50 元　欠缴 915.00 元（2 人）"
    [payment] = dues.payments(ctx.db, sample.secretary)
    assert (payment.months, payment.amount_fen, payment.receipt_no) == (["2026-11"], 7650, "No.0012")


def test_one_payment_covers_three_months_selected_in_the_row(qtbot, page, ctx, sample) -> None:
    click_month(qtbot, page, WANG, 8)
    click_month(qtbot, page, WANG, 10, shift=True)
    focus_table(qtbot, page)
    qtbot.keyClick(page.grid.table, Qt.Key.Key_Space)
    dialog = open_dialog(page, PaymentDialog)
    assert dialog.months.months() == ["2026-08", "2026-09", "2026-10"]
    assert dialog.months_hint.text() == "已选 3 个月，应交合计 229.50 元"
    assert dialog.amount.text() == "229.50"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert [month(page, WANG, m) for m in (7, 8, 9, 10, 11)] == ["未交", "补76.50", "补76.50", "补76.50", "未交"]
    assert cell(page, WANG, PAID_TOTAL) == "229.50"
    assert cell(page, WANG, OWED) == "535.50"
    assert [p.months for p in dues.payments(ctx.db, sample.secretary)] == [["2026-08", "2026-09", "2026-10"]]


def test_back_pay_of_seven_months_is_refused_and_nothing_saved(qtbot, page, ctx, sample) -> None:
    click_month(qtbot, page, WANG, 1)
    click_month(qtbot, page, WANG, 7, shift=True)
    page.grid.pay_selected()
    dialog = open_dialog(page, PaymentDialog)
    assert len(dialog.months.months()) == 7
    qtbot.keyClicks(dialog.receipt_no, "A-7")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert "一次补交最多 6 个月" in dialog.error_text("months")
    assert dialog.amount.text() == "535.50" and dialog.receipt_no.text() == "A-7"  # kept as typed
    assert dues.payments(ctx.db, sample.secretary) == []
    # Unchecking one month makes it acceptable.
    qtbot.mouseClick(dialog.months.buttons["2026-01"], Qt.MouseButton.LeftButton)
    assert dialog.error_text("months") == ""
    assert dialog.amount.text() == "459.00"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert month(page, WANG, 1) == "未交" and month(page, WANG, 2) == "补76.50"


def test_wrong_amount_is_refused_under_the_amount(qtbot, page, ctx, sample) -> None:
    click_month(qtbot, page, LI, 11)
    dialog = page.grid.pay_selected()
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "20")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "自愿多交" in dialog.error_text("amount_fen")
    qtbot.keyClicks(dialog.amount, "x")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text("amount_fen") == "应为金额，如 76.50"
    assert dues.payments(ctx.db, sample.probationary) == []


def test_bulk_mark_of_this_month_confirms_the_count(qtbot, page, ctx, sample) -> None:
    dues.record_payment(ctx.db, sample.probationary, ["2026-11"], TODAY, 1500, today=TODAY)
    page.grid.reload()
    assert page.grid.pay_all_action.text() == "本月全部已交…"
    asked: list[str] = []

    def ask(_parent, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    assert page.grid.pay_month_for_all(ask) == 1
    assert asked == ["把 1 名党员2026年11月的党费按应交金额记为已交（交纳日期 2026-11-23）？\n\n"
                     "应交合计 76.50 元。交了其他金额的人请逐一登记。"]
    assert month(page, WANG, 11) == "✓76.50"
    assert month(page, LI, 11) == "✓15.00"
    assert month(page, WANG, 10) == "未交"


def test_bulk_mark_declined_writes_nothing(qtbot, page, ctx, sample) -> None:
    click_month(qtbot, page, WANG, 10)
    assert page.grid.pay_all_action.text() == "10月全部已交…"
    asked: list[str] = []
    assert page.grid.pay_month_for_all(lambda _p, _t, text: asked.append(text) or False) == 0
    assert asked[0].startswith("把 2 名党员2026年10月的党费")
    assert dues.payments(ctx.db, sample.secretary) == []


def test_exempt_a_month_with_a_reason(qtbot, page, ctx, sample) -> None:
    click_month(qtbot, page, LI, 3)
    page.grid.exempt_selected()
    dialog = open_dialog(page, ExemptDialog)
    assert dialog.month.currentData() == "2026-03"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_text("reason") == "免交须写明理由"
    type_text(qtbot, dialog.reason, "经支委会研究，因病住院免交")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert month(page, LI, 3) == "免"
    index = page.grid.model.index(grid_row(page, LI), FIRST_MONTH + 2)
    assert "因病住院" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert cell(page, LI, OWED) == "135.00"  # nine months of 15.00, March no longer owed
    # Del on the exempt month undoes the exemption, after confirmation.
    assert page.grid.delete_action.text() == "撤销免交"
    asked: list[str] = []
    assert page.grid.delete_selected(lambda _p, _t, text: asked.append(text) or True)
    assert asked == ["撤销李晓梅2026年3月的免交（经支委会研究，因病住院免交）？撤销后该月为未交。"]
    assert month(page, LI, 3) == "未交"


def test_delete_a_payment_after_confirmation(qtbot, page, ctx, sample) -> None:
    dues.record_payment(ctx.db, sample.secretary, ["2026-09", "2026-10"], TODAY, 15300, receipt_no="R9",
                        today=TODAY)
    page.grid.reload()
    click_month(qtbot, page, WANG, 10)
    assert page.grid.delete_action.isEnabled()
    asked: list[str] = []
    assert not page.grid.delete_selected(lambda _p, _t, text: asked.append(text) or False)
    assert month(page, WANG, 9) == "补76.50"
    assert page.grid.delete_selected(lambda _p, _t, text: True)
    assert "删除王建国于 2026-11-23 交纳的党费记录（2026年9月、2026年10月，153.00 元，收据号 R9）" in asked[0]
    assert month(page, WANG, 9) == "未交" and month(page, WANG, 10) == "未交"
    assert [e.kind for e in recycle.entries(ctx.db)] == ["dues_payment"]


def test_arrears_tab_warns_at_three_and_five_months(qtbot, page, ctx, sample) -> None:
    # 王建国 paid January–May: June–October unpaid, five in a row. 李晓梅 paid January–July: three.
    dues.record_payment(ctx.db, sample.secretary, [f"2026-{m:02d}" for m in range(1, 6)], dt.date(2026, 6, 5),
                        5 * 7650, today=TODAY)
    dues.record_payment(ctx.db, sample.probationary, [f"2026-{m:02d}" for m in range(1, 8)], dt.date(2026, 7, 5),
                        7 * 1500, today=TODAY)
    page.show_tab(page.arrears)
    tab = page.arrears
    model = tab.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [WANG, LI]
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    wang = {t: model.index(0, c).data() for c, t in enumerate(titles)}
    assert wang["欠缴月数"] == "5" and wang["连续未交"] == "5" and wang["欠缴金额（元）"] == "382.50"
    assert wang["最早欠缴"] == "2026年6月"
    assert "自行脱党" in wang["提示"]
    red = model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert red.name() == "#fde4e3"
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"
    li = {t: model.index(1, c).data() for c, t in enumerate(titles)}
    assert li["连续未交"] == "3" and li["提示"] == "已欠缴 3 个月，请提醒补交"
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole).name() == "#fff1cc"
    assert "（红色）" in tab.summary.text()


def test_remittance_added_shows_in_the_totals(qtbot, page, ctx, sample) -> None:
    dues.record_payment(ctx.db, sample.secretary, ["2026-07", "2026-08", "2026-09"], dt.date(2026, 9, 30),
                        22950, today=TODAY)
    page.show_tab(page.remittance)
    tab = page.remittance
    assert tab.empty_label.isVisible()
    tab.add_button.click()
    dialog = open_dialog(page, RemittanceDialog)
    assert (dialog.period_from.text(), dialog.period_to.text()) == ("2026-07", "2026-09")
    # The amount collected in the period is suggested.
    assert dialog.amount.text() == "229.50" and dialog.amount_hint.text() == "该期间2026年内实收 229.50 元"
    qtbot.keyClicks(dialog.receipt_no, "SJ-2026-3")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    record = {tab.model.headerData(c, Qt.Orientation.Horizontal): tab.model.index(0, c).data()
              for c in range(tab.model.columnCount())}
    assert record["所属期间"] == "2026-07至2026-09"
    assert record["金额（元）"] == "229.50" and record["收据号"] == "SJ-2026-3"
    months = tab.months_model
    september = [months.index(8, c).data() for c in range(months.columnCount())]
    assert september == ["9月", "91.50", "76.50", "83.6%", "229.50"]
    year = [months.index(12, c).data() for c in range(months.columnCount())]
    assert year[0] == "全年" and year[4] == "229.50"
    assert tab.branches_model.index(0, 4).data() == "229.50"
    assert tab.summary.text().endswith("已上缴 229.50 元")

    tab.table.selectRow(0)
    assert tab.delete_selected(lambda _p, _t, _text: True)
    assert tab.model.rowCount() == 0
    assert dues.remittances(ctx.db, sample.branch, 2026) == []


def test_frozen_name_column_stays_while_months_scroll(qtbot, page, ctx, sample) -> None:
    ctx.set_scope(sample.committee)  # two branches: the 支部 column shows and the grid scrolls
    page.resize(900, 600)
    qtbot.waitUntil(lambda: not page.grid.table.isColumnHidden(BRANCH))
    table = page.grid.table
    bar = table.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert table.frozen.isVisible()
    assert table.frozen.columnWidth(0) == table.columnWidth(0)
    assert all(table.frozen.isColumnHidden(c) for c in range(1, table.model().columnCount()))
    assert table.frozen.geometry().left() <= table.frameWidth()
    # A click on a name in the frozen column selects it and gives the keyboard to the grid.
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.year.setFocus()
    index = page.grid.model.index(grid_row(page, "赵志强"), NAME)
    qtbot.mouseClick(table.frozen.viewport(), Qt.MouseButton.LeftButton, pos=table.frozen.visualRect(index).center())
    assert page.grid.current_row().name == "赵志强"
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert open_dialog(page, PaymentDialog).row.name == "赵志强"
