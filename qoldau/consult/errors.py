"""Error codes of the consult app (conversations with a consultant). Shared refusals are
core's codes (`qoldau.core.errors`)."""

from qoldau.core.errors import ErrorCodeEnum


class ConsultErrorCode(ErrorCodeEnum):
    CLOSED = "closed"  # the conversation is closed: nothing more is written to it
    EMPTY_CONVERSATION = "empty_conversation"  # handed to a consultant before any question
    TAKEN = "taken"  # another consultant answers the conversation already
    NOT_WAITING = "not_waiting"  # taken before the person asked for a consultant
