"""`qoldau bench WORKLOAD`: benchmarks whose figures go into docs/PERFORMANCE.md.

`consult`: the answering engine's accuracy on the held-out questions against a plain
bm25s baseline, and its latency.

`reach` (PostgreSQL): import delivery rows from CSV against a raw COPY of the same rows;
the impact report by region × category × month over national-scale deliveries against
DuckDB over the same rows in memory; the dashboard page of one region.
"""

from __future__ import annotations

import os
import platform
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from qoldau.projects import bench as reach


class Command(BaseCommand):
    help = "Run a benchmark and print each figure with its ratio to the baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("workload", choices=["reach", "consult"])
        parser.add_argument("--import-rows", type=int, default=1_000_000)
        parser.add_argument("--people", type=int, default=2_000_000)
        parser.add_argument("--deliveries-per-person", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="Keep the generated rows afterwards.")

    def handle(self, *args: Any, **options: Any) -> None:
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
            f"import {imported['rows']:,} delivery rows: {imported['import_rows_per_s']:,.0f} rows/s; "
            f"raw COPY {imported['copy_rows_per_s']:,.0f} rows/s; "
            f"ratio {imported['ratio']:.1%} (target ≥ 25 %)"
        )
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
