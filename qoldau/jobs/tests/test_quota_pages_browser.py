"""The quota's and the imports' new pages in Debian's Chromium: no serious WCAG 2.1 AA
violation (axe-core) at 1280 and 320 px, nothing wider than the window at 320 px, in
Kazakh, Russian and English: the employer's vacancies with their new links, the akimat's region with its
new links, the employer's staff reports, an employer's quota history
with the akimat officer's forms, the ministry's regions, the two upload pages, and the
result of a dry run with its bad rows. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from importlib import import_module
from typing import Any

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qoldau.core.models import BackgroundJob
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
    """The catalogues the jobs app's migration loads, loaded again after the flush."""
    if not Occupation.objects.exists():
        import_module("qoldau.jobs.migrations.0002_reference_data").load(django_apps, None)


def _dry_run_job(s: f.Scene) -> BackgroundJob:
    """A dry run of a file of vacancies with two bad rows, uploaded through the page (the
    job runs when the request's transaction commits)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Код профессии", "Название на казахском", "Зарплата от", "Район"])
    sheet.append(["4110", "Хатшы", 150000, "Алмалы"])
    sheet.append(["9999", "Белгісіз", 150000, ""])
    sheet.append(["4110", "Оператор", 150000, "Есиль"])
    out = io.BytesIO()
    book.save(out)
    client = Client()
    client.force_login(s["employer.a"])
    response = client.post(
        f"/employment/employer/{s.employer_a.pk}/vacancies/import/",
        {"file": SimpleUploadedFile("vacancies.xlsx", out.getvalue())},
    )
    assert response.status_code == 302, response.content
    job = BackgroundJob.objects.get(kind="imports.dry_run")
    assert job.result["errors_total"] == 2, (job.status, job.error)
    return job


def _scene() -> dict[str, Any]:
    s = f.scene(buildings=False)
    services.staff_report_record(
        actor=s["employer.a"],
        employer=s.employer_a,
        as_of=dt.date(2025, 1, 15),
        headcount=300,
        hazardous_jobs=20,
        employees_with_disabilities=2,
    )
    services.quota_sanction_record(
        actor=s["akimat.almaty"],
        employer=s.employer_a,
        year=2025,
        kind="warning",
        issued_on=dt.date(2025, 6, 1),
    )
    return {"s": s, "job": _dry_run_job(s)}


PAGES: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "employer-vacancies": ("employer.a", lambda d: f"/employment/employer/{d['s'].employer_a.pk}/"),
    "quota-region": ("akimat.almaty", lambda d: "/employment/quota/?year=2025"),
    "staff-reports": ("employer.a", lambda d: f"/employment/employer/{d['s'].employer_a.pk}/staff/"),
    "quota-history-forms": (
        "akimat.almaty",
        lambda d: f"/employment/quota/employers/{d['s'].employer_a.pk}/",
    ),
    "quota-regions": ("ministry", lambda d: "/employment/quota/regions/?year=2025"),
    "vacancies-import": (
        "employer.a",
        lambda d: f"/employment/employer/{d['s'].employer_a.pk}/vacancies/import/",
    ),
    "staff-reports-import": ("akimat.almaty", lambda d: "/employment/quota/import/"),
    "import-dry-run": ("employer.a", lambda d: f"/jobs/{d['job'].pk}/"),
}


@browser_test
@live_db
@pytest.mark.usefixtures("jobs_reference_data")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_quota_and_import_page_has_no_serious_wcag_violations(
    context: Any, live_server: Any, name: str, language: str
):
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
    assert_no_serious_violations(page, name, language)
