"""The wait lists under load, for `qoldau bench services`: `attempts` concurrent accepts
of offers for `places` free places give exactly `places` enrolments; two places freed at
once (two enrolments ended by two writers at the same moment) never offer one person
twice; and each list replayed from the audit equals the live one.

Each attempt runs in its own thread with its own database connection, through the real
services (`offer_accept`, `enrolment_end`), so the service row's lock is what keeps the
places. On PostgreSQL the attempts really run at once. SQLite allows one writer at a time
(every transaction is IMMEDIATE), so there the attempts run one after another and the run
checks the counting only; the figures for `docs/PERFORMANCE.md` are PostgreSQL's.

The data is benchmark data under an organisation of its own (`BENCH_ORG`): its people,
identities and consents are written straight with `bulk_create`; the lists, offers and
enrolments are made through the services and their audit (more open offers than places by
raising the capacity and lowering it again before anyone accepts). `bench_flow_remove` deletes
it (also before a run)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from qoldau.core.bench import Figure, Writer, percentiles, report_table
from qoldau.core.errors import ApplicationError
from qoldau.core.models import AuditEntry, Consent, Identity, Organisation, Person, Place
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import (
    Capacity,
    CatalogueTerm,
    Enrolment,
    Offer,
    Provider,
    ProviderKind,
    Service,
    WaitListEntry,
)
from qoldau.services.services import capacity, wait_lists

BENCH_ORG = "Qoldau bench: services flow"
BENCH_USER = "bench-services-flow"


@dataclass
class FlowBenchResult:
    attempts: int
    places: int
    enrolled: int = 0
    refused_over_capacity: int = 0
    other_errors: list[str] = field(default_factory=list)
    freed_offers: int = 0
    freed_distinct_people: int = 0
    replay_equal: bool = False
    concurrent: bool = False
    figures: list[Figure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (
            self.enrolled == self.places
            and self.refused_over_capacity == self.attempts - self.places
            and not self.other_errors
            and self.freed_offers == 2
            and self.freed_distinct_people == 2
            and self.replay_equal
        )


def bench_flow_remove() -> None:
    """Delete the run's data (services, lists, offers, people, audit rows of its user)."""
    organisation = Organisation.objects.filter(name_kk=BENCH_ORG).first()
    if organisation is not None:
        services = Service.objects.filter(provider__organisation=organisation)
        Enrolment.objects.filter(service__in=services).delete()
        Offer.objects.filter(service__in=services).delete()
        WaitListEntry.objects.filter(service__in=services).delete()
        Capacity.objects.filter(service__in=services).delete()
        AuditEntry.objects.filter(
            object_type="wait_list_entry", details__service__in=list(services.values_list("pk", flat=True))
        ).delete()
        services.delete()
        Provider.objects.filter(organisation=organisation).delete()
        people = Person.objects.filter(organisation=organisation)
        identities = list(people.values_list("identity_id", flat=True))
        Consent.objects.filter(person__in=people).delete()
        people.delete()
        Identity.objects.filter(pk__in=identities).delete()
        organisation.delete()
    AuditEntry.objects.filter(actor_username=BENCH_USER).delete()
    User.objects.filter(username=BENCH_USER).delete()


def _term(taxonomy: str, code: str) -> CatalogueTerm:
    term, _created = CatalogueTerm.objects.get_or_create(
        taxonomy=taxonomy, code=code, defaults={"name_kk": code, "name_ru": code, "name_en": code}
    )
    return term


def _people(organisation: Organisation, count: int) -> list[Person]:
    identities = Identity.objects.bulk_create([Identity(iin_hash=None) for _ in range(count)])
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=organisation,
                identity=identity,
                no_iin_reason=Person.NoIinReason.OTHER,
                last_name=f"Bench{n}",
                first_name="Person",
                birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=n),
            )
            for n, identity in enumerate(identities)
        ]
    )
    Consent.objects.bulk_create(
        [Consent(person=p, organisation=organisation, given_on=dt.date(2025, 1, 1)) for p in people]
    )
    return people


def _service(provider: Provider, name: str, places: int) -> Service:
    """A service with `places` from a year ago."""
    service = Service.objects.create(
        provider=provider,
        name_kk=name,
        name_ru=name,
        setting=_term("setting", "semi_residential"),
        kind=_term("type", "social_household"),
    )
    Capacity.objects.create(
        service=service, places=places, since=timezone.localdate() - dt.timedelta(days=365)
    )
    return service


# Connections the server keeps for others (the bench's own, a test run's, psql).
SPARE_CONNECTIONS = 10


def _connections_free() -> int:
    """How many more connections PostgreSQL accepts now, less the spare ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
        )
        row = cursor.fetchone()
    return max(1, int(row[0]) - SPARE_CONNECTIONS) if row else 1


def _run_at_once(jobs: list[Callable[[], None]], concurrent: bool) -> list[float]:
    """Run the jobs, each in its own thread and connection, released together; their
    durations in seconds. As many run at once as the server has connections for (its
    `max_connections`, 100 by default, is the bound, as a pool's would be in production);
    the others wait for a connection."""
    timings: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(len(jobs)) if concurrent else None
    slots = threading.BoundedSemaphore(_connections_free()) if concurrent else None

    def run(job: Callable[[], None]) -> None:
        try:
            if start is not None:
                start.wait()
            if slots is not None:
                slots.acquire()
            began = time.perf_counter()
            job()
            with lock:
                timings.append(time.perf_counter() - began)
        finally:
            if concurrent:
                connections.close_all()
            if slots is not None:
                slots.release()

    if not concurrent:
        for job in jobs:
            run(job)
        return timings
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return timings


def run_flow_bench(
    writer: Writer, *, attempts: int = 100, places: int = 5, waiting: int = 10, table: bool = True
) -> FlowBenchResult:
    """Run the three checks and write their report; the result says whether each held.
    Without `table`, the figures are left to the caller's table (`qoldau bench services`
    prints one table of the directory's and the wait lists' figures)."""
    concurrent = connection.vendor == "postgresql"
    result = FlowBenchResult(attempts=attempts, places=places, concurrent=concurrent)
    bench_flow_remove()
    region = Place.objects.filter(level=Place.Level.REGION).order_by("kato").first()
    assert region is not None, "The reference data (regions) is missing."  # noqa: S101
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.INITIATIVE_GROUP, name_kk=BENCH_ORG, region=region
    )
    provider = Provider.objects.create(organisation=organisation, kind=ProviderKind.NGO)
    actor = User.objects.create_user(BENCH_USER, is_superuser=True)

    # 1. `attempts` people join a full list; the capacity is raised to `attempts` from
    # today (each gets an offer) and lowered to `places` again before anyone accepts: more
    # open offers than places, all made through the services and their audit.
    accepting = _service(provider, "Bench: concurrent accepts", 0)
    people = _people(organisation, attempts + waiting + 2)
    for person in people[:attempts]:
        wait_lists.wait_list_join(actor=actor, service=accepting, person=person)
    today = timezone.localdate()
    capacity.capacity_record(actor=actor, service=accepting, places=attempts, since=today)
    capacity.capacity_record(actor=actor, service=accepting, places=places, since=today)
    offers = list(Offer.objects.filter(service=accepting, status=Offer.Status.OPEN))
    outcome_lock = threading.Lock()

    def accept(offer: Offer) -> Callable[[], None]:
        def job() -> None:
            try:
                wait_lists.offer_accept(actor=actor, offer=offer)
                code = "enrolled"
            except ApplicationError as error:
                code = str(error.code)
            except Exception as error:  # an attempt that broke is reported, not lost
                code = f"{type(error).__name__}: {error}"
            with outcome_lock:
                if code == "enrolled":
                    result.enrolled += 1
                elif code == ServicesErrorCode.OVER_CAPACITY:
                    result.refused_over_capacity += 1
                else:
                    result.other_errors.append(code)

        return job

    timings = _run_at_once([accept(o) for o in offers], concurrent)
    enrolments = Enrolment.objects.filter(service=accepting, ends_on__isnull=True).count()
    if enrolments != result.enrolled:
        result.other_errors.append(f"{enrolments} enrolments in the table, {result.enrolled} reported")
    p50, p95 = percentiles(timings)
    result.figures.append(
        Figure(
            f"{attempts} concurrent accepts for {places} places → {enrolments} enrolments",
            p50,
            p95,
            None,
            "exact" if enrolments == places else "WRONG",
        )
    )

    # 2. Two places freed at once: two writers end two enrolments at the same moment.
    freeing = _service(provider, "Bench: two places freed at once", 2)
    enrolled_people = people[attempts : attempts + 2]
    ended = []
    for person in enrolled_people:
        ended.append(
            capacity.enrolment_create(
                actor=actor,
                service=freeing,
                person=person,
                starts_on=timezone.localdate() - dt.timedelta(days=10),
            )
        )
    for person in people[attempts + 2 : attempts + 2 + waiting]:
        wait_lists.wait_list_join(actor=actor, service=freeing, person=person)

    def end(enrolment: Enrolment) -> Callable[[], None]:
        def job() -> None:
            capacity.enrolment_end(
                actor=actor,
                enrolment=enrolment,
                ends_on=timezone.localdate() - dt.timedelta(days=1),
                reason="left",
            )

        return job

    freed_timings = _run_at_once([end(e) for e in ended], concurrent)
    open_offers = list(
        Offer.objects.filter(service=freeing, status=Offer.Status.OPEN).values_list(
            "entry__identity_id", flat=True
        )
    )
    result.freed_offers = len(open_offers)
    result.freed_distinct_people = len(set(open_offers))
    p50, p95 = percentiles(freed_timings)
    result.figures.append(
        Figure(
            f"2 places freed at once → {result.freed_offers} offers to {result.freed_distinct_people} people",
            p50,
            p95,
            None,
            "exact" if result.freed_distinct_people == result.freed_offers == 2 else "WRONG",
        )
    )

    # 3. Each list replayed from the audit alone equals the live one.
    started = time.perf_counter()
    result.replay_equal = all(
        wait_lists.wait_list_replay(service) == wait_lists.wait_list_live(service)
        for service in (accepting, freeing)
    )
    replay_ms = (time.perf_counter() - started) * 1000
    result.figures.append(
        Figure(
            "wait lists replayed from the audit",
            replay_ms,
            replay_ms,
            None,
            "equal" if result.replay_equal else "DIFFERENT",
        )
    )

    mode = (
        "threads with their own connections, at once"
        if concurrent
        else "one after another (SQLite has one writer)"
    )
    writer.write(f"Wait lists: {attempts} accepts for {places} places, {mode}.")
    if table:
        for line in report_table(result.figures):
            writer.write(line)
    if result.other_errors:
        writer.write(f"Unexpected refusals: {sorted(set(result.other_errors))}")
    writer.write(f"Wait lists: {'all checks held' if result.passed else 'A CHECK FAILED'}.")
    return result
