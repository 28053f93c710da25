"""What the interpreting services share: the clock, the per-service lock, text bounds and
the hours balance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.errors import (
    ErrorCode,
    PermissionDenied,
    ValidationFailed,
)
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import (
    Entitlement,
    Interpreter,
    InterpreterState,
    InterpretingService,
    LedgerKind,
)

# A booked session opens this long before its start (the parties test their cameras).
BOOKING_OPENS_EARLY = dt.timedelta(minutes=10)
# An interpreter is not offered a call this long before a booking of theirs starts.
BOOKING_GUARD = dt.timedelta(minutes=15)
# The longest booking.
BOOKING_LONGEST = dt.timedelta(hours=8)


def _text(annotated: Any, value: str, field: str, *, message: str | Promise) -> str:
    """Text checked by its bound, stripped, and required (refused with `message` if empty)."""
    try:
        text = str(bounds.clean(annotated, value or "")).strip()
    except bounds.BoundError as exc:
        raise ValidationFailed(
            exc.message, field=field, code=ErrorCode(exc.code), params=exc.params
        ) from None
    if not text:
        raise ValidationFailed(message, field=field, code=ErrorCode.REQUIRED)
    return text


def _now(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else timezone.now()


def _lock_service(service_id: int) -> InterpretingService:
    """The per-service lock every dispatch write takes first (see the module's text)."""
    return InterpretingService.objects.select_for_update().get(pk=service_id)


def _year_of(moment: dt.datetime) -> int:
    return timezone.localtime(moment).year


def balance_minutes(entitlement: Entitlement, year: int) -> int:
    """The minutes left of a year's hours: the entitlement's hours less that year's debits
    (below zero where a dispatcher's override let a session run on)."""
    used = entitlement.ledger.filter(kind=LedgerKind.DEBIT, year=year).aggregate(total=Sum("minutes"))[
        "total"
    ]
    return entitlement.hours_per_year * 60 - (used or 0)


def _check_entitlement_valid(entitlement: Entitlement, day: dt.date) -> None:
    if entitlement.valid_until is not None and entitlement.valid_until < day:
        raise PermissionDenied(
            _("Your interpreting entitlement ended on %(date)s. Ask the service's staff to renew it."),
            code=InterpretingErrorCode.ENTITLEMENT_EXPIRED,
            params={"date": entitlement.valid_until.isoformat()},
        )


def _set_state(
    interpreter: Interpreter, state: InterpreterState, moment: dt.datetime, *, keep_idle: bool = False
) -> None:
    interpreter.state = state
    interpreter.state_since = moment
    if state == InterpreterState.AVAILABLE:
        if not keep_idle or interpreter.idle_since is None:
            interpreter.idle_since = moment
    else:
        interpreter.idle_since = None if not keep_idle else interpreter.idle_since
    interpreter.save(update_fields=["state", "state_since", "idle_since"])
