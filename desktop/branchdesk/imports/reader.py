"""One sheet of a spreadsheet as a header and rows: .xlsx (python-calamine) and .csv.

Files come from people's own PCs, so anything may arrive: another format renamed, half a file, a
password-protected workbook, a sheet with a two-level merged header. Each is refused with
`UnreadableFile`, whose Chinese message names the file; nothing here raises anything else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# Data rows a file may hold (design.md §9: a 100,000-row sheet is refused, not read).
MAX_ROWS = 100_000
# A title line or two (e.g. a merged "党员花名册") may stand above the header row.
_HEADER_SEARCH = 10
# Compound File (OLE2) signature: old .xls files, and .xlsx files Excel encrypted with a password.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ZIP = b"PK\x03\x04"


class UnreadableFile(Exception):
    """A file that cannot be read as a table; the message is Chinese and names the file."""


@dataclass(frozen=True)
class Table:
    file: str  # the file's name, as problems quote it
    sheet: str  # the sheet read ("" for .csv)
    header_row: int  # 1-based row number of the header
    headers: list[str]
    rows: list[list[object]]  # the non-blank rows under the header, cells as read
    row_numbers: list[int]  # each row's 1-based number in the spreadsheet


def read_table(path: Path) -> Table:
    """The first visible sheet of an .xlsx file, or a .csv file (UTF-8 with or without BOM, or
    GBK/GB18030 as Chinese Excel saves it). Blank cells are None; blank rows are left out."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UnreadableFile(f"{path.name} 是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
    if suffix not in (".xlsx", ".csv"):
        raise UnreadableFile(f"{path.name} 不是 Excel（.xlsx）或 CSV 文件，无法导入")
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFile(f"找不到文件 {path}") from exc
    except OSError as exc:
        raise UnreadableFile(f"无法读取 {path.name}：{exc.strerror or exc}") from exc
    if suffix == ".csv":
        return _table(path.name, "", _csv_rows(path.name, data))
    return _xlsx(path.name, data)


def _xlsx(name: str, data: bytes) -> Table:
    import python_calamine

    if data.startswith(_OLE2):
        if _ENCRYPTION_INFO in data:
            raise UnreadableFile(f"{name} 设有打开密码（已加密），请在 Excel 中取消密码并保存后再导入")
        raise UnreadableFile(f"{name} 实为旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
    if not data:
        raise UnreadableFile(f"{name} 是空文件")
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [m.name for m in book.sheets_metadata
                  if m.typ == python_calamine.SheetTypeEnum.WorkSheet
                  and m.visible == python_calamine.SheetVisibleEnum.Visible]
        if not sheets:
            raise UnreadableFile(f"{name} 中没有可见的工作表")
        sheet = book.get_sheet_by_name(sheets[0])
        top = sheet.start[0] if sheet.start else 0  # None for an empty sheet
        numbered = ((top + i + 1, row) for i, row in enumerate(sheet.iter_rows()))
        table = _table(name, sheet.name, numbered)
        merged = sheet.merged_cell_ranges or []
    except python_calamine.PasswordError as exc:
        raise UnreadableFile(f"{name} 设有密码，请在 Excel 中取消密码并保存后再导入") from exc
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        why = "文件不完整或已损坏" if data.startswith(_ZIP) else "不是有效的 Excel（.xlsx）文件"
        raise UnreadableFile(f"{name} {why}，无法读取") from exc
    for (r1, c1), (r2, c2) in merged:
        if r1 + 1 <= table.header_row <= r2 + 1:
            cells = f"{_cell_name(r1, c1)}:{_cell_name(r2, c2)}"
            raise UnreadableFile(f"{name} 的工作表“{table.sheet}”表头有合并单元格（{cells}），"
                                 "请取消合并，使每列只有一个列名，再导入")
    return table


def _cell_name(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row + 1}"


def _csv_rows(name: str, data: bytes) -> Iterator[tuple[int, list[object]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(f"{name} 的文字编码无法识别，请用 Excel 另存为“CSV UTF-8”后再导入")
    try:
        # Materialised so that a malformed line is reported here, not half-way through parsing.
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UnreadableFile(f"{name} 不是有效的 CSV 文件：{exc}") from exc
    return ((number, list(row)) for number, row in enumerate(rows, 1))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(name: str, sheet: str, numbered: Iterable[tuple[int, Sequence[object]]]) -> Table:
    where = f"{name} 的工作表“{sheet}”" if sheet else f"{name} "
    kept: list[tuple[int, list[object]]] = []
    for number, raw in numbered:
        cells = [None if _blank(v) else v for v in raw]
        if any(v is not None for v in cells):
            if len(kept) > MAX_ROWS + _HEADER_SEARCH:
                raise UnreadableFile(f"{where}超过 {MAX_ROWS:,} 行，请分成几个文件导入")
            kept.append((number, cells))
    if not kept:
        raise UnreadableFile(f"{where}是空的，没有表头和数据")
    # The header is the first row naming two or more columns; rows above it are titles.
    at = next((i for i, (_n, cells) in enumerate(kept[:_HEADER_SEARCH])
               if sum(v is not None for v in cells) >= 2), 0)
    header_row, header = kept[at]
    body = kept[at + 1:]
    if len(body) > MAX_ROWS:
        raise UnreadableFile(f"{where}有 {len(body):,} 行数据，超过 {MAX_ROWS:,} 行，请分成几个文件导入")
    if not body:
        raise UnreadableFile(f"{where}只有表头，没有数据行")
    return Table(name, sheet, header_row, ["" if v is None else str(v).strip() for v in header],
                 [cells for _n, cells in body], [n for n, _c in body])
