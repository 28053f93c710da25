"""A room kind for the real-time tests: who is in which room is a table the test fills, and
every on_join and on_leave is written down, so that a test sees exactly when they ran."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asgiref.testing import ApplicationCommunicator

from qoldau.core.realtime.rooms import Participant, register_room_kind, unregister_room_kind

KIND = "test-call"


class RoomTable:
    def __init__(self) -> None:
        self.members: dict[str, set[str]] = {}
        self.calls: list[tuple[str, str, str]] = []

    def participant(self, user: Any, room_id: str) -> Participant | None:
        if user.username in self.members.get(room_id, set()):
            return Participant(name=f"Name of {user.username}", role="tester")
        return None

    def on_join(self, user: Any, room_id: str) -> None:
        self.calls.append(("join", user.username, room_id))

    def on_leave(self, user: Any, room_id: str) -> None:
        self.calls.append(("leave", user.username, room_id))


@contextmanager
def registered_test_rooms() -> Iterator[RoomTable]:
    rooms = RoomTable()
    register_room_kind(KIND, participant=rooms.participant, on_join=rooms.on_join, on_leave=rooms.on_leave)
    yield rooms
    unregister_room_kind(KIND)


class WebsocketCommunicator(ApplicationCommunicator):
    """Channels' WebsocketCommunicator, on asgiref's ApplicationCommunicator as Channels'
    own is: `channels.testing` cannot be imported without daphne (its live server), which
    Qoldau does not run."""

    def __init__(self, application: Any, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        scope = {
            "type": "websocket",
            "path": path,
            "query_string": b"",
            "headers": headers,
            "subprotocols": [],
        }
        super().__init__(application, scope)

    async def connect(self, timeout: float = 1) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, response.get("subprotocol")

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def receive_from(self, timeout: float = 1) -> str:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return str(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 1) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
