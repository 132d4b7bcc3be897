"""操作日志: the audit log as a sheet (时间, 操作人, 操作, 类别, 记录, 修改项目)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from . import sheet
from .sheet import Column, Report, Sheet

COLUMNS = (Column("时间"), Column("操作人"), Column("操作", total="count"), Column("类别"),
           Column("记录"), Column("修改项目"))


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def write(target: Path, rows: Sequence[tuple[str, str, str, str, str, str]], unit: str,
          first: dt.date | None, last: dt.date | None, made_on: dt.date) -> None:
    """`rows` as (time, OS user, action, table, record, changed fields), latest first."""
    if first or last:
        label = f"{_day(first) if first else '最早'}至{_day(last) if last else '今'}"
        period = f"{first.isoformat() if first else ''}/{last.isoformat() if last else ''}"
    else:
        label, period = "全部", "all"
    title = "操作日志"
    report = Report(kind="audit-log", title=title, period=period, period_label=label, scope_id=0,
                    scope=unit or "本数据文件", unit=unit or "本数据文件", preparer="", made_on=made_on)
    notes = ["注：日志只记录修改了哪些项目，不记录其内容；身份证号、联系电话等个人信息不写入日志。"]
    sheet.write(target, report, [Sheet("操作日志", title, COLUMNS, list(rows), notes=notes)])
