"""Workloads of `qoldau bench access`: the public map's GeoJSON of one city-wide view and the
clustered map rendered in headless Chromium over Almaty's 34,000 objects (measured by
`qoldau.access.map_bench`), and the progress report over national-scale objects (300,000
over the 20 regions) on PostgreSQL.

The objects are generated with the demo's generator (`qoldau.access.demo`) under their own
seed, so that they are real rows of the real tables with consistent passports and measures;
regions without districts get bench districts. They are kept between runs (a second run
generates nothing) unless `bench_remove` deletes them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.core.wsgi import get_wsgi_application
from django.db import connection, transaction
from tqdm import tqdm

from qoldau.access import demo
from qoldau.access.models import AccessObject, Measure, Passport, PassportItem, PassportZoneStatus
from qoldau.access.progress import progress_report
from qoldau.core.bench import Figure, Writer, timed
from qoldau.core.models import Place

BENCH_SEED = 900
BENCH_DISTRICT_PREFIX = "Bench district "
DISTRICTS_PER_REGION = 6
NATIONAL_OBJECTS = 300_000
CITY_OBJECTS = 34_000

TARGET_GEOJSON_MS = 100.0
TARGET_MAP_RENDER_MS = 1500.0
TARGET_PROGRESS_MS = 500.0


def _bench_objects() -> Any:
    return AccessObject.objects.filter(external_id__startswith=f"{demo.REGISTER_PREFIX}-{BENCH_SEED}-")


def bench_generate(*, objects: int = NATIONAL_OBJECTS, city_objects: int = CITY_OBJECTS, out: Writer) -> int:
    """Almaty with `city_objects` and the other regions sharing the rest equally, generated
    under the bench's seed (regions holding them already are skipped). Returns the objects
    created now."""
    regions = list(Place.objects.filter(level=Place.Level.REGION).order_by("kato"))
    others = [r for r in regions if r.kato != demo.ALMATY]
    per_region = max(objects - city_objects, 0) // max(len(others), 1)
    created = 0
    started = time.perf_counter()
    for region in tqdm(regions, desc="regions", unit=" regions", leave=False):
        count = city_objects if region.kato == demo.ALMATY else per_region
        with transaction.atomic():
            _ensure_districts(region)
            created += demo.generate_objects(
                region_kato=region.kato or "", count=count, seed=BENCH_SEED, planned_measures=300
            )
    if created:
        out.write(f"generated {created:,} objects in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (AccessObject, Measure, Passport):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return created


def _ensure_districts(region: Place) -> None:
    # Only Almaty's and Astana's districts are in the reference data; the others get bench
    # districts (without KATO codes) so that objects can be placed.
    if Place.objects.filter(parent=region, level=Place.Level.DISTRICT).exists():
        return
    Place.objects.bulk_create(
        Place(
            level=Place.Level.DISTRICT,
            parent=region,
            name_kk=f"{BENCH_DISTRICT_PREFIX}{n}",
            name_ru=f"{BENCH_DISTRICT_PREFIX}{n}",
            name_en=f"{BENCH_DISTRICT_PREFIX}{n}",
        )
        for n in range(1, DISTRICTS_PER_REGION + 1)
    )


def bench_remove() -> None:
    """Delete the bench's objects (with their passports and measures) and bench districts."""
    ids = _bench_objects().values("pk")
    with transaction.atomic():
        PassportItem.objects.filter(passport__object__in=ids).delete()
        PassportZoneStatus.objects.filter(passport__object__in=ids).delete()
        Measure.objects.filter(object__in=ids).delete()
        Passport.objects.filter(object__in=ids).delete()
        _bench_objects().delete()
        Place.objects.filter(name_kk__startswith=BENCH_DISTRICT_PREFIX, level=Place.Level.DISTRICT).delete()


def bench_progress(*, samples: int = 30) -> list[Figure]:
    """The full progress report (totals, target, every breakdown the page shows) of the
    country and of Almaty."""
    objects = AccessObject.objects.count()
    almaty = Place.objects.get(kato=demo.ALMATY)
    country = timed(lambda: progress_report(None), samples)
    city = timed(lambda: progress_report(almaty), samples)
    return [
        Figure(
            f"progress report, country ({objects:,} objects, by region and kind)",
            *country,
            TARGET_PROGRESS_MS,
        ),
        Figure("progress report, Almaty (by district and kind)", *city, TARGET_PROGRESS_MS),
    ]


def _as_ms(result: Any) -> tuple[float | None, float | None, str]:
    """The p50 and p95 of what a map_bench measure returns: a mapping with p50/p95 (in
    ms, or `_s` keys in seconds), a pair of numbers in ms, or one number of seconds."""
    if isinstance(result, dict):
        note = str(result.get("note", ""))
        for suffix, factor in (("_ms", 1.0), ("", 1.0), ("_s", 1000.0)):
            if f"p50{suffix}" in result:
                p50, p95 = result[f"p50{suffix}"], result.get(f"p95{suffix}")
                if p50 is None:
                    return None, None, note
                return float(p50) * factor, float(p95 if p95 is not None else p50) * factor, note
    if isinstance(result, tuple | list) and len(result) == 2:
        return float(result[0]), float(result[1]), ""
    if isinstance(result, int | float):
        return float(result) * 1000, float(result) * 1000, ""
    p50_ms = getattr(result, "p50_ms", None)
    p95_ms = getattr(result, "p95_ms", None)
    return (
        None if p50_ms is None else float(p50_ms),
        None if p95_ms is None else float(p95_ms),
        "",
    )


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving() -> Iterator[str]:
    """The site served on a free local port for the browser, for as long as the block runs."""
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def bench_map(*, samples: int = 30) -> list[Figure]:
    """The map's figures, measured by helper MAP's `qoldau.access.map_bench`."""
    try:
        from qoldau.access import map_bench
    except ImportError:
        missing = "qoldau.access.map_bench is not there yet"
        return [
            Figure("GeoJSON of one city-wide map view", None, None, TARGET_GEOJSON_MS, missing),
            Figure("clustered public map rendered in Chromium", None, None, TARGET_MAP_RENDER_MS, missing),
        ]
    geojson = _as_ms(map_bench.measure_geojson(samples))
    with serving() as base_url:
        render = _as_ms(map_bench.measure_map_render(base_url))
    return [
        Figure(
            "GeoJSON of one city-wide map view (Almaty)",
            geojson[0],
            geojson[1],
            TARGET_GEOJSON_MS,
            geojson[2],
        ),
        Figure(
            "clustered public map rendered in Chromium (Almaty)",
            render[0],
            render[1],
            TARGET_MAP_RENDER_MS,
            render[2],
        ),
    ]
