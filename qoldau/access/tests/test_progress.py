"""Progress to the target year: every figure of a small hand-made set (made with the real
services), the target arithmetic, the breakdowns by district, region and kind, the API's
contract, the pages (signed in and public) and the XLSX export as a job (the PDF's own
tests are test_progress_pdf.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from qoldau.access import services
from qoldau.access.exports import export_job_start
from qoldau.access.models import Measure, Passport
from qoldau.access.progress import TargetPace, progress_report
from qoldau.access.tests.progress_scene import ALMATY, ASTANA, TODAY, district_named, scene
from qoldau.core.errors import ValidationFailed
from qoldau.core.models import BackgroundJob, Place
from qoldau.core.services import KatoRow, places_import_kato
from qoldau.core.tests.markup import INJECTED, inline_code, json_data

pytestmark = pytest.mark.django_db


def _statuses(accessible: int, partial: int, not_accessible: int, unknown: int) -> dict[str, int]:
    return {
        "accessible": accessible,
        "partial": partial,
        "not_accessible": not_accessible,
        "unknown": unknown,
    }


def test_almaty_figures_count_every_object_status_and_measure():
    scene()
    almaty = Place.objects.get(kato=ALMATY)
    report = progress_report(almaty)
    totals = report.totals
    assert (totals.objects, totals.passported, totals.passported_share) == (3, 2, 66.7)
    assert totals.by_status == {
        "К": _statuses(1, 0, 1, 1),
        "О": _statuses(1, 0, 1, 1),
        "С": _statuses(2, 0, 0, 1),
        "Г": _statuses(2, 0, 0, 1),
        "У": _statuses(2, 0, 0, 1),
    }
    # The clinic's ramp is planned and overdue; its other shortfalls: none (only the ramp failed).
    assert (totals.measures_planned, totals.measures_done, totals.measures_overdue) == (1, 0, 1)
    assert totals.measures_done_share == 0.0
    assert totals.passported_recently == 2

    # By district: all eight of Almaty's, those without objects at zero.
    rows = {row.label: row.figures for row in report.by_area}
    assert len(rows) == 8
    almaly, medeu = rows["Алмалы ауданы"], rows["Медеу ауданы"]
    assert (almaly.objects, almaly.passported, almaly.measures_planned, almaly.measures_overdue) == (
        2,
        2,
        1,
        1,
    )
    assert almaly.by_status["К"] == _statuses(1, 0, 1, 0)
    assert (medeu.objects, medeu.passported, medeu.passported_share) == (1, 0, 0.0)
    assert medeu.by_status["К"] == _statuses(0, 0, 0, 1)
    assert sum(f.objects for f in rows.values()) == 3
    assert rows["Алатау ауданы"].objects == 0
    assert rows["Алатау ауданы"].passported_share is None

    # By kind: all ten kinds listed.
    kinds = {row.key: row.figures for row in report.by_kind}
    assert len(kinds) == 10
    assert (kinds["education"].objects, kinds["education"].passported) == (2, 1)
    assert (kinds["health"].objects, kinds["health"].passported, kinds["health"].measures_planned) == (
        1,
        1,
        1,
    )
    assert kinds["health"].by_status["О"] == _statuses(0, 0, 1, 0)
    assert kinds["trade_services"].objects == 0


def test_country_figures_are_by_region_and_add_up():
    scene()
    report = progress_report(None)
    totals = report.totals
    assert (totals.objects, totals.passported) == (4, 3)
    assert totals.by_status["У"] == _statuses(2, 1, 0, 1)
    assert totals.by_status["К"] == _statuses(2, 0, 1, 1)
    assert (totals.measures_planned, totals.measures_done, totals.measures_overdue) == (2, 1, 1)
    assert totals.measures_done_share == 50.0
    rows = {row.key: row.figures for row in report.by_area}
    assert len(rows) == 20
    assert (rows[ALMATY].objects, rows[ASTANA].objects, rows[ASTANA].passported) == (3, 1, 1)
    assert (rows[ASTANA].measures_planned, rows[ASTANA].measures_done) == (1, 1)
    assert rows[ASTANA].by_status["У"] == _statuses(0, 1, 0, 0)
    assert sum(f.objects for f in rows.values()) == totals.objects
    assert sum(f.measures_planned for f in rows.values()) == totals.measures_planned


def test_measures_not_planned_or_not_needed_are_not_counted():
    s = scene()
    # A second shortfall of the clinic, decided as "no measure needed": planned, but not work.
    passport = Passport.objects.get(object=s.clinic)
    Measure.objects.create(object=s.clinic, passport=passport, zone="entrance", item_code="door_width")
    extra = Measure.objects.get(object=s.clinic, item_code="door_width")
    services.measure_plan(
        actor=s.w.akimat_almaty,
        measure=extra,
        expected_version=extra.version,
        plan=services.MeasurePlan(kind=Measure.Kind.NONE_NEEDED),
    )
    totals = progress_report(Place.objects.get(kato=ALMATY)).totals
    assert (totals.measures_planned, totals.measures_done) == (1, 0)


@pytest.mark.parametrize(
    ("target", "passported", "recent", "today", "share", "remaining", "years", "needed", "on_track"),
    [
        # 2026 to 2030 is five years counting this one: 8 left → 2 a year (rounded up).
        (10, 2, 2, dt.date(2026, 11, 22), 20.0, 8, 5, 2, True),
        (10, 2, 1, dt.date(2026, 11, 22), 20.0, 8, 5, 2, False),
        # Almaty's "Digital Inclusion": 34,100 of about 75,000.
        (75_000, 34_100, 9_000, dt.date(2026, 1, 1), 45.5, 40_900, 5, 8_180, True),
        # The last year: everything left is needed this year.
        (100, 40, 10, dt.date(2030, 3, 1), 40.0, 60, 1, 60, False),
        # Past the target year: no pace can reach it any more.
        (100, 40, 10, dt.date(2031, 1, 1), 40.0, 60, 0, None, False),
        # Reached (and passed): nothing left, on track whatever the pace.
        (100, 120, 0, dt.date(2028, 1, 1), 120.0, 0, 3, 0, True),
    ],
)
def test_target_pace_arithmetic(target, passported, recent, today, share, remaining, years, needed, on_track):
    pace = TargetPace(
        target=target, passported=passported, year=2030, today=today, passported_recently=recent
    )
    assert (pace.share, pace.remaining, pace.years_left, pace.needed_per_year, pace.on_track) == (
        share,
        remaining,
        years,
        needed,
        on_track,
    )


def test_no_target_gives_no_pace():
    pace = TargetPace(target=None, passported=5, year=2030, today=TODAY, passported_recently=5)
    assert (pace.share, pace.remaining, pace.needed_per_year, pace.on_track) == (None, None, None, None)


def test_target_comes_from_the_setting(settings):
    settings.QOLDAU_ACCESS_TARGETS = {ALMATY: 10, ASTANA: 5}
    settings.QOLDAU_ACCESS_TARGET_YEAR = 2030
    scene()
    report = progress_report(Place.objects.get(kato=ALMATY), today=TODAY)
    assert (report.pace.target, report.pace.share, report.pace.remaining) == (10, 20.0, 8)
    assert report.pace.needed_per_year == 2
    country = progress_report(None, today=TODAY)
    assert country.totals.target_objects == 15
    assert {r.key: r.figures.target_objects for r in country.by_area if r.figures.target_objects} == {
        ALMATY: 10,
        ASTANA: 5,
    }


# API ------------------------------------------------------------------------------------


def test_api_progress_of_a_region_keeps_its_contract(settings):
    settings.QOLDAU_ACCESS_TARGETS = {ALMATY: 10}
    scene()
    body = Client().get("/api/v1/access/progress", {"region": ALMATY}).json()
    assert body["region"] == ALMATY
    assert (body["objects"], body["passported"], body["target_year"], body["target_objects"]) == (
        3,
        2,
        2030,
        10,
    )
    assert body["by_status"]["К"] == _statuses(1, 0, 1, 1)
    assert body["measures"] == {"planned": 1, "done": 0}


def test_api_progress_without_region_is_the_country_and_unknown_region_is_404():
    scene()
    body = Client().get("/api/v1/access/progress").json()
    assert (body["region"], body["objects"], body["passported"]) == (None, 4, 3)
    assert body["by_status"]["У"] == _statuses(2, 1, 0, 1)
    missing = Client().get("/api/v1/access/progress", {"region": "999999999"})
    assert missing.status_code == 404


# Pages ----------------------------------------------------------------------------------


def test_officer_page_opens_on_their_region_with_exports(django_assert_max_num_queries):
    s = scene()
    client = Client()
    client.force_login(s.w.akimat_almaty)
    with django_assert_max_num_queries(20):
        response = client.get("/access/progress/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["report"].region.kato == ALMATY
    assert "Алмалы ауданы" in html
    assert "Медеу ауданы" in html
    assert 'action="/access/progress/export/"' in html
    assert "<table" in html
    assert 'data-chart="area"' in html


def test_public_page_shows_the_same_figures_without_signing_in_or_exports():
    s = scene()
    signed_in = Client()
    signed_in.force_login(s.w.ministry)
    officer = signed_in.get("/access/progress/", {"region": ALMATY}).context["report"]
    public = Client().get("/access/progress/public/", {"region": ALMATY})
    assert public.status_code == 200
    assert public.context["report"].totals == officer.totals
    assert "/access/progress/export/" not in public.content.decode()


def test_public_page_with_an_unknown_region_says_so_and_shows_the_country():
    scene()
    response = Client().get("/access/progress/public/", {"region": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert response.context["report"].region is None
    assert response.context["report"].totals.objects == 4


def test_a_place_name_with_markup_stays_text_on_the_progress_pages():
    """A region's name (from a KATO file) reaches the charts' JSON: markup in it must not
    close the script element and run for every visitor of the public page."""
    s = scene()
    places_import_kato(actor=None, rows=[KatoRow(2, ALMATY, INJECTED, INJECTED)])
    officer = Client()
    officer.force_login(s.w.ministry)
    for client, url in ((Client(), "/access/progress/public/"), (officer, "/access/progress/")):
        html = client.get(url).content.decode()
        assert INJECTED not in html
        assert inline_code(html) == []
        assert INJECTED in json_data(html, "chart-data")["area"]["labels"]


def test_people_without_an_officers_role_are_sent_to_the_public_page():
    s = scene()
    client = Client()
    client.force_login(s.w.almaty_staff)
    response = client.get("/access/progress/")
    assert response.status_code == 302
    assert response["Location"].startswith("/access/progress/public/")
    assert Client().get("/access/progress/").status_code == 302  # sign in first


# Exports --------------------------------------------------------------------------------


def _export(client: Client, capture, fmt: str, region: str = ALMATY) -> BackgroundJob:
    with capture(execute=True):
        response = client.post("/access/progress/export/", {"region": region, "format": fmt})
    assert response.status_code == 302, response.content[:500]
    job = BackgroundJob.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == BackgroundJob.Status.SUCCEEDED, job.error
    return job


def test_xlsx_export_holds_the_figures(django_capture_on_commit_callbacks):
    s = scene()
    client = Client()
    client.force_login(s.w.akimat_almaty)
    job = _export(client, django_capture_on_commit_callbacks, "xlsx")
    assert job.result["filename"].startswith("қолжетімділік-паспорттары-алматы-қаласы-")
    workbook = load_workbook(io.BytesIO(job.result_file.read()))
    assert len(workbook.sheetnames) == 4
    summary = workbook.worksheets[0]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=3, values_only=True) if row[0]}
    assert "Алматы" in summary["A1"].value
    assert len(values) >= 8
    by_district = workbook.worksheets[2]
    rows = {row[0]: row for row in by_district.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 8
    assert rows["Алмалы ауданы"][1:3] == (2, 2)
    assert rows["Медеу ауданы"][1:3] == (1, 0)
    by_kind = {row[0]: row for row in workbook.worksheets[3].iter_rows(min_row=2, values_only=True)}
    assert len(by_kind) == 10
    assert sum(row[1] for row in by_kind.values()) == 3
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200


def test_export_with_a_bad_format_or_language_starts_no_job():
    s = scene()
    client = Client()
    client.force_login(s.w.akimat_almaty)
    before = BackgroundJob.objects.count()
    response = client.post("/access/progress/export/", {"region": ALMATY, "format": "docx"})
    assert response.status_code == 200
    assert response.context["form"].errors["format"]
    with pytest.raises(ValidationFailed):
        export_job_start(actor=s.w.akimat_almaty, region=None, fmt="xlsx", language="de")
    with pytest.raises(ValidationFailed):
        export_job_start(
            actor=s.w.akimat_almaty, region=district_named("Medeu District"), fmt="xlsx", language="kk"
        )
    assert BackgroundJob.objects.count() == before
