"""年度党建工作统计表 from the hand-countable 2025 of activity_records.py with a few commendations, ratings and
study output added: every indicator of the summary and of the per-branch sheets, checked against hand counts."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from branchdesk.domain.honours import CommendationData, Level, OutputKind, Rating, StudyOutputData, Title
from branchdesk.domain.periods import Period
from branchdesk.services import exports, honours
from tests.conftest import TODAY
from tests.reports.activity_records import Year
from tests.reports.layout import assert_layout, chart_parts, highlights
from tests.reports.records import header, table

SHEETS = ["总表", "学习教育", "三会一课", "表彰评议", "表彰统计", "党费", "月度情况"]


@pytest.fixture
def out(db, year: Year, tmp_path: Path) -> Path:
    s = year.sample

    def commend(title: Title, level: Level, **recipient) -> None:
        honours.create_commendation(db, CommendationData(title=title, level=level, year=2025, issuer="中共江州市委",
                                                         **recipient), today=TODAY)

    commend(Title.EXCELLENT_MEMBER, Level.PROVINCIAL, member_id=year.wang)
    commend(Title.EXCELLENT_WORKER, Level.CITY, member_id=year.zhao)
    commend(Title.ADVANCED_ORGANIZATION, Level.ORGANS_WORKING_COMMITTEE, org_id=s.other_branch)
    commend(Title.ADVANCED_ORGANIZATION, Level.CITY, org_id=s.committee)  # the scope's own: its 本级 line
    honours.save_evaluations(db, s.branch, 2025, [(year.wang, Rating.EXCELLENT, ""), (year.sun, Rating.QUALIFIED, "")])
    honours.save_evaluations(db, s.other_branch, 2025, [(year.zhao, Rating.QUALIFIED, ""),
                                                        (year.zheng, Rating.BASICALLY_QUALIFIED, "")])
    for member, kind, day, published in ((year.sun, OutputKind.REFLECTION, dt.date(2025, 5, 1), "机关党建"),
                                         (year.wang, OutputKind.PAPER, dt.date(2025, 8, 1), ""),
                                         (year.zhao, OutputKind.RESEARCH_REPORT, dt.date(2024, 12, 1), "")):
        honours.create_study_output(db, StudyOutputData(member, kind, "学习体会", day, published_in=published),
                                    today=TODAY)
    return exports.export_report(db, "annual", tmp_path / "年度.xlsx", s.committee, Period(2025), TODAY)


def test_layout_and_charts(out: Path) -> None:
    book = load_workbook(out)
    assert_layout(book, "annual", "2025", SHEETS)
    assert book.properties.title == "2025年度党建工作统计表" and book["总表"]["A1"].value == "2025年度党建工作统计表"
    assert chart_parts(out) == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
    with zipfile.ZipFile(out) as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode()
        line, bars = z.read("xl/charts/chart1.xml").decode(), z.read("xl/charts/chart2.xml").decode()
    assert "lineChart" in line and "'月度情况'!$B$4:$B$15" in line and "'月度情况'!$A$4:$A$15" in line
    assert "barChart" in bars and "'月度情况'!$C$4:$C$15" in bars and "'月度情况'!$D$4:$D$15" in bars
    assert drawing.count("<oneCellAnchor>") == 2  # both under the table, one below the other


def test_the_summary(out: Path) -> None:
    rows = {(r[1], r[2]): r[3:] for r in table(load_workbook(out)["总表"])}
    expected = {
        ("组织和党员", "党支部"): (2, None, None, "个"), ("组织和党员", "党员"): (5, None, None, "名"),
        ("学习教育", "学习活动"): (5, None, None, "场次"), ("学习教育", "参加学习"): (7, None, None, "人次"),
        ("学习教育", "党课"): (2, None, None, "场次"), ("学习教育", "其中党员领导干部讲党课"): (1, None, None, "场次"),
        ("学习教育", "人均学时"): (3.2, None, None, "学时"), ("学习教育", "学时未完成"): (4, None, None, "名"),
        ("学习成果", "心得体会"): (1, None, None, "篇"), ("学习成果", "调研报告"): (0, None, None, "篇"),
        ("学习成果", "论文"): (1, None, None, "篇"), ("学习成果", "其中发表或获奖"): (1, None, None, "篇"),
        ("表彰", "省级优秀共产党员"): (1, None, None, "名"), ("表彰", "市级先进基层党组织"): (1, None, None, "个"),
        ("表彰", "市级优秀党务工作者"): (1, None, None, "名"),
        ("表彰", "机关工委先进基层党组织"): (1, None, None, "个"),
        ("表彰", "表彰合计"): (4, None, None, "项"),
        ("民主评议", "优秀"): (1, None, None, "名"), ("民主评议", "合格"): (2, None, None, "名"),
        ("民主评议", "基本合格"): (1, None, None, "名"), ("民主评议", "不合格"): (0, None, None, "名"),
        ("三会一课", "到期应开"): (80, None, None, "次"), ("三会一课", "按期已开"): (5, None, None, "次"),
        ("三会一课", "落实率"): (None, None, 5 / 80, None),
        ("党费", "应交"): (None, 1673.4, None, "元"), ("党费", "实交"): (None, 1169.4, None, "元"),
        ("党费", "收缴率"): (None, None, pytest.approx(11694 / 16734), None),
        ("党费", "自愿多交"): (None, 10, None, "元"), ("党费", "上缴"): (None, 875.4, None, "元"),
    }
    for key, values in expected.items():
        assert rows[key] == values, key
    assert [k[1] for k in rows if k[0] == "表彰"][:2] == ["省级优秀共产党员", "市级先进基层党组织"]  # highest first


def test_per_branch_sheets(out: Path) -> None:
    book = load_workbook(out)
    study = table(book["学习教育"])
    assert header(book["学习教育"])[:4] == ["党支部", "党员人数", "学习活动\n场次", "参加学习\n人次"]
    # members, sessions, 人次, 党课, by leaders, counted for hours, hours, (per head), short,
    # 心得 调研 论文 其他, published
    assert study[0] == ("办公室党支部", 3, 3, 4, 1, 1, 2, 6, '=IF(G4>0,H4/G4,"")', 2, 1, 0, 1, 0, 1)
    assert study[1] == ("业务科党支部", 2, 2, 3, 1, 0, 2, 7, '=IF(G5>0,H5/G5,"")', 2, 0, 0, 0, 0, 0)
    assert study[2][:3] == ("合计", "=SUM(B4:B5)", "=SUM(C4:C5)")
    assert highlights(book["学习教育"]) == [("J4:J5", ["J4>0"])]

    meetings = table(book["三会一课"])
    assert meetings[0] == ("办公室党支部", 46, 4, "=B4-C4", '=IF(B4>0,C4/B4,"")')
    assert meetings[1][:3] == ("业务科党支部", 34, 1) and meetings[2][:3] == ("合计", "=SUM(B4:B5)", "=SUM(C4:C5)")

    ws = book["表彰评议"]
    assert header(ws) == ["党支部", "国家级", "省级", "市级", "机关工委", "基层党委", "本单位", "表彰合计", "评议优秀",
                          "评议合格", "评议基本合格", "评议不合格", "评议不参加评定"]
    honour_rows = table(ws)
    assert honour_rows[0] == ("办公室党支部", 0, 1, 0, 0, 0, 0, "=SUM(B4:G4)", 1, 1, 0, 0, 0)
    assert honour_rows[1] == ("业务科党支部", 0, 0, 1, 1, 0, 0, "=SUM(B5:G5)", 0, 1, 1, 0, 0)
    assert honour_rows[2] == ("市直机关某局机关党委（本级）", 0, 0, 1, 0, 0, 0, "=SUM(B6:G6)", 0, 0, 0, 0, 0)
    counted = {r[0]: r[1:6] for r in table(book["表彰统计"])}
    assert counted["省级"] == (0, 1, 0, 0, 0) and counted["市级"] == (1, 0, 1, 0, 0)
    assert counted["机关工委"] == (1, 0, 0, 0, 0)

    dues_rows = table(book["党费"])
    assert dues_rows[0] == ("办公室党支部", 1506, 1047, '=IF(B4>0,C4/B4,"")', 10, 753)
    assert dues_rows[1] == ("业务科党支部", 167.4, 122.4, '=IF(B5>0,C5/B5,"")', 0, 122.4)
    assert dues_rows[2][0] == "市直机关某局机关党委（本级）" and dues_rows[3][1] == "=SUM(B4:B6)"


def test_months(out: Path) -> None:
    ws = load_workbook(out)["月度情况"]
    assert header(ws) == ["月份", "学习出勤率", "应交（元）", "实交（元）", "收缴率"]
    rows = table(ws)
    # Jan: 支委会 1/1; Mar: 党课 1 of 2 and 大会 2 of 2; May 党课 2/2; Jun 学习 2/2 (补学); Jul 主题党日 1/2; Sep 1/1.
    assert [r[1] for r in rows[:12]] == [1, None, 0.75, None, 1, 1, 0.5, None, 1, None, None, None]
    assert [(r[2], r[3]) for r in rows[:12:3]] == [(140.7, 140.7), (140.7, 140.7), (140.7, 64.2), (140.7, 49.2)]
    assert ws["B4"].number_format == "0.0%" and rows[12][:4] == ("合计", None, "=SUM(C4:C15)", "=SUM(D4:D15)")


def test_an_empty_year(db, sample, tmp_path: Path) -> None:
    """No activities, dues or honours: zeros, and the charts still drawn."""
    out = exports.export_report(db, "annual", tmp_path / "a.xlsx", sample.committee, Period(2024), TODAY)
    book = load_workbook(out)
    rows = {r[2]: r[3:6] for r in table(book["总表"])}
    assert rows["学习活动"] == (0, None, None) and rows["人均学时"] == (0, None, None)
    assert rows["落实率"] == (None, None, 0) and rows["收缴率"] == (None, None, None)
    assert chart_parts(out) == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
