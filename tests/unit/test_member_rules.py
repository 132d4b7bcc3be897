import datetime as dt

import pytest

from branchdesk.domain import members as rules
from branchdesk.domain.members import MemberData, Standing

TODAY = dt.date(2026, 11, 23)


def data(**overrides) -> MemberData:
    values = dict(name="王建国", gender="男", birth_date=dt.date(1985, 3, 4), standing=Standing.FULL,
                  joined_on=dt.date(2008, 6, 1), full_on=dt.date(2009, 6, 1))
    values.update(overrides)
    return MemberData(**values)


def problems(d: MemberData) -> list[str]:
    return [str(e) for e in rules.validate(d, TODAY)]


def test_a_complete_record_has_no_problems() -> None:
    assert problems(data(id_number="110105198503040012")) == []


def test_dates_must_be_in_order_at_the_edges() -> None:
    assert problems(data(joined_on=dt.date(1985, 3, 4))) == ["入党日期：应晚于出生日期"]
    assert problems(data(joined_on=dt.date(1985, 3, 5), full_on=dt.date(1986, 3, 5))) == []
    assert problems(data(full_on=dt.date(2008, 6, 1))) == ["转正日期：应晚于入党日期"]
    assert problems(data(full_on=dt.date(2008, 6, 2))) == []


def test_future_dates_are_refused() -> None:
    assert problems(data(full_on=TODAY)) == []
    assert problems(data(full_on=TODAY + dt.timedelta(days=1))) == ["转正日期：不能晚于今天"]
    assert "出生日期：不能晚于今天" in problems(data(birth_date=TODAY + dt.timedelta(days=1)))


def test_standing_and_conversion_date_agree() -> None:
    assert problems(data(full_on=None)) == ["转正日期：正式党员须填写转正日期"]
    assert problems(data(standing=Standing.PROBATIONARY)) == ["转正日期：预备党员不应有转正日期"]
    assert problems(data(standing=Standing.PROBATIONARY, full_on=None)) == []


def test_required_fields_are_named() -> None:
    found = problems(data(name=" ", gender="", birth_date=None, joined_on=None, full_on=None))
    assert found[:4] == ["姓名：不能为空", "性别：请选择男或女", "出生日期：不能为空", "入党日期：不能为空"]


def test_id_number_checked_against_birth_date_and_gender() -> None:
    assert problems(data(id_number="110105198503040020")) == ["身份证号：号码第17位表示女性，与性别不一致"]
    found = problems(data(id_number="110105198503050018"))
    assert found == ["身份证号：号码中的出生日期 1985-03-05 与出生日期 1985-03-04 不一致"]


def test_probation_extension_is_six_to_twelve_months() -> None:
    for months in (0, 6, 12):
        assert problems(data(standing=Standing.PROBATIONARY, full_on=None, probation_extension_months=months)) == []
    for months in (5, 13):
        assert problems(data(standing=Standing.PROBATIONARY, full_on=None, probation_extension_months=months)) == [
            "延长预备期：预备期只能延长一次，为6至12个月"]


def test_probation_ends_a_year_after_admission_plus_extension() -> None:
    assert rules.probation_end(dt.date(2025, 3, 15)) == dt.date(2026, 3, 15)
    assert rules.probation_end(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert rules.probation_end(dt.date(2025, 3, 15), 6) == dt.date(2026, 9, 15)


def test_conversion_notice_window_edges() -> None:
    joined = dt.date(2025, 12, 23)  # due 2026-12-23, 30 days after TODAY
    assert rules.conversion_due_soon(joined, 0, TODAY)
    assert not rules.conversion_due_soon(joined + dt.timedelta(days=1), 0, TODAY)
    assert rules.conversion_due_soon(dt.date(2025, 1, 1), 0, TODAY)  # overdue stays listed


def test_conversion_date_problems() -> None:
    joined = dt.date(2025, 11, 1)
    assert rules.conversion_problem(joined, joined, TODAY) == "转正日期应晚于入党日期"
    assert rules.conversion_problem(joined, TODAY + dt.timedelta(days=1), TODAY) == "转正日期不能晚于今天"
    assert rules.conversion_problem(joined, TODAY, TODAY) is None


@pytest.mark.parametrize(("text", "fen"), [("5100", 510000), ("76.5", 7650), ("76.50", 7650), ("0.2", 20),
                                           ("1,234.05", 123405), (" 0 ", 0)])
def test_amounts_in_yuan_become_fen(text: str, fen: int) -> None:
    assert rules.yuan_to_fen(text) == fen
    assert rules.yuan_to_fen(rules.fen_to_yuan(fen)) == fen


@pytest.mark.parametrize("text", ["", "-1", "1.234", "abc", "1e3", "12元"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        rules.yuan_to_fen(text)
