"""Bookings ahead: no interpreter double-booked, the session opening at its time, reminders."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import (
    Conflict,
    ErrorCode,
    PermissionDenied,
    ValidationFailed,
)
from qoldau.core.notifications import notify
from qoldau.core.services import acting_user
from qoldau.interpreting import policy
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import (
    Booking,
    BookingStatus,
    Call,
    CallStatus,
    Entitlement,
    Interpreter,
    InterpreterState,
    Offer,
    OfferOutcome,
    Purpose,
    Session,
)
from qoldau.interpreting.services.common import (
    BOOKING_LONGEST,
    BOOKING_OPENS_EARLY,
    _check_entitlement_valid,
    _lock_service,
    _now,
    _set_state,
    _text,
    balance_minutes,
)

# Bookings --------------------------------------------------------------------------------


def booking_create(
    *,
    actor: Actor,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    purpose: str,
    person_id: int | None = None,
    interpreter_id: int | None = None,
    at: dt.datetime | None = None,
) -> Booking:
    """Book an interpreter ahead: a citizen for themselves (the service picks a free
    interpreter), or the service's staff for a person they serve (choosing one, or not). In
    the future, at most `BOOKING_LONGEST`, and never over another booking of the same
    interpreter: checked here under the interpreter's lock for a clear message, and by the
    database (exclusion constraint, or SQLite's triggers) behind it."""
    with transaction.atomic(durable=True):
        moment = _now(at)
        if person_id is None:
            entitlement = policy.check_own_entitlement(actor)
            service = entitlement.service
            if interpreter_id is not None:
                raise PermissionDenied(_("The service chooses your interpreter."), field="interpreter")
        else:
            found = Entitlement.objects.select_related("service").filter(person_id=person_id).first()
            if found is None:
                raise policy.person_not_served()
            entitlement = found
            service = policy.check_may_staff(actor, entitlement.service)
            if not policy.people_served(actor, service).filter(pk=person_id).exists():
                raise policy.person_not_served()
        _check_entitlement_valid(entitlement, timezone.localtime(starts_at).date())
        place_text = _text(bounds.Note, place, "place", message=_("Say where you are."))
        if purpose not in Purpose.values:
            raise ValidationFailed(
                _("Choose what the booking is for."), field="purpose", code=ErrorCode.INVALID_CHOICE
            )
        if starts_at <= moment:
            raise ValidationFailed(
                _("A booking must start in the future."),
                field="starts_at",
                code=InterpretingErrorCode.BOOKING_IN_PAST,
            )
        if ends_at <= starts_at:
            raise ValidationFailed(
                _("A booking must end after it starts."), field="ends_at", code=ErrorCode.OUT_OF_RANGE
            )
        if ends_at - starts_at > BOOKING_LONGEST:
            raise ValidationFailed(
                _("A booking lasts at most %(hours)s hours.")
                % {"hours": int(BOOKING_LONGEST.total_seconds() // 3600)},
                field="ends_at",
                code=InterpretingErrorCode.BOOKING_TOO_LONG,
            )
        if balance_minutes(entitlement, timezone.localtime(starts_at).year) <= 0:
            raise PermissionDenied(
                _(
                    "The person's interpreting hours for that year are used up; "
                    "a dispatcher decides on a call."
                ),
                code=InterpretingErrorCode.NO_ENTITLEMENT,
            )
        candidates = Interpreter.objects.select_for_update().filter(service=service).order_by("pk")
        if interpreter_id is not None:
            candidates = candidates.filter(pk=interpreter_id)
            if not candidates.exists():
                raise ValidationFailed(_("Choose one of the service's interpreters."), field="interpreter")
        chosen = None
        for interpreter in candidates:
            if not _overlapping(interpreter.pk, starts_at, ends_at).exists():
                chosen = interpreter
                break
        if chosen is None:
            if interpreter_id is not None:
                raise Conflict(
                    _("The interpreter is booked at that time already. Choose another time or interpreter."),
                    field="starts_at",
                    code=InterpretingErrorCode.DOUBLE_BOOKING,
                )
            raise Conflict(
                _("No interpreter is free at that time. Choose another time."),
                field="starts_at",
                code=InterpretingErrorCode.NO_INTERPRETER_FREE,
            )
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    service=service,
                    person_id=entitlement.person_id,
                    interpreter=chosen,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    place=place_text,
                    purpose=purpose,
                    created_by=acting_user(actor),
                )
        except IntegrityError:
            raise Conflict(
                _("The interpreter is booked at that time already. Choose another time or interpreter."),
                field="starts_at",
                code=InterpretingErrorCode.DOUBLE_BOOKING,
            ) from None
        audit_record(
            actor,
            "interpreting.booking_create",
            object_type="booking",
            object_id=booking.pk,
            person_id=entitlement.person_id,
            organisation_id=service.organisation_id,
        )
        return booking


def _overlapping(interpreter_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(
        interpreter_id=interpreter_id,
        status=BookingStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def booking_cancel(*, actor: Actor, booking_id: int) -> Booking:
    """The person or the service's staff cancel a booking that has not started."""
    with transaction.atomic(durable=True):
        booking = policy.check_may_see_booking(actor, Booking.objects.filter(pk=booking_id).first())
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.BOOKED or Call.objects.filter(booking=booking).exists():
            raise Conflict(_("This booking cannot be cancelled any more."), code=ErrorCode.CONFLICT)
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        audit_record(
            actor,
            "interpreting.booking_cancel",
            object_type="booking",
            object_id=booking.pk,
            person_id=booking.person_id,
        )
        return booking


def booking_open(*, actor: Actor, booking_id: int, at: dt.datetime | None = None) -> Session:
    """The booked session opens at its time (from `BOOKING_OPENS_EARLY` before it): the
    person or the interpreter opens it, and the other joins the same one."""
    with transaction.atomic(durable=True):
        booking = policy.check_may_see_booking(
            actor, Booking.objects.select_related("service").filter(pk=booking_id).first()
        )
        moment = _now(at)
        _lock_service(booking.service_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        existing = Session.objects.filter(call__booking=booking).first()
        if existing is not None:
            if existing.ended_at is not None:
                raise Conflict(_("This session has ended already."), code=InterpretingErrorCode.SESSION_ENDED)
            return existing
        if booking.status != BookingStatus.BOOKED or not (
            booking.starts_at - BOOKING_OPENS_EARLY <= moment < booking.ends_at
        ):
            raise Conflict(
                _("The booked session opens 10 minutes before its time and closes at its end."),
                code=InterpretingErrorCode.BOOKING_NOT_OPEN,
            )
        interpreter = Interpreter.objects.select_for_update().get(pk=booking.interpreter_id)
        if Session.objects.filter(interpreter=interpreter, ended_at__isnull=True).exists():
            raise Conflict(
                _("The interpreter is finishing another session. Please wait a minute and open it again."),
                code=InterpretingErrorCode.BUSY,
            )
        _withdraw_interpreter_offer(interpreter, moment)
        call = Call.objects.create(
            service=booking.service,
            person_id=booking.person_id,
            caller=acting_user(actor),
            place=booking.place,
            purpose=booking.purpose,
            status=CallStatus.CONNECTED,
            created_at=moment,
            answered_at=moment,
            booking=booking,
        )
        session = Session.objects.create(
            call=call, interpreter=interpreter, person_id=booking.person_id, started_at=moment
        )
        _set_state(interpreter, InterpreterState.IN_SESSION, moment)
        audit_record(
            actor,
            "interpreting.booking_open",
            object_type="session",
            object_id=session.pk,
            person_id=booking.person_id,
            organisation_id=booking.service.organisation_id,
        )
        return session


def _withdraw_interpreter_offer(interpreter: Interpreter, moment: dt.datetime) -> None:
    for offer in Offer.objects.select_for_update().filter(
        interpreter=interpreter, outcome=OfferOutcome.PENDING
    ):
        offer.outcome = OfferOutcome.WITHDRAWN
        offer.answered_at = moment
        offer.save(update_fields=["outcome", "answered_at"])
        Call.objects.filter(pk=offer.call_id, status=CallStatus.OFFERED).update(status=CallStatus.WAITING)


def bookings_remind(*, at: dt.datetime | None = None, within: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """Remind each booking's interpreter and person (through their account) of a booking
    within a day, once (the periodic task). Returns how many bookings were reminded."""
    moment = _now(at)
    reminded = 0
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminded_at__isnull=True,
        starts_at__gt=moment,
        starts_at__lte=moment + within,
    ).values_list("pk", flat=True)
    for booking_id in list(due):
        with transaction.atomic(durable=True):
            booking = (
                Booking.objects.select_for_update().select_related("interpreter__user").get(pk=booking_id)
            )
            if booking.reminded_at is not None:
                continue
            recipients = [booking.interpreter.user]
            citizen = policy.citizen_user_of(booking.person_id)
            if citizen is not None:
                recipients.append(citizen)
            for user in recipients:
                notify(
                    user=user,
                    kind="interpreting.booking_reminder",
                    subject=_("Interpreting booked for %(when)s"),
                    body=_(
                        "An interpreter is booked for %(when)s at %(place)s. "
                        "The video session opens on Qoldau 10 minutes before."
                    ),
                    params={
                        "when": timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M"),
                        "place": booking.place,
                    },
                    object_type="booking",
                    object_id=booking.pk,
                )
            booking.reminded_at = moment
            booking.save(update_fields=["reminded_at"])
            reminded += 1
    return reminded
