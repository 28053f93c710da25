"""The interpreting API under /api/v1/interpreting: a citizen's hours, call, place in the
queue and bookings; an interpreter's state, offers and sessions; a dispatcher's live queue
and monthly report. Each write is one service of `interpreting.services`; each read asks the
selectors, so that what a user may not see is not found."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from qoldau.core import bounds
from qoldau.interpreting import selectors, services
from qoldau.interpreting.models import Call, Session

router = Router(tags=["interpreting"])


class CallIn(Schema):
    place: bounds.Note
    purpose: bounds.Code
    emergency: bool = False


class CallOut(Schema):
    id: int
    status: str
    purpose: str
    emergency: bool
    created_at: dt.datetime
    answered_at: dt.datetime | None
    position: int | None
    expected_wait_seconds: int | None
    session_id: int | None


class MeOut(Schema):
    entitled: bool
    hours_per_year: int | None
    balance_minutes: int | None
    call: CallOut | None
    session_id: int | None


class SessionOut(Schema):
    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    minutes: int | None
    interpreter: str


class StateIn(Schema):
    state: bounds.Code


class StateOut(Schema):
    state: str
    idle_since: dt.datetime | None
    offer_id: int | None
    session_id: int | None


class OverrideIn(Schema):
    reason: bounds.Note


class BookingIn(Schema):
    starts_at: bounds.Moment
    ends_at: bounds.Moment
    place: bounds.Note
    purpose: bounds.Code
    person_id: bounds.Id | None = None
    interpreter_id: bounds.Id | None = None


class BookingOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    interpreter: str


class QueueLineOut(Schema):
    call_id: int
    waited_seconds: int
    status: str
    emergency: bool


class InterpreterOut(Schema):
    id: int
    name: str
    state: str
    state_since: dt.datetime


class ConsoleOut(Schema):
    queue: list[QueueLineOut]
    needs_override: list[QueueLineOut]
    interpreters: list[InterpreterOut]
    sessions_today: int
    missed_today: int


class MonthOut(Schema):
    month: int
    calls: int
    answered: int
    answered_in_time_percent: int | None
    median_wait: int | None
    p95_wait: int | None
    missed: int
    minutes: int


class ReportOut(Schema):
    year: int
    months: list[MonthOut]
    total: MonthOut
    hours_used: int
    hours_entitled: int
    people_served: int


def _call(call: Call) -> dict[str, Any]:
    place = selectors.queue_place(call)
    session = selectors.session_of_call(call)
    return {
        "id": call.pk,
        "status": call.status,
        "purpose": call.purpose,
        "emergency": bool(call.priority),
        "created_at": call.created_at,
        "answered_at": call.answered_at,
        "position": place.position if place else None,
        "expected_wait_seconds": place.expected_wait_seconds if place else None,
        "session_id": session.pk if session else None,
    }


def _session(session: Session) -> dict[str, Any]:
    return {
        "id": session.pk,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "minutes": session.minutes,
        "interpreter": session.interpreter.display_name,
    }


def _month(line: selectors.MonthLine) -> dict[str, Any]:
    return {
        "month": line.month,
        "calls": line.calls,
        "answered": line.answered,
        "answered_in_time_percent": line.answered_in_time_percent,
        "median_wait": line.median_wait,
        "p95_wait": line.p95_wait,
        "missed": line.missed,
        "minutes": line.minutes,
    }


@router.get("/interpreting/me", response=MeOut, summary="A citizen's hours this year, open call and session")
def me(request: HttpRequest) -> dict[str, Any]:
    page = selectors.own_page(request.user)
    return {
        "entitled": page.entitlement is not None,
        "hours_per_year": page.entitlement.hours_per_year if page.entitlement else None,
        "balance_minutes": page.balance_minutes,
        "call": _call(page.call) if page.call else None,
        "session_id": page.session.pk if page.session else None,
    }


@router.post("/interpreting/calls", response={201: CallOut}, summary="Call an interpreter now")
def create_call(request: HttpRequest, payload: CallIn) -> Status[Any]:
    call = services.call_create(
        actor=request.user, place=payload.place, purpose=payload.purpose, emergency=payload.emergency
    )
    return Status(201, _call(call))


@router.get(
    "/interpreting/calls/{call_id}", response=CallOut, summary="One's own call and its place in the queue"
)
def get_call(request: HttpRequest, call_id: bounds.Id) -> dict[str, Any]:
    return _call(selectors.own_call(request.user, call_id))


@router.post("/interpreting/calls/{call_id}/cancel", response=CallOut, summary="Hang up before an answer")
def cancel_call(request: HttpRequest, call_id: bounds.Id) -> dict[str, Any]:
    return _call(services.call_cancel(actor=request.user, call_id=call_id))


@router.post(
    "/interpreting/calls/{call_id}/override",
    response=CallOut,
    summary="Let a call on a zero balance join the queue (a dispatcher, with a reason)",
)
def override_call(request: HttpRequest, call_id: bounds.Id, payload: OverrideIn) -> dict[str, Any]:
    return _call(services.call_override(actor=request.user, call_id=call_id, reason=payload.reason))


@router.post(
    "/interpreting/state", response=StateOut, summary="An interpreter makes themselves available or away"
)
def set_state(request: HttpRequest, payload: StateIn) -> dict[str, Any]:
    services.interpreter_set_state(actor=request.user, state=payload.state)
    return get_state(request)


@router.get(
    "/interpreting/state", response=StateOut, summary="An interpreter's state and the call offered to them"
)
def get_state(request: HttpRequest) -> dict[str, Any]:
    desk = selectors.desk(request.user)
    return {
        "state": desk.interpreter.state,
        "idle_since": desk.interpreter.idle_since,
        "offer_id": desk.offer.pk if desk.offer else None,
        "session_id": desk.session.pk if desk.session else None,
    }


@router.post(
    "/interpreting/offers/{offer_id}/accept", response={201: SessionOut}, summary="Take the call offered"
)
def accept_offer(request: HttpRequest, offer_id: bounds.Id) -> Status[Any]:
    return Status(201, _session(services.offer_accept(actor=request.user, offer_id=offer_id)))


@router.post("/interpreting/offers/{offer_id}/decline", response={204: None}, summary="Pass the call on")
def decline_offer(request: HttpRequest, offer_id: bounds.Id) -> Status[None]:
    services.offer_decline(actor=request.user, offer_id=offer_id)
    return Status(204, None)


@router.get("/interpreting/sessions/{session_id}", response=SessionOut, summary="A session one takes part in")
def get_session(request: HttpRequest, session_id: bounds.Id) -> dict[str, Any]:
    return _session(selectors.session_for(request.user, session_id))


@router.post("/interpreting/sessions/{session_id}/end", response=SessionOut, summary="End a session (once)")
def end_session(request: HttpRequest, session_id: bounds.Id) -> dict[str, Any]:
    return _session(services.session_end(actor=request.user, session_id=session_id))


@router.post(
    "/interpreting/sessions/{session_id}/rejoin",
    response=SessionOut,
    summary="Come back to a session after a dropped connection, within the grace period",
)
def rejoin_session(request: HttpRequest, session_id: bounds.Id) -> dict[str, Any]:
    return _session(services.session_rejoin(actor=request.user, session_id=session_id))


@router.post("/interpreting/bookings", response={201: BookingOut}, summary="Book an interpreter ahead")
def create_booking(request: HttpRequest, payload: BookingIn) -> Status[Any]:
    booking = services.booking_create(actor=request.user, **payload.dict())
    return Status(
        201,
        {
            "id": booking.pk,
            "starts_at": booking.starts_at,
            "ends_at": booking.ends_at,
            "status": booking.status,
            "interpreter": booking.interpreter.display_name,
        },
    )


@router.get("/interpreting/services/{service_id}/console", response=ConsoleOut, summary="The live queue")
def console(request: HttpRequest, service_id: bounds.Id) -> dict[str, Any]:
    found = selectors.console(request.user, service_id)

    def line(item: selectors.QueueLine) -> dict[str, Any]:
        return {
            "call_id": item.call.pk,
            "waited_seconds": item.waited_seconds,
            "status": item.call.status,
            "emergency": bool(item.call.priority),
        }

    return {
        "queue": [line(i) for i in found.queue],
        "needs_override": [line(i) for i in found.needs_override],
        "interpreters": [
            {"id": i.pk, "name": i.display_name, "state": i.state, "state_since": i.state_since}
            for i in found.interpreters
        ],
        "sessions_today": len(found.sessions_today),
        "missed_today": len(found.missed_today),
    }


@router.get("/interpreting/services/{service_id}/report", response=ReportOut, summary="A year by month")
def report(request: HttpRequest, service_id: bounds.Id, year: bounds.Year) -> dict[str, Any]:
    found = selectors.report(request.user, service_id, year)
    return {
        "year": found.year,
        "months": [_month(m) for m in found.months],
        "total": _month(found.total),
        "hours_used": found.hours_used,
        "hours_entitled": found.hours_entitled,
        "people_served": found.people_served,
    }
