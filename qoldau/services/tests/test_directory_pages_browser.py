"""The directory's pages in Debian's Chromium: no serious WCAG 2.1 AA violation (axe-core)
at 1280 and 320 px, nothing wider than the window at 320 px, in Kazakh, Russian and
English, for the public search, map, service and provider pages (no sign-in) and the
pages provider staff keep their entry with. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.services.models import CatalogueTerm
from qoldau.services.tests import directory_factories as f

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


@pytest.fixture
def catalogue(reference_data: None) -> None:
    """The catalogue the services app's migration loads, loaded again after the flush."""
    if not CatalogueTerm.objects.exists():
        import_module("qoldau.services.migrations.0002_directory_catalogue").load(django_apps, None)


@browser_test
@live_db
@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("language", LANGUAGES)
def test_directory_pages_have_no_serious_wcag_violations(context: Any, live_server: Any, language: str):
    s = f.scene()
    pages: list[tuple[str | None, str]] = [
        (None, "/services/"),
        (None, "/services/?need=rehabilitation&age=7"),
        (None, "/services/map/"),
        (None, f"/services/s/{s.day_care.public_id}/"),
        (None, f"/services/p/{s.almaty.public_id}/"),
        ("almaty.admin", "/services/manage/"),
        ("almaty.admin", f"/services/manage/{s.almaty.pk}/"),
        ("almaty.staff", f"/services/manage/services/{s.day_care.pk}/"),
        ("almaty.staff", f"/services/manage/locations/{s.centre.pk}/"),
    ]
    for user_name, path in pages:
        context.clear_cookies()
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
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path}: {response.status}"
        assert page.evaluate("document.documentElement.lang") == language
        if path == "/services/map/":
            # The map drew its one place from the points (the list comes first).
            page.wait_for_selector(".leaflet-marker-icon")
        assert_no_serious_violations(page, path, language)
        page.close()
