"""What every exported report must look like (design.md §5), checked on a workbook read back."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter

from branchdesk.reports import sheet
from tests.reports.records import info


def assert_layout(book, kind: str, period: str, sheets: list[str]) -> None:
    """The tabs (plus the hidden 报表信息), the document properties, and every sheet's title, header,
    font and print setup."""
    assert book.sheetnames == [*sheets, sheet.INFO_SHEET]
    assert book[sheet.INFO_SHEET].sheet_state == "hidden"
    meta = info(book)
    assert (meta["kind"], meta["period"], meta["format_version"]) == (kind, period, sheet.FORMAT_VERSION)
    assert book.properties.title == meta["title"] and book.properties.creator == meta["unit"]
    assert book.properties.keywords == kind
    for name in sheets:
        ws = book[name]
        last = ws.max_column
        assert ws["A1"].font.name == "宋体" and ws["A1"].font.b and ws["A1"].value
        if last > 1:
            assert f"A1:{get_column_letter(last)}1" in {str(r) for r in ws.merged_cells.ranges}
        assert "填报单位：" in ws["A2"].value and "统计期间：" in ws["A2"].value and "制表日期：" in ws["A2"].value
        header = ws[sheet.HEADER_ROW]
        assert all(c.font.b and c.border.bottom.style == "thin" for c in header if c.value)
        assert ws.freeze_panes == f"A{sheet.FIRST_ROW}"
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == f"${sheet.HEADER_ROW}:${sheet.HEADER_ROW}"
        width = sum(ws.column_dimensions[c.column_letter].width for c in header)
        assert ws.page_setup.orientation == ("landscape" if width > 95 else "portrait"), name


def column(ws, header: str) -> int:
    """The 1-based index of the column headed `header`."""
    return [c.value for c in ws[sheet.HEADER_ROW]].index(header) + 1


def rows_by(ws, key: str = "") -> dict[str, tuple]:
    """Data rows by the value of the column headed `key` (the first column when blank), totals row included."""
    index = column(ws, key) - 1 if key else 0
    found = {}
    for row in ws.iter_rows(min_row=sheet.FIRST_ROW, values_only=True):
        if row[0] is not None and str(row[0]).startswith("注："):
            break
        found[row[index]] = row
    return found


def totals_row(ws) -> int:
    """The row number of the 合计 row."""
    for row in ws.iter_rows(min_row=sheet.FIRST_ROW):
        if row[0].value == sheet.TOTAL_LABEL:
            return row[0].row
    raise AssertionError(f"{ws.title} has no totals row")


def highlights(ws) -> list[tuple[str, list[str]]]:
    return [(str(cf.sqref), rule.formula) for cf in ws.conditional_formatting for rule in cf.rules]


def chart_parts(path: Path) -> list[str]:
    """The chart parts inside the .xlsx (openpyxl does not read charts back)."""
    with zipfile.ZipFile(path) as z:
        return sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
