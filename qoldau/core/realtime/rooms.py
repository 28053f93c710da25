"""The kinds of rooms the apps register, and who may be in a room.

A kind names a callable that says who takes part in one of its rooms (`participant`: a
`Participant` for a user who may connect, None for everybody else) and, optionally, what
happens when someone joins or leaves (`on_join`, `on_leave`: an interpreting session's
start and end). The callables are synchronous and may read and write the database; the
socket's consumer calls them outside its event loop.

A room holds at most two participants (a 1:1 call). `on_join` is called once when a user
comes into a room, not when the same user comes back after a dropped connection within the
grace period; `on_leave` once when the user leaves (the "leave" button, or the grace period
running out after a dropped connection)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A kind is an app's short name for its rooms; a room's id is the app's own key (a record's
# id, a UUID, a token). Both travel in the socket's path and make the room's group name in
# the channel layer (under 100 characters), so they are bounded and plain.
KIND_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,31}")
ROOM_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,48}")
CAPACITY = 2


@dataclass(frozen=True)
class Participant:
    """How a participant is shown to the other: a name and a role (`interpreter`, `caller`,
    ...), both already in the words the app wants to show."""

    name: str
    role: str


ParticipantFor = Callable[[Any, str], Participant | None]
RoomHook = Callable[[Any, str], None]


@dataclass(frozen=True)
class RoomKind:
    kind: str
    participant: ParticipantFor
    on_join: RoomHook | None = None
    on_leave: RoomHook | None = None


_KINDS: dict[str, RoomKind] = {}


def register_room_kind(
    kind: str,
    *,
    participant: ParticipantFor,
    on_join: RoomHook | None = None,
    on_leave: RoomHook | None = None,
) -> None:
    """Plug a kind of room in (an app's `AppConfig.ready`). Registering a kind again
    replaces it (tests register their own)."""
    if not KIND_PATTERN.fullmatch(kind):
        raise ValueError(f"A room kind is {KIND_PATTERN.pattern}, not {kind!r}.")
    _KINDS[kind] = RoomKind(kind=kind, participant=participant, on_join=on_join, on_leave=on_leave)


def unregister_room_kind(kind: str) -> None:
    _KINDS.pop(kind, None)


def room_kind(kind: str) -> RoomKind | None:
    return _KINDS.get(kind)


def valid_room(kind: str, room_id: str) -> bool:
    return bool(KIND_PATTERN.fullmatch(kind) and ROOM_ID_PATTERN.fullmatch(room_id))


def participant_for(user: Any, kind: str, room_id: str) -> Participant | None:
    """The user's place in the room, or None: not signed in, an unknown kind, a malformed
    room id, or the kind's rule says no. All of them look the same to the user."""
    registered = _KINDS.get(kind)
    if registered is None or not valid_room(kind, room_id):
        return None
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    found = registered.participant(user, room_id)
    return found if isinstance(found, Participant) else None
