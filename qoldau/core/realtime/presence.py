"""Who is in a room while a call lasts, shared by every web process.

With the Redis channel layer (several processes, several machines) a room's members are one
Redis key, read and written under a Redis lock; with the in-memory layer (one process) they
are a dict under an asyncio lock. Either way each change is one read-modify-write of the
whole room, so two people pressing "join" at once cannot both take the second place.

A member is `present` (a socket is open) or `away` (the socket dropped without "leave"): an
away member keeps the place until `until`, so that the same person coming back within the
grace period is the same participant, and nobody else can take the place meanwhile."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from qoldau.core.realtime.rooms import CAPACITY

# A room nobody has touched for this long is forgotten (a process that died mid-call).
ROOM_TTL_SECONDS = 12 * 3600
LOCK_SECONDS = 5

Room = dict[str, dict[str, Any]]  # user id -> {"channel", "state", "until", "token", "shown"}

_memory_rooms: dict[str, Room] = {}
# An asyncio lock belongs to one event loop: one set of locks per loop.
_memory_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _redis_layer() -> tuple[str, str] | None:
    """The Redis URL and key prefix of the channel layer, or None for the in-memory one."""
    layer: dict[str, Any] = settings.CHANNEL_LAYERS["default"]
    if not str(layer["BACKEND"]).startswith("channels_redis."):
        return None
    config = layer.get("CONFIG", {})
    host = config["hosts"][0]
    url = host if isinstance(host, str) else host["address"]
    return str(url), str(config.get("prefix", "asgi"))


@asynccontextmanager
async def _room(key: str) -> AsyncIterator[Room]:
    redis_layer = _redis_layer()
    if redis_layer is None:
        locks = _memory_locks.setdefault(asyncio.get_running_loop(), {})
        async with locks.setdefault(key, asyncio.Lock()):
            held = _memory_rooms.setdefault(key, {})
            yield held
            if not held:
                _memory_rooms.pop(key, None)
                locks.pop(key, None)
        return
    import redis.asyncio as redis

    url, prefix = redis_layer
    name = f"{prefix}:realtime:room:{key}"
    # A client per change: joins and leaves are rare, and a client is bound to the event
    # loop it was made in.
    client = redis.Redis.from_url(url)
    try:
        async with client.lock(f"{name}:lock", timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS):
            raw = await client.get(name)
            room: Room = json.loads(raw) if raw else {}
            yield room
            if room:
                await client.set(name, json.dumps(room), ex=ROOM_TTL_SECONDS)
            else:
                await client.delete(name)
    finally:
        await client.aclose()


def _expire(room: Room, now: float) -> list[str]:
    gone = [uid for uid, member in room.items() if member["state"] == "away" and member["until"] <= now]
    for uid in gone:
        del room[uid]
    return gone


@dataclass
class Admission:
    """What admitting a user to a room did."""

    outcome: str  # "joined", "resumed" (back within the grace period), "replaced" or "full"
    # The user's earlier socket, still open (another tab, a half-open connection): it goes.
    replaced_channel: str | None = None
    # Members whose grace period ran out meanwhile: they have left now.
    expired: list[str] = field(default_factory=list)
    peer_present: bool = False
    # How the other member (present or away) is shown: {"name", "role"}.
    peer: dict[str, str] | None = None


async def admit(key: str, *, user_id: str, channel: str, shown: dict[str, str]) -> Admission:
    async with _room(key) as room:
        expired = _expire(room, time.time())
        member = room.get(user_id)
        if member is None and len(room) >= CAPACITY:
            return Admission("full", expired=expired)
        if member is None:
            outcome, replaced = "joined", None
        elif member["state"] == "away":
            outcome, replaced = "resumed", None
        else:
            outcome, replaced = "replaced", str(member["channel"])
        room[user_id] = {"channel": channel, "state": "present", "until": 0.0, "token": "", "shown": shown}
        others = [member for uid, member in room.items() if uid != user_id]
        return Admission(
            outcome,
            replaced_channel=replaced,
            expired=expired,
            peer_present=any(m["state"] == "present" for m in others),
            peer=dict(others[0]["shown"]) if others else None,
        )


async def leave(key: str, *, user_id: str, channel: str) -> bool:
    """The user left on purpose: their place goes now. False when this socket no longer
    holds the place (another of the user's sockets took it over)."""
    async with _room(key) as room:
        member = room.get(user_id)
        if member is None or member["channel"] != channel:
            return False
        del room[user_id]
        return True


async def drop(key: str, *, user_id: str, channel: str, grace: float) -> str | None:
    """The socket closed without "leave": the place is kept for `grace` seconds. Returns
    the token that `expire_if_still_away` needs, or None when this socket no longer holds
    the place."""
    async with _room(key) as room:
        member = room.get(user_id)
        if member is None or member["channel"] != channel or member["state"] != "present":
            return None
        token = secrets.token_hex(8)
        member.update(state="away", until=time.time() + grace, token=token)
        return token


async def expire_if_still_away(key: str, *, user_id: str, token: str) -> bool:
    """After the grace period: True when the user did not come back (their place goes now,
    once, whichever process asks first)."""
    async with _room(key) as room:
        member = room.get(user_id)
        if member is None or member["state"] != "away" or member["token"] != token:
            return False
        del room[user_id]
        return True


async def members(key: str) -> Room:
    async with _room(key) as room:
        return {uid: dict(member) for uid, member in room.items()}
