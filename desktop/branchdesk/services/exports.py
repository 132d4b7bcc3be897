"""Exporting reports (design.md §5–6): read one snapshot, lay it out as .xlsx, replace the file whole.

Two steps, so that the report center can show the rows before writing them and write off the UI
thread: `prepare` reads everything (on the thread that owns the connection) into plain sheets;
`write` lays them out into a file (touches no database; may run on a worker thread), reporting
progress and stopping when asked. `export_report` does both.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.activities import ActivityKind
from ..domain.honours import FIRST_YEAR
from ..domain.periods import Period
from ..store.database import Database
from . import activities, organizations, settings
from .errors import ServiceError
from .organizations import Organization

if TYPE_CHECKING:
    from ..reports.sheet import Report, Sheet


@dataclass(frozen=True)
class ReportInfo:
    name: str  # the command line's name, e.g. "dues-summary"
    label: str  # what people call it: 党费收缴汇总表
    description: str  # one line for the report center
    periods: tuple[str, ...]  # the period kinds it can be made for: "year", "quarter", "month"


_ANY = ("year", "quarter", "month")
# The reports of design.md §5 by their command-line names (sign-in is one meeting's, not a period's).
REPORTS: dict[str, ReportInfo] = {info.name: info for info in (
    ReportInfo("roster", "党员花名册", "在册党员的基本信息（身份证号默认遮蔽）", ("year",)),
    ReportInfo("meetings", "三会一课落实情况统计表", "各支部各类会议应开、已开次数及是否达到要求", _ANY),
    ReportInfo("attendance", "学习考勤表", "每名党员每次学习的出勤情况和出勤率", _ANY),
    ReportInfo("study-hours", "学时统计表", "每名党员全年学时、应完成学时和差额", ("year",)),
    ReportInfo("dues", "党费收缴明细表", "每名党员的党费基数、比例、月应交和各月缴纳情况", ("year",)),
    ReportInfo("dues-summary", "党费收缴汇总表", "各支部各月党费应交、实交、收缴率和上缴", ("year", "quarter")),
    ReportInfo("commendations", "表彰名单", "按级别和称号排列的表彰名单及统计", ("year",)),
    ReportInfo("evaluations", "民主评议结果汇总表", "各支部民主评议党员等次统计及名单", ("year",)),
    ReportInfo("annual", "年度党建工作统计表",
               "各支部学习、党课、学时、学习成果、表彰、评议、党费和会议落实情况", ("year",)),
)}

_PERIOD_KINDS = {"year": "年度", "quarter": "季度", "month": "月份"}


def period_kinds_text(info: ReportInfo) -> str:
    """"年度、季度、月份": the periods `info` can be made for, in words."""
    return "、".join(_PERIOD_KINDS[k] for k in info.periods)


@dataclass
class Options:
    show_full_ids: bool = False  # the roster shows whole ID numbers and phones (design.md §9: masked unless asked)


@dataclass(frozen=True)
class Prepared:
    """A report read and laid out as rows, not yet written: what the preview shows and `write` writes.
    Cells of formula columns (`Column.formula`) hold None; the totals row is added when written."""

    info: ReportInfo
    period: Period
    report: Report  # the header: title, 填报单位, period, scope
    sheets: list[Sheet] = field(default_factory=list)


class Cancelled(Exception):
    """`write` stopped because `cancelled()` turned true; no file was left behind."""


@dataclass(frozen=True)
class Context:
    """What every report reader gets."""

    db: Database
    scope: Organization
    period: Period
    today: dt.date
    options: Options
    report: Report


def default_year(report: str, today: dt.date) -> int:
    """Evaluations are held early in the year for the year before; the others are this year's."""
    return today.year - 1 if report == "evaluations" else today.year


def default_period(report: str, today: dt.date) -> Period:
    """The period a report is made for unless one is chosen: a whole year (`default_year`)."""
    return Period(default_year(report, today))


def default_scope(db: Database) -> Organization:
    """The one top-level organization (the 机关党委 of the demo)."""
    tops = [org for depth, org in organizations.outline(db) if depth == 0]
    if not tops:
        raise ServiceError("数据库中还没有党组织")
    if len(tops) > 1:
        names = "、".join(f"{o.name}（编号 {o.id}）" for o in tops)
        raise ServiceError(f"数据库中有多个最上级党组织：{names}，请指定要统计的党组织")
    return tops[0]


def report_title(report: str, period: Period) -> str:
    """"2025年第三季度三会一课落实情况统计表"; "2025年度党建工作统计表" (not 年度年度)."""
    label = REPORTS[report].label
    return f"{period.year}{label}" if label.startswith("年度") else f"{period.label}{label}"


def check_request(report: str, period: Period, today: dt.date) -> ReportInfo:
    """The report's description, or a ServiceError naming what is wrong with the request."""
    info = REPORTS.get(report)
    if info is None:
        known = "、".join(f"{name}（{i.label}）" for name, i in REPORTS.items())
        raise ServiceError(f"没有名为“{report}”的报表，可选：{known}")
    if period.kind not in info.periods:
        raise ServiceError(f"{info.label}不能按{_PERIOD_KINDS[period.kind]}统计，只能按{period_kinds_text(info)}统计")
    if not FIRST_YEAR <= period.year <= today.year + 1:
        raise ServiceError(f"统计年度 {period.year} 不对，应在 {FIRST_YEAR} 至 {today.year + 1} 年之间")
    return info


def prepare(db: Database, report: str, scope_id: int, period: Period, today: dt.date | None = None,
            options: Options | None = None) -> Prepared:
    """Read `report` for the organization `scope_id` (and everything under it) and `period`, all in
    one read snapshot, into rows ready to write."""
    today = today or dt.date.today()
    info = check_request(report, period, today)
    with db.snapshot():
        scope = organizations.get(db, scope_id)
        header = _header(db, info, scope, period, today)
        ctx = Context(db, scope, period, today, options or Options(), header)
        sheets = _readers()[report](ctx)
    return Prepared(info, period, header, sheets)


def write(prepared: Prepared, out: Path, progress: Callable[[int, int], None] | None = None,
          cancelled: Callable[[], bool] | None = None) -> Path:
    """Write `prepared` to `out` (.xlsx), whole or not at all. `progress(done, total)` is called as
    rows are written; when `cancelled()` turns true, the writing stops with `Cancelled` and no file
    (nor part of one) is left. Touches no database: may run on a worker thread."""
    out = _checked_target(out)

    def step(done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled
        if progress is not None:
            progress(done, total)

    def writer(target: Path) -> None:
        from ..reports import sheet

        sheet.write(target, prepared.report, prepared.sheets, step)

    replace_file(out, writer)
    return out


def export_report(db: Database, report: str, out: Path, scope_id: int, period: Period | None = None,
                  today: dt.date | None = None, options: Options | None = None) -> Path:
    """Write `report` for `scope_id` and `period` (None: `default_period`) to `out`."""
    today = today or dt.date.today()
    period = period or default_period(report, today)
    check_request(report, period, today)
    out = _checked_target(out)
    return write(prepare(db, report, scope_id, period, today, options), out)


def read_info(path: Path) -> dict[str, str]:
    """What an exported file says it is (its hidden 报表信息 sheet): kind, title, period (a
    `Period.key`), period_label, scope_id, scope, unit, made_on, format_version; {} for a workbook
    without it. A file that is not an .xlsx workbook → ServiceError."""
    from ..reports import sheet

    if not Path(path).is_file():
        raise ServiceError(f"找不到文件 {path}")
    try:
        return sheet.read_info(Path(path))
    except Exception as exc:  # zipfile.BadZipFile, KeyError, openpyxl's own: all say "not a workbook"
        raise ServiceError(f"无法读取 {path}：不是有效的 Excel 工作簿（{exc}）") from exc


def _checked_target(out: Path) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ServiceError(f"无法导出到 {out}：文件名应以 .xlsx 结尾")
    if not out.parent.is_dir():
        raise ServiceError(f"无法导出到 {out}：文件夹 {out.parent} 不存在")
    return out


def _header(db: Database, info: ReportInfo, scope: Organization, period: Period, today: dt.date) -> Report:
    from ..reports.sheet import Report

    return Report(kind=info.name, title=report_title(info.name, period), period=period.key,
                  period_label=period.label, scope_id=scope.id, scope=scope.name,
                  unit=settings.get(db, settings.REPORT_UNIT) or scope.name,
                  preparer=settings.get(db, settings.REPORT_PREPARER), made_on=today)


def _readers() -> dict[str, Callable[[Context], list[Sheet]]]:
    """Each report's reader, by name (services.statistics: loaded with the first report)."""
    from . import statistics

    return statistics.READERS


@dataclass(frozen=True)
class Signer:
    """One line of a meeting's 签到表."""

    name: str
    group_name: str
    full: bool  # a full member on the meeting's day (else probationary)


def signers(db: Database, meeting: activities.Activity) -> list[Signer]:
    """Who signs a meeting's 签到表: those entered for it (a held meeting; observers too), or, while nobody
    is (a planned one), those it expects on its day. The PDF and the Excel sheet list the same people."""
    if meeting.attendance:
        return [Signer(r.name, r.group_name, r.voting) for r in meeting.attendance]
    d = meeting.data
    return [Signer(p.name, p.group_name, p.voting)
            for p in activities.expected_attendees(db, d.org_id, d.kind, d.group_id, d.held_on)]


def meeting_title(meeting: activities.Activity, what: str) -> str:
    """"办公室党支部党员大会签到表" (not 办公室党支部支部党员大会…); a 党小组会 is named by its group."""
    kind = meeting.data.kind
    name = meeting.group_name if kind is ActivityKind.GROUP_MEETING and meeting.group_name else meeting.branch_name
    label = kind.label
    if label.startswith("支部") and name.endswith("支部"):
        label = label[2:]
    return f"{name}{label}{what}"


def meeting_when(meeting: activities.Activity) -> str:
    """"2026年12月8日 15:00—17:00"."""
    d = meeting.data
    day = f"{d.held_on.year}年{d.held_on.month}月{d.held_on.day}日" if d.held_on else ""
    return f"{day} {'—'.join(t for t in (d.starts_at, d.ends_at) if t)}".strip()


def export_sign_in(db: Database, meeting_id: int, out: Path, today: dt.date | None = None) -> Path:
    """Write the 签到表 of meeting `meeting_id` to `out` (.xlsx), read in one snapshot, whole or not at all.
    A meeting that is not there → ServiceError naming its id."""
    from ..reports import sheet, sign_in

    out = _checked_target(out)
    today = today or dt.date.today()
    with db.snapshot():
        meeting = activities.get(db, meeting_id)  # ServiceError "找不到编号为 … 的活动记录"
        people = signers(db, meeting)
        d = meeting.data
        title = meeting_title(meeting, "签到表")
        month = Period(d.held_on.year, month=d.held_on.month)
        header = sheet.Report(kind="sign-in", title=title, period=month.key, period_label=month.label,
                              scope_id=d.org_id, scope=meeting.branch_name,
                              unit=settings.get(db, settings.REPORT_UNIT) or meeting.branch_name,
                              preparer=settings.get(db, settings.REPORT_PREPARER), made_on=today)
    lines = sign_in.Meeting(title, d.topic, meeting_when(meeting), d.place, d.chair,
                            d.lecturer if d.kind is ActivityKind.LECTURE else None, people)
    replace_file(out, lambda target: sheet.write(target, header, [sign_in.sheet(header, lines)]))
    return out


# Writes the file at the path given.
Writer = Callable[[Path], None]


def replace_file(out: Path, write: Writer) -> None:
    """Write to a temporary file beside `out`, then rename it over `out` (never half a file)."""
    temp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
    try:
        write(temp)
        os.replace(temp, out)
    except PermissionError as exc:
        raise ServiceError(f"无法写入 {out}：文件可能正在 Excel 或 WPS 中打开，或没有写入权限；"
                           f"请关闭该文件后重试") from exc
    except OSError as exc:
        raise ServiceError(f"无法写入 {out}：{exc.strerror or exc}") from exc
    finally:
        temp.unlink(missing_ok=True)
