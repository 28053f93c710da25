"""The video call for real: the ASGI application served by uvicorn (as `qoldau serve` runs
it) on a free port, and Chromium with its fake camera and microphone. Two signed-in users
open the call's page and each sees the OTHER's moving picture (decoded frames growing,
pixels changing, the track the other sends); a third is refused; a page that drops comes
back within the grace period and the call goes on. The page is axe-clean in kk, ru, en."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
)
from qoldau.core.tests.media_call import (
    LOCAL_STREAM,
    REMOTE,
    assert_shows_moving_video_of,
    launched_media_browser,
    served_asgi,
    signed_in_page,
)
from qoldau.core.tests.realtime_rooms import RoomTable, registered_test_rooms

pytestmark = [browser_test, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("axe_is_built")]


@pytest.fixture
def rooms() -> Iterator[RoomTable]:
    with registered_test_rooms() as registered:
        yield registered


@pytest.fixture
def asgi_server(settings: Any) -> Iterator[str]:
    settings.ROOT_URLCONF = "qoldau.core.tests.realtime_urls"
    with served_asgi(settings) as base:
        yield base


@pytest.fixture
def media_browser(browser: Any) -> Iterator[Any]:
    with launched_media_browser(browser) as chromium:
        yield chromium


@pytest.fixture
def room() -> str:
    # A room of its own in each test: what a test leaves in the in-memory layer's rooms (a
    # participant's grace period) is no other test's.
    return f"room-{uuid.uuid4().hex[:12]}"


def open_call(media_browser: Any, base: str, user: Any, room: str, *, language: str = "en") -> Any:
    page = signed_in_page(media_browser, base, user, language=language)
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
