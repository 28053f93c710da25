"""The consent withdrawal's confirmation page in a real browser: no serious WCAG 2.1 AA
violation (axe-core) at 1280 and 320 px, nothing wider than the window at 320 px, in
Kazakh, Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from qoldau.core.tests import factories
from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    post_form,
    session_cookie,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_withdrawal_confirmation_has_no_serious_wcag_violations(
    context: Any, live_server: Any, language: str
):
    w = factories.world()
    person = w.almaty_people[0]
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(w.almaty_staff),
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    response = page.goto(reverse("portal:person", args=[person.pk]))
    assert response is not None
    assert response.status == 200
    post_form(
        page,
        reverse("core:consent_withdraw", args=[person.pk]),
        {"organisation": w.almaty_ngo.pk, "withdrawn_on": "2025-06-01"},
    )
    # The confirmation step, not the person's page again: its own form carries the confirmation.
    assert page.locator("main input[name=confirmed]").count() == 1
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, "consent-withdraw-confirm", language)
