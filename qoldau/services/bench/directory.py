"""The directory's part of `qoldau bench services`: 300,000 services of providers all over
the country, then the public directory's search and the HSDS `/services` page, each p95
against its target and against a baseline measured in the same run.

The data is benchmark data, written straight into the tables with `bulk_create` in
batches (no audit rows or notifications), each batch then put in the search index by the
services' own `directory_reindex_in_transaction`, under organisations whose names begin
with `BENCH_PREFIX`, which never mix with real ones. It is kept between runs (a second run
with the same size generates nothing) unless `bench_remove` deletes it.

The baseline: the same requests with the database's index scans turned off (PostgreSQL:
`enable_indexscan`, `enable_bitmapscan`, `enable_indexonlyscan` off for the request's
transaction), so the figure says what the indexes (the search index's keys, the
status-and-name indexes the pages are ordered by) buy; on SQLite, which has no such
switch, the baseline filters every active service in Python."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import connection, transaction
from django.test import Client

from qoldau.core.bench import Figure, Writer, percentiles
from qoldau.core.identifiers import make_bin
from qoldau.core.models import Organisation, Place
from qoldau.services.models import (
    CatalogueTerm,
    DirectoryKey,
    Location,
    Provider,
    ProviderKind,
    Service,
    ServiceAtLocation,
)
from qoldau.services.services import directory_reindex_in_transaction

BENCH_PREFIX = "[bench services]"
SERVICES = 300_000
# Services per provider: the national scale of 291 organisations gives a few hundred each
# at 300,000 services; smaller providers make the organisation filter realistic.
PER_PROVIDER = 100
SEED = 15
SEARCH_TARGET_MS = 100.0
HSDS_TARGET_MS = 150.0
BATCH = 5_000

_WORDS = [
    ("оңалту", "реабилитация", "rehabilitation"),
    ("күтім", "уход", "care"),
    ("орталығы", "центр", "centre"),
    ("балалар", "детей", "children"),
    ("қарттар", "пожилых", "older people"),
    ("отбасы", "семьи", "family"),
    ("күндізгі", "дневной", "day"),
    ("үйде", "на дому", "at home"),
    ("кеңес", "консультация", "advice"),
    ("психолог", "психолог", "psychologist"),
]


@dataclass(frozen=True)
class Generated:
    services: int
    providers: int
    seconds: float


def bench_providers() -> Any:
    return Provider.objects.filter(organisation__name_kk__startswith=BENCH_PREFIX)


def _places() -> list[tuple[int, list[int]]]:
    """Every region with its districts (a region without any is its own area)."""
    regions = list(Place.objects.filter(level=Place.Level.REGION).values_list("pk", flat=True))
    districts: dict[int, list[int]] = {pk: [] for pk in regions}
    for pk, parent in Place.objects.filter(level=Place.Level.DISTRICT).values_list("pk", "parent_id"):
        if parent in districts:
            districts[parent].append(pk)
    return [(pk, districts[pk]) for pk in regions]


def bench_generate(*, services: int = SERVICES, out: Writer) -> Generated:
    """Providers, one location each and `services` active services of theirs, with needs,
    in batches. Nothing is made when the same size is there already."""
    have = Service.objects.filter(provider__in=bench_providers()).count()
    if have == services:
        out.write(f"kept {have:,} generated services of {bench_providers().count():,} providers")
        return Generated(have, bench_providers().count(), 0.0)
    if have:
        bench_remove()
    started = time.perf_counter()
    rnd = random.Random(SEED)  # noqa: S311 - benchmark data
    places = _places()
    settings_ = list(CatalogueTerm.objects.filter(taxonomy="setting"))
    kinds = list(CatalogueTerm.objects.filter(taxonomy="type"))
    needs = list(CatalogueTerm.objects.filter(taxonomy="need"))
    provider_count = max(1, services // PER_PROVIDER)
    # BINs of a year no real organisation registers in (as the jobs bench's employers).
    taken = set(Organisation.objects.filter(bin__startswith="98").values_list("bin", flat=True))
    bins: list[str] = []
    serial = 0
    while len(bins) < provider_count:
        serial += 1
        number = make_bin(2098, 1 + serial % 12, serial)
        if number and number not in taken:
            taken.add(number)
            bins.append(number)
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    kind="public_association",
                    bin=bins[i],
                    name_kk=f"{BENCH_PREFIX} ұйым {i}",
                    name_ru=f"{BENCH_PREFIX} организация {i}",
                    name_en=f"{BENCH_PREFIX} organisation {i}",
                    region_id=places[i % len(places)][0],
                )
                for i in range(provider_count)
            ],
            batch_size=BATCH,
        )
        providers = Provider.objects.bulk_create(
            [
                Provider(
                    organisation=org, kind=ProviderKind.values[i % len(ProviderKind.values)], generated=True
                )
                for i, org in enumerate(organisations)
            ],
            batch_size=BATCH,
        )
        locations = []
        for i, provider in enumerate(providers):
            region, districts = places[i % len(places)]
            locations.append(
                Location(
                    provider=provider,
                    name_kk=f"{BENCH_PREFIX} орын {i}",
                    name_ru=f"{BENCH_PREFIX} место {i}",
                    address=f"көше {i}",
                    region_id=region,
                    district_id=rnd.choice(districts) if districts else None,
                    latitude=round(rnd.uniform(41, 55), 6),
                    longitude=round(rnd.uniform(50, 85), 6),
                )
            )
        locations = Location.objects.bulk_create(locations, batch_size=BATCH)
    through = Service.needs.through
    made = 0
    while made < services:
        size = min(BATCH, services - made)
        batch = []
        for n in range(made, made + size):
            words = rnd.sample(_WORDS, 3)
            low = rnd.choice([None, 0, 3, 18, 60])
            batch.append(
                Service(
                    provider=providers[n % provider_count],
                    name_kk=" ".join(w[0] for w in words) + f" {n}",
                    name_ru=" ".join(w[1] for w in words) + f" {n}",
                    name_en=" ".join(w[2] for w in words) + f" {n}" if n % 3 == 0 else "",
                    setting=rnd.choice(settings_),
                    kind=rnd.choice(kinds),
                    minimum_age=low,
                    maximum_age=None if low is None else low + rnd.choice([3, 15, 40, 60]),
                    status=Service.Status.ACTIVE if n % 20 else Service.Status.INACTIVE,
                )
            )
        with transaction.atomic():
            created = Service.objects.bulk_create(batch)
            through.objects.bulk_create(
                [
                    through(service_id=s.pk, catalogueterm_id=term.pk)
                    for s in created
                    for term in rnd.sample(needs, rnd.choice([1, 1, 2]))
                ]
            )
            ServiceAtLocation.objects.bulk_create(
                [
                    ServiceAtLocation(
                        service_id=s.pk, location_id=locations[s.provider_id % provider_count].pk
                    )
                    for s in created
                ]
            )
            directory_reindex_in_transaction([s.pk for s in created])
        made += size
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table some time after a load: its statistics current and
        # its pages marked all-visible (so counts read the search index alone). VACUUM
        # cannot run in a transaction (a test's); ANALYZE then does the statistics.
        tables = "services_service, services_service_needs, services_serviceatlocation, services_directorykey"
        with connection.cursor() as cursor:
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{vacuum} {tables}")
    spent = time.perf_counter() - started
    out.write(f"generated {services:,} services of {provider_count:,} providers in {spent:.1f} s")
    return Generated(services, provider_count, spent)


def bench_remove() -> None:
    """Delete the generated providers, their locations and services."""
    providers = bench_providers()
    services = Service.objects.filter(provider__in=providers)
    with transaction.atomic():
        DirectoryKey.objects.filter(service__in=services).delete()
        Service.needs.through.objects.filter(service__in=services).delete()
        ServiceAtLocation.objects.filter(service__in=services).delete()
        services.delete()
        Location.objects.filter(provider__in=providers).delete()
        organisation_ids = list(providers.values_list("organisation_id", flat=True))
        providers.delete()
        Organisation.objects.filter(pk__in=organisation_ids).delete()


@contextmanager
def _without_indexes() -> Iterator[None]:
    """PostgreSQL plans the request without index scans (the baseline)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for switch in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {switch} = off")
        yield


def _searches(rnd: random.Random, count: int) -> list[dict[str, str]]:
    needs = list(CatalogueTerm.objects.filter(taxonomy="need").values_list("code", flat=True))
    places = _places()
    queries: list[dict[str, str]] = []
    for i in range(count):
        region, districts = rnd.choice(places)
        kind = i % 5
        if kind == 0:
            queries.append({"need": rnd.choice(needs)})
        elif kind == 1:
            queries.append(
                {"need": rnd.choice(needs), "region": str(Place.objects.get(pk=region).kato or "")}
            )
        elif kind == 2 and districts:
            queries.append({"district": str(rnd.choice(districts)), "age": str(rnd.choice([2, 10, 40, 70]))})
        elif kind == 3:
            queries.append({"q": rnd.choice(_WORDS)[0]})
        else:
            queries.append({"q": rnd.choice(_WORDS)[0] + " " + str(rnd.randrange(1000)), "age": "30"})
    return queries


def _timed(client: Client, urls: list[str], wrap: Callable[[], Any] | None = None) -> tuple[float, float]:
    client.get(urls[0], HTTP_ACCEPT_LANGUAGE="kk")
    runs = []
    for url in urls:
        started = time.perf_counter()
        if wrap is None:
            response = client.get(url)
        else:
            with wrap():
                response = client.get(url)
        runs.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}.")
    return percentiles(runs)


def _naive_search(params: dict[str, str]) -> int:
    """SQLite's baseline: every active service read and filtered in Python."""
    words = params.get("q", "").lower().split()
    age = int(params["age"]) if params.get("age") else None
    found = 0
    for name, low, high in Service.objects.filter(status="active").values_list(
        "name_kk", "minimum_age", "maximum_age"
    ):
        if words and not all(w in name.lower() for w in words):
            continue
        if age is not None and ((low is not None and low > age) or (high is not None and high < age)):
            continue
        found += 1
    return found


def bench_directory(*, samples: int, out: Writer) -> list[Figure]:
    """The public search page and the HSDS services page, p95 of `samples` requests each
    (varied filters), against their targets and the baseline."""
    rnd = random.Random(SEED + 1)  # noqa: S311 - benchmark sampling
    client = Client()
    client.cookies["django_language"] = "kk"
    searches = _searches(rnd, samples)
    search_urls = [f"/services/?{urlencode(q)}" for q in searches]
    terms = list(CatalogueTerm.objects.filter(taxonomy="need").values_list("public_id", flat=True))
    regions = [kato for kato in Place.objects.filter(level="region").values_list("kato", flat=True) if kato]
    hsds_urls = []
    for i in range(samples):
        params = {"per_page": "20", "page": str(1 + i % 5)}
        if i % 3 == 0:
            params["taxonomy_term_id"] = str(rnd.choice(terms))
        if i % 3 == 1 and regions:
            params["region"] = rnd.choice(regions)
        if i % 3 == 2:
            params["search"] = rnd.choice(_WORDS)[0]
        hsds_urls.append(f"/api/v1/hsds/services?{urlencode(params)}")
    total = Service.objects.filter(status="active").count()
    figures: list[Figure] = []
    p50, p95 = _timed(client, search_urls)
    figures.append(Figure(f"directory search page, {total:,} active services", p50, p95, SEARCH_TARGET_MS))
    p50, p95 = _timed(client, hsds_urls)
    figures.append(Figure("HSDS /services page of 20, in full", p50, p95, HSDS_TARGET_MS))
    if connection.vendor == "postgresql":
        base = min(samples, 10)
        b50, b95 = _timed(client, search_urls[:base], _without_indexes)
        figures.append(Figure("baseline: the same searches without index scans", b50, b95, None))
        b50, b95 = _timed(client, hsds_urls[:base], _without_indexes)
        figures.append(Figure("baseline: the same HSDS pages without index scans", b50, b95, None))
    else:
        runs = []
        for params in searches[: min(samples, 5)]:
            started = time.perf_counter()
            _naive_search(params)
            runs.append(time.perf_counter() - started)
        b50, b95 = percentiles(runs)
        figures.append(Figure("baseline: every active service filtered in Python", b50, b95, None))
    out.write(
        f"searched {len(search_urls)} times and read {len(hsds_urls)} HSDS pages "
        f"over {total:,} active services"
    )
    return figures
