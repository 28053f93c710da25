"""The progress pages and the export's job page in a real browser: no serious WCAG 2.1 AA
violation (axe-core) at 1280 and 320 px, nothing wider than the window at 320 px, in
Kazakh, Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from qoldau.access.demo import generate_objects
from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


def _export_xlsx(page: Any) -> None:
    page.locator("button[name=format][value=xlsx]").click()
    page.wait_for_url(re.compile(r"/jobs/"))
    page.locator("a[href$='/download/']").wait_for(timeout=TIMEOUT_MS)


PAGES = {
    # (user or None, path, then)
    "progress-officer": ("akimat_almaty", "/access/progress/", None),
    "progress-country": ("ministry", "/access/progress/?region=&category=С", None),
    "progress-public": (None, "/access/progress/public/?region=750000000", None),
    "progress-public-bad-region": (None, "/access/progress/public/?region=123", None),
    "progress-export-job": ("akimat_almaty", "/access/progress/", _export_xlsx),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_progress_page_has_no_serious_wcag_violations(
    context: Any,
    live_server: Any,
    name: str,
    language: str,
):
    user_name, path, then = PAGES[name]
    w = factories.world()
    generate_objects(count=300, seed=2)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user_name is not None:
        user = getattr(w, user_name)
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}
        )
    context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    if then is not None:
        then(page)
    else:
        # The charts are drawn (Chart.js from static/vendor) beside their tables.
        page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 3")
        assert page.evaluate("typeof Chart") == "function"
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)
