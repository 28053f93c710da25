"""Nothing a page loads leaves this machine: in Debian's Chromium, a representative set of
pages (the start page, the map, the dashboard, the chat with a question asked, the API
docs, a signed-in staff page) in Kazakh, Russian and English, with every request the page
makes recorded (`page.on("request")`: documents, scripts, styles, fonts, images, tiles,
XHR). Any request whose host is not 127.0.0.1 or localhost fails the test, naming it.

The template check (`test_conventions.test_templates_load_nothing_from_another_host`)
reads our templates; this one also catches what a library's template, a stylesheet's
`url()`, a script's `fetch` or a third-party default (Swagger UI's validator badge, a tile
server) would load."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache

from qoldau.access.tests.factories import make_object, passport
from qoldau.core.tests import factories
from qoldau.core.tests.browser import DESKTOP, LANGUAGES, TIMEOUT_MS, browser_test, live_db, session_cookie
from qoldau.core.tests.pages import Scene, ask_in_the_chat, scene

pytestmark = pytest.mark.usefixtures("reference_data")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# URLs with no host: inline images, blobs a script made, the page a tab opens with.
HOSTLESS_SCHEMES = {"data", "blob", "about"}


def _loaded(page: Any, data: Scene) -> None:
    page.wait_for_load_state("load")


def _map_ready(page: Any, data: Scene) -> None:
    page.wait_for_function(
        "() => document.getElementById('access-map').dataset.state === 'ready'", timeout=TIMEOUT_MS
    )


def _charts_drawn(page: Any, data: Scene) -> None:
    page.wait_for_function(
        "() => { const c = document.querySelectorAll('canvas[data-chart]');"
        " return c.length > 0 && [...c].every(x => x.hidden || Chart.getChart(x)); }",
        timeout=TIMEOUT_MS,
    )


def _swagger_rendered(page: Any, data: Scene) -> None:
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()


@dataclass(frozen=True)
class Visit:
    path: str
    ready: Callable[[Any, Scene], None] = _loaded
    staff: bool = False


VISITS = {
    "start": Visit("/"),
    "map": Visit("/access/map/", _map_ready),
    "dashboard": Visit("/dashboard/public/?year=2025", _charts_drawn),
    "chat": Visit("/consult/", ask_in_the_chat),
    "api-docs": Visit("/api/v1/docs", _swagger_rendered),
    "staff-people": Visit("/people/", _loaded, staff=True),
    "staff-start": Visit("/", _loaded, staff=True),
}


def leaves_the_machine(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in HOSTLESS_SCHEMES:
        return False
    return parts.hostname not in LOCAL_HOSTS


def test_the_host_check_tells_local_from_remote():
    assert not leaves_the_machine("http://127.0.0.1:8000/static/site.css")
    assert not leaves_the_machine("http://localhost:41234/api/v1/docs")
    assert not leaves_the_machine("data:image/png;base64,iVBORw0KGgo=")
    assert leaves_the_machine("https://cdn.jsdelivr.net/npm/swagger-ui-dist/swagger-ui.css")
    assert leaves_the_machine("https://tile.openstreetmap.org/1/0/0.png")
    assert leaves_the_machine("http://127.0.0.1.example.com/x.js")
    assert leaves_the_machine("wss://example.org/socket")


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_requests_anything_outside_this_machine(browser: Any, live_server: Any, language: str):
    data = scene()
    officer = data.world.akimat_almaty
    school = make_object(officer, name="Мектеп №12", kind="education", latitude=43.26, longitude=76.95)
    passport(officer, factories.user("surveyor.net", "surveyor"), school, not_met={"ramp"})
    cache.clear()

    requested: list[tuple[str, str]] = []
    contexts = []
    try:
        for name, visit in VISITS.items():
            context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
            contexts.append(context)
            # A page may be slow on a busy machine; the check is about where it goes, not how fast.
            context.set_default_timeout(4 * TIMEOUT_MS)
            context.set_default_navigation_timeout(4 * TIMEOUT_MS)
            cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            if visit.staff:
                cookies.append(
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session_cookie(data.world.almaty_staff),
                        "url": live_server.url,
                    }
                )
            context.add_cookies(cookies)
            page = context.new_page()
            page.on("request", lambda request, name=name: requested.append((name, request.url)))
            response = page.goto(visit.path)
            assert response is not None
            assert response.status == 200, f"{name}: {response.status} {response.url}"
            visit.ready(page, data)
            page.wait_for_load_state("networkidle")
            if name != "api-docs":  # Swagger UI's page is ninja's, in English only
                assert page.evaluate("document.documentElement.lang") == language, name
            contexts.remove(context)
            context.close()
    finally:
        for context in contexts:
            context.close()
        # Named first, even when a page then failed to load (waiting on a remote host).
        outside = [(name, url) for name, url in requested if leaves_the_machine(url)]
        assert outside == [], f"requests that leave 127.0.0.1: {outside}"

    pages = {name for name, _url in requested}
    assert pages == set(VISITS), pages
    # Each page loaded its own scripts and styles from here: the check saw real requests.
    assert len(requested) > 3 * len(VISITS)
