"""A call to an interpreter for real, from the button to the minutes: the ASGI application
served by uvicorn on a free port (as `qoldau serve` runs it, the way core's own call test
does), and Chromium with its fake camera and microphone in two contexts. A deaf citizen
presses "Call an interpreter"; the available interpreter sees the offer on the desk (it
polls) and accepts it; both land on the session page, each sees the OTHER's moving video,
the chat works; the person's page drops and comes back within the grace period and the same
session goes on; the person ends the session, and its minutes are debited once and one
delivery is recorded, even after the room has let both sockets go."""

from __future__ import annotations

import re
import socket as sockets
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from django.conf import settings

from qoldau.asgi_worker import Worker
from qoldau.core.tests.browser import CHROMIUM, DESKTOP, TIMEOUT_MS, browser_test, session_cookie
from qoldau.core.tests.test_realtime_browser import MEDIA_ARGS, assert_shows_moving_video_of
from qoldau.interpreting.models import LedgerEntry, LedgerKind, Session
from qoldau.interpreting.tests import factories
from qoldau.projects.models import ServiceDelivery

pytestmark = [
    browser_test,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def asgi_server(settings: Any) -> Iterator[str]:
    """The whole application (its own URLs: the interpreting pages and the call's socket)
    on a free port; one process, so the in-memory channel layer."""
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
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=MEDIA_ARGS)
    yield chromium
    chromium.close()


def signed_in(media_browser: Any, base: str, user: Any) -> Any:
    context = media_browser.new_context(base_url=base, viewport=DESKTOP)
    # Two pictures encoded and decoded at once on a shared machine: more time than a page.
    context.set_default_timeout(2 * TIMEOUT_MS)
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": base},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base},
        ]
    )
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    return page


def wait_for_state(page: Any, state: str) -> None:
    page.wait_for_function(
        "(s) => { const e = document.querySelector('#video-call #call-status');"
        " return e !== null && e.dataset.state === s; }",
        arg=state,
    )


def test_a_deaf_citizen_calls_an_interpreter_sees_them_and_the_minutes_count_once(
    asgi_server, media_browser, settings
):
    s = factories.scene(interpreters=1)
    interpreter = s.interpreters[0]
    factories.available(interpreter)
    citizen, person = factories.deaf_citizen(s)

    # The citizen calls.
    caller = signed_in(media_browser, asgi_server, citizen)
    caller.goto("/interpreting/")
    caller.fill("#id_place", "№5 емхана")
    caller.select_option("#id_purpose", "medical")
    caller.get_by_role("button", name="Call an interpreter").click()
    caller.wait_for_url(re.compile(r"/interpreting/$"))

    # The interpreter's desk polls; the offer appears and is accepted.
    desk = signed_in(media_browser, asgi_server, interpreter.user)
    desk.goto("/interpreting/desk/")
    desk.get_by_role("button", name="Accept the call").click()
    desk.wait_for_url(re.compile(r"/interpreting/session/\d+/$"))
    session = Session.objects.get(person=person)
    assert desk.url.endswith(f"/interpreting/session/{session.pk}/")
    # The citizen's page (it polls too) goes on to the same session by itself.
    caller.wait_for_url(re.compile(rf"/interpreting/session/{session.pk}/$"))

    wait_for_state(caller, "connected")
    wait_for_state(desk, "connected")
    assert_shows_moving_video_of(caller, desk)
    assert_shows_moving_video_of(desk, caller)
    assert interpreter.display_name in caller.inner_text("#call-remote-caption")

    # The chat beside the pictures, both ways.
    caller.fill("#call-chat-text", "Дәрігер не айтты?")
    caller.press("#call-chat-text", "Enter")
    desk.wait_for_selector("#call-chat-log li:has-text('Дәрігер не айтты?')")
    desk.fill("#call-chat-text", "Бір минут.")
    desk.press("#call-chat-text", "Enter")
    caller.wait_for_selector("#call-chat-log li:has-text('Бір минут.')")

    # The citizen's page drops (a phone losing its network) and comes back within the grace
    # period: the call page leads back to the same session, and the pictures come back.
    caller.context.close()
    wait_for_state(desk, "away")
    caller = signed_in(media_browser, asgi_server, citizen)
    caller.goto("/interpreting/")
    caller.wait_for_url(re.compile(rf"/interpreting/session/{session.pk}/$"))
    wait_for_state(caller, "connected")
    wait_for_state(desk, "connected")
    assert_shows_moving_video_of(caller, desk)
    assert_shows_moving_video_of(desk, caller)
    assert Session.objects.filter(person=person).count() == 1
    session.refresh_from_db()
    assert session.ended_at is None
    assert session.person_left_at is None

    # From now on a dropped socket's place goes quickly, so that the room's leave (after the
    # session has ended) happens within this test and must not count the minutes again.
    settings.QOLDAU_CALL_GRACE_SECONDS = 1.0
    caller.get_by_role("button", name="End the session").click()
    caller.wait_for_url(re.compile(r"/interpreting/$"))
    assert "The session has ended" in caller.inner_text("body")
    # The interpreter's page is told that the citizen has gone.
    desk.wait_for_function("() => document.getElementById('call-remote-video').srcObject === null")
    time.sleep(2)

    session.refresh_from_db()
    assert session.ended_at is not None
    assert session.ended_by_id == citizen.pk
    debits = LedgerEntry.objects.filter(entitlement__person=person, kind=LedgerKind.DEBIT)
    assert [(d.session_id, d.minutes) for d in debits] == [(session.pk, session.minutes)]
    assert session.minutes >= 1
    deliveries = ServiceDelivery.objects.filter(person=person)
    assert [d.pk for d in deliveries] == [session.delivery_id]
    assert deliveries[0].quantity == session.minutes
    for page in (caller, desk):
        assert not [p for p in page.problems if "Content Security Policy" in p], page.problems
