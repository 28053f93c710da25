"""The call's signalling socket: admits the room's participants, relays WebRTC's offers,
answers and ICE candidates between the two, and carries the chat. Nothing is stored.

The socket is reached only through `qoldau.asgi` (the Origin must be one of
`ALLOWED_HOSTS`, the user comes from the session cookie). Everyone who is not one of the
room's participants (signed out, another user, an unknown room) is refused alike, before
anything of the room is told; a third participant is refused as "full". Messages are
checked (`messages.parse`) and bounded in size and rate."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from enum import StrEnum
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model

from qoldau.core.realtime import messages, presence
from qoldau.core.realtime.ice import ice_servers
from qoldau.core.realtime.rooms import Participant, participant_for, room_kind

logger = logging.getLogger(__name__)


class Refusal(StrEnum):
    """What the socket tells the page when it refuses a connection or a message (the page
    has words for each, `templatetags/realtime.py`). Not API error codes: they never leave
    the socket."""

    NOT_ALLOWED = "not_allowed"  # not one of the room's participants, or no such room
    ROOM_FULL = "room_full"  # the room has its two participants
    REPLACED = "replaced"  # the same user opened the call on another socket
    TOO_LARGE = "too_large"  # a frame over messages.MAX_FRAME_BYTES
    FLOOD = "flood"  # over the bound on messages in all
    ERROR = "error"  # the app's on_join failed
    INVALID_MESSAGE = "invalid_message"  # a message that messages.parse refuses
    CHAT_TOO_FAST = "chat_too_fast"  # over the chat's rate


# Close codes (4000-4999 are the application's); the page tells each in words.
CLOSE_NOT_ALLOWED = 4403
CLOSE_FULL = 4409
CLOSE_REPLACED = 4408
CLOSE_TOO_LARGE = 4413
CLOSE_FLOOD = 4429
CLOSE_LEFT = 4000
CLOSE_ERROR = 4500

# Chat: a few lines at once, then one a second.
CHAT_BURST = 5
CHAT_PER_SECOND = 1.0
# Every message (signalling included): a negotiation sends a few dozen at once.
MESSAGES_BURST = 200
MESSAGES_PER_SECOND = 50.0


class _Bucket:
    def __init__(self, burst: int, per_second: float) -> None:
        self.burst, self.per_second = burst, per_second
        self.tokens = float(burst)
        self.at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def group_name(kind: str, room_id: str) -> str:
    return f"call.{kind}.{room_id}"


def _user_by_id(user_id: str) -> Any:
    return get_user_model().objects.filter(pk=user_id).first()


def _call_hook(kind: str, hook_name: str, user: Any, room_id: str) -> None:
    registered = room_kind(kind)
    hook = getattr(registered, hook_name, None) if registered else None
    if hook is not None and user is not None:
        hook(user, room_id)


def _call_hook_for_id(kind: str, hook_name: str, user_id: str, room_id: str) -> None:
    _call_hook(kind, hook_name, _user_by_id(user_id), room_id)


async def _finish_after_grace(kind: str, room_id: str, user_id: str, token: str, grace: float) -> None:
    """The dropped user had `grace` seconds to come back; if they did not, they have left."""
    await asyncio.sleep(grace)
    key = group_name(kind, room_id)
    if await presence.expire_if_still_away(key, user_id=user_id, token=token):
        await database_sync_to_async(_call_hook_for_id)(kind, "on_leave", user_id, room_id)
        await _tell_left(key, user_id)


async def _tell_left(key: str, user_id: str) -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(key, {"type": "room.peer", "from": user_id, "state": "left", "peer": None})


class CallConsumer(AsyncWebsocketConsumer):
    kind: str
    room_id: str
    key: str
    user_id: str
    participant: Participant | None = None
    admitted = False
    left = False

    async def connect(self) -> None:
        route = self.scope["url_route"]["kwargs"]
        self.kind, self.room_id = route["kind"], route["room_id"]
        self.key = group_name(self.kind, self.room_id)
        user = self.scope.get("user")
        self.participant = await database_sync_to_async(participant_for)(user, self.kind, self.room_id)
        # Accepted first, so that the page can be told why in words; nothing of the room is
        # said before the check has passed.
        await self.accept()
        if self.participant is None:
            await self._refuse(Refusal.NOT_ALLOWED, CLOSE_NOT_ALLOWED)
            return
        self.user_id = str(user.pk)
        admission = await presence.admit(
            self.key, user_id=self.user_id, channel=self.channel_name, shown=self._me()
        )
        for gone in admission.expired:
            # Someone whose grace period ran out while their process was gone.
            await database_sync_to_async(_call_hook_for_id)(self.kind, "on_leave", gone, self.room_id)
        if admission.outcome == "full":
            await self._refuse(Refusal.ROOM_FULL, CLOSE_FULL)
            return
        if admission.replaced_channel:
            await self.channel_layer.group_discard(self.key, admission.replaced_channel)
            await self.channel_layer.send(admission.replaced_channel, {"type": "room.replaced"})
        if admission.outcome == "joined":
            try:
                await database_sync_to_async(_call_hook)(self.kind, "on_join", user, self.room_id)
            except Exception:
                logger.exception("on_join of room kind %s failed", self.kind)
                await presence.leave(self.key, user_id=self.user_id, channel=self.channel_name)
                await self._refuse(Refusal.ERROR, CLOSE_ERROR)
                return
        self.admitted = True
        self.chat_bucket = _Bucket(CHAT_BURST, CHAT_PER_SECOND)
        self.message_bucket = _Bucket(MESSAGES_BURST, MESSAGES_PER_SECOND)
        await self.channel_layer.group_add(self.key, self.channel_name)
        await self.channel_layer.group_send(
            self.key,
            {"type": "room.peer", "from": self.user_id, "state": "joined", "peer": self._me()},
        )
        await self._send(
            {
                "type": "welcome",
                "you": self._me(),
                "peer": admission.peer,
                # The one who comes second makes the offer; the first waits for it.
                "offer": admission.peer_present,
                "grace": float(settings.QOLDAU_CALL_GRACE_SECONDS),
                "iceServers": ice_servers(self.user_id),
            }
        )

    def _me(self) -> dict[str, str]:
        shown = self.participant or Participant(name="", role="")
        return {"name": shown.name, "role": shown.role}

    async def _send(self, message: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(message, ensure_ascii=False))

    async def _refuse(self, code: Refusal, close_code: int) -> None:
        await self._send({"type": "refused", "code": code})
        await self.close(code=close_code)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.admitted:
            return
        if text_data is None or len(text_data.encode()) > messages.MAX_FRAME_BYTES:
            await self._refuse(Refusal.TOO_LARGE, CLOSE_TOO_LARGE)
            return
        if not self.message_bucket.take():
            await self._refuse(Refusal.FLOOD, CLOSE_FLOOD)
            return
        try:
            message = messages.parse(text_data)
        except messages.InvalidMessage:
            await self._send({"type": "error", "code": Refusal.INVALID_MESSAGE})
            return
        if message["type"] == "signal":
            await self.channel_layer.group_send(
                self.key, {"type": "room.signal", "from": self.user_id, "data": message["data"]}
            )
        elif message["type"] == "chat":
            if not self.chat_bucket.take():
                await self._send({"type": "error", "code": Refusal.CHAT_TOO_FAST})
                return
            await self.channel_layer.group_send(
                self.key,
                {
                    "type": "room.chat",
                    "from": self.user_id,
                    "name": self._me()["name"],
                    "text": message["text"],
                },
            )
        else:
            await self._leave()

    async def _leave(self) -> None:
        self.left = True
        await self.channel_layer.group_discard(self.key, self.channel_name)
        if await presence.leave(self.key, user_id=self.user_id, channel=self.channel_name):
            user = self.scope.get("user")
            await database_sync_to_async(_call_hook)(self.kind, "on_leave", user, self.room_id)
            await _tell_left(self.key, self.user_id)
        await self.close(code=CLOSE_LEFT)

    async def disconnect(self, code: int) -> None:
        if not self.admitted or self.left:
            return
        self.admitted = False
        await self.channel_layer.group_discard(self.key, self.channel_name)
        grace = float(settings.QOLDAU_CALL_GRACE_SECONDS)
        token = await presence.drop(self.key, user_id=self.user_id, channel=self.channel_name, grace=grace)
        if token is None:
            return
        await self.channel_layer.group_send(
            self.key, {"type": "room.peer", "from": self.user_id, "state": "away", "peer": self._me()}
        )
        # Outlives this consumer: the event loop of the process runs it.
        task = asyncio.get_running_loop().create_task(
            _finish_after_grace(self.kind, self.room_id, self.user_id, token, grace)
        )
        _pending.add(task)
        task.add_done_callback(_pending.discard)

    # Messages from the channel layer ----------------------------------------------------

    async def room_peer(self, event: dict[str, Any]) -> None:
        if event["from"] != self.user_id:
            await self._send({"type": "peer", "state": event["state"], "peer": event["peer"]})

    async def room_signal(self, event: dict[str, Any]) -> None:
        if event["from"] != self.user_id:
            await self._send({"type": "signal", "data": event["data"]})

    async def room_chat(self, event: dict[str, Any]) -> None:
        await self._send(
            {
                "type": "chat",
                "name": event["name"],
                "text": event["text"],
                "mine": event["from"] == self.user_id,
            }
        )

    async def room_replaced(self, event: dict[str, Any]) -> None:
        # The same user opened the call again (another tab, or came back before this
        # socket was seen to drop): this socket gives way, without leaving the room.
        self.admitted = False
        await self._refuse(Refusal.REPLACED, CLOSE_REPLACED)


_pending: set[asyncio.Task[None]] = set()
