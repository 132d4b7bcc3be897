import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain import idnumber

# The worked example of GB 11643-1999 (Beijing, born 1949-12-31, check character X).
EXAMPLE = "11010519491231002X"
BIRTH = dt.date(1949, 12, 31)
TODAY = dt.date(2026, 11, 23)


def test_standard_example_is_valid() -> None:
    assert idnumber.problem(EXAMPLE, BIRTH, TODAY) is None
    assert idnumber.birth_date(EXAMPLE) == BIRTH
    assert idnumber.gender(EXAMPLE) == "女"


def test_wrong_check_character_is_refused() -> None:
    assert idnumber.problem("110105194912310021", None, TODAY) == "校验码不正确，请核对号码"


def test_shape_errors() -> None:
    for bad in ("", "11010519491231002", "11010519491231002XX", "1101051949123100X2", "11010519491231002Y"):
        assert "18位" in idnumber.problem(bad, None, TODAY)


def test_impossible_or_future_birth_date() -> None:
    body = "11010519490230002"  # 30 February
    assert "有效的出生日期" in idnumber.problem(body + idnumber.check_char(body), None, TODAY)
    body = "11010520261124002"  # the day after TODAY
    assert "晚于今天" in idnumber.problem(body + idnumber.check_char(body), None, TODAY)
    body = "11010520261123002"  # born TODAY: allowed by the number itself
    assert idnumber.problem(body + idnumber.check_char(body), None, TODAY) is None


def test_birth_date_must_match_the_field() -> None:
    why = idnumber.problem(EXAMPLE, dt.date(1950, 1, 1), TODAY)
    assert why == "号码中的出生日期 1949-12-31 与出生日期 1950-01-01 不一致"


def test_normalize_and_mask() -> None:
    assert idnumber.normalize(" 110105 19491231002x ") == EXAMPLE
    assert idnumber.normalize("11010519491231002ｘ") == EXAMPLE
    assert idnumber.mask(EXAMPLE) == "1101*************X"
    assert idnumber.mask("") == ""


valid_numbers = st.builds(
    lambda region, birth, seq: f"{region:06d}{birth:%Y%m%d}{seq:03d}",
    st.integers(110000, 659999),
    st.dates(dt.date(1900, 1, 1), TODAY),
    st.integers(0, 999),
).map(lambda body: body + idnumber.check_char(body))


@given(valid_numbers)
def test_every_number_with_its_check_character_is_valid(number: str) -> None:
    assert idnumber.problem(number, idnumber.birth_date(number), TODAY) is None


@given(valid_numbers, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_error_is_caught(number: str, position: int, shift: int) -> None:
    # ISO 7064 MOD 11-2 detects every single substituted digit.
    digit = (int(number[position]) + shift) % 10
    changed = number[:position] + str(digit) + number[position + 1:]
    assert idnumber.problem(changed, None, TODAY) is not None
