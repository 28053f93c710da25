"""Every write of interpreting: entitlements, interpreters' states, calls and their dispatch,
sessions, the hours ledger, callback messages and bookings.

Dispatch. Calls are served in the order they arrive, an emergency first (recorded and
audited). The call at the head of the queue is offered to the available interpreter idle
longest who has not declined it or let its offer lapse; an offer not accepted within
`QOLDAU_INTERPRETING_OFFER_SECONDS` lapses, its interpreter is set away (they are not at
their desk) and the call goes to the next. Every dispatch write of a service first locks the
service's row, so that two processes never offer one interpreter two calls or connect one
call twice; the database's constraints (one pending offer per call and per interpreter, one
session per call, one open session per interpreter and per person) hold behind that.

Each writing function takes `at` (the moment it acts, now by default) so that the
benchmark replays a compressed working day through this same code.
"""

from qoldau.interpreting.services.bookings import (
    booking_cancel,
    booking_create,
    booking_open,
    bookings_remind,
)
from qoldau.interpreting.services.common import balance_minutes
from qoldau.interpreting.services.dispatch import (
    call_cancel,
    call_create,
    call_override,
    dispatch,
    dispatch_in_transaction,
    offer_accept,
    offer_decline,
    offers_lapse,
)
from qoldau.interpreting.services.people import (
    entitlement_confirm,
    interpreter_add,
    interpreter_add_in_transaction,
    interpreter_set_state,
)
from qoldau.interpreting.services.sessions import (
    callback_done,
    callback_leave,
    room_joined,
    room_left,
    room_participant,
    session_end,
    session_left,
    session_rejoin,
    sessions_close_abandoned,
)

__all__ = [
    "balance_minutes",
    "booking_cancel",
    "booking_create",
    "booking_open",
    "bookings_remind",
    "call_cancel",
    "call_create",
    "call_override",
    "callback_done",
    "callback_leave",
    "dispatch",
    "dispatch_in_transaction",
    "entitlement_confirm",
    "interpreter_add",
    "interpreter_add_in_transaction",
    "interpreter_set_state",
    "offer_accept",
    "offer_decline",
    "offers_lapse",
    "room_joined",
    "room_left",
    "room_participant",
    "session_end",
    "session_left",
    "session_rejoin",
    "sessions_close_abandoned",
]
