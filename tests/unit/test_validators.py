import datetime as dt

import pytest
from hypothesis import given, strategies as st

from app.security.validators import (
    id_check_char, is_valid_credit_code, is_valid_id_number, mask_id_number,
    parse_id_number, password_reason, credit_code_check_char, validate_credit_code,
)


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "110105200002290013"])
def test_valid_id_numbers(number):
    assert is_valid_id_number(number)


def test_lowercase_x_is_normalised():
    info = parse_id_number("11010519491231002x")
    assert info.number == "11010519491231002X"
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "女"  # 17th digit 2 is even


def test_gender_and_birth_derived():
    info = parse_id_number("440524188001010014")
    assert info.birth_date == dt.date(1880, 1, 1) and info.gender == "男"


def test_wrong_check_digit_refused():
    with pytest.raises(ValueError, match="check digit"):
        parse_id_number("110105194912310021")


def test_impossible_date_refused():
    with pytest.raises(ValueError, match="does not exist"):
        parse_id_number("110105194902300020")


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_valid_credit_codes(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", ["91350100M000100Y4Z", "91350100M000100Y44"])
def test_invalid_credit_codes(code):
    assert not is_valid_credit_code(code)
    with pytest.raises(ValueError):
        validate_credit_code(code)


_digits = st.text(alphabet="0123456789", min_size=3, max_size=3)


@given(region=st.text(alphabet="0123456789", min_size=6, max_size=6),
       birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
       seq=_digits)
def test_id_round_trip(region, birth, seq):
    first17 = region + birth.strftime("%Y%m%d") + seq
    number = first17 + id_check_char(first17)
    info = parse_id_number(number.lower())
    assert info.number == number and info.birth_date == birth
    # any other check character is refused
    for other in "0123456789X":
        if other != number[-1]:
            assert not is_valid_id_number(first17 + other)
            break


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_credit_code_round_trip(first17):
    code = first17 + credit_code_check_char(first17)
    assert validate_credit_code(code.lower()) == code


def test_mask_id_number():
    assert mask_id_number("11010519491231002X") == "110105********002X"


@pytest.mark.parametrize("pw,reason", [("short1", "length"), ("abcdefgh", "mix"),
                                       ("password1", "common"), ("12345678a", "common")])
def test_weak_passwords_refused(pw, reason):
    assert password_reason(pw) == reason


def test_strong_password_accepted():
    assert password_reason("Qiu-lan7Hai") is None
