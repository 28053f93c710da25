"""The services app's public seam for the dashboards and the public summary: the figures
of social services within a user's scope, as plain data (no model leaves this module), in
a fixed handful of queries whatever the number of providers, places and people.

What is counted, for a period and the places and organisations of an impact filter
(`qoldau.projects.impact.ImpactFilter`; its projects, category and funding source do not
apply), among the providers the user may count (`policy.providers_counted_for`: the
public and the ministry the country, an akimat officer their region, a provider's staff
their own):

- providers by kind (the provider's organisation's region and district);
- places, free places and people waiting on a day (`as_of`: the period's last day, or
  today when the period runs on): the places are each service's capacity in force that
  day, free places its places less the enrolments in force that day (never below nought
  for one service), waiting the people on its wait lists (waiting, offered a place or set
  aside until a date); and the places of centres planned and not open yet;
- recipients: people (by identity, once each) enrolled at some time in the period;
- referrals received in the period: how many, how many are closed (completed, rejected
  or cancelled), how many were served (completed with a delivery), the share served of
  the closed ones, and the median days from the referral to the first service;
- referrals left unanswered past their answer's due time, now (not of the period).

The figures are exact; `shown_figures` hides and rounds them for the public by the impact
report's rules (`qoldau.projects.impact`): each count of people of fewer than the
threshold hidden, a breakdown's parts hidden until none can be found by subtraction,
every shown count rounded. Providers and places are no counts of people and are shown
as they are; free places (places less people) are rounded."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from qoldau.core.access import Actor
from qoldau.core.models import Place
from qoldau.projects.impact import ImpactFilter, percent_share, public_count, public_round, suppressed_line
from qoldau.services import policy
from qoldau.services.models import (
    Capacity,
    Enrolment,
    PlannedCentre,
    Provider,
    ProviderKind,
    Referral,
    WaitListEntry,
)

# The kinds of provider in the order the figures list them, with their labels.
KIND_CHOICES = list(ProviderKind.choices)
# Wait-list states in which a person is still on the list.
ON_THE_LIST = ("waiting", "offered", "parked")
CLOSED = ("completed", "rejected", "cancelled")


@dataclass(frozen=True)
class PlaceRow:
    """One district's (or region's) figures."""

    key: str
    label: str
    providers: int
    places: int
    free_places: int | None
    waiting: int | None
    recipients: int | None


@dataclass(frozen=True)
class ServiceFigures:
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    providers: dict[str, int]
    places: int
    free_places: int | None
    waiting: int | None
    planned_places: int
    recipients: int | None
    referrals: int | None
    referrals_closed: int | None
    referrals_served: int | None
    median_days_to_first_service: Decimal | None
    unanswered_past_due: int | None
    # "district" when one region is counted (chosen, or the user's only one), else "region".
    place_dimension: str
    by_place: list[PlaceRow] = field(default_factory=list)
    # How many referrals the median is of (the public sees it only when enough).
    first_served: int = 0

    @property
    def providers_total(self) -> int:
        return sum(self.providers.values())

    @property
    def served_share(self) -> Decimal | None:
        """Served of the closed referrals, in per cent to one decimal; None when unknown."""
        return percent_share(self.referrals_served, self.referrals_closed)


def _providers(user: Actor | None, wanted: ImpactFilter) -> QuerySet[Provider]:
    return wanted.narrow_by_organisation(policy.providers_counted_for(user))


def service_figures(
    user: Actor | None, wanted: ImpactFilter, *, as_of: dt.date | None = None, now: dt.datetime | None = None
) -> ServiceFigures:
    """The figures of a filter within the user's scope (the public: the country, for
    hiding and rounding by `shown_figures`). Eight queries whatever the size."""
    moment = now or timezone.now()
    day = as_of or min(wanted.date_to, timezone.localdate(moment))
    first, last = wanted.date_from, wanted.date_to
    providers = _providers(user, wanted)
    rows_of = list(
        providers.values_list("pk", "kind", "organisation__region_id", "organisation__district_id")
    )
    # By district when one region is counted (chosen, or all the user may count).
    by_district = (
        len(wanted.region_ids) == 1
        or bool(wanted.district_ids)
        or len({region for _pk, _kind, region, _district in rows_of}) == 1
    )
    place_of: dict[int, int | None] = {}
    kinds: dict[str, int] = defaultdict(int)
    counted: dict[int | None, int] = defaultdict(int)
    for pk, kind, region, district in rows_of:
        kinds[kind] += 1
        place_of[pk] = district if by_district else region
        counted[place_of[pk]] += 1

    services = Q(service__provider__in=providers.values("pk"))
    capacity: dict[int, tuple[int, int]] = {}  # service → (provider, places) in force on the day
    for service, provider, count in (
        Capacity.objects.filter(services, since__lte=day)
        .order_by("service_id", "since")
        .values_list("service_id", "service__provider_id", "places")
    ):
        capacity[service] = (provider, count)
    occupied: dict[int, int] = defaultdict(int)
    for service in (
        Enrolment.objects.filter(service_id__in=list(capacity), starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values_list("service_id", flat=True)
    ):
        occupied[service] += 1
    places: dict[int | None, int] = defaultdict(int)
    free: dict[int | None, int] = defaultdict(int)
    for service, (provider, count) in capacity.items():
        places[place_of[provider]] += count
        free[place_of[provider]] += max(0, count - occupied[service])

    waiting: dict[int | None, int] = defaultdict(int)
    for provider in WaitListEntry.objects.filter(services, status__in=ON_THE_LIST).values_list(
        "service__provider_id", flat=True
    ):
        waiting[place_of[provider]] += 1

    recipients: dict[int | None, set[int]] = defaultdict(set)
    everyone: set[int] = set()
    for provider, identity in (
        Enrolment.objects.filter(services, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .values_list("service__provider_id", "identity_id")
    ):
        recipients[place_of[provider]].add(identity)
        everyone.add(identity)

    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    made = Referral.objects.filter(services, created_at__gte=start, created_at__lt=end)
    total = closed = served = 0
    days: list[int] = []
    for status, outcome, created_at, first_service_on in made.values_list(
        "status", "outcome", "created_at", "first_service_on"
    ):
        total += 1
        closed += status in CLOSED
        served += outcome == Referral.Outcome.SERVED
        if first_service_on is not None:
            days.append((first_service_on - timezone.localdate(created_at)).days)
    unanswered = Referral.objects.filter(
        services, status=Referral.Status.REQUESTED, answer_due_at__lt=moment
    ).count()

    planned = PlannedCentre.objects.exclude(stage=PlannedCentre.Stage.OPEN).filter(
        Q(provider__in=providers.values("pk"))
        | Q(provider__isnull=True, region_id__in=_planned_regions(user, wanted))
    )
    if wanted.district_ids:
        planned = planned.filter(district_id__in=wanted.district_ids)
    planned_places = sum(planned.values_list("places", flat=True))

    keys = set(counted)
    names = {p.pk: p.name for p in Place.objects.filter(pk__in=[k for k in keys if k is not None])}
    no_place = gettext("District not recorded") if by_district else gettext("Region not recorded")
    rows = sorted(
        (
            PlaceRow(
                key=str(key or ""),
                label=names.get(key, no_place) if key else no_place,
                providers=counted[key],
                places=places[key],
                free_places=free[key],
                waiting=waiting[key],
                recipients=len(recipients[key]),
            )
            for key in keys
        ),
        key=lambda r: (r.key == "", r.label.casefold()),
    )
    return ServiceFigures(
        date_from=first,
        date_to=last,
        as_of=day,
        providers={code: kinds.get(code, 0) for code, _label in KIND_CHOICES},
        places=sum(places.values()),
        free_places=sum(free.values()),
        waiting=sum(waiting.values()),
        planned_places=planned_places,
        recipients=len(everyone),
        referrals=total,
        referrals_closed=closed,
        referrals_served=served,
        median_days_to_first_service=Decimal(str(statistics.median(days))).quantize(Decimal("0.1"))
        if days
        else None,
        unanswered_past_due=unanswered,
        place_dimension="district" if by_district else "region",
        by_place=rows,
        first_served=len(days),
    )


def _planned_regions(user: Actor | None, wanted: ImpactFilter) -> QuerySet[Provider, int]:
    """The regions whose centres planned by no provider yet the user may count: those of
    the providers they count (the whole country's for the public)."""
    regions = _providers(user, replace(wanted, district_ids=(), organisation_ids=())).values_list(
        "organisation__region_id", flat=True
    )
    if wanted.organisation_ids:
        return regions.none()
    return regions


def shown_figures(found: ServiceFigures, *, public: bool, threshold: int) -> ServiceFigures:
    """The figures as the reader may see them: exact for a signed-in user's scope; for the
    public, hidden and rounded (the module's text)."""
    if not public:
        return found

    def alone(value: int | None) -> int | None:
        return None if value is None else public_count(value, threshold)

    def column(values: list[int | None]) -> list[int | None]:
        exact = [v or 0 for v in values]
        return [None if v is None else public_round(v, threshold) for v in suppressed_line(exact, threshold)]

    rows = found.by_place
    waiting = column([r.waiting for r in rows])
    recipients = column([r.recipients for r in rows])
    served, closed = alone(found.referrals_served), alone(found.referrals_closed)
    return replace(
        found,
        free_places=None if found.free_places is None else public_round(found.free_places, threshold),
        waiting=alone(found.waiting),
        recipients=alone(found.recipients),
        referrals=alone(found.referrals),
        referrals_closed=closed,
        referrals_served=served if closed is not None else None,
        median_days_to_first_service=found.median_days_to_first_service
        if found.first_served >= threshold
        else None,
        unanswered_past_due=alone(found.unanswered_past_due),
        by_place=[
            replace(
                row,
                free_places=None if row.free_places is None else public_round(row.free_places, threshold),
                waiting=waiting[i],
                recipients=recipients[i],
            )
            for i, row in enumerate(rows)
        ],
    )
