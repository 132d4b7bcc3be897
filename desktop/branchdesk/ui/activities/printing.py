"""Printed forms of a meeting, as A4 PDF through Qt's print support: the pre-filled 签到表 (sign-in
sheet) taken to the meeting, and the minutes (会议记录) kept in the ledger after it.

Both are HTML laid out by a QTextDocument and written by a QPdfWriter, which needs a QGuiApplication
(the CLI makes an offscreen one). The fonts are the usual Chinese office fonts with Noto CJK behind
them, so the Chinese renders on Windows and on Linux desktops alike.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ...domain.activities import ActivityKind, AttendanceStatus, format_hours, status_label
from ...services import activities
from ...services.exports import Signer, meeting_title, meeting_when, signers
from ...store.database import Database

FONTS = ("SimSun", "宋体", "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "WenQuanYi Micro Hei")
_CSS_FONTS = ", ".join(f"'{f}'" for f in FONTS)
_STYLE = f"""
body {{ font-family: {_CSS_FONTS}; font-size: 11pt; }}
h1 {{ font-size: 18pt; text-align: center; margin-bottom: 4px; }}
h2 {{ font-size: 12pt; margin-top: 14px; margin-bottom: 4px; }}
p.sub {{ text-align: center; font-size: 10pt; margin-bottom: 10px; }}
table.grid {{ border-collapse: collapse; }}
table.grid td, table.grid th {{ border: 1px solid #000000; }}
th {{ font-weight: bold; background-color: #eeeeee; }}
p.foot {{ margin-top: 12px; }}
"""


def _lines(text: str) -> str:
    return escape(text.strip()).replace("\n", "<br>") or "&nbsp;"


def sign_in_html(a: activities.Activity, lines: list[Signer]) -> str:
    d = a.data
    head = [("会议主题", d.topic), ("时　　间", meeting_when(a)), ("地　　点", d.place)]
    if d.kind is ActivityKind.LECTURE:
        head.append(("授 课 人", d.lecturer))
    head += [("主 持 人", d.chair), ("记 录 人", d.recorder)]
    info = "".join(f"<tr><td width='16%'><b>{escape(k)}</b></td><td>{escape(v) or '&nbsp;'}</td></tr>"
                   for k, v in head)
    with_groups = any(line.group_name for line in lines)
    header = "<th width='10%'>序号</th><th width='18%'>姓名</th>" + (
        "<th width='20%'>党小组</th>" if with_groups else "") + "<th>签名</th><th width='16%'>备注</th>"
    rows = "".join(
        f"<tr><td align='center'>{i}</td><td align='center'>{escape(line.name)}</td>"
        + (f"<td align='center'>{escape(line.group_name)}</td>" if with_groups else "")
        + "<td>&nbsp;</td><td>&nbsp;</td></tr>"
        for i, line in enumerate(lines, 1))
    return (f"<html><head><style>{_STYLE}</style></head><body>"
            f"<h1>{escape(meeting_title(a, '签到表'))}</h1>"
            f"<table width='100%' cellpadding='4' cellspacing='0'>{info}</table><br>"
            f"<table class='grid' width='100%' border='1' cellspacing='0' cellpadding='9'>"
            f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
            f"<p class='foot'>应到 {len(lines)} 人　　实到 ______ 人　　请假 ______ 人　　缺席 ______ 人</p>"
            f"</body></html>")


def _names(rows: Iterable[activities.AttendanceRow], with_reason: bool = False) -> str:
    parts = []
    for row in rows:
        extra = row.reason if with_reason else ""
        if row.status is AttendanceStatus.MADE_UP and row.made_up_on:
            extra = f"{row.made_up_on.isoformat()}补学" + (f"，{row.reason}" if row.reason else "")
        parts.append(f"{row.name}（{extra}）" if extra else row.name)
    return "、".join(parts) or "无"


def minutes_html(a: activities.Activity) -> str:
    d = a.data
    rows = a.attendance
    by = {s: [r for r in rows if r.status is s] for s in AttendanceStatus}
    expected = sum(r.status.expected for r in rows)
    present = len(by[AttendanceStatus.PRESENT])
    fields = [("类　　型", d.kind.label + ("" if d.status == "held" else f"（{status_label(d.status)}）")),
              ("会议主题", d.topic), ("时　　间", meeting_when(a)), ("地　　点", d.place),
              ("主 持 人", d.chair), ("记 录 人", d.recorder)]
    if d.kind is ActivityKind.GROUP_MEETING:
        fields.insert(1, ("党 小 组", a.group_name))
    if d.kind is ActivityKind.LECTURE:
        fields.append(("授 课 人", d.lecturer + ("（党员领导干部）" if d.lecturer_is_leader else "")))
    if d.study_hours_tenths:
        fields.append(("学　　时", format_hours(d.study_hours_tenths)))
    if rows:
        fields += [
            ("出席情况", f"应到 {expected} 人，实到 {present} 人，请假 {len(by[AttendanceStatus.LEAVE])} 人，"
                         f"缺席 {len(by[AttendanceStatus.ABSENT])} 人，列席 {len(by[AttendanceStatus.OBSERVER])} 人，"
                         f"补学 {len(by[AttendanceStatus.MADE_UP])} 人"),
            ("出席人员", _names(by[AttendanceStatus.PRESENT])),
            ("请假人员", _names(by[AttendanceStatus.LEAVE], True)),
            ("缺席人员", _names(by[AttendanceStatus.ABSENT], True)),
        ]
        if by[AttendanceStatus.OBSERVER]:
            fields.append(("列席人员", _names(by[AttendanceStatus.OBSERVER])))
        if by[AttendanceStatus.MADE_UP]:
            fields.append(("补学人员", _names(by[AttendanceStatus.MADE_UP], True)))
    table = "".join(f"<tr><td width='16%' align='center'><b>{escape(k)}</b></td><td>{escape(v) or '&nbsp;'}</td></tr>"
                    for k, v in fields)
    sections = [("议　　程", d.agenda), ("会议内容", d.minutes), ("决议决定", d.decisions)]
    if d.note.strip():
        sections.append(("备　　注", d.note))
    body = "".join(f"<tr><td width='16%' align='center'><b>{escape(k)}</b></td><td>{_lines(v)}</td></tr>"
                   for k, v in sections)
    return (f"<html><head><style>{_STYLE}</style></head><body>"
            f"<h1>{escape(meeting_title(a, '会议记录'))}</h1>"
            f"<table class='grid' width='100%' border='1' cellspacing='0' cellpadding='6'>{table}{body}</table>"
            f"<p class='foot' align='right'>记录人签字：__________　　主持人签字：__________</p>"
            f"</body></html>")


def write_pdf(html: str, out: Path) -> Path:
    """Lay `html` out on A4 pages and write it to `out` (through a temporary file, so a failed write
    leaves no half a PDF); OSError when it cannot be written."""
    out = Path(out)
    partial = out.with_name(f".{out.name}.part")
    writer = QPdfWriter(str(partial))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 15, 18, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setCreator("BranchDesk")
    document = QTextDocument()
    font = QFont()
    font.setFamilies(list(FONTS))
    font.setPointSize(11)
    document.setDefaultFont(font)
    document.setHtml(html)
    document.print_(writer)
    del writer  # finishes the file
    if not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        raise OSError(f"无法写入文件：{out}")
    os.replace(partial, out)
    return out


def sign_in_pdf(db: Database, activity_id: int, out: Path) -> Path:
    """The meeting's 签到表 as a PDF at `out`."""
    a = activities.get(db, activity_id)
    return write_pdf(sign_in_html(a, signers(db, a)), out)


def minutes_pdf(db: Database, activity_id: int, out: Path) -> Path:
    """The meeting's minutes (all fields and the attendance) as a PDF at `out`."""
    return write_pdf(minutes_html(activities.get(db, activity_id)), out)
