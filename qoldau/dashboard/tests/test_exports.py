"""Exports of the impact report: XLSX and PDF built by a background job, in the job's
language and its user's scope, read back and compared with `impact_report`."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from qoldau.core import services as core_services
from qoldau.core.documents import ChartData
from qoldau.core.errors import ValidationFailed
from qoldau.core.models import BackgroundJob, VulnerabilityCategory
from qoldau.core.tests import factories
from qoldau.dashboard.exports import (
    export_filename,
    export_job_start,
    export_title,
    impact_filter_from_params,
    impact_filter_to_params,
    report_charts,
    report_export_build,
    report_pdf,
    report_xlsx,
)
from qoldau.dashboard.tasks import build_report_export
from qoldau.dashboard.tests.pdf import pdf_info_title, pdf_text
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

    assert job.result == {"total": 4, "format": "xlsx", "filename": "impact-2025.xlsx"}
    assert job.result_file.name.endswith("/impact-2025.xlsx")
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
    assert job.result["filename"].startswith("impact-2025-")
    assert job.result["filename"].isascii()


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


def follows(texts: list[str], first: str, then: str) -> bool:
    return any(a == first and b == then for a, b in itertools.pairwise(texts))


def test_pdf_export_in_kazakh_with_charts_and_their_tables(setting, django_capture_on_commit_callbacks):
    world = setting
    job, pdf = run_export(
        django_capture_on_commit_callbacks, world.ministry, fmt="pdf", language="kk", by=["category"]
    )
    with translation.override("kk"):
        expected = impact_report(world.ministry, YEAR_2025, ["category"])
        title = export_title(expected)
        by_month_title = translation.gettext("People reached by month")
        by_region_title = translation.gettext("People reached by region")

    assert job.result == {"total": 4, "format": "pdf", "filename": "impact-2025.pdf"}
    assert pdf.startswith(b"%PDF-")
    assert b"/Lang (kk)" in pdf
    assert pdf_info_title(pdf) == title
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) >= 1
    # Kazakh letters need DejaVu; the built-in Helvetica must not be used anywhere.
    assert set(re.findall(rb"/BaseFont /\w+\+(\S+)", pdf)) == {b"DejaVuSans", b"DejaVuSans-Bold"}
    assert b"Helvetica" not in pdf

    texts = pdf_text(pdf)
    assert texts[0] == title
    assert follows(texts, "Кезең", "2025")
    assert follows(texts, "Қамтылған адамдар", "3")
    assert follows(texts, "Анонимді қатысушылар", "40")
    assert follows(texts, "Еріктілер", "5")
    # Each chart is followed by a table of its data.
    assert by_month_title in texts
    assert by_region_title in texts
    assert follows(texts, "2025-03", "1")
    assert follows(texts, "2025-05", "2")
    assert follows(texts, "2025-06", "3")
    assert follows(texts, "Алматы қаласы", "2")
    assert follows(texts, "Түркістан облысы", "1")
    group_one = VulnerabilityCategory.objects.get(code="disability_group_1")
    assert follows(texts, group_one.name_kk, "1")
    assert [(r.labels[0], r.people) for r in expected.breakdown] == [(group_one.name_kk, 1)]
    # The projects table comes last, in the person's language (long names wrap).
    projects_part = texts[texts.index("Жобалар") :]
    assert projects_part[1:3] == ["Атауы", "Ұйым"]
    assert "Тәуелсіз өмір мектебі" in projects_part
    assert "«Түркістан көмек» қоры" in projects_part
    # Counts of people have whole-number axes.
    assert not any(re.fullmatch(r"\d+\.\d+", text) for text in texts)


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
        pdf = report_pdf(report, title="Әсер есебі", charts=charts, compress=False)
    texts = pdf_text(pdf)

    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) >= 3
    assert texts.count("Атауы") >= 3  # the header row on every page of the table
    assert "Жоба №119 — әлеуметтік қолдау" in texts
    assert follows(texts, "Жоба №0 — әлеуметтік қолдау", "«Қамқор» қоры")
    assert [c.kind for c in charts] == ["bars"]
    assert len(charts[0].values) == 10
    # Kazakh groups thousands with a narrow no-break space (qoldau/formats/kk).
    assert follows(texts, "Қамтылған адамдар", "9\u202f000")


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
    assert job.result["filename"] in response["Content-Disposition"]


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
    assert export_filename("xlsx", report) == "impact-2025-almaty.xlsx"
    half = impact_report(None, ImpactFilter(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 30)))
    assert export_filename("pdf", half) == "impact-20250101-20250630.pdf"


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
    assert rerun.result_file.name == f"jobs/{job.pk}/impact-2025.xlsx"


def test_an_export_whose_user_is_gone_fails_instead_of_counting_for_the_public(setting):
    world = setting
    job = export_job_start(actor=world.ministry, report_filter=YEAR_2025, by=[], fmt="pdf", language="en")
    world.ministry.delete()

    build_report_export(str(job.pk))

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert job.error == "The account that asked for this export no longer exists."
    assert not job.result_file
