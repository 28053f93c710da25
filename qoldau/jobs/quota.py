"""The employment quota, as pure functions over an employer's figures (the selectors load
them): required quota jobs = the rate of the employer's headcount band × its headcount
without jobs in heavy, harmful or hazardous work, made whole jobs by the rounding rule in
`QOLDAU_JOBS_QUOTA_ROUNDING`; filled = employees with disabilities reported, plus
placements on quota jobs since the report still in post at the year's end (Social Code
2023; `../shared/domain/EMPLOYMENT.md`). A first breach brings a warning, a repeat within
a year a fine of 5 to 10 MCI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

# How a share of a headcount becomes whole jobs (2 % of 73 staff is 1.46 jobs).
ROUNDINGS = {"down": ROUND_FLOOR, "nearest": ROUND_HALF_UP, "up": ROUND_CEILING}

# The fine for a repeated breach, in MCI (Code of Administrative Offences; EMPLOYMENT.md).
FINE_MCI_LOW = 5
FINE_MCI_HIGH = 10
# A fine follows a warning issued within this many days before it.
REPEAT_WITHIN_DAYS = 365


@dataclass(frozen=True)
class Band:
    min_headcount: int
    max_headcount: int | None
    rate_percent: Decimal


def band_for(headcount: int, bands: Iterable[Band]) -> Band | None:
    """The band a headcount falls in; None below the first (no quota)."""
    for band in bands:
        if headcount >= band.min_headcount and (
            band.max_headcount is None or headcount <= band.max_headcount
        ):
            return band
    return None


def quota_required(headcount: int, hazardous_jobs: int, bands: Sequence[Band], rounding: str) -> int:
    """Quota jobs an employer must fill: its band's share of its headcount without the
    hazardous jobs, rounded by the rule named (`down`, `nearest` or `up`)."""
    band = band_for(headcount, bands)
    if band is None:
        return 0
    share = Decimal(max(headcount - hazardous_jobs, 0)) * band.rate_percent / 100
    return int(share.to_integral_value(rounding=ROUNDINGS[rounding]))


@dataclass(frozen=True)
class Compliance:
    employer_id: int
    year: int
    headcount: int
    hazardous_jobs: int
    rate_percent: Decimal | None
    required: int
    employees_with_disabilities: int
    placements: int
    filled: int
    shortfall: int
    exemption: str
    warnings: int
    fines: int
    fines_mci: int
    fines_amount: Decimal


def compliance(
    *,
    employer_id: int,
    year: int,
    headcount: int,
    hazardous_jobs: int,
    employees_with_disabilities: int,
    placements: int,
    bands: Sequence[Band],
    rounding: str,
    exemption: str = "",
    warnings: int = 0,
    fines_mci: Sequence[int] = (),
    fines_amount: Decimal = Decimal(0),
) -> Compliance:
    """An employer's quota for a year: required, filled, the shortfall (none for an exempt
    employer), and the warnings and fines issued."""
    band = band_for(headcount, bands)
    required = quota_required(headcount, hazardous_jobs, bands, rounding)
    filled = employees_with_disabilities + placements
    return Compliance(
        employer_id=employer_id,
        year=year,
        headcount=headcount,
        hazardous_jobs=hazardous_jobs,
        rate_percent=band.rate_percent if band is not None else None,
        required=required,
        employees_with_disabilities=employees_with_disabilities,
        placements=placements,
        filled=filled,
        shortfall=0 if exemption else max(required - filled, 0),
        exemption=exemption,
        warnings=warnings,
        fines=len(fines_mci),
        fines_mci=sum(fines_mci),
        fines_amount=fines_amount,
    )
