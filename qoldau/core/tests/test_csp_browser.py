"""The Content-Security-Policy in Debian's Chromium: the main pages work under it with no
violation reported (the charts draw, the map loads, htmx swaps, the chat resets, Swagger
renders, the admin opens), and a name carrying a script stays inert text on the public
dashboard and the progress pages, with and without the policy's help.

Violations are caught twice: the page's `securitypolicyviolation` events (reported to
the test through a binding, across navigations) and Chromium's "Refused to ..." console
messages. The pages, users and data are `pages.py`'s, as the accessibility sweep's."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from qoldau.access.tests.factories import make_object, passport
from qoldau.core.models import VulnerabilityCategory
from qoldau.core.services import KatoRow, person_category_add, places_import_kato
from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    DESKTOP,
    TIMEOUT_MS,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.core.tests.markup import INJECTED
from qoldau.core.tests.pages import (
    Scene,
    ask_in_the_chat,
    export_xlsx,
    scene,
    search_by_name,
    submit_with_bad_iin,
)
from qoldau.projects import services as project_services
from qoldau.projects.tests.factories import service
from qoldau.settings import _tile_source

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

# Installed in every page before its own scripts; the binding outlives navigations.
LISTEN = """document.addEventListener('securitypolicyviolation', (e) => {
  window.qoldauCspViolation({
    page: location.pathname, directive: e.violatedDirective, blocked: e.blockedURI,
    source: e.sourceFile + ':' + e.lineNumber,
  });
});"""


@dataclass
class Watch:
    violations: list[Any] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not self.violations and not self.errors


@pytest.fixture
def open_watched(browser: Any, live_server: Any) -> Iterator[Callable[..., tuple[Any, Watch]]]:
    """Opens a page in a fresh context (Kazakh, optionally signed in, optionally without
    the policy) that records every violation and script error."""
    contexts: list[Any] = []
    cache.clear()

    def open_page(user: Any = None, *, bypass_csp: bool = False) -> tuple[Any, Watch]:
        watch = Watch()
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, bypass_csp=bypass_csp)
        context.set_default_timeout(TIMEOUT_MS)
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "kk", "url": live_server.url}]
        if user is not None:
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}
            )
        context.add_cookies(cookies)
        context.expose_binding("qoldauCspViolation", lambda source, report: watch.violations.append(report))
        context.add_init_script(LISTEN)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                watch.violations.append(message.text)
                if "Refused to" in message.text or "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        return page, watch

    yield open_page
    for context in contexts:
        context.close()


# What each page must show to count as working under the policy --------------------------


def _charts_drawn(page: Any, data: Scene | None = None) -> None:
    page.wait_for_function(
        "() => { const c = document.querySelectorAll('canvas[data-chart]');"
        " return c.length > 0 && [...c].every(x => x.hidden || Chart.getChart(x)); }",
        timeout=TIMEOUT_MS,
    )
    assert page.evaluate("[...document.querySelectorAll('canvas[data-chart]')].some(c => !c.hidden)")


def _map_ready(page: Any, data: Scene | None = None) -> None:
    page.wait_for_function(
        "() => document.getElementById('access-map').dataset.state === 'ready'", timeout=TIMEOUT_MS
    )
    assert page.locator(".leaflet-marker-icon").count() >= 1


def _chat_answered_and_reset(page: Any, data: Scene) -> None:
    ask_in_the_chat(page, data)
    # The question box empties after a successful send (site.js, not an hx-on attribute).
    page.wait_for_function("() => document.getElementById('id_text').value === ''", timeout=TIMEOUT_MS)


def _swagger_rendered(page: Any, data: Scene | None = None) -> None:
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()


def _admin_opened(page: Any, data: Scene | None = None) -> None:
    page.locator("#content h1").wait_for()
    assert page.locator("#user-tools").count() == 1


def _nothing(page: Any, data: Scene | None = None) -> None:
    page.wait_for_load_state("load")


@dataclass(frozen=True)
class WatchedPage:
    user: str | None  # an attribute of the World or the Scene, None for a visitor
    path: Callable[[Scene], str]
    works: Callable[[Any, Scene], None] = _nothing


WATCHED: dict[str, WatchedPage] = {
    "welcome": WatchedPage(None, lambda s: "/"),
    "start": WatchedPage("almaty_staff", lambda s: "/"),
    "dashboard-public": WatchedPage(None, lambda s: "/dashboard/public/?year=2025", _charts_drawn),
    "dashboard": WatchedPage("ministry", lambda s: "/dashboard/?year=2025", _charts_drawn),
    "dashboard-export-job": WatchedPage("almaty_admin", lambda s: "/dashboard/?year=2025", export_xlsx),
    "access-map": WatchedPage(None, lambda s: "/access/map/", _map_ready),
    "access-map-list": WatchedPage(None, lambda s: "/access/map/list/"),
    "progress": WatchedPage("ministry", lambda s: "/access/progress/", _charts_drawn),
    "progress-public": WatchedPage(None, lambda s: "/access/progress/public/", _charts_drawn),
    "consult-chat": WatchedPage(None, lambda s: "/consult/", _chat_answered_and_reset),
    "people-search": WatchedPage("almaty_staff", lambda s: "/people/", search_by_name),
    "form-with-errors": WatchedPage("almaty_staff", lambda s: "/people/new/", submit_with_bad_iin),
    "admin-index": WatchedPage("sysadmin", lambda s: "/admin/", _admin_opened),
    "admin-add-user": WatchedPage("sysadmin", lambda s: "/admin/auth/user/add/", _admin_opened),
    "api-docs": WatchedPage(None, lambda s: "/api/v1/docs", _swagger_rendered),
}


def _access_objects(data: Scene) -> None:
    surveyor = factories.user("surveyor.csp", "surveyor")
    officer = data.world.akimat_almaty
    school = make_object(officer, name="Мектеп №12", kind="education", latitude=43.26, longitude=76.95)
    passport(officer, surveyor, school, not_met={"ramp"})
    make_object(officer, name="Дүкен «Береке»", kind="trade_services", latitude=43.22, longitude=76.86)


@browser_test
@live_db
@pytest.mark.parametrize("name", list(WATCHED))
def test_the_page_works_under_the_policy_with_no_violation(open_watched: Any, name: str):
    case = WATCHED[name]
    data = scene()
    _access_objects(data)
    user = None if case.user is None else getattr(data.world, case.user, None) or getattr(data, case.user)
    page, watch = open_watched(user)
    response = page.goto(case.path(data))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert response.headers.get("content-security-policy"), name
    case.works(page, data)
    page.wait_for_load_state("load")
    assert watch.clean(), f"{name}: refused by the policy {watch.violations}, script errors {watch.errors}"


class _TileServer(BaseHTTPRequestHandler):
    # A 1×1 PNG for every tile: the map's tile server, the one thing outside the machine.
    PNG = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cf000000030101001ec0e2e70000000049454e44ae426082"
    )

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.PNG)))
        self.end_headers()
        self.wfile.write(self.PNG)

    def log_message(self, *args: Any) -> None:
        pass


@browser_test
@live_db
@pytest.mark.parametrize("allowed", [True, False], ids=["in-img-src", "not-in-img-src"])
def test_map_tiles_load_only_from_the_server_the_policy_names(
    open_watched: Any, settings: Any, allowed: bool
):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TileServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        # Another port is another origin: only the policy's img-src lets its tiles in.
        tiles = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
        settings.QOLDAU_MAP_TILE_URL = tiles
        if allowed:
            # What settings.py does with QOLDAU_MAP_TILE_URL when the process starts.
            directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
            directives["img-src"] = [*directives["img-src"], *_tile_source(tiles)]
            settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
        data = scene()
        _access_objects(data)
        page, watch = open_watched()
        page.goto("/access/map/")
        _map_ready(page)
        if allowed:
            page.wait_for_function(
                "() => [...document.querySelectorAll('img.leaflet-tile')]"
                ".some(t => t.complete && t.naturalWidth === 1)",
                timeout=TIMEOUT_MS,
            )
            assert watch.clean(), f"refused by the policy {watch.violations}, script errors {watch.errors}"
        else:
            page.wait_for_function("() => document.querySelectorAll('img.leaflet-tile').length > 0")
            page.wait_for_timeout(500)
            refused = [v for v in watch.violations if isinstance(v, dict) and v["directive"] == "img-src"]
            assert refused, watch.violations
            assert page.evaluate(
                "[...document.querySelectorAll('img.leaflet-tile')].every(t => !t.naturalWidth)"
            )
    finally:
        server.shutdown()
        server.server_close()


# Stored XSS ---------------------------------------------------------------------------------


def _names_carry_a_script(data: Scene) -> None:
    """A category (added in the admin) and a region (from a KATO file) whose names carry a
    script, each with figures, so that they reach the charts of both pages."""
    w = data.world
    admin = Client()
    admin.force_login(w.sysadmin)
    added = admin.post(
        "/admin/core/vulnerabilitycategory/add/",
        {"code": "injected", "name_kk": INJECTED, "name_ru": INJECTED, "name_en": INJECTED, "sort_order": 1},
    )
    assert added.status_code == 302
    injected = VulnerabilityCategory.objects.get(code="injected")
    # Enough people that the public dashboard shows the category (no small count to hide).
    for number in range(6):
        person = factories.person(w.almaty_staff, w.almaty_ngo, last_name=f"Адам{number}")
        person_category_add(actor=w.almaty_staff, person=person, category=injected, since=dt.date(2024, 1, 1))
        project_services.delivery_record(
            actor=w.almaty_staff,
            project=data.project,
            person_id=person.pk,
            service=service(),
            delivered_on=dt.date(2025, 3, 4),
        )
    places_import_kato(actor=None, rows=[KatoRow(2, factories.ALMATY, INJECTED, INJECTED)])


@browser_test
@live_db
@pytest.mark.parametrize(
    ("path", "user"),
    [
        ("/dashboard/public/?year=2025", None),
        ("/access/progress/public/", None),
        ("/access/progress/", "ministry"),
    ],
)
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-policy", "markup-alone"])
def test_a_name_carrying_a_script_stays_inert_text(
    open_watched: Any, path: str, user: str | None, bypass_csp: bool
):
    data = scene()
    _access_objects(data)
    _names_carry_a_script(data)
    # Without the policy (markup-alone) nothing but the escaping stops the script.
    page, watch = open_watched(user and getattr(data.world, user), bypass_csp=bypass_csp)
    page.goto(path)  # to its load event: every script of the page has run
    assert page.evaluate("typeof window.pwned") == "undefined", "the name ran as a script"
    _charts_drawn(page)
    labels = page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')]"
        ".flatMap(c => Chart.getChart(c) ? Chart.getChart(c).data.labels : [])"
        # charts.js wraps a long label into its lines
        ".map(label => Array.isArray(label) ? label.join(' ') : label)"
    )
    assert INJECTED in labels, "the name is shown as text in the chart"
    assert page.locator("script:not([src])").evaluate_all("els => els.map(e => e.type)") == [
        "application/json"
    ]
    assert watch.clean(), f"refused by the policy {watch.violations}, script errors {watch.errors}"
