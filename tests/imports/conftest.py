"""Files to import, made by the tests, and a dump of the whole database to compare before/after."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from branchdesk.imports.members import COLUMNS
from branchdesk.store.database import Database

HEADER = list(COLUMNS)
# Valid people (ID check digits by GB 11643), none of them in the sample database.
ZHOU = ("周文华", "男", "1980-05-17", "110105198005170017")
CHEN = ("陈丽", "女", "1990-02-14", "110105199002140028")
SUN = ("孙国庆", "男", "1975-08-08", "310104197508080036")
LIU = ("刘芳", "女", "1988-11-11", "440305198811110040")


def row(name: str, gender: str, birth: str, id_number: str, standing: str = "正式党员",
        joined: str = "2003-07-01", full: str = "2004-07-01", **more: object) -> list[object]:
    """A row in design.md §6 column order."""
    values: dict[str, object] = {"姓名": name, "性别": gender, "民族": "汉族", "出生日期": birth,
                                 "身份证号": id_number, "学历": "大学本科", "人员类别": standing,
                                 "入党日期": joined, "转正日期": full, "党费类别": "在职", "党费基数": "5100",
                                 "所在党小组": "", "联系电话": "13800138000", "备注": ""}
    values.update(more)
    return [values[c] for c in HEADER]


def xlsx(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "党员"
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str,
              header: Sequence[str] = HEADER) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table, in rowid order: the database's content."""
    conn: sqlite3.Connection = db.conn
    return {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall() for t in db.table_names()}
