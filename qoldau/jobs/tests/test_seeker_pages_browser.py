"""A citizen's pages in Debian's Chromium: signing up, registering as a job seeker, their
profile, matches and proposals, and the coach's list of people who registered themselves,
with no serious WCAG 2.1 AA violation (axe-core) at 1280 and 320 px in Kazakh, Russian and
English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from qoldau.core.tests import factories as core_factories
from qoldau.core.tests.browser import (
    LANGUAGES,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.jobs import services
from qoldau.jobs.models import Occupation
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


@pytest.fixture
def jobs_reference_data(reference_data: None) -> None:
    if not Occupation.objects.exists():
        import_module("qoldau.jobs.migrations.0002_reference_data").load(django_apps, None)


def _scene() -> dict[str, Any]:
    s = f.scene()
    citizen = core_factories.citizen()
    seeker = f.self_registered(citizen, s.centre, categories=("К",), accommodations=("step_free_workplace",))
    fits = f.vacancy(s["employer.a"], s.employer_a, workplace=s.clinic, title="Емхана тіркеушісі")
    f.vacancy(
        s["employer.a"],
        s.employer_a,
        workplace=s.school,
        accommodations=("step_free_workplace",),
        title="Мектеп хатшысы",
    )
    services.proposal_create(actor=s["centre.coach"], seeker=seeker, vacancy=fits)
    users = {
        "citizen": citizen,
        "newcomer": core_factories.citizen(),
        "coach": s["centre.coach"],
        "staff": s["centre.staff"],
    }
    return {"users": users, "seeker": seeker}


PAGES: dict[str, tuple[str | None, Callable[[dict[str, Any]], str]]] = {
    "sign-up": (None, lambda d: "/signup/?next=/employment/me/register/"),
    "sign-in": (None, lambda d: "/signin/"),
    "register": ("newcomer", lambda d: "/employment/me/register/"),
    "me": ("citizen", lambda d: "/employment/me/"),
    "me-edit": ("citizen", lambda d: "/employment/me/edit/"),
    "my-matches": ("citizen", lambda d: "/employment/me/matches/"),
    "my-proposals": ("citizen", lambda d: "/employment/me/proposals/"),
    "caseload-waiting": ("coach", lambda d: "/employment/coach/"),
    "person-iin-to-confirm": ("staff", lambda d: f"/people/{d['seeker'].person_id}/"),
}


@browser_test
@live_db
@pytest.mark.usefixtures("jobs_reference_data")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_citizen_page_has_no_serious_wcag_violations(
    context: Any, live_server: Any, name: str, language: str
):
    data = _scene()
    user_name, path = PAGES[name]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user_name is not None:
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(data["users"][user_name]),
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(path(data))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)


@browser_test
@live_db
@pytest.mark.usefixtures("jobs_reference_data")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_up_page_with_its_errors_has_no_serious_wcag_violations(
    context: Any, live_server: Any, language: str
):
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto("/signup/")
    page.fill("#id_name", "Айгүл")
    page.fill("#id_phone", "555")
    page.fill("#id_password", "password123")
    page.fill("#id_password_again", "password123")
    page.click("form[action='/signup/'] button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_no_serious_violations(page, "sign-up with errors", language)
