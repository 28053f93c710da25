"""Progress to the target year: objects, passported, public statuses per category and
measures done against planned, per region, district and kind, against the target.

Objects and their statuses are public figures (no person is in them), so the same numbers
serve officers and the public. The whole report is two grouped queries (objects, and
measures, each by area and kind); every total is summed from those cells, so the rows of a
breakdown always add up to the totals.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from qoldau.access.models import STATUS_FIELD, AccessObject, Measure, ObjectKind, PeopleCategory, PublicStatus
from qoldau.core.models import Place

# Passports within this many days count as the current pace.
RECENT_DAYS = 365


def target_year() -> int:
    return int(settings.QOLDAU_ACCESS_TARGET_YEAR)


def target_objects(region: Place | None) -> int | None:
    """The number of objects to passport by the target year (setting QOLDAU_ACCESS_TARGETS,
    by region KATO code); for the country, the sum of the regions' targets."""
    targets: dict[str, int] = settings.QOLDAU_ACCESS_TARGETS
    if region is None:
        return sum(targets.values()) or None
    return targets.get(region.kato or "")


def _empty_statuses() -> dict[str, dict[str, int]]:
    return {category: dict.fromkeys(PublicStatus.values, 0) for category in PeopleCategory.values}


@dataclass
class ProgressSummary:
    """The figures of one set of objects: a region, a district, a kind, or all of them."""

    objects: int = 0
    passported: int = 0
    # category → public status → objects
    by_status: dict[str, dict[str, int]] = field(default_factory=_empty_statuses)
    measures_planned: int = 0
    measures_done: int = 0
    measures_overdue: int = 0
    target_objects: int | None = None
    # Objects passported in the last RECENT_DAYS days: the pace actually kept.
    passported_recently: int = 0

    @property
    def passported_share(self) -> float | None:
        """Passported objects as a percentage of all objects (None with no objects)."""
        return round(100 * self.passported / self.objects, 1) if self.objects else None

    @property
    def measures_done_share(self) -> float | None:
        return round(100 * self.measures_done / self.measures_planned, 1) if self.measures_planned else None

    def status_rows(self) -> list[tuple[str, str, list[int]]]:
        """(category code, label, objects per public status in PublicStatus order)."""
        return [
            (
                category.value,
                str(category.label),
                [self.by_status[category.value][s] for s in PublicStatus.values],
            )
            for category in PeopleCategory
        ]

    def add(self, other: ProgressSummary) -> None:
        self.objects += other.objects
        self.passported += other.passported
        self.passported_recently += other.passported_recently
        self.measures_planned += other.measures_planned
        self.measures_done += other.measures_done
        self.measures_overdue += other.measures_overdue
        for category, statuses in other.by_status.items():
            for status, count in statuses.items():
                self.by_status[category][status] += count

    def as_api(self) -> dict[str, Any]:
        return {
            "objects": self.objects,
            "passported": self.passported,
            "by_status": self.by_status,
            "measures": {"planned": self.measures_planned, "done": self.measures_done},
            "target_objects": self.target_objects,
            "target_year": target_year(),
        }


@dataclass(frozen=True)
class TargetPace:
    """Passported objects against the target: the share reached, what is left, and the
    pace per year needed to reach it by the end of the target year.

    The years left count the current year in full (a plan made in November still has
    November and December): `target_year - this year + 1`; none once the target year is
    over. The needed pace is the remaining objects over the years left, rounded up."""

    target: int | None
    passported: int
    year: int
    today: dt.date
    passported_recently: int

    @property
    def share(self) -> float | None:
        return round(100 * self.passported / self.target, 1) if self.target else None

    @property
    def remaining(self) -> int | None:
        return None if self.target is None else max(self.target - self.passported, 0)

    @property
    def years_left(self) -> int:
        return max(self.year - self.today.year + 1, 0)

    @property
    def needed_per_year(self) -> int | None:
        if self.remaining is None:
            return None
        if self.remaining == 0:
            return 0
        if self.years_left == 0:
            return None
        return math.ceil(self.remaining / self.years_left)

    @property
    def reached(self) -> bool:
        return self.remaining == 0

    @property
    def on_track(self) -> bool | None:
        """Whether the last year's pace, kept up, reaches the target in time (None without
        a target)."""
        if self.remaining is None:
            return None
        if self.remaining == 0:
            return True
        needed = self.needed_per_year
        return needed is not None and self.passported_recently >= needed


@dataclass
class ProgressRow:
    """One row of a breakdown: a region, a district or a kind of object."""

    key: str
    label: str
    figures: ProgressSummary


@dataclass
class ProgressReport:
    """The report a page, an export and the API show: totals with the target, and the
    breakdowns by area (the country's regions, or the region's districts) and by kind."""

    region: Place | None
    today: dt.date
    totals: ProgressSummary
    by_area: list[ProgressRow]
    by_kind: list[ProgressRow]

    @property
    def area_is_district(self) -> bool:
        return self.region is not None

    @property
    def pace(self) -> TargetPace:
        return TargetPace(
            target=self.totals.target_objects,
            passported=self.totals.passported,
            year=target_year(),
            today=self.today,
            passported_recently=self.totals.passported_recently,
        )

    def as_api(self, *, breakdown: bool = False) -> dict[str, Any]:
        """The API's figures (objects, passported, by_status, measures, target_objects,
        target_year); with `breakdown`, also `by_area` and `by_kind` rows of the same shape
        under their codes (KATO, or the district's id where it has no code yet; kind)."""
        data = self.totals.as_api()
        if breakdown:
            data["by_area"] = [{"key": r.key, "name": r.label, **r.figures.as_api()} for r in self.by_area]
            data["by_kind"] = [{"key": r.key, "name": r.label, **r.figures.as_api()} for r in self.by_kind]
            for rows in (data["by_area"], data["by_kind"]):
                for row in rows:
                    del row["target_year"]
        return data


def _area_rows(region: Place | None) -> list[tuple[int, str, str]]:
    """(place id, key, name) of the breakdown's areas, in KATO then name order."""
    if region is None:
        places = Place.objects.filter(level=Place.Level.REGION)
    else:
        places = Place.objects.filter(parent=region, level=Place.Level.DISTRICT)
    return [(p.pk, p.kato or str(p.pk), p.name) for p in places.order_by("kato", "name_kk")]


def _object_cells(region: Place | None, since: dt.date) -> Iterable[dict[str, Any]]:
    area = "district_id" if region is not None else "region_id"
    objects = AccessObject.objects.all()
    if region is not None:
        objects = objects.filter(region=region)
    aggregates: dict[str, Any] = {
        "objects": Count("pk"),
        "passported": Count("passported_on"),
        "recent": Count("pk", filter=Q(passported_on__gte=since)),
    }
    for category, status_field in STATUS_FIELD.items():
        # "unknown" is what is left: objects minus the three assessed statuses.
        for status in (PublicStatus.ACCESSIBLE, PublicStatus.PARTIAL, PublicStatus.NOT_ACCESSIBLE):
            aggregates[f"{category}|{status}"] = Count("pk", filter=Q(**{status_field: status}))
    cells: Iterable[dict[str, Any]] = (
        objects.order_by().values(area, "kind").annotate(**aggregates).values(area, "kind", *aggregates)
    )
    return cells


def _measure_cells(region: Place | None, today: dt.date) -> Iterable[dict[str, Any]]:
    area = "object__district_id" if region is not None else "object__region_id"
    measures = Measure.objects.filter(state__in=[Measure.State.PLANNED, Measure.State.DONE]).exclude(
        kind=Measure.Kind.NONE_NEEDED
    )
    if region is not None:
        measures = measures.filter(object__region=region)
    cells: Iterable[dict[str, Any]] = (
        measures.order_by()
        .values(area, "object__kind")
        .annotate(
            planned=Count("pk"),
            done=Count("pk", filter=Q(state=Measure.State.DONE)),
            overdue=Count("pk", filter=Q(state=Measure.State.PLANNED, deadline__lt=today)),
        )
        .values(area, "object__kind", "planned", "done", "overdue")
    )
    return cells


def progress_report(region: Place | None = None, *, today: dt.date | None = None) -> ProgressReport:
    """Progress of one region (its districts' rows) or of the country (its regions' rows),
    with rows by kind. Guarantees: every row of each breakdown is listed even with no
    objects; the rows of each breakdown add up to the totals; `by_status` holds every
    category and status (an object not assessed counts as "unknown")."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=RECENT_DAYS)
    areas = _area_rows(region)
    by_area: dict[int, ProgressRow] = {
        pk: ProgressRow(key, name, ProgressSummary()) for pk, key, name in areas
    }
    by_kind = {kind.value: ProgressRow(kind.value, str(kind.label), ProgressSummary()) for kind in ObjectKind}
    area_field = "district_id" if region is not None else "region_id"

    def area_row(place_id: int) -> ProgressRow:
        # An object in a district that is not the region's child still counts, in its own row.
        if place_id not in by_area:
            place = Place.objects.filter(pk=place_id).first()
            label = place.name if place else str(place_id)
            key = (place.kato if place else None) or str(place_id)
            by_area[place_id] = ProgressRow(key, label, ProgressSummary())
        return by_area[place_id]

    for cell in _object_cells(region, since):
        figures = ProgressSummary(
            objects=cell["objects"], passported=cell["passported"], passported_recently=cell["recent"]
        )
        for category in PeopleCategory.values:
            assessed = 0
            for status in (PublicStatus.ACCESSIBLE, PublicStatus.PARTIAL, PublicStatus.NOT_ACCESSIBLE):
                figures.by_status[category][status] = cell[f"{category}|{status}"]
                assessed += cell[f"{category}|{status}"]
            figures.by_status[category][PublicStatus.UNKNOWN] = cell["objects"] - assessed
        area_row(cell[area_field]).figures.add(figures)
        by_kind[cell["kind"]].figures.add(figures)

    for cell in _measure_cells(region, today):
        figures = ProgressSummary(
            measures_planned=cell["planned"], measures_done=cell["done"], measures_overdue=cell["overdue"]
        )
        area_row(cell[f"object__{area_field}"]).figures.add(figures)
        by_kind[cell["object__kind"]].figures.add(figures)

    totals = ProgressSummary(target_objects=target_objects(region))
    for row in by_area.values():
        totals.add(row.figures)
    if region is None:
        # Each region's row carries its own target (the rows' keys are KATO codes).
        for row in by_area.values():
            row.figures.target_objects = settings.QOLDAU_ACCESS_TARGETS.get(row.key)
    return ProgressReport(
        region=region,
        today=today,
        totals=totals,
        by_area=list(by_area.values()),
        by_kind=list(by_kind.values()),
    )


def progress_summary(region: Place | None = None) -> ProgressSummary:
    """Totals for one region (or the country), as the API gives them."""
    return progress_report(region).totals


def region_by_kato(kato: str | None) -> Place | None:
    """The region with this KATO code; None for an empty code (the whole country).
    Raises LookupError for a code that names no region."""
    code = (kato or "").strip()
    if not code:
        return None
    place = Place.objects.filter(kato=code, level=Place.Level.REGION).first()
    if place is None:
        raise LookupError(code)
    return place
