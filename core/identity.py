"""Resident identity numbers (居民身份证号码, GB 11643-1999) and mobile numbers.

Both are read through ``core.normalise`` first: full-width digits become 0–9 and invisible
characters go, so that one person's number has one spelling. Digits of other scripts
(Arabic-Indic ``٠١٢``) are refused: the patterns say ``[0-9]``, because a regular
expression's digit class and ``int()`` take any script's digits, and a number spelt with
them would pass as a different person.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.normalise import normalise_text

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # remainder 0..10 → check character
_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_BLANKS = re.compile(r"\s+")
_MOBILE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\uff0d]")  # blanks and dashes of any width

# The first two digits of an ID number: a province-level division of GB/T 2260 (11–15 north,
# 21–23 north-east, 31–37 east, 41–46 centre and south, 50–54 south-west, 61–65 north-west),
# or 81/82/83 on the residence permits of Hong Kong, Macao and Taiwan residents. The county
# code after them is not checked: codes retired since a card was issued stay on valid cards.
PROVINCE_CODES = frozenset(
    {
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        81,
        82,
        83,
    }
)


@dataclass(frozen=True)
class IdentityFacts:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F", as core.education.Sex


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise_id_number(value: str) -> str:
    """The number as typed, normalised (``core.normalise``), without blanks, upper case."""
    return _BLANKS.sub("", normalise_text(value)).upper()


def parse_id_number(value: str, *, today: datetime.date | None = None) -> IdentityFacts:
    """Validate an 18-character ID number and return it normalised with birth date and sex.

    Raises ValidationError with a message that says what is wrong.
    """
    number = normalise_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(n)s.") % {"n": len(number)},
            code="length",
        )
    if not _ID_SHAPE.match(number):
        raise ValidationError(
            _("An ID number is 17 digits (0–9) followed by a digit or X."), code="characters"
        )
    if int(number[:2]) not in PROVINCE_CODES:
        raise ValidationError(
            _(
                "An ID number begins with the code of a province; %(code)s is not one. "
                "Please check the first two digits."
            )
            % {"code": number[:2]},
            code="region",
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) does not exist.")
            % {"date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}"},
            code="birth_date",
        ) from exc
    today = today or datetime.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is not possible.")
            % {"date": birth.isoformat()},
            code="birth_date",
        )
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _(
                "The check digit of the ID number is wrong: the last character should be "
                "%(expected)s, not %(given)s. Please check the number."
            )
            % {"expected": expected, "given": number[17]},
            code="check_digit",
        )
    sex = "M" if int(number[16]) % 2 else "F"
    return IdentityFacts(number=number, birth_date=birth, sex=sex)


def validate_id_number(value: str) -> None:
    parse_id_number(value)


def mask_id_number(number: str) -> str:
    """110105********002X: region code and the last four characters stay visible."""
    if not number:
        return ""
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[14:]}"


def normalise_mobile(value: str) -> str:
    """The number as typed, normalised (``core.normalise``), without blanks and hyphens."""
    return _MOBILE_SEPARATORS.sub("", normalise_text(value))


def validate_mobile(value: str) -> None:
    if not _MOBILE.match(normalise_mobile(value)):
        raise ValidationError(
            _("A mobile number is 11 digits starting with 13–19, such as 13800138000."),
            code="mobile",
        )


def mask_mobile(number: str) -> str:
    """138****8000."""
    if not number:
        return ""
    if len(number) != 11:
        return "*" * len(number)
    return f"{number[:3]}****{number[7:]}"


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    """Age in full years (周岁) on a date; a person born on 29 February turns a year older on
    1 March in common years."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
