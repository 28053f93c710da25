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
import time
from collections.abc import Iterator
from typing import Any

import pytest

from qoldau.core.tests.browser import browser_test
from qoldau.core.tests.media_call import (
    assert_shows_moving_video_of,
    launched_media_browser,
    served_asgi,
    signed_in_page,
)
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
    """The whole application (its own URLs: the interpreting pages and the call's socket)."""
    with served_asgi(settings) as base:
        yield base


@pytest.fixture
def media_browser(browser: Any) -> Iterator[Any]:
    with launched_media_browser(browser) as chromium:
        yield chromium


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
    caller = signed_in_page(media_browser, asgi_server, citizen)
    caller.goto("/interpreting/")
    caller.fill("#id_place", "№5 емхана")
    caller.select_option("#id_purpose", "medical")
    caller.get_by_role("button", name="Call an interpreter").click()
    caller.wait_for_url(re.compile(r"/interpreting/$"))

    # The interpreter's desk polls; the offer appears and is accepted.
    desk = signed_in_page(media_browser, asgi_server, interpreter.user)
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
    caller = signed_in_page(media_browser, asgi_server, citizen)
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
