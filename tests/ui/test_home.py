"""The Home page (工作台) through its real widgets in the main window, on a real SQLite file, on 2026-11-23."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from branchdesk.domain.activities import ActivityData, ActivityKind, ActivityRules, Requirement
from branchdesk.domain.members import DuesCategory, Standing
from branchdesk.domain.organization import CommitteeRole, OrgKind
from branchdesk.services import activities, dues, members, organizations
from branchdesk.ui.home.page import AlertList, HomePage
from branchdesk.ui.main_window import MainWindow
from tests.conftest import TODAY, member_data


def wait_loaded(qtbot, page: HomePage, more_than: int = 0) -> None:
    """Wait until the page has shown its data more than `more_than` times (it reads on a worker)."""
    qtbot.waitUntil(lambda: page.loaded > more_than)


@pytest.fixture
def window(qtbot, ctx, sample) -> MainWindow:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    home = main.page(0)
    home.today = lambda: TODAY  # the page reads the database after the window is up: today is fixed first
    main.resize(1366, 768)
    main.show()
    wait_loaded(qtbot, home)
    return main


def home(window: MainWindow) -> HomePage:
    page = window.page(0)
    assert isinstance(page, HomePage) and window.pages.currentWidget() is page  # the page shown at start-up
    return page


def refreshed(qtbot, window: MainWindow) -> HomePage:
    """The Home page after a change: it reloads once the event loop runs."""
    page = home(window)
    before = page.loaded
    window.ctx.notify_changed()
    wait_loaded(qtbot, page, before)
    return page


def item(card: AlertList, start: str):
    found = [card.list.item(i) for i in range(card.list.count()) if card.list.item(i).text().startswith(start)]
    assert len(found) == 1, (start, card.texts())
    return found[0]


def test_member_five_months_unpaid_is_red_with_the_lapse_warning(qtbot, window, db, sample):
    late = members.create(db, sample.branch, member_data("欠五月"), today=TODAY)
    some = members.create(db, sample.branch, member_data("欠三月"), today=TODAY)
    for member_id in (late, some):
        dues.set_base(db, member_id, dues.BaseData("2026-01", DuesCategory.EMPLOYED, base_fen=500_000))
        last = 5 if member_id == late else 7
        for month in range(1, last + 1):
            dues.record_payment(db, member_id, [f"2026-{month:02d}"], dt.date(2026, month, 15), 5000, today=TODAY)

    page = refreshed(qtbot, window)

    red = item(page.arrears, "欠五月（办公室党支部）连续5个月未交，欠250.00元")
    assert red.foreground().color() == QColor("#c8161d") and red.font().bold()
    assert "连续6个月不交纳党费" in red.toolTip()
    amber = item(page.arrears, "欠三月（办公室党支部）连续3个月未交，欠150.00元")
    assert amber.foreground().color() != QColor("#c8161d")
    assert page.arrears.note.isVisible()
    # The sample's three other members have paid nothing this year: ten months each.
    assert page.arrears.note.text().startswith("自行脱党预警：4 名党员已连续5个月以上未交党费")
    assert page.arrears.title().startswith("欠缴党费3个月以上（")


def test_missing_theme_day_listed_until_one_is_held(qtbot, window, db, sample):
    page = home(window)
    line = "办公室党支部：主题党日 本月已开0/1次"
    assert line in page.meetings.texts()

    activities.create(db, ActivityData(sample.branch, ActivityKind.THEME_DAY, dt.date(2026, 11, 12), "重温入党誓词"),
                      [], today=TODAY)
    page = refreshed(qtbot, window)

    assert line not in page.meetings.texts()
    assert "业务科党支部：主题党日 本月已开0/1次" in page.meetings.texts()


def test_probationary_member_due_within_thirty_days_leads_to_the_member(qtbot, window, db, sample):
    due = members.create(db, sample.other_branch, member_data(
        "周预备", standing=Standing.PROBATIONARY, joined_on=dt.date(2025, 12, 10), full_on=None), today=TODAY)

    page = refreshed(qtbot, window)

    assert page.conversions.texts() == ["周预备（业务科党支部）2026-12-10预备期满，还有17天"]
    assert page.conversions.title() == "30天内预备期届满（1）"
    page.conversions.list.itemActivated.emit(page.conversions.list.item(0))  # double-click or Enter
    members_page = window.pages.currentWidget()
    assert window.nav.currentItem().text() == "党员"
    assert members_page.selected_member().id == due


def test_political_birthdays_this_month(qtbot, window, db, sample):
    members.create(db, sample.branch, member_data("钱十一", joined_on=dt.date(2000, 11, 5),
                                                  full_on=dt.date(2001, 11, 5)), today=TODAY)
    members.create(db, sample.other_branch, member_data("冯今天", joined_on=dt.date(1986, 11, 23),
                                                        full_on=dt.date(1987, 11, 23)), today=TODAY)

    page = refreshed(qtbot, window)

    assert page.anniversaries.texts() == ["11月5日 钱十一（办公室党支部）入党26周年",
                                          "11月23日 冯今天（业务科党支部）入党40周年"]
    assert item(page.anniversaries, "11月23日").font().bold()  # today's
    assert page.anniversaries.title() == "本月政治生日（2）"


def test_committee_term_ending_leads_to_its_organization(qtbot, window, db, sample):
    organizations.add_seat(db, sample.branch, sample.secretary, CommitteeRole.SECRETARY, dt.date(2024, 1, 22),
                           dt.date(2027, 1, 21))

    page = refreshed(qtbot, window)

    assert page.terms.texts() == ["办公室党支部委员会 2027-01-21任期届满，还有59天"]
    assert "书记 王建国" in page.terms.list.item(0).toolTip()
    page.terms.list.itemActivated.emit(page.terms.list.item(0))
    assert window.nav.currentItem().text() == "组织"
    assert window.pages.currentWidget().current_id() == sample.branch


def test_nothing_to_do_says_so(window):
    page = home(window)
    assert page.terms.texts() == []
    assert page.terms.list.item(0).text() == "近90天没有任期届满的委员会"
    assert page.terms.title() == "90天内委员会任期届满"


def test_heatmap_cells_for_a_hand_made_branch(qtbot, window, ctx, db, sample):
    branch = organizations.create(db, sample.committee, OrgKind.BRANCH, "试点党支部")
    members.create(db, branch, member_data("陈试点"), today=TODAY)
    activities.save_rules(db, ActivityRules({ActivityKind.THEME_DAY: Requirement(1, "month"),
                                             ActivityKind.LECTURE: Requirement(1, "quarter")}))
    for month in (1, 2):
        activities.create(db, ActivityData(branch, ActivityKind.THEME_DAY, dt.date(2026, month, 10), "主题党日"),
                          [], today=TODAY)
    activities.create(db, ActivityData(branch, ActivityKind.LECTURE, dt.date(2026, 2, 20), "党课",
                                       lecturer="陈试点"), [], today=TODAY)
    ctx.set_scope(branch)
    page = refreshed(qtbot, window)
    model = page.compliance

    assert model.rowCount() == 1 and model.index(0, 0).data() == "试点党支部"

    def cell(month: int) -> tuple[str, str]:
        index = model.index(0, month)
        return index.data(), index.data(Qt.ItemDataRole.BackgroundRole).color().name()

    assert cell(1) == ("1/1", "#b7dfb9")  # held: green
    assert cell(3) == ("1/2", "#f4a6a6")  # the 党课 of Q1 held, March's 主题党日 not: red
    assert cell(4) == ("0/1", "#f4a6a6")
    assert cell(11) == ("0/1", "#fde29a")  # under way: amber
    assert cell(12) == ("0/2", "#eef0f3")  # not begun: grey (though the fourth quarter's 党课 is under way)
    assert "应开会议 2 次，已开 1 次（未达标）" in model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert page.heatmap_title.text() == "2026年各支部应开会议（已开/应开）"


def test_charts_show_the_year(qtbot, window, db, sample):
    page = home(window)
    assert len(page.attendance_chart.texts()) == 12
    assert page.collection_chart.current == 11  # November is under way: drawn lighter
    assert page.attendance_chart.grab().width() > 0  # paints without error


def test_demo_organization_lists_match_the_services(qtbot, ctx, db):
    from branchdesk.services import alerts, demo

    demo.build(db, "small", seed=7, today=TODAY)
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    page = main.page(0)
    page.today = lambda: TODAY
    main.show()
    wait_loaded(qtbot, page)

    found = alerts.gather(db, ctx.scope_id, TODAY)
    for card, listed in ((page.meetings, found.meetings), (page.arrears, found.arrears),
                         (page.conversions, found.conversions), (page.terms, found.terms),
                         (page.behind, found.behind), (page.anniversaries, found.anniversaries)):
        assert len(card.texts()) == len(listed), card.title()
    # The demo has a conversion and a committee term falling due, and 政治生日 every month.
    assert found.conversions and found.terms and found.anniversaries
    branches = [o for o in organizations.tree(db) if o.kind is OrgKind.BRANCH]
    assert page.compliance.rowCount() == len(branches)
    assert all(text for text in page.attendance_chart.texts()[:10])  # January–October had meetings
