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

from ..domain import idnumber
from ..domain.activities import STUDY_KINDS, ActivityKind, AttendanceStatus, format_hours
from ..domain.honours import FIRST_YEAR
from ..domain.members import Standing, Status
from ..domain.organization import OrgKind
from ..domain.periods import Period
from ..store import activities as activity_store
from ..store import statistics as stats_store
from ..store.database import Database
from . import activities, dues, honours, members, organizations, settings, statistics
from .errors import ServiceError
from .organizations import Organization

if TYPE_CHECKING:
    from ..reports import attendance as attendance_report
    from ..reports import commendations as commendations_report
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


def _mask_phone(phone: str) -> str:
    """The first 3 and last 4 characters (138****5678), as the members list shows phones."""
    if len(phone) <= 7:
        return "*" * max(len(phone) - 4, 0) + phone[-4:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def _roster(ctx: Context) -> list[Sheet]:
    from ..reports import roster as report

    outline = organizations.outline(ctx.db, ctx.scope.id)
    order = {org.id: n for n, (_depth, org) in enumerate(outline)}
    # The roll on the period's last day (today for the period under way), as the meetings' expected
    # attendees are taken (store.activities.roll: joined by then, not yet transferred out or deceased).
    day = min(ctx.period.end, ctx.today).isoformat()
    ids = {r[0] for _depth, org in outline if org.kind is not OrgKind.GROUP
           for r in activity_store.roll(ctx.db, org.id, day)}
    on_roll = sorted((m for m in members.list_members(ctx.db, ctx.scope.id) if m.id in ids),
                     key=lambda m: order[m.org_id])
    full = ctx.options.show_full_ids
    entries = []
    counts: dict[int, list[int]] = {}  # by branch: full, probationary, women, minorities, away
    for m in on_roll:
        d = m.data
        entries.append(report.Entry(
            m.org_name, m.group_name, d.name, d.gender, d.ethnicity, d.birth_date,
            d.id_number if full else idnumber.mask(d.id_number), d.education, d.standing.label, d.joined_on,
            d.full_on, d.dues_category.label, d.phone if full else _mask_phone(d.phone), m.status.label, d.note))
        c = counts.setdefault(m.org_id, [0, 0, 0, 0, 0])
        c[0 if d.standing is Standing.FULL else 1] += 1
        c[2] += d.gender == "女"
        c[3] += bool(d.ethnicity) and d.ethnicity != "汉族"
        c[4] += m.status is not Status.NORMAL
    rows = [report.BranchCount(b.name, *counts.get(b.id, (0, 0, 0, 0, 0))) for b in _branches(ctx)]
    return report.sheets(ctx.report, entries, rows, masked=not full, on=min(ctx.period.end, ctx.today))


def _branches(ctx: Context) -> list[Organization]:
    """The scope's branches in tree order (the rows of the per-branch sheets)."""
    return [org for _depth, org in organizations.outline(ctx.db, ctx.scope.id) if org.kind is OrgKind.BRANCH]


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _meeting_lines(ctx: Context) -> tuple[list[ActivityKind], list[str], dict[int, dict[ActivityKind, list]]]:
    """services.activities.compliance of each branch, cut to the periods inside the report's: the kinds
    shown (in their order), the kinds left out (required over longer periods than the report's), and
    each branch's cells by kind."""
    cells: dict[int, dict[ActivityKind, list]] = {}
    required: set[ActivityKind] = set()
    shown: set[ActivityKind] = set()
    for branch_id, found in statistics.compliance_by_branch(ctx.db, ctx.scope.id, ctx.period.year, ctx.today).items():
        mine: dict[ActivityKind, list] = {}
        for kc in found:
            required.add(kc.kind)
            inside = [c for c in kc.periods if _within(c.period, ctx.period)]
            if inside:
                shown.add(kc.kind)
                mine[kc.kind] = inside
        cells[branch_id] = mine
    kinds = [k for k in ActivityKind if k in shown]
    return kinds, [k.label for k in ActivityKind if k in required - shown], cells


def _meetings(ctx: Context) -> list[Sheet]:
    from ..reports import meetings as report

    kinds, left_out, cells = _meeting_lines(ctx)
    required = activities.load_rules(ctx.db).required
    lines, details = [], []
    for branch in _branches(ctx):
        mine = cells[branch.id]
        counts, due_required, due_kept = [], 0, 0
        for kind in kinds:
            kc = mine.get(kind)
            if kc is None:
                counts.append(None)
                continue
            counts.append(report.KindCount(sum(c.required for c in kc), sum(c.held for c in kc)))
            for c in kc:
                details.append(report.Detail(branch.name, kind.label, required[kind].label, c.period.label,
                                             c.required, c.held, report.STATE_LABELS[c.state]))
                if c.state in ("met", "missing"):  # the period is over, or its meetings were all held early
                    due_required += c.required
                    due_kept += min(c.held, c.required)
        lines.append(report.BranchLine(branch.name, counts, due_required, due_kept))
    held = sorted((a for a in activities.list_activities(ctx.db, ctx.scope.id, start=ctx.period.start,
                                                          end=ctx.period.end) if a.status == "held"),
                  key=lambda a: (a.held_on, a.id))
    meetings = [report.Meeting(a.held_on, a.branch_name, a.group_name, a.kind.label, a.topic, a.expected,
                               a.attended, a.leave, a.absent, a.lecturer) for a in held]
    return report.sheets(ctx.report, [k.label for k in kinds], lines, details, meetings, left_out)


def _attendance(ctx: Context) -> list[Sheet]:
    from ..reports import attendance as report

    db, period = ctx.db, ctx.period
    sessions = sorted((a for a in activities.list_activities(db, ctx.scope.id, start=period.start, end=period.end)
                       if a.status == "held" and a.kind in STUDY_KINDS), key=lambda a: (a.held_on, a.id))
    by_branch: dict[int, list[activities.ActivityRow]] = {}
    for a in sessions:
        by_branch.setdefault(a.branch_id, []).append(a)
    lines: dict[int, dict[int, AttendanceStatus]] = {}  # activity → member → status
    names: dict[int, str] = {}
    wanted = {a.id for a in sessions}
    statuses = {s.value: s for s in AttendanceStatus}
    for activity_id, member_id, name, status in stats_store.attendance_lines(
            db, organizations.subtree_ids(db, ctx.scope.id), period.start.isoformat(), period.end.isoformat(),
            [k.value for k in STUDY_KINDS]):
        if activity_id in wanted:
            lines.setdefault(activity_id, {})[member_id] = statuses[status]
            names[member_id] = name
    roll: dict[int, list[int]] = {}  # branch → members on the roll who had joined by the period's end
    for m in members.list_members(db, ctx.scope.id):
        names.setdefault(m.id, m.name)
        if m.status.active and (m.data.joined_on is None or m.data.joined_on <= period.end):
            roll.setdefault(m.org_id, []).append(m.id)
    found = []
    for branch in _branches(ctx):
        mine = by_branch.get(branch.id, [])
        people = list(roll.get(branch.id, []))
        seen = set(people)
        for a in mine:  # members since gone, or moved to another branch, keep their lines here
            for member_id in lines.get(a.id, {}):
                if member_id not in seen:
                    seen.add(member_id)
                    people.append(member_id)
        if not mine and not people:
            continue
        found.append(report.BranchSheet(
            branch.name,
            [report.Session(a.held_on, a.kind.label, a.topic, a.study_hours_tenths / 10, a.expected, a.attended)
             for a in mine],
            [_member_line(names[m], [lines.get(a.id, {}).get(m) for a in mine]) for m in people]))
    return report.sheets(ctx.report, found)


def _member_line(name: str, statuses: list[AttendanceStatus | None]) -> attendance_report.MemberLine:
    from ..reports import attendance as report

    marked = [s for s in statuses if s is not None]
    return report.MemberLine(
        name, [s.mark if s is not None else "" for s in statuses],
        expected=sum(s.expected for s in marked), attended=sum(s.counts_as_attended for s in marked),
        leave=sum(s is AttendanceStatus.LEAVE for s in marked),
        absent=sum(s is AttendanceStatus.ABSENT for s in marked),
        made_up=sum(s is AttendanceStatus.MADE_UP for s in marked))


def _study_hours(ctx: Context) -> list[Sheet]:
    from ..reports import study_hours as report

    order = {b.id: n for n, b in enumerate(_branches(ctx))}
    found = sorted(activities.member_study(ctx.db, ctx.scope.id, ctx.period.year),
                   key=lambda m: order.get(m.branch_id, len(order)))
    entries = [report.Entry(m.branch_name, m.name, m.committee, m.expected, m.attended, m.hours_tenths,
                            m.required_tenths, m.gap_tenths) for m in found]
    totals: dict[int, list[int]] = {}
    for m in found:
        t = totals.setdefault(m.branch_id, [0, 0, 0])
        t[0] += 1
        t[1] += m.hours_tenths
        t[2] += m.gap_tenths > 0
    branches = [report.BranchTotal(b.name, *totals.get(b.id, (0, 0, 0))) for b in _branches(ctx)]
    rules = activities.load_rules(ctx.db)
    required = (f"党员{format_hours(rules.member_hours_tenths)}学时，"
                f"支部委员会委员{format_hours(rules.committee_hours_tenths)}学时")
    return report.sheets(ctx.report, entries, branches, required)


_PAID_STATES = ("paid", "advance", "back_paid")


def _month_cell(cell: dues.MonthCell) -> int | str | None:
    """A month of the dues grid as the 明细表 shows it: the fen paid, 免交, 未交 (over and unpaid), or blank."""
    from ..reports import dues as report

    if cell.state in _PAID_STATES:
        return cell.paid_fen
    if cell.state == "exempt":
        return report.EXEMPT
    if cell.state == "unpaid" and cell.overdue:
        return report.UNPAID
    return None


def _dues(ctx: Context) -> list[Sheet]:
    from ..reports import dues as report

    grid = dues.year_grid(ctx.db, ctx.scope.id, ctx.period.year, ctx.today)
    entries = [report.Entry(r.branch_name, r.name, r.category.label, r.base_fen, r.rate_text, r.due_fen,
                            [_month_cell(c) for c in r.cells], r.extra_fen, r.owed_fen) for r in grid.rows]
    totals = [report.MonthTotal(report.MONTHS[i], t.due_fen, t.paid_fen) for i, t in enumerate(grid.totals)]
    return report.sheets(ctx.report, entries, totals)


def _dues_summary(ctx: Context) -> list[Sheet]:
    from ..reports import dues_summary as report

    period = ctx.period
    months = period.months()
    chosen = range(period.first_month - 1, period.last_month)
    # Remittances count in the period their own period begins in (as services.dues.branch_months counts them).
    upward = [r for r in dues.remittances(ctx.db, ctx.scope.id, period.year) if r.period_from in months]
    remitted: dict[int, int] = {}
    for r in upward:
        remitted[r.org_id] = remitted.get(r.org_id, 0) + r.amount_fen
    branches, by_month = [], []
    for b in dues.branch_months(ctx.db, ctx.scope.id, period.year, ctx.today):
        mine = [b.months[i] for i in chosen]
        extra = b.extra_fen if period.kind == "year" else None  # kept for the year only
        branches.append(report.BranchLine(b.branch_name, sum(m.due_fen for m in mine), sum(m.paid_fen for m in mine),
                                          extra, remitted.get(b.branch_id, 0)))
        by_month += [report.MonthLine(b.branch_name, f"{period.year}年{i + 1}月", b.months[i].due_fen,
                                      b.months[i].paid_fen) for i in chosen]
    records = [report.Remitted(r.org_name, r.period_label, r.amount_fen, r.remitted_on, r.receipt_no, r.note)
               for r in upward]
    return report.sheets(ctx.report, branches, by_month, records)


def _annual(ctx: Context) -> list[Sheet]:
    from ..reports import annual as report

    found = statistics.annual(ctx.db, ctx.scope.id, ctx.period.year, ctx.today)

    def line(b: statistics.BranchYear) -> report.Branch:
        return report.Branch(
            b.name, b.members, b.sessions, b.attendances, b.lectures, b.leader_lectures, b.studied, b.hours_tenths,
            b.short, dict(b.outputs), b.published, dict(b.commendations), dict(b.ratings), b.due_fen, b.paid_fen,
            b.extra_fen, b.remitted_fen, b.meetings_due, b.meetings_kept)

    own = found.own
    has_own = bool(own.commendations or own.due_fen or own.paid_fen or own.remitted_fen)
    return report.sheets(ctx.report, [line(b) for b in found.branches], line(own) if has_own else None,
                         [report.Month(m.attendance, m.due_fen, m.paid_fen) for m in found.months],
                         _commendation_entries(found.commendations))


def _commendation_entries(found: list[honours.Commendation]) -> list[commendations_report.Entry]:
    from ..reports import commendations as report

    return [report.Entry(c.data.level, c.data.title, c.title_label, c.recipient_name,
                         "" if c.to_organization else c.branch_name, c.data.issuer, c.data.document_no,
                         c.data.awarded_on) for c in found]


def _commendations(ctx: Context) -> list[Sheet]:
    from ..reports import commendations as report

    found = honours.list_commendations(ctx.db, ctx.scope.id, ctx.period.year)
    return report.sheets(ctx.report, _commendation_entries(found))


def _evaluations(ctx: Context) -> list[Sheet]:
    from ..reports import evaluations as report

    db, year = ctx.db, ctx.period.year
    counts = honours.evaluation_counts(db, ctx.scope.id, year)  # by branch label, in tree order
    branches = [org for _depth, org in organizations.outline(db, ctx.scope.id) if org.kind is OrgKind.BRANCH]
    entries: list[report.Entry] = []
    for org, label in zip(branches, counts, strict=True):
        entries += [report.Entry(label, e.member.name, _standing(e), e.rating, e.note)
                    for e in honours.evaluation_sheet(db, org.id, year) if e.rating is not None]
    return report.sheets(ctx.report, list(counts.items()), entries)


def _standing(entry: honours.EvaluationEntry) -> str:
    """正式党员 / 预备党员 as at the end of the year rated."""
    return (Standing.PROBATIONARY if entry.probationary else Standing.FULL).label


def _readers() -> dict[str, Callable[[Context], list[Sheet]]]:
    """Each report's reader, by name."""
    return {"roster": _roster, "meetings": _meetings, "attendance": _attendance, "study-hours": _study_hours,
            "dues": _dues, "dues-summary": _dues_summary, "commendations": _commendations,
            "evaluations": _evaluations, "annual": _annual}


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
