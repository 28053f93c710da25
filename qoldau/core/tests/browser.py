"""The browser tests' machinery, one for every app: Debian's Chromium driven by Playwright,
the axe-core check against WCAG 2.1 A and AA, signing in by cookie, and moving through a
page with the keyboard alone.

The fixtures (`browser`, `context`, `axe_is_built`, `reference_data`) are registered for
every test by `qoldau/conftest.py`; a browser test module asks for the last two with
``pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")``. axe-core comes
from node_modules (``make assets``)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.test import Client

from qoldau.core.models import Place

CHROMIUM = "/usr/bin/chromium"
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("kk", "ru", "en")
BLOCKING = ("serious", "critical")
AXE_RUN = """async () => await axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
})"""
TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 900}
# WCAG 1.4.10 (reflow): 320 CSS pixels wide, what 1280 pixels are at 400 % zoom.
NARROW = {"width": 320, "height": 720}

browser_test = pytest.mark.browser
# The live server reads the database from another thread, so each test commits.
live_db = pytest.mark.django_db(transaction=True)
REFERENCE_DATA = (
    "qoldau.core.migrations.0002_reference_data",
    "qoldau.projects.migrations.0002_service_catalogue",
    # The monthly calculation index (grant sizes) and the contest's archive.
    "qoldau.contests.migrations.0002_reference_data",
    # The catalogue of special social services (settings, types, needs).
    "qoldau.services.migrations.0002_directory_catalogue",
)


# The fixtures (registered in qoldau/conftest.py) ----------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: run 'make browser' (or apt-get install chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Any, live_server: Any) -> Iterator[Any]:
    """One fresh browser context (cookies, storage) per test."""
    ctx = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def axe_is_built() -> None:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run 'make assets' (npm ci).")


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The flush after each transactional test empties the regions, categories and
    services that the migrations load; load them again with the migrations' own code.

    (serialized_rollback cannot do this here: once Playwright runs, an event loop runs in
    this thread, and Django then hands out another connection object, without the
    serialized contents.)"""
    if not Place.objects.exists():
        for module in REFERENCE_DATA:
            import_module(module).load(django_apps, None)


# Signing in -----------------------------------------------------------------------------


def session_cookie(user: Any) -> str:
    """The value of a session cookie signed in as `user`, to hand to a browser context."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# The axe-core check ---------------------------------------------------------------------


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:3]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}: {summary}")
        if len(v["nodes"]) > 3:
            lines.append(f"    … and {len(v['nodes']) - 3} more")
    return "\n".join(lines)


# Elements sticking out of the window, other than inside the scrollable table regions
# (tables may scroll in two dimensions) and the hidden skip link and labels.
WIDER_THAN_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > width + 1)
    // Tables scroll in their own region; a map is two-dimensional content, which WCAG 1.4.10
    // exempts from reflow (Leaflet's panes are wider than the window by design, clipped).
    .filter(el => !el.closest('.table-wrap, .visually-hidden, .skip-link, .leaflet-container'))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className ? '.' + el.className : ''));
}"""


def _serious_violations(page: Any) -> list[dict[str, Any]]:
    result = page.evaluate(AXE_RUN)
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def assert_no_serious_violations(page: Any, name: str, language: str) -> None:
    """The page open in `page` has no serious or critical WCAG 2.1 AA violation (axe-core)
    at 1280 and at 320 px, and nothing in it is wider than the window at 320 px (1.4.10).
    Every app's page sweep calls this, so the check is one and the same everywhere."""
    # Evaluated through the DevTools protocol: an added <script> element would be inline
    # code, which the pages' Content-Security-Policy refuses.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    for width, viewport in (("1280 px", DESKTOP), ("320 px", NARROW)):
        page.set_viewport_size(viewport)
        violations = _serious_violations(page)
        assert not violations, (
            f"{name} in {language} at {width} ({page.url}) has serious or critical WCAG 2.1 AA "
            "violations:\n" + _describe(violations)
        )
    overflow = page.evaluate(WIDER_THAN_THE_WINDOW)
    assert not overflow, f"{name} in {language}: at 320 px these do not reflow (WCAG 1.4.10): {overflow}"


# The keyboard ---------------------------------------------------------------------------

Focus = dict[str, Any]  # what _FOCUSED tells about the focused element

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name'),
    type: el.getAttribute('type'),
    href: el.getAttribute('href'),
    cls: el.className,
    text: (el.innerText || el.value || '').trim(),
    outline: style.outlineStyle === 'none' || style.outlineWidth === '0px' ? 'none' : style.outlineStyle,
    shadow: style.boxShadow,
  };
}"""


def focused(page: Any) -> Focus:
    info: Focus | None = page.evaluate(_FOCUSED)
    assert info is not None, "nothing has the focus"
    return info


def _focus_is_visible(info: Focus) -> bool:
    return info["outline"] != "none" or info["shadow"] not in ("none", "")


def tab_to(page: Any, matches: Callable[[Focus], bool], what: str, limit: int = 60) -> Focus:
    """Press Tab until the focused element matches; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        assert _focus_is_visible(info), f"focus is not visible on {info}"
        if matches(info):
            return info
    raise AssertionError(f"Tab never reached {what}")


def tab_to_id(page: Any, element_id: str) -> Focus:
    return tab_to(page, lambda info: info["id"] == element_id, f"#{element_id}")


def first_tab_is_the_skip_link(page: Any) -> None:
    page.keyboard.press("Tab")
    info = focused(page)
    assert "skip-link" in info["cls"], f"the first Tab focused {info}"
    assert info["href"] == "#main", f"the first Tab focused {info}"
    assert _focus_is_visible(info), f"the skip link's focus is not visible: {info}"


def choose_option(page: Any, select_id: str, label: str) -> None:
    """With the select focused, move through its options with the arrow keys."""
    assert focused(page)["id"] == select_id
    texts = page.evaluate(
        "(id) => Array.from(document.getElementById(id).options).map(o => o.text.trim())", select_id
    )
    assert label in texts, f"{label!r} is not among the options of #{select_id}: {texts}"
    page.keyboard.press("Home")
    for _ in range(texts.index(label)):
        page.keyboard.press("ArrowDown")
    chosen = page.evaluate(
        "(id) => { const s = document.getElementById(id); return s.options[s.selectedIndex].text.trim(); }",
        select_id,
    )
    assert chosen == label


def type_date(page: Any, day: dt.date) -> None:
    """Chromium's date input takes the digits of its segments in the locale's order; the
    browser here runs in en-US, so month, day, year."""
    page.keyboard.type(day.strftime("%m%d%Y"))


def wait_for_path(page: Any, path: str) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == path, timeout=TIMEOUT_MS)
    page.wait_for_load_state("domcontentloaded")


_POST_FORM = """([action, fields]) => {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  const token = document.querySelector('input[name=csrfmiddlewaretoken]');
  const all = token ? {...fields, csrfmiddlewaretoken: token.value} : fields;
  for (const [name, value] of Object.entries(all)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = String(value);
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""


def post_form(page: Any, action: str, fields: dict[str, Any]) -> None:
    """Send `fields` to `action` as the page's own form would (with the page's CSRF token),
    and wait for the answer: how a sweep reaches a page that only a POST shows (a
    confirmation step). The page open must have a form with a CSRF token."""
    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.evaluate(_POST_FORM, [action, fields])
    page.wait_for_load_state("domcontentloaded")
