"""Sessions: their end (minutes counted once, debited and delivered), drops and rejoins
within the grace period, the video room's hooks; callback messages."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import (
    ApplicationError,
    Conflict,
    ErrorCode,
    RateLimited,
)
from qoldau.core.services import acting_user
from qoldau.interpreting import policy
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import (
    OPEN_CALL_STATUSES,
    SERVICE_CODE,
    Call,
    CallbackMessage,
    CallStatus,
    Entitlement,
    Interpreter,
    InterpreterState,
    InterpretingService,
    LedgerEntry,
    LedgerKind,
    Session,
)
from qoldau.interpreting.services.common import (
    _lock_service,
    _now,
    _set_state,
    _text,
    _year_of,
)
from qoldau.interpreting.services.dispatch import _withdraw_offers
from qoldau.projects import services as projects_services
from qoldau.projects.models import ServiceType

# Sessions ------------------------------------------------------------------------------


def session_end(*, actor: Actor, session_id: int, at: dt.datetime | None = None) -> Session:
    """Either party ends the session (or a dispatcher does). Its minutes are counted once,
    here: debited from the person's hours of the session's year and recorded as a delivery
    of the service's project. Ending it again is refused."""
    with transaction.atomic(durable=True):
        session = policy.check_may_see_session(actor, Session.objects.filter(pk=session_id).first())
        _lock_service(session.interpreter.service_id)
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.ended_at is not None:
            raise Conflict(_("This session has ended already."), code=InterpretingErrorCode.SESSION_ENDED)
        _close_session(session, _now(at), actor)
        return session


def _close_session(session: Session, end: dt.datetime, actor: Actor | None) -> None:
    """End an open session at `end`, debit its minutes, record its delivery, and put the
    interpreter into wrap-up."""
    end = max(end, session.started_at)
    seconds = (end - session.started_at).total_seconds()
    session.ended_at = end
    session.minutes = max(1, math.ceil(seconds / 60))
    session.ended_by = acting_user(actor)
    session.person_left_at = None
    session.interpreter_left_at = None
    interpreter = (
        Interpreter.objects.select_for_update()
        .select_related("service__project")
        .get(pk=session.interpreter_id)
    )
    service = interpreter.service
    entitlement = Entitlement.objects.filter(person_id=session.person_id).first()
    if entitlement is not None:
        LedgerEntry.objects.create(
            entitlement=entitlement,
            kind=LedgerKind.DEBIT,
            year=_year_of(session.started_at),
            minutes=session.minutes,
            session=session,
            created_by=acting_user(actor),
        )
    session.delivery_id = _record_delivery(session, interpreter, service)
    session.save(
        update_fields=[
            "ended_at",
            "minutes",
            "ended_by",
            "person_left_at",
            "interpreter_left_at",
            "delivery_id",
        ]
    )
    Call.objects.filter(pk=session.call_id).update(closed_at=end)
    if interpreter.state == InterpreterState.IN_SESSION:
        _set_state(interpreter, InterpreterState.WRAP_UP, end)
    audit_record(
        actor,
        "interpreting.session_end",
        object_type="session",
        object_id=session.pk,
        person_id=session.person_id,
        organisation_id=service.organisation_id,
        details={"minutes": session.minutes, "delivery": session.delivery_id},
    )


def _record_delivery(session: Session, interpreter: Interpreter, service: InterpretingService) -> int | None:
    """The session as a delivery of the service's project, in minutes, recorded by its
    interpreter. Where the project cannot take it (the person withdrew consent, the day is
    outside the project's period) the session still ends and is debited; the audit row
    says that no delivery was recorded."""
    try:
        with transaction.atomic():
            delivery = projects_services.delivery_accumulate_in_transaction(
                actor=interpreter.user,
                project=service.project,
                person_id=session.person_id,
                service=ServiceType.objects.get(code=SERVICE_CODE),
                delivered_on=timezone.localtime(session.started_at).date(),
                quantity=Decimal(session.minutes or 1),
                note=str(_("Sign-language interpreting")),
            )
    except ApplicationError:
        return None
    return delivery.pk


def _party(user: Actor, session: Session) -> str | None:
    """Which party of the session a user is: "person", "interpreter" or neither."""
    if (
        session.interpreter.user_id == user.pk
        and policy.interpreters_of_user(user).filter(pk=session.interpreter_id).exists()
    ):
        return "interpreter"
    if policy.is_own_person(user, session.person_id):
        return "person"
    return None


def session_left(*, actor: Actor, session_id: int, at: dt.datetime | None = None) -> Session:
    """A party's connection dropped (the video room's leave): the grace period starts."""
    with transaction.atomic(durable=True):
        session = Session.objects.select_related("interpreter").filter(pk=session_id).first()
        party = _party(actor, session) if session else None
        if session is None or party is None:
            raise policy.session_not_found()
        session = Session.objects.select_for_update().select_related("interpreter").get(pk=session.pk)
        if session.ended_at is not None:
            return session
        field = f"{party}_left_at"
        if getattr(session, field) is None:
            setattr(session, field, _now(at))
            session.save(update_fields=[field])
            audit_record(actor, "interpreting.session_left", object_type="session", object_id=session.pk)
        return session


def session_rejoin(*, actor: Actor, session_id: int, at: dt.datetime | None = None) -> Session:
    """A party comes back after a drop. Within `QOLDAU_INTERPRETING_GRACE_SECONDS` the same
    session goes on (its minutes still run from its start: counted once); after it, the
    session was over when they dropped, and is closed so."""
    with transaction.atomic(durable=True):
        session = Session.objects.select_related("interpreter").filter(pk=session_id).first()
        party = _party(actor, session) if session else None
        if session is None or party is None:
            raise policy.session_not_found()
        _lock_service(session.interpreter.service_id)
        session = Session.objects.select_for_update().select_related("interpreter").get(pk=session.pk)
        moment = _now(at)
        if session.ended_at is None:
            # Closed so for good: the refusal below comes after this transaction commits.
            _close_if_abandoned(session, moment)
        over = session.ended_at is not None
        field = f"{party}_left_at"
        if not over and getattr(session, field) is not None:
            setattr(session, field, None)
            session.save(update_fields=[field])
            audit_record(actor, "interpreting.session_rejoin", object_type="session", object_id=session.pk)
    if over:
        raise Conflict(
            _("This session has ended: the connection was away longer than the grace period. Call again."),
            code=InterpretingErrorCode.GRACE_OVER,
        )
    return session


def _close_if_abandoned(session: Session, moment: dt.datetime) -> bool:
    grace = dt.timedelta(seconds=settings.QOLDAU_INTERPRETING_GRACE_SECONDS)
    left = [t for t in (session.person_left_at, session.interpreter_left_at) if t is not None]
    if left and min(left) + grace < moment:
        _close_session(session, min(left), None)
        return True
    return False


def sessions_close_abandoned(*, at: dt.datetime | None = None) -> int:
    """Close the sessions a party left and did not come back to within the grace period,
    at the moment they left (the periodic task)."""
    moment = _now(at)
    grace = dt.timedelta(seconds=settings.QOLDAU_INTERPRETING_GRACE_SECONDS)
    since = moment - grace
    candidates = (
        Session.objects.filter(ended_at__isnull=True)
        .filter(Q(person_left_at__lt=since) | Q(interpreter_left_at__lt=since))
        .values_list("pk", "interpreter__service_id")
    )
    closed = 0
    for session_id, service_id in list(candidates):
        with transaction.atomic(durable=True):
            _lock_service(service_id)
            session = Session.objects.select_for_update().get(pk=session_id)
            if session.ended_at is None and _close_if_abandoned(session, moment):
                closed += 1
    return closed


# The video room's hooks ------------------------------------------------------------------


def _room_session(room_id: str) -> Session | None:
    if not room_id.isdigit() or len(room_id) > 18:
        return None
    return Session.objects.select_related("interpreter").filter(pk=int(room_id)).first()


def room_participant(*, user: Actor, room_id: str) -> tuple[str, str] | None:
    """Who a user is in a session's room (their name shown there and their role), or None:
    only the session's person and its interpreter, and only while it is open and their
    grace period (if they dropped) has not run out."""
    if not user.is_authenticated:
        return None
    session = _room_session(room_id)
    if session is None or session.ended_at is not None:
        return None
    party = _party(user, session)
    if party is None:
        return None
    left = getattr(session, f"{party}_left_at")
    grace = dt.timedelta(seconds=settings.QOLDAU_INTERPRETING_GRACE_SECONDS)
    if left is not None and left + grace < timezone.now():
        return None
    if party == "interpreter":
        return (session.interpreter.display_name, "interpreter")
    return (str(_("Caller")), "person")


def room_joined(*, user: Actor, room_id: str) -> None:
    session = _room_session(room_id)
    if session is None:
        return
    try:
        session_rejoin(actor=user, session_id=session.pk)
    except ApplicationError:
        return


def room_left(*, user: Actor, room_id: str) -> None:
    session = _room_session(room_id)
    if session is None:
        return
    try:
        session_left(actor=user, session_id=session.pk)
    except ApplicationError:
        return


# Callback messages -----------------------------------------------------------------------


def callback_leave(
    *, actor: Actor, text: str, call_id: int | None = None, at: dt.datetime | None = None
) -> CallbackMessage:
    """When nobody is free, the caller leaves a message to be called back; a call of theirs
    still waiting is closed as missed (the service owes them the callback)."""
    with transaction.atomic(durable=True):
        entitlement = policy.check_own_entitlement(actor)
        body = _text(bounds.Remark, text, "text", message=_("Write your message."))
        moment = _now(at)
        call = None
        if call_id is not None:
            call = policy.calls_of_citizen(actor).filter(pk=call_id).first()
            if call is None:
                raise policy.call_not_found()
            _lock_service(call.service_id)
            call = Call.objects.select_for_update().get(pk=call.pk)
            if call.status in OPEN_CALL_STATUSES:
                _withdraw_offers(call, moment)
                call.status = CallStatus.MISSED
                call.closed_at = moment
                call.save(update_fields=["status", "closed_at"])
        recent = CallbackMessage.objects.filter(
            caller_id=actor.pk, created_at__gt=moment - dt.timedelta(hours=1)
        )
        if recent.count() >= settings.QOLDAU_INTERPRETING_CALLS_PER_HOUR:
            raise RateLimited(
                _("You have left several messages within an hour. We will call you back."), retry_after=600
            )
        message = CallbackMessage.objects.create(
            service_id=entitlement.service_id,
            person_id=entitlement.person_id,
            caller=acting_user(actor),
            call=call,
            text=body,
        )
        audit_record(
            actor,
            "interpreting.callback_leave",
            object_type="callback",
            object_id=message.pk,
            person_id=entitlement.person_id,
        )
        return message


def callback_done(*, actor: Actor, callback_id: int) -> CallbackMessage:
    """A dispatcher marks a message called back."""
    with transaction.atomic(durable=True):
        message = CallbackMessage.objects.select_related("service").filter(pk=callback_id).first()
        if message is None:
            raise policy.callback_not_found()
        policy.check_may_dispatch(actor, message.service)
        message = CallbackMessage.objects.select_for_update().get(pk=message.pk)
        if message.called_back_at is not None:
            raise Conflict(_("This message was called back already."), code=ErrorCode.CONFLICT)
        message.called_back_at = timezone.now()
        message.called_back_by = acting_user(actor)
        message.save(update_fields=["called_back_at", "called_back_by"])
        audit_record(actor, "interpreting.callback_done", object_type="callback", object_id=message.pk)
        return message
