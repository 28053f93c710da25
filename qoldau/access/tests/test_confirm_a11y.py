"""The access app's newer pages in a real browser: the passport's submit confirmation, the
barrier report's "thank you" with its reference, the report status page (found, and a
reference not given), and the public object page with its zone-by-zone shortfalls. No
serious WCAG 2.1 AA violation (axe-core) at 1280 and 320 px, nothing wider than the window
at 320 px, in Kazakh, Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from qoldau.access.models import Passport
from qoldau.access.tests.factories import Objects, answers, survey_scene
from qoldau.core.tests.browser import (
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    live_db,
    post_form,
    session_cookie,
)

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


def _open(context: Any, live_server: Any, language: str, user: Any = None) -> Any:
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        cookies.append(
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}
        )
    context.add_cookies(cookies)
    return context.new_page()


def _check(page: Any, name: str, language: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_passport_submit_confirmation_has_no_serious_wcag_violations(
    context: Any, live_server: Any, language: str
):
    scene = survey_scene()
    page = _open(context, live_server, language, scene.surveyor)
    url = reverse("access:passport_edit", args=[scene.obj.pk])
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    draft = Passport.objects.get(object=scene.obj, state=Passport.State.DRAFT)
    post_form(
        page,
        url,
        {**answers(("ramp",)), "version": draft.version, "passport": draft.pk, "action": "submit"},
    )
    assert page.locator("main form[action$='/submit/']").count() == 1
    _check(page, "passport-submit-confirm", language)


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_report_thanks_and_status_have_no_serious_wcag_violations(
    context: Any, live_server: Any, language: str
):
    cache.clear()  # the barrier-report rate limit's buckets
    objects = Objects()
    page = _open(context, live_server, language)
    response = page.goto(reverse("access:object_report", args=[objects.school.pk]))
    assert response is not None
    assert response.status == 200
    page.fill("#id_description", "Кіреберісте пандус жоқ, баспалдақ биік.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: url.endswith("/report/thanks/"), timeout=TIMEOUT_MS)
    reference = page.locator(".reference").inner_text()
    assert reference
    _check(page, "report-thanks", language)

    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.locator(".panel a[href*='reference=']").click()
    assert reference in page.locator("main [role=status]").inner_text()
    _check(page, "barrier-status", language)

    response = page.goto(reverse("access:barrier_status") + "?reference=1-AAAAAA")
    assert response is not None
    assert response.status == 404
    assert page.locator(".error-summary").count() == 1
    _check(page, "barrier-status-not-found", language)


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_object_with_shortfalls_has_no_serious_wcag_violations(
    context: Any, live_server: Any, language: str
):
    objects = Objects()
    page = _open(context, live_server, language)
    response = page.goto(reverse("access:object_public", args=[objects.school.pk]))
    assert response is not None
    assert response.status == 200
    assert page.locator("#shortfalls-title").count() == 1
    _check(page, "object-shortfalls", language)
