"""Error codes of the interpreting app. Shared refusals (not found, forbidden, conflict,
rate limited) are core's codes (`qoldau.core.errors`)."""

from qoldau.core.errors import ErrorCodeEnum


class InterpretingErrorCode(ErrorCodeEnum):
    NO_ENTITLEMENT = "no_entitlement"  # a call or booking for someone without confirmed hours
    ENTITLEMENT_EXPIRED = "entitlement_expired"  # the ИПАР's end has passed
    ENTITLEMENT_CONFIRMED = "entitlement_confirmed"  # staff confirm a person's hours once
    CALL_OPEN = "call_open"  # the account has a call waiting or in session already
    TOO_MANY_CALLS = "too_many_calls"  # a flood of calls from one account
    CALL_NOT_OPEN = "call_not_open"  # answered, missed or cancelled already
    OFFER_GONE = "offer_gone"  # the offer expired, was declined or taken
    BUSY = "busy"  # an interpreter in a session (or offered another call) cannot take one more
    SESSION_ENDED = "session_ended"  # ending or rejoining a session that has ended
    GRACE_OVER = "grace_over"  # rejoining after the grace period
    NO_OVERRIDE_NEEDED = "no_override_needed"  # an override of a call that has hours left
    REASON_REQUIRED = "reason_required"
    BOOKING_IN_PAST = "booking_in_past"
    BOOKING_TOO_LONG = "booking_too_long"
    DOUBLE_BOOKING = "double_booking"  # the interpreter is booked at that time
    NO_INTERPRETER_FREE = "no_interpreter_free"  # nobody of the service is free for the booking
    BOOKING_NOT_OPEN = "booking_not_open"  # a booking's session opened too early or after its end
    INVALID_STATE = "invalid_state"  # a state an interpreter cannot switch to now
    NOT_AN_INTERPRETER = "not_an_interpreter"
