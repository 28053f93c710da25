"""The progress report's PDF in Kazakh, Russian and English, read back as a screen reader
reads it: tagged (PDF/UA-1), in the reader's language with its title and file name, real
headings and tables with header cells, and every figure equal to `progress_report`'s."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.text import slugify

from qoldau.access.exports import export_job_start, export_title
from qoldau.access.models import PeopleCategory, PublicStatus
from qoldau.access.progress import progress_report, region_by_kato
from qoldau.access.tests.progress_scene import ALMATY, scene
from qoldau.core.models import BackgroundJob
from qoldau.core.tests.pdf import assert_accessible, assert_script

pytestmark = pytest.mark.django_db

# The words a file name starts with in each language: "Accessibility passports".
FILE_NAME_START = {
    "kk": "қолжетімділік-паспорттары-",
    "ru": "паспорта-доступности-",
    "en": "accessibility-passports-",
}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def number(text: str) -> int:
    """A figure as the PDF prints it ("1 234", with any kind of space) as an int."""
    digits = re.sub(r"\s", "", text)
    assert digits.isdigit(), text
    return int(digits)


def run_export(capture, actor, *, region, language):
    with capture(execute=True):
        job = export_job_start(actor=actor, region=region, fmt="pdf", language=language)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.SUCCEEDED, job.error
    with job.result_file.open("rb") as file:
        return job, file.read()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_region_pdf_is_tagged_in_the_readers_language_with_the_reports_figures(
    language, django_capture_on_commit_callbacks
):
    s = scene()
    region = region_by_kato(ALMATY)
    job, pdf = run_export(
        django_capture_on_commit_callbacks, s.w.akimat_almaty, region=region, language=language
    )
    with translation.override(language):
        report = progress_report(region)
        title = export_title(report)
        area_chart = translation.gettext("Passported objects by district")
        kind_chart = translation.gettext("Passported objects by kind")
        objects_label = translation.gettext("Objects")
        passported_label = translation.gettext("Passported")
        status_heading = translation.gettext("Public status by category")
        region_name = report.region.name if report.region else ""

    doc = assert_accessible(pdf, language=language, title=title)

    # The file name is in the reader's language too, and names the region and the day.
    filename = job.result["filename"]
    assert filename.startswith(FILE_NAME_START[language]), filename
    assert filename.endswith(f"{report.today:%Y-%m-%d}.pdf")
    assert f"-{slugify(region_name, allow_unicode=True)}-" in filename
    assert_script(filename.removesuffix(".pdf"), language)

    assert [area_chart, kind_chart] == [h for h in doc.headings("H2") if h in (area_chart, kind_chart)]
    # Each chart is a figure whose text alternative names it, followed by its table.
    alts = [figure.alt for figure in doc.root.all("Figure")]
    assert len(alts) == 2
    assert area_chart in alts[0]
    assert kind_chart in alts[1]

    # The target lines: row headers with their values.
    lines = doc.row_values()
    assert number(lines[objects_label][0]) == report.totals.objects == 3
    assert number(lines[passported_label][0]) == report.totals.passported == 2

    # The districts' table: a header row of column headers, then one row per district
    # with its name as the row header and its figures as data cells.
    table = doc.table_after(area_chart)
    assert [tag for tag, _text in table[0]] == ["TH"] * 7
    assert table[0][1][1] == objects_label
    assert len(table) == 1 + len(report.by_area) == 9
    for row, expected in zip(table[1:], report.by_area, strict=True):
        assert row[0] == ("TH", expected.label)
        assert [tag for tag, _text in row[1:]] == ["TD"] * 6
        assert number(row[1][1]) == expected.figures.objects
        assert number(row[2][1]) == expected.figures.passported
        assert number(row[4][1]) == expected.figures.measures_planned
    assert sum(number(row[1][1]) for row in table[1:]) == 3

    # Public statuses by category: every count as the report has it.
    statuses = doc.table_after(status_heading)
    with translation.override(language):
        assert [text for _tag, text in statuses[0][1:]] == [str(label) for label in PublicStatus.labels]
        expected_rows = {label: counts for _code, label, counts in report.totals.status_rows()}
    assert len(statuses) == 1 + len(PeopleCategory)
    for row in statuses[1:]:
        assert [number(text) for _tag, text in row[1:]] == expected_rows[row[0][1]]
    assert sum(sum(counts) for counts in expected_rows.values()) == 3 * len(PeopleCategory)
    # Wheelchair users (К): the school accessible, the clinic without a ramp not, the
    # unsurveyed school not assessed yet.
    assert [number(text) for _tag, text in statuses[1][1:]] == [1, 0, 1, 1]


def test_the_countrys_pdf_download_keeps_its_kazakh_file_name(django_capture_on_commit_callbacks):
    s = scene()
    client = Client()
    client.force_login(s.w.ministry)
    job, pdf = run_export(django_capture_on_commit_callbacks, s.w.ministry, region=None, language="kk")
    with translation.override("kk"):
        report = progress_report(None)
        doc = assert_accessible(pdf, language="kk", title=export_title(report))
        by_region_heading = translation.gettext("Passported objects by region")
    assert job.result["filename"] == f"қолжетімділік-паспорттары-қазақстан-{report.today:%Y-%m-%d}.pdf"
    by_region = doc.table_after(by_region_heading)
    assert sum(number(row[1][1]) for row in by_region[1:]) == report.totals.objects == 4

    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # RFC 6266: a name outside ASCII travels as filename*=utf-8''..., which browsers save as is.
    assert "filename*=utf-8''%D2%9B%D0%BE%D0%BB" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf
