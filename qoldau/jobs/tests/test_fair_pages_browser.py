"""The job fair pages in Debian's Chromium: no serious WCAG 2.1 AA violation (axe-core) at
1280 and 320 px, nothing wider than the window at 320 px, in Kazakh, Russian and English,
with every form of the fair page unfolded (and one of them showing its errors) so that the
forms are checked too. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
from qoldau.jobs import services
from qoldau.jobs.models import Occupation
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

FAIR_DAY = dt.date(2025, 5, 20)


@pytest.fixture
def jobs_reference_data(reference_data: None) -> None:
    """The catalogues the jobs app's migration loads, loaded again after the flush."""
    if not Occupation.objects.exists():
        import_module("qoldau.jobs.migrations.0002_reference_data").load(django_apps, None)


def _scene() -> dict[str, Any]:
    """A fair held with every part of its page filled: people at each stage, employers
    that came and did not, slots free, booked and held, a referral with its outcome."""
    s = f.scene(buildings=False)
    staff = s["centre.staff"]
    fair = f.fair(s, FAIR_DAY)
    people = [f.person(s) for _ in range(3)]
    registrations = [services.fair_register_seeker(actor=staff, fair=fair, person=p) for p in people]
    job = f.vacancy(s["employer.a"], s.employer_a)
    table = services.fair_register_employer(
        actor=staff, fair=fair, employer=s.employer_a, vacancy_ids=[job.pk]
    )
    services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_b)
    services.fair_attendance_record(actor=staff, fair=fair, person_ids=[people[0].pk, people[1].pk])
    services.fair_employers_attended(actor=staff, fair=fair, employer_ids=[s.employer_a.pk])
    slot, _free = services.interview_slots_add(
        actor=staff, fair_employer=table, starts_at=[dt.time(10, 0), dt.time(10, 20)]
    )
    services.interview_slot_book(actor=staff, slot=slot, registration=registrations[0])
    services.interview_record(actor=staff, slot=slot, outcome="held")
    referral = services.referral_record(
        actor=staff, registration=registrations[0], fair_employer=table, referred_on=FAIR_DAY
    )
    services.referral_outcome_record(actor=staff, referral=referral, outcome="hired", outcome_on=FAIR_DAY)
    return {"s": s, "fair": fair, "table": table}


PAGES: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "fairs": ("centre.staff", lambda d: "/employment/fairs/"),
    "fair-create": ("centre.staff", lambda d: "/employment/fairs/new/"),
    "fair": ("centre.staff", lambda d: f"/employment/fairs/{d['fair'].pk}/"),
    "fair-officer": ("akimat.almaty", lambda d: f"/employment/fairs/{d['fair'].pk}/"),
    "employer-vacancies": ("employer.a", lambda d: f"/employment/employer/{d['s'].employer_a.pk}/"),
    "employer-fair": ("employer.a", lambda d: f"/employment/employer/fairs/{d['table'].pk}/"),
}


@browser_test
@live_db
@pytest.mark.usefixtures("jobs_reference_data")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_fair_page_has_no_serious_wcag_violations(context: Any, live_server: Any, name: str, language: str):
    data = _scene()
    user_name, path = PAGES[name]
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(data["s"][user_name]),
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    response = page.goto(path(data))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert page.evaluate("document.documentElement.lang") == language
    if name == "fair":
        # A refused form comes back with its errors; then every folded form is opened.
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        page.fill("#slots-starts_at", "25:00")
        page.click("#slots-starts_at >> xpath=ancestor::form//button[@type='submit']")
        page.wait_for_load_state("load")
        assert page.locator("#slots-starts_at-error").count() == 1
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert_no_serious_violations(page, name, language)
