"""What a browser may send on a call's socket, checked before anything is relayed.

Every message is one JSON object of a known type with bounded fields; anything else is
refused (`invalid_message`) and goes nowhere. The bounds are generous for real WebRTC
(an offer's SDP is a few kilobytes, a candidate line under 300 characters) and small
enough that a participant cannot make the other's browser or the layer carry megabytes."""

from __future__ import annotations

import json
from typing import Any

# One frame: larger ones are refused before they are parsed.
MAX_FRAME_BYTES = 64 * 1024
MAX_SDP_CHARS = 32_000
MAX_CANDIDATE_CHARS = 2_000
MAX_MID_CHARS = 64
MAX_UFRAG_CHARS = 256
MAX_MLINE_INDEX = 255
MAX_CHAT_CHARS = 1_000


class InvalidMessage(ValueError):
    pass


def _text(value: Any, limit: int, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or len(value) > limit or (not value and not allow_empty):
        raise InvalidMessage
    return value


def _optional_text(value: Any, limit: int) -> str | None:
    return None if value is None else _text(value, limit, allow_empty=True)


def _signal(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or len(data) != 1:
        raise InvalidMessage
    if "description" in data:
        description = data["description"]
        if not isinstance(description, dict) or set(description) != {"type", "sdp"}:
            raise InvalidMessage
        if description["type"] not in ("offer", "answer"):
            raise InvalidMessage
        return {
            "description": {
                "type": description["type"],
                "sdp": _text(description["sdp"], MAX_SDP_CHARS),
            }
        }
    if "candidate" in data:
        candidate = data["candidate"]
        if not isinstance(candidate, dict) or not set(candidate) <= {
            "candidate",
            "sdpMid",
            "sdpMLineIndex",
            "usernameFragment",
        }:
            raise InvalidMessage
        index = candidate.get("sdpMLineIndex")
        if index is not None and (
            not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= MAX_MLINE_INDEX
        ):
            raise InvalidMessage
        return {
            "candidate": {
                # An empty candidate line is the end of the candidates.
                "candidate": _text(candidate.get("candidate"), MAX_CANDIDATE_CHARS, allow_empty=True),
                "sdpMid": _optional_text(candidate.get("sdpMid"), MAX_MID_CHARS),
                "sdpMLineIndex": index,
                "usernameFragment": _optional_text(candidate.get("usernameFragment"), MAX_UFRAG_CHARS),
            }
        }
    raise InvalidMessage


def parse(text: str) -> dict[str, Any]:
    """The message, rebuilt from its checked fields only (nothing unknown is relayed)."""
    try:
        message = json.loads(text)
    # RecursionError: a frame of nothing but nested brackets.
    except (ValueError, RecursionError) as error:
        raise InvalidMessage from error
    if not isinstance(message, dict):
        raise InvalidMessage
    kind = message.get("type")
    if kind == "signal" and set(message) == {"type", "data"}:
        return {"type": "signal", "data": _signal(message["data"])}
    if kind == "chat" and set(message) == {"type", "text"}:
        chat = _text(message["text"], MAX_CHAT_CHARS)
        if not chat.strip():
            raise InvalidMessage
        return {"type": "chat", "text": chat}
    if kind == "leave" and set(message) == {"type"}:
        return {"type": "leave"}
    raise InvalidMessage
