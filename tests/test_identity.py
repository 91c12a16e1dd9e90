import datetime

import pytest
from django.core.exceptions import ValidationError

from core.identity import (
    age_on,
    check_digit,
    mask_id_number,
    mask_mobile,
    parse_id_number,
    validate_mobile,
)

# GB 11643-1999's own example number.
VALID = "11010519491231002X"


def test_known_number_parses_with_birth_date_and_sex():
    facts = parse_id_number(VALID)
    assert facts.birth_date == datetime.date(1949, 12, 31)
    assert facts.sex == "F"  # 17th digit 2 is even


def test_lower_case_x_is_normalised():
    assert parse_id_number(VALID.lower()).number == VALID


@pytest.mark.parametrize("last", [c for c in "0123456789X" if c != "X"])
def test_wrong_check_digit_is_refused_with_the_expected_one(last):
    with pytest.raises(ValidationError) as exc:
        parse_id_number(VALID[:17] + last)
    assert exc.value.code == "check_digit"
    assert "X" in exc.value.messages[0]


def test_thirtieth_of_february_is_refused():
    first17 = "52042419900230001"
    with pytest.raises(ValidationError) as exc:
        parse_id_number(first17 + check_digit(first17))
    assert exc.value.code == "birth_date"


def test_29_february_in_a_leap_year_is_accepted():
    first17 = "52042419920229001"
    assert parse_id_number(first17 + check_digit(first17)).birth_date == datetime.date(1992, 2, 29)


def test_future_birth_date_is_refused():
    first17 = "52042420990101001"
    with pytest.raises(ValidationError):
        parse_id_number(first17 + check_digit(first17), today=datetime.date(2026, 11, 23))


@pytest.mark.parametrize("value", ["", "123", "11010519491231002", "1101051949123100AX"])
def test_wrong_shapes_are_refused(value):
    with pytest.raises(ValidationError):
        parse_id_number(value)


def test_check_digit_table_covers_every_remainder():
    # Remainders 0..10 map to 1 0 X 9 8 7 6 5 4 3 2.
    seen = {check_digit(f"{n:017d}") for n in range(0, 200)}
    assert seen == set("10X98765432")


def test_masks():
    assert mask_id_number(VALID) == "110105********002X"
    assert mask_mobile("13800138000") == "138****8000"


@pytest.mark.parametrize("phone", ["12800138000", "1380013800", "23800138000", "1380013800a"])
def test_bad_mobiles(phone):
    with pytest.raises(ValidationError):
        validate_mobile(phone)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (datetime.date(1986, 3, 1), datetime.date(2026, 3, 1), 40),
        (datetime.date(1986, 3, 2), datetime.date(2026, 3, 1), 39),
        (datetime.date(1992, 2, 29), datetime.date(2026, 2, 28), 33),
        (datetime.date(1992, 2, 29), datetime.date(2026, 3, 1), 34),
    ],
)
def test_age_in_full_years(birth, on, age):
    assert age_on(birth, on) == age
