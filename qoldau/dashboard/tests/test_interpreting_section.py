"""The dashboard's "Sign-language interpreting" section and its sheet in the XLSX export,
read through the interpreting app's seam: exact within the reader's scope, hidden and
rounded on the public page, a table beside each chart, in the three languages."""

import io
import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from qoldau.core.documents import sheet_title
from qoldau.core.models import BackgroundJob
from qoldau.core.tests import factories as f
from qoldau.dashboard.exports import export_job_start
from qoldau.interpreting.tests.figures_scene import figures_scene
from qoldau.projects.impact import ImpactFilter

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


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_section_is_on_the_officers_dashboard_with_tables_beside_the_charts(language: str) -> None:
    figures_scene()
    officer = f.user(f"officer.{language}", "akimat_officer", kato=f.ALMATY)
    text = page(officer, "/dashboard/?year=2025", language)
    with translation.override(language):
        title = translation.gettext("Sign-language interpreting")
        missed = translation.gettext("Missed calls")
    if language != "en":
        assert title != "Sign-language interpreting"
    assert title in text
    section = text[text.index('id="interpreting-title"') :]
    for chart in ("interpreting_calls", "interpreting_purpose", "interpreting_region"):
        assert f'data-chart="{chart}"' in section
    assert section.count("<table>") >= 3
    assert f'{missed}</span> <span class="value">3<' in section
    assert '<th scope="row">2025-03</th><td class="number">10</td>' in section
    charts = json.loads(text.split('id="chart-data" type="application/json">')[1].split("</script>")[0])
    assert sum(charts["interpreting_calls"]["values"]) == 11
    assert sum(charts["interpreting_purpose"]["values"]) == 80


def test_the_public_dashboard_hides_counts_under_five() -> None:
    figures_scene()
    text = page(None, "/dashboard/public/?year=2025")
    section = text[text.index('id="interpreting-title"') :]
    assert 'Missed calls</span> <span class="value">fewer than 5' in section
    assert 'People served</span> <span class="value">fewer than 5' in section
    assert 'Calls</span> <span class="value">10<' in section
    charts = json.loads(text.split('id="chart-data" type="application/json">')[1].split("</script>")[0])
    # The minutes of purposes whose people are hidden are not charted either.
    assert sum(charts["interpreting_purpose"]["values"]) == 0


def test_a_scope_without_an_interpreting_service_has_no_section() -> None:
    figures_scene()
    officer = f.user("turkistan.officer", "akimat_officer", kato=f.TURKISTAN)
    assert 'id="interpreting-title"' not in page(officer, "/dashboard/?year=2025")


def test_the_xlsx_export_has_an_interpreting_sheet(django_capture_on_commit_callbacks: object) -> None:
    figures_scene()
    officer = f.user("officer", "akimat_officer", kato=f.ALMATY)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        job = export_job_start(actor=officer, report_filter=YEAR_2025, by=[], fmt="xlsx", language="ru")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.SUCCEEDED, job.error
    with job.result_file.open("rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    with translation.override("ru"):
        name = translation.gettext("Sign-language interpreting")
        calls = translation.gettext("Calls")
        missed = translation.gettext("Missed calls")
        median = translation.gettext("Median wait, seconds")
        month = translation.gettext("Month")
    assert name != "Sign-language interpreting"
    assert sheet_title(name) in workbook.sheetnames
    rows = [list(r) for r in workbook[sheet_title(name)].iter_rows(values_only=True)]
    lines = {r[0]: r[1] for r in rows if r and r[0] is not None}
    assert (lines[calls], lines[missed], lines[median]) == (11, 3, 80)
    header = next(r for r in rows if r and r[0] == month)
    by_month = {r[0]: r for r in rows[rows.index(header) + 1 :] if r and r[0]}
    assert by_month["2025-03"][1:3] == [10, 5]
