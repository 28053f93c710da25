"""The public map's figures for `qoldau bench access` (called from `bench.py`): the GeoJSON of
one city-wide view served over HTTP, and the clustered map page drawn in Debian's Chromium.
Both read the objects already in the database (the demo's city, e.g. Almaty's 34,000)."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db.models import Count, Max, Min
from django.test import Client

from qoldau.access.map import MapFilter, build_geojson
from qoldau.access.models import AccessObject

API = "/api/v1/access/objects"
CHROMIUM = "/usr/bin/chromium"
# The map marks this (performance.mark in map.js) once the first clusters are drawn.
DRAWN_MARK = "access-map:drawn"


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95_index = max(0, round(0.95 * len(ordered)) - 1)
    return statistics.median(ordered), ordered[p95_index]


def city_bbox() -> tuple[float, float, float, float] | None:
    """The box around the objects of the region with the most objects: one city-wide view."""
    top = AccessObject.objects.values("region_id").annotate(n=Count("pk")).order_by("-n").first()
    if top is None:
        return None
    box = AccessObject.objects.filter(region_id=top["region_id"]).aggregate(
        west=Min("longitude"), south=Min("latitude"), east=Max("longitude"), north=Max("latitude")
    )
    return box["west"], box["south"], box["east"], box["north"]


def measure_geojson(samples: int = 20) -> dict[str, Any]:
    """p50/p95 in ms of `GET /api/v1/access/objects?bbox=<city>&category=К` through Django's
    test client (the whole request: middleware, the API, the cache), the response's size,
    and the cold build (query and serialisation, what the first request after a change to
    the objects pays) measured on its own."""
    bbox = city_bbox()
    if bbox is None:
        return {"p50_ms": None, "p95_ms": None, "note": "no objects: run the demo first"}
    flt = MapFilter(bbox=bbox)
    started = time.perf_counter()
    body = build_geojson(flt, "kk")
    cold_ms = (time.perf_counter() - started) * 1000
    client = Client()
    params = {"bbox": ",".join(f"{v:.6f}" for v in bbox), "category": "К", "lang": "kk"}
    timings = []
    size = 0
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(API, params)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return {"p50_ms": None, "p95_ms": None, "note": f"HTTP {response.status_code}"}
        size = len(response.content)
    p50, p95 = _percentiles(timings)
    objects = body.count(b'"type":"Feature"')
    return {
        "p50_ms": p50,
        "p95_ms": p95,
        "cold_ms": cold_ms,
        "bytes": size,
        "objects": objects,
        "note": f"{objects:,} objects, {size / 1e6:.1f} MB; cold build {cold_ms:,.0f} ms",
    }


def measure_map_render(base_url: str, runs: int = 6, path: str = "/access/map/?category=К") -> dict[str, Any]:
    """Time from navigation to the first clusters drawn on the public map (the map's own
    performance mark), in ms, in a fresh Chromium context per run (no browser cache). The
    first run may also pay the server's cold build; p50/p95 are over the other runs."""
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    detail: dict[str, str] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(base_url + path)
                page.wait_for_function(
                    "() => document.getElementById('access-map').dataset.state === 'ready'", timeout=60_000
                )
                drawn = page.evaluate(f"() => performance.getEntriesByName('{DRAWN_MARK}')[0].startTime")
                times.append(float(drawn))
                detail = page.eval_on_selector("#access-map", "m => ({...m.dataset})")
                context.close()
        finally:
            browser.close()
    measured = times[1:] or times
    p50, p95 = _percentiles(measured)
    objects = int(detail.get("objects", "0"))
    return {
        "p50_ms": p50,
        "p95_ms": p95,
        "first_ms": times[0],
        "runs_ms": times,
        "note": (
            f"{objects:,} objects, {detail.get('clusters', '?')} clusters drawn; first run {times[0]:,.0f} ms"
        ),
    }
