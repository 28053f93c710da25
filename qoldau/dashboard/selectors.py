"""What the dashboards show, composed from the impact report's selectors (the dashboard
owns no rule of its own): the figures, their breakdowns over time, by category and by
region, the projects, and the projects' indicator targets against actuals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from qoldau.core.models import Place
from qoldau.core.services import Actor
from qoldau.projects import policy as projects_policy
from qoldau.projects.impact import ImpactFilter, ImpactReport, impact_report, shown_figures
from qoldau.projects.models import IndicatorPeriod

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


def _series(report: ImpactReport, public: bool, threshold: int) -> Series:
    shown = shown_figures(report, public=public, threshold=threshold)
    return Series(
        labels=[row.labels[0] for row in report.breakdown],
        people=[people for people, _participations in shown.breakdown],
        participations=[participations for _people, participations in shown.breakdown],
    )


def dashboard(user: Actor | None, report_filter: ImpactFilter) -> Dashboard:
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
