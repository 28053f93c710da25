"""The video call for real: the ASGI application served by uvicorn (as `qoldau serve` runs
it) on a free port, and Chromium with its fake camera and microphone. Two signed-in users
open the call's page and each sees the OTHER's moving picture (decoded frames growing,
pixels changing, the track the other sends); a third is refused; a page that drops comes
back within the grace period and the call goes on. The page is axe-clean in kk, ru, en."""

from __future__ import annotations

import socket as sockets
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from django.conf import settings
from django.contrib.auth import get_user_model

from qoldau.asgi_worker import Worker
from qoldau.core.tests.browser import (
    CHROMIUM,
    DESKTOP,
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    session_cookie,
)
from qoldau.core.tests.realtime_rooms import RoomTable, registered_test_rooms

pytestmark = [browser_test, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("axe_is_built")]
MEDIA_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


@pytest.fixture
def rooms() -> Iterator[RoomTable]:
    with registered_test_rooms() as registered:
        yield registered


@pytest.fixture
def asgi_server(settings: Any) -> Iterator[str]:
    settings.ROOT_URLCONF = "qoldau.core.tests.realtime_urls"
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from qoldau.asgi import application

    with sockets.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    options = {k: v for k, v in Worker.CONFIG_KWARGS.items() if k not in ("loop", "http")}
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", **options)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the ASGI server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def media_browser(browser: Any) -> Iterator[Any]:
    """Chromium with a fake camera and microphone (a moving test picture and a tone), and
    the permission prompt answered yes."""
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=MEDIA_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def room() -> str:
    # A room of its own in each test: what a test leaves in the in-memory layer's rooms (a
    # participant's grace period) is no other test's.
    return f"room-{uuid.uuid4().hex[:12]}"


def open_call(media_browser: Any, base: str, user: Any, room: str, *, language: str = "en") -> Any:
    context = media_browser.new_context(base_url=base, viewport=DESKTOP)
    # Two pictures encoded and decoded at once on a shared machine: more time than a page.
    context.set_default_timeout(2 * TIMEOUT_MS)
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": base},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
        ]
    )
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    response = page.goto(f"/test-call/{room}/")
    assert response is not None
    assert response.status == 200, (response.status, page.url, page.inner_text("body")[:500])
    assert page.query_selector("#call-status") is not None, (page.url, page.inner_text("body")[:500])
    return page


def status(page: Any) -> tuple[str, str]:
    state: tuple[str, str] = page.eval_on_selector(
        "#call-status", "el => [el.dataset.state, document.getElementById('call-status-text').textContent]"
    )
    return state


def wait_for_state(page: Any, state: str) -> None:
    page.wait_for_function("(s) => document.getElementById('call-status').dataset.state === s", arg=state)


REMOTE = """() => {
  const video = document.getElementById('call-remote-video');
  const stream = video.srcObject;
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 48;
  const context = canvas.getContext('2d');
  context.drawImage(video, 0, 0, 64, 48);
  return {
    frames: video.getVideoPlaybackQuality().totalVideoFrames,
    width: video.videoWidth,
    stream: stream ? stream.id : null,
    pixels: Array.from(context.getImageData(0, 0, 64, 48).data),
  };
}"""
LOCAL_STREAM = "() => document.getElementById('call-local-video').srcObject.id"


def assert_shows_moving_video_of(page: Any, other: Any) -> None:
    page.wait_for_function(
        "() => { const v = document.getElementById('call-remote-video');"
        " return v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 5; }"
    )
    first = page.evaluate(REMOTE)
    page.wait_for_timeout(1000)
    second = page.evaluate(REMOTE)
    # The picture is the one the other page sends (WebRTC carries the sender's stream id).
    assert first["stream"] == other.evaluate(LOCAL_STREAM)
    assert first["stream"] != page.evaluate(LOCAL_STREAM)
    assert second["frames"] > first["frames"] + 5, (first["frames"], second["frames"])
    changed = sum(1 for a, b in zip(first["pixels"], second["pixels"], strict=True) if abs(a - b) > 8)
    assert changed > 50, f"the remote picture did not move ({changed} values changed)"
    assert any(value > 0 for value in second["pixels"][0::4]), "the remote picture is black"


def user(name: str) -> Any:
    return get_user_model().objects.create_user(name, password="x")


def test_two_browsers_see_each_others_moving_video_and_a_dropped_page_rejoins(
    asgi_server, media_browser, rooms, room
):
    ana, bek, cem = user("ana"), user("bek"), user("cem")
    rooms.members[room] = {"ana", "bek", "cem"}
    first = open_call(media_browser, asgi_server, ana, room)
    wait_for_state(first, "waiting")
    second = open_call(media_browser, asgi_server, bek, room)
    wait_for_state(first, "connected")
    wait_for_state(second, "connected")
    assert_shows_moving_video_of(first, second)
    assert_shows_moving_video_of(second, first)
    assert "Name of bek" in first.inner_text("#call-remote-caption")

    # The chat beside the pictures.
    second.fill("#call-chat-text", "Can you see me?")
    second.press("#call-chat-text", "Enter")
    first.wait_for_selector("#call-chat-log li:has-text('Can you see me?')")
    assert "Name of bek" in first.inner_text("#call-chat-log li")

    # A third participant is refused: a call is one to one.
    third = open_call(media_browser, asgi_server, cem, room)
    wait_for_state(third, "refused")
    assert status(third)[1] == "This call already has two participants."
    assert first.evaluate(REMOTE)["stream"] == second.evaluate(LOCAL_STREAM)

    # bek's page drops; ana is told, and bek comes back within the grace period.
    second.context.close()
    wait_for_state(first, "away")
    back = open_call(media_browser, asgi_server, bek, room)
    wait_for_state(back, "connected")
    wait_for_state(first, "connected")
    assert_shows_moving_video_of(first, back)
    assert_shows_moving_video_of(back, first)
    # One session: bek joined once, nobody left.
    assert rooms.calls == [("join", "ana", room), ("join", "bek", room)]

    # Leaving ends the call for both, at once.
    back.click("#call-leave")
    wait_for_state(back, "ended")
    first.wait_for_function("() => document.getElementById('call-remote-video').srcObject === null")
    assert rooms.calls[-1] == ("leave", "bek", room)
    for page in (first, back, third):
        assert not [p for p in page.problems if "Content Security Policy" in p], page.problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_call_page_is_accessible(asgi_server, media_browser, rooms, room, language):
    ana, bek = user("ana"), user("bek")
    rooms.members[room] = {"ana", "bek"}
    first = open_call(media_browser, asgi_server, ana, room, language=language)
    second = open_call(media_browser, asgi_server, bek, room, language=language)
    wait_for_state(first, "connected")
    assert first.evaluate("document.documentElement.lang") == language
    second.fill("#call-chat-text", "Сәлем")
    second.press("#call-chat-text", "Enter")
    first.wait_for_selector("#call-chat-log li")
    assert_no_serious_violations(first, "the video call", language)
    # A phone of 360 px: nothing wider than the window, the controls within reach.
    first.set_viewport_size({"width": 360, "height": 740})
    assert first.evaluate("document.documentElement.scrollWidth") <= 360
    # The keyboard reaches every control; each says what it does in words.
    first.focus("#call-mute")
    first.keyboard.press("Enter")
    assert first.inner_text("#call-mute .call-label").strip() not in ("", status(first)[1])
    assert (
        first.evaluate(
            "() => document.getElementById('call-local-video').srcObject.getAudioTracks()[0].enabled"
        )
        is False
    )
