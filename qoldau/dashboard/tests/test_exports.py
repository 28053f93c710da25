"""Exports of the impact report: XLSX and PDF built by a background job, in the job's
language and its user's scope, read back and compared with `impact_report`."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from openpyxl import load_workbook

from qoldau.core import services as core_services
from qoldau.core.documents import ChartData
from qoldau.core.errors import ValidationFailed
from qoldau.core.models import BackgroundJob, VulnerabilityCategory
from qoldau.core.tests import factories
from qoldau.core.tests.pdf import assert_accessible
from qoldau.dashboard.exports import (
    export_filename,
    export_job_start,
    export_title,
    impact_filter_from_params,
    impact_filter_to_params,
    report_charts,
    report_export_build,
    report_figures,
    report_pdf,
    report_xlsx,
)
from qoldau.dashboard.tasks import build_report_export
from qoldau.projects import services
from qoldau.projects.impact import ImpactFilter, ImpactReport, ProjectReach, impact_report
from qoldau.projects.tests.factories import project, service

pytestmark = pytest.mark.django_db

YEAR_2025 = ImpactFilter.for_year(2025)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def setting():
    """Two Almaty people served by an Almaty project (one of them in disability group I,
    both at a job fair), one Turkistan person served by a Turkistan project."""
    world = factories.world()
    almaty = project(world.almaty_admin, world.almaty_ngo, title="Тәуелсіз өмір мектебі")
    south = project(world.turkistan_admin, world.turkistan_ngo, title="Оңтүстік")
    aigul, sergei = world.almaty_people
    erlan = world.turkistan_people[0]
    group_one = VulnerabilityCategory.objects.get(code="disability_group_1")
    core_services.person_category_add(
        actor=world.almaty_staff, person=aigul, category=group_one, since=dt.date(2025, 1, 15)
    )
    for actor, proj, person, day in [
        (world.almaty_staff, almaty, aigul, dt.date(2025, 3, 1)),
        (world.almaty_staff, almaty, aigul, dt.date(2025, 5, 1)),
        (world.almaty_staff, almaty, sergei, dt.date(2025, 5, 1)),
        (world.turkistan_staff, south, erlan, dt.date(2025, 6, 1)),
    ]:
        services.delivery_record(
            actor=actor, project=proj, person_id=person.pk, service=service(), delivered_on=day
        )
    services.event_record(
        actor=world.almaty_staff,
        project=almaty,
        data=services.EventInput(
            kind="job_fair",
            title_kk="Жәрмеңке",
            held_on=dt.date(2025, 6, 1),
            anonymous_participants=40,
            volunteers=5,
            attendee_ids=[aigul.pk, sergei.pk],
        ),
    )
    return world


def run_export(capture, actor, *, fmt, language, by=(), report_filter=YEAR_2025):
    with capture(execute=True):
        job = export_job_start(
            actor=actor, report_filter=report_filter, by=list(by), fmt=fmt, language=language
        )
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.SUCCEEDED, job.error
    with job.result_file.open("rb") as file:
        return job, file.read()


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def labelled(sheet):
    """The Summary sheet's (label, value) lines as a dict."""
    return {row[0]: row[1] for row in rows_of(sheet) if row and row[0] is not None and len(row) > 1}


# --- XLSX ----------------------------------------------------------------------------


def test_xlsx_export_in_russian_has_the_reports_figures(setting, django_capture_on_commit_callbacks):
    world = setting
    job, content = run_export(
        django_capture_on_commit_callbacks, world.ministry, fmt="xlsx", language="ru", by=["region"]
    )
    with translation.override("ru"):
        expected = impact_report(world.ministry, YEAR_2025, ["region"])
        deliveries_label = translation.gettext("Service deliveries")
        attendances_label = translation.gettext("Event attendances")
        summary_name = translation.gettext("Summary")
        breakdown_name = translation.gettext("Breakdown")
        title = export_title(expected)

    filename = "отчёт-о-социальном-воздействии-2025.xlsx"
    assert job.result == {"total": 4, "format": "xlsx", "filename": filename}
    assert job.result_file.name.endswith(f"/{filename}")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [summary_name, "Проекты", breakdown_name]

    summary = workbook[summary_name]
    assert summary["A1"].value == title
    assert summary["A1"].font.b
    figures = labelled(summary)
    assert figures["Период"] == "2025"
    assert figures["Охвачено людей"] == expected.people_reached == 3
    assert figures["Участия"] == expected.participations == 6
    assert figures[deliveries_label] == expected.deliveries == 4
    assert figures[attendances_label] == expected.attendances == 2
    assert figures["Анонимные участники"] == expected.anonymous_participants == 40
    assert figures["Мероприятия"] == expected.events == 1
    assert figures["Волонтёры"] == expected.volunteers == 5
    assert figures["Эксперты"] == expected.experts == 0
    assert all(isinstance(figures[label], int) for label in ("Охвачено людей", "Участия", "Волонтёры"))
    assert summary.freeze_panes == "A2"

    projects = workbook["Проекты"]
    assert rows_of(projects)[0] == ["Название", "Организация", "Охвачено людей", "Участия"]
    assert projects["A1"].font.b
    assert projects.freeze_panes == "A2"
    assert projects.column_dimensions["A"].width > 10
    assert rows_of(projects)[1:] == [
        [p.title, p.organisation, p.people_reached, p.participations] for p in expected.projects
    ]
    assert {row[0] for row in rows_of(projects)[1:]} == {"ru Тәуелсіз өмір мектебі", "ru Оңтүстік"}

    breakdown = rows_of(workbook[breakdown_name])
    assert breakdown[0] == ["Область", "Охвачено людей", "Участия"]
    assert breakdown[1:] == [[*r.labels, r.people, r.participations] for r in expected.breakdown]
    # Almaty: 3 deliveries and the 2 attendances at the job fair, counted where its people live.
    assert ["г. Алматы", 2, 5] in breakdown
    assert ["Туркестанская область", 1, 1] in breakdown


def test_xlsx_export_in_kazakh(setting, django_capture_on_commit_callbacks):
    world = setting
    _job, content = run_export(django_capture_on_commit_callbacks, world.ministry, fmt="xlsx", language="kk")
    workbook = load_workbook(io.BytesIO(content))

    assert "Жобалар" in workbook.sheetnames
    assert len(workbook.sheetnames) == 2  # no breakdown asked for, no breakdown sheet
    figures = labelled(workbook.worksheets[0])
    assert figures["Кезең"] == "2025"
    assert figures["Қамтылған адамдар"] == 3
    assert figures["Еріктілер"] == 5
    projects = rows_of(workbook["Жобалар"])
    assert projects[0] == ["Атауы", "Ұйым", "Қамтылған адамдар", "Қатысулар"]
    assert {row[0] for row in projects[1:]} == {"Тәуелсіз өмір мектебі", "Оңтүстік"}
    assert workbook.properties.language == "kk"


def test_ngo_staff_export_counts_only_their_organisation(setting, django_capture_on_commit_callbacks):
    world = setting
    job, content = run_export(
        django_capture_on_commit_callbacks, world.almaty_staff, fmt="xlsx", language="ru", by=["organisation"]
    )
    with translation.override("ru"):
        own = impact_report(world.almaty_staff, YEAR_2025)
    workbook = load_workbook(io.BytesIO(content))
    figures = labelled(workbook.worksheets[0])

    assert figures["Охвачено людей"] == own.people_reached == 2
    assert figures["Участия"] == own.participations == 5
    # The filter in words names the organisation the scope limited the report to.
    assert figures["Организации"] == world.almaty_ngo.name_ru
    assert [row[0] for row in rows_of(workbook["Проекты"])[1:]] == ["ru Тәуелсіз өмір мектебі"]
    assert [row[0] for row in rows_of(workbook.worksheets[2])[1:]] == [world.almaty_ngo.name_ru]
    # The file name is in the reader's language and names the organisation.
    assert job.result["filename"].startswith("отчёт-о-социальном-воздействии-2025-")
    # ... cut to 50 characters before the extension, so the organisation's name is cut too.
    assert slugify(world.almaty_ngo.name_ru, allow_unicode=True)[:10] in job.result["filename"]
    assert len(job.result["filename"]) == 50 + len(".xlsx")


def test_a_title_that_looks_like_a_formula_stays_text():
    report = ImpactReport(
        filter=YEAR_2025,
        people_reached=1,
        participations=1,
        deliveries=1,
        attendances=0,
        anonymous_participants=0,
        events=0,
        volunteers=0,
        experts=0,
        projects=[ProjectReach(1, '=HYPERLINK("http://evil.example","x")', "Org", 1, 1)],
    )
    workbook = load_workbook(io.BytesIO(report_xlsx(report, title="T")))
    cell = workbook.worksheets[1]["A2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil.example","x")'


# --- PDF -----------------------------------------------------------------------------

# "Impact report" as the file name starts in each language.
FILE_NAME_START = {
    "kk": "әлеуметтік-әсер-туралы-есеп-2025",
    "ru": "отчёт-о-социальном-воздействии-2025",
    "en": "impact-report-2025",
}


def number(text: str) -> int:
    """A figure as the PDF prints it ("9 000", with any kind of space) as an int."""
    digits = re.sub(r"\s", "", text)
    assert digits.isdigit(), text
    return int(digits)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_pdf_export_is_tagged_in_the_readers_language_with_charts_and_their_tables(
    language, setting, django_capture_on_commit_callbacks
):
    world = setting
    job, pdf = run_export(
        django_capture_on_commit_callbacks, world.ministry, fmt="pdf", language=language, by=["category"]
    )
    with translation.override(language):
        expected = impact_report(world.ministry, YEAR_2025, ["category"])
        title = export_title(expected)
        by_month_title = translation.gettext("People reached by month")
        by_region_title = translation.gettext("People reached by region")
        projects_heading = translation.gettext("Projects")
        labels = {label: n for label, n in report_figures(expected)}
        period = translation.gettext("Period")
        almaty = factories.region(factories.ALMATY).name
        turkistan = factories.region(factories.TURKISTAN).name
        project_header = [translation.gettext("Title"), translation.gettext("Organisation")]
        breakdown_heading = translation.gettext("Breakdown")
        group_one = VulnerabilityCategory.objects.get(code="disability_group_1").name

    assert job.result == {"total": 4, "format": "pdf", "filename": f"{FILE_NAME_START[language]}.pdf"}
    doc = assert_accessible(pdf, language=language, title=title)
    rows = doc.row_values()
    assert rows[period] == ["2025"]
    # Every figure as the report has it, beside its label.
    assert {label: number(rows[label][0]) for label in labels} == labels
    assert report_figures(expected)[0][1] == expected.people_reached == 3
    # Each chart is a figure with a text alternative, followed by a table of its data.
    assert by_month_title in doc.headings("H2")
    assert any(by_region_title in figure.alt for figure in doc.root.all("Figure"))
    months = {row[0][1]: number(row[1][1]) for row in doc.table_after(by_month_title)[1:]}
    assert months == {f"2025-{m:02d}": {3: 1, 5: 2, 6: 3}.get(m, 0) for m in range(1, 13)}
    regions = doc.table_after(by_region_title)
    assert [tag for tag, _text in regions[0]] == ["TH", "TH"]
    assert {row[0][1]: number(row[1][1]) for row in regions[1:]} == {almaty: 2, turkistan: 1}
    assert [(r.labels[0], r.people) for r in expected.breakdown] == [(group_one, 1)]
    breakdown = doc.table_after(breakdown_heading)
    # Aigul: two deliveries and the fair.
    assert breakdown[1:] == [[("TH", group_one), ("TD", "1"), ("TD", "3")]]
    assert expected.breakdown[0].participations == 3
    # The projects table, in the person's language where the project has it.
    projects = doc.table_after(projects_heading)
    assert [text for _tag, text in projects[0][:2]] == project_header
    by_title = {row[0][1]: [number(text) for _tag, text in row[2:]] for row in projects[1:]}
    assert by_title == {p.title: [p.people_reached, p.participations] for p in expected.projects}


def test_pdf_long_tables_run_onto_more_pages_with_their_header():
    projects = [
        ProjectReach(i, f"Жоба №{i} — әлеуметтік қолдау", "«Қамқор» қоры", 200 - i, 400 - i)
        for i in range(120)
    ]
    report = ImpactReport(
        filter=YEAR_2025,
        people_reached=9000,
        participations=12000,
        deliveries=11000,
        attendances=1000,
        anonymous_participants=0,
        events=3,
        volunteers=2,
        experts=1,
        projects=projects,
    )
    with translation.override("kk"):
        charts = report_charts(None, None, None, report_with_projects=report)
        pdf = report_pdf(report, title="Әсер есебі", charts=charts)
    doc = assert_accessible(pdf, language="kk", title="Әсер есебі")

    assert doc.pages >= 3
    # The table is tagged once per page it runs onto, each part with its header row.
    parts = [table for table in doc.root.all("Table") if table.all("THead")]
    assert sum(1 for table in parts if "Атауы" in table.all("THead")[0].text) >= 2
    table = doc.table_after("Жобалар")
    assert [text for _tag, text in table[0]] == ["Атауы", "Ұйым", "Қамтылған адамдар", "Қатысулар"]
    assert [row[0][1] for row in table[1:]] == [p.title for p in projects]
    assert table[1][1:] == [("TD", "«Қамқор» қоры"), ("TD", "200"), ("TD", "400")]
    assert [c.kind for c in charts] == ["bars"]
    assert len(charts[0].values) == 10
    assert number(doc.row_values()["Қамтылған адамдар"][0]) == 9000


def test_month_chart_has_every_month_of_the_period(setting):
    world = setting
    with translation.override("en"):
        by_month = impact_report(world.ministry, YEAR_2025, ["month"], with_projects=False)
        charts = report_charts(None, by_month, None)
    assert charts == [
        ChartData(
            title="People reached by month",
            kind="months",
            labels=[f"2025-{m:02d}" for m in range(1, 13)],
            values=[0, 0, 1, 0, 2, 3, 0, 0, 0, 0, 0, 0],
            label_heading="Month",
        )
    ]


# --- starting the job and its file ----------------------------------------------------


def test_an_unknown_format_is_refused_and_no_job_is_created(setting, django_capture_on_commit_callbacks):
    world = setting
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationFailed) as refused:
            export_job_start(actor=world.ministry, report_filter=YEAR_2025, by=[], fmt="docx", language="ru")
        assert str(refused.value.message) == "Unknown export format “docx”. Choose XLSX or PDF."
    assert refused.value.field == "format"
    assert not BackgroundJob.objects.exists()


def test_a_bad_breakdown_is_refused_before_a_job_exists(setting):
    world = setting
    with pytest.raises(ValidationFailed):
        export_job_start(
            actor=world.ministry, report_filter=YEAR_2025, by=["colour"], fmt="pdf", language="kk"
        )
    assert not BackgroundJob.objects.exists()


def test_only_the_jobs_owner_can_download_its_file(setting, client, django_capture_on_commit_callbacks):
    world = setting
    job, content = run_export(
        django_capture_on_commit_callbacks, world.almaty_staff, fmt="xlsx", language="kk"
    )
    url = reverse("core:job_download", args=[job.pk])

    client.force_login(world.turkistan_staff)
    assert client.get(url).status_code == 404

    client.force_login(world.almaty_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    # A name outside ASCII travels as RFC 6266's filename*=utf-8''..., saved as it is:
    # the name the job reports, not cut by storage.
    filename = job.result["filename"]
    assert len(filename.removesuffix(".xlsx")) <= 50
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    assert job.result_file.name == f"jobs/{job.pk}/{filename}"


def test_filter_params_round_trip():
    wanted = ImpactFilter(
        date_from=dt.date(2025, 2, 1),
        date_to=dt.date(2025, 7, 31),
        region_ids=(3, 4),
        project_ids=(9,),
        category_id=2,
        funding_source="state_grant",
    )
    params = impact_filter_to_params(wanted)
    assert params["date_from"] == "2025-02-01"
    assert params["region_ids"] == [3, 4]
    assert impact_filter_from_params(params) == wanted
    with pytest.raises(ValidationFailed):
        impact_filter_from_params({"date_from": "yesterday", "date_to": "2025-01-01"})


def test_filename_names_the_period_and_the_single_region(setting):
    almaty = factories.region(factories.ALMATY)
    report = impact_report(None, ImpactFilter.for_year(2025, region_ids=(almaty.pk,)), with_projects=False)
    half = impact_report(None, ImpactFilter(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 30)))
    with translation.override("en"):
        assert export_filename("xlsx", report) == "impact-report-2025-almaty.xlsx"
        assert export_filename("pdf", half) == "impact-report-20250101-20250630.pdf"
    with translation.override("kk"):
        assert export_filename("xlsx", report) == (
            f"әлеуметтік-әсер-туралы-есеп-2025-{slugify(almaty.name_kk, allow_unicode=True)}.xlsx"
        )
    with translation.override("ru"):
        assert export_filename("pdf", half) == "отчёт-о-социальном-воздействии-20250101-20250630.pdf"


def test_a_rerun_after_a_crash_replaces_the_first_attempts_file(setting):
    world = setting
    job = export_job_start(actor=world.ministry, report_filter=YEAR_2025, by=[], fmt="xlsx", language="en")
    # The first attempt kept its file, then the worker died before the job was saved.
    report_export_build(BackgroundJob.objects.get(pk=job.pk), lambda done, total: None)
    rerun = BackgroundJob.objects.get(pk=job.pk)
    assert not rerun.result_file

    build_report_export(str(job.pk))

    rerun.refresh_from_db()
    assert rerun.status == BackgroundJob.Status.SUCCEEDED
    assert rerun.result_file.name == f"jobs/{job.pk}/impact-report-2025.xlsx"


def test_an_export_whose_user_is_gone_fails_instead_of_counting_for_the_public(setting):
    world = setting
    job = export_job_start(actor=world.ministry, report_filter=YEAR_2025, by=[], fmt="pdf", language="en")
    world.ministry.delete()

    build_report_export(str(job.pk))

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert job.error == "The account that asked for this export no longer exists."
    assert not job.result_file
