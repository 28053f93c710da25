"""`qoldau bench WORKLOAD`: benchmarks whose figures go into docs/PERFORMANCE.md.

`consult`: the answering engine's accuracy on the held-out questions against a plain
bm25s baseline, and its latency.

`reach` (PostgreSQL): import delivery rows from CSV against a COPY of the same rows into a
table shaped like the deliveries (and a raw COPY of the CSV into a bare table); the impact
report by region × category × month over national-scale deliveries against DuckDB over the
same rows in memory; the dashboard page of one region. `--import-only` stops after the
import.

`access` (PostgreSQL): the public map's GeoJSON and its clustered rendering in Chromium over
Almaty's 34,000 objects, and the progress report over 300,000 objects in the 20 regions
(qoldau.access.bench); the generated objects are kept for the next run unless --remove.

`contests` (SQLite or PostgreSQL): the live ranking of one commission with 2,000 applications
× 7 members × 10 criteria against a naive per-application ranking, and a member's worklist
page over 300 applications (qoldau.contests.bench); the generated contest is kept for the
next run unless --remove.

`jobs` (PostgreSQL for the figures; SQLite runs too): matching 10,000 seekers × 5,000
vacancies (every seeker's top 20, against one query per seeker × vacancy on a sample; one
seeker's matches), the quota of 1,000 employers against a reference calculation, and no
proposal breaking a hard rule on a set with known traps (qoldau.jobs.bench); the generated
data is kept for the next run unless --remove, the buildings (the access demo's generator)
always.

`services` (PostgreSQL for the figures; SQLite runs too): the public directory's search and
the HSDS `/services` page over 300,000 services nationally, against the same requests
without index scans (qoldau.services.bench); the generated services are kept for the next
run unless --remove.
`interpreting` (PostgreSQL for the figures; SQLite runs too): a working day compressed in
time through the real dispatch code, 4 interpreters against callers arriving at random, and
bookings made over one another (qoldau.interpreting.bench); it ends with the line
`interpreting: answered within 120 s N %, p95 wait S s, double bookings D, lost L` and fails
if D or L is not 0. The generated service is removed afterwards unless --keep.

`bot`: the real `qoldau bot` process against a fake Telegram Bot API offering a steady rate
of questions (qoldau.bot.bench); exits non-zero if an update is lost or answered twice.
"""

from __future__ import annotations

import os
import platform
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from qoldau.core.bench import report_table
from qoldau.projects import bench as reach


class Command(BaseCommand):
    help = "Run a benchmark and print each figure with its ratio to the baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "workload",
            choices=["reach", "consult", "bot", "access", "contests", "jobs", "services", "interpreting"],
        )
        parser.add_argument("--import-rows", type=int, default=1_000_000)
        parser.add_argument("--people", type=int, default=2_000_000)
        parser.add_argument("--deliveries-per-person", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="Keep the generated rows afterwards.")
        parser.add_argument(
            "--import-only", action="store_true", help="reach: only the import and its baselines"
        )
        parser.add_argument(
            "--objects", type=int, default=300_000, help="access: national-scale objects for the report"
        )
        parser.add_argument("--samples", type=int, default=30, help="access: timed runs of each figure")
        parser.add_argument(
            "--remove",
            action="store_true",
            help="access, contests: delete the generated objects afterwards",
        )
        parser.add_argument("--applications", type=int, default=2_000, help="contests: applications ranked")
        parser.add_argument("--members", type=int, default=7, help="contests: scoring members")
        parser.add_argument("--criteria", type=int, default=10, help="contests: criteria")
        parser.add_argument(
            "--worklist", type=int, default=300, help="contests: applications on the worklist page"
        )
        parser.add_argument("--interpreters", type=int, default=4, help="interpreting: interpreters on duty")
        parser.add_argument("--calls", type=int, default=90, help="interpreting: calls in the day")
        parser.add_argument("--bookings", type=int, default=60, help="interpreting: bookings attempted")
        parser.add_argument("--seekers", type=int, default=10_000, help="jobs: seekers matched")
        parser.add_argument("--vacancies", type=int, default=5_000, help="jobs: vacancies")
        parser.add_argument(
            "--employers", type=int, default=1_000, help="jobs: employers whose quota is followed"
        )
        parser.add_argument(
            "--baseline-seekers", type=int, default=20, help="jobs: seekers matched naively for the baseline"
        )
        parser.add_argument("--buildings", type=int, default=3_000, help="jobs: buildings a region needs")
        parser.add_argument(
            "--services", type=int, default=300_000, help="services: services in the national directory"
        )
        parser.add_argument("--rate", type=float, default=200.0, help="bot: updates offered per second")
        parser.add_argument("--seconds", type=float, default=10.0, help="bot: how long to offer them")
        parser.add_argument("--chats", type=int, default=1000, help="bot: ordinary chats asking")
        parser.add_argument(
            "--flood-rate",
            type=float,
            default=10.0,
            help="bot: messages/s of the one flooding chat (0: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workload"] == "bot":
            self._bot(options)
            return
        if options["workload"] == "access":
            self._access(options)
            return
        if options["workload"] == "contests":
            self._contests(options)
            return
        if options["workload"] == "jobs":
            self._jobs(options)
            return
        if options["workload"] == "interpreting":
            self._interpreting(options)
            return
        if options["workload"] == "services":
            self._services(options)
            return
        if options["workload"] == "consult":
            from qoldau.consult.engine.bench import bench_consult

            bench_consult(self.stdout)  # type: ignore[arg-type]
            return
        if connection.vendor != "postgresql":
            raise CommandError("The reach benchmark runs on PostgreSQL: set DATABASE_URL.")
        from qoldau.imports.bench import bench_import_deliveries

        out = self.stdout
        out.write(
            f"qoldau bench reach · {timezone.localtime():%Y-%m-%d %H:%M} · {platform.node()} · "
            f"{os.cpu_count()} cores · PostgreSQL {connection.cursor().connection.info.server_version}"
        )
        imported = bench_import_deliveries(options["import_rows"], stdout=out)
        out.write(
            f"import {imported['rows']:,} delivery rows: {imported['import_rows_per_s']:,.0f} rows/s "
            f"({imported['import_seconds']:.2f} s); COPY of the same rows into a table like the deliveries "
            f"{imported['copy_rows_per_s']:,.0f} rows/s ({imported['copy_seconds']:.2f} s); "
            f"ratio {imported['ratio']:.1%} (target ≥ 50 %)"
        )
        out.write(
            f"  raw COPY of the CSV into a bare table: {imported['bare_copy_rows_per_s']:,.0f} rows/s "
            f"({imported['bare_copy_seconds']:.2f} s); ratio {imported['bare_ratio']:.1%}"
        )
        if options["import_only"]:
            return
        reach.bench_generate(
            people=options["people"], deliveries_per_person=options["deliveries_per_person"], out=out
        )
        try:
            report = reach.bench_report(out=out)
            out.write(
                f"impact report, people by region × category × month, {report['rows']:,} deliveries, "
                f"{report['groups']:,} groups: reach cells {report['cells_seconds'] * 1000:.1f} ms; "
                f"DuckDB in memory {report['duckdb_seconds'] * 1000:.0f} ms; "
                f"ratio {report['ratio_cells_to_duckdb']:.3f} (target ≤ 2)"
            )
            out.write(
                f"  the same query counted live on PostgreSQL: {report['live_seconds']:.2f} s "
                f"(ratio {report['ratio_live_to_duckdb']:.1f} to DuckDB); "
                f"refreshing every reach cell of the year from the rows: {report['refresh_seconds']:.1f} s"
            )
            page = reach.bench_dashboard(out=out)
            out.write(
                f"dashboard page of Almaty over the same data: {page['dashboard_seconds'] * 1000:.0f} ms "
                f"median (best {page['dashboard_best'] * 1000:.0f} ms; target < 1000 ms)"
            )
        finally:
            if not options["keep"]:
                reach.bench_remove()

    def _access(self, options: dict[str, Any]) -> None:
        from qoldau.access import bench as access

        if connection.vendor != "postgresql":
            raise CommandError("The access benchmark runs on PostgreSQL: set DATABASE_URL.")
        out = self.stdout
        out.write(
            f"qoldau bench access · {timezone.localtime():%Y-%m-%d %H:%M} · {platform.node()} · "
            f"{os.cpu_count()} cores · PostgreSQL {connection.cursor().connection.info.server_version}"
        )
        access.bench_generate(objects=options["objects"], out=out)
        try:
            figures = [
                *access.bench_map(samples=options["samples"]),
                *access.bench_progress(samples=options["samples"]),
            ]
        finally:
            if options["remove"]:
                access.bench_remove()
        for line in report_table(figures):
            out.write(line)
        if any(f.passed is False for f in figures):
            raise CommandError("A figure missed its target.")

    def _contests(self, options: dict[str, Any]) -> None:
        from qoldau.contests import bench as contests

        sizes = (options["applications"], options["members"], options["criteria"], options["worklist"])
        if min(sizes) < 1 or options["samples"] < 1:
            raise CommandError(
                "Give a positive --applications, --members, --criteria, --worklist and --samples."
            )
        database = connection.vendor
        if database == "postgresql":
            database = f"PostgreSQL {connection.cursor().connection.info.server_version}"
        elif database == "sqlite":
            database = (
                f"SQLite {connection.cursor().connection.execute('select sqlite_version()').fetchone()[0]}"
            )
        out = self.stdout
        out.write(
            f"qoldau bench contests · {timezone.localtime():%Y-%m-%d %H:%M} · {platform.node()} · "
            f"{os.cpu_count()} cores · {database}"
        )
        data = contests.bench_generate(
            applications=options["applications"],
            members=options["members"],
            criteria=options["criteria"],
            worklist=options["worklist"],
            out=out,
        )
        try:
            figures = [
                *contests.bench_ranking(
                    data, samples=options["samples"], baseline_samples=max(3, options["samples"] // 10)
                ),
                *contests.bench_page(data, samples=options["samples"]),
            ]
        finally:
            if options["remove"]:
                contests.bench_remove()
                out.write("removed the generated contest")
        for line in report_table(figures):
            out.write(line)
        if any(f.passed is False for f in figures):
            raise CommandError("A figure missed its target.")

    def _interpreting(self, options: dict[str, Any]) -> None:
        from qoldau.interpreting import bench as interpreting

        if options["interpreters"] < 1 or options["calls"] < 1 or options["bookings"] < 0:
            raise CommandError("Give a positive --interpreters and --calls, and --bookings of 0 or more.")
        out = self.stdout
        out.write(
            f"qoldau bench interpreting · {timezone.localtime():%Y-%m-%d %H:%M} · {platform.node()} · "
            f"{os.cpu_count()} cores · {_database()}"
        )
        try:
            result = interpreting.bench_day(
                interpreters=options["interpreters"],
                calls=options["calls"],
                bookings=options["bookings"],
                out=out.write,
            )
        finally:
            if not options["keep"]:
                interpreting.bench_remove()
        out.write(
            f"{result.calls} calls, {result.extra['answered']} answered; "
            f"bookings {result.bookings_made} made, {result.bookings_refused} refused as overlapping"
        )
        out.write(result.line())
        if result.double_bookings or result.lost:
            raise CommandError("A double booking or a lost call: see the line above.")

    def _jobs(self, options: dict[str, Any]) -> None:
        from qoldau.access import accessibility
        from qoldau.access import demo as access_demo
        from qoldau.core.models import Place
        from qoldau.jobs import bench as jobs

        sizes = (options["seekers"], options["vacancies"], options["employers"], options["baseline_seekers"])
        if min(sizes) < 1 or options["samples"] < 1 or options["buildings"] < 1:
            raise CommandError(
                "Give a positive --seekers, --vacancies, --employers, --baseline-seekers, --buildings "
                "and --samples."
            )
        out = self.stdout
        out.write(
            f"qoldau bench jobs · {timezone.localtime():%Y-%m-%d %H:%M} · {platform.node()} · "
            f"{os.cpu_count()} cores · {_database()}"
        )
        # The workplaces are real buildings: the access demo's generator makes sure of them.
        for kato, _share in jobs.REGIONS:
            region = Place.objects.get(kato=kato, level=Place.Level.REGION)
            have = len(
                accessibility.objects_in_region(region.pk, assessed_only=True, limit=options["buildings"])
            )
            if have < options["buildings"] // 2:
                made = access_demo.generate_objects(
                    region_kato=kato, count=options["buildings"], seed=JOBS_BUILDINGS_SEED
                )
                out.write(f"generated {made:,} buildings in {region.name_en}")
        data = jobs.bench_generate(
            seekers=options["seekers"],
            vacancies=options["vacancies"],
            employers=options["employers"],
            out=out,
        )
        try:
            matched, violations = jobs.bench_matching(
                data, samples=options["samples"], baseline_seekers=options["baseline_seekers"]
            )
            figures = [*matched, *jobs.bench_quota(data, samples=options["samples"])]
        finally:
            if options["remove"]:
                jobs.bench_remove()
                out.write("removed the generated seekers, employers and vacancies")
        for line in report_table(figures):
            out.write(line)
        v, traps = violations, len(data.traps)
        out.write(
            f"hard rules: {v.proposals:,} proposals, {v.contraindicated} with a contraindicated condition, "
            f"{v.inaccessible} not accessible for a category needed; known traps: {v.traps_proposed} of "
            f"{traps:,} proposed, their twins {v.twins_proposed} of {traps:,}"
        )
        if any(f.passed is False for f in figures):
            raise CommandError("A figure missed its target.")

    def _services(self, options: dict[str, Any]) -> None:
        from qoldau.services import bench as services_bench

        if options["services"] < 1 or options["samples"] < 1:
            raise CommandError("Give a positive --services and --samples.")
        out = self.stdout
        out.write(
            f"qoldau bench services · {timezone.localtime():%Y-%m-%d %H:%M} · {platform.node()} · "
            f"{os.cpu_count()} cores · {_database()}"
        )
        figures = services_bench.run(options, out)
        for line in report_table(figures):
            out.write(line)
        if any(f.passed is False for f in figures):
            raise CommandError("A figure missed its target.")

    def _bot(self, options: dict[str, Any]) -> None:
        from qoldau.bot.bench import BenchConfig, BenchError, report, run_bench

        config = BenchConfig(
            rate=options["rate"],
            seconds=options["seconds"],
            chats=options["chats"],
            flood_rate=options["flood_rate"],
            keep=options["keep"],
        )
        if config.rate <= 0 or config.seconds <= 0 or config.chats <= 0 or config.flood_rate > config.rate:
            raise CommandError("Give a positive --rate, --seconds and --chats, and --flood-rate ≤ --rate.")
        database = connection.vendor
        if database == "postgresql":
            database = f"PostgreSQL {connection.cursor().connection.info.server_version}"
        elif database == "sqlite":
            database = (
                f"SQLite {connection.cursor().connection.execute('select sqlite_version()').fetchone()[0]}"
            )
        flooding = "one flooding chat" if config.flood_rate else "no flooding chat"
        self.stdout.write(
            f"qoldau bench bot · {timezone.localtime():%Y-%m-%d %H:%M} · {platform.node()} · "
            f"{os.cpu_count()} cores · {database} · {config.rate:g} updates/s for {config.seconds:g} s "
            f"from {config.chats:,} chats + {flooding}"
        )
        try:
            figures = run_bench(config, out=self.stdout)  # type: ignore[arg-type]
        except BenchError as error:
            raise CommandError(str(error)) from error
        report(config, figures, self.stdout)  # type: ignore[arg-type]
        if not figures.ok:
            raise CommandError("Updates were lost or duplicated.")


# The seed of the buildings `bench jobs` generates where a region has too few.
JOBS_BUILDINGS_SEED = 41


def _database() -> str:
    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version  # 150020 for 15.20
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        return f"SQLite {connection.cursor().connection.execute('select sqlite_version()').fetchone()[0]}"
    return connection.vendor
