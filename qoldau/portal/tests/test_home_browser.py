"""The start page and two role homes (a surveyor's and a provider's) in Debian's Chromium:
no serious WCAG 2.1 AA violation (axe-core) at 1280 and 320 px, nothing wider than the
window at 320 px, in Kazakh, Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from qoldau.access.tests import factories as access_factories
from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.services.services import referrals
from qoldau.services.tests import flow_factories

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_start_page_and_role_homes_have_no_serious_wcag_violations(
    context: Any, live_server: Any, language: str
) -> None:
    survey = access_factories.survey_scene()
    flow = flow_factories.flow()
    referrals.referral_create(
        actor=flow.referrer_staff,
        service=flow.service,
        person=flow.referred,
        consent_given_on=flow_factories.CONSENT,
        reason="Оңалту",
    )
    pages = [
        ("start", None, ".ways"),
        ("surveyor-home", survey.surveyor, ".work-sections"),
        ("provider-home", flow.provider_staff, ".work-sections"),
    ]
    for name, user, landmark in pages:
        context.clear_cookies()
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        if user is not None:
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}
            )
        context.add_cookies(cookies)
        page = context.new_page()
        response = page.goto("/")
        assert response is not None
        assert response.status == 200, f"{name}: {response.status} {response.url}"
        assert page.evaluate("document.documentElement.lang") == language
        assert page.locator(landmark).count() == 1, name
        assert_no_serious_violations(page, name, language)
        page.close()
