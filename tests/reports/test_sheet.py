"""The shared sheet style (design.md §5) on a made-up report, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.reports import sheet
from branchdesk.reports.sheet import Column, Kind, Report, Sheet, Subtotal
from tests.reports.records import info, table

REPORT = Report(kind="dues-summary", title="2025年度党费收缴汇总表", period="2025", period_label="2025年度",
                scope_id=7, scope="办公室党支部", unit="市直机关某局机关党委", preparer="李晓梅",
                made_on=dt.date(2026, 1, 15))
COLUMNS = (
    Column("支部"), Column("人数", Kind.NUMBER, total="sum"), Column("应交（元）", Kind.MONEY, total="sum"),
    Column("实交（元）", Kind.MONEY, total="sum"),
    Column("收缴率", Kind.PERCENT, formula='=IF({应交（元）}{row}>0,{实交（元）}{row}/{应交（元）}{row},"")'),
    Column("核定日期", Kind.DATE),
)
ROWS = [("办公室党支部", 12, 1530.5, 1530.5, None, dt.date(2025, 1, 10)),
        ("测绘地理信息管理科党支部", 30, 4210.0, 3900.25, None, None)]
NARROW = (Column("项目"), Column("数量", Kind.NUMBER, total="sum"))


def _write(tmp_path: Path, *sheets: Sheet) -> Path:
    target = tmp_path / "report.xlsx"
    sheet.write(target, REPORT, sheets)
    return target


@pytest.fixture
def book(tmp_path: Path):
    target = _write(tmp_path, Sheet("党费汇总", REPORT.title, COLUMNS, ROWS, highlight=["{收缴率}{row}<1"],
                                    notes=["注：收缴率低于100%的支部以红色标出。"]))
    return load_workbook(target)


def test_text_width_counts_chinese_as_two() -> None:
    assert sheet.text_width("党支部") == 6
    assert sheet.text_width("2025") == 4
    assert sheet.text_width("江委〔2025〕12号") == 4 + 2 + 4 + 2 + 2 + 2


def test_title_info_line_and_header(book) -> None:
    ws = book["党费汇总"]
    assert ws["A1"].value == "2025年度党费收缴汇总表"
    assert {"A1:F1", "A2:F2"} <= {str(r) for r in ws.merged_cells.ranges}
    line = ws["A2"].value.replace("\n", "　　")
    for part in ("填报单位：市直机关某局机关党委", "统计范围：办公室党支部", "统计期间：2025年度", "制表人：李晓梅",
                 "制表日期：2026年1月15日"):
        assert part in line
    header = ws[sheet.HEADER_ROW]
    assert [c.value for c in header] == [c.header for c in COLUMNS]
    assert all(c.font.b and c.border.top.style == "thin" and c.border.bottom.style == "thin" for c in header)


def test_every_cell_is_songti_and_data_cells_are_bordered(book) -> None:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "宋体", cell.coordinate
    ws = book["党费汇总"]
    for row in ws.iter_rows(min_row=sheet.FIRST_ROW, max_row=sheet.FIRST_ROW + len(ROWS)):
        assert all(c.border.left.style == "thin" for c in row)


def test_widths_fit_the_longest_text(book) -> None:
    ws = book["党费汇总"]
    assert ws.column_dimensions["A"].width == sheet.text_width("测绘地理信息管理科党支部") + 2
    assert ws.column_dimensions["C"].width == sheet.text_width("应交（元）") + 2
    assert ws.column_dimensions["F"].width == len("2025-01-10") + 2


def test_formats_totals_and_per_row_formulas(book) -> None:
    ws = book["党费汇总"]
    first, last, totals = sheet.FIRST_ROW, sheet.FIRST_ROW + 1, sheet.FIRST_ROW + 2
    assert ws[f"C{first}"].number_format == "0.00" and ws[f"D{last}"].value == 3900.25
    assert ws[f"E{first}"].number_format == "0.0%"
    assert ws[f"E{first}"].value == f'=IF(C{first}>0,D{first}/C{first},"")'
    assert ws[f"F{first}"].number_format == "yyyy-mm-dd" and ws[f"F{first}"].value == dt.datetime(2025, 1, 10)
    assert [c.value for c in ws[totals]] == [
        "合计", f"=SUM(B{first}:B{last})", f"=SUM(C{first}:C{last})", f"=SUM(D{first}:D{last})",
        f'=IF(C{totals}>0,D{totals}/C{totals},"")', None]
    assert ws[f"B{totals}"].font.b
    assert ws[f"A{totals + 1}"].value == "注：收缴率低于100%的支部以红色标出。"


def test_shortfalls_are_highlighted_by_a_live_rule(book) -> None:
    ws = book["党费汇总"]
    rules = [(str(cf.sqref), rule.formula, rule.dxf.fill.fgColor.rgb)
             for cf in ws.conditional_formatting for rule in cf.rules]
    assert rules == [(f"A{sheet.FIRST_ROW}:F{sheet.FIRST_ROW + 1}", [f"$E{sheet.FIRST_ROW}<1"], "00FFC7CE")]


def test_print_setup_and_frozen_header(book) -> None:
    ws = book["党费汇总"]
    assert ws.freeze_panes == f"A{sheet.FIRST_ROW}"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${sheet.HEADER_ROW}:${sheet.HEADER_ROW}"
    assert "&P" in ws.oddFooter.center.text


def test_orientation_follows_the_width(tmp_path: Path) -> None:
    wide = [Column(f"第{n}列很长的标题") for n in range(1, 9)]
    book = load_workbook(_write(tmp_path, Sheet("窄表", "窄", NARROW, [("党课", 4)]),
                                Sheet("宽表", "宽", wide, [tuple("内容" for _ in wide)])))
    assert book["窄表"].page_setup.orientation == "portrait"
    assert book["宽表"].page_setup.orientation == "landscape"


def test_document_properties_and_hidden_metadata(book) -> None:
    assert book.properties.title == "2025年度党费收缴汇总表"
    assert book.properties.creator == "市直机关某局机关党委"
    assert book.sheetnames == ["党费汇总", "报表信息"]
    assert book["报表信息"].sheet_state == "hidden"
    assert info(book) == {"kind": "dues-summary", "title": "2025年度党费收缴汇总表", "period": "2025",
                          "period_label": "2025年度", "scope_id": 7,
                          "scope": "办公室党支部", "unit": "市直机关某局机关党委", "made_on": "2026-01-15",
                          "format_version": sheet.FORMAT_VERSION}


def test_subtotal_rows_are_bold_and_skipped_by_a_count_total(tmp_path: Path) -> None:
    columns = (Column("组"), Column("姓名", total="count"))
    rows = [("一组", "王建国"), ("一组", "李晓梅"), Subtotal(("小计", "=SUBTOTAL(3,B4:B5)")), ("二组", "赵志强"),
            Subtotal(("小计", "=SUBTOTAL(3,B7:B7)"))]
    ws = load_workbook(_write(tmp_path, Sheet("名单", "名单", columns, rows)))["名单"]
    assert ws["A6"].font.b and not ws["A5"].font.b
    assert ws["B9"].value == "=SUBTOTAL(3,B4:B8)"


def test_an_empty_sheet_says_so(tmp_path: Path) -> None:
    ws = load_workbook(_write(tmp_path, Sheet("空表", "空", NARROW, [])))["空表"]
    assert table(ws) == [("无记录", None), ("合计", f"=SUM(B{sheet.FIRST_ROW}:B{sheet.FIRST_ROW})")]


def test_long_text_wraps_within_the_widest_column(tmp_path: Path) -> None:
    note = "限期改正：支部书记谈心谈话，三个月内提交整改报告，支部大会听取整改情况后再作处理"
    ws = load_workbook(_write(tmp_path, Sheet("名单", "名单", NARROW, [(note, 1)])))["名单"]
    assert ws.column_dimensions["A"].width == 40
    assert ws[f"A{sheet.FIRST_ROW}"].alignment.wrap_text
    assert ws.row_dimensions[sheet.FIRST_ROW].height > 2 * ws.row_dimensions[sheet.HEADER_ROW].height - 10


def test_fen_are_written_as_yuan_and_text_passes(tmp_path: Path) -> None:
    from branchdesk.reports.sheet import CellHighlight

    columns = (Column("姓名"), Column("1月", Kind.FEN, total="sum", width=9), Column("2月", Kind.FEN, total="sum"),
               Column("学时", Kind.DECIMAL))
    rows = [("甲", 7650, "未交", 1.5), ("乙", 1, 20, 32.0)]
    book = load_workbook(_write(tmp_path, Sheet("党费", "党费", columns, rows,
                                                highlight=[CellHighlight("1月", "2月", '{cell}="未交"')])))
    ws = book["党费"]
    assert [c.value for c in ws[4]] == ["甲", 76.5, "未交", 1.5] and ws["B5"].value == 0.01
    assert ws["B4"].number_format == "0.00" and ws["D4"].number_format == "0.0"
    assert ws.column_dimensions["B"].width == 9  # a fixed width; the header wraps
    assert [(str(cf.sqref), r.formula) for cf in ws.conditional_formatting for r in cf.rules] == [
        ("B4:C5", ['B4="未交"'])]


def test_headers_on_two_lines_make_the_header_row_taller(tmp_path: Path) -> None:
    columns = (Column("党支部"), Column("学习活动\n场次", Kind.NUMBER, width=10))
    ws = load_workbook(_write(tmp_path, Sheet("表", "表", columns, [("办公室党支部", 3)])))["表"]
    assert ws.row_dimensions[sheet.HEADER_ROW].height == 2 * 15 + 6


def test_duplicate_headers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="重复的列标题"):
        _write(tmp_path, Sheet("表", "表", (Column("甲"), Column("甲")), [("1", "2")]))


def test_charts_are_drawn_from_the_sheets_columns(tmp_path: Path) -> None:
    import zipfile

    from branchdesk.reports.sheet import Chart

    columns = (Column("月份"), Column("出勤率", Kind.PERCENT), Column("应交", Kind.MONEY), Column("实交", Kind.MONEY))
    rows = [(f"{m}月", 0.9, 100.0, 90.0) for m in range(1, 4)]
    target = _write(tmp_path, Sheet("月度", "月度", columns, rows, charts=[
        Chart("出勤率", "月份", ["出勤率"], kind="line"), Chart("党费", "月份", ["应交", "实交"], y_title="元")]))
    with zipfile.ZipFile(target) as z:
        line, bars = (z.read(f"xl/charts/chart{n}.xml").decode() for n in (1, 2))
    assert "lineChart" in line and "'月度'!$B$4:$B$6" in line and 'formatCode="0%"' in line
    assert "barChart" in bars and "<f>'月度'!C3</f>" in bars  # the series is named by its header
    assert "'月度'!$C$4:$C$6" in bars and "'月度'!$D$4:$D$6" in bars and "'月度'!$A$4:$A$6" in bars
    assert load_workbook(target)["月度"]["A4"].value == "1月"  # the table is still there under the charts' anchor
