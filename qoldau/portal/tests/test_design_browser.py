"""The design system in Debian's Chromium: /design/ has no serious WCAG 2.1 AA violation
(axe-core) in Kazakh, Russian and English; the main menu folds behind a real disclosure
button on a phone and opens by keyboard; and on representative pages every button, form
control and link in a menu or a row of actions is a target of at least 24 by 24 CSS pixels
(WCAG 2.2, 2.5.8), at 1280 and at 360 pixels."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    DESKTOP,
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    focused,
    live_db,
    session_cookie,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

PHONE = {"width": 360, "height": 740}

# Targets that must be 24 by 24 CSS pixels: buttons, form controls, and the links that sit
# in a menu, a row of actions or the pagination. A link inside a sentence is exempt (2.5.8's
# inline exception), and so is what is not shown.
TOO_SMALL = """() => {
  const selector = [
    'button', 'input:not([type=hidden])', 'select', 'textarea', 'summary',
    'nav a', '.actions a', '.inline-actions a', '.pagination a', 'a.button', '.way a',
  ].join(', ');
  return Array.from(document.querySelectorAll(selector))
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .filter(el => !el.closest('.visually-hidden, .skip-link'))
    .map(el => ({el, box: el.getBoundingClientRect()}))
    .filter(({box}) => box.width < 23.5 || box.height < 23.5)
    .slice(0, 8)
    .map(({el, box}) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
      + `${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}`
      + ` "${(el.innerText || el.value || el.name || '').trim().slice(0, 30)}"`
      + ` ${Math.round(box.width)}x${Math.round(box.height)}`);
}"""


def _sign_in(context: Any, live_server: Any, user: Any, language: str) -> None:
    context.clear_cookies()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}
        )
    context.add_cookies(cookies)


def _open(context: Any, path: str) -> Any:
    page = context.new_page()
    # A loaded machine may be slow to serve the first page.
    response = page.goto(path, timeout=60_000)
    assert response is not None
    assert response.status == 200, f"{path}: {response.status} {response.url}"
    page.wait_for_load_state("load")
    return page


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_design_page_has_no_serious_wcag_violations(context: Any, live_server: Any, language: str) -> None:
    world = factories.world()
    _sign_in(context, live_server, world.sysadmin, language)
    page = _open(context, "/design/")
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, "design", language)
    # And at a phone's 360 pixels, where the tables reflow and the menu folds.
    page.set_viewport_size(PHONE)
    assert_no_serious_violations(page, "design at 360 px", language)


@browser_test
@live_db
def test_main_menu_folds_on_a_phone_and_opens_by_keyboard(context: Any, live_server: Any) -> None:
    world = factories.world()
    _sign_in(context, live_server, world.almaty_staff, "en")
    page = _open(context, "/")
    toggle = page.locator("#menu-toggle")
    menu = page.locator("#main-menu")

    # At 1280 px the menu is open and the button is not there.
    assert menu.is_visible()
    assert not toggle.is_visible()

    page.set_viewport_size(PHONE)
    assert toggle.is_visible()
    assert not menu.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "main-menu"
    assert page.evaluate("document.getElementById('menu-toggle').tagName") == "BUTTON"

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    # The next Tab goes into the menu it opened.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#main-menu') !== null")
    # Escape closes it and the focus goes back to the button.
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert focused(page)["id"] == "menu-toggle"

    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    # Back on a wide screen the menu shows again, whatever the button said.
    page.set_viewport_size(DESKTOP)
    assert menu.is_visible()
    assert not toggle.is_visible()


@browser_test
@live_db
def test_main_menu_stays_open_without_javascript(browser: Any, live_server: Any) -> None:
    world = factories.world()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    try:
        _sign_in(context, live_server, world.almaty_staff, "en")
        page = _open(context, "/")
        assert page.locator("#main-menu").is_visible()
        assert not page.locator("#menu-toggle").is_visible()
    finally:
        context.close()


@browser_test
@live_db
def test_targets_are_at_least_24_pixels_on_representative_pages(context: Any, live_server: Any) -> None:
    world = factories.world()
    pages = [
        ("start", None, "/"),
        ("services", None, "/services/"),
        ("chat", None, "/consult/"),
        ("ngo-home", world.almaty_staff, "/"),
        ("person-form", world.almaty_staff, "/people/new/"),
        ("people", world.almaty_staff, "/people/"),
        ("dashboard", world.ministry, "/dashboard/?year=2025"),
        ("design", world.sysadmin, "/design/"),
    ]
    failures = []
    for name, user, path in pages:
        _sign_in(context, live_server, user, "kk")
        page = _open(context, path)
        for width, viewport in (("1280 px", DESKTOP), ("360 px", PHONE)):
            page.set_viewport_size(viewport)
            if viewport is PHONE and page.locator("#menu-toggle").is_visible():
                page.locator("#menu-toggle").click()  # the menu's links count too
            small = page.evaluate(TOO_SMALL)
            if small:
                failures.append(f"{name} at {width}: {small}")
        page.close()
    assert not failures, "targets smaller than 24 by 24 CSS pixels (WCAG 2.2, 2.5.8):\n" + "\n".join(failures)
