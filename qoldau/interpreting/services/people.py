"""Entitlements and interpreters: who may call, who interprets and in which state."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import (
    Conflict,
    ErrorCode,
    ValidationFailed,
)
from qoldau.core.services import acting_user
from qoldau.core.transactions import check_in_transaction
from qoldau.interpreting import policy
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import (
    Entitlement,
    Interpreter,
    InterpreterState,
    InterpretingService,
)
from qoldau.interpreting.services.common import (
    _lock_service,
    _now,
    _set_state,
    _text,
)
from qoldau.interpreting.services.dispatch import dispatch_in_transaction

# Entitlements and interpreters --------------------------------------------------------


def entitlement_confirm(
    *,
    actor: Actor,
    service: InterpretingService,
    person_id: int,
    hours_per_year: int | None = None,
    valid_until: dt.date | None = None,
) -> Entitlement:
    """Confirm, once, a person's yearly interpreting hours (from their ИПАР; the setting's
    default where it names none). Only the service's staff, for a person they serve."""
    with transaction.atomic(durable=True):
        policy.check_may_staff(actor, service)
        person = policy.people_served(actor, service).filter(pk=person_id).first()
        if person is None:
            raise policy.person_not_served()
        hours = settings.QOLDAU_INTERPRETING_HOURS_PER_YEAR if hours_per_year is None else hours_per_year
        if not 1 <= hours <= 2000:
            raise ValidationFailed(
                _("The hours a year must be between 1 and 2000."),
                field="hours_per_year",
                code=ErrorCode.OUT_OF_RANGE,
            )
        if Entitlement.objects.filter(person=person).exists():
            raise Conflict(
                _("This person's interpreting hours are confirmed already."),
                code=InterpretingErrorCode.ENTITLEMENT_CONFIRMED,
            )
        entitlement = Entitlement.objects.create(
            service=service,
            person=person,
            hours_per_year=hours,
            confirmed_on=timezone.localdate(),
            confirmed_by=acting_user(actor),
            valid_until=valid_until,
        )
        audit_record(
            actor,
            "interpreting.entitlement_confirm",
            object_type="entitlement",
            object_id=entitlement.pk,
            person_id=person.pk,
            organisation_id=service.organisation_id,
            details={"hours_per_year": hours},
        )
        return entitlement


def interpreter_add(
    *,
    actor: Actor,
    service: InterpretingService,
    user_id: int,
    display_name: str,
    is_dispatcher: bool = False,
) -> Interpreter:
    """Make a user who holds the interpreter role at the service's organisation one of its
    interpreters (and its dispatcher, where said). The organisation's administrators do."""
    with transaction.atomic(durable=True):
        return interpreter_add_in_transaction(
            actor=actor,
            service=service,
            user_id=user_id,
            display_name=display_name,
            is_dispatcher=is_dispatcher,
        )


def interpreter_add_in_transaction(
    *,
    actor: Actor,
    service: InterpretingService,
    user_id: int,
    display_name: str,
    is_dispatcher: bool = False,
) -> Interpreter:
    """`interpreter_add` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_administer(actor, service)
    if not policy.interprets_for_service(user_id, service):
        raise ValidationFailed(
            _(
                "Only a user holding the sign-language interpreter role at the service's "
                "organisation can be made one of its interpreters: give them that role first."
            ),
            field="user",
            code=InterpretingErrorCode.NOT_AN_INTERPRETER,
        )
    name = _text(bounds.PersonName, display_name, "display_name", message=_("Write the name callers see."))
    try:
        with transaction.atomic():
            interpreter = Interpreter.objects.create(
                service=service,
                user_id=user_id,
                display_name=name,
                is_dispatcher=is_dispatcher,
                state=InterpreterState.AWAY,
                state_since=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(
            _("This user is one of the service's interpreters already."), code=ErrorCode.DUPLICATE
        ) from None
    audit_record(
        actor,
        "interpreting.interpreter_add",
        object_type="interpreter",
        object_id=interpreter.pk,
        organisation_id=service.organisation_id,
        details={"dispatcher": is_dispatcher},
    )
    return interpreter


# The states an interpreter switches to themselves, from the states they may leave so.
SWITCHABLE = {
    InterpreterState.AVAILABLE: {InterpreterState.AWAY, InterpreterState.WRAP_UP, InterpreterState.AVAILABLE},
    InterpreterState.AWAY: {InterpreterState.AVAILABLE, InterpreterState.WRAP_UP, InterpreterState.AWAY},
}


def interpreter_set_state(*, actor: Actor, state: str, at: dt.datetime | None = None) -> Interpreter:
    """An interpreter makes themselves available (idle from now) or away. In a session or
    with a call offered, they first end it or answer the offer. Becoming available
    dispatches the queue at once."""
    with transaction.atomic(durable=True):
        own = policy.check_own_interpreter(actor)
        _lock_service(own.service_id)
        interpreter = Interpreter.objects.select_for_update().get(pk=own.pk)
        moment = _now(at)
        if state not in SWITCHABLE:
            raise ValidationFailed(
                _("Choose available or away."), field="state", code=ErrorCode.INVALID_CHOICE
            )
        if interpreter.state not in SWITCHABLE[InterpreterState(state)]:
            raise Conflict(
                _("You cannot switch now: first end your session or answer the call offered to you."),
                field="state",
                code=InterpretingErrorCode.INVALID_STATE,
            )
        if interpreter.state != state:
            _set_state(interpreter, InterpreterState(state), moment)
            audit_record(
                actor,
                "interpreting.interpreter_state",
                object_type="interpreter",
                object_id=interpreter.pk,
                organisation_id=interpreter.service.organisation_id,
                details={"state": state},
            )
        if state == InterpreterState.AVAILABLE:
            dispatch_in_transaction(service_id=interpreter.service_id, at=moment)
            interpreter.refresh_from_db()
        return interpreter
