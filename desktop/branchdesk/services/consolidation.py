"""汇总 (design.md §4): the 机关党工委 adds up the files its branches exported, one report and one
period, into one sheet with a row per branch and a totals row.

Every file is checked before anything is written: that it is an .xlsx workbook exported by BranchDesk
(the hidden 报表信息 sheet), in this program's format version, of a report that can be added up, of
the same report and period as the others, laid out with the same columns, and that no branch comes
twice. Each refusal names the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.periods import Period
from . import exports
from .errors import ServiceError

if TYPE_CHECKING:
    from ..reports.consolidate import Table

# The reports that can be added up, each by its sheet whose rows are per branch. The others have
# no such sheet: attendance and dues list members (and sessions, months), commendations are counted
# by level and title.
SUMMARY_SHEETS: dict[str, str] = {
    "roster": "人数统计",
    "meetings": "落实情况",
    "study-hours": "支部汇总",
    "dues-summary": "收缴汇总",
    "evaluations": "评议汇总",
}
_SOURCES_NOTE = "注：汇总自"


@dataclass(frozen=True)
class Source:
    """A file that can be consolidated: what its 报表信息 sheet says, and its summary sheet."""

    path: Path
    kind: str
    period: Period
    unit: str  # 填报单位
    scope: str  # the organization it reports on
    made_on: str
    title: str
    table: Table

    @property
    def label(self) -> str:
        return exports.REPORTS[self.kind].label

    @property
    def branches(self) -> list[str]:
        return [str(row[0]) for row in self.table.rows]

    @property
    def own(self) -> bool:
        """A branch's own file: its one row is the organization it reports on."""
        return self.branches == [self.scope]


@dataclass(frozen=True)
class Checked:
    """One file's check: `source` when it can be added up with the files before it, else `problem`."""

    path: Path
    source: Source | None
    problem: str = ""


@dataclass(frozen=True)
class Consolidated:
    path: Path  # the file written
    sources: list[Source]

    @property
    def branches(self) -> int:
        return sum(len(s.branches) for s in self.sources)


def consolidated_labels() -> list[str]:
    """The reports that can be added up, as people call them, each with the sheet added up."""
    return [f"{exports.REPORTS[kind].label}（{name}）" for kind, name in SUMMARY_SHEETS.items()]


# What reading a file found, by (path, modification time, size): a Source, or why it was refused.
Cache = dict[tuple[str, int, int], "Source | str"]


def check(paths: Sequence[Path], cache: Cache | None = None) -> list[Checked]:
    """Each file's check, in the order given; the first file that can be added up sets the report
    and period the others must have. With `cache`, a file unchanged since it was last read there is
    not read again (the dialog checks the whole list whenever a file is added).

    A branch is known by its name and the organization its file reports on: the 办公室党支部 rows of
    two 机关党委's files are two branches, but a branch's own file and another file with a branch of
    that name may be the same branch twice, and are refused (files carry no other identity).
    """
    results: list[Checked] = []
    first: Source | None = None
    seen: dict[str, list[Source]] = {}  # branch → the files before with a branch of that name
    for path in map(Path, paths):
        try:
            source = _read_once(path, cache)
            if first is not None:
                _compare(source, first)
            for branch in source.branches:
                for earlier in seen.get(branch, ()):
                    if earlier.scope == source.scope or earlier.own or source.own:
                        raise ServiceError(_same_branch(path, branch, earlier.path))
        except ServiceError as exc:
            results.append(Checked(path, None, str(exc)))
            continue
        first = first or source
        for branch in source.branches:
            seen.setdefault(branch, []).append(source)
        results.append(Checked(path, source))
    return results


def consolidate(paths: Sequence[Path], out: Path, unit: str = "", preparer: str = "",
                today: dt.date | None = None, cache: Cache | None = None) -> Consolidated:
    """Add up the files at `paths` into `out` (.xlsx, replaced whole or not at all), for `unit`
    (填报单位; blank: the sources' unit when they share one). ServiceError naming the file when any
    file cannot be added up; nothing is written then."""
    from ..reports import consolidate as layout
    from ..reports import sheet

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ServiceError(f"无法保存到 {out}：文件名应以 .xlsx 结尾")
    if not out.parent.is_dir():
        raise ServiceError(f"无法保存到 {out}：文件夹 {out.parent} 不存在")
    if len(paths) < 2:
        raise ServiceError("请选择至少两个要汇总的文件")
    if any(Path(p).resolve() == out.resolve() for p in paths):
        raise ServiceError(f"汇总结果不能保存为要汇总的文件 {out.name}，请换一个文件名")
    checked = check(paths, cache)
    problems = [c.problem for c in checked if c.problem]
    if problems:
        raise ServiceError("\n".join(problems))
    sources = [c.source for c in checked if c.source is not None]
    first = sources[0]
    units = {s.unit for s in sources}
    unit = unit.strip() or (units.pop() if len(units) == 1 else "")
    report = sheet.Report(kind=first.kind, title=first.title, period=first.period.key,
                          period_label=first.period.label, scope_id=0, scope=unit, unit=unit,
                          preparer=preparer.strip(), made_on=today or dt.date.today())
    listed = "、".join(f"{s.scope if s.unit == s.scope else f'{s.unit} {s.scope}'}（{s.made_on}制表）"
                       for s in sources)
    notes = [n for n in first.table.notes if not n.startswith(_SOURCES_NOTE)]  # not a lower level's list
    notes.append(f"{_SOURCES_NOTE} {len(sources)} 个文件：{listed}。")
    # Same-named branches of different organizations: every row of an organization's file is named
    # with it in front ("江州市财政局机关党委 办公室党支部"), as the organization's own export names them.
    names = [b for s in sources for b in s.branches]
    shared = len(set(names)) < len(names)
    combined = layout.combine([(s.scope if shared and not s.own else "", s.table) for s in sources],
                              first.table.title, notes)
    exports.replace_file(out, lambda target: sheet.write(target, report, [combined]))
    return Consolidated(out, sources)


def _read_once(path: Path, cache: Cache | None) -> Source:
    """`_read`, or what it found the last time when the file is unchanged since."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if cache is None or stat is None:
        return _read(path)
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in cache:
        try:
            cache[key] = _read(path)
        except ServiceError as exc:
            cache[key] = str(exc)
    found = cache[key]
    if isinstance(found, str):
        raise ServiceError(found)
    return found


def _read(path: Path) -> Source:
    from ..reports import consolidate as layout
    from ..reports import sheet

    name = path.name
    if path.suffix.lower() != ".xlsx":
        raise ServiceError(f"文件“{name}”不是 Excel 工作簿（.xlsx），不能汇总")
    if not path.is_file():
        raise ServiceError(f"找不到文件“{name}”（{path.parent}）")
    try:
        info = exports.read_info(path)
    except ServiceError as exc:
        raise ServiceError(f"文件“{name}”不是有效的 Excel 工作簿，或文件不完整，不能汇总") from exc
    if not info:
        raise ServiceError(f"文件“{name}”不是本程序导出的报表（没有“{sheet.INFO_SHEET}”工作表），不能汇总")
    version = info.get("format_version", "")
    if version != str(sheet.FORMAT_VERSION):
        raise ServiceError(f"文件“{name}”的格式版本为 {version or '未知'}，本程序为 {sheet.FORMAT_VERSION}，"
                           "请用同一版本的党支部工作台重新导出")
    kind = info.get("kind", "")
    if kind not in SUMMARY_SHEETS:
        label = exports.REPORTS[kind].label if kind in exports.REPORTS else kind or "未知报表"
        raise ServiceError(f"文件“{name}”是{label}，这种报表不能汇总；可以汇总的报表："
                           f"{'、'.join(consolidated_labels())}")
    try:
        period = Period.parse(info.get("period", ""))
    except ValueError as exc:
        raise ServiceError(f"文件“{name}”的统计期间“{info.get('period', '')}”无法识别，不能汇总") from exc
    try:
        table = layout.read_table(path, SUMMARY_SHEETS[kind])
    except layout.UnreadableReport as exc:
        raise ServiceError(str(exc)) from exc
    return Source(path, kind, period, info.get("unit", ""), info.get("scope", ""), info.get("made_on", ""),
                  info.get("title", ""), table)


def _compare(source: Source, first: Source) -> None:
    name, other = source.path.name, first.path.name
    if source.kind != first.kind:
        raise ServiceError(f"文件“{name}”是{source.label}，与“{other}”（{first.label}）不是同一种报表，不能一起汇总")
    if source.period != first.period:
        raise ServiceError(f"文件“{name}”的统计期间是{source.period.label}，与“{other}”（{first.period.label}）"
                           "不同，不能一起汇总")
    if source.table.headers != first.table.headers:
        raise ServiceError(f"文件“{name}”的表格各列与“{other}”不同（可能由不同设置导出或被改动过），不能一起汇总")


def _same_branch(path: Path, branch: str, earlier: Path) -> str:
    if earlier == path:
        return f"文件“{path.name}”添加了两次"
    return f"文件“{path.name}”中的“{branch}”已在“{earlier.name}”中，同一支部不能汇总两次"
