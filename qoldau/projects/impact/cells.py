"""The reach cells of the impact report: the national and regional slices by region,
district, category and month, read where no write has made them stale (`cells_answer`)
and counted live for `reach_refresh` (`reach_cells_of_slice`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from qoldau.core.models import Place
from qoldau.projects.impact.filters import CELL_DIMENSIONS, ImpactFilter
from qoldau.projects.impact.live import live_breakdown, live_totals
from qoldau.projects.models import ReachCell, ReachStale


def cells_answer(
    report_filter: ImpactFilter, breakdown_by: tuple[str, ...]
) -> tuple[tuple[int, int], list[tuple[Any, ...]]] | None:
    """The totals and breakdown read from the reach cells, or None when the cells cannot
    answer exactly: a filter or dimension they do not carry, a period that is not one
    calendar year or month, several regions or districts, or a slice a write has made
    stale."""
    year = report_filter.single_year
    month_key = 0  # the cells' month: 0 for the whole year
    if year is None and report_filter.single_month is not None:
        year, month_key = report_filter.single_month
    if (
        year is None
        or report_filter.organisation_ids
        or report_filter.project_ids
        or report_filter.funding_source
        or len(report_filter.region_ids) > 1
        or len(report_filter.district_ids) > 1
        or not set(breakdown_by) <= CELL_DIMENSIONS
    ):
        return None
    region_key = report_filter.region_ids[0] if report_filter.region_ids else 0
    district_key = report_filter.district_ids[0] if report_filter.district_ids else 0
    if district_key:
        parent = Place.objects.filter(pk=district_key).values_list("parent_id", flat=True).first()
        if region_key and parent != region_key:
            return (0, 0), []
        region_key = parent or 0
    if "district" in breakdown_by and not region_key:
        return None  # district cells exist within one region's slice only
    slices = {0, region_key} if region_key else {0}
    if ReachStale.objects.filter(year=year, region_key__in=slices).exists():
        return None
    if not ReachCell.objects.filter(
        year=year, region_key=0, district_key=0, category_key=0, month=0
    ).exists():
        # Never refreshed for this year (or nothing recorded in it): count live.
        return None

    def cells(dims: tuple[str, ...]) -> Any:
        qs = ReachCell.objects.filter(year=year)
        if "region" in dims:
            qs = qs.filter(region_key__gt=0) if not region_key else qs.filter(region_key=region_key)
        else:
            qs = qs.filter(region_key=region_key)
        qs = (
            qs.filter(district_key__gt=0)
            if "district" in dims and not district_key
            else qs.filter(district_key=district_key)
        )
        qs = (
            qs.filter(category_key__gt=0)
            if "category" in dims
            else qs.filter(category_key=report_filter.category_id or 0)
        )
        if "category" in dims and report_filter.category_id:
            qs = qs.filter(category_key=report_filter.category_id)
        if "month" in dims and not month_key:
            return qs.filter(month__gt=0)
        return qs.filter(month=month_key)

    total = cells(()).values_list("people", "participations").first() or (0, 0)
    columns = {
        "region": "region_key",
        "district": "district_key",
        "category": "category_key",
        "month": "month",
    }
    rows = []
    for cell in cells(breakdown_by).values(*[columns[d] for d in breakdown_by], "people", "participations"):
        keys = tuple(cell[columns[d]] if d != "month" else year * 100 + cell["month"] for d in breakdown_by)
        rows.append((*keys, cell["people"], cell["participations"]))
    return (int(total[0]), int(total[1])), rows


def reach_cells_of_slice(year: int, region_key: int) -> list[ReachCell]:
    """The reach cells of one year's slice, counted live: for a region, every
    combination of all-or-one district, category and month; for the whole country
    (region 0), of category and month."""
    report_filter = ImpactFilter.for_year(year, region_ids=(region_key,) if region_key else ())
    optional = ("district", "category", "month") if region_key else ("category", "month")
    cells = []
    for mask in range(1 << len(optional)):
        dims = tuple(d for i, d in enumerate(optional) if mask & (1 << i))
        for row in live_breakdown(report_filter, dims) if dims else [(*live_totals(report_filter),)]:
            values = dict(zip(dims, row[: len(dims)], strict=True))
            if "district" in values and values["district"] is None:
                continue  # participations placed in the region but no district
            people, participations = row[len(dims)], row[len(dims) + 1]
            if not people:
                continue
            cells.append(
                ReachCell(
                    year=year,
                    month=int(values.get("month", 0)) % 100,
                    region_key=region_key,
                    district_key=values.get("district", 0),
                    category_key=values.get("category", 0),
                    people=people,
                    participations=participations,
                )
            )
    return cells


def latest_year_with_participations() -> int | None:
    """The latest year in which any delivery or attendance was recorded (dashboards open
    on it). Every write marks its year's cells stale and every refresh writes them, so the
    two small tables know it without scanning millions of deliveries."""
    years = [
        ReachCell.objects.aggregate(last=Max("year"))["last"],
        ReachStale.objects.aggregate(last=Max("year"))["last"],
    ]
    known = [year for year in years if year is not None]
    return max(known) if known else None


def people_reached_by_region_category_month(year: int) -> dict[tuple[int, int, int], int] | None:
    """Unique people of each region, category and month of a year, from the reach cells
    (the national report's largest table); None while a write has made them stale."""
    if ReachStale.objects.filter(year=year).exists():
        return None
    cells = ReachCell.objects.filter(
        year=year, region_key__gt=0, district_key=0, category_key__gt=0, month__gt=0
    ).values_list("region_key", "category_key", "month", "people")
    return {(region, category, month): people for region, category, month, people in cells}
