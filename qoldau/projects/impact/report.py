"""The impact report itself: its request checked and narrowed to the user's scope, its
figures from the reach cells or the live path, its projects and its labelled breakdown
rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ErrorCode, ValidationFailed
from qoldau.core.models import Organisation, Place, VulnerabilityCategory
from qoldau.core.services import Actor
from qoldau.projects import policy
from qoldau.projects.impact.cells import cells_answer
from qoldau.projects.impact.filters import DIMENSIONS, ImpactFilter
from qoldau.projects.impact.live import (
    events_held,
    live_breakdown,
    live_totals,
    participation_split,
    volunteers_and_experts,
)
from qoldau.projects.models import FundingSource, Project


@dataclass(frozen=True)
class BreakdownRow:
    keys: tuple[Any, ...]
    labels: tuple[str, ...]
    people: int
    participations: int


@dataclass(frozen=True)
class ProjectReach:
    project_id: int
    title: str
    organisation: str
    people_reached: int
    participations: int


@dataclass(frozen=True)
class ImpactReport:
    filter: ImpactFilter
    people_reached: int
    participations: int
    deliveries: int
    attendances: int
    anonymous_participants: int
    events: int
    volunteers: int
    experts: int
    projects: list[ProjectReach]
    breakdown_by: tuple[str, ...] = ()
    breakdown: list[BreakdownRow] = field(default_factory=list)
    from_cells: bool = False


def dimension_label(dimension: str) -> str:
    labels = {
        "region": _("Region"),
        "district": _("District"),
        "organisation": _("Organisation"),
        "project": _("Project"),
        "category": _("Category"),
        "funding_source": _("Funding source"),
        "month": _("Month"),
    }
    return str(labels[dimension])


def impact_request_check(wanted: ImpactFilter, breakdown_by: Sequence[str]) -> None:
    """Refuse, with a clear message, a report that cannot be made: more than two or
    repeated dimensions, an unknown dimension, a period that ends before it starts."""
    if len(breakdown_by) > 2 or len(set(breakdown_by)) != len(breakdown_by):
        raise ValidationFailed(_("Break the report down by one or two different dimensions."), field="by")
    for dimension in breakdown_by:
        if dimension not in DIMENSIONS:
            raise ValidationFailed(
                _("Unknown dimension “%(name)s”.") % {"name": dimension},
                field="by",
                code=ErrorCode.INVALID_CHOICE,
            )
    if wanted.date_to < wanted.date_from:
        raise ValidationFailed(_("The period ends before it starts."), field="date_to")


def impact_filter_in_scope(user: Actor | None, wanted: ImpactFilter) -> ImpactFilter:
    """Narrow a filter to what the user may count (`policy.figures_countable_by`): an
    NGO's staff their organisations' projects, an akimat officer their regions, the
    ministry and the public the country."""
    countable = policy.figures_countable_by(user)
    if countable.everything:
        return wanted
    if countable.region_ids:
        allowed = sorted(countable.region_ids)
        regions = (
            tuple(r for r in wanted.region_ids if r in countable.region_ids) if wanted.region_ids else allowed
        )
        return replace(wanted, region_ids=tuple(regions) or (0,))
    organisations = (
        tuple(o for o in wanted.organisation_ids if o in countable.organisation_ids)
        if wanted.organisation_ids
        else tuple(sorted(countable.organisation_ids))
    )
    return replace(wanted, organisation_ids=organisations or (0,))


def impact_report(
    user: Actor | None,
    wanted: ImpactFilter,
    breakdown_by: Sequence[str] = (),
    *,
    with_projects: bool = True,
    with_totals: bool = True,
) -> ImpactReport:
    """The impact report within the user's scope (see `impact_filter_in_scope`), broken
    down by at most two dimensions. Exact figures; no personal data. Without totals, only
    people reached and participations are counted (the rest are 0): for a page that shows
    a breakdown beside a full report it already has."""
    breakdown_by = tuple(breakdown_by)
    impact_request_check(wanted, breakdown_by)
    report_filter = impact_filter_in_scope(user, wanted)

    cells = cells_answer(report_filter, breakdown_by)
    if cells is not None:
        (people, participations), rows = cells
    else:
        people, participations = live_totals(report_filter)
        rows = live_breakdown(report_filter, breakdown_by) if breakdown_by else []
    deliveries = attendances = anonymous = event_count = volunteers = experts = 0
    if with_totals:
        deliveries, attendances = participation_split(report_filter)
        events = events_held(report_filter)
        anonymous = events.aggregate(anonymous=Sum("anonymous_participants"))["anonymous"] or 0
        event_count = events.count()
        volunteers, experts = volunteers_and_experts(report_filter, events)
    return ImpactReport(
        filter=report_filter,
        people_reached=people,
        participations=participations,
        deliveries=deliveries,
        attendances=attendances,
        anonymous_participants=anonymous,
        events=event_count,
        volunteers=volunteers,
        experts=experts,
        projects=_project_reach(report_filter) if with_projects else [],
        breakdown_by=breakdown_by,
        breakdown=_labelled(breakdown_by, rows),
        from_cells=cells is not None,
    )


def _project_reach(report_filter: ImpactFilter) -> list[ProjectReach]:
    rows = live_breakdown(report_filter, ("project",))
    projects = Project.objects.select_related("organisation").in_bulk([row[0] for row in rows])
    result = [
        ProjectReach(
            project_id=project_id,
            title=projects[project_id].title,
            organisation=projects[project_id].organisation.name,
            people_reached=int(people),
            participations=int(participations),
        )
        for project_id, people, participations in rows
        if project_id in projects
    ]
    result.sort(key=lambda p: (-p.participations, p.title))
    return result


def _labelled(breakdown_by: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[BreakdownRow]:
    if not breakdown_by:
        return []
    names: dict[str, dict[Any, str]] = {}
    for position, dimension in enumerate(breakdown_by):
        keys = {row[position] for row in rows}
        names[dimension] = dimension_values(dimension, keys)
    result = [
        BreakdownRow(
            keys=tuple(row[: len(breakdown_by)]),
            labels=tuple(
                names[d].get(row[i], str(_("Not recorded")) if row[i] is None else "—")
                for i, d in enumerate(breakdown_by)
            ),
            people=int(row[len(breakdown_by)]),
            participations=int(row[len(breakdown_by) + 1]),
        )
        for row in rows
    ]
    result.sort(
        key=lambda r: tuple(
            _sort_key(d, k, lab) for d, k, lab in zip(breakdown_by, r.keys, r.labels, strict=True)
        )
    )
    return result


def _sort_key(dimension: str, key: Any, label: str) -> tuple[int, str]:
    if dimension == "month":
        return (int(key or 0), "")
    return (0, label.casefold())


def dimension_values(dimension: str, keys: Iterable[Any]) -> dict[Any, str]:
    """The names, in the active language, of a dimension's keys."""
    keys = [k for k in keys if k is not None]
    if dimension in {"region", "district"}:
        return {p.pk: p.name for p in Place.objects.filter(pk__in=keys)}
    if dimension == "organisation":
        return {o.pk: o.name for o in Organisation.objects.filter(pk__in=keys)}
    if dimension == "project":
        return {p.pk: p.title for p in Project.objects.filter(pk__in=keys)}
    if dimension == "category":
        return {c.pk: c.name for c in VulnerabilityCategory.objects.filter(pk__in=keys)}
    if dimension == "funding_source":
        return {k: str(FundingSource(k).label) for k in keys if k in FundingSource.values}
    return {k: f"{int(k) // 100}-{int(k) % 100:02d}" for k in keys}
