"""Presses at the same moment, from many processes' worth of connections: 100 "accept"
presses on one call make exactly one session, and bookings of one interpreter at one time
made at once leave exactly one. Each thread has its own database connection; PostgreSQL
serialises them on the service's row lock (and would refuse a second session or an
overlapping booking by its constraints), SQLite on its write lock (IMMEDIATE transactions).

On SQLite the test database is in memory with a shared cache, where a second writer is told
"database table is locked" at once instead of waiting out the busy timeout; the thread then
tries again, which is what the timeout does (the failed attempt rolled back)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from django.apps import apps as django_apps
from django.db import OperationalError, connection
from django.utils import timezone

from qoldau.core.errors import ApplicationError
from qoldau.core.models import AuditEntry
from qoldau.interpreting import services
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import Booking, Call, CallStatus, Offer, OfferOutcome, Session
from qoldau.interpreting.tests import factories

pytestmark = pytest.mark.usefixtures("reference_data", "interpreting_service_type")

THREADS = 50  # each presses twice: 100 presses, within PostgreSQL's 100 connections
PRESSES = 2


@pytest.fixture
def interpreting_service_type(reference_data: None) -> None:
    # The flush after a transactional test empties the catalogue; load the app's entry again.
    from importlib import import_module

    import_module("qoldau.interpreting.migrations.0002_sqlite_no_double_booking").add_service(
        django_apps, None
    )


def _retrying(action: Callable[[], object]) -> object:
    for _attempt in range(4000):
        try:
            return action()
        except OperationalError as error:
            if not (connection.vendor == "sqlite" and "locked" in str(error)):
                raise
            time.sleep(0.005)
    raise AssertionError("the write lock was never free")


def _race(count: int, press: Callable[[int], str]) -> list[str]:
    start = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        results = []
        try:
            start.wait(timeout=60)
            for p in range(PRESSES):
                try:
                    results.append(press(i * PRESSES + p))
                except ApplicationError as error:
                    results.append(str(error.code))
        except Exception as error:  # reported by the assertions, never swallowed
            results.append(f"error: {error!r}")
        finally:
            connection.close()
        with lock:
            outcomes.extend(results)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a_hundred_accepts_on_one_call_make_exactly_one_session():
    s = factories.scene(interpreters=1)
    interpreter = s.interpreters[0]
    citizen, _person = factories.deaf_citizen(s)
    factories.available(interpreter)
    call = services.call_create(actor=citizen, place="Емхана", purpose="medical")
    offer = Offer.objects.get(call=call, outcome=OfferOutcome.PENDING)
    user = interpreter.user

    def press(_n: int) -> str:
        _retrying(lambda: services.offer_accept(actor=user, offer_id=offer.pk))
        return "session"

    outcomes = _race(THREADS, press)
    assert len(outcomes) == THREADS * PRESSES
    assert outcomes.count("session") == 1, sorted(set(outcomes))
    assert sorted(set(outcomes) - {"session"}) == [InterpretingErrorCode.OFFER_GONE]
    assert Session.objects.count() == 1
    assert Call.objects.get().status == CallStatus.CONNECTED
    assert AuditEntry.objects.filter(action="interpreting.offer_accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_bookings_of_one_interpreter_at_one_time_made_at_once_leave_exactly_one():
    s = factories.scene(interpreters=1)
    interpreter = s.interpreters[0]
    people = [factories.deaf_citizen(s)[1] for _ in range(4)]
    start = timezone.now() + dt.timedelta(days=1)

    def press(n: int) -> str:
        _retrying(
            lambda: services.booking_create(
                actor=s.staff,
                person_id=people[n % len(people)].pk,
                interpreter_id=interpreter.pk,
                starts_at=start + dt.timedelta(minutes=n % 7),
                ends_at=start + dt.timedelta(minutes=60 + n % 7),
                place="Сот",
                purpose="legal",
            )
        )
        return "booked"

    outcomes = _race(10, press)
    assert outcomes.count("booked") == 1, outcomes
    assert sorted(set(outcomes) - {"booked"}) == [InterpretingErrorCode.DOUBLE_BOOKING]
    assert Booking.objects.count() == 1
