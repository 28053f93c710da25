"""The interpreting app's public seam for the dashboard: the figures of online
sign-language interpreting within a reader's scope, as plain data (no model leaves this
module), in a fixed handful of queries whatever the number of calls.

What is counted, for a period and the places and organisations of an impact filter
(`qoldau.projects.impact.ImpactFilter`, applied to the service's organisation; its
projects, category and funding source do not apply), among the services the reader may
count (`policy.services_counted_for`):

- calls queued in the period (a booked session is not queued), by month: how many, how
  many were answered, how many within `ANSWER_TARGET_SECONDS` (and their share of the
  calls), the median and 95th percentile wait of the answered ones (nearest rank), the
  calls missed (not answered: missed, or given up by the caller);
- minutes interpreted in the period's sessions, by month, by purpose and by the region of
  the person served, with the people served in each;
- hours used (the sessions' minutes) against the hours a year of the entitlements not
  ended before the period (an entitlement is confirmed once, and its date says when, not
  since when the person is entitled).

The figures are exact; `shown_figures` hides and rounds them for the public by the impact
report's rules (`qoldau.projects.impact`): each count of calls or people of fewer than the
threshold hidden and every shown one rounded; a share, median or percentile shown only of
at least the threshold of calls; a purpose's or region's minutes shown only where its
people are."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from qoldau.core.access import Actor
from qoldau.core.models import Place
from qoldau.interpreting import policy
from qoldau.interpreting.models import Call, CallStatus, Entitlement, InterpretingService, Purpose, Session
from qoldau.interpreting.selectors import ANSWER_TARGET_SECONDS, percentile
from qoldau.projects.impact import ImpactFilter, percent_share, public_count, public_round, suppressed_line

TARGET_SECONDS = ANSWER_TARGET_SECONDS
NOT_ANSWERED = (CallStatus.MISSED, CallStatus.CANCELLED)


@dataclass(frozen=True)
class CallMonth:
    """One month's calls ("2025-03"), or the period's (`month` empty)."""

    month: str
    calls: int | None
    answered: int | None
    answered_in_time: int | None
    missed: int | None
    median_wait: int | None
    p95_wait: int | None
    minutes: int
    # Calls answered within the target, in per cent of the calls, to one decimal (of the
    # exact counts, also where the public sees them rounded).
    in_time_share: Decimal | None = None


@dataclass(frozen=True)
class MinutesRow:
    """A purpose's or a region's minutes and the people served in them."""

    key: str
    label: str
    minutes: int | None
    people: int | None


@dataclass(frozen=True)
class InterpretingFigures:
    date_from: dt.date
    date_to: dt.date
    services: int
    months: list[CallMonth]
    total: CallMonth
    by_purpose: list[MinutesRow]
    by_region: list[MinutesRow]
    people_served: int | None
    minutes_used: int
    hours_entitled: int

    @property
    def hours_used(self) -> Decimal:
        return (Decimal(self.minutes_used) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def hours_used_share(self) -> Decimal | None:
        """Hours used, in per cent of those entitled."""
        return percent_share(self.minutes_used, 60 * self.hours_entitled)


def _services(user: Actor | None, wanted: ImpactFilter) -> QuerySet[InterpretingService]:
    return wanted.narrow_by_organisation(policy.services_counted_for(user))


def _months(first: dt.date, last: dt.date) -> list[str]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass
class _Tally:
    calls: int = 0
    answered: int = 0
    in_time: int = 0
    missed: int = 0
    minutes: int = 0

    def line(self, month: str, waits: list[float]) -> CallMonth:
        return CallMonth(
            month=month,
            calls=self.calls,
            answered=self.answered,
            answered_in_time=self.in_time,
            missed=self.missed,
            median_wait=round(statistics.median(waits)) if waits else None,
            p95_wait=percentile(waits, 0.95),
            minutes=self.minutes,
            in_time_share=percent_share(self.in_time, self.calls),
        )


def interpreting_figures(user: Actor | None, wanted: ImpactFilter) -> InterpretingFigures:
    """The figures of a filter within the reader's scope (the public: the country, for
    hiding and rounding by `shown_figures`). Five queries whatever the size."""
    first, last = wanted.date_from, wanted.date_to
    services = _services(user, wanted)
    service_ids = list(services.values_list("pk", flat=True))
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    months = _months(first, last)
    tallies = {m: _Tally() for m in months}
    waits: dict[str, list[float]] = {m: [] for m in months}
    total = _Tally()
    all_waits: list[float] = []
    calls = Call.objects.filter(
        service_id__in=service_ids, booking__isnull=True, created_at__gte=start, created_at__lt=end
    )
    for created, answered, status in calls.values_list("created_at", "answered_at", "status"):
        month = timezone.localtime(created).strftime("%Y-%m")
        for tally in (tallies[month], total):
            tally.calls += 1
            if answered is not None:
                tally.answered += 1
                tally.in_time += (answered - created).total_seconds() <= TARGET_SECONDS
            elif status in NOT_ANSWERED:
                tally.missed += 1
        if answered is not None:
            wait = (answered - created).total_seconds()
            waits[month].append(wait)
            all_waits.append(wait)

    purpose_minutes: dict[str, int] = defaultdict(int)
    purpose_people: dict[str, set[int]] = defaultdict(set)
    region_minutes: dict[int | None, int] = defaultdict(int)
    region_people: dict[int | None, set[int]] = defaultdict(set)
    people: set[int] = set()
    sessions = Session.objects.filter(
        interpreter__service_id__in=service_ids,
        started_at__gte=start,
        started_at__lt=end,
        minutes__isnull=False,
    )
    for started, minutes, purpose, person, region in sessions.values_list(
        "started_at", "minutes", "call__purpose", "person_id", "person__region_id"
    ):
        amount = minutes or 0
        month = timezone.localtime(started).strftime("%Y-%m")
        tallies[month].minutes += amount
        total.minutes += amount
        purpose_minutes[purpose] += amount
        purpose_people[purpose].add(person)
        region_minutes[region] += amount
        region_people[region].add(person)
        people.add(person)

    purposes = dict(Purpose.choices)
    by_purpose = [
        MinutesRow(code, str(purposes.get(code, code)), purpose_minutes[code], len(purpose_people[code]))
        for code in sorted(purpose_minutes, key=lambda c: (-purpose_minutes[c], c))
    ]
    names = {p.pk: p.name for p in Place.objects.filter(pk__in=[k for k in region_minutes if k is not None])}
    no_region = gettext("Region not recorded")
    by_region = sorted(
        (
            MinutesRow(
                str(key or ""),
                names.get(key, no_region) if key else no_region,
                amount,
                len(region_people[key]),
            )
            for key, amount in region_minutes.items()
        ),
        key=lambda r: (r.key == "", r.label.casefold()),
    )
    entitled = (
        Entitlement.objects.filter(service_id__in=service_ids)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first))
        .aggregate(total=Sum("hours_per_year"))["total"]
        or 0
    )
    return InterpretingFigures(
        date_from=first,
        date_to=last,
        services=len(service_ids),
        months=[tallies[m].line(m, waits[m]) for m in months],
        total=total.line("", all_waits),
        by_purpose=by_purpose,
        by_region=by_region,
        people_served=len(people),
        minutes_used=total.minutes,
        hours_entitled=entitled,
    )


def _shown_month(line: CallMonth, threshold: int) -> CallMonth:
    def alone(value: int | None) -> int | None:
        return None if value is None else public_count(value, threshold)

    enough = (line.answered or 0) >= threshold
    return replace(
        line,
        calls=alone(line.calls),
        answered=alone(line.answered),
        # A share is shown of enough calls only; the count within the target with it.
        answered_in_time=alone(line.answered_in_time) if (line.calls or 0) >= threshold else None,
        in_time_share=line.in_time_share if (line.calls or 0) >= threshold else None,
        missed=alone(line.missed),
        median_wait=line.median_wait if enough else None,
        p95_wait=line.p95_wait if enough else None,
    )


def _shown_rows(rows: list[MinutesRow], threshold: int) -> list[MinutesRow]:
    people = suppressed_line([r.people or 0 for r in rows], threshold)
    return [
        replace(
            row,
            people=None if shown is None else public_round(shown, threshold),
            minutes=row.minutes if shown is not None else None,
        )
        for row, shown in zip(rows, people, strict=True)
    ]


def shown_figures(found: InterpretingFigures, *, public: bool, threshold: int) -> InterpretingFigures:
    """The figures as the reader may see them: exact for a signed-in user's scope; for the
    public, hidden and rounded (the module's text)."""
    if not public:
        return found
    return replace(
        found,
        months=[_shown_month(m, threshold) for m in found.months],
        total=_shown_month(found.total, threshold),
        by_purpose=_shown_rows(found.by_purpose, threshold),
        by_region=_shown_rows(found.by_region, threshold),
        people_served=None if found.people_served is None else public_count(found.people_served, threshold),
    )
