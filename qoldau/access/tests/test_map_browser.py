"""The public map in Debian's Chromium: with no tile server it still shows clusters,
objects and the list; choosing a category redraws the statuses; and the map, the list, an
object's page and the barrier form have no serious WCAG 2.1 AA violation (axe-core, the
method and helpers of `qoldau/core/tests/browser.py`) in Kazakh, Russian and
English, at 1280 and 320 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from qoldau.access.models import AccessObject
from qoldau.access.tests.factories import make_object, passport
from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    DESKTOP,
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    live_db,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

# At 320 px nothing may make the page scroll sideways (WCAG 1.4.10); the map clips its
# own markers, so the page's scroll width is what counts.


@dataclass
class Scene:
    school: AccessObject  # not accessible for К (no ramp), accessible for С
    shop: AccessObject  # accessible for К, partially for С (no Braille signs)
    packed: list[AccessObject]  # thirty objects in one block: a cluster


def scene() -> Scene:
    officer = factories.user("akimat.almaty", "akimat_officer", kato=factories.ALMATY)
    surveyor = factories.user("surveyor.map", "surveyor")
    school = make_object(officer, name="Мектеп №12", kind="education", latitude=43.26, longitude=76.95)
    shop = make_object(officer, name="Дүкен «Береке»", kind="trade_services", latitude=43.22, longitude=76.86)
    passport(officer, surveyor, school, not_met={"ramp"})
    passport(officer, surveyor, shop, not_met={"braille_signage"})
    packed = [
        make_object(
            officer,
            name=f"Үй №{index}",
            kind="residential",
            latitude=43.2 + index * 0.00005,
            longitude=76.8 + index * 0.00005,
        )
        for index in range(30)
    ]
    return Scene(school, shop, packed)


@pytest.fixture
def page_in(browser: Any, live_server: Any) -> Iterator[Callable[[str], Any]]:
    contexts: list[Any] = []
    cache.clear()

    def open_in(language: str) -> Any:
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_in
    for context in contexts:
        context.close()


def _wait_for_map(page: Any, category: str) -> dict[str, str]:
    page.wait_for_function(
        "(c) => { const m = document.getElementById('access-map');"
        " return m.dataset.state === 'ready' && m.dataset.category === c; }",
        arg=category,
        timeout=TIMEOUT_MS,
    )
    dataset: dict[str, str] = page.eval_on_selector("#access-map", "m => ({...m.dataset})")
    return dataset


def _sign_labels(page: Any) -> dict[str, tuple[str, str]]:
    """Each single object's marker: its accessible name and the sign's symbol."""
    pairs = page.eval_on_selector_all(
        ".leaflet-marker-icon.map-sign",
        "els => els.map(e => [e.getAttribute('aria-label'), e.textContent.trim()])",
    )
    return {label.split(":")[0]: (label, symbol) for label, symbol in pairs}


@browser_test
@live_db
def test_the_map_shows_clusters_objects_and_the_list_with_no_tile_server(page_in: Any, live_server: Any):
    data = scene()
    page = page_in("en")
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    page.goto("/access/map/")
    dataset = _wait_for_map(page, "К")
    assert dataset["objects"] == "32"
    assert int(dataset["clusters"]) >= 1
    cluster = page.locator(".leaflet-marker-icon.map-cluster").first
    assert cluster.get_attribute("aria-label") == "30 objects here. Zoom in to see them."
    assert cluster.inner_text() == "30"
    assert page.locator("#map-status").inner_text() == "Objects on the map: 32."
    assert page.locator(".leaflet-tile").count() == 0
    assert outside == [], f"the map reached outside the site: {outside}"

    # A cluster opens by the keyboard: Enter zooms in until it splits.
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => { const counts = Array.from(document.querySelectorAll('.map-cluster'),"
        " e => e.textContent.trim()); return counts.length > 1 && !counts.includes('30'); }",
        timeout=TIMEOUT_MS,
    )

    # The list: the same objects, without JavaScript too.
    page.goto("/access/map/")
    _wait_for_map(page, "К")
    page.locator("#map-list-link").click()
    page.wait_for_url("**/access/map/list/**")
    assert page.locator("table tbody tr").count() == 32
    row = page.locator("table tbody tr", has_text=data.school.name_kk)
    assert "Not accessible" in row.inner_text()


@browser_test
@live_db
def test_choosing_a_category_changes_the_statuses_on_the_map(page_in: Any):
    data = scene()
    page = page_in("en")
    page.goto("/access/map/")
    _wait_for_map(page, "К")
    signs = _sign_labels(page)
    assert signs[data.school.name_kk] == (f"{data.school.name_kk}: Not accessible", "✕")
    assert signs[data.shop.name_kk] == (f"{data.shop.name_kk}: Accessible", "✓")

    page.get_by_label("С: vision impairments").check()
    _wait_for_map(page, "С")
    signs = _sign_labels(page)
    assert signs[data.school.name_kk] == (f"{data.school.name_kk}: Accessible", "✓")
    assert signs[data.shop.name_kk] == (f"{data.shop.name_kk}: Partially accessible", "◐")
    assert page.locator("#map-title").inner_text() == "Accessibility for С: vision impairments"
    # The choice is kept in the address and in the link to the list.
    assert "category=%D0%A1" in page.url
    page.locator("#map-list-link").click()
    page.wait_for_url("**/access/map/list/**")
    row = page.locator("table tbody tr", has_text=data.shop.name_kk)
    assert "Partially accessible" in row.inner_text()

    # A popup tells the status in words, with a link to the object's page.
    page.goto("/access/map/?category=С")
    _wait_for_map(page, "С")
    page.locator(f".leaflet-marker-icon.map-sign[aria-label^='{data.shop.name_kk}']").click()
    popup = page.locator(".leaflet-popup-content")
    assert "Status: ◐ Partially accessible" in popup.inner_text()
    assert popup.locator("a").get_attribute("href") == f"/access/objects/{data.shop.pk}/"


def _wait_for_ready(page: Any) -> None:
    _wait_for_map(page, "К")


def _report_with_errors(page: Any) -> None:
    page.fill("#id_description", "")
    page.set_input_files(
        "#id_photo", files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"not an image"}]
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")


PAGES: dict[str, tuple[Callable[[Scene], str], Callable[[Any], None] | None]] = {
    "map": (lambda s: "/access/map/", lambda page: _wait_for_ready(page)),
    "list": (lambda s: "/access/map/list/?category=С", None),
    "object": (lambda s: f"/access/objects/{s.school.pk}/", None),
    "report": (lambda s: f"/access/objects/{s.school.pk}/report/", None),
    "report-with-errors": (lambda s: f"/access/objects/{s.school.pk}/report/", _report_with_errors),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_public_page_has_no_serious_wcag_violations(page_in: Any, name: str, language: str):
    data = scene()
    path, then = PAGES[name]
    page = page_in(language)
    response = page.goto(path(data))
    assert response is not None
    assert response.status == 200
    if then is not None:
        then(page)
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)
