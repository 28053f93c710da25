"""The contests' confirmation pages in a real browser: the chair's approval of a ranking
(while sheets are missing, and ready to approve) and the operator's grant award. No serious
WCAG 2.1 AA violation (axe-core) at 1280 and 320 px, nothing wider than the window at
320 px, in Kazakh, Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from qoldau.contests.tests import factories as f
from qoldau.contests.tests.commission_scene import half_scored
from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    post_form,
    session_cookie,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


def _signed_in(context: Any, live_server: Any, user: Any, language: str) -> Any:
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url},
        ]
    )
    return context.new_page()


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("ready", [False, True], ids=["sheets-missing", "ready"])
def test_approval_confirmation_has_no_serious_wcag_violations(
    context: Any, live_server: Any, language: str, ready: bool
):
    d = half_scored()
    if ready:
        f.score_all(d.panel, d.second, [9, 9, 9])
    page = _signed_in(context, live_server, d.panel.chair, language)
    response = page.goto(reverse("contests:approve", args=[d.c]))
    assert response is not None
    assert response.status == 200
    assert page.locator("main input[name=confirmed]").count() == (1 if ready else 0)
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, f"approve-{'ready' if ready else 'sheets-missing'}", language)


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_award_confirmation_has_no_serious_wcag_violations(context: Any, live_server: Any, language: str):
    r = f.ranked_call()
    page = _signed_in(context, live_server, r.minister, language)
    url = reverse("contests:call_manage", args=[r.call.pk])
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    post_form(page, url, {"application": r.first.pk, "amount": str(r.first.requested_amount)})
    assert page.locator("main input[name=confirmed]").count() == 1
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, "award-confirm", language)
