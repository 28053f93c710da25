"""Retention of placements: whether people placed in work are still there some months on,
counted by placement cohort. A placement too recent to judge (the milestone lies after the
day counted) is left out of the rate (censored), never counted as a failure; one whose
follow-up is overdue and unrecorded is counted apart, as unknown."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from qoldau.projects.impact import percent_share


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day where it is shorter (31 January
    and a month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PlacementOutcome:
    cohort: str
    start_date: dt.date
    ended_on: dt.date | None
    # The recorded outcome of each follow-up by its months ("employed" or "left").
    follow_ups: Mapping[int, str]


RETAINED, LEFT, CENSORED, UNKNOWN = "retained", "left", "censored", "unknown"


def outcome_at(placement: PlacementOutcome, months: int, as_of: dt.date) -> str:
    """Where a placement stands at a milestone, judged on `as_of`."""
    due = add_months(placement.start_date, months)
    if due > as_of:
        return CENSORED
    if placement.ended_on is not None and placement.ended_on < due:
        return LEFT
    recorded = placement.follow_ups.get(months, "")
    if recorded == "employed":
        return RETAINED
    if recorded == "left":
        return LEFT
    return UNKNOWN


@dataclass(frozen=True)
class CohortRetention:
    cohort: str
    months: int
    placed: int
    retained: int
    left: int
    censored: int
    unknown: int

    @property
    def judged(self) -> int:
        return self.retained + self.left

    @property
    def rate(self) -> Decimal | None:
        """Retained of those judged, in per cent; None when none can be judged yet."""
        return percent_share(self.retained, self.judged)


def retention_by_cohort(
    placements: Iterable[PlacementOutcome], months: int, as_of: dt.date
) -> list[CohortRetention]:
    """Retention at `months` for each cohort, oldest first."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for placement in placements:
        counts[placement.cohort][outcome_at(placement, months, as_of)] += 1
    return [
        CohortRetention(
            cohort=cohort,
            months=months,
            placed=sum(c.values()),
            retained=c[RETAINED],
            left=c[LEFT],
            censored=c[CENSORED],
            unknown=c[UNKNOWN],
        )
        for cohort, c in sorted(counts.items())
    ]
