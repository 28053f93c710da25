"""Sessions: their minutes counted once (debited from the year's hours and recorded as a
delivery of the service's project), ending twice refused, a dropped party rejoining within
the grace period, the video room admitting the two parties only; entitlements and callback
messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from qoldau.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from qoldau.interpreting import services
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import (
    CallbackMessage,
    CallStatus,
    Entitlement,
    InterpreterState,
    LedgerEntry,
    Offer,
    OfferOutcome,
    Session,
)
from qoldau.interpreting.tests import factories
from qoldau.projects.models import ServiceDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def t0() -> dt.datetime:
    # Midday, so that a session's minutes stay within one local day.
    return timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)


def _session(s, citizen, at, interpreter=None) -> Session:
    interpreter = interpreter or s.interpreters[-1]
    factories.available(interpreter, at=at)
    call = services.call_create(actor=citizen, place="ХҚКО", purpose="public_service", at=at)
    offer = Offer.objects.get(call=call, outcome=OfferOutcome.PENDING)
    return services.offer_accept(actor=offer.interpreter.user, offer_id=offer.pk, at=at)


def test_ending_counts_the_minutes_once_debits_them_and_records_a_delivery(t0):
    s = factories.scene(interpreters=1)
    citizen, person = factories.deaf_citizen(s)
    session = _session(s, citizen, t0)
    ended = services.session_end(
        actor=citizen, session_id=session.pk, at=t0 + dt.timedelta(minutes=12, seconds=1)
    )
    assert ended.minutes == 13  # a begun minute counts
    assert services.balance_minutes(factories.entitlement(person), t0.year) == 60 * 60 - 13
    delivery = ServiceDelivery.objects.get(pk=ended.delivery_id)
    assert delivery.project == s.service.project
    assert delivery.person == person
    assert delivery.service.code == "sign_language_interpreting"
    assert delivery.quantity == Decimal(13)
    interpreter = s.interpreters[0]
    interpreter.refresh_from_db()
    assert interpreter.state == InterpreterState.WRAP_UP
    # Ending it again, by either party, is refused and counts nothing more.
    for who in (citizen, interpreter.user):
        with pytest.raises(Conflict) as refused:
            services.session_end(actor=who, session_id=session.pk, at=t0 + dt.timedelta(minutes=30))
        assert refused.value.code == InterpretingErrorCode.SESSION_ENDED
    assert LedgerEntry.objects.filter(kind="debit").count() == 1
    delivery.refresh_from_db()
    assert delivery.quantity == Decimal(13)
    # From wrap-up the interpreter makes themselves available, idle from then.
    later = t0 + dt.timedelta(minutes=15)
    services.interpreter_set_state(actor=interpreter.user, state="available", at=later)
    interpreter.refresh_from_db()
    assert interpreter.state == InterpreterState.AVAILABLE
    assert interpreter.idle_since == later


def test_two_sessions_of_a_day_add_up_in_one_delivery(t0):
    s = factories.scene(interpreters=1)
    citizen, person = factories.deaf_citizen(s)
    first = _session(s, citizen, t0)
    services.session_end(actor=citizen, session_id=first.pk, at=t0 + dt.timedelta(minutes=5))
    second = _session(s, citizen, t0 + dt.timedelta(minutes=30))
    services.session_end(actor=citizen, session_id=second.pk, at=t0 + dt.timedelta(minutes=37))
    delivery = ServiceDelivery.objects.get(person=person)
    assert delivery.quantity == Decimal(12)
    assert services.balance_minutes(factories.entitlement(person), t0.year) == 3600 - 12


def test_nobody_else_ends_a_session(t0):
    s = factories.scene(interpreters=2)
    citizen, _ = factories.deaf_citizen(s)
    stranger, _ = factories.deaf_citizen(s)
    session = _session(s, citizen, t0)
    other = factories.scene(interpreters=1)
    for outsider in (
        stranger,
        s.interpreters[0].user if not s.interpreters[0].is_dispatcher else s.staff,
        other.dispatcher,
    ):
        with pytest.raises(NotFound):
            services.session_end(actor=outsider, session_id=session.pk)
    # The service's dispatcher may end it (a party who left without ending it).
    services.session_end(actor=s.dispatcher, session_id=session.pk, at=t0 + dt.timedelta(minutes=2))


def test_a_dropped_party_rejoins_within_the_grace_period_and_the_minutes_count_once(t0, settings):
    settings.QOLDAU_INTERPRETING_GRACE_SECONDS = 120
    s = factories.scene(interpreters=1)
    citizen, _person = factories.deaf_citizen(s)
    session = _session(s, citizen, t0)
    services.session_left(actor=citizen, session_id=session.pk, at=t0 + dt.timedelta(minutes=5))
    services.session_rejoin(actor=citizen, session_id=session.pk, at=t0 + dt.timedelta(minutes=6))
    session.refresh_from_db()
    assert session.person_left_at is None
    assert session.ended_at is None
    # The tick after the grace period finds nothing to close: they came back.
    assert services.sessions_close_abandoned(at=t0 + dt.timedelta(minutes=10)) == 0
    ended = services.session_end(actor=citizen, session_id=session.pk, at=t0 + dt.timedelta(minutes=20))
    assert ended.minutes == 20
    assert LedgerEntry.objects.get(kind="debit").minutes == 20
    assert Session.objects.count() == 1


def test_after_the_grace_period_the_session_ended_when_the_party_dropped(t0, settings):
    settings.QOLDAU_INTERPRETING_GRACE_SECONDS = 120
    s = factories.scene(interpreters=1)
    citizen, person = factories.deaf_citizen(s)
    session = _session(s, citizen, t0)
    services.session_left(
        actor=s.interpreters[0].user, session_id=session.pk, at=t0 + dt.timedelta(minutes=7)
    )
    with pytest.raises(Conflict) as refused:
        services.session_rejoin(
            actor=s.interpreters[0].user, session_id=session.pk, at=t0 + dt.timedelta(minutes=10)
        )
    assert refused.value.code == InterpretingErrorCode.GRACE_OVER
    session.refresh_from_db()
    assert session.ended_at == t0 + dt.timedelta(minutes=7)
    assert session.minutes == 7
    assert services.balance_minutes(factories.entitlement(person), t0.year) == 3600 - 7
    with pytest.raises(Conflict):
        services.session_end(actor=citizen, session_id=session.pk)


def test_the_tick_closes_sessions_left_beyond_the_grace_period(t0, settings):
    settings.QOLDAU_INTERPRETING_GRACE_SECONDS = 60
    s = factories.scene(interpreters=1)
    citizen, _ = factories.deaf_citizen(s)
    session = _session(s, citizen, t0)
    services.session_left(actor=citizen, session_id=session.pk, at=t0 + dt.timedelta(minutes=3))
    assert services.sessions_close_abandoned(at=t0 + dt.timedelta(minutes=3, seconds=30)) == 0
    assert services.sessions_close_abandoned(at=t0 + dt.timedelta(minutes=4, seconds=1)) == 1
    session.refresh_from_db()
    assert session.minutes == 3
    assert services.sessions_close_abandoned(at=t0 + dt.timedelta(minutes=9)) == 0


def test_the_video_room_admits_the_sessions_two_parties_only_while_it_is_open(t0):
    s = factories.scene(interpreters=2)
    citizen, _ = factories.deaf_citizen(s)
    stranger, _ = factories.deaf_citizen(s)
    session = _session(s, citizen, timezone.now())
    room = str(session.pk)
    interpreter = session.interpreter
    assert services.room_participant(user=interpreter.user, room_id=room) == (
        interpreter.display_name,
        "interpreter",
    )
    assert services.room_participant(user=citizen, room_id=room)[1] == "person"
    other_interpreter = next(i for i in s.interpreters if i != interpreter)
    for outsider in (stranger, other_interpreter.user, s.staff, s.admin):
        assert services.room_participant(user=outsider, room_id=room) is None
    assert services.room_participant(user=citizen, room_id="x1") is None
    assert services.room_participant(user=citizen, room_id=str(session.pk + 1000)) is None
    # The room's hooks: a leave starts the grace period, a join ends it.
    services.room_left(user=citizen, room_id=room)
    session.refresh_from_db()
    assert session.person_left_at is not None
    services.room_joined(user=citizen, room_id=room)
    session.refresh_from_db()
    assert session.person_left_at is None
    services.session_end(actor=citizen, session_id=session.pk)
    assert services.room_participant(user=citizen, room_id=room) is None
    assert services.room_participant(user=interpreter.user, room_id=room) is None


def test_a_new_year_starts_with_the_full_hours(t0):
    s = factories.scene(interpreters=1)
    citizen, person = factories.deaf_citizen(s, hours=2)
    december = t0.replace(year=t0.year - 1, month=12, day=30)
    session = _session(s, citizen, december)
    services.session_end(actor=citizen, session_id=session.pk, at=december + dt.timedelta(minutes=90))
    entitlement = factories.entitlement(person)
    assert services.balance_minutes(entitlement, december.year) == 30
    assert services.balance_minutes(entitlement, december.year + 1) == 120


def test_the_entitlement_is_confirmed_once_by_the_services_staff(settings):
    settings.QOLDAU_INTERPRETING_HOURS_PER_YEAR = 45
    s = factories.scene(interpreters=1)
    citizen, person = factories.unentitled_citizen(s)
    other = factories.scene(interpreters=0)
    for outsider in (citizen, other.staff):
        with pytest.raises(NotFound):
            services.entitlement_confirm(actor=outsider, service=s.service, person_id=person.pk)
    with pytest.raises(ApplicationError) as refused:
        services.entitlement_confirm(actor=s.staff, service=s.service, person_id=person.pk, hours_per_year=0)
    assert refused.value.field == "hours_per_year"
    # A person of another organisation is not theirs to confirm.
    _c, stranger = factories.unentitled_citizen(other)
    with pytest.raises(NotFound):
        services.entitlement_confirm(actor=s.staff, service=s.service, person_id=stranger.pk)
    assert not Entitlement.objects.exists()
    entitlement = services.entitlement_confirm(actor=s.staff, service=s.service, person_id=person.pk)
    assert entitlement.hours_per_year == 45
    with pytest.raises(Conflict) as refused:
        services.entitlement_confirm(actor=s.staff, service=s.service, person_id=person.pk, hours_per_year=80)
    assert refused.value.code == InterpretingErrorCode.ENTITLEMENT_CONFIRMED
    assert Entitlement.objects.get().hours_per_year == 45


def test_a_message_left_when_nobody_is_free_closes_the_call_as_missed(t0):
    s = factories.scene(interpreters=1)
    citizen, person = factories.deaf_citizen(s)
    call = services.call_create(actor=citizen, place="Әуежай", purpose="other", at=t0)
    assert call.status == CallStatus.WAITING
    with pytest.raises(ApplicationError):
        services.callback_leave(actor=citizen, text="   ", call_id=call.pk)
    message = services.callback_leave(actor=citizen, text="Маған хабарласыңыз", call_id=call.pk, at=t0)
    call.refresh_from_db()
    assert call.status == CallStatus.MISSED
    assert message.call == call
    assert message.person == person
    for outsider in (citizen, s.staff):
        with pytest.raises(NotFound):
            services.callback_done(actor=outsider, callback_id=message.pk)
    services.callback_done(actor=s.dispatcher, callback_id=message.pk)
    with pytest.raises(Conflict):
        services.callback_done(actor=s.dispatcher, callback_id=message.pk)
    unentitled, _ = factories.unentitled_citizen(s)
    with pytest.raises(PermissionDenied):
        services.callback_leave(actor=unentitled, text="Сәлем")
    assert CallbackMessage.objects.count() == 1
