"""Reading tables: .xlsx and .csv, and every kind of file that is refused."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from branchdesk.imports.reader import MAX_ROWS, UnreadableFile, read_table
from tests.imports.conftest import HEADER, ZHOU, row, write_csv, xlsx


def test_xlsx_rows_keep_their_spreadsheet_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "办公室党支部党员花名册"  # a title line above the header
    ws.merge_cells("A1:N1")
    ws.append(HEADER)
    ws.append(row(*ZHOU, 出生日期=dt.date(1980, 5, 17)))
    ws.append([])
    ws.append(["陈丽"])
    wb.save(tmp_path / "a.xlsx")
    table = read_table(tmp_path / "a.xlsx")
    assert (table.file, table.sheet, table.header_row) == ("a.xlsx", "Sheet", 2)
    assert table.headers == HEADER
    assert table.row_numbers == [3, 5]
    assert table.rows[0][0] == "周文华" and table.rows[0][3] == dt.date(1980, 5, 17)
    assert table.rows[1][0] == "陈丽"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_excel_saves(tmp_path: Path, encoding: str) -> None:
    table = read_table(write_csv(tmp_path / "a.csv", [row(*ZHOU)], encoding))
    assert table.headers == HEADER
    assert table.rows[0][0] == "周文华" and table.row_numbers == [2]


def refused(path: Path) -> str:
    with pytest.raises(UnreadableFile) as info:
        read_table(path)
    return str(info.value)


def test_not_an_xlsx(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    assert refused(tmp_path / "notes.txt") == "notes.txt 不是 Excel（.xlsx）或 CSV 文件，无法导入"
    (tmp_path / "fake.xlsx").write_text("姓名,性别\n张三,男\n")
    assert refused(tmp_path / "fake.xlsx") == "fake.xlsx 不是有效的 Excel（.xlsx）文件，无法读取"
    (tmp_path / "old.xls").write_bytes(b"x")
    assert "旧版 Excel（.xls）" in refused(tmp_path / "old.xls")
    assert refused(tmp_path / "missing.xlsx") == f"找不到文件 {tmp_path / 'missing.xlsx'}"
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert refused(tmp_path / "empty.xlsx") == "empty.xlsx 是空文件"


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = xlsx(tmp_path / "whole.xlsx", [row(*ZHOU)]).read_bytes()
    (tmp_path / "half.xlsx").write_bytes(whole[: len(whole) // 2])
    assert refused(tmp_path / "half.xlsx") == "half.xlsx 文件不完整或已损坏，无法读取"


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "other.xlsx", "w") as z:
        z.writestr("readme.txt", "not a workbook")
    assert refused(tmp_path / "other.xlsx") == "other.xlsx 文件不完整或已损坏，无法读取"


def test_encrypted_workbook(tmp_path: Path) -> None:
    # Excel saves a password-protected .xlsx as a Compound File holding EncryptionInfo and
    # EncryptedPackage streams (MS-OFFCRYPTO); their names sit in its directory in UTF-16.
    body = bytearray(4096)
    body[1024:1024 + 28] = "EncryptionInfo".encode("utf-16-le")
    (tmp_path / "secret.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(body))
    assert refused(tmp_path / "secret.xlsx") == (
        "secret.xlsx 设有打开密码（已加密），请在 Excel 中取消密码并保存后再导入")
    (tmp_path / "renamed.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert "实为旧版 Excel（.xls）文件" in refused(tmp_path / "renamed.xlsx")


def test_empty_sheet_and_header_only(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "blank.xlsx")
    assert refused(tmp_path / "blank.xlsx") == "blank.xlsx 的工作表“Sheet”是空的，没有表头和数据"
    assert refused(xlsx(tmp_path / "header.xlsx", [])) == "header.xlsx 的工作表“党员”只有表头，没有数据行"
    (tmp_path / "blank.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    assert refused(tmp_path / "blank.csv") == "blank.csv 是空的，没有表头和数据"


def test_merged_header_cells(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "党员信息", None])
    ws.append(["", "", "入党日期", "转正日期"])
    ws.merge_cells("C1:D1")
    ws.append(["周文华", "男", "2003-07-01", "2004-07-01"])
    wb.save(tmp_path / "merged.xlsx")
    assert refused(tmp_path / "merged.xlsx") == (
        "merged.xlsx 的工作表“Sheet”表头有合并单元格（C1:D1），请取消合并，使每列只有一个列名，再导入")


def test_more_than_the_row_limit(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员")
    ws.append(["姓名", "性别"])
    for i in range(MAX_ROWS + 1):
        ws.append([f"党员{i}", "男"])
    wb.save(tmp_path / "big.xlsx")
    assert refused(tmp_path / "big.xlsx") == (
        "big.xlsx 的工作表“党员”有 100,001 行数据，超过 100,000 行，请分成几个文件导入")
    lines = "姓名,性别\n" + "张三,男\n" * (MAX_ROWS + 20)
    (tmp_path / "big.csv").write_text(lines, encoding="utf-8")
    assert refused(tmp_path / "big.csv") == "big.csv 超过 100,000 行，请分成几个文件导入"


def test_undecodable_csv(tmp_path: Path) -> None:
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\xff" * 8)
    assert "文字编码无法识别" in refused(tmp_path / "bin.csv")
    (tmp_path / "huge.csv").write_text("姓名,性别\n" + "张" * 200_000 + ",男\n", encoding="utf-8")
    assert refused(tmp_path / "huge.csv").startswith("huge.csv 不是有效的 CSV 文件：field larger than field limit")
