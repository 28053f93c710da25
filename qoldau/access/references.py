"""A barrier report's reference number: what the reporter is given on the "thank you" page
(and in the bot) to follow the report's status on a public page, without an account.

It is the report's number and a keyed check (`salted_hmac` over the number, with the site's
secret key), e.g. `1234-K7Q2MX`: a number alone would let anyone walk through every report's
status by counting; the check cannot be guessed (32**6, about a billion, a number), so only
the person who was given the reference can look it up. No column is needed: the check is
worked out again from the number.
"""

from __future__ import annotations

import base64
import re

from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "qoldau.access.barrier_reference"
_CHECK_LENGTH = 6
_FORM = re.compile(r"^\s*(\d{1,12})\s*[-‐‑–—\s]\s*([A-Za-z2-7]{6})\s*$")


def _check(report_id: int) -> str:
    digest = salted_hmac(_SALT, str(report_id), algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:_CHECK_LENGTH]


def reference_of(report_id: int) -> str:
    return f"{report_id}-{_check(report_id)}"


def report_id_of(reference: str) -> int | None:
    """The report's number if `reference` is one this site gave (any case, any dash or a
    space between the two parts), else None."""
    found = _FORM.match(reference or "")
    if found is None:
        return None
    report_id = int(found.group(1))
    if not constant_time_compare(found.group(2).upper(), _check(report_id)):
        return None
    return report_id
