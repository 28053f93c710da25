"""The call's signalling socket through the real ASGI application (origin check, session
cookie, routing) with Channels' communicator, on the Redis channel layer: admission, the
two-participant cap, the relay, the checks on messages, on_join and on_leave, and a dropped
participant's grace period. Each participant's consumer has its own layer instance (own
Redis connections, own channel names), as two web processes would."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections

from qoldau.core.realtime import messages, presence
from qoldau.core.realtime.consumers import CLOSE_FULL, CLOSE_NOT_ALLOWED, CLOSE_REPLACED, group_name
from qoldau.core.tests.browser import session_cookie
from qoldau.core.tests.realtime_rooms import KIND, RoomTable, WebsocketCommunicator, registered_test_rooms

pytestmark = pytest.mark.django_db(transaction=True)
REDIS = "redis://127.0.0.1:6379/0"
ROOM = "room-1"
OFFER = {
    "type": "signal",
    "data": {"description": {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}},
}


@pytest.fixture
def rooms() -> Iterator[RoomTable]:
    with registered_test_rooms() as registered:
        yield registered


@pytest.fixture(autouse=True)
def redis_layer(settings: Any) -> Any:
    # A prefix of its own: nothing of another test (or another helper's run) is seen.
    prefix = f"qoldau-test-{uuid.uuid4().hex[:12]}"
    settings.QOLDAU_CHANNEL_LAYER_URL = REDIS
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS], "prefix": prefix},
        }
    }
    settings.QOLDAU_CALL_GRACE_SECONDS = 0.5
    return prefix


def new_process_layer() -> None:
    """What a second web process has: a layer instance of its own on the same Redis."""
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    channel_layers.backends["default"] = RedisChannelLayer(**config)


def user(name: str) -> Any:
    return get_user_model().objects.create_user(name, password="x")


def socket(who: Any, *, room: str = ROOM, kind: str = KIND, origin: bytes = b"http://127.0.0.1:8000") -> Any:
    headers = [(b"origin", origin)]
    if who is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_cookie(who)}".encode()))
    from qoldau.asgi import application

    return WebsocketCommunicator(application, f"/ws/call/{kind}/{room}/", headers=headers)


async def receive(communicator: Any) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await communicator.receive_from(timeout=3))
    return message


async def join(communicator: Any) -> dict[str, Any]:
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return await receive(communicator)


async def refused(communicator: Any) -> tuple[str, int]:
    message = await join(communicator)
    assert message["type"] == "refused", message
    closed = await communicator.receive_output(timeout=3)
    assert closed["type"] == "websocket.close"
    return message["code"], closed["code"]


def run(scenario: Any) -> None:
    """Run the scenario in a thread of its own: once a browser test has run in this
    session, Playwright's event loop occupies the test's thread. The consumers' ORM calls
    run in that thread (thread-sensitive), on its own connection to the test database."""
    failures: list[BaseException] = []

    def target() -> None:
        try:
            async_to_sync(scenario)()
        except BaseException as failure:  # handed to the test's thread
            failures.append(failure)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the scenario did not finish"
    if failures:
        raise failures[0]


def test_the_two_participants_reach_each_other_across_processes(rooms):
    ana, bek = user("ana"), user("bek")
    rooms.members[ROOM] = {"ana", "bek"}

    async def scenario() -> None:
        first = socket(ana)
        welcome = await join(first)
        assert welcome["type"] == "welcome"
        assert welcome["offer"] is False  # nobody to call yet
        assert welcome["you"] == {"name": "Name of ana", "role": "tester"}
        assert welcome["peer"] is None
        assert welcome["iceServers"] == []
        new_process_layer()
        second = socket(bek)
        welcome = await join(second)
        assert welcome["offer"] is True  # the second one offers
        assert welcome["peer"] == {"name": "Name of ana", "role": "tester"}
        assert await receive(first) == {
            "type": "peer",
            "state": "joined",
            "peer": {"name": "Name of bek", "role": "tester"},
        }
        await second.send_to(text_data=json.dumps(OFFER))
        assert await receive(first) == {"type": "signal", "data": OFFER["data"]}
        candidate = {"candidate": "candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host", "sdpMid": "0"}
        await first.send_to(text_data=json.dumps({"type": "signal", "data": {"candidate": candidate}}))
        relayed = await receive(second)
        assert relayed["data"]["candidate"]["candidate"] == candidate["candidate"]
        assert await second.receive_nothing(timeout=0.2)  # nothing echoed to the sender
        await first.send_to(text_data=json.dumps({"type": "chat", "text": "Сәлем!"}))
        assert await receive(second) == {
            "type": "chat",
            "name": "Name of ana",
            "text": "Сәлем!",
            "mine": False,
        }
        assert (await receive(first))["mine"] is True
        await first.disconnect()
        await second.disconnect()
        await asyncio.sleep(0.8)  # the grace period ends

    run(scenario)
    assert rooms.calls[:2] == [("join", "ana", ROOM), ("join", "bek", ROOM)]
    assert sorted(rooms.calls[2:]) == [("leave", "ana", ROOM), ("leave", "bek", ROOM)]


def test_nobody_but_the_participants_gets_in(rooms):
    ana, eve = user("ana"), user("eve")
    rooms.members[ROOM] = {"ana", "bek"}

    async def scenario() -> None:
        inside = socket(ana)
        await join(inside)
        # Another user, a stranger without a session, an unknown kind, another room: all alike.
        assert await refused(socket(eve)) == ("not_allowed", CLOSE_NOT_ALLOWED)
        assert await refused(socket(None)) == ("not_allowed", CLOSE_NOT_ALLOWED)
        assert await refused(socket(ana, kind="no-such-kind")) == ("not_allowed", CLOSE_NOT_ALLOWED)
        assert await refused(socket(ana, room="room-2")) == ("not_allowed", CLOSE_NOT_ALLOWED)
        # Another site's page cannot open the socket with the user's cookie.
        foreign = socket(ana, origin=b"https://evil.example.org")
        connected, _ = await foreign.connect(timeout=5)
        assert not connected
        assert await inside.receive_nothing(timeout=0.3)  # the participant heard of none of them
        await inside.disconnect()

    run(scenario)
    assert rooms.calls == [("join", "ana", ROOM)]


def test_a_room_holds_two_participants(rooms):
    ana, bek, cem = user("ana"), user("bek"), user("cem")
    rooms.members[ROOM] = {"ana", "bek", "cem"}

    async def scenario() -> None:
        first, second = socket(ana), socket(bek)
        await join(first)
        await join(second)
        assert await refused(socket(cem)) == ("room_full", CLOSE_FULL)
        # One who leaves makes room.
        await second.send_to(text_data=json.dumps({"type": "leave"}))
        await asyncio.sleep(0.2)
        assert (await join(socket(cem)))["type"] == "welcome"

    run(scenario)
    assert rooms.calls == [
        ("join", "ana", ROOM),
        ("join", "bek", ROOM),
        ("leave", "bek", ROOM),
        ("join", "cem", ROOM),
    ]


def test_a_dropped_participant_comes_back_within_the_grace_period(rooms, settings):
    settings.QOLDAU_CALL_GRACE_SECONDS = 1.5
    ana, bek, cem = user("ana"), user("bek"), user("cem")
    rooms.members[ROOM] = {"ana", "bek", "cem"}

    async def scenario() -> None:
        first, second = socket(ana), socket(bek)
        await join(first)
        await join(second)
        await receive(first)  # bek joined
        await second.disconnect()  # dropped, no "leave"
        assert (await receive(first))["state"] == "away"
        # The place is kept: a third participant cannot take it meanwhile.
        assert await refused(socket(cem)) == ("room_full", CLOSE_FULL)
        new_process_layer()  # bek comes back through another web process
        again = socket(bek)
        welcome = await join(again)
        assert welcome["offer"] is True
        assert (await receive(first))["state"] == "joined"
        await asyncio.sleep(1.8)  # past the first grace period: it must not end the call
        await again.send_to(text_data=json.dumps({"type": "chat", "text": "still here"}))
        assert (await receive(first))["text"] == "still here"

    run(scenario)
    # Joined once each, nobody left: the minutes of the session are counted once.
    assert rooms.calls == [("join", "ana", ROOM), ("join", "bek", ROOM)]


def test_a_participant_who_does_not_come_back_has_left_after_the_grace_period(rooms):
    ana, bek = user("ana"), user("bek")
    rooms.members[ROOM] = {"ana", "bek"}

    async def scenario() -> None:
        first, second = socket(ana), socket(bek)
        await join(first)
        await join(second)
        await receive(first)
        await second.disconnect()
        assert (await receive(first))["state"] == "away"
        assert rooms.calls == [("join", "ana", ROOM), ("join", "bek", ROOM)]
        assert await receive(first) == {"type": "peer", "state": "left", "peer": None}
        assert rooms.calls[-1] == ("leave", "bek", ROOM)
        assert list(await presence.members(group_name(KIND, ROOM))) == [str(ana.pk)]

    run(scenario)


def test_the_same_user_opening_the_call_again_replaces_the_first_socket(rooms):
    ana, bek = user("ana"), user("bek")
    rooms.members[ROOM] = {"ana", "bek"}

    async def scenario() -> None:
        old, peer = socket(ana), socket(bek)
        await join(old)
        await join(peer)
        await receive(old)  # bek joined
        new = socket(ana)
        await join(new)
        message = await receive(old)
        assert message == {"type": "refused", "code": "replaced"}
        assert (await old.receive_output(timeout=3))["code"] == CLOSE_REPLACED
        await peer.send_to(text_data=json.dumps({"type": "chat", "text": "hello"}))
        # Only the new socket hears the peer; the old one is out of the group.
        assert (await receive(peer))["state"] == "joined"  # ana, on her new socket
        assert (await receive(new))["text"] == "hello"
        assert (await receive(peer))["text"] == "hello"

    run(scenario)
    assert rooms.calls == [("join", "ana", ROOM), ("join", "bek", ROOM)]


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        "[]",
        json.dumps({"type": "shout", "text": "x"}),
        json.dumps({"type": "chat", "text": ""}),
        json.dumps({"type": "chat", "text": "   "}),
        json.dumps({"type": "chat", "text": "x" * (messages.MAX_CHAT_CHARS + 1)}),
        json.dumps({"type": "chat", "text": "x", "to": "someone"}),
        json.dumps({"type": "chat", "text": 5}),
        json.dumps({"type": "signal", "data": {"description": {"type": "rollback", "sdp": ""}}}),
        json.dumps({"type": "signal", "data": {"description": {"type": "offer", "sdp": "x" * 40_000}}}),
        json.dumps({"type": "signal", "data": {"candidate": {"candidate": "c", "sdpMLineIndex": -1}}}),
        json.dumps({"type": "signal", "data": {"candidate": {"candidate": "c", "extra": 1}}}),
        json.dumps({"type": "signal", "data": {"candidate": {"candidate": "c"}, "description": {}}}),
        "[" * 30_000,
    ],
)
def test_a_bad_message_is_refused_and_relayed_to_nobody(rooms, bad):
    ana, bek = user("ana"), user("bek")
    rooms.members[ROOM] = {"ana", "bek"}

    async def scenario() -> None:
        first, second = socket(ana), socket(bek)
        await join(first)
        await join(second)
        await receive(first)
        await first.send_to(text_data=bad)
        assert await receive(first) == {"type": "error", "code": "invalid_message"}
        assert await second.receive_nothing(timeout=0.3)

    run(scenario)


def test_the_chat_is_bounded_in_rate_and_a_frame_in_size(rooms):
    ana, bek = user("ana"), user("bek")
    rooms.members[ROOM] = {"ana", "bek"}

    async def scenario() -> None:
        first, second = socket(ana), socket(bek)
        await join(first)
        await join(second)
        await receive(first)
        for number in range(8):
            await first.send_to(text_data=json.dumps({"type": "chat", "text": f"line {number}"}))
        answers = [await receive(first) for _ in range(8)]
        errors = [a for a in answers if a["type"] == "error"]
        assert len(errors) == 3
        assert {e["code"] for e in errors} == {"chat_too_fast"}
        received = [(await receive(second))["text"] for _ in range(5)]
        assert received == [f"line {n}" for n in range(5)]
        assert await second.receive_nothing(timeout=0.3)
        # A frame over the bound closes the socket before it is read.
        await first.send_to(text_data="x" * (messages.MAX_FRAME_BYTES + 1))
        assert await receive(first) == {"type": "refused", "code": "too_large"}

    run(scenario)


def test_the_longest_room_makes_a_valid_group_name():
    layer = RedisChannelLayer(hosts=[REDIS])
    assert layer.require_valid_group_name(group_name("k" * 32, "r" * 48))


def test_turn_credentials_are_coturns_time_limited_ones(settings):
    import base64
    import hashlib
    import hmac
    import time

    from qoldau.core.realtime.ice import ice_servers

    assert ice_servers("7") == []
    settings.QOLDAU_ICE_SERVERS = ["stun:turn.example.kz:3478", "turns:turn.example.kz:5349"]
    assert ice_servers("7")[1] == {"urls": ["turns:turn.example.kz:5349"]}  # no secret, no credentials
    settings.QOLDAU_TURN_SECRET = "s3cret"
    stun, turn = ice_servers("7")
    assert stun == {"urls": ["stun:turn.example.kz:3478"]}
    expiry, user_id = turn["username"].split(":")
    assert user_id == "7"
    assert time.time() + 11 * 3600 < int(expiry) < time.time() + 13 * 3600
    # coturn's use-auth-secret check: base64(HMAC-SHA1(secret, user name)).
    expected = base64.b64encode(
        hmac.new(b"s3cret", turn["username"].encode(), hashlib.sha1).digest()
    ).decode()
    assert turn["credential"] == expected
    assert "s3cret" not in str(turn)


def test_the_page_has_words_for_every_refusal():
    from qoldau.core.realtime.consumers import Refusal
    from qoldau.core.templatetags.realtime import video_call_config

    words = video_call_config(KIND, "room-1")["words"]
    assert {str(code) for code in Refusal} <= set(words)
