"""The shape of an occupation's code in НК РК 01-2017: the ISCO-08 groups' digits (a major
group has 1, a sub-major 2, a minor 3, a unit group 4), then a national occupation's
suffixes (`4110-9`, `2512-1-001`). A code's parent is the nearest shorter code of the
classifier; a level may be missing from a file (a seed of unit groups hangs under the major
groups), as KATO's districts may hang directly under a city."""

from __future__ import annotations

import re

CODE_PATTERN = re.compile(r"^\d{1,4}$|^\d{4}(-\d{1,3}){1,2}$")

LEVEL_BY_DIGITS = {1: "major", 2: "sub_major", 3: "minor", 4: "unit"}


def is_occupation_code(code: str) -> bool:
    return bool(CODE_PATTERN.match(code))


def occupation_level(code: str) -> str:
    """The level a well-formed code names."""
    return "occupation" if "-" in code else LEVEL_BY_DIGITS[len(code)]


def occupation_ancestors(code: str) -> list[str]:
    """The codes a unit may hang under, nearest first: `2512-1-001` → `2512-1`, `2512`,
    `251`, `25`, `2`."""
    parts = code.split("-")
    found = ["-".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
    digits = parts[0]
    found += [digits[:i] for i in range(len(digits) - 1, 0, -1)]
    return found


def isco_of(code: str) -> str:
    """The ISCO-08 group a code maps to: its group digits."""
    return code.split("-")[0]
