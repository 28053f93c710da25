"""The jobs app's public seam for the dashboards: employment figures of a period within a
user's scope, as plain data (no model leaves this module), in a fixed handful of queries
whatever the number of seekers, cases and placements.

What is counted, for a period and the places, organisations and category of an impact
filter (`qoldau.projects.impact.ImpactFilter`, narrowed to the user's scope by the impact
report's own rule, `impact_filter_in_scope`):

- seekers: people registered as job seekers in the period;
- coached: people with a coaching case open at some time in the period;
- placed: people who started a job in the period;
- retention at 6 and 12 months, by placement cohort (the placements started in the
  period, by the month they started): retained and left are judged; a placement whose
  milestone lies after the day counted is too recent to judge and one whose follow-up is
  due but unrecorded is not known yet: both are left out of the rate, never counted as
  failures (`retention.py`);
- the quota of the employers of the places and organisations chosen, for the period's
  year (the quota is judged by the year, `figures.compliance_of`).

People are counted once each, by identity, however many organisations serve them. The
place of a person is their seeker record's region and district; the category filter is
the vulnerability category the person's record held at some time in the period; the
breakdown by accessibility category is the categories the seeker needs (from their
ИПАР), so a person needing two is in two rows. The filter's projects and funding source
do not apply: seekers belong to no project. The figures are exact: a public page hides
and rounds them (`qoldau.projects.impact.suppressed_line` and its neighbours)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django_stubs_ext import StrOrPromise

from qoldau.access import accessibility
from qoldau.core.access import Actor
from qoldau.core.models import Organisation, PersonCategory, Place
from qoldau.jobs import figures, retention
from qoldau.jobs.models import CoachingCase, Placement, Seeker
from qoldau.projects.impact import ImpactFilter, impact_filter_in_scope

# The milestones the dashboards show (of the follow-ups at 1, 3, 6 and 12 months).
MILESTONES = (6, 12)
# The accessibility categories a seeker may need (К, О, С, Г, У) with their labels (lazy:
# read in the language of each request), for a filter's choices.
NEED_CHOICES: list[tuple[str, StrOrPromise]] = list(accessibility.CATEGORY_CHOICES)
# The row key of the seekers who need none of the categories.
NO_NEED = ""


@dataclass(frozen=True)
class Retention:
    """Placements of a cohort at one milestone. The rate is retained of those judged
    (retained + left), in per cent; None when none can be judged yet."""

    months: int
    placements: int
    retained: int
    left: int
    unknown: int
    censored: int

    @property
    def judged(self) -> int:
        return self.retained + self.left

    @property
    def rate(self) -> Decimal | None:
        return retention_rate(self.retained, self.left)


def retention_rate(retained: int | None, left: int | None) -> Decimal | None:
    """Retained of retained + left, in per cent to one decimal; None when either is
    unknown (hidden) or nothing is judged."""
    if retained is None or left is None or retained + left == 0:
        return None
    cohort = retention.CohortRetention("", 0, retained + left, retained, left, 0, 0)
    return cohort.rate


@dataclass(frozen=True)
class EmploymentRow:
    """One row of a breakdown: people (by identity) registered, coached and placed, and
    the placements of the row retained at each milestone."""

    key: str
    label: str
    seekers: int
    coached: int
    placed: int
    retained_6_months: int
    retained_12_months: int


@dataclass(frozen=True)
class CohortRow:
    """The retention of one placement cohort (the month the placements started)."""

    cohort: str
    placements: int
    milestones: dict[int, Retention]


@dataclass(frozen=True)
class EmploymentFigures:
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    seekers: int
    coached: int
    placed: int
    retention: dict[int, Retention]
    quota_year: int
    quota_employers: int
    quota_required: int
    quota_filled: int
    # "region", or "district" when the filter is of one region or of districts.
    place_dimension: str
    by_month: list[EmploymentRow] = field(default_factory=list)
    by_place: list[EmploymentRow] = field(default_factory=list)
    by_need: list[EmploymentRow] = field(default_factory=list)
    cohorts: list[CohortRow] = field(default_factory=list)


# Who a row of the counting is about: the person's identity, and their seeker record's
# region, district and accessibility categories needed.
_Who = tuple[int, int, int | None, str]


@dataclass
class _Tally:
    seekers: set[int] = field(default_factory=set)
    coached: set[int] = field(default_factory=set)
    placed: set[int] = field(default_factory=set)
    retained: dict[int, int] = field(default_factory=lambda: dict.fromkeys(MILESTONES, 0))

    def row(self, key: str, label: str) -> EmploymentRow:
        return EmploymentRow(
            key=key,
            label=label,
            seekers=len(self.seekers),
            coached=len(self.coached),
            placed=len(self.placed),
            retained_6_months=self.retained[6],
            retained_12_months=self.retained[12],
        )


def _seekers_of(report_filter: ImpactFilter, need: str) -> QuerySet[Seeker]:
    seekers = Seeker.objects.all()
    if report_filter.region_ids:
        seekers = seekers.filter(region_id__in=report_filter.region_ids)
    if report_filter.district_ids:
        seekers = seekers.filter(district_id__in=report_filter.district_ids)
    if report_filter.organisation_ids:
        seekers = seekers.filter(person__organisation_id__in=report_filter.organisation_ids)
    if report_filter.category_id is not None:
        seekers = seekers.filter(
            Exists(
                PersonCategory.objects.filter(
                    person_id=OuterRef("person_id"),
                    category_id=report_filter.category_id,
                    since__lte=report_filter.date_to,
                ).filter(Q(until__isnull=True) | Q(until__gte=report_filter.date_from))
            )
        )
    if need:
        seekers = seekers.filter(categories_needed__contains=need)
    return seekers


def _employers_of(report_filter: ImpactFilter) -> QuerySet[Organisation]:
    return report_filter.narrow_by_organisation(Organisation.objects.all(), through="")


def _months(start: dt.date, end: dt.date) -> Iterable[str]:
    index, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    while index <= last:
        year, month = divmod(index, 12)
        yield f"{year}-{month + 1:02d}"
        index += 1


def employment_figures(
    user: Actor | None, wanted: ImpactFilter, *, need: str = "", as_of: dt.date | None = None
) -> EmploymentFigures:
    """The employment figures of a filter within the user's scope (the public: the
    country, for rounding and hiding by the caller), optionally of the seekers who need
    one accessibility category (`need`, a letter of `NEED_CHOICES`; anything else counts
    nobody). Retention is judged on `as_of` (today). Five queries for the people and the
    placements (seekers, cases, placements twice and their follow-ups), one for the
    places' names and at most five for the quota, whatever the number of rows."""
    report_filter = impact_filter_in_scope(user, wanted)
    day = as_of or timezone.localdate()
    first, last = report_filter.date_from, report_filter.date_to
    if need and need not in dict(NEED_CHOICES):
        need = "?"
    seekers = _seekers_of(report_filter, need)
    by_district = len(report_filter.region_ids) == 1 or bool(report_filter.district_ids)

    total = _Tally()
    months: dict[str, _Tally] = defaultdict(_Tally)
    places: dict[int | None, _Tally] = defaultdict(_Tally)
    needs: dict[str, _Tally] = defaultdict(_Tally)

    def tallies(who: _Who) -> list[_Tally]:
        _identity, region, district, wanted_needs = who
        place = places[district if by_district else region]
        return [total, place, *(needs[c] for c in (list(wanted_needs) or [NO_NEED]))]

    for identity, region, district, cats, registered_on in seekers.filter(
        registered_on__range=(first, last)
    ).values_list("person__identity_id", "region_id", "district_id", "categories_needed", "registered_on"):
        for tally in [*tallies((identity, region, district, cats)), months[f"{registered_on:%Y-%m}"]]:
            tally.seekers.add(identity)

    cases = (
        CoachingCase.objects.filter(seeker__in=seekers.values("pk"), opened_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list(
            "seeker__person__identity_id",
            "seeker__region_id",
            "seeker__district_id",
            "seeker__categories_needed",
            "opened_on",
            "closed_on",
        )
    )
    for identity, region, district, cats, opened_on, closed_on in cases:
        open_months = _months(max(opened_on, first), min(closed_on or last, last))
        for tally in [*tallies((identity, region, district, cats)), *(months[m] for m in open_months)]:
            tally.coached.add(identity)

    # Both reads in the order of the placements' ids, so that they pair up.
    placements = Placement.objects.filter(
        seeker__in=seekers.values("pk"), start_date__range=(first, last)
    ).order_by("pk")
    outcomes = figures.retention_outcomes(placements)
    who_of = {
        pk: (identity, region, district, cats)
        for pk, identity, region, district, cats in placements.values_list(
            "pk",
            "seeker__person__identity_id",
            "seeker__region_id",
            "seeker__district_id",
            "seeker__categories_needed",
        )
    }
    cohorts: dict[str, dict[int, dict[str, int]]] = defaultdict(
        lambda: {m: defaultdict(int) for m in MILESTONES}
    )
    retained_at: dict[int, dict[str, int]] = {m: defaultdict(int) for m in MILESTONES}
    for who, outcome in zip(who_of.values(), outcomes, strict=True):
        row_tallies = [*tallies(who), months[outcome.cohort]]
        for tally in row_tallies:
            tally.placed.add(who[0])
        for months_after in MILESTONES:
            where = retention.outcome_at(outcome, months_after, day)
            cohorts[outcome.cohort][months_after][where] += 1
            retained_at[months_after][where] += 1
            if where == retention.RETAINED:
                for tally in row_tallies:
                    tally.retained[months_after] += 1

    year = last.year
    quota = figures.compliance_of(_employers_of(report_filter), year)
    counted = [c for c in quota if not c.exemption]

    place_names = _place_names(set(places))
    need_labels = dict(NEED_CHOICES)
    no_place = gettext("District not recorded") if by_district else gettext("Region not recorded")
    return EmploymentFigures(
        date_from=first,
        date_to=last,
        as_of=day,
        seekers=len(total.seekers),
        coached=len(total.coached),
        placed=len(total.placed),
        retention={m: _retention(m, retained_at[m]) for m in MILESTONES},
        quota_year=year,
        quota_employers=len(counted),
        quota_required=sum(c.required for c in counted),
        quota_filled=sum(c.filled for c in counted),
        place_dimension="district" if by_district else "region",
        by_month=[months[m].row(m, m) for m in sorted(months)],
        by_place=sorted(
            (
                tally.row(str(key or ""), place_names.get(key, no_place) if key else no_place)
                for key, tally in places.items()
            ),
            key=lambda r: (r.key == "", r.label.casefold()),
        ),
        by_need=[
            needs[code].row(code, str(need_labels.get(code) or gettext("No category recorded")))
            for code in [*need_labels, NO_NEED]
            if code in needs
        ],
        cohorts=[
            CohortRow(
                cohort=cohort,
                placements=sum(counts[MILESTONES[0]].values()),
                milestones={m: _retention(m, counts[m]) for m in MILESTONES},
            )
            for cohort, counts in sorted(cohorts.items())
        ],
    )


def _retention(months: int, counts: dict[str, int]) -> Retention:
    return Retention(
        months=months,
        placements=sum(counts.values()),
        retained=counts[retention.RETAINED],
        left=counts[retention.LEFT],
        unknown=counts[retention.UNKNOWN],
        censored=counts[retention.CENSORED],
    )


def _place_names(ids: set[int | None]) -> dict[int | None, str]:
    return {place.pk: place.name for place in Place.objects.filter(pk__in=[i for i in ids if i is not None])}
