"""Grant sizes under the Law of 12 April 2005 No. 36-III on state social order, grants and
awards for NGOs: a band gives a duration and an amount in monthly calculation indices (MCI),
turned into tenge with the MCI in force on the call's opening day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.mci import mci_on as mci_on
from qoldau.contests.models import GrantBandKind
from qoldau.core.errors import ValidationFailed


@dataclass(frozen=True)
class Band:
    kind: str
    min_months: int
    max_months: int
    min_mci: int
    max_mci: int | None


BANDS: dict[str, Band] = {
    GrantBandKind.SHORT: Band(GrantBandKind.SHORT, 3, 12, 500, 3_000),
    GrantBandKind.MEDIUM: Band(GrantBandKind.MEDIUM, 12, 24, 3_000, 10_000),
    GrantBandKind.LONG: Band(GrantBandKind.LONG, 24, 36, 10_000, None),
}


@dataclass(frozen=True)
class BandLimits:
    band: Band
    mci: Decimal
    min_amount: Decimal
    max_amount: Decimal | None


def band_limits(kind: str, day: dt.date) -> BandLimits:
    band = BANDS[kind]
    mci = mci_on(day)
    return BandLimits(
        band=band,
        mci=mci,
        min_amount=mci * band.min_mci,
        max_amount=mci * band.max_mci if band.max_mci is not None else None,
    )


def check_fits_band(
    *, kind: str, amount: Decimal, months: int, day: dt.date, field: str = "requested_amount"
) -> None:
    """An amount and a duration fit the band (both ends included)."""
    limits = band_limits(kind, day)
    band = limits.band
    label = GrantBandKind(kind).label
    if not band.min_months <= months <= band.max_months:
        raise ValidationFailed(
            _("A %(band)s lasts from %(low)s to %(high)s months; this project lasts %(months)s."),
            field="duration_months",
            code=ContestErrorCode.BAND_DURATION,
            params={"band": label, "low": band.min_months, "high": band.max_months, "months": months},
        )
    if amount < limits.min_amount or (limits.max_amount is not None and amount > limits.max_amount):
        if limits.max_amount is None:
            raise ValidationFailed(
                _("A %(band)s is at least %(low)s tenge (%(low_mci)s MCI at %(mci)s tenge)."),
                field=field,
                code=ContestErrorCode.BAND_AMOUNT,
                params={"band": label, "low": limits.min_amount, "low_mci": band.min_mci, "mci": limits.mci},
            )
        raise ValidationFailed(
            _(
                "A %(band)s is from %(low)s to %(high)s tenge (%(low_mci)s to %(high_mci)s MCI at "
                "%(mci)s tenge); the amount is %(amount)s."
            ),
            field=field,
            code=ContestErrorCode.BAND_AMOUNT,
            params={
                "band": label,
                "low": limits.min_amount,
                "high": limits.max_amount,
                "low_mci": band.min_mci,
                "high_mci": band.max_mci,
                "mci": limits.mci,
                "amount": amount,
            },
        )
