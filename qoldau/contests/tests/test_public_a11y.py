"""The public pages of contests and grants in a real browser, signed out: no serious WCAG
2.1 AA violation (axe-core) at 1280 and 320 px, nothing wider than the window at 320 px, in
Kazakh, Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from qoldau.contests.tests.factories import PublicScene, public_scene
from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

PAGES = {
    "index": lambda s: "/contests/",
    "contest": lambda s: f"/contests/{s.contest.pk}/",
    "results": lambda s: f"/contests/{s.contest.pk}/results/",
    "archive": lambda s: "/contests/archive/",
    "calls": lambda s: "/contests/grants/",
    "call": lambda s: f"/contests/grants/{s.call.pk}/",
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_public_contest_page_has_no_serious_wcag_violations(
    context: Any,
    live_server: Any,
    name: str,
    language: str,
) -> None:
    data: PublicScene = public_scene()
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    response = page.goto(PAGES[name](data))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)
