"""导入问题清单: every problem of a member import (行, 列, 值, 问题), to fix the file by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from . import sheet
from .sheet import Column, Kind, Report, Sheet

COLUMNS = (Column("行", Kind.NUMBER, total="count"), Column("列"), Column("值"), Column("问题"))


def write(target: Path, file: str, org_name: str, problems: Sequence[tuple[int, str, str, str]],
          made_on: dt.date) -> None:
    """`problems` as (row, column, value, reason), in row order."""
    title = f"党员导入问题清单（{file}）"
    report = Report(kind="import-problems", title=title, period=made_on.isoformat(),
                    period_label=f"{made_on.year}年{made_on.month}月{made_on.day}日导入", scope_id=0,
                    scope=org_name, unit=org_name, preparer="", made_on=made_on)
    notes = ["注：“行”为原表格中的行号；请按“问题”修改原表格后重新导入。"]
    sheet.write(target, report, [Sheet("导入问题", title, COLUMNS, list(problems), notes=notes)])
