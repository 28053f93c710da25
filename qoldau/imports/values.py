"""Cell values as people type them: dates in the forms an accountant writes ("06.03.2025",
"6 марта 2025 г.", "2025 жылғы 6 наурыз", "March 6, 2025"), and 12-digit identifiers
(IIN, BIN) that Excel kept as numbers and so without their leading zeros.

Everything here reads one cell; `validation` decides what a value means for a row.
"""

from __future__ import annotations

import datetime as dt
import re

from qoldau.core.identifiers import is_ascii_digits, normalise_digits


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO dates, blanks empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


# Months ---------------------------------------------------------------------------------

_MONTH_NAMES = (
    # Russian: genitive (as a date is written) and nominative; Kazakh; English.
    ("января", "январь", "қаңтар", "january"),
    ("февраля", "февраль", "ақпан", "february"),
    ("марта", "март", "наурыз", "march"),
    ("апреля", "апрель", "сәуір", "april"),
    ("мая", "май", "мамыр", "may"),
    ("июня", "июнь", "маусым", "june"),
    ("июля", "июль", "шілде", "july"),
    ("августа", "август", "тамыз", "august"),
    ("сентября", "сентябрь", "қыркүйек", "september"),
    ("октября", "октябрь", "қазан", "october"),
    ("ноября", "ноябрь", "қараша", "november"),
    ("декабря", "декабрь", "желтоқсан", "december"),
)
# Abbreviations people write with or without a dot ("6 мар. 2025", "6 Mar 2025").
_MONTH_SHORT = {
    "янв": 1, "jan": 1, "фев": 2, "февр": 2, "feb": 2, "мар": 3, "mar": 3, "апр": 4, "apr": 4,
    "июн": 6, "jun": 6, "июл": 7, "jul": 7, "авг": 8, "aug": 8, "сен": 9, "сент": 9, "sep": 9,
    "sept": 9, "окт": 10, "oct": 10, "ноя": 11, "нояб": 11, "nov": 11, "дек": 12, "dec": 12,
}  # fmt: skip
MONTHS: dict[str, int] = {
    **{name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names},
    **_MONTH_SHORT,
}

# "г.", "года", "ж.", "жыл", "жылғы" after the year; Kazakh writes the year first.
_YEAR_WORD = r"(?:г|гг|год|года|ж|жыл|жылы|жылғы)\.?"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_NUMERIC = re.compile(rf"^(\d{{1,2}})[./-](\d{{1,2}})[./-](\d{{4}})(?:\s*{_YEAR_WORD})?(?:\s.*)?$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})\s*-?\s*([^\W\d_]+)\.?,?\s*(\d{{4}})\s*(?:{_YEAR_WORD})?$")
_YEAR_DAY_MONTH = re.compile(rf"^(\d{{4}})\s*(?:{_YEAR_WORD})?\s*(\d{{1,2}})\s*-?\s*([^\W\d_]+)\.?$")
_MONTH_DAY_YEAR = re.compile(r"^([^\W\d_]+)\.?\s*(\d{1,2}),?\s*(\d{4})$")
# Quotes around the day ("«6» марта 2025 г.") and the suffix of a Kazakh ordinal ("6-сы").
_QUOTES = str.maketrans("", "", "«»\"'“”„")


def _day(year: str, month: int | str | None, day: str) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_day(value: object) -> dt.date | None:
    """A date from a cell: an Excel date, 2025-03-06, 06.03.2025 (or with / or -), or in
    words in Russian, Kazakh or English ("6 марта 2025 г.", "6 наурыз 2025 ж.",
    "2025 жылғы 6 наурыз", "March 6, 2025"); None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if match := _ISO.match(text):
        return _day(match[1], match[2], match[3])
    if match := _NUMERIC.match(text):
        return _day(match[3], match[2], match[1])
    if not text or len(text) > 60:
        return None
    words = " ".join(text.translate(_QUOTES).casefold().replace("ё", "е").split())
    if match := _DAY_MONTH_YEAR.match(words):
        return _day(match[3], MONTHS.get(match[2]), match[1])
    if match := _YEAR_DAY_MONTH.match(words):
        return _day(match[1], MONTHS.get(match[3]), match[2])
    if match := _MONTH_DAY_YEAR.match(words):
        return _day(match[3], MONTHS.get(match[1]), match[2])
    return None


# Identifiers ----------------------------------------------------------------------------

IDENTIFIER_DIGITS = 12
# An IIN begins with the birth year's last two digits: everyone born 2000–2009 has one
# leading zero (two for 2000), which a number cell drops; the shortest is 9 digits
# (000101…). A BIN begins with the registration year in the same way.
_SHORTEST_WITHOUT_ZEROS = 9
# "4.01015E+10": a number Excel wrote in exponent form into a CSV file, rounded.
_EXPONENT = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d{1,2}$")


def is_rounded_number(text: str) -> bool:
    """A number written in exponent form ("4.01015E+10"), as Excel saves a long number
    into CSV: its last digits are lost and cannot be read back."""
    return bool(_EXPONENT.match(text.strip()))


def identifier_text(value: object, *, text_may_lack_zeros: bool = False) -> str:
    """A 12-digit identifier (IIN or BIN) from a cell, as its digits: a whole number that
    Excel keeps in a number cell is padded back to 12 digits with the zeros it dropped
    (the check digit then decides whether it is one), and so is text of 9 to 11 digits
    when `text_may_lack_zeros` (a CSV file, where Excel writes a number cell as its
    digits). Other digits come back normalised, anything else as written."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:012d}" if 0 <= value < 10**IDENTIFIER_DIGITS else str(value)
    if isinstance(value, float):
        if value.is_integer() and 0 <= value < 10**IDENTIFIER_DIGITS:
            return f"{int(value):012d}"
        return repr(value)
    digits = normalise_digits(value)
    if not is_ascii_digits(digits):
        # A name (an owner's), or no identifier: as written, for the check to decide.
        return cell_text(value)
    if text_may_lack_zeros and _SHORTEST_WITHOUT_ZEROS <= len(digits) < IDENTIFIER_DIGITS:
        return digits.zfill(IDENTIFIER_DIGITS)
    return digits
