"""Exporting reports (design.md §5–6): read one snapshot, lay it out as .xlsx, replace the file whole."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.honours import FIRST_YEAR
from ..domain.members import Standing
from ..domain.organization import OrgKind
from ..store.database import Database
from . import honours, organizations, settings
from .errors import ServiceError
from .organizations import Organization

if TYPE_CHECKING:
    from ..reports.sheet import Report

# The reports by their command-line names, with what people call them.
REPORTS = {"commendations": "表彰名单", "evaluations": "民主评议结果汇总表"}

# Writes the file at the path given; made by reading the data, run after the read snapshot ends.
Writer = Callable[[Path], None]


def default_year(report: str, today: dt.date) -> int:
    """Evaluations are held early in the year for the year before; commendations are this year's."""
    return today.year - 1 if report == "evaluations" else today.year


def default_scope(db: Database) -> Organization:
    """The one top-level organization (the 机关党委 of the demo)."""
    tops = [org for depth, org in organizations.outline(db) if depth == 0]
    if not tops:
        raise ServiceError("数据库中还没有党组织")
    if len(tops) > 1:
        names = "、".join(f"{o.name}（编号 {o.id}）" for o in tops)
        raise ServiceError(f"数据库中有多个最上级党组织：{names}，请指定要统计的党组织")
    return tops[0]


def export_report(db: Database, report: str, out: Path, scope_org_id: int, year: int | None,
                  today: dt.date | None = None) -> Path:
    """Write `report` for the organization `scope_org_id` (and everything under it) to `out`, for
    `year` (None: `default_year`). All of it is read in one snapshot. The file appears whole or not
    at all: it is written beside `out` and renamed over it.
    """
    if report not in REPORTS:
        known = "、".join(f"{name}（{label}）" for name, label in REPORTS.items())
        raise ServiceError(f"没有名为“{report}”的报表，可选：{known}")
    today = today or dt.date.today()
    year = default_year(report, today) if year is None else year
    if not FIRST_YEAR <= year <= today.year + 1:
        raise ServiceError(f"统计年度 {year} 不对，应在 {FIRST_YEAR} 至 {today.year + 1} 年之间")
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ServiceError(f"无法导出到 {out}：文件名应以 .xlsx 结尾")
    if not out.parent.is_dir():
        raise ServiceError(f"无法导出到 {out}：文件夹 {out.parent} 不存在")
    with db.snapshot():
        scope = organizations.get(db, scope_org_id)
        writer = _READERS[report](db, _header(db, report, scope, year, today), scope, year)
    replace_file(out, writer)
    return out


def _header(db: Database, report: str, scope: Organization, year: int, today: dt.date) -> Report:
    from ..reports.sheet import Report

    return Report(kind=report, title=f"{year}年度{REPORTS[report]}", period=str(year), period_label=f"{year}年度",
                  scope_id=scope.id, scope=scope.name,
                  unit=settings.get(db, settings.REPORT_UNIT) or scope.name,
                  preparer=settings.get(db, settings.REPORT_PREPARER), made_on=today)


def _commendations(db: Database, header: Report, scope: Organization, year: int) -> Writer:
    from ..reports import commendations as report

    entries = [report.Entry(c.data.level, c.data.title, c.title_label, c.recipient_name,
                            "" if c.to_organization else c.branch_name, c.data.issuer, c.data.document_no,
                            c.data.awarded_on)
               for c in honours.list_commendations(db, scope.id, year)]
    return lambda target: report.write(target, header, entries)


def _evaluations(db: Database, header: Report, scope: Organization, year: int) -> Writer:
    from ..reports import evaluations as report

    counts = honours.evaluation_counts(db, scope.id, year)  # by branch label, in tree order
    branches = [org for _depth, org in organizations.outline(db, scope.id) if org.kind is OrgKind.BRANCH]
    entries: list[report.Entry] = []
    for org, label in zip(branches, counts, strict=True):
        entries += [report.Entry(label, e.member.name, _standing(e), e.rating, e.note)
                    for e in honours.evaluation_sheet(db, org.id, year) if e.rating is not None]
    return lambda target: report.write(target, header, list(counts.items()), entries)


def _standing(entry: honours.EvaluationEntry) -> str:
    """正式党员 / 预备党员 as at the end of the year rated."""
    return (Standing.PROBATIONARY if entry.probationary else Standing.FULL).label


_READERS: dict[str, Callable[[Database, Report, Organization, int], Writer]] = {
    "commendations": _commendations, "evaluations": _evaluations}


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
