"""The dashboard with its Employment section filled in, in Debian's Chromium: no serious
WCAG 2.1 AA violation (axe-core) at 1280 and 320 px (narrower than 360), nothing wider
than the window at 320 px, in Kazakh, Russian and English; signed in (every table, a
region's districts) and for the public (small counts hidden). The machinery is
`core/tests/browser.py`'s."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from qoldau.core.models import Place
from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.dashboard.tests.factories import YEAR, employment_world
from qoldau.jobs.models import Occupation
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


@pytest.fixture
def jobs_reference_data(reference_data: None) -> None:
    """The catalogues the jobs app's migration loads (services, quota bands), loaded again
    after the flush."""
    if not Occupation.objects.exists():
        import_module("qoldau.jobs.migrations.0002_reference_data").load(django_apps, None)


PAGES: dict[str, tuple[str | None, Callable[[], str]]] = {
    "dashboard": ("ministry", lambda: f"/dashboard/?year={YEAR}"),
    "dashboard-region": (
        "ministry",
        lambda: f"/dashboard/?year={YEAR}&region={Place.objects.get(kato=f.ALMATY).pk}&need=С",
    ),
    "dashboard-public": (None, lambda: f"/dashboard/public/?year={YEAR}"),
}


@browser_test
@live_db
@pytest.mark.usefixtures("jobs_reference_data")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_the_dashboard_with_employment_has_no_serious_wcag_violations(
    context: Any, live_server: Any, name: str, language: str
):
    s = f.scene(buildings=False)
    employment_world(s)
    user_name, path = PAGES[name]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user_name is not None:
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(s[user_name]),
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(path())
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert page.evaluate("document.documentElement.lang") == language
    # The section is there, with its tables filled in.
    assert page.locator("#employment-title").count() == 1
    assert page.locator("#retention-6-title + .table-wrap tbody tr").count() >= 1
    assert_no_serious_violations(page, name, language)
