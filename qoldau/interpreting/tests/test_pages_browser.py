"""The interpreting pages in Debian's Chromium: the citizen's call page while their call
waits (the queue place refreshed by htmx), their bookings and session, the interpreter's
desk with a call offered, the dispatcher's console and the report, with no serious WCAG 2.1
AA violation (axe-core) at 1280 and 320 px in Kazakh, Russian and English. The machinery
is `core/tests/browser.py`'s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings

from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.interpreting import services
from qoldau.interpreting.models import Offer, OfferOutcome
from qoldau.interpreting.tests import factories

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


def _scene() -> dict[str, Any]:
    s = factories.scene(interpreters=2)
    # The session first: a call waiting already would be the one offered (first come,
    # first served), and its caller would be in the session instead.
    in_session, _ = factories.deaf_citizen(s)
    taker = s.interpreters[1]
    factories.available(taker)
    services.call_create(actor=in_session, place="ХҚКО", purpose="public_service")
    session = services.offer_accept(
        actor=taker.user, offer_id=Offer.objects.get(interpreter=taker, outcome=OfferOutcome.PENDING).pk
    )
    waiting, _ = factories.deaf_citizen(s)
    services.call_create(actor=waiting, place="№5 емхана", purpose="medical")
    # The dispatcher (also an interpreter) is offered the waiting call.
    factories.available(s.interpreters[0])
    users = {"waiting": waiting, "in_session": in_session, "dispatcher": s.dispatcher}
    return {"users": users, "service": s.service, "session": session}


PAGES: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "call-waiting": ("waiting", lambda d: "/interpreting/"),
    "bookings": ("waiting", lambda d: "/interpreting/bookings/"),
    "session": ("in_session", lambda d: f"/interpreting/session/{d['session'].pk}/"),
    "desk-offered": ("dispatcher", lambda d: "/interpreting/desk/"),
    "console": ("dispatcher", lambda d: f"/interpreting/console/{d['service'].pk}/"),
    "report": ("dispatcher", lambda d: f"/interpreting/report/{d['service'].pk}/"),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_interpreting_page_has_no_serious_wcag_violations(
    context: Any, live_server: Any, name: str, language: str
):
    data = _scene()
    user_name, path = PAGES[name]
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(data["users"][user_name]),
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    response = page.goto(path(data))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)
