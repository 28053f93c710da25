"""Kazakhstan's 12-digit identifiers: IIN (people) and BIN (legal entities).

The check digit rule is Government Decree No. 406 of 22 May 2007, as python-stdnum
documents it for other countries' numbers (it has no Kazakh module, so the rule lives
here, next to the tests that pin it).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import CoreErrorCode, ErrorCode, ValidationFailed

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY_BY_DIGIT = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for the first eleven, or None when no number with them is issued."""
    digits = [int(c) for c in first_eleven]
    r = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11
    if r == 10:
        r = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=True)) % 11
    return None if r == 10 else r


ASCII_DIGITS = frozenset("0123456789")
# Spaces and the separators people type inside a number ("8 (701) 234-56-78", "880101-300-123").
_SEPARATORS = frozenset(" -\u00a0\u2009\u202f\t")


def normalise_digits(value: object) -> str:
    """A number as people typed it, in ASCII digits: whitespace and dashes dropped, and any
    decimal digit of another script (full-width ６, Arabic-Indic ٦, ...) read as its ASCII
    digit. Anything else (a superscript ², a letter) is kept, so that the check after this
    refuses it instead of reading it as a digit. Every identifier (IIN, BIN, KATO code,
    phone) is normalised here, once, before it is checked, hashed or stored: `str.isdigit()`
    and `int()` accept other scripts' digits, and a hash of the raw text would make the
    same IIN written in two scripts two people."""
    text = "" if value is None else str(value)
    digits = []
    for char in text:
        if char in ASCII_DIGITS:
            digits.append(char)
        elif char in _SEPARATORS or char.isspace():
            continue
        elif unicodedata.category(char) == "Nd":
            digits.append(str(unicodedata.decimal(char)))
        else:
            digits.append(char)
    return "".join(digits)


def is_ascii_digits(text: str, length: int | None = None) -> bool:
    """Only ASCII digits (and exactly `length` of them when given)."""
    return bool(text) and all(c in ASCII_DIGITS for c in text) and (length is None or len(text) == length)


PHONE_MAX_LENGTH = 40  # as core.bounds.Phone and the columns
_PHONE_MARKS = frozenset("+-() ")


def normalise_phone(value: str, field: str = "phone") -> str:
    """A phone number with ASCII digits, keeping the marks people write it with
    (+, -, brackets, single spaces); refused when anything else is in it."""
    text = " ".join((value or "").split())
    converted = "".join(
        str(unicodedata.decimal(c)) if c not in ASCII_DIGITS and unicodedata.category(c) == "Nd" else c
        for c in text
    )
    if not converted:
        return ""
    if not all(c in ASCII_DIGITS or c in _PHONE_MARKS for c in converted) or not any(
        c in ASCII_DIGITS for c in converted
    ):
        raise ValidationFailed(
            _("A phone number may hold only digits, spaces, +, - and brackets."),
            field=field,
            code=CoreErrorCode.INVALID_PHONE,
        )
    if len(converted) > PHONE_MAX_LENGTH:
        raise ValidationFailed(
            _("A phone number is at most %(limit)s characters long."),
            field=field,
            code=ErrorCode.TOO_LONG,
            params={"limit": PHONE_MAX_LENGTH},
        )
    return converted


def _clean(value: str) -> str:
    return normalise_digits(value) if value else ""


def _check_digits(number: str, field: str, label: str) -> None:
    if not is_ascii_digits(number, 12):
        raise ValidationFailed(
            _("%(label)s must be exactly 12 digits."),
            field=field,
            code=CoreErrorCode.INVALID_FORMAT,
            params={"label": label},
        )
    if check_digit(number[:11]) != int(number[11]):
        raise ValidationFailed(
            _("%(label)s %(number)s has a wrong check digit: please check it for typos."),
            field=field,
            code=CoreErrorCode.INVALID_CHECK_DIGIT,
            params={"label": label, "number": number},
        )


@dataclass(frozen=True)
class IinFacts:
    iin: str
    birth_date: dt.date
    sex: str  # "M" or "F"


def parse_iin(value: str, field: str = "iin") -> IinFacts:
    """Validate an IIN and read the birth date and sex it encodes.

    Raises ValidationFailed naming the field for a wrong length, a wrong check digit,
    an unknown century digit or a birth date that does not exist.
    """
    iin = _clean(value)
    _check_digits(iin, field, str(_("IIN")))
    century_digit = int(iin[6])
    if century_digit not in CENTURY_BY_DIGIT:
        raise ValidationFailed(
            _("IIN %(number)s has an impossible 7th digit (century and sex)."),
            field=field,
            code=CoreErrorCode.INVALID_CENTURY,
            params={"number": iin},
        )
    year = CENTURY_BY_DIGIT[century_digit] + int(iin[0:2])
    try:
        birth_date = dt.date(year, int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise ValidationFailed(
            _("IIN %(number)s does not start with a real birth date."),
            field=field,
            code=CoreErrorCode.INVALID_BIRTH_DATE,
            params={"number": iin},
        ) from None
    return IinFacts(iin=iin, birth_date=birth_date, sex="M" if century_digit % 2 else "F")


def validate_bin(value: str, field: str = "bin") -> str:
    """Validate a BIN and return it without spaces; raises ValidationFailed otherwise."""
    number = _clean(value)
    _check_digits(number, field, str(_("BIN")))
    month = int(number[2:4])
    if not 1 <= month <= 12 or number[4] not in "456":
        raise ValidationFailed(
            _("BIN %(number)s does not have a registration month and entity type in place."),
            field=field,
            code=CoreErrorCode.INVALID_STRUCTURE,
            params={"number": number},
        )
    return number


def make_iin(birth_date: dt.date, sex: str, serial: int) -> str | None:
    """The IIN for a birth date, sex and serial, or None when that serial is never issued.

    Used to generate demo and test people whose numbers pass every check.
    """
    century_base = (birth_date.year // 100) * 100
    first = {1800: 1, 1900: 3, 2000: 5}[century_base] + (0 if sex == "M" else 1)
    body = f"{birth_date:%y%m%d}{first}{serial % 10000:04d}"
    digit = check_digit(body)
    return None if digit is None else f"{body}{digit}"


def make_bin(year: int, month: int, serial: int, entity_type: int = 4) -> str | None:
    """A BIN for a registration month and serial, or None when never issued."""
    body = f"{year % 100:02d}{month:02d}{entity_type}0{serial % 100000:05d}"
    digit = check_digit(body)
    return None if digit is None else f"{body}{digit}"


_MOBILE_CODES = frozenset({"70", "75", "76", "77"})


def normalise_kazakh_mobile(value: str, field: str = "phone") -> str:
    """A Kazakh mobile number as +7 7XX XXX XX XX written without spaces ("+77011234567"),
    from the ways people type it: "+7 701 123 45 67", "8 (701) 123-45-67", "87011234567",
    "7011234567". Refused when it is not ten digits after the country code, or not a
    mobile number (the operators' codes 70x, 747, 75x, 76x and 77x; a city line, such as
    Almaty's 727, is not): a citizen's phone is how they sign in, so two spellings of one
    number must be one account."""
    digits = normalise_digits(value).replace("(", "").replace(")", "")
    if digits.startswith("+7"):
        digits = digits[2:]
    elif len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if not is_ascii_digits(digits, 10) or not (digits[:2] in _MOBILE_CODES or digits[:3] == "747"):
        raise ValidationFailed(
            _("Enter a Kazakh mobile number, for example +7 701 123 45 67."),
            field=field,
            code=CoreErrorCode.INVALID_PHONE,
        )
    return "+7" + digits
