"""The 报表中心 page: the preview holds what the exported file holds, the export runs on a worker
thread with its own connection and can be cancelled, ID numbers stay masked unless asked, and the
汇总 dialog checks each file."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QRunnable, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from branchdesk.domain.periods import Period
from branchdesk.reports import sheet
from branchdesk.reports.sheet import Kind
from branchdesk.services import exports, members
from branchdesk.ui.reports.model import FORMULA
from branchdesk.ui.reports.page import ReportsPage
from tests.conftest import TODAY, Sample, member_data
from tests.reports.records import Honours, record
from tests.ui.conftest import answer_message_boxes

ID_NUMBER = "110105198503040012"
OK = QMessageBox.StandardButton.Ok


@pytest.fixture
def recorded(db, sample: Sample) -> Honours:
    return record(db, sample)


@pytest.fixture
def page(qtbot, ctx, recorded: Honours):
    ctx.set_scope(recorded.sample.committee)
    widget = ReportsPage(ctx)
    widget.today = TODAY
    qtbot.addWidget(widget)
    widget.resize(1100, 640)
    widget.show()
    qtbot.waitUntil(lambda: widget.prepared is not None, timeout=10_000)
    yield widget
    widget.pool.waitForDone()


def show(qtbot, page: ReportsPage, report: str, period: Period | None = None) -> None:
    """Pick `report` in the list (and `period`, unless the page already shows it), and wait for its
    preview."""
    page.select_report(report)
    if period is not None and page.period() != period:
        page.set_period(period)
    qtbot.waitUntil(lambda: page.prepared is not None and page.prepared.info.name == report
                    and (period is None or page.prepared.period == period), timeout=10_000)


def export(qtbot, page: ReportsPage, out: Path) -> Path:
    seen = answer_message_boxes(OK)
    with qtbot.waitSignal(page.exported, timeout=20_000) as done:
        assert page.export(out) is not None
    qtbot.waitUntil(lambda: bool(seen))
    assert str(out) in seen[0]
    return done.args[0]


def _cell(value: Any) -> Any:
    """A cell as the preview model holds it (a blank text is an empty cell in the file)."""
    if isinstance(value, str) and value.startswith("="):
        return FORMULA
    if value == "":
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def file_rows(ws, columns) -> list[list[Any]]:
    """The rows under the header down to the totals row, as the preview model holds them (money the
    file shows in yuan is kept in fen)."""
    fen = [c.kind is Kind.FEN for c in columns]
    rows = []
    for row in ws.iter_rows(min_row=sheet.FIRST_ROW, max_col=len(columns), values_only=True):
        rows.append([round(v * 100) if f and isinstance(v, int | float) else _cell(v)
                     for v, f in zip(row, fen, strict=True)])
        if row[0] == sheet.TOTAL_LABEL:
            break
    return rows


def test_every_preview_is_what_its_file_holds(qtbot, page: ReportsPage, tmp_path: Path) -> None:
    assert page.report_list.count() == len(exports.REPORTS)
    for report, info in exports.REPORTS.items():
        show(qtbot, page, report)
        out = export(qtbot, page, tmp_path / f"{report}.xlsx")
        book = load_workbook(out)
        prepared = page.prepared
        assert page.heading.text() == prepared.report.title and info.label in prepared.report.title
        assert [page.sheet_tabs.tabText(i) for i in range(page.sheet_tabs.count())] == book.sheetnames[:-1]
        for index, ws in enumerate(book.worksheets[:-1]):
            model = page.sheet_model(index)
            assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == \
                [c.value for c in ws[sheet.HEADER_ROW]]
            written = file_rows(ws, prepared.sheets[index].columns)
            count = len(prepared.sheets[index].rows)
            if not count:  # the file says 无记录 in its only row
                assert written[0][0] == "无记录" and model.rowCount() == int(model.has_totals)
                continue
            width = model.columnCount()
            shown = [[_cell(model.value(r, c)) for c in range(width)] for r in range(count)]
            assert shown == written[:count], (report, ws.title)
            if not model.has_totals:
                continue
            # The totals the preview shows are what the file's SUM / SUBTOTAL formulas come to.
            totals, data = [model.value(count, c) for c in range(width)], written[:-1]
            assert written[-1][0] == sheet.TOTAL_LABEL == totals[0]
            for column, total in enumerate(totals[1:], 1):
                cell = ws.cell(sheet.FIRST_ROW + count, column + 1)
                above = f"{cell.column_letter}{sheet.FIRST_ROW}:{cell.column_letter}{cell.row - 1}"
                cells = [r[column] for r in data]
                if cell.value == f"=SUM({above})":
                    numbers = [v for v in cells if isinstance(v, int | float)]
                    assert total == (FORMULA if FORMULA in cells else sum(numbers)), (report, ws.title, column)
                elif cell.value == f"=SUBTOTAL(3,{above})":
                    assert total == sum(v is not None for v in cells), (report, ws.title, column)
                else:
                    assert total in (FORMULA, None), (report, ws.title, column)


def test_the_preview_shows_numbers_as_the_file_does(qtbot, page: ReportsPage, recorded: Honours) -> None:
    show(qtbot, page, "evaluations", Period(2025))
    assert page.heading.text() == "2025年度民主评议结果汇总表"
    assert [page.sheet_tabs.tabText(i) for i in range(page.sheet_tabs.count())] == ["评议汇总", "评议名单"]
    model = page.sheet_model(0)
    shown = [[model.text(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert shown == [["办公室党支部", "2", "1", "0", "1", "1", "自动计算", "自动计算"],
                     ["业务科党支部", "0", "1", "1", "0", "0", "自动计算", "自动计算"],
                     ["合计", "2", "2", "1", "1", "1", "自动计算", "自动计算"]]
    assert page.suggested_name() == "2025年度民主评议结果汇总表-市直机关某局机关党委.xlsx"
    # The scope follows the window's selector.
    page.ctx.set_scope(recorded.sample.other_branch)
    qtbot.waitUntil(lambda: page.prepared is not None and page.prepared.report.scope == "业务科党支部")
    assert "业务科党支部" in page.scope_label.text()
    assert page.sheet_model(0).text(0, 0) == "业务科党支部" and page.sheet_model(0).rowCount() == 2


def test_periods_offered_are_the_reports_own(qtbot, page: ReportsPage) -> None:
    show(qtbot, page, "roster")
    assert [page.period_kind.itemText(i) for i in range(page.period_kind.count())] == ["全年"]
    assert not page.period_kind.isEnabled() and page.quarter.isHidden() and page.month.isHidden()
    show(qtbot, page, "meetings", Period(2026, quarter=3))
    assert [page.period_kind.itemText(i) for i in range(page.period_kind.count())] == ["全年", "季度", "月份"]
    assert page.quarter.isVisible() and page.month.isHidden() and page.quarter.currentText() == "第三季度"
    assert page.heading.text().startswith("2026年第三季度")
    page.period_kind.setCurrentIndex(page.period_kind.findData("month"))
    page.month.setCurrentIndex(10)
    qtbot.waitUntil(lambda: page.prepared is not None and page.prepared.period == Period(2026, month=11))
    assert page.month.isVisible() and page.quarter.isHidden()
    assert page.heading.text().startswith("2026年11月")
    # The year and kind of period picked stay when another report allows them.
    page.year.setValue(2025)
    show(qtbot, page, "attendance", Period(2025, month=11))
    assert page.heading.text() == "2025年11月学习考勤表"
    show(qtbot, page, "evaluations", Period(2025))
    assert page.quarter.isHidden() and page.month.isHidden()


def test_the_preview_is_read_on_a_worker_thread(qtbot, page: ReportsPage, monkeypatch) -> None:
    threads = []
    real = exports.prepare

    def prepare(db, *args, **kwargs):
        threads.append((threading.get_ident(), db is page.ctx.db))
        return real(db, *args, **kwargs)

    monkeypatch.setattr(exports, "prepare", prepare)
    show(qtbot, page, "commendations", Period(2025))
    assert threads and all(ident != threading.get_ident() and not same for ident, same in threads)


def test_roster_ids_are_masked_until_asked(qtbot, page: ReportsPage, recorded: Honours, tmp_path: Path) -> None:
    members.create(page.ctx.db, recorded.sample.branch,
                   member_data("钱学成", id_number=ID_NUMBER, phone="13912345678"), today=TODAY)
    page.ctx.notify_changed()
    show(qtbot, page, "roster")
    qtbot.waitUntil(lambda: any("钱学成" in row for row in page.sheet_model(0).rows))
    assert page.full_ids.isVisible() and not page.full_ids.isChecked()

    def shown() -> str:
        model = page.sheet_model(0)
        return " ".join(model.text(r, c) for r in range(model.rowCount()) for c in range(model.columnCount()))

    assert ID_NUMBER not in shown() and "13912345678" not in shown() and "1101*************2" in shown()
    masked = load_workbook(export(qtbot, page, tmp_path / "masked.xlsx"))
    assert ID_NUMBER not in str([list(r) for r in masked.worksheets[0].values])

    page.full_ids.click()
    qtbot.waitUntil(lambda: ID_NUMBER in shown())
    assert "13912345678" in shown()
    full = load_workbook(export(qtbot, page, tmp_path / "full.xlsx"))
    assert ID_NUMBER in str([list(r) for r in full.worksheets[0].values])
    page.full_ids.click()
    qtbot.waitUntil(lambda: ID_NUMBER not in shown())
    page.full_ids.click()
    qtbot.waitUntil(lambda: ID_NUMBER in shown())
    show(qtbot, page, "evaluations")
    assert page.full_ids.isHidden() and not page.options().show_full_ids
    show(qtbot, page, "roster")  # back on the roster: masked again until asked again
    assert not page.full_ids.isChecked() and ID_NUMBER not in shown()


class _Blocker(QRunnable):
    """Keeps the page's one worker thread busy until released, so that a job waits its turn."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def run(self) -> None:
        self.release.wait(10)


def test_cancel_leaves_no_file(qtbot, page: ReportsPage, tmp_path: Path) -> None:
    show(qtbot, page, "evaluations", Period(2025))
    blocker = _Blocker()
    page.pool.start(blocker)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "cancelled.xlsx"
    job = page.export(out)
    assert job is not None and page.progress is not None
    cancel = next(b for b in page.progress.findChildren(QPushButton) if b.text() == "取消")
    cancel.click()
    blocker.release.set()
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    assert list(folder.iterdir()) == []  # nor a part of one
    assert page.status.text() == "已取消导出，没有生成文件。" and page.progress is None
    assert page.export_button.isEnabled() and page.prepared is not None  # nothing lost: export again
    assert export(qtbot, page, out).exists()


def test_a_refused_export_is_shown_and_nothing_is_lost(qtbot, page: ReportsPage, tmp_path: Path) -> None:
    show(qtbot, page, "evaluations", Period(2025))
    prepared = page.prepared
    seen = answer_message_boxes(OK)
    assert page.export(tmp_path / "no such folder" / "e.xlsx") is not None
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert "不存在" in seen[0] and "no such folder" in seen[0]
    assert page.prepared is prepared and page.period() == Period(2025) and page.report == "evaluations"


def test_consolidation_dialog_checks_each_file(qtbot, page: ReportsPage, recorded: Honours, tmp_path: Path) -> None:
    sample = recorded.sample
    files = [exports.export_report(page.ctx.db, "evaluations", tmp_path / f"{name}.xlsx", org, Period(2025), TODAY)
             for name, org in (("办公室", sample.branch), ("业务科", sample.other_branch))]
    other_kind = exports.export_report(page.ctx.db, "commendations", tmp_path / "表彰.xlsx", sample.branch,
                                       Period(2025), TODAY)
    renamed = tmp_path / "改名的文本.xlsx"
    renamed.write_text("这不是表格", encoding="utf-8")
    dialog = page.open_consolidation()
    qtbot.addWidget(dialog)
    assert "民主评议结果汇总表（评议汇总）" in dialog.findChild(QLabel).text()
    assert not dialog.save_button.isEnabled()

    dialog.add_files([files[0], other_kind, renamed, files[0]])  # the same file twice is listed once
    assert dialog.table.rowCount() == 3
    results = [dialog.table.item(row, 4).text() for row in range(3)]
    assert results[0] == "可以汇总"
    assert "表彰.xlsx" in results[1] and "不能汇总" in results[1]
    assert "改名的文本.xlsx" in results[2] and "不是有效的 Excel 工作簿" in results[2]
    assert dialog.table.item(0, 3).text() == "办公室党支部" and dialog.table.item(0, 2).text() == "2025年度"
    assert not dialog.save_button.isEnabled() and "2 个文件不能汇总" in dialog.summary.text()

    dialog.table.selectRow(1)
    dialog.remove_selected()
    dialog.table.selectRow(1)
    dialog.remove_selected()
    dialog.add_files([files[1]])
    assert [dialog.table.item(row, 4).text() for row in range(2)] == ["可以汇总", "可以汇总"]
    assert dialog.save_button.isEnabled() and "2 个文件，共 2 个支部" in dialog.summary.text()
    assert dialog.suggested_name() == "2025年度民主评议结果汇总表（汇总）.xlsx"

    out = tmp_path / "汇总.xlsx"
    seen = answer_message_boxes(OK)
    assert dialog.save(out) == out
    assert seen and "已汇总 2 个文件、2 个支部" in seen[0]
    book = load_workbook(out)
    assert [r[0] for r in book["评议汇总"].iter_rows(min_row=sheet.FIRST_ROW, max_row=6, values_only=True)] == \
        ["办公室党支部", "业务科党支部", "合计"]
    assert "填报单位：市直机关某局机关党委" in book["评议汇总"]["A2"].value  # the organization in scope
