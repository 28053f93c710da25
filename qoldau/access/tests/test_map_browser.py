"""The public map in Debian's Chromium: with no tile server it still shows clusters,
objects and the list, and says so; with Qoldau's own PMTiles file it paints the base layer
by byte ranges, under the Content-Security-Policy, asking nothing of another host; clusters
are named by the count they show and are not tab stops, the link to the list comes before
the map; choosing a category redraws the statuses; and the map, the list, an
object's page and the barrier form have no serious WCAG 2.1 AA violation (axe-core, the
method and helpers of `qoldau/core/tests/browser.py`) in Kazakh, Russian and
English, at 1280 and 320 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from qoldau.access.models import AccessObject
from qoldau.access.tests.basemap_files import EARTH_RGB, write_basemap
from qoldau.access.tests.factories import make_object, passport
from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    DESKTOP,
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    focused,
    live_db,
    tab_to_id,
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
    # Its name begins with the text it shows (WCAG 2.5.3), the full count, never "4.4k".
    assert (
        cluster.locator("[role=img]").get_attribute("aria-label") == "30 objects here. Zoom in to see them."
    )
    assert cluster.inner_text() == "30"
    assert page.locator("#map-status").inner_text() == "Objects on the map: 32."
    assert page.locator(".leaflet-tile").count() == 0
    # With no base layer the page says so and offers the list first.
    notice = page.locator("#map-no-base")
    assert notice.is_visible()
    assert "No base map is configured here" in notice.inner_text()
    assert outside == [], f"the map reached outside the site: {outside}"

    # A cluster opens by a click: it zooms in until it splits.
    cluster.click()
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


# The base layer from Qoldau's own PMTiles file -----------------------------------------------

# True once one of the base layer's canvases has land painted on it.
_LAND_PAINTED = """(rgb) => [...document.querySelectorAll('#access-map canvas')].some(c => {
  if (!c.width || !c.height) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 0; i < d.length; i += 4 * 97) {
    if (d[i] === rgb[0] && d[i + 1] === rgb[1] && d[i + 2] === rgb[2]) return true;
  }
  return false;
})"""


@pytest.fixture
def basemap(tmp_path: Path, settings: Any) -> Path:
    path = write_basemap(tmp_path / "kazakhstan.pmtiles", 43.2, 76.85)
    settings.QOLDAU_MAP_PMTILES = str(path)
    settings.QOLDAU_MAP_TILE_URL = ""
    return path


@browser_test
@live_db
def test_the_map_draws_its_own_base_layer_and_asks_nothing_of_another_host(
    page_in: Any, live_server: Any, basemap: Path
):
    scene()
    page = page_in("en")
    outside: list[str] = []
    ranges: list[tuple[int, str]] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    # Whatever the Content-Security-Policy refuses (connect-src for the file, a worker, a
    # blob) is reported here and fails the test.
    page.add_init_script(
        "window.refused = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.refused.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on("console", lambda m: errors.append(m.text) if "Refused to" in m.text else None)
    page.on(
        "response",
        lambda r: (
            ranges.append((r.status, r.headers.get("content-range", "")))
            if r.url.endswith("/access/map/basemap.pmtiles")
            else None
        ),
    )
    response = page.goto("/access/map/")
    assert response is not None
    assert "connect-src 'self'" in response.headers["content-security-policy"]
    _wait_for_map(page, "К")
    page.wait_for_function(_LAND_PAINTED, arg=list(EARTH_RGB), timeout=TIMEOUT_MS)
    assert page.evaluate("window.refused") == []
    assert not page.locator("#map-no-base").count()
    # The file is read by byte ranges, never whole.
    size = basemap.stat().st_size
    assert ranges, "the base layer was never asked for"
    assert all(status == 206 and text.endswith(f"/{size}") for status, text in ranges), ranges
    assert outside == [], f"the map reached outside the site: {outside}"
    assert errors == [], errors


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_with_its_base_layer_has_no_serious_wcag_violations(
    page_in: Any, language: str, basemap: Path
):
    scene()
    page = page_in(language)
    page.goto("/access/map/")
    _wait_for_map(page, "К")
    page.wait_for_function(_LAND_PAINTED, arg=list(EARTH_RGB), timeout=TIMEOUT_MS)
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, "map-with-base-layer", language)


_CLUSTER_NAMES = """() => [...document.querySelectorAll('.map-cluster')].map(c => {
  const named = c.querySelector('[aria-label]');
  return [c.textContent.trim(), named ? named.getAttribute('aria-label') : '',
          c.getAttribute('tabindex'), c.getAttribute('role')];
})"""


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_clusters_are_named_by_their_text_and_are_not_tab_stops(page_in: Any, language: str):
    officer = factories.user("akimat.almaty", "akimat_officer", kato=factories.ALMATY)
    # 1,200 objects in one block: a cluster whose count needs grouping in every language.
    for index in range(1200):
        make_object(
            officer,
            name=f"Үй №{index}",
            kind="residential",
            latitude=43.2 + (index % 40) * 0.00003,
            longitude=76.8 + (index // 40) * 0.00003,
        )
    make_object(officer, name="Мектеп", kind="education", latitude=43.3, longitude=77.0)
    page = page_in(language)
    page.goto("/access/map/")
    _wait_for_map(page, "К")
    clusters = page.evaluate(_CLUSTER_NAMES)
    assert clusters, "the map shows no cluster"
    for text, name, tabindex, role in clusters:
        assert text, name
        assert name.startswith(text + " "), (text, name)
        assert "k" not in text.lower()
        assert tabindex is None, (text, tabindex)
        assert role != "button", (text, role)
    counts = {int("".join(ch for ch in text if ch.isdigit())) for text, *_ in clusters}
    assert 1200 in counts or sum(counts) >= 1200 - 5

    # The keyboard's way: the link to the list sits before the map and is visible.
    tab_to_id(page, "map-skip-link")
    assert page.locator("#map-skip-link").is_visible()
    page.keyboard.press("Tab")
    # The next stop is the map itself (arrow keys pan it), not one cluster after another.
    after = focused(page)
    assert after["id"] == "access-map", after
    page.locator("#map-skip-link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/access/map/list/**")
    assert "category=" in page.url
