"""Calls and their dispatch: who may call, the order calls are served in, the interpreter
idle longest, offers that lapse or are declined, accepting, overrides on a zero balance and
a flood of calls from one account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qoldau.core.errors import ApplicationError, NotFound, PermissionDenied, RateLimited
from qoldau.core.models import AuditEntry
from qoldau.core.tests import factories as core_factories
from qoldau.interpreting import services
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import (
    Call,
    CallStatus,
    InterpreterState,
    LedgerEntry,
    Offer,
    OfferOutcome,
    Session,
)
from qoldau.interpreting.tests import factories

pytestmark = pytest.mark.django_db


def _call(citizen, at, *, purpose="medical", emergency=False) -> Call:
    return services.call_create(actor=citizen, place="№5 емхана", purpose=purpose, emergency=emergency, at=at)


def _pending(call: Call) -> Offer:
    return Offer.objects.get(call=call, outcome=OfferOutcome.PENDING)


@pytest.fixture
def t0() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


def test_a_citizen_without_an_entitlement_is_refused_and_nothing_is_queued(t0):
    s = factories.scene()
    citizen, _person = factories.unentitled_citizen(s)
    with pytest.raises(PermissionDenied) as refused:
        _call(citizen, t0)
    assert refused.value.code == InterpretingErrorCode.NO_ENTITLEMENT
    assert "ИПАР" in refused.value.render()
    # Staff and interpreters are not callers either.
    with pytest.raises(PermissionDenied):
        _call(s.staff, t0)
    assert not Call.objects.exists()


def test_an_entitlement_past_its_end_is_refused(t0):
    s = factories.scene()
    citizen, _person = factories.deaf_citizen(s, valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied) as refused:
        _call(citizen, t0)
    assert refused.value.code == InterpretingErrorCode.ENTITLEMENT_EXPIRED
    assert not Call.objects.exists()


def test_the_call_is_offered_to_the_interpreter_idle_longest(t0):
    s = factories.scene(interpreters=3)
    first, second, third = s.interpreters
    factories.available(second, at=t0 - dt.timedelta(minutes=9))
    factories.available(first, at=t0 - dt.timedelta(minutes=5))
    factories.available(third, at=t0 - dt.timedelta(minutes=1))
    citizen, _ = factories.deaf_citizen(s)
    call = _call(citizen, t0)
    assert call.status == CallStatus.OFFERED
    offer = _pending(call)
    assert offer.interpreter == second
    assert offer.expires_at == t0 + dt.timedelta(seconds=20)
    second.refresh_from_db()
    assert second.state == InterpreterState.OFFERED


def test_calls_are_served_in_arrival_order_and_an_emergency_goes_first_logged(t0):
    s = factories.scene(interpreters=1)
    early, _ = factories.deaf_citizen(s)
    later, _ = factories.deaf_citizen(s)
    urgent, _ = factories.deaf_citizen(s)
    first = _call(early, t0)
    second = _call(later, t0 + dt.timedelta(seconds=5))
    emergency = _call(urgent, t0 + dt.timedelta(seconds=9), purpose="emergency")
    assert emergency.priority == 1
    assert AuditEntry.objects.get(action="interpreting.call", object_id=str(emergency.pk)).details[
        "emergency"
    ]
    factories.available(s.interpreters[0], at=t0 + dt.timedelta(seconds=10))
    assert _pending(emergency).interpreter == s.interpreters[0]
    assert not Offer.objects.filter(call__in=[first, second]).exists()
    # The emergency answered and ended, the interpreter free again: the earliest call is next.
    session = services.offer_accept(
        actor=s.interpreters[0].user, offer_id=_pending(emergency).pk, at=t0 + dt.timedelta(seconds=12)
    )
    services.session_end(actor=urgent, session_id=session.pk, at=t0 + dt.timedelta(minutes=3))
    factories.available(s.interpreters[0], at=t0 + dt.timedelta(minutes=4))
    assert _pending(first).interpreter == s.interpreters[0]
    assert not Offer.objects.filter(call=second).exists()


def test_an_offer_not_taken_in_time_goes_to_the_next_and_its_interpreter_is_set_away(t0):
    s = factories.scene(interpreters=2)
    a, b = s.interpreters
    factories.available(a, at=t0 - dt.timedelta(minutes=2))
    factories.available(b, at=t0 - dt.timedelta(minutes=1))
    citizen, _ = factories.deaf_citizen(s)
    call = _call(citizen, t0)
    lapsed = _pending(call)
    assert lapsed.interpreter == a
    # Too late: the offer is gone.
    with pytest.raises(ApplicationError) as refused:
        services.offer_accept(actor=a.user, offer_id=lapsed.pk, at=t0 + dt.timedelta(seconds=21))
    assert refused.value.code == InterpretingErrorCode.OFFER_GONE
    assert services.offers_lapse(at=t0 + dt.timedelta(seconds=21)) == 1
    lapsed.refresh_from_db()
    a.refresh_from_db()
    assert lapsed.outcome == OfferOutcome.EXPIRED
    assert a.state == InterpreterState.AWAY
    assert _pending(call).interpreter == b
    assert not Session.objects.exists()


def test_a_declined_call_goes_to_the_next_and_the_decliner_keeps_their_turn(t0):
    s = factories.scene(interpreters=2)
    a, b = s.interpreters
    factories.available(a, at=t0 - dt.timedelta(minutes=2))
    factories.available(b, at=t0 - dt.timedelta(minutes=1))
    c1, _ = factories.deaf_citizen(s)
    c2, _ = factories.deaf_citizen(s)
    call = _call(c1, t0)
    services.offer_decline(actor=a.user, offer_id=_pending(call).pk, at=t0 + dt.timedelta(seconds=3))
    assert _pending(call).interpreter == b
    a.refresh_from_db()
    assert a.state == InterpreterState.AVAILABLE
    assert a.idle_since == t0 - dt.timedelta(minutes=2)
    # The next call goes to the one who declined: they are still idle longest.
    nxt = _call(c2, t0 + dt.timedelta(seconds=5))
    assert _pending(nxt).interpreter == a
    # Declining twice, or someone else's offer, is refused.
    with pytest.raises(NotFound):
        services.offer_decline(actor=a.user, offer_id=_pending(call).pk)


def test_accepting_starts_one_session_and_a_second_press_is_refused(t0):
    s = factories.scene(interpreters=2)
    a, b = s.interpreters
    factories.available(a, at=t0 - dt.timedelta(minutes=1))
    citizen, person = factories.deaf_citizen(s)
    call = _call(citizen, t0)
    offer = _pending(call)
    with pytest.raises(NotFound):
        services.offer_accept(actor=b.user, offer_id=offer.pk, at=t0 + dt.timedelta(seconds=2))
    with pytest.raises(NotFound):
        services.offer_accept(actor=citizen, offer_id=offer.pk, at=t0 + dt.timedelta(seconds=2))
    session = services.offer_accept(actor=a.user, offer_id=offer.pk, at=t0 + dt.timedelta(seconds=4))
    assert session.person == person
    assert session.interpreter == a
    assert session.started_at == t0 + dt.timedelta(seconds=4)
    call.refresh_from_db()
    a.refresh_from_db()
    assert call.status == CallStatus.CONNECTED
    assert call.wait_seconds == 4
    assert a.state == InterpreterState.IN_SESSION
    with pytest.raises(ApplicationError) as refused:
        services.offer_accept(actor=a.user, offer_id=offer.pk, at=t0 + dt.timedelta(seconds=5))
    assert refused.value.code == InterpretingErrorCode.OFFER_GONE
    assert Session.objects.count() == 1


def test_an_interpreter_already_in_a_session_cannot_accept_another_call(t0):
    s = factories.scene(interpreters=1)
    a = s.interpreters[0]
    factories.available(a, at=t0)
    c1, _ = factories.deaf_citizen(s)
    c2, _ = factories.deaf_citizen(s)
    services.offer_accept(actor=a.user, offer_id=_pending(_call(c1, t0)).pk, at=t0)
    second = _call(c2, t0 + dt.timedelta(seconds=1))
    assert second.status == CallStatus.WAITING
    # An offer that reached them anyway (made before their session, say) is refused.
    stray = Offer.objects.create(
        call=second, interpreter=a, offered_at=t0, expires_at=t0 + dt.timedelta(minutes=5)
    )
    with pytest.raises(ApplicationError) as refused:
        services.offer_accept(actor=a.user, offer_id=stray.pk, at=t0 + dt.timedelta(seconds=2))
    assert refused.value.code == InterpretingErrorCode.BUSY
    assert Session.objects.count() == 1
    second.refresh_from_db()
    assert second.status == CallStatus.WAITING
    # Nor may they make themselves available while in a session.
    with pytest.raises(ApplicationError) as refused:
        services.interpreter_set_state(actor=a.user, state="available")
    assert refused.value.code == InterpretingErrorCode.INVALID_STATE


def test_a_flood_of_calls_from_one_account_is_refused(t0, settings):
    settings.QOLDAU_INTERPRETING_CALLS_PER_HOUR = 3
    s = factories.scene(interpreters=0)
    citizen, _ = factories.deaf_citizen(s)
    first = _call(citizen, t0)
    with pytest.raises(ApplicationError) as refused:
        _call(citizen, t0 + dt.timedelta(seconds=1))
    assert refused.value.code == InterpretingErrorCode.CALL_OPEN
    services.call_cancel(actor=citizen, call_id=first.pk, at=t0 + dt.timedelta(seconds=2))
    for i in range(2):
        services.call_cancel(actor=citizen, call_id=_call(citizen, t0 + dt.timedelta(seconds=10 + i)).pk)
    with pytest.raises(RateLimited):
        _call(citizen, t0 + dt.timedelta(minutes=5))
    assert Call.objects.count() == 3
    # An hour later they may call again.
    assert _call(citizen, t0 + dt.timedelta(minutes=61)).status == CallStatus.WAITING


def test_bad_input_is_refused_with_nothing_written(t0):
    s = factories.scene()
    citizen, _ = factories.deaf_citizen(s)
    with pytest.raises(ApplicationError) as refused:
        services.call_create(actor=citizen, place="  ", purpose="medical", at=t0)
    assert refused.value.field == "place"
    with pytest.raises(ApplicationError) as refused:
        services.call_create(actor=citizen, place="ХҚКО", purpose="party", at=t0)
    assert refused.value.field == "purpose"
    with pytest.raises(ApplicationError) as refused:
        services.call_create(actor=citizen, place="x" * 301, purpose="medical", at=t0)
    assert refused.value.code == "too_long"
    assert not Call.objects.exists()


def test_a_zero_balance_waits_for_a_dispatchers_override_with_a_reason(t0):
    s = factories.scene(interpreters=2)
    a = s.interpreters[1]
    citizen, person = factories.deaf_citizen(s, hours=1)
    factories.available(a, at=t0)
    session = services.offer_accept(actor=a.user, offer_id=_pending(_call(citizen, t0)).pk, at=t0)
    services.session_end(actor=a.user, session_id=session.pk, at=t0 + dt.timedelta(minutes=60))
    assert services.balance_minutes(factories.entitlement(person), t0.year) == 0
    factories.available(a, at=t0 + dt.timedelta(minutes=61))
    call = _call(citizen, t0 + dt.timedelta(minutes=62))
    assert call.status == CallStatus.NEEDS_OVERRIDE
    assert not Offer.objects.filter(call=call).exists()
    # Nobody but a dispatcher of the service overrides, and only with a reason.
    other = factories.scene(interpreters=1)
    for outsider in (citizen, a.user, other.dispatcher, s.staff):
        with pytest.raises(NotFound):
            services.call_override(actor=outsider, call_id=call.pk, reason="шұғыл")
    with pytest.raises(ApplicationError) as refused:
        services.call_override(actor=s.dispatcher, call_id=call.pk, reason="   ")
    assert refused.value.field == "reason"
    call.refresh_from_db()
    assert call.status == CallStatus.NEEDS_OVERRIDE
    assert not LedgerEntry.objects.filter(kind="override").exists()
    call = services.call_override(
        actor=s.dispatcher,
        call_id=call.pk,
        reason="Емханада дәрігер күтіп тұр",
        at=t0 + dt.timedelta(minutes=63),
    )
    assert call.status == CallStatus.OFFERED
    assert _pending(call).interpreter == a
    entry = LedgerEntry.objects.get(kind="override")
    assert entry.reason == "Емханада дәрігер күтіп тұр"
    assert entry.call == call
    assert AuditEntry.objects.filter(action="interpreting.override", object_id=str(call.pk)).exists()
    with pytest.raises(ApplicationError) as refused:
        services.call_override(actor=s.dispatcher, call_id=call.pk, reason="тағы")
    assert refused.value.code == InterpretingErrorCode.NO_OVERRIDE_NEEDED


def test_a_cancelled_call_withdraws_its_offer(t0):
    s = factories.scene(interpreters=1)
    a = s.interpreters[0]
    factories.available(a, at=t0 - dt.timedelta(minutes=3))
    citizen, _ = factories.deaf_citizen(s)
    call = _call(citizen, t0)
    offer = _pending(call)
    services.call_cancel(actor=citizen, call_id=call.pk, at=t0 + dt.timedelta(seconds=5))
    offer.refresh_from_db()
    a.refresh_from_db()
    assert offer.outcome == OfferOutcome.WITHDRAWN
    assert a.state == InterpreterState.AVAILABLE
    assert a.idle_since == t0 - dt.timedelta(minutes=3)
    with pytest.raises(ApplicationError):
        services.call_cancel(actor=citizen, call_id=call.pk)
    other, _ = factories.deaf_citizen(s)
    with pytest.raises(NotFound):
        services.call_cancel(actor=other, call_id=call.pk)


def test_an_interpreter_booked_soon_is_not_offered_calls(t0):
    s = factories.scene(interpreters=2)
    a, b = s.interpreters
    _booked, _ = factories.deaf_citizen(s)
    services.booking_create(
        actor=s.staff,
        person_id=factories.entitlement(_).person_id,
        interpreter_id=a.pk,
        starts_at=t0 + dt.timedelta(minutes=10),
        ends_at=t0 + dt.timedelta(minutes=70),
        place="Сот",
        purpose="legal",
        at=t0,
    )
    factories.available(a, at=t0 - dt.timedelta(minutes=5))
    factories.available(b, at=t0 - dt.timedelta(minutes=1))
    citizen, _ = factories.deaf_citizen(s)
    assert _pending(_call(citizen, t0)).interpreter == b


def test_only_the_services_interpreters_switch_state(t0):
    s = factories.scene(interpreters=1)
    with pytest.raises(PermissionDenied):
        services.interpreter_set_state(actor=s.staff, state="available")
    with pytest.raises(ApplicationError) as refused:
        services.interpreter_set_state(actor=s.interpreters[0].user, state="in_session")
    assert refused.value.field == "state"
    # An interpreter whose role at the organisation was taken away is no longer one.
    outsider = core_factories.user("not.staff", "consultant", org=s.organisation)
    with pytest.raises(ApplicationError):
        services.interpreter_add(actor=s.admin, service=s.service, user_id=outsider.pk, display_name="X")
    with pytest.raises(NotFound):
        services.interpreter_add(actor=s.staff, service=s.service, user_id=s.staff.pk, display_name="X")
