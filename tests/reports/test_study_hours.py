"""学时统计表 from the hand-countable 2025 of activity_records.py: hours, what is owed, the gap."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from branchdesk.domain.organization import CommitteeRole
from branchdesk.domain.periods import Period
from branchdesk.services import activities, exports, organizations
from tests.conftest import TODAY
from tests.reports.activity_records import Year
from tests.reports.layout import assert_layout, highlights
from tests.reports.records import header, table


def _book(db, year: Year, tmp_path: Path):
    out = exports.export_report(db, "study-hours", tmp_path / "s.xlsx", year.sample.committee, Period(2025), TODAY)
    return load_workbook(out)


def test_hours_owed_and_the_gap(db, year: Year, tmp_path: Path) -> None:
    organizations.add_seat(db, year.sample.branch, year.wang, CommitteeRole.SECRETARY, dt.date(2024, 5, 1))
    book = _book(db, year, tmp_path)
    assert_layout(book, "study-hours", "2025", ["学时统计", "支部汇总"])
    ws = book["学时统计"]
    assert ws["A1"].value == "2025年度学时统计表"
    assert header(ws) == ["序号", "党支部", "姓名", "支部委员", "应参加", "实参加", "出勤率", "已完成学时",
                          "应完成学时", "差额"]
    rows = table(ws)
    # 李晓梅, admitted in January 2026, owes nothing for 2025 and is not listed.
    assert [r[1:6] + r[7:] for r in rows[:-1]] == [
        ("办公室党支部", "孙丽", None, 4, 2, 1.5, 32, 30.5),  # 党课 假, 大会 ✓, 学习 补, 主题党日 缺
        ("办公室党支部", "王建国", "是", 5, 5, 4.5, 56, 51.5),  # the secretary owes 56
        ("业务科党支部", "郑华", None, 1, 1, 2, 32, 30),  # 列席 at the 读书班: neither expected nor credited
        ("业务科党支部", "赵志强", None, 2, 2, 5, 32, 27)]
    assert rows[0][6] == '=IF(E4>0,F4/E4,"")' and ws["H4"].number_format == "0.0"
    assert rows[-1][7:] == ("=SUM(H4:H7)", "=SUM(I4:I7)", "=SUM(J4:J7)")
    assert highlights(ws) == [("A4:J7", ["$J4>0"])]
    note = next(r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("注："))
    assert "党员32学时，支部委员会委员56学时" in note

    summary = table(book["支部汇总"])
    assert [r[:3] + r[4:5] for r in summary[:-1]] == [("办公室党支部", 2, 6, 2), ("业务科党支部", 2, 7, 2)]
    assert summary[0][3] == '=IF(B4>0,C4/B4,"")' and summary[-1][1] == "=SUM(B4:B5)"


def test_the_same_figures_as_the_meetings_page(db, year: Year, tmp_path: Path) -> None:
    shown = {r[2]: (r[4], r[5], round(r[7] * 10), round(r[8] * 10), round(r[9] * 10))
             for r in table(_book(db, year, tmp_path)["学时统计"])[:-1]}
    assert shown == {m.name: (m.expected, m.attended, m.hours_tenths, m.required_tenths, m.gap_tenths)
                     for m in activities.member_study(db, year.sample.committee, 2025)}
