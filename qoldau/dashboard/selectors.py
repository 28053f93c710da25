"""What the dashboards show, composed from the impact report's selectors (the dashboard
owns no rule of its own): the figures, their breakdowns over time, by category and by
region, the projects, the projects' indicator targets against actuals, and the employment
figures (read through the jobs app's seam, `qoldau.jobs.employment_figures`) and the social
services' figures (through the services app's seam, `qoldau.services.service_figures`) and
the sign-language interpreting figures (through the interpreting app's seam,
`qoldau.interpreting.interpreting_figures`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from qoldau.core.models import Place
from qoldau.core.services import Actor
from qoldau.interpreting import interpreting_figures as interp_figures
from qoldau.jobs import employment_figures as jobs_figures
from qoldau.projects import policy as projects_policy
from qoldau.projects.impact import (
    ImpactFilter,
    ImpactReport,
    impact_report,
    public_count,
    public_round,
    shown_figures,
    suppressed_line,
    suppressed_table,
)
from qoldau.projects.models import IndicatorPeriod
from qoldau.services import service_figures as services_figures

# A schematic map: each region is a tile placed where it lies (column west to east, row
# north to south). No licensed boundaries of the 2022 regions are available offline, and
# a tile grid gives small regions and cities the same visibility as the steppe.
REGION_TILES: dict[str, tuple[int, int]] = {
    "590000000": (3, 0),  # North Kazakhstan
    "270000000": (0, 1),  # West Kazakhstan
    "390000000": (2, 1),  # Kostanay
    "110000000": (3, 1),  # Akmola
    "550000000": (4, 1),  # Pavlodar
    "230000000": (0, 2),  # Atyrau
    "150000000": (1, 2),  # Aktobe
    "620000000": (2, 2),  # Ulytau
    "710000000": (3, 2),  # Astana
    "350000000": (4, 2),  # Karaganda
    "100000000": (5, 2),  # Abai
    "630000000": (6, 2),  # East Kazakhstan
    "470000000": (0, 3),  # Mangystau
    "430000000": (2, 3),  # Kyzylorda
    "610000000": (3, 3),  # Turkistan
    "310000000": (4, 3),  # Jambyl
    "190000000": (5, 3),  # Almaty Region
    "330000000": (6, 3),  # Jetisu
    "790000000": (3, 4),  # Shymkent
    "750000000": (5, 4),  # Almaty
}
TILE = 96
SHADES = ("#eef4f8", "#c6dbe9", "#8fb8d4", "#4f8bb5", "#1f5b87")


@dataclass(frozen=True)
class Series:
    labels: list[str]
    people: list[int | None]
    participations: list[int | None]

    def rows(self) -> list[tuple[str, int | None, int | None]]:
        return list(zip(self.labels, self.people, self.participations, strict=True))

    def chart(self) -> dict[str, Any]:
        return {"labels": self.labels, "values": [v or 0 for v in self.people]}


@dataclass(frozen=True)
class MapTile:
    kato: str
    name: str
    region_id: int
    x: int
    y: int
    people: int | None
    fill: str
    dark: bool


@dataclass(frozen=True)
class Dashboard:
    report: ImpactReport
    public: bool
    threshold: int
    figures: dict[str, int | None]
    by_month: Series
    by_category: Series
    by_region: Series
    tiles: list[MapTile]
    map_width: int
    map_height: int
    projects: list[dict[str, Any]]
    indicators: list[IndicatorPeriod]
    employment: EmploymentSection
    services: ServicesSection
    interpreting: InterpretingSection


def _series(report: ImpactReport, public: bool, threshold: int) -> Series:
    shown = shown_figures(report, public=public, threshold=threshold)
    return Series(
        labels=[row.labels[0] for row in report.breakdown],
        people=[people for people, _participations in shown.breakdown],
        participations=[participations for _people, participations in shown.breakdown],
    )


def dashboard(user: Actor | None, report_filter: ImpactFilter, *, need: str = "") -> Dashboard:
    """The dashboard of a filter within the user's scope; for the public (user None) with
    every figure of fewer than QOLDAU_SUPPRESSION_THRESHOLD people hidden, including
    where it could be found by subtracting shown figures."""
    public = user is None
    threshold = settings.QOLDAU_SUPPRESSION_THRESHOLD
    report = impact_report(user, report_filter)
    by_month = _series(
        impact_report(user, report_filter, ["month"], with_projects=False, with_totals=False),
        public,
        threshold,
    )
    by_category = _series(
        impact_report(user, report_filter, ["category"], with_projects=False, with_totals=False),
        public,
        threshold,
    )
    by_region_report = impact_report(user, report_filter, ["region"], with_projects=False, with_totals=False)
    by_region = _series(by_region_report, public, threshold)

    shown = shown_figures(report, public=public, threshold=threshold)
    figures: dict[str, int | None] = {
        "people_reached": shown.people_reached,
        "participations": shown.participations,
        "deliveries": shown.deliveries,
        "attendances": shown.attendances,
        "anonymous_participants": shown.anonymous_participants,
        "events": shown.events,
        "volunteers": shown.volunteers,
        "experts": shown.experts,
    }

    people_by_region = {
        row.keys[0]: by_region.people[i] for i, row in enumerate(by_region_report.breakdown) if row.keys[0]
    }
    tiles = _tiles(people_by_region)
    projects = [
        {"project": p, "people": people, "participations": participations}
        for p, (people, participations) in zip(report.projects, shown.projects, strict=True)
    ]
    return Dashboard(
        report=report,
        public=public,
        threshold=threshold,
        figures=figures,
        by_month=by_month,
        by_category=by_category,
        by_region=by_region,
        tiles=tiles,
        map_width=7 * TILE,
        map_height=5 * TILE,
        projects=projects,
        indicators=[] if public else _indicators(user, [p.project_id for p in report.projects]),
        employment=employment_section(
            jobs_figures.employment_figures(user, report_filter, need=need),
            public=public,
            threshold=threshold,
            ignores=bool(report.filter.project_ids or report.filter.funding_source),
        ),
        services=services_section(
            services_figures.service_figures(user, report_filter),
            public=public,
            threshold=threshold,
            ignores=bool(
                report.filter.project_ids or report.filter.funding_source or report.filter.category_id
            ),
        ),
        interpreting=interpreting_section(
            interp_figures.interpreting_figures(user, report_filter),
            public=public,
            threshold=threshold,
            ignores=bool(
                report.filter.project_ids or report.filter.funding_source or report.filter.category_id
            ),
        ),
    )


def _tiles(people_by_region: dict[int, int | None]) -> list[MapTile]:
    regions = {p.kato: p for p in Place.objects.filter(level=Place.Level.REGION, kato__in=REGION_TILES)}
    known = [v for v in people_by_region.values() if v]
    top = max(known) if known else 0
    tiles = []
    for kato, (x, y) in REGION_TILES.items():
        place = regions.get(kato)
        if place is None:
            continue
        people = people_by_region.get(place.pk, 0)
        shade = 0 if not people or not top else min(len(SHADES) - 1, 1 + (len(SHADES) - 2) * people // top)
        tiles.append(
            MapTile(
                kato=kato,
                name=place.name,
                region_id=place.pk,
                x=x * TILE,
                y=y * TILE,
                people=people,
                fill=SHADES[shade],
                dark=shade >= 3,
            )
        )
    return tiles


def _indicators(user: Actor | None, project_ids: list[int]) -> list[IndicatorPeriod]:
    """Indicator periods (target and actual) of the visible projects in the report."""
    if user is None:
        return []
    visible = projects_policy.projects_visible(user).filter(pk__in=project_ids).values("pk")
    return list(
        IndicatorPeriod.objects.filter(indicator__project__in=visible)
        .select_related("indicator", "indicator__project")
        .order_by("indicator__project__title_kk", "indicator__pk", "starts_on")
    )


# Employment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownRetention:
    """Placements of a cohort at a milestone as the reader sees them; the rate is retained
    of those judged (retained and left), computed from the figures shown."""

    months: int
    placements: int | None
    retained: int | None
    left: int | None
    unknown: int | None
    censored: int | None
    rate: Decimal | None


@dataclass(frozen=True)
class EmploymentLine:
    label: str
    seekers: int | None
    coached: int | None
    placed: int | None
    retained_6_months: int | None
    retained_12_months: int | None


@dataclass(frozen=True)
class RetentionTable:
    """Retention at one milestone: each placement cohort (the month the placements
    started), and all the placements of the period."""

    months: int
    cohorts: list[tuple[str, ShownRetention]]
    total: ShownRetention


@dataclass(frozen=True)
class EmploymentSection:
    """The dashboard's employment figures: exact within a signed-in user's scope; for the
    public, each count of fewer than the threshold hidden, the parts of every shown total
    hidden until no small group can be found by subtraction, and every figure rounded, by
    the impact report's rules (`qoldau.projects.impact`)."""

    seekers: int | None
    coached: int | None
    placed: int | None
    retention: list[RetentionTable]
    quota_year: int
    quota_employers: int
    quota_required: int | None
    quota_filled: int | None
    place_dimension: str
    by_month: list[EmploymentLine]
    by_place: list[EmploymentLine]
    by_need: list[EmploymentLine]
    as_of: dt.date
    # The filter names a project or a funding source, which employment figures ignore.
    ignores_project: bool


_OUTCOMES = ("retained", "left", "unknown", "censored")


def _shown_retention(
    found: jobs_figures.Retention, values: Sequence[int | None], placements: int | None
) -> ShownRetention:
    retained, left, unknown, censored = values
    return ShownRetention(
        months=found.months,
        placements=placements,
        retained=retained,
        left=left,
        unknown=unknown,
        censored=censored,
        rate=jobs_figures.retention_rate(retained, left),
    )


def _rounded(values: Sequence[int | None], threshold: int) -> list[int | None]:
    return [None if v is None else public_round(v, threshold) for v in values]


def _shown_column(values: list[int], public: bool, threshold: int) -> list[int | None]:
    """A column of a breakdown whose total is shown above it."""
    if not public:
        return list(values)
    return _rounded(suppressed_line(values, threshold), threshold)


def _lines(rows: list[jobs_figures.EmploymentRow], public: bool, threshold: int) -> list[EmploymentLine]:
    names = ("seekers", "coached", "placed", "retained_6_months", "retained_12_months")
    columns = [_shown_column([getattr(r, name) for r in rows], public, threshold) for name in names]
    return [EmploymentLine(r.label, *(column[i] for column in columns)) for i, r in enumerate(rows)]


def employment_section(
    found: jobs_figures.EmploymentFigures, *, public: bool, threshold: int, ignores: bool = False
) -> EmploymentSection:
    """The employment figures as the reader may see them (see `EmploymentSection`)."""

    def alone(value: int) -> int | None:
        return public_count(value, threshold) if public else value

    # The cohorts' placements are one column under the period's total; each milestone's
    # outcomes a two-way table (cohort by outcome) whose lines and columns have their
    # totals shown (the cohort's placements, the period's outcomes).
    cohort_placements = _shown_column([c.placements for c in found.cohorts], public, threshold)
    retention: list[RetentionTable] = []
    for months in jobs_figures.MILESTONES:
        figure = found.retention[months]
        values = [getattr(figure, name) for name in _OUTCOMES]
        shown = _rounded(suppressed_line(values, threshold), threshold) if public else list(values)
        table = [
            (c.cohort, name, getattr(c.milestones[months], name)) for c in found.cohorts for name in _OUTCOMES
        ]
        cells: dict[tuple[str, str], int | None]
        if public:
            cells = {
                k: None if v is None else public_round(v, threshold)
                for k, v in suppressed_table(table, threshold).items()
            }
        else:
            cells = {(a, b): v for a, b, v in table}
        retention.append(
            RetentionTable(
                months=months,
                cohorts=[
                    (
                        c.cohort,
                        _shown_retention(
                            c.milestones[months],
                            [cells[(c.cohort, name)] for name in _OUTCOMES],
                            cohort_placements[i],
                        ),
                    )
                    for i, c in enumerate(found.cohorts)
                ],
                total=_shown_retention(figure, shown, alone(figure.placements)),
            )
        )
    return EmploymentSection(
        seekers=alone(found.seekers),
        coached=alone(found.coached),
        placed=alone(found.placed),
        retention=retention,
        quota_year=found.quota_year,
        quota_employers=found.quota_employers,
        quota_required=alone(found.quota_required),
        quota_filled=alone(found.quota_filled),
        place_dimension=found.place_dimension,
        by_month=_lines(found.by_month, public, threshold),
        by_place=_lines(found.by_place, public, threshold),
        by_need=_lines(found.by_need, public, threshold),
        as_of=found.as_of,
        ignores_project=ignores,
    )


# Social services ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ServicesSection:
    """The social services' figures as the reader may see them (the seam's
    `shown_figures`: exact within a signed-in user's scope, hidden and rounded for the
    public), with the providers by kind labelled, and the charts' series: providers by kind
    and places by district (or region), which count no people."""

    figures: services_figures.ServiceFigures
    kinds: list[tuple[str, int]]
    # The filter names a project, funding source or category, which these figures ignore.
    ignores: bool

    def chart_kinds(self) -> dict[str, Any]:
        return {"labels": [label for label, _n in self.kinds], "values": [n for _label, n in self.kinds]}

    def chart_places(self) -> dict[str, Any]:
        rows = self.figures.by_place
        return {"labels": [r.label for r in rows], "values": [r.places for r in rows]}


def services_section(
    found: services_figures.ServiceFigures, *, public: bool, threshold: int, ignores: bool = False
) -> ServicesSection:
    shown = services_figures.shown_figures(found, public=public, threshold=threshold)
    labels = dict(services_figures.KIND_CHOICES)
    return ServicesSection(
        figures=shown,
        kinds=[(str(labels[code]), n) for code, n in shown.providers.items()],
        ignores=ignores,
    )


# Sign-language interpreting -------------------------------------------------------------------


@dataclass(frozen=True)
class InterpretingSection:
    """The interpreting figures as the reader may see them (the seam's `shown_figures`:
    exact within a signed-in user's scope, hidden and rounded for the public), and the
    charts' series: calls by month (answered within the target, the others), and minutes
    by purpose and by region."""

    figures: interp_figures.InterpretingFigures
    # The filter names a project, funding source or category, which these figures ignore.
    ignores: bool
    target_seconds: int = interp_figures.TARGET_SECONDS

    @property
    def shown(self) -> bool:
        """Whether the scope has an interpreting service (none: no section)."""
        return self.figures.services > 0

    def chart_calls(self) -> dict[str, Any]:
        months = self.figures.months
        return {"labels": [m.month for m in months], "values": [m.calls or 0 for m in months]}

    def chart_purpose(self) -> dict[str, Any]:
        rows = self.figures.by_purpose
        return {"labels": [r.label for r in rows], "values": [r.minutes or 0 for r in rows]}

    def chart_region(self) -> dict[str, Any]:
        rows = self.figures.by_region
        return {"labels": [r.label for r in rows], "values": [r.minutes or 0 for r in rows]}


def interpreting_section(
    found: interp_figures.InterpretingFigures, *, public: bool, threshold: int, ignores: bool = False
) -> InterpretingSection:
    return InterpretingSection(
        figures=interp_figures.shown_figures(found, public=public, threshold=threshold), ignores=ignores
    )
