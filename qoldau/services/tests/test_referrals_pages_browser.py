"""The flow's pages in Debian's Chromium: no serious WCAG 2.1 AA violation (axe-core) at
1280 and 320 px, nothing wider than the window at 320 px, in Kazakh, Russian and English:
the provider's services, a service with enrolments, a wait list and an open offer, a
referral as the provider answers it and as the referrer follows it, the referral form, the
akimat's network, its planned centre form (and its refusal), and the public wait-list
lookup with its answer. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.services.services import capacity, referrals, wait_lists
from qoldau.services.tests import flow_factories as f

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


def _scene() -> dict[str, Any]:
    s = f.flow(places=1)
    today = timezone.localdate()
    capacity.enrolment_create(
        actor=s.provider_staff,
        service=s.service,
        person=f.person(s.provider_staff, s.provider_org),
        starts_on=today - dt.timedelta(days=5),
        plan="Психолог аптасына екі рет",
    )
    waiting = [
        wait_lists.wait_list_join(
            actor=s.provider_staff, service=s.service, person=f.person(s.provider_staff, s.provider_org)
        )
        for _ in range(2)
    ]
    capacity.capacity_record(actor=s.provider_staff, service=s.service, places=2, since=today)
    referral = referrals.referral_create(
        actor=s.referrer_staff,
        service=s.service,
        person=s.referred,
        consent_given_on=f.CONSENT,
        reason="Оңалту",
    )
    return {"s": s, "referral": referral, "entry": waiting[1]}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_flow_pages_have_no_serious_wcag_violations(context: Any, live_server: Any, language: str) -> None:
    data = _scene()
    s = data["s"]
    entry = data["entry"]
    pages = [
        ("services-home", s.provider_staff, "/services/flow/"),
        ("service", s.provider_staff, f"/services/flow/services/{s.service.pk}/"),
        ("referral-received", s.provider_staff, f"/services/flow/referrals/{data['referral'].pk}/"),
        ("referral-sent", s.referrer_staff, f"/services/flow/referrals/{data['referral'].pk}/"),
        ("refer", s.referrer_staff, "/services/flow/refer/"),
        ("network", s.akimat, "/services/flow/network/"),
        ("lookup", None, "/services/wait-list/"),
    ]
    for name, user, path in pages:
        context.clear_cookies()
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        if user is not None:
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}
            )
        context.add_cookies(cookies)
        page = context.new_page()
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{name}: {response.status} {response.url}"
        assert page.evaluate("document.documentElement.lang") == language
        assert_no_serious_violations(page, name, language)
        if name == "lookup":
            page.fill("#lookup-reference", entry.reference)
            page.fill("#lookup-birth_date", entry.person.birth_date.isoformat())
            page.locator('form[action$="/wait-list/"] button.primary').click()
            page.wait_for_selector("#place-heading")
            assert_no_serious_violations(page, "lookup-answer", language)
        page.close()


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_planned_centre_page_and_its_refusal_have_no_serious_wcag_violations(
    context: Any, live_server: Any, language: str
) -> None:
    s = f.flow(places=1)
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(s.akimat), "url": live_server.url},
        ]
    )
    page = context.new_page()
    response = page.goto("/services/flow/network/plan/")
    assert response is not None
    assert response.status == 200
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, "plan", language)
    page.fill("#plan-name_kk", "Жаңа орталық")
    page.fill("#plan-name_ru", "Новый центр")
    page.fill("#plan-places", "0")
    page.locator('form[action$="/plan/"] button.primary').click()
    page.wait_for_selector(".error-summary")
    assert "1" in page.locator("#plan-places-error").inner_text()
    assert_no_serious_violations(page, "plan-refused", language)
    page.close()
