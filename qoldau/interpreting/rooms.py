"""The interpreting kind of core's real-time rooms: a session's room admits exactly its
person and its interpreter while the session is open, and their joins and leaves drive the
grace period in which a dropped party may come back (`services.session_left`,
`services.session_rejoined`)."""

from __future__ import annotations

from typing import Any

from qoldau.core.realtime import rooms


def register() -> None:
    """Register the "interpreting" room kind with core's real-time rooms."""
    from qoldau.interpreting import services

    def participant(user: Any, room_id: str) -> rooms.Participant | None:
        found = services.room_participant(user=user, room_id=room_id)
        if found is None:
            return None
        return rooms.Participant(name=found[0], role=found[1])

    def on_join(user: Any, room_id: str) -> None:
        services.room_joined(user=user, room_id=room_id)

    def on_leave(user: Any, room_id: str) -> None:
        services.room_left(user=user, room_id=room_id)

    rooms.register_room_kind("interpreting", participant=participant, on_join=on_join, on_leave=on_leave)
