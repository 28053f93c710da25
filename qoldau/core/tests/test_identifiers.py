"""IIN and BIN: check digit (Decree No. 406), structure, and what an IIN tells."""

import datetime as dt

import pytest

from qoldau.core.errors import ValidationFailed
from qoldau.core.identifiers import check_digit, parse_iin, validate_bin


# Each vector was worked by hand: Σ digit × weight (1..11) mod 11.
@pytest.mark.parametrize(
    ("iin", "birth", "sex"),
    [
        # 9+0+0+20+5+42+21+0+0+0+11 = 108; 108 mod 11 = 9
        ("900517300019", dt.date(1990, 5, 17), "M"),
        # 9+4+3+8+0+54+28+0+0+0+11 = 117; 117 mod 11 = 7
        ("921209400017", dt.date(1992, 12, 9), "F"),
        # first pass 98 mod 11 = 10; second weights 3..11,1,2: 115 mod 11 = 5
        ("850312300305", dt.date(1985, 3, 12), "M"),
        ("  850312 300305 ", dt.date(1985, 3, 12), "M"),
    ],
)
def test_valid_iin_gives_birth_date_and_sex(iin, birth, sex):
    facts = parse_iin(iin)
    assert facts.birth_date == birth
    assert facts.sex == sex
    assert facts.iin == iin.replace(" ", "")


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        ("900517300018", "invalid_check_digit"),  # last digit off by one
        ("900517300091", "invalid_check_digit"),  # two digits swapped
        ("850312300380", "invalid_check_digit"),  # both passes give 10: never issued
        ("90051730001", "invalid_format"),  # 11 digits
        ("9005173000199", "invalid_format"),  # 13 digits
        ("90051730001A", "invalid_format"),
        ("", "invalid_format"),
        ("900230300019", "invalid_birth_date"),  # 30 February, check digit fine
        ("900517000011", "invalid_century"),  # 7th digit 0, check digit fine
    ],
)
def test_invalid_iin_is_refused_with_a_reason(iin, code):
    with pytest.raises(ValidationFailed) as error:
        parse_iin(iin)
    assert error.value.code == code
    assert error.value.field == "iin"


def test_eleven_digits_whose_both_passes_give_ten_have_no_check_digit():
    # 8+10+0+12+5+12+21+0+0+30+88 = 186 ≡ 10; second pass 131 ≡ 10
    assert check_digit("85031230038") is None


@pytest.mark.parametrize("number", ["150640012341", "1506 4001 2341"])
def test_valid_bin(number):
    # 1+10+0+24+20+0+0+8+18+30+44 = 155; 155 mod 11 = 1
    assert validate_bin(number) == "150640012341"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("150640012342", "invalid_check_digit"),
        ("15064001234", "invalid_format"),
        ("151340012343", "invalid_structure"),  # month 13, check digit fine (146 mod 11 = 3)
    ],
)
def test_invalid_bin_is_refused(number, code):
    with pytest.raises(ValidationFailed) as error:
        validate_bin(number)
    assert error.value.code == code
    assert error.value.field == "bin"
