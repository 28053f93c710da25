"""The dashboard's "Social services" section and its sheet in the XLSX export, read
through the services app's seam: exact within the user's scope, hidden and rounded on the
public page, tables beside the charts."""

import io
import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from qoldau.core.models import BackgroundJob
from qoldau.core.tests import factories as f
from qoldau.dashboard.exports import export_job_start
from qoldau.projects.impact import ImpactFilter
from qoldau.services.tests.figures_factories import figures_scene

pytestmark = pytest.mark.django_db

YEAR_2025 = ImpactFilter.for_year(2025)


def page(user: object | None, path: str, language: str = "en") -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_dashboard_shows_the_section_hidden_and_rounded() -> None:
    figures_scene()
    text = page(None, "/dashboard/public/?year=2025")
    assert "Social services" in text
    assert "Providers by kind" in text
    assert 'data-chart="services_kinds"' in text
    section = text[text.index('id="services-title"') :]
    # The 2 people waiting are fewer than 5: hidden.
    assert 'People waiting</span> <span class="value">fewer than 5' in section
    charts = json.loads(text.split('id="chart-data" type="application/json">')[1].split("</script>")[0])
    assert sum(charts["services_kinds"]["values"]) == 3
    assert sum(charts["services_places"]["values"]) == 31


def test_an_officer_sees_their_regions_figures_exactly_by_district() -> None:
    figures_scene()
    officer = f.user("officer", "akimat_officer", kato=f.ALMATY)
    text = page(officer, "/dashboard/?year=2025")
    section = text[text.index('id="services-title"') :]
    assert 'People waiting</span> <span class="value">2<' in section
    assert "Medeu District" in section
    assert "Alatau District" in section
    assert "Astana" not in section


def test_the_xlsx_export_has_a_social_services_sheet(django_capture_on_commit_callbacks: object) -> None:
    figures_scene()
    officer = f.user("officer", "akimat_officer", kato=f.ALMATY)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        job = export_job_start(actor=officer, report_filter=YEAR_2025, by=[], fmt="xlsx", language="ru")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.SUCCEEDED, job.error
    with job.result_file.open("rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    with translation.override("ru"):
        name = translation.gettext("Social services")
        waiting = translation.gettext("People waiting")
        providers = translation.gettext("Providers")
    assert name in workbook.sheetnames
    rows = [list(r) for r in workbook[name].iter_rows(values_only=True)]
    lines = {r[0]: r[1] for r in rows if r and r[0] is not None}
    assert lines[providers] == 2
    header = next(r for r in rows if r and waiting in r)
    table = rows[rows.index(header) + 1 :]
    by_place = {r[0]: r for r in table}
    assert by_place["Медеуский район"][1:] == [1, 6, 0, 2, 8]
    assert by_place["Алатауский район"][1:] == [1, 20, 18, 0, 2]
