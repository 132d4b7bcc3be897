"""年度党建工作统计表: the indicators a 机关党委 reports upward for the year — a summary (总表), then per
branch: study and study output (学习教育), required meetings kept (三会一课), commendations by level
and 民主评议 ratings (表彰评议), commendations by level and title (表彰统计), dues (党费), and the
scope's months with charts of the attendance rate and of dues (月度情况).

The figures arrive computed (services.statistics); this module lays them out. Money in fen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.honours import Level, OutputKind, Rating
from . import commendations as commendation_report
from .meetings import COMPLIANCE_COLUMNS, SHORT
from .sheet import CellHighlight, Chart, Column, Kind, Report, Sheet


@dataclass(frozen=True)
class Branch:
    name: str
    members: int
    sessions: int
    attendances: int
    lectures: int
    leader_lectures: int
    studied: int
    hours_tenths: int
    short: int
    outputs: dict[OutputKind, int]
    published: int
    commendations: dict[Level, int]
    ratings: dict[Rating, int]
    due_fen: int
    paid_fen: int
    extra_fen: int
    remitted_fen: int
    meetings_due: int
    meetings_kept: int


@dataclass(frozen=True)
class Month:
    attendance: float | None
    due_fen: int
    paid_fen: int


@dataclass(frozen=True)
class Line:
    """A line of the summary: one of its three value columns is filled."""

    group: str
    item: str
    count: float | int | None = None
    fen: int | None = None
    rate: float | None = None
    unit: str = ""


SUMMARY_COLUMNS = (
    Column("序号", Kind.NUMBER), Column("类别"), Column("指标"), Column("数量", Kind.VALUE),
    Column("金额（元）", Kind.FEN), Column("比率", Kind.PERCENT), Column("单位"),
)
_OUTPUTS = [k.label for k in OutputKind]
STUDY_COLUMNS = (
    Column("党支部"), Column("党员人数", Kind.NUMBER, total="sum"),
    Column("学习活动\n场次", Kind.NUMBER, total="sum", width=10),
    Column("参加学习\n人次", Kind.NUMBER, total="sum", width=10),
    Column("党课\n场次", Kind.NUMBER, total="sum", width=8),
    Column("其中党员领导\n干部讲党课", Kind.NUMBER, total="sum", width=13),
    Column("学时统计\n人数", Kind.NUMBER, total="sum", width=10), Column("学时合计", Kind.DECIMAL, total="sum"),
    Column("人均学时", Kind.DECIMAL, formula='=IF({学时统计\n人数}{row}>0,{学时合计}{row}/{学时统计\n人数}{row},"")'),
    Column("学时未完成\n人数", Kind.NUMBER, total="sum", width=11),
    *(Column(label, Kind.NUMBER, total="sum", width=9) for label in _OUTPUTS),
    Column("成果发表\n或获奖", Kind.NUMBER, total="sum", width=10),
)
MEETING_COLUMNS = (Column("党支部"), *COMPLIANCE_COLUMNS)
_LEVELS = [level.label for level in Level]
_RATINGS = [r.label for r in Rating]
HONOUR_COLUMNS = (
    Column("党支部"), *(Column(label, Kind.NUMBER, total="sum", width=9) for label in _LEVELS),
    Column("表彰合计", Kind.NUMBER, total="sum", formula=f"=SUM({{{_LEVELS[0]}}}{{row}}:{{{_LEVELS[-1]}}}{{row}})"),
    *(Column(f"评议{label}", Kind.NUMBER, total="sum") for label in _RATINGS),
)
_RATE = '=IF({应交（元）}{row}>0,{实交（元）}{row}/{应交（元）}{row},"")'
DUES_COLUMNS = (
    Column("党支部"), Column("应交（元）", Kind.FEN, total="sum"), Column("实交（元）", Kind.FEN, total="sum"),
    Column("收缴率", Kind.PERCENT, formula=_RATE), Column("自愿多交（元）", Kind.FEN, total="sum"),
    Column("上缴（元）", Kind.FEN, total="sum"),
)
_DUES_SHORT = "AND({应交（元）}{row}>0,{实交（元）}{row}<{应交（元）}{row})"
MONTH_COLUMNS = (
    Column("月份"), Column("学习出勤率", Kind.PERCENT), Column("应交（元）", Kind.FEN, total="sum"),
    Column("实交（元）", Kind.FEN, total="sum"), Column("收缴率", Kind.PERCENT, formula=_RATE),
)


def sheets(report: Report, branches: Sequence[Branch], own: Branch | None, months: Sequence[Month],
           commended: Sequence[commendation_report.Entry]) -> list[Sheet]:
    """`own`: the scope's own line (commendations to it, dues of members kept directly under it), if any."""
    everyone = [*branches, *([own] if own else [])]
    summary = Sheet("总表", report.title, SUMMARY_COLUMNS,
                    [(n, x.group, x.item, x.count, x.fen, x.rate, x.unit)
                     for n, x in enumerate(_summary(branches, everyone, commended), 1)],
                    notes=["注：各项按统计年度计；党员人数为制表日期在册人数；学习活动含党课、主题党日、理论学习、读书班、"
                           "专题培训，人次为出席和补学人次之和；三会一课只计截至制表日期已结束（或已完成）的月份；"
                           "分支部的数字见后面各表。"])
    study = Sheet(
        "学习教育", f"{report.period_label}学习教育情况统计表", STUDY_COLUMNS,
        [(b.name, b.members, b.sessions, b.attendances, b.lectures, b.leader_lectures, b.studied,
          b.hours_tenths / 10, None, b.short, *(b.outputs.get(k, 0) for k in OutputKind), b.published)
         for b in branches],
        highlight=[CellHighlight("学时未完成\n人数", "学时未完成\n人数", "{cell}>0")],
        notes=["注：学时统计人数为年内在册或参加过活动的党员；学时未完成人数指未达到年度学时要求的党员（红色标出）。"])
    meetings = Sheet(
        "三会一课", f"{report.period_label}三会一课落实情况", MEETING_COLUMNS,
        [(b.name, b.meetings_due, b.meetings_kept, None, None) for b in branches], highlight=[SHORT],
        notes=["注：按各月到期的要求统计（季度、年度要求计入其最后一个月），只计已结束或已完成的月份；有缺开的支部以红色标出。"
               "各类会议的明细见三会一课落实情况统计表。"])
    honours = Sheet(
        "表彰评议", f"{report.period_label}表彰和民主评议情况", HONOUR_COLUMNS,
        [(b.name, *(b.commendations.get(level, 0) for level in Level), None,
          *(b.ratings.get(r, 0) for r in Rating)) for b in everyone])
    counted = commendation_report.count_sheet(report, commended)
    dues = Sheet(
        "党费", f"{report.period_label}党费收缴情况", DUES_COLUMNS,
        [(b.name, b.due_fen, b.paid_fen, None, b.extra_fen, b.remitted_fen) for b in everyone],
        highlight=[_DUES_SHORT], notes=["注：应交只计已到期的月份；未收齐的以红色标出。"])
    by_month = Sheet(
        "月度情况", f"{report.period_label}学习出勤和党费收缴月度情况", MONTH_COLUMNS,
        [(f"{n}月", m.attendance, m.due_fen, m.paid_fen, None) for n, m in enumerate(months, 1)],
        notes=["注：学习出勤率为当月全部会议和学习活动的出勤率（出席和补学÷应参加）；无活动的月份空白。"],
        charts=[Chart("学习出勤率（按月）", "月份", ["学习出勤率"], kind="line", y_title="出勤率"),
                Chart("党费收缴（按月）", "月份", ["应交（元）", "实交（元）"], y_title="元")])
    return [summary, study, meetings, honours, counted, dues, by_month]


def _summary(branches: Sequence[Branch], everyone: Sequence[Branch],
             commended: Sequence[commendation_report.Entry]) -> list[Line]:
    def total(attr: str, among: Sequence[Branch] = branches) -> int:
        return sum(getattr(b, attr) for b in among)

    studied, hours = total("studied"), total("hours_tenths")
    lines = [
        Line("组织和党员", "党支部", len(branches), unit="个"),
        Line("组织和党员", "党员", total("members"), unit="名"),
        Line("学习教育", "学习活动", total("sessions"), unit="场次"),
        Line("学习教育", "参加学习", total("attendances"), unit="人次"),
        Line("学习教育", "党课", total("lectures"), unit="场次"),
        Line("学习教育", "其中党员领导干部讲党课", total("leader_lectures"), unit="场次"),
        Line("学习教育", "人均学时", round(hours / studied / 10, 1) if studied else None, unit="学时"),
        Line("学习教育", "学时未完成", total("short"), unit="名"),
    ]
    lines += [Line("学习成果", kind.label, sum(b.outputs.get(kind, 0) for b in branches), unit="篇")
              for kind in OutputKind]
    lines.append(Line("学习成果", "其中发表或获奖", total("published"), unit="篇"))
    by_title: dict[tuple[Level, str], list[commendation_report.Entry]] = {}
    for e in sorted(commended, key=lambda e: list(Level).index(e.level)):
        by_title.setdefault((e.level, e.title_label), []).append(e)
    for (level, title), found in by_title.items():
        unit = "名" if all(e.branch for e in found) else "个" if not any(e.branch for e in found) else "项"
        lines.append(Line("表彰", f"{level.label}{title}", len(found), unit=unit))
    lines.append(Line("表彰", "表彰合计", len(commended), unit="项"))
    lines += [Line("民主评议", r.label, sum(b.ratings.get(r, 0) for b in branches), unit="名") for r in Rating]
    due, kept = total("meetings_due"), total("meetings_kept")
    lines += [
        Line("三会一课", "到期应开", due, unit="次"),
        Line("三会一课", "按期已开", kept, unit="次"),
        Line("三会一课", "落实率", rate=kept / due if due else None),
    ]
    owed, paid = total("due_fen", everyone), total("paid_fen", everyone)
    lines += [
        Line("党费", "应交", fen=owed, unit="元"),
        Line("党费", "实交", fen=paid, unit="元"),
        Line("党费", "收缴率", rate=paid / owed if owed else None),
        Line("党费", "自愿多交", fen=total("extra_fen", everyone), unit="元"),
        Line("党费", "上缴", fen=total("remitted_fen", everyone), unit="元"),
    ]
    return lines
