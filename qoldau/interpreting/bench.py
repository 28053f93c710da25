"""`qoldau bench interpreting` (issue 16): a working day compressed in time, run through the
real dispatch code (`interpreting.services` with each step's moment given as `at`).

Callers arrive at random (a Poisson process) from 09:00 to 18:00 against a team of
interpreters (4, the demo service's). Each offer is taken after a few seconds, or, now and
then, passed on or left to lapse (the interpreter is then away for a minute); sessions last
a realistic time (at least two minutes, eight on average, a long tail); after each session
the interpreter wraps up for half a minute and makes themselves available again. During the
day people and staff book interpreters ahead, many of them over one another on purpose.

At the end: the share of calls answered within 120 s (the FCC's rule: 80 %), the p95 wait,
the double bookings the database holds (pairs of bookings of one interpreter that overlap:
must be 0), and the calls lost (neither answered nor closed, or a session with no debit:
must be 0).

The data is benchmark data under an organisation of its own (named `BENCH_NAME`), written
straight into the tables where no service makes it (citizens' accounts and records); every
step of the day is a service. `bench_remove` deletes it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from qoldau.core.errors import ApplicationError
from qoldau.core.models import (
    CitizenAccount,
    CitizenRecord,
    Consent,
    Identity,
    Organisation,
    Person,
    Place,
    RoleAssignment,
)
from qoldau.interpreting import services
from qoldau.interpreting.models import (
    Booking,
    BookingStatus,
    Call,
    CallbackMessage,
    CallStatus,
    Entitlement,
    Interpreter,
    InterpreterState,
    InterpretingService,
    LedgerEntry,
    LedgerKind,
    Offer,
    OfferOutcome,
    Purpose,
    Session,
)
from qoldau.interpreting.selectors import ANSWER_TARGET_SECONDS, percentile
from qoldau.projects.models import Project

BENCH_NAME = "Interpreting benchmark (generated)"
USER_PREFIX = "bench.interp."
TZ = ZoneInfo("Asia/Almaty")


@dataclass
class DayResult:
    calls: int
    answered_in_time_percent: float
    p95_wait_seconds: int
    double_bookings: int
    lost: int
    bookings_made: int
    bookings_refused: int
    extra: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"interpreting: answered within {ANSWER_TARGET_SECONDS} s {self.answered_in_time_percent:.0f} %, "
            f"p95 wait {self.p95_wait_seconds} s, double bookings {self.double_bookings}, lost {self.lost}"
        )


def bench_remove() -> None:
    """Delete every benchmark service and what it made."""
    for service in InterpretingService.objects.filter(organisation__name_en=BENCH_NAME):
        with transaction.atomic(durable=True):
            people = Person.objects.filter(organisation=service.organisation)
            LedgerEntry.objects.filter(entitlement__service=service).delete()
            CallbackMessage.objects.filter(service=service).delete()
            Session.objects.filter(interpreter__service=service).delete()
            Offer.objects.filter(call__service=service).delete()
            Call.objects.filter(service=service).delete()
            Booking.objects.filter(service=service).delete()
            Entitlement.objects.filter(service=service).delete()
            Interpreter.objects.filter(service=service).delete()
            project = service.project
            organisation = service.organisation
            service.delete()
            project.deliveries.all().delete()
            CitizenRecord.objects.filter(person__in=people).delete()
            people.delete()
            project.delete()
            RoleAssignment.objects.filter(organisation=organisation).delete()
            organisation.delete()
    User.objects.filter(username__startswith=USER_PREFIX).delete()


def _setup(
    *, interpreters: int, callers: int, run: int
) -> tuple[InterpretingService, list[User], list[User], User]:
    from qoldau.core import services as core_services
    from qoldau.core.identifiers import make_bin
    from qoldau.projects import services as projects_services

    almaty = Place.objects.get(kato="750000000", level=Place.Level.REGION)
    with transaction.atomic(durable=True):
        organisation = core_services.organisation_create_in_transaction(
            actor=None,
            bin=next(b for k in range(10) if (b := make_bin(2016, 1, 5000 + (run * 10 + k) % 4000))),
            kind=Organisation.Kind.PUBLIC_ASSOCIATION,
            name_kk=BENCH_NAME,
            name_en=BENCH_NAME,
            region_id=almaty.pk,
        )
        admin = User.objects.create_user(f"{USER_PREFIX}{run}.admin")
        core_services.role_assign_in_transaction(
            actor=None, user=admin, role="ngo_admin", organisation=organisation
        )
        project: Project = projects_services.project_create_in_transaction(
            actor=admin,
            organisation=organisation,
            data=projects_services.ProjectInput(
                title_kk=BENCH_NAME,
                starts_on=dt.date(2016, 1, 1),
                ends_on=dt.date(2035, 12, 31),
                funding_source="state_grant",
                region_ids=[almaty.pk],
            ),
        )
        service = InterpretingService.objects.create(organisation=organisation, project=project)
        team = []
        for i in range(interpreters):
            user = User.objects.create_user(f"{USER_PREFIX}{run}.interpreter{i}")
            core_services.role_assign_in_transaction(
                actor=None, user=user, role="interpreter", organisation=organisation
            )
            services.interpreter_add_in_transaction(
                actor=admin, service=service, user_id=user.pk, display_name=f"Interpreter {i}"
            )
            team.append(user)
        # The callers: citizens' accounts, their records with consent, their hours.
        users = User.objects.bulk_create(
            [User(username=f"{USER_PREFIX}{run}.caller{i}") for i in range(callers)]
        )
        accounts = CitizenAccount.objects.bulk_create(
            [CitizenAccount(user=u, phone_hash=f"bench-{run}-{u.pk}") for u in users]
        )
        identities = Identity.objects.bulk_create([Identity() for _ in users])
        people = Person.objects.bulk_create(
            [
                Person(
                    organisation=organisation,
                    identity=identity,
                    no_iin_reason=Person.NoIinReason.OTHER,
                    last_name="Bench",
                    first_name=f"Caller {n}",
                    region=almaty,
                )
                for n, identity in enumerate(identities)
            ]
        )
        today = timezone.localdate()
        Consent.objects.bulk_create(
            [Consent(person=p, organisation=organisation, given_on=today) for p in people]
        )
        CitizenRecord.objects.bulk_create(
            [CitizenRecord(account=a, person=p) for a, p in zip(accounts, people, strict=True)]
        )
        Entitlement.objects.bulk_create(
            [Entitlement(service=service, person=p, hours_per_year=60, confirmed_on=today) for p in people]
        )
    return service, team, users, admin


def bench_day(
    *,
    interpreters: int = 4,
    calls: int = 90,
    bookings: int = 60,
    day: dt.date | None = None,
    seed: int = 16,
    out: Callable[[str], Any] = print,
) -> DayResult:
    """Run one compressed day and measure it."""
    rng = random.Random(seed)
    run = Interpreter.objects.count() + User.objects.filter(username__startswith=USER_PREFIX).count()
    service, team, callers, admin = _setup(interpreters=interpreters, callers=calls, run=run)
    day = day or (timezone.localdate() + dt.timedelta(days=2))
    opens = dt.datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
    closes = opens + dt.timedelta(hours=9)
    counter = itertools.count()
    events: list[tuple[dt.datetime, int, str, Any]] = []

    def at(moment: dt.datetime, kind: str, payload: Any = None) -> None:
        heapq.heappush(events, (moment, next(counter), kind, payload))

    for user in team:
        at(opens, "available", user)
    moment = opens
    for caller in callers:
        moment += dt.timedelta(seconds=rng.expovariate(calls / (closes - opens).total_seconds()))
        at(min(moment, closes), "call", caller)
    # Bookings ahead for the next day, made during the morning, often over one another.
    tomorrow = opens + dt.timedelta(days=1)
    for i in range(bookings):
        start = tomorrow + dt.timedelta(minutes=30 * rng.randrange(16))
        at(
            opens + dt.timedelta(minutes=i),
            "book",
            (start, start + dt.timedelta(minutes=30 + 30 * rng.randrange(3))),
        )
    seen_offers: set[int] = set()
    booked = refused = 0
    team_by_id = {i.user_id: i for i in Interpreter.objects.filter(service=service)}

    def schedule_offers(now: dt.datetime) -> None:
        for offer in Offer.objects.filter(call__service=service, outcome=OfferOutcome.PENDING).exclude(
            pk__in=seen_offers
        ):
            seen_offers.add(offer.pk)
            roll = rng.random()
            if roll < 0.03:
                at(offer.expires_at, "lapse", offer.interpreter.user)
            elif roll < 0.06:
                at(now + dt.timedelta(seconds=3), "decline", (offer.interpreter.user, offer.pk))
            else:
                at(
                    now + dt.timedelta(seconds=rng.uniform(2, 10)),
                    "accept",
                    (offer.interpreter.user, offer.pk),
                )

    while events:
        now, _n, kind, payload = heapq.heappop(events)
        try:
            if kind == "available":
                interpreter = team_by_id[payload.pk]
                interpreter.refresh_from_db()
                if interpreter.state in (InterpreterState.AWAY, InterpreterState.WRAP_UP):
                    services.interpreter_set_state(actor=payload, state="available", at=now)
            elif kind == "call":
                services.call_create(actor=payload, place="Bench", purpose=Purpose.MEDICAL, at=now)
            elif kind == "accept":
                user, offer_id = payload
                session = services.offer_accept(actor=user, offer_id=offer_id, at=now)
                length = dt.timedelta(minutes=2 + rng.expovariate(1 / 6))
                at(now + length, "end", (user, session.pk))
            elif kind == "decline":
                user, offer_id = payload
                services.offer_decline(actor=user, offer_id=offer_id, at=now)
            elif kind == "lapse":
                services.offers_lapse(at=now)
                at(now + dt.timedelta(minutes=1), "available", payload)
            elif kind == "end":
                user, session_id = payload
                services.session_end(actor=user, session_id=session_id, at=now)
                at(now + dt.timedelta(seconds=30), "available", user)
            elif kind == "book":
                start, end = payload
                try:
                    services.booking_create(
                        actor=admin,
                        person_id=Person.objects.filter(organisation=service.organisation)
                        .order_by("pk")
                        .values_list("pk", flat=True)[rng.randrange(len(callers))],
                        starts_at=start,
                        ends_at=end,
                        place="Bench",
                        purpose=Purpose.LEGAL,
                        at=now,
                    )
                    booked += 1
                except ApplicationError:
                    refused += 1
        except ApplicationError as error:
            out(f"  {now:%H:%M:%S} {kind}: {error.render()}")
        schedule_offers(now)
        if not events:
            # Offers still pending at the end lapse, and their calls go on to the next.
            services.offers_lapse(at=now + dt.timedelta(minutes=1))
            schedule_offers(now + dt.timedelta(minutes=1))
    return _measure(service, booked, refused)


def _measure(service: InterpretingService, booked: int, refused: int) -> DayResult:
    calls = Call.objects.filter(service=service, booking__isnull=True)
    waits = [
        (answered - created).total_seconds()
        for created, answered in calls.filter(answered_at__isnull=False).values_list(
            "created_at", "answered_at"
        )
        if answered is not None
    ]
    total = calls.count()
    in_time = sum(1 for w in waits if w <= ANSWER_TARGET_SECONDS)
    overlapping = (
        Booking.objects.filter(service=service, status=BookingStatus.BOOKED)
        .annotate(
            overlaps=Count(
                "interpreter__bookings",
                filter=Q(
                    interpreter__bookings__status=BookingStatus.BOOKED,
                    interpreter__bookings__starts_at__lt=F("ends_at"),
                    interpreter__bookings__ends_at__gt=F("starts_at"),
                )
                & ~Q(interpreter__bookings__pk=F("pk")),
            )
        )
        .filter(overlaps__gt=0)
        .count()
    )
    unfinished = calls.filter(answered_at__isnull=True, closed_at__isnull=True).exclude(
        status__in=(CallStatus.MISSED, CallStatus.CANCELLED)
    )
    open_sessions = Session.objects.filter(interpreter__service=service, ended_at__isnull=True)
    undebited = Session.objects.filter(interpreter__service=service, ended_at__isnull=False).exclude(
        debit__kind=LedgerKind.DEBIT
    )
    return DayResult(
        calls=total,
        answered_in_time_percent=100 * in_time / total if total else 0.0,
        p95_wait_seconds=percentile(waits, 0.95) or 0,
        double_bookings=overlapping // 2,
        lost=unfinished.count() + open_sessions.count() + undebited.count(),
        bookings_made=booked,
        bookings_refused=refused,
        extra={"answered": len(waits)},
    )
