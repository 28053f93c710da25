"""Reads of interpreting: a citizen's own call page (balance, queue place, expected wait), an
interpreter's desk, the dispatcher's console, and the monthly report. Each asks
`interpreting.policy` for what the user may see."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor
from qoldau.core.models import Place
from qoldau.interpreting import policy
from qoldau.interpreting.models import (
    OPEN_CALL_STATUSES,
    Booking,
    BookingStatus,
    Call,
    CallbackMessage,
    CallStatus,
    Entitlement,
    Interpreter,
    InterpreterState,
    InterpretingService,
    LedgerKind,
    Offer,
    OfferOutcome,
    Purpose,
    Session,
)
from qoldau.interpreting.services import balance_minutes

# The wait a report counts as answered in time (the US FCC rule for video relay: 80 % of
# calls answered within 120 s).
ANSWER_TARGET_SECONDS = 120
# The expected wait before enough sessions were held to tell.
DEFAULT_SESSION_MINUTES = 10


@dataclass(frozen=True)
class QueuePlace:
    position: int  # 1: next to be answered
    expected_wait_seconds: int

    @property
    def expected_wait_minutes(self) -> int:
        return -(-self.expected_wait_seconds // 60)


@dataclass(frozen=True)
class OwnPage:
    entitlement: Entitlement | None
    balance_minutes: int | None
    call: Call | None
    place: QueuePlace | None
    session: Session | None
    bookings: list[Booking]
    nobody_free: bool


def _ahead(call: Call) -> QuerySet[Call]:
    return Call.objects.filter(
        Q(priority__gt=call.priority)
        | Q(priority=call.priority, created_at__lt=call.created_at)
        | Q(priority=call.priority, created_at=call.created_at, pk__lt=call.pk),
        service_id=call.service_id,
        status__in=(CallStatus.WAITING, CallStatus.OFFERED),
    )


def typical_session_minutes(service_id: int, *, now: dt.datetime | None = None) -> float:
    """The median session of the last 30 days (the default before there are 5)."""
    since = (now or timezone.now()) - dt.timedelta(days=30)
    minutes = list(
        Session.objects.filter(
            interpreter__service_id=service_id, started_at__gte=since, minutes__isnull=False
        ).values_list("minutes", flat=True)[:500]
    )
    values = [m for m in minutes if m is not None]
    return float(statistics.median(values)) if len(values) >= 5 else float(DEFAULT_SESSION_MINUTES)


def queue_place(call: Call) -> QueuePlace | None:
    """Where a waiting call stands, and a plain estimate of its wait: the calls ahead of it,
    shared among the interpreters on duty, each taking a typical session."""
    if call.status not in (CallStatus.WAITING, CallStatus.OFFERED):
        return None
    ahead = _ahead(call).count()
    if call.status == CallStatus.OFFERED:
        return QueuePlace(position=1, expected_wait_seconds=0)
    on_duty = (
        Interpreter.objects.filter(service_id=call.service_id).exclude(state=InterpreterState.AWAY).count()
    )
    free = Interpreter.objects.filter(service_id=call.service_id, state=InterpreterState.AVAILABLE).count()
    if free > ahead:
        wait = 0
    else:
        rounds = (ahead + 1) / max(on_duty, 1)
        wait = round(rounds * typical_session_minutes(call.service_id) * 60)
    return QueuePlace(position=ahead + 1, expected_wait_seconds=wait)


def own_page(user: Actor) -> OwnPage:
    """What a citizen's call page shows: their hours left this year, their open call and its
    place in the queue, their open session, their coming bookings."""
    entitlement = policy.own_entitlement(user)
    year = timezone.localdate().year
    call = policy.calls_of_citizen(user).filter(status__in=OPEN_CALL_STATUSES).order_by("-created_at").first()
    session = (
        policy.sessions_visible(user)
        .filter(ended_at__isnull=True, person__in=core_policy.people_of_citizen(user))
        .select_related("interpreter")
        .first()
    )
    nobody_free = False
    if entitlement is not None:
        nobody_free = (
            not Interpreter.objects.filter(service_id=entitlement.service_id)
            .exclude(state=InterpreterState.AWAY)
            .exists()
        )
    return OwnPage(
        entitlement=entitlement,
        balance_minutes=balance_minutes(entitlement, year) if entitlement else None,
        call=call,
        place=queue_place(call) if call else None,
        session=session,
        bookings=list(
            policy.bookings_of_citizen(user)
            .filter(status=BookingStatus.BOOKED, ends_at__gt=timezone.now())
            .select_related("interpreter")[:20]
        ),
        nobody_free=nobody_free,
    )


def own_call(user: Actor, call_id: int) -> Call:
    call = policy.calls_of_citizen(user).filter(pk=call_id).first()
    if call is None:
        raise policy.call_not_found()
    return call


def session_for(user: Actor, session_id: int) -> Session:
    return policy.check_may_see_session(
        user,
        Session.objects.select_related("interpreter", "call").filter(pk=session_id).first(),
    )


def session_of_call(call: Call) -> Session | None:
    return Session.objects.filter(call=call).first()


# The interpreter's desk -----------------------------------------------------------------


@dataclass(frozen=True)
class Desk:
    interpreter: Interpreter
    offer: Offer | None
    session: Session | None
    bookings: list[Booking]
    sessions_today: int
    # The interpreter's bookings that start today (the start page counts them).
    bookings_today: int = 0


def desk(user: Actor) -> Desk:
    interpreter = policy.check_own_interpreter(user)
    now = timezone.now()
    offer = (
        Offer.objects.filter(interpreter=interpreter, outcome=OfferOutcome.PENDING, expires_at__gt=now)
        .select_related("call")
        .first()
    )
    return Desk(
        interpreter=interpreter,
        offer=offer,
        session=Session.objects.filter(interpreter=interpreter, ended_at__isnull=True).first(),
        bookings=list(
            interpreter.bookings.filter(status=BookingStatus.BOOKED, ends_at__gt=now).order_by("starts_at")[
                :20
            ]
        ),
        sessions_today=Session.objects.filter(
            interpreter=interpreter, started_at__gte=_today_start()
        ).count(),
        bookings_today=interpreter.bookings.filter(
            status=BookingStatus.BOOKED,
            starts_at__gte=_today_start(),
            starts_at__lt=_today_start() + dt.timedelta(days=1),
        ).count(),
    )


def desk_if_interpreter(user: Actor) -> Desk | None:
    """The user's desk when they are one of a service's interpreters; None otherwise (their
    start page asks without being refused)."""
    if policy.own_interpreter(user) is None:
        return None
    return desk(user)


def calls_waiting(user: Actor) -> list[tuple[InterpretingService, int]]:
    """Each service whose console the user sees, with how many calls wait in its queue
    (offered to an interpreter or not yet)."""
    waiting = Q(calls__status__in=(CallStatus.WAITING, CallStatus.OFFERED))
    services = services_for_console(user).annotate(waiting=Count("calls", filter=waiting, distinct=True))
    return [(service, service.waiting) for service in services.order_by("pk")]


def _today_start() -> dt.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


# The dispatcher's console -----------------------------------------------------------------


@dataclass(frozen=True)
class QueueLine:
    call: Call
    waited_seconds: int


@dataclass(frozen=True)
class Console:
    service: InterpretingService
    queue: list[QueueLine]
    needs_override: list[QueueLine]
    interpreters: list[Interpreter]
    sessions_today: list[Session]
    missed_today: list[Call]
    callbacks: list[CallbackMessage]


def services_for_console(user: Actor) -> QuerySet[InterpretingService]:
    return policy.services_dispatched(user).select_related("organisation")


def console(user: Actor, service_id: int) -> Console:
    service = policy.check_may_dispatch(user, InterpretingService.objects.filter(pk=service_id).first())
    now = timezone.now()
    calls = Call.objects.filter(service=service)
    waiting = calls.filter(status__in=(CallStatus.WAITING, CallStatus.OFFERED)).order_by(
        "-priority", "created_at"
    )
    override = calls.filter(status=CallStatus.NEEDS_OVERRIDE).order_by("created_at")
    start = _today_start()
    return Console(
        service=service,
        queue=[QueueLine(c, round((now - c.created_at).total_seconds())) for c in waiting],
        needs_override=[QueueLine(c, round((now - c.created_at).total_seconds())) for c in override],
        interpreters=list(service.interpreters.all()),
        sessions_today=list(
            Session.objects.filter(interpreter__service=service, started_at__gte=start)
            .select_related("interpreter", "call")
            .order_by("-started_at")[:200]
        ),
        missed_today=list(
            calls.filter(
                status__in=(CallStatus.MISSED, CallStatus.CANCELLED), created_at__gte=start
            ).order_by("-created_at")[:200]
        ),
        callbacks=list(CallbackMessage.objects.filter(service=service, called_back_at__isnull=True)[:100]),
    )


# Reports ----------------------------------------------------------------------------------


@dataclass
class MonthLine:
    month: int
    calls: int = 0
    answered: int = 0
    answered_in_time: int = 0
    missed: int = 0
    median_wait: int | None = None
    p95_wait: int | None = None
    minutes: int = 0

    @property
    def answered_in_time_percent(self) -> int | None:
        return round(100 * self.answered_in_time / self.calls) if self.calls else None


@dataclass
class Report:
    service: InterpretingService
    year: int
    months: list[MonthLine]
    total: MonthLine
    minutes_by_purpose: list[tuple[str, int]]
    minutes_by_region: list[tuple[str, int]]
    hours_used: int
    hours_entitled: int
    people_served: int
    extra: dict[str, int] = field(default_factory=dict)


def percentile(values: list[float], share: float) -> int | None:
    """The nearest-rank percentile (p95: share 0.95)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return round(ordered[int(rank) - 1])


def report(user: Actor, service_id: int, year: int) -> Report:
    """A year of a service by month: calls (queued ones; booked sessions are not queued),
    answered within 120 s, median and p95 wait, missed calls, minutes; minutes by purpose
    and by region; hours used against those entitled. For its dispatchers and
    administrators."""
    service = policy.check_may_dispatch(user, InterpretingService.objects.filter(pk=service_id).first())
    calls = Call.objects.filter(service=service, booking__isnull=True, created_at__year=year)
    waits: dict[int, list[float]] = {m: [] for m in range(1, 13)}
    months = {m: MonthLine(month=m) for m in range(1, 13)}
    total = MonthLine(month=0)
    all_waits: list[float] = []
    for created, answered, status in calls.values_list("created_at", "answered_at", "status"):
        month = timezone.localtime(created).month
        line = months[month]
        for target in (line, total):
            target.calls += 1
            if answered is not None:
                target.answered += 1
                if (answered - created).total_seconds() <= ANSWER_TARGET_SECONDS:
                    target.answered_in_time += 1
            elif status in (CallStatus.MISSED, CallStatus.CANCELLED):
                target.missed += 1
        if answered is not None:
            wait = (answered - created).total_seconds()
            waits[month].append(wait)
            all_waits.append(wait)
    sessions = Session.objects.filter(
        interpreter__service=service, started_at__year=year, minutes__isnull=False
    )
    for started, minutes in sessions.values_list("started_at", "minutes"):
        months[timezone.localtime(started).month].minutes += minutes or 0
        total.minutes += minutes or 0
    for month, values in waits.items():
        months[month].median_wait = round(statistics.median(values)) if values else None
        months[month].p95_wait = percentile(values, 0.95)
    total.median_wait = round(statistics.median(all_waits)) if all_waits else None
    total.p95_wait = percentile(all_waits, 0.95)
    purposes = dict(Purpose.choices)
    by_purpose = [
        (str(purposes.get(row["call__purpose"], row["call__purpose"])), row["total"] or 0)
        for row in sessions.values("call__purpose").annotate(total=Sum("minutes")).order_by("-total")
    ]
    regions = {place.pk: place.name for place in Place.objects.filter(level=Place.Level.REGION)}
    by_region = [
        (regions.get(row["person__region_id"], "—"), row["total"] or 0)
        for row in sessions.values("person__region_id").annotate(total=Sum("minutes")).order_by("-total")
    ]
    used = (
        service.entitlements.filter(ledger__kind=LedgerKind.DEBIT, ledger__year=year).aggregate(
            total=Sum("ledger__minutes")
        )["total"]
        or 0
    )
    entitled = service.entitlements.aggregate(total=Sum("hours_per_year"))["total"] or 0
    return Report(
        service=service,
        year=year,
        months=[months[m] for m in range(1, 13)],
        total=total,
        minutes_by_purpose=by_purpose,
        minutes_by_region=by_region,
        hours_used=round(used / 60),
        hours_entitled=entitled,
        people_served=sessions.aggregate(n=Count("person", distinct=True))["n"] or 0,
    )


def offer_seconds() -> int:
    return int(settings.QOLDAU_INTERPRETING_OFFER_SECONDS)


def rejoin_window_minutes() -> int:
    """How long a party whose connection dropped can surely come back to the same session,
    in whole minutes (rounded down, so the page never promises more). The two grace periods
    follow one another: core's call room keeps the dropped party's place for
    `QOLDAU_CALL_GRACE_SECONDS` (coming back then resumes the call; the session hears
    nothing); only when that runs out does the room tell the session the party left, and the
    session then waits `QOLDAU_INTERPRETING_GRACE_SECONDS` more before it is over."""
    seconds = float(settings.QOLDAU_CALL_GRACE_SECONDS) + int(settings.QOLDAU_INTERPRETING_GRACE_SECONDS)
    return max(1, int(seconds // 60))


def anyone_on_duty() -> bool:
    """Whether any service has an interpreter on duty now (the bot says so beside its link)."""
    return Interpreter.objects.exclude(state=InterpreterState.AWAY).exists()
