"""Workloads of `qoldau bench reach` on PostgreSQL: national-scale deliveries, the impact
report over them against DuckDB running the same query over the same rows in memory, and
the dashboard page of one region.

The data are generated inside PostgreSQL (generate_series) in a bench organisation per
region, so that generating ten million rows takes a minute, not an hour; every row is a
real row of the real tables, and `bench_remove` deletes them all afterwards.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client

from qoldau.core.crypto import encrypt_text
from qoldau.core.models import Identity, Organisation, Person, PersonCategory, Place, Role, RoleAssignment
from qoldau.projects.impact import people_reached_by_region_category_month
from qoldau.projects.models import Project, ReachCell, ReachStale, ServiceDelivery, ServiceType
from qoldau.projects.services import reach_refresh

BENCH_PREFIX = "Bench "
BENCH_USER = "bench.ministry"
YEAR = 2025
PROJECTS_PER_REGION = 100


class Writer(Protocol):
    def write(self, msg: str) -> Any: ...


@dataclass(frozen=True)
class Timing:
    best: float
    median: float


def timed(work: Callable[[], Any], repeat: int = 3) -> Timing:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return Timing(best=min(runs), median=statistics.median(runs))


def bench_generate(*, people: int, deliveries_per_person: int, out: Writer) -> None:
    """Bench organisations (one per region), 100 projects each, `people` persons (region
    by id, one or two categories) and `deliveries_per_person` deliveries each in YEAR."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The reach benchmark runs on PostgreSQL (set DATABASE_URL).")
    bench_remove()
    regions = list(Place.objects.filter(level=Place.Level.REGION).order_by("kato"))
    services = list(ServiceType.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        projects = []
        for region in regions:
            organisation = Organisation.objects.create(
                kind=Organisation.Kind.INITIATIVE_GROUP, name_kk=f"{BENCH_PREFIX}{region.kato}", region=region
            )
            for n in range(PROJECTS_PER_REGION):
                projects.append(
                    Project(
                        organisation=organisation,
                        title_kk=f"{BENCH_PREFIX}{region.kato}-{n}",
                        starts_on=dt.date(YEAR, 1, 1),
                        ends_on=dt.date(YEAR, 12, 31),
                        funding_source="state_social_order",
                    )
                )
        Project.objects.bulk_create(projects)
        for project in projects:
            project.regions.add(project.organisation.region)
    project_ids = [p.pk for p in projects]
    region_ids = [r.pk for r in regions]
    # Person g lives in region g % 20 and is served by that region's bench organisation.
    organisation_ids = [projects[i * PROJECTS_PER_REGION].organisation_id for i in range(len(regions))]
    token = encrypt_text("Бенчмарк")  # one valid token for every name: encryption is not measured here
    out.write(f"  generating {people:,} people, {people * deliveries_per_person:,} deliveries...\n")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_person")
        base = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_identity")
        identity_base = cursor.fetchone()[0]
        cursor.execute(
            f"""INSERT INTO {Identity._meta.db_table} (id, iin_hash, created_at)
            SELECT %(base)s + g, 'bench' || md5(g::text), now() FROM generate_series(1, %(people)s) g""",
            {"base": identity_base, "people": people},
        )
        cursor.execute(
            f"""INSERT INTO {Person._meta.db_table}
                (id, organisation_id, identity_id, iin, iin_hash, no_iin_reason, no_iin_note, last_name,
                 first_name, patronymic, phone, sex, region_id, created_at, updated_at, version)
            SELECT %(base)s + g, (%(organisations)s::bigint[])[1 + g %% %(nregions)s], %(identity_base)s + g,
                   %(t)s, 'bench' || md5(g::text), '', '', %(t)s, %(t)s, '', '', '',
                   (%(regions)s::bigint[])[1 + g %% %(nregions)s], now(), now(), 1
            FROM generate_series(1, %(people)s) g""",
            {
                "base": base,
                "identity_base": identity_base,
                "t": token,
                "organisations": organisation_ids,
                "regions": region_ids,
                "nregions": len(region_ids),
                "people": people,
            },
        )
        for table in ("core_person", "core_identity"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        cursor.execute(
            f"""INSERT INTO {PersonCategory._meta.db_table} (person_id, category_id, since, details)
            SELECT %(base)s + g, (SELECT id FROM core_vulnerabilitycategory ORDER BY id LIMIT 1 OFFSET g %% 13),
                   DATE '2020-01-01', ''
            FROM generate_series(1, %(people)s) g
            UNION ALL
            SELECT %(base)s + g, (SELECT id FROM core_vulnerabilitycategory ORDER BY id LIMIT 1 OFFSET (g * 7 + 3) %% 13),
                   DATE '{YEAR}-06-01', ''
            FROM generate_series(1, %(people)s) g WHERE g %% 10 < 3""",
            {"base": base, "people": people},
        )
        # Person g: region g % 20, one of its region's projects, deliveries k = 0..n-1 on
        # distinct services and spread dates, so every row is unique without a check.
        cursor.execute(
            f"""INSERT INTO {ServiceDelivery._meta.db_table}
                (project_id, person_id, identity_id, service_id, delivered_on, region_id, quantity, note, recorded_at)
            SELECT (%(projects)s::bigint[])[1 + (g %% %(nregions)s) * {PROJECTS_PER_REGION} + (g / %(nregions)s) %% {PROJECTS_PER_REGION}],
                   %(base)s + g,
                   %(identity_base)s + g,
                   (%(services)s::bigint[])[1 + k],
                   DATE '{YEAR}-01-01' + ((g * 7 + k * 53) %% 365),
                   (%(regions)s::bigint[])[1 + g %% %(nregions)s],
                   1, '', now()
            FROM generate_series(1, %(people)s) g, generate_series(0, %(per)s - 1) k
            ORDER BY 1, 2""",
            {
                "projects": project_ids,
                "nregions": len(region_ids),
                "base": base,
                "identity_base": identity_base,
                "services": services,
                "regions": region_ids,
                "people": people,
                "per": deliveries_per_person,
            },
        )
        cursor.execute(f"INSERT INTO {ReachStale._meta.db_table} (year, region_key) VALUES (%s, 0)", [YEAR])
        cursor.execute("ANALYZE")
    out.write(f"  generated in {time.perf_counter() - started:.1f} s\n")


def bench_user() -> User:
    user, _created = User.objects.get_or_create(username=BENCH_USER)
    RoleAssignment.objects.get_or_create(user=user, role=Role.MINISTRY_OFFICER)
    return user


def bench_report(*, out: Writer) -> dict[str, Any]:
    """Refresh the reach cells, then time the impact report by region × category × month
    for YEAR: from the cells, counted live on PostgreSQL, and by DuckDB in memory."""
    import duckdb

    started = time.perf_counter()
    ReachStale.objects.create(year=YEAR, region_key=0)
    for region in Place.objects.filter(level=Place.Level.REGION):
        ReachStale.objects.create(year=YEAR, region_key=region.pk)
    refresh = reach_refresh()
    refresh_seconds = time.perf_counter() - started
    out.write(
        f"  reach cells refreshed: {refresh.slices} slices, {refresh.cells:,} cells, {refresh_seconds:.1f} s\n"
    )

    def from_cells() -> dict[tuple[int, int, int], int]:
        cells = people_reached_by_region_category_month(YEAR)
        if cells is None:
            raise RuntimeError("The reach cells are stale after a refresh.")
        return cells

    cells = timed(from_cells)
    cell_figures = from_cells()

    live_sql = f"""
        SELECT d.region_id, pc.category_id, EXTRACT(MONTH FROM d.delivered_on)::int, COUNT(DISTINCT d.identity_id)
        FROM {ServiceDelivery._meta.db_table} d
        JOIN {PersonCategory._meta.db_table} pc ON pc.person_id = d.person_id AND pc.since <= d.delivered_on
             AND (pc.until IS NULL OR pc.until >= d.delivered_on)
        WHERE d.delivered_on BETWEEN %s AND %s
        GROUP BY 1, 2, 3"""

    def live() -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(live_sql, [dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)])
            return list(cursor.fetchall())

    live_timing = timed(live, repeat=1)

    with tempfile.TemporaryDirectory() as folder:
        deliveries_csv = Path(folder) / "deliveries.csv"
        categories_csv = Path(folder) / "categories.csv"
        with connection.cursor() as cursor:
            raw = cursor.connection
            with (
                raw.cursor().copy(
                    f"COPY (SELECT person_id, identity_id, delivered_on, region_id FROM {ServiceDelivery._meta.db_table} "
                    f"WHERE delivered_on BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31') TO STDOUT WITH CSV"
                ) as copy,
                deliveries_csv.open("wb") as handle,
            ):
                for chunk in copy:
                    handle.write(chunk)
            with (
                raw.cursor().copy(
                    f"COPY (SELECT person_id, category_id, since, until FROM {PersonCategory._meta.db_table}) "
                    "TO STDOUT WITH CSV"
                ) as copy,
                categories_csv.open("wb") as handle,
            ):
                for chunk in copy:
                    handle.write(chunk)
        duck = duckdb.connect()
        duck.execute(
            f"CREATE TABLE d AS SELECT * FROM read_csv('{deliveries_csv}', "
            "columns={'person_id': 'BIGINT', 'identity_id': 'BIGINT', 'delivered_on': 'DATE', 'region_id': 'BIGINT'})"
        )
        duck.execute(
            f"CREATE TABLE pc AS SELECT * FROM read_csv('{categories_csv}', "
            "columns={'person_id': 'BIGINT', 'category_id': 'BIGINT', 'since': 'DATE', 'until': 'DATE'})"
        )
        duck_sql = (
            live_sql.replace(ServiceDelivery._meta.db_table, "d")
            .replace(PersonCategory._meta.db_table, "pc")
            .replace("::int", "")
            .replace("%s", "?")
        )
        duck_rows: list[Any] = []

        def in_duckdb() -> None:
            duck_rows[:] = duck.execute(duck_sql, [dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)]).fetchall()

        duck_timing = timed(in_duckdb)
        rows = duck.execute("SELECT COUNT(*) FROM d").fetchone()[0]  # type: ignore[index]
    # Exact figures: the cells, the live count and DuckDB agree group for group.
    duck_figures = {(int(r), int(c), int(m)): int(n) for r, c, m, n in duck_rows}
    live_figures = {(int(r), int(c), int(m)): int(n) for r, c, m, n in live()}
    if not (cell_figures == live_figures == duck_figures):
        raise RuntimeError("The reach cells, PostgreSQL and DuckDB disagree on the figures.")
    return {
        "rows": rows,
        "refresh_seconds": refresh_seconds,
        "cells_seconds": cells.median,
        "live_seconds": live_timing.best,
        "duckdb_seconds": duck_timing.median,
        "ratio_cells_to_duckdb": cells.median / duck_timing.median,
        "ratio_live_to_duckdb": live_timing.best / duck_timing.median,
        "groups": len(duck_rows),
    }


def bench_dashboard(*, out: Writer) -> dict[str, Any]:
    """The dashboard page of the largest bench region, through Django's test client."""
    user = bench_user()
    client = Client()
    client.force_login(user)
    region = Place.objects.get(kato="750000000")

    def page() -> None:
        response = client.get("/dashboard/", {"year": YEAR, "region": region.pk})
        if response.status_code != 200:
            raise RuntimeError(f"The dashboard answered {response.status_code}.")

    page()
    timing = timed(page)
    return {"dashboard_seconds": timing.median, "dashboard_best": timing.best}


def bench_remove() -> None:
    """Delete everything the bench generated."""
    organisations = Organisation.objects.filter(name_kk__startswith=BENCH_PREFIX, bin__isnull=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ServiceDelivery._meta.db_table} WHERE project_id IN "
            f"(SELECT id FROM {Project._meta.db_table} WHERE title_kk LIKE %s)",
            [f"{BENCH_PREFIX}%"],
        )
        cursor.execute(
            f"DELETE FROM {PersonCategory._meta.db_table} WHERE person_id IN "
            f"(SELECT id FROM {Person._meta.db_table} WHERE iin_hash LIKE 'bench%%')"
        )
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE iin_hash LIKE 'bench%%'")
        cursor.execute(f"DELETE FROM {Identity._meta.db_table} WHERE iin_hash LIKE 'bench%%'")
        for project in Project.objects.filter(organisation__in=organisations):
            project.regions.clear()
        Project.objects.filter(organisation__in=organisations).delete()
        organisations.delete()
        ReachCell.objects.filter(year=YEAR).delete()
        ReachStale.objects.create(year=YEAR, region_key=0)
