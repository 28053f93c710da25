"""The monthly calculation index (MCI, АЕК / МРП) in force on a day, from the dated table an
administrator keeps (`MonthlyCalculationIndex`). A public seam of the contests app
(.importlinter): grant sizes are counted in it here, and the jobs app counts the fines of
the employment quota in it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.models import MonthlyCalculationIndex
from qoldau.core.errors import ValidationFailed


def mci_on(day: dt.date) -> Decimal:
    """The MCI in tenge on a day; refused (not guessed) when no rate covers the day."""
    amount = (
        MonthlyCalculationIndex.objects.filter(valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("amount", flat=True)
        .first()
    )
    if amount is None:
        raise ValidationFailed(
            _("There is no monthly calculation index for %(day)s. An administrator must add it first."),
            code=ContestErrorCode.NO_MCI,
            params={"day": day.isoformat()},
        )
    return amount
