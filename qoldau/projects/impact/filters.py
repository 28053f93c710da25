"""What an impact report counts: the filter (a period, places, organisations, projects,
a category, a funding source), the calendar periods, and the dimensions a report may be
broken down by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ValidationFailed

# The years a report may be asked for: anything else is a typo, refused clearly.
FIRST_YEAR = 2000
LAST_YEAR = 2100

DIMENSIONS = ("region", "district", "organisation", "project", "category", "funding_source", "month")
_Row = TypeVar("_Row", bound=Model)


def percent_share(part: int | None, whole: int | None) -> Decimal | None:
    """`part` of `whole` in per cent to one decimal (half up); None when either is unknown
    or the whole is 0. The capability apps' dashboard figures share it."""
    if part is None or not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The dimensions the reach cells carry; the others need the live path.
CELL_DIMENSIONS = frozenset({"region", "district", "category", "month"})


@dataclass(frozen=True)
class ImpactFilter:
    """What the report counts. Dates are inclusive; ids are database ids."""

    date_from: dt.date
    date_to: dt.date
    region_ids: tuple[int, ...] = ()
    district_ids: tuple[int, ...] = ()
    organisation_ids: tuple[int, ...] = ()
    project_ids: tuple[int, ...] = ()
    category_id: int | None = None
    funding_source: str = ""

    def narrow_by_organisation(self, found: QuerySet[_Row], through: str = "organisation") -> QuerySet[_Row]:
        """Rows narrowed to the filter's regions, districts and organisations by the
        organisation they belong to (`through`: the field naming it; "" when the rows are
        organisations): a capability app's providers, services or employers for its
        dashboard section."""
        at = f"{through}__" if through else ""
        if self.region_ids:
            found = found.filter(**{f"{at}region_id__in": self.region_ids})
        if self.district_ids:
            found = found.filter(**{f"{at}district_id__in": self.district_ids})
        if self.organisation_ids:
            found = found.filter(**{f"{through}_id__in" if through else "pk__in": self.organisation_ids})
        return found

    @classmethod
    def for_year(cls, year: int, **kwargs: Any) -> ImpactFilter:
        return cls(date_from=dt.date(year, 1, 1), date_to=dt.date(year, 12, 31), **kwargs)

    @classmethod
    def for_period(
        cls, year: int, *, quarter: int | None = None, month: int | None = None, **kwargs: Any
    ) -> ImpactFilter:
        """A year, one of its quarters or one of its months (see `period_dates`)."""
        date_from, date_to = period_dates(year, quarter=quarter, month=month)
        return cls(date_from=date_from, date_to=date_to, **kwargs)

    @property
    def single_month(self) -> tuple[int, int] | None:
        """The year and month when the period is exactly one calendar month."""
        start, end = self.date_from, self.date_to
        if start.day == 1 and (start.year, start.month) == (end.year, end.month) and end == _month_end(start):
            return start.year, start.month
        return None

    @property
    def calendar_period(self) -> str | None:
        """The period as "2025", "2025-Q2" or "2025-03" when it is exactly one calendar
        year, quarter or month; None for any other range."""
        if self.single_year is not None:
            return str(self.single_year)
        if self.single_month is not None:
            return f"{self.date_from:%Y-%m}"
        start, end = self.date_from, self.date_to
        if (
            start.day == 1
            and start.month % 3 == 1
            and end.year == start.year
            and end.month == start.month + 2
            and end == _month_end(end)
        ):
            return f"{start.year}-Q{start.month // 3 + 1}"
        return None

    @property
    def single_year(self) -> int | None:
        """The year when the period is exactly one calendar year."""
        if (
            self.date_from.year == self.date_to.year
            and (self.date_from.month, self.date_from.day) == (1, 1)
            and (self.date_to.month, self.date_to.day) == (12, 31)
        ):
            return self.date_from.year
        return None


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_dates(
    year: int, *, quarter: int | None = None, month: int | None = None
) -> tuple[dt.date, dt.date]:
    """The first and last day of a year, of one of its quarters or of one of its months.
    A year outside FIRST_YEAR..LAST_YEAR, a quarter other than 1-4, a month other than
    1-12, or both a quarter and a month, are refused with a clear message."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed(
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="year",
        )
    if quarter is not None and month is not None:
        raise ValidationFailed(_("Give a quarter or a month, not both."), field="month")
    if quarter is not None:
        if not 1 <= quarter <= 4:
            raise ValidationFailed(_("The quarter must be 1, 2, 3 or 4."), field="quarter")
        start = dt.date(year, 3 * quarter - 2, 1)
        return start, _month_end(dt.date(year, 3 * quarter, 1))
    if month is not None:
        if not 1 <= month <= 12:
            raise ValidationFailed(_("The month must be a number from 1 to 12."), field="month")
        start = dt.date(year, month, 1)
        return start, _month_end(start)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
