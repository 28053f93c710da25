"""The live path of the impact report: people reached and participations counted over the
deliveries and attendance themselves (any filter, any breakdown), and the events,
volunteers and experts beside them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q

from qoldau.projects.impact.filters import ImpactFilter
from qoldau.projects.models import Attendance, Event, Project, ServiceDelivery


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column}) * 100 + EXTRACT(MONTH FROM {column}))::integer"
    return f"CAST(strftime('%%Y%%m', {column}) AS INTEGER)"


def _in(column: str, values: Iterable[Any], params: list[Any]) -> str:
    values = list(values)
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _facts_sql(report_filter: ImpactFilter, columns: Iterable[str] = ()) -> tuple[str, list[Any]]:
    """Every participation (deliveries and event attendance) the filter keeps, as rows of
    person, day, place, project and kind, and the project's organisation and funding
    source when the filter or `columns` need them (only then are projects joined: a
    region's year is half a million deliveries, and the join is most of the count)."""
    tables = {
        "delivery": ServiceDelivery._meta.db_table,
        "attendance": Attendance._meta.db_table,
        "event": Event._meta.db_table,
        "project": Project._meta.db_table,
    }
    with_project = bool(
        report_filter.organisation_ids
        or report_filter.funding_source
        or {"organisation", "funding_source"} & set(columns)
    )
    # Each organisation keeps its own record of a person; records from the same IIN share
    # an identity, which is what people are counted by, and which every delivery and
    # attendance carries. Categories belong to the record.
    parts = []
    params: list[Any] = []
    for kind, day, project in (
        ("delivery", "f.delivered_on", "f.project_id"),
        ("attendance", "e.held_on", "e.project_id"),
    ):
        conditions = [f"{day} >= %s", f"{day} <= %s"]
        params.extend([report_filter.date_from, report_filter.date_to])
        if report_filter.region_ids:
            conditions.append(_in("f.region_id", report_filter.region_ids, params))
        if report_filter.district_ids:
            conditions.append(_in("f.district_id", report_filter.district_ids, params))
        if report_filter.project_ids:
            conditions.append(_in(project, report_filter.project_ids, params))
        if report_filter.organisation_ids:
            conditions.append(_in("p.organisation_id", report_filter.organisation_ids, params))
        if report_filter.funding_source:
            conditions.append("p.funding_source = %s")
            params.append(report_filter.funding_source)
        source = (
            f"{tables['delivery']} f"
            if kind == "delivery"
            else f"{tables['attendance']} f JOIN {tables['event']} e ON e.id = f.event_id"
        )
        project_columns = "NULL AS organisation_id, NULL AS funding_source"
        if with_project:
            source += f" JOIN {tables['project']} p ON p.id = {project}"
            project_columns = "p.organisation_id AS organisation_id, p.funding_source AS funding_source"
        parts.append(
            f"SELECT f.identity_id AS person_id, f.person_id AS record_id, {day} AS day, "
            f"f.region_id AS region_id, f.district_id AS district_id, {project} AS project_id, "
            f"{project_columns}, '{kind}' AS kind FROM {source} "
            f"WHERE {' AND '.join(conditions)}"
        )
    return " UNION ALL ".join(parts), params


_CATEGORY_AT_DAY = (
    "pc.person_id = f.record_id AND pc.since <= f.day AND (pc.until IS NULL OR pc.until >= f.day)"
)


def _counted_sql(report_filter: ImpactFilter, breakdown_by: tuple[str, ...]) -> tuple[str, list[Any]]:
    facts, params = _facts_sql(report_filter, breakdown_by)
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


def live_totals(report_filter: ImpactFilter) -> tuple[int, int]:
    sql, params = _counted_sql(report_filter, ())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        people, participations = cursor.fetchone() or (0, 0)
    return int(people or 0), int(participations or 0)


def live_breakdown(report_filter: ImpactFilter, breakdown_by: tuple[str, ...]) -> list[tuple[Any, ...]]:
    sql, params = _counted_sql(report_filter, breakdown_by)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def participation_split(report_filter: ImpactFilter) -> tuple[int, int]:
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


def events_held(report_filter: ImpactFilter) -> Any:
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


def volunteers_and_experts(report_filter: ImpactFilter, events: Any) -> tuple[int, int]:
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
