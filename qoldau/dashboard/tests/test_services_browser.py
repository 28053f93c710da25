"""The dashboard with its Social services section filled in, in Debian's Chromium: no
serious WCAG 2.1 AA violation (axe-core) at 1280 and 320 px, in Kazakh, Russian and
English; for an akimat officer (Almaty's districts, exact) and for the public (small
counts hidden). The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from qoldau.core.tests import factories as f
from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.services.tests.figures_factories import figures_scene

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

PAGES = {
    "officer": ("/dashboard/?year=2025", True),
    "public": ("/dashboard/public/?year=2025", False),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_social_services_section_has_no_serious_wcag_violations(
    context: Any, live_server: Any, name: str, language: str
) -> None:
    figures_scene()
    path, signed_in = PAGES[name]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if signed_in:
        officer = f.user("officer", "akimat_officer", kato=f.ALMATY)
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(officer), "url": live_server.url}
        )
    context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(path)
    assert response is not None
    assert response.status == 200
    assert page.locator("#services-title").count() == 1
    assert_no_serious_violations(page, f"dashboard-services-{name}", language)
