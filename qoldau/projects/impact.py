"""The impact report: people reached, participations, events, volunteers and experts,
filtered and broken down by place, organisation, project, category, funding and time.

Selectors only (every write is in `services.py`). "People reached" is always an exact
count of distinct persons — de-duplicated across projects, organisations and regions by
the person's identity (the IIN's keyed hash shared by every organisation's record of the
person). Two paths give the same
figures:

- the live path counts over the deliveries and attendance themselves (any filter);
- the reach cells (`ReachCell`, kept by `reach_refresh`) answer the national and regional
  slices by region, district, category and month without counting millions of rows, and
  are used only where no write has made them stale since their last refresh.

`tests/test_impact.py` checks that both paths agree.

Public figures (no sign-in) follow four rules, all applied in `shown_figures` (and by
`public_count` for a single figure elsewhere), so the API, the public dashboard and the
grant calls' pages cannot differ:

1. Whole calendar periods only: a year, a quarter or a month (`public_period_check`).
   Two arbitrary ranges a day apart differ by the people served on that day.
2. A count of 1 to threshold-1 people (or participations) is hidden ("fewer than N").
3. Where a total and its parts are shown together (deliveries and attendances; the
   projects; the rows of a breakdown; each line and column of a two-way table) the hidden
   parts are never alone and add up to at least the threshold (`suppressed_line`,
   `suppressed_table`): the total minus the shown parts reveals neither a hidden figure
   nor a small sum.
4. Every figure shown is rounded to the nearest multiple of the threshold
   (`public_round`). Rules 1-3 cannot stop subtraction across answers by themselves: the
   public may ask for every cell of a lattice of nested figures (a year, its quarters and
   months; the country, a region and its districts; all, an organisation and its
   projects; all and one category or funding source; the rows of any breakdown), the same
   cell appears in many answers, and the data grow every day. Exact figures would let a
   year minus a quarter, a region minus a district, today's total minus yesterday's, or a
   total minus parts asked for one by one (which undoes any complementary suppression
   chosen per answer) reveal a small group. Suppression consistent across every possible
   answer is the cell-suppression problem over the whole lattice, far too large to solve
   per request. With every shown figure a multiple of the threshold, the difference of
   any two shown figures, and a total minus the sum of any shown parts, is a multiple of
   the threshold too: never 1 to threshold-1. And no public figure is exact, so none can
   be subtracted from an exact figure known elsewhere (an NGO knows its own).

Events (a count of events, not of people) stay exact. Signed-in users get exact figures
of any period within their scope. `tests/test_public_figures.py` runs the differencing
attack over periods, places, organisations and projects, categories, funding and
breakdowns through the public API and dashboard, and the same attack on the exact
figures, where it must find what the public ones hide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ErrorCode, ValidationFailed
from qoldau.core.models import Organisation, Person, Place, VulnerabilityCategory
from qoldau.core.services import Actor
from qoldau.projects import policy
from qoldau.projects.errors import ProjectErrorCode
from qoldau.projects.models import (
    Attendance,
    Event,
    FundingSource,
    Project,
    ReachCell,
    ReachStale,
    ServiceDelivery,
)

# The years a report may be asked for: anything else is a typo, refused clearly.
FIRST_YEAR = 2000
LAST_YEAR = 2100

DIMENSIONS = ("region", "district", "organisation", "project", "category", "funding_source", "month")
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


PUBLIC_PERIOD_ONLY = _(
    "Public figures are given for a whole year, quarter or month only: ask with year= (for "
    "example year=2025), and add quarter= (1 to 4) or month= (1 to 12) for a shorter period. "
    "Sign in to count any other period within your scope."
)


def public_period_check(wanted: ImpactFilter) -> None:
    """Refuse public figures of anything but one calendar year, quarter or month (rule 1
    of the module's docstring): two arbitrary ranges a day apart would give away the
    people served on that day."""
    if wanted.calendar_period is None:
        raise ValidationFailed(
            PUBLIC_PERIOD_ONLY, field="date_from", code=ProjectErrorCode.PUBLIC_PERIOD_ONLY
        )


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

    cells = _cells_answer(report_filter, breakdown_by)
    if cells is not None:
        (people, participations), rows = cells
    else:
        people, participations = _live_totals(report_filter)
        rows = _live_breakdown(report_filter, breakdown_by) if breakdown_by else []
    deliveries = attendances = anonymous = event_count = volunteers = experts = 0
    if with_totals:
        deliveries, attendances = _participation_split(report_filter)
        events = _events(report_filter)
        anonymous = events.aggregate(anonymous=Sum("anonymous_participants"))["anonymous"] or 0
        event_count = events.count()
        volunteers, experts = _volunteers_and_experts(report_filter, events)
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


# --- the live path -----------------------------------------------------------------


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column}) * 100 + EXTRACT(MONTH FROM {column}))::integer"
    return f"CAST(strftime('%%Y%%m', {column}) AS INTEGER)"


def _in(column: str, values: Iterable[Any], params: list[Any]) -> str:
    values = list(values)
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _facts_sql(report_filter: ImpactFilter) -> tuple[str, list[Any]]:
    """Every participation (deliveries and event attendance) the filter keeps, as rows of
    person, day, place, project, organisation and funding source."""
    tables = {
        "delivery": ServiceDelivery._meta.db_table,
        "attendance": Attendance._meta.db_table,
        "event": Event._meta.db_table,
        "project": Project._meta.db_table,
        "person": Person._meta.db_table,
    }
    # Each organisation keeps its own record of a person; records from the same IIN share
    # an identity, which is what people are counted by. Categories belong to the record.
    person_join = f" JOIN {tables['person']} pr ON pr.id = f.person_id"
    parts = []
    params: list[Any] = []
    for kind, day in (("delivery", "f.delivered_on"), ("attendance", "e.held_on")):
        conditions = [f"{day} >= %s", f"{day} <= %s"]
        params.extend([report_filter.date_from, report_filter.date_to])
        if report_filter.region_ids:
            conditions.append(_in("f.region_id", report_filter.region_ids, params))
        if report_filter.district_ids:
            conditions.append(_in("f.district_id", report_filter.district_ids, params))
        if report_filter.project_ids:
            conditions.append(_in("p.id", report_filter.project_ids, params))
        if report_filter.organisation_ids:
            conditions.append(_in("p.organisation_id", report_filter.organisation_ids, params))
        if report_filter.funding_source:
            conditions.append("p.funding_source = %s")
            params.append(report_filter.funding_source)
        if kind == "delivery":
            source = f"{tables['delivery']} f JOIN {tables['project']} p ON p.id = f.project_id{person_join}"
        else:
            source = (
                f"{tables['attendance']} f JOIN {tables['event']} e ON e.id = f.event_id "
                f"JOIN {tables['project']} p ON p.id = e.project_id{person_join}"
            )
        parts.append(
            f"SELECT pr.identity_id AS person_id, f.person_id AS record_id, {day} AS day, "
            f"f.region_id AS region_id, "
            f"f.district_id AS district_id, p.id AS project_id, p.organisation_id AS organisation_id, "
            f"p.funding_source AS funding_source, '{kind}' AS kind FROM {source} "
            f"WHERE {' AND '.join(conditions)}"
        )
    return " UNION ALL ".join(parts), params


_CATEGORY_AT_DAY = (
    "pc.person_id = f.record_id AND pc.since <= f.day AND (pc.until IS NULL OR pc.until >= f.day)"
)


def _counted_sql(report_filter: ImpactFilter, breakdown_by: tuple[str, ...]) -> tuple[str, list[Any]]:
    facts, params = _facts_sql(report_filter)
    table = "core_personcategory"
    join = ""
    where = ""
    if "category" in breakdown_by:
        join = f" JOIN {table} pc ON {_CATEGORY_AT_DAY}"
        if report_filter.category_id is not None:
            join += " AND pc.category_id = %s"
            params.append(report_filter.category_id)
    else:
        where = _in_category(report_filter, params)
    columns = {
        "region": "f.region_id",
        "district": "f.district_id",
        "organisation": "f.organisation_id",
        "project": "f.project_id",
        "funding_source": "f.funding_source",
        "category": "pc.category_id",
        "month": _month_sql("f.day"),
    }
    selected = [columns[d] for d in breakdown_by]
    select = ", ".join([*selected, "COUNT(DISTINCT f.person_id)", "COUNT(*)"])
    sql = f"SELECT {select} FROM ({facts}) f{join}{where}"
    if selected:
        sql += f" GROUP BY {', '.join(selected)}"
    return sql, params


def _in_category(report_filter: ImpactFilter, params: list[Any]) -> str:
    """The condition that the person was in the filter's category on the day, if any."""
    if report_filter.category_id is None:
        return ""
    params.append(report_filter.category_id)
    return (
        f" WHERE EXISTS (SELECT 1 FROM core_personcategory pc WHERE {_CATEGORY_AT_DAY}"
        " AND pc.category_id = %s)"
    )


def _live_totals(report_filter: ImpactFilter) -> tuple[int, int]:
    sql, params = _counted_sql(report_filter, ())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        people, participations = cursor.fetchone() or (0, 0)
    return int(people or 0), int(participations or 0)


def _live_breakdown(report_filter: ImpactFilter, breakdown_by: tuple[str, ...]) -> list[tuple[Any, ...]]:
    sql, params = _counted_sql(report_filter, breakdown_by)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _participation_split(report_filter: ImpactFilter) -> tuple[int, int]:
    """Deliveries and attendances the filter keeps (their sum is the participations),
    counted over the same rows as people reached."""
    facts, params = _facts_sql(report_filter)
    sql = f"SELECT f.kind, COUNT(*) FROM ({facts}) f{_in_category(report_filter, params)} GROUP BY f.kind"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = dict(cursor.fetchall())
    return int(counts.get("delivery", 0)), int(counts.get("attendance", 0))


def _project_conditions(report_filter: ImpactFilter, prefix: str) -> Q:
    condition = Q()
    if report_filter.project_ids:
        condition &= Q(**{f"{prefix}id__in": report_filter.project_ids})
    if report_filter.organisation_ids:
        condition &= Q(**{f"{prefix}organisation_id__in": report_filter.organisation_ids})
    if report_filter.funding_source:
        condition &= Q(**{f"{prefix}funding_source": report_filter.funding_source})
    return condition


def _events(report_filter: ImpactFilter) -> Any:
    """Events held in the period within the filter; an event without a place counts
    where its project works."""
    events = Event.objects.filter(
        held_on__gte=report_filter.date_from, held_on__lte=report_filter.date_to
    ).filter(_project_conditions(report_filter, "project__"))
    if report_filter.region_ids:
        events = events.filter(
            Q(place_id__in=report_filter.region_ids)
            | Q(place__parent_id__in=report_filter.region_ids)
            | Q(place__isnull=True, project__regions__in=report_filter.region_ids)
        )
    if report_filter.district_ids:
        events = events.filter(place_id__in=report_filter.district_ids)
    return events.distinct()


def _volunteers_and_experts(report_filter: ImpactFilter, events: Any) -> tuple[int, int]:
    """Volunteers and experts of the projects active in the period: a project's own
    totals, or the sum over its events where it records them only there."""
    by_project: dict[int, list[int]] = {}
    for project_id, volunteers, experts in events.values_list("project_id", "volunteers", "experts"):
        sums = by_project.setdefault(project_id, [0, 0])
        sums[0] += volunteers
        sums[1] += experts
    projects = Project.objects.filter(
        starts_on__lte=report_filter.date_to, ends_on__gte=report_filter.date_from
    ).filter(_project_conditions(report_filter, ""))
    if report_filter.region_ids:
        projects = projects.filter(regions__in=report_filter.region_ids)
    if report_filter.district_ids:
        projects = projects.filter(Q(districts__in=report_filter.district_ids) | Q(pk__in=list(by_project)))
    volunteers = experts = 0
    for pk, own_volunteers, own_experts in projects.distinct().values_list("pk", "volunteers", "experts"):
        event_volunteers, event_experts = by_project.get(pk, [0, 0])
        volunteers += own_volunteers or event_volunteers
        experts += own_experts or event_experts
    return volunteers, experts


def _project_reach(report_filter: ImpactFilter) -> list[ProjectReach]:
    rows = _live_breakdown(report_filter, ("project",))
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


# --- the reach cells ---------------------------------------------------------------


def _cells_answer(
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


# --- labels --------------------------------------------------------------------------


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


def reach_cells_of_slice(year: int, region_key: int) -> list[ReachCell]:
    """The reach cells of one year's slice, counted live: for a region, every
    combination of all-or-one district, category and month; for the whole country
    (region 0), of category and month."""
    report_filter = ImpactFilter.for_year(year, region_ids=(region_key,) if region_key else ())
    optional = ("district", "category", "month") if region_key else ("category", "month")
    cells = []
    for mask in range(1 << len(optional)):
        dims = tuple(d for i, d in enumerate(optional) if mask & (1 << i))
        for row in _live_breakdown(report_filter, dims) if dims else [(*_live_totals(report_filter),)]:
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


# --- public figures ------------------------------------------------------------------


def public_round(value: int, threshold: int) -> int:
    """A shown public figure: the nearest multiple of the threshold (halves up), so that
    no difference or sum of shown figures is 1 to threshold-1 (rule 4 of the module's
    docstring). A figure of at least the threshold never rounds below it."""
    if threshold <= 1:
        return value
    return threshold * ((value + threshold // 2) // threshold)


def public_count(value: int, threshold: int) -> int | None:
    """One figure standing alone, as the public sees it: None ("fewer than N") for 1 to
    threshold-1, else rounded (see `public_round`)."""
    return None if 0 < value < threshold else public_round(value, threshold)


def _hide_until_safe(
    values: Sequence[int], shown: list[int | None], line: Sequence[int], threshold: int
) -> bool:
    """Complementary suppression of one line (positions `line` of `values`) whose total
    is shown: hide its smallest shown figures until the hidden ones are either none, or at
    least two adding up to at least the threshold. True when it hid anything."""
    changed = False
    while True:
        hidden = [i for i in line if shown[i] is None]
        if not hidden or (len(hidden) >= 2 and sum(values[i] for i in hidden) >= threshold):
            return changed
        candidates = [i for i in line if shown[i]]
        if not candidates:
            return changed
        shown[min(candidates, key=lambda i: values[i])] = None
        changed = True


def suppressed_line(values: Sequence[int], threshold: int, *, with_total: bool = True) -> list[int | None]:
    """One line of figures for the public, before rounding: each count of 1 to
    threshold-1 becomes None ("fewer than N"). Where the line's total is shown, the total
    minus the shown figures would give the hidden ones away, so more are hidden, smallest
    first, until they are at least two and add up to at least the threshold."""
    shown: list[int | None] = [None if 0 < v < threshold else v for v in values]
    if with_total:
        _hide_until_safe(values, shown, range(len(values)), threshold)
    return shown


def suppressed_table(
    rows: Sequence[tuple[Any, Any, int]], threshold: int
) -> dict[tuple[Any, Any], int | None]:
    """A two-way table of counts for the public, before rounding: every line and every
    column suppressed as `suppressed_line` does (their totals are the one-way breakdowns),
    again until none changes."""
    keys = [(a, b) for a, b, _v in rows]
    values = [v for _a, _b, v in rows]
    shown: list[int | None] = [None if 0 < v < threshold else v for v in values]
    lines: list[list[int]] = []
    for axis in (0, 1):
        grouped: dict[Any, list[int]] = {}
        for position, key in enumerate(keys):
            grouped.setdefault(key[axis], []).append(position)
        lines.extend(grouped.values())
    changed = True
    while changed:
        changed = False
        for line in lines:
            changed = _hide_until_safe(values, shown, line, threshold) or changed
    return dict(zip(keys, shown, strict=True))


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


@dataclass(frozen=True)
class ShownFigures:
    """A report's counts as a reader may see them: exact for those in scope; for the
    public, rounded, and each count of fewer than `threshold` people None ("fewer than N")."""

    people_reached: int | None
    participations: int | None
    deliveries: int | None
    attendances: int | None
    anonymous_participants: int | None
    events: int
    volunteers: int | None
    experts: int | None
    # (people reached, participations) per project and per breakdown row, in report order.
    projects: list[tuple[int | None, int | None]]
    breakdown: list[tuple[int | None, int | None]]
    suppressed_below: int | None


def shown_figures(report: ImpactReport, *, public: bool, threshold: int) -> ShownFigures:
    """The one place where public figures are made, by the rules of the module's
    docstring: a whole calendar period only; totals standing alone hidden under the
    threshold; lines with a total (deliveries and attendances, projects, one-way
    breakdowns) and two-way breakdowns line by line and column by column so that no hidden
    figure can be found by subtraction; then every figure rounded."""
    if not public:
        return ShownFigures(
            people_reached=report.people_reached,
            participations=report.participations,
            deliveries=report.deliveries,
            attendances=report.attendances,
            anonymous_participants=report.anonymous_participants,
            events=report.events,
            volunteers=report.volunteers,
            experts=report.experts,
            projects=[(p.people_reached, p.participations) for p in report.projects],
            breakdown=[(r.people, r.participations) for r in report.breakdown],
            suppressed_below=None,
        )
    public_period_check(report.filter)

    def rounded(values: list[int | None]) -> list[int | None]:
        return [None if v is None else public_round(v, threshold) for v in values]

    def column(values: list[int]) -> list[int | None]:
        if len(report.breakdown_by) == 2 and len(values) == len(report.breakdown):
            cells = suppressed_table(
                [(*r.keys, v) for r, v in zip(report.breakdown, values, strict=True)], threshold
            )
            return rounded([cells[(r.keys[0], r.keys[1])] for r in report.breakdown])
        return rounded(suppressed_line(values, threshold))

    deliveries, attendances = rounded(suppressed_line([report.deliveries, report.attendances], threshold))
    project_people = rounded(suppressed_line([p.people_reached for p in report.projects], threshold))
    project_participations = rounded(suppressed_line([p.participations for p in report.projects], threshold))
    row_people = column([r.people for r in report.breakdown])
    row_participations = column([r.participations for r in report.breakdown])
    return ShownFigures(
        people_reached=public_count(report.people_reached, threshold),
        participations=public_count(report.participations, threshold),
        deliveries=deliveries,
        attendances=attendances,
        anonymous_participants=public_count(report.anonymous_participants, threshold),
        events=report.events,
        volunteers=public_count(report.volunteers, threshold),
        experts=public_count(report.experts, threshold),
        projects=list(zip(project_people, project_participations, strict=True)),
        breakdown=list(zip(row_people, row_participations, strict=True)),
        suppressed_below=threshold,
    )
