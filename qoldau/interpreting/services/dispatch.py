"""Calls and their dispatch: the queue, offers, overrides."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import (
    Conflict,
    ErrorCode,
    RateLimited,
    ValidationFailed,
)
from qoldau.core.services import acting_user
from qoldau.core.transactions import check_in_transaction
from qoldau.interpreting import policy
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import (
    OPEN_CALL_STATUSES,
    Booking,
    BookingStatus,
    Call,
    CallStatus,
    Entitlement,
    Interpreter,
    InterpreterState,
    LedgerEntry,
    LedgerKind,
    Offer,
    OfferOutcome,
    Purpose,
    Session,
)
from qoldau.interpreting.services.common import (
    BOOKING_GUARD,
    _check_entitlement_valid,
    _lock_service,
    _now,
    _set_state,
    _text,
    _year_of,
    balance_minutes,
)

# Calls ---------------------------------------------------------------------------------


def call_create(
    *,
    actor: Actor,
    place: str,
    purpose: str,
    emergency: bool = False,
    at: dt.datetime | None = None,
) -> Call:
    """A citizen with an entitlement calls an interpreter now. One open call per account,
    and no more than `QOLDAU_INTERPRETING_CALLS_PER_HOUR` an hour (a flood is refused, not
    queued). On a zero balance the call waits for a dispatcher's override; an emergency goes
    to the head of the queue and is audited so."""
    with transaction.atomic(durable=True):
        entitlement = policy.check_own_entitlement(actor)
        moment = _now(at)
        place_text = _text(bounds.Note, place, "place", message=_("Say where you are."))
        if purpose not in Purpose.values:
            raise ValidationFailed(
                _("Choose what the call is for."), field="purpose", code=ErrorCode.INVALID_CHOICE
            )
        _check_entitlement_valid(entitlement, timezone.localtime(moment).date())
        _lock_service(entitlement.service_id)
        mine = Call.objects.filter(caller_id=actor.pk)
        if (
            mine.filter(status__in=OPEN_CALL_STATUSES).exists()
            or Session.objects.filter(person_id=entitlement.person_id, ended_at__isnull=True).exists()
        ):
            raise Conflict(
                _("You have a call waiting or in session already: stay on its page."),
                code=InterpretingErrorCode.CALL_OPEN,
            )
        limit = settings.QOLDAU_INTERPRETING_CALLS_PER_HOUR
        if mine.filter(created_at__gt=moment - dt.timedelta(hours=1)).count() >= limit:
            raise RateLimited(
                _("You have made %(count)s calls within an hour. Please wait a little before calling again.")
                % {"count": limit},
                retry_after=600,
            )
        is_emergency = emergency or purpose == Purpose.EMERGENCY
        balance = balance_minutes(entitlement, _year_of(moment))
        call = Call.objects.create(
            service_id=entitlement.service_id,
            person_id=entitlement.person_id,
            caller=acting_user(actor),
            place=place_text,
            purpose=purpose,
            priority=1 if is_emergency else 0,
            status=CallStatus.WAITING if balance > 0 else CallStatus.NEEDS_OVERRIDE,
            created_at=moment,
        )
        audit_record(
            actor,
            "interpreting.call",
            object_type="call",
            object_id=call.pk,
            person_id=entitlement.person_id,
            organisation_id=entitlement.service.organisation_id,
            details={"purpose": purpose, "emergency": is_emergency, "needs_override": balance <= 0},
        )
        if call.status == CallStatus.WAITING:
            dispatch_in_transaction(service_id=call.service_id, at=moment)
            call.refresh_from_db()
        return call


def call_cancel(*, actor: Actor, call_id: int, at: dt.datetime | None = None) -> Call:
    """The caller hangs up before an interpreter answers: the call is counted missed (the
    service did not answer it), its pending offer withdrawn."""
    with transaction.atomic(durable=True):
        call = policy.calls_of_citizen(actor).filter(pk=call_id).first()
        if call is None:
            raise policy.call_not_found()
        _lock_service(call.service_id)
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status not in OPEN_CALL_STATUSES:
            raise Conflict(_("This call is not waiting any more."), code=InterpretingErrorCode.CALL_NOT_OPEN)
        moment = _now(at)
        _withdraw_offers(call, moment)
        call.status = CallStatus.CANCELLED
        call.closed_at = moment
        call.save(update_fields=["status", "closed_at"])
        audit_record(
            actor, "interpreting.call_cancel", object_type="call", object_id=call.pk, person_id=call.person_id
        )
        dispatch_in_transaction(service_id=call.service_id, at=moment)
        return call


def _withdraw_offers(call: Call, moment: dt.datetime) -> None:
    for offer in Offer.objects.select_for_update().filter(call=call, outcome=OfferOutcome.PENDING):
        offer.outcome = OfferOutcome.WITHDRAWN
        offer.answered_at = moment
        offer.save(update_fields=["outcome", "answered_at"])
        interpreter = Interpreter.objects.select_for_update().get(pk=offer.interpreter_id)
        if interpreter.state == InterpreterState.OFFERED:
            _set_state(interpreter, InterpreterState.AVAILABLE, moment, keep_idle=True)


def call_override(*, actor: Actor, call_id: int, reason: str, at: dt.datetime | None = None) -> Call:
    """A dispatcher lets a call on a zero balance join the queue, with a reason (written to
    the hours ledger and the audit log). The call keeps its place of arrival."""
    with transaction.atomic(durable=True):
        call = Call.objects.select_related("service").filter(pk=call_id).first()
        if call is None:
            raise policy.call_not_found()
        service = policy.check_may_dispatch(actor, call.service)
        text = _text(
            bounds.Note, reason, "reason", message=_("Write why the call may go on without hours left.")
        )
        _lock_service(service.pk)
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status != CallStatus.NEEDS_OVERRIDE:
            raise Conflict(
                _("This call does not wait for an override."), code=InterpretingErrorCode.NO_OVERRIDE_NEEDED
            )
        moment = _now(at)
        call.status = CallStatus.WAITING
        call.override_reason = text
        call.override_by = acting_user(actor)
        call.save(update_fields=["status", "override_reason", "override_by"])
        LedgerEntry.objects.create(
            entitlement=Entitlement.objects.get(person_id=call.person_id),
            kind=LedgerKind.OVERRIDE,
            year=_year_of(moment),
            call=call,
            reason=text,
            created_by=acting_user(actor),
        )
        audit_record(
            actor,
            "interpreting.override",
            object_type="call",
            object_id=call.pk,
            person_id=call.person_id,
            organisation_id=service.organisation_id,
        )
        dispatch_in_transaction(service_id=service.pk, at=moment)
        call.refresh_from_db()
        return call


# Dispatch ------------------------------------------------------------------------------


def dispatch(*, service_id: int, at: dt.datetime | None = None) -> int:
    """Lapse the service's expired offers and offer waiting calls to free interpreters.
    Returns how many offers were made."""
    with transaction.atomic(durable=True):
        return dispatch_in_transaction(service_id=service_id, at=at)


def dispatch_in_transaction(*, service_id: int, at: dt.datetime | None = None) -> int:
    """`dispatch` inside the caller's transaction."""
    check_in_transaction()
    moment = _now(at)
    _lock_service(service_id)
    _lapse_offers(service_id, moment)
    busy_soon = Booking.objects.filter(
        service_id=service_id,
        status=BookingStatus.BOOKED,
        starts_at__lt=moment + BOOKING_GUARD,
        ends_at__gt=moment,
    ).values("interpreter_id")
    free = list(
        Interpreter.objects.select_for_update()
        .filter(service_id=service_id, state=InterpreterState.AVAILABLE)
        .exclude(pk__in=busy_soon)
        .order_by("idle_since", "pk")
    )
    if not free:
        return 0
    made = 0
    waiting = Call.objects.select_for_update().filter(service_id=service_id, status=CallStatus.WAITING)
    for call in waiting.order_by("-priority", "created_at", "pk"):
        if not free:
            break
        refused = set(
            call.offers.filter(outcome__in=(OfferOutcome.DECLINED, OfferOutcome.EXPIRED)).values_list(
                "interpreter_id", flat=True
            )
        )
        chosen = next((i for i in free if i.pk not in refused), None)
        if chosen is None:
            continue
        free.remove(chosen)
        Offer.objects.create(
            call=call,
            interpreter=chosen,
            offered_at=moment,
            expires_at=moment + dt.timedelta(seconds=settings.QOLDAU_INTERPRETING_OFFER_SECONDS),
        )
        _set_state(chosen, InterpreterState.OFFERED, moment, keep_idle=True)
        call.status = CallStatus.OFFERED
        call.save(update_fields=["status"])
        made += 1
    return made


def _lapse_offers(service_id: int, moment: dt.datetime) -> int:
    """Offers not answered in time lapse: their calls wait again (keeping their place) and
    their interpreters, who were not at their desk, are set away."""
    lapsed = list(
        Offer.objects.select_for_update().filter(
            call__service_id=service_id, outcome=OfferOutcome.PENDING, expires_at__lte=moment
        )
    )
    for offer in lapsed:
        offer.outcome = OfferOutcome.EXPIRED
        offer.answered_at = moment
        offer.save(update_fields=["outcome", "answered_at"])
        Call.objects.filter(pk=offer.call_id, status=CallStatus.OFFERED).update(status=CallStatus.WAITING)
        interpreter = Interpreter.objects.select_for_update().get(pk=offer.interpreter_id)
        if interpreter.state == InterpreterState.OFFERED:
            _set_state(interpreter, InterpreterState.AWAY, moment)
        audit_record(None, "interpreting.offer_expired", object_type="offer", object_id=offer.pk)
    return len(lapsed)


def offers_lapse(*, at: dt.datetime | None = None) -> int:
    """Dispatch every service that has an offer past its time (the periodic task)."""
    moment = _now(at)
    service_ids = set(
        Offer.objects.filter(outcome=OfferOutcome.PENDING, expires_at__lte=moment).values_list(
            "call__service_id", flat=True
        )
    )
    for service_id in sorted(service_ids):
        dispatch(service_id=service_id, at=moment)
    return len(service_ids)


def offer_accept(*, actor: Actor, offer_id: int, at: dt.datetime | None = None) -> Session:
    """The interpreter takes the call offered to them: the session starts. However many
    presses arrive at once, one session is made: the service's lock serialises them, the
    first finds the offer pending and the rest find it taken (and the database holds one
    session per call)."""
    with transaction.atomic(durable=True):
        offer = policy.check_own_offer(
            actor, Offer.objects.select_related("call").filter(pk=offer_id).first()
        )
        moment = _now(at)
        _lock_service(offer.call.service_id)
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        interpreter = Interpreter.objects.select_for_update().get(pk=offer.interpreter_id)
        if offer.outcome != OfferOutcome.PENDING or offer.expires_at <= moment:
            raise Conflict(
                _("This call is no longer offered to you: it was taken, withdrawn or its time ran out."),
                code=InterpretingErrorCode.OFFER_GONE,
            )
        if Session.objects.filter(interpreter=interpreter, ended_at__isnull=True).exists():
            raise Conflict(
                _("You are in a session already: end it before taking another call."),
                code=InterpretingErrorCode.BUSY,
            )
        call = Call.objects.select_for_update().get(pk=offer.call_id)
        offer.outcome = OfferOutcome.ACCEPTED
        offer.answered_at = moment
        offer.save(update_fields=["outcome", "answered_at"])
        call.status = CallStatus.CONNECTED
        call.answered_at = moment
        call.save(update_fields=["status", "answered_at"])
        session = Session.objects.create(
            call=call, interpreter=interpreter, person_id=call.person_id, started_at=moment
        )
        _set_state(interpreter, InterpreterState.IN_SESSION, moment)
        audit_record(
            actor,
            "interpreting.offer_accept",
            object_type="session",
            object_id=session.pk,
            person_id=call.person_id,
            organisation_id=interpreter.service.organisation_id,
            details={"call": call.pk, "wait_seconds": round((moment - call.created_at).total_seconds())},
        )
        return session


def offer_decline(*, actor: Actor, offer_id: int, at: dt.datetime | None = None) -> Offer:
    """The interpreter passes the call on: it goes to the next interpreter, and they stay
    available (keeping their idle time) for the calls after it."""
    with transaction.atomic(durable=True):
        offer = policy.check_own_offer(
            actor, Offer.objects.select_related("call").filter(pk=offer_id).first()
        )
        moment = _now(at)
        _lock_service(offer.call.service_id)
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.outcome != OfferOutcome.PENDING:
            raise Conflict(
                _("This call is no longer offered to you: it was taken, withdrawn or its time ran out."),
                code=InterpretingErrorCode.OFFER_GONE,
            )
        offer.outcome = OfferOutcome.DECLINED
        offer.answered_at = moment
        offer.save(update_fields=["outcome", "answered_at"])
        Call.objects.filter(pk=offer.call_id, status=CallStatus.OFFERED).update(status=CallStatus.WAITING)
        interpreter = Interpreter.objects.select_for_update().get(pk=offer.interpreter_id)
        _set_state(interpreter, InterpreterState.AVAILABLE, moment, keep_idle=True)
        audit_record(actor, "interpreting.offer_decline", object_type="offer", object_id=offer.pk)
        dispatch_in_transaction(service_id=offer.call.service_id, at=moment)
        offer.refresh_from_db()
        return offer
