"""Row rules that need no database: IINs, dates, quantities, header names."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from qoldau.core.errors import ValidationFailed
from qoldau.core.identifiers import parse_iin
from qoldau.core.tests import factories
from qoldau.imports.readers import detect_delimiter, detect_encoding, match_columns, normalise_header
from qoldau.imports.validation import _iin_accepted, check_iin, iin_text, parse_day, parse_quantity


def test_the_fast_iin_check_accepts_exactly_what_parse_iin_accepts():
    rng = random.Random(7)
    numbers = ["".join(rng.choice("0123456789") for _ in range(12)) for _ in range(20_000)]
    # Mostly well-formed numbers with a real date and a plausible century digit.
    for _ in range(20_000):
        day = dt.date(1900, 1, 1) + dt.timedelta(days=rng.randrange(45_000))
        body = f"{day:%y%m%d}{rng.randrange(1, 8)}{rng.randrange(10_000):04d}"
        numbers.append(body + str(rng.randrange(10)))
    numbers += ["", "１２３４５６７８９０１２", "90051730001", "9005173000123", "900517 300012"]
    accepted = 0
    for number in numbers:
        try:
            facts = parse_iin(number)
        except ValidationFailed:
            facts = None
        fast = _iin_accepted(iin_text(number))
        assert (fast is None) == (facts is None), number
        if facts is not None and fast is not None:
            assert (fast.iin, fast.birth_date, fast.sex) == (facts.iin, facts.birth_date, facts.sex)
            accepted += 1
    assert accepted > 1000


def test_check_iin_reads_numbers_and_names_each_refusal():
    iin = factories.valid_iin(dt.date(2004, 2, 29), "F")
    assert check_iin(float(int(iin))).iin == iin  # Excel dropped the leading zero
    assert check_iin(f" {iin[:6]} {iin[6:]} ").iin == iin
    assert check_iin("123") == "iin_format"
    assert check_iin(iin[:11] + str((int(iin[11]) + 1) % 10)) == "iin_check_digit"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01", dt.date(2025, 3, 1)),
        ("1.3.2025", dt.date(2025, 3, 1)),
        ("01/03/2025", dt.date(2025, 3, 1)),
        ("2025-03-01 00:00:00", dt.date(2025, 3, 1)),
        (dt.datetime(2025, 3, 1, 12, 0), dt.date(2025, 3, 1)),  # noqa: DTZ001 - an Excel cell
        ("31.02.2025", None),
        ("03/2025", None),
        ("", None),
    ],
)
def test_dates(value, expected):
    assert parse_day(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", Decimal(1)),
        ("2", Decimal(2)),
        ("2,5", Decimal("2.5")),
        (1.5, Decimal("1.5")),
        ("1 000", Decimal(1000)),
        ("0", None),
        ("-1", None),
        ("1.234", None),
        ("1e3", Decimal(1000)),
        ("nan", None),
        ("100000000", None),
        (True, None),
    ],
)
def test_quantities(value, expected):
    assert parse_quantity(value) == expected


def test_headers_are_compared_without_case_spaces_or_punctuation():
    assert normalise_header(" Region (KATO) ") == normalise_header("region-kato") == "regionkato"
    assert normalise_header("Жынысы") == "жынысы"
    columns = match_columns("deliveries", ["ЖСН", "Қызмет", "Күні", "Something"])
    assert columns.fields == ["iin", "service", "date", None]
    assert (columns.unknown, columns.missing, columns.complete, columns.usable) == ([3], [], False, True)


def test_encoding_and_delimiter_detection():
    assert detect_encoding("Фамилия;Имя".encode("cp1251")) == "cp1251"
    assert detect_encoding("Тегі,Аты".encode()) == "utf-8-sig"
    # A sample cut in the middle of a two-byte letter is still UTF-8.
    assert detect_encoding("Тегі".encode()[:-1]) == "utf-8-sig"
    assert detect_delimiter("a;b;c\n") == ";"
    assert detect_delimiter("a\tb\n") == "\t"
    assert detect_delimiter("a\n") == ","
