"""The jobs pages in Debian's Chromium: no serious WCAG 2.1 AA violation (axe-core) at 1280
and 320 px, nothing wider than the window at 320 px, in Kazakh, Russian and English; and
the vacancy page, with its JSON-LD, under the Content-Security-Policy with no violation
reported and a title carrying a script left inert. The machinery is
`core/tests/browser.py`'s."""

from __future__ import annotations

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
from qoldau.core.tests.markup import INJECTED
from qoldau.jobs import services
from qoldau.jobs.models import Occupation
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")

# Installed in every page before its own scripts; the binding outlives navigations.
LISTEN = """document.addEventListener('securitypolicyviolation', (e) => {
  window.qoldauCspViolation({page: location.pathname, directive: e.violatedDirective, blocked: e.blockedURI});
});"""


@pytest.fixture
def jobs_reference_data(reference_data: None) -> None:
    """The catalogues the jobs app's migration loads, loaded again after the flush."""
    if not Occupation.objects.exists():
        import_module("qoldau.jobs.migrations.0002_reference_data").load(django_apps, None)


def _scene() -> dict[str, Any]:
    s = f.scene()
    ramped = f.vacancy(
        s["employer.a"],
        s.employer_a,
        workplace=s.school,
        accommodations=("step_free_workplace",),
        conditions=("prolonged_standing",),
        title="Мектеп хатшысы",
        quota=True,
    )
    f.vacancy(s["employer.b"], s.employer_b, remote=True, title="Қашықтан оператор")
    seeker = f.seeker(s["centre.coach"], s.centre, categories=("К",), accommodations=("step_free_workplace",))
    case = f.case(s, seeker)
    # A proposal in the pipeline and a placement with follow-ups due, so that every part
    # of the case page (its forms too) is on it.
    services.proposal_create(actor=s["centre.coach"], seeker=seeker, vacancy=ramped)
    f.placement(s, case, vacancy=ramped)
    return {"s": s, "vacancy": ramped, "seeker": seeker, "case": case}


PAGES: dict[str, tuple[str | None, Callable[[dict[str, Any]], str]]] = {
    "search": (None, lambda d: "/employment/vacancies/"),
    "search-filtered": (None, lambda d: "/employment/vacancies/?category=К&quota=on&region=750000000"),
    "vacancy": (None, lambda d: f"/employment/vacancies/{d['vacancy'].pk}/"),
    "caseload": ("centre.coach", lambda d: "/employment/coach/"),
    "case": ("centre.coach", lambda d: f"/employment/cases/{d['case'].pk}/"),
    "employer-vacancy": ("employer.a", lambda d: f"/employment/employer/vacancies/{d['vacancy'].pk}/"),
    "quota": ("akimat.almaty", lambda d: "/employment/quota/"),
}


@browser_test
@live_db
@pytest.mark.usefixtures("jobs_reference_data")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_jobs_page_has_no_serious_wcag_violations(context: Any, live_server: Any, name: str, language: str):
    data = _scene()
    user_name, path = PAGES[name]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user_name is not None:
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(data["s"][user_name]),
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
def test_the_vacancy_page_runs_under_the_policy_and_its_json_ld_stays_data(context: Any):
    s = f.scene()
    job = f.vacancy(s["employer.a"], s.employer_a, workplace=s.clinic, title=f"Оператор {INJECTED}")
    violations: list[Any] = []
    errors: list[str] = []
    context.expose_binding("qoldauCspViolation", lambda source, report: violations.append(report))
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(f"/employment/vacancies/{job.pk}/")
    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    posting = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == f"Оператор {INJECTED}"
    # The language switch is a form with htmx on the page: the page's own scripts ran.
    page.wait_for_load_state("load")
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("window.pwned") is None
    assert violations == []
    assert errors == []
