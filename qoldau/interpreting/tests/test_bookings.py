"""Bookings ahead: in the future, not too long, never over another booking of the same
interpreter (refused by the service with a clear message, and by the database behind it),
the session opening at its time, and reminders sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from qoldau.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from qoldau.core.models import Notification
from qoldau.interpreting import services
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import Booking, BookingStatus, InterpreterState, Session
from qoldau.interpreting.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def t0() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


def _book(s, person, start, *, minutes=60, interpreter=None, actor=None, at=None):
    return services.booking_create(
        actor=actor or s.staff,
        person_id=person.pk,
        interpreter_id=interpreter.pk if interpreter else None,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        place="Нотариус, Абай даңғылы 10",
        purpose="legal",
        at=at,
    )


def test_a_booking_in_the_past_or_too_long_or_backwards_is_refused(t0):
    s = factories.scene()
    _c, person = factories.deaf_citizen(s)
    with pytest.raises(ValidationFailed) as refused:
        _book(s, person, t0 - dt.timedelta(minutes=1), at=t0)
    assert refused.value.code == InterpretingErrorCode.BOOKING_IN_PAST
    with pytest.raises(ValidationFailed) as refused:
        _book(s, person, t0 + dt.timedelta(days=1), minutes=9 * 60, at=t0)
    assert refused.value.code == InterpretingErrorCode.BOOKING_TOO_LONG
    with pytest.raises(ValidationFailed) as refused:
        _book(s, person, t0 + dt.timedelta(days=1), minutes=-30, at=t0)
    assert refused.value.field == "ends_at"
    assert not Booking.objects.exists()


def test_a_booking_over_another_of_the_same_interpreter_is_refused(t0):
    s = factories.scene(interpreters=2)
    a, b = s.interpreters
    _c1, p1 = factories.deaf_citizen(s)
    _c2, p2 = factories.deaf_citizen(s)
    start = t0 + dt.timedelta(days=1)
    first = _book(s, p1, start, interpreter=a, at=t0)
    with pytest.raises(Conflict) as refused:
        _book(s, p2, start + dt.timedelta(minutes=30), interpreter=a, at=t0)
    assert refused.value.code == InterpretingErrorCode.DOUBLE_BOOKING
    with translation.override("en"):
        assert "booked at that time" in refused.value.render()
    # Back to back is no overlap; the service picks a free interpreter when none is chosen.
    assert _book(s, p2, start + dt.timedelta(minutes=60), interpreter=a, at=t0).interpreter == a
    assert _book(s, p2, start + dt.timedelta(minutes=10), at=t0).interpreter == b
    with pytest.raises(Conflict) as refused:
        _book(s, p1, start + dt.timedelta(minutes=20), minutes=5, at=t0)
    assert refused.value.code == InterpretingErrorCode.NO_INTERPRETER_FREE
    assert Booking.objects.count() == 3
    # A cancelled booking frees its time.
    services.booking_cancel(actor=s.staff, booking_id=first.pk)
    assert _book(s, p1, start, minutes=30, interpreter=a, at=t0).status == BookingStatus.BOOKED


def test_the_database_refuses_a_double_booking_the_code_did_not_check(t0):
    s = factories.scene(interpreters=1)
    a = s.interpreters[0]
    _c, person = factories.deaf_citizen(s)
    start = t0 + dt.timedelta(days=2)
    booking = _book(s, person, start, interpreter=a, at=t0)
    fields = {
        "service": s.service,
        "person": person,
        "interpreter": a,
        "place": "x",
        "purpose": "legal",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            starts_at=start + dt.timedelta(minutes=59, seconds=59, microseconds=1),
            ends_at=start + dt.timedelta(hours=2),
            **fields,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            starts_at=start - dt.timedelta(hours=1), ends_at=start + dt.timedelta(hours=3), **fields
        )
    # Moving another booking over it is refused too.
    other = Booking.objects.create(
        starts_at=start + dt.timedelta(hours=2), ends_at=start + dt.timedelta(hours=3), **fields
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=other.pk).update(starts_at=start + dt.timedelta(minutes=30))
    # Cancelled bookings and back-to-back ones are no overlap.
    Booking.objects.create(
        starts_at=start + dt.timedelta(hours=1), ends_at=start + dt.timedelta(hours=2), **fields
    )
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    Booking.objects.create(starts_at=start, ends_at=start + dt.timedelta(hours=1), **fields)
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 3


def test_a_citizen_books_for_themselves_and_sees_no_one_elses(t0):
    s = factories.scene(interpreters=1)
    citizen, person = factories.deaf_citizen(s)
    stranger, _ = factories.deaf_citizen(s)
    booking = services.booking_create(
        actor=citizen,
        starts_at=t0 + dt.timedelta(days=3),
        ends_at=t0 + dt.timedelta(days=3, hours=1),
        place="Емтихан",
        purpose="education",
        at=t0,
    )
    assert booking.person == person
    with pytest.raises(ApplicationError):
        services.booking_create(
            actor=citizen,
            interpreter_id=s.interpreters[0].pk,
            starts_at=t0 + dt.timedelta(days=4),
            ends_at=t0 + dt.timedelta(days=4, hours=1),
            place="Емтихан",
            purpose="education",
        )
    with pytest.raises(NotFound):
        services.booking_cancel(actor=stranger, booking_id=booking.pk)
    with pytest.raises(NotFound):
        services.booking_open(actor=stranger, booking_id=booking.pk)
    unentitled, _ = factories.unentitled_citizen(s)
    with pytest.raises(ApplicationError) as refused:
        services.booking_create(
            actor=unentitled,
            starts_at=t0 + dt.timedelta(days=3),
            ends_at=t0 + dt.timedelta(days=3, hours=1),
            place="Емтихан",
            purpose="education",
        )
    assert refused.value.code == InterpretingErrorCode.NO_ENTITLEMENT
    # Staff of another organisation book for nobody here.
    other = factories.scene(interpreters=1)
    with pytest.raises(NotFound):
        _book(other, person, t0 + dt.timedelta(days=5), actor=other.staff, at=t0)


def test_the_booked_session_opens_at_its_time_for_both_parties(t0):
    s = factories.scene(interpreters=1)
    a = s.interpreters[0]
    citizen, person = factories.deaf_citizen(s)
    start = t0 + dt.timedelta(hours=2)
    booking = _book(s, person, start, interpreter=a, at=t0)
    with pytest.raises(Conflict) as refused:
        services.booking_open(actor=citizen, booking_id=booking.pk, at=start - dt.timedelta(minutes=11))
    assert refused.value.code == InterpretingErrorCode.BOOKING_NOT_OPEN
    session = services.booking_open(actor=citizen, booking_id=booking.pk, at=start - dt.timedelta(minutes=5))
    assert session.interpreter == a
    assert session.person == person
    assert services.booking_open(actor=a.user, booking_id=booking.pk, at=start) == session
    a.refresh_from_db()
    assert a.state == InterpreterState.IN_SESSION
    with pytest.raises(Conflict):
        services.booking_cancel(actor=citizen, booking_id=booking.pk)
    services.session_end(actor=a.user, session_id=session.pk, at=start + dt.timedelta(minutes=40))
    with pytest.raises(Conflict) as refused:
        services.booking_open(actor=citizen, booking_id=booking.pk, at=start + dt.timedelta(minutes=41))
    assert refused.value.code == InterpretingErrorCode.SESSION_ENDED
    assert Session.objects.get().minutes == 45


def test_reminders_go_once_to_the_interpreter_and_the_person(t0):
    s = factories.scene(interpreters=1)
    citizen, person = factories.deaf_citizen(s)
    _book(s, person, t0 + dt.timedelta(hours=20), at=t0)
    _book(s, person, t0 + dt.timedelta(days=3), at=t0)
    assert services.bookings_remind(at=t0) == 1
    assert services.bookings_remind(at=t0) == 0
    reminded = set(
        Notification.objects.filter(kind="interpreting.booking_reminder").values_list("user", flat=True)
    )
    assert reminded == {citizen.pk, s.interpreters[0].user_id}
