"""Imports of vacancies and staff reports from XLSX (made here with openpyxl) and CSV,
through the imports app's machinery: headers in kk, ru and en, BINs Excel kept as
numbers, every bad cell named by its row and column in a translated reason and nothing
written, a file imported twice writing nothing twice; the upload pages and their jobs,
the templates and `qoldau import`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation

from qoldau.core import services as core_services
from qoldau.core.identifiers import make_bin
from qoldau.core.models import AuditEntry, BackgroundJob, Organisation
from qoldau.core.tests import factories
from qoldau.imports.errors import ImportErrorCode
from qoldau.imports.readers import ImportFileError, match_columns
from qoldau.imports.services import ImportRejected, ImportSource
from qoldau.jobs.imports import STAFF_REPORTS, VACANCIES, import_staff_reports, import_vacancies
from qoldau.jobs.models import StaffReport, Vacancy
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db

VACANCY_EN = ["Occupation code", "Title in Kazakh", "Title in Russian", "Pay from", "Hours a week",
              "Quota job", "Remote work", "District", "Opens on", "Working conditions"]  # fmt: skip
VACANCY_RU = ["Код профессии", "Название на казахском", "Название", "Зарплата от", "Часов в неделю",
              "Квота", "Удалённая работа", "Район", "Дата открытия", "Условия труда"]  # fmt: skip
VACANCY_KK = ["Кәсіп коды", "Қазақша атауы", "Орысша атауы", "Жалақы", "Аптасына сағат",
              "Квоталық орын", "Қашықтан жұмыс", "Аудан", "Ашылған күні", "Еңбек жағдайлары"]  # fmt: skip
STAFF_EN = ["BIN", "Year", "Headcount", "Hazardous jobs", "Employees with disabilities"]
STAFF_RU = ["БИН", "Год", "Численность", "Рабочие места с вредными условиями", "Работники с инвалидностью"]
STAFF_KK = ["БСН", "Жыл", "Қызметкерлер саны", "Зиянды жұмыс орындары", "Мүгедектігі бар қызметкерлер"]


def good_vacancies() -> list[list[Any]]:
    return [
        ["4110", "Кеңсе хатшысы", "Секретарь", 150000, 40, "иә", "жоқ", "Алмалы", dt.date(2025, 3, 3), ""],
        ["4110", "Тіркеуші", "", "120 000", 30, "нет", "да", "", "03.04.2025", "prolonged_standing"],
    ]  # fmt: skip


def write_xlsx(path: Path, header: list[str], rows: list[Any]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def source(path: Path) -> ImportSource:
    return ImportSource(path=path, name=path.name)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def s() -> f.Scene:
    return f.scene(buildings=False)


# Vacancies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [VACANCY_EN, VACANCY_RU, VACANCY_KK], ids=["en", "ru", "kk"])
def test_headers_in_each_language_are_recognised(header: list[str]):
    columns = match_columns(VACANCIES, header)
    assert columns.complete
    assert columns.fields[0] == "occupation_code"
    assert columns.fields[3] == "pay_from"
    staff = {"en": STAFF_EN, "ru": STAFF_RU, "kk": STAFF_KK}[
        "en" if header is VACANCY_EN else "ru" if header is VACANCY_RU else "kk"
    ]
    assert match_columns(STAFF_REPORTS, staff).complete


def test_a_dry_run_writes_nothing_and_a_write_posts_every_row(s: f.Scene, tmp_path: Path):
    path = write_xlsx(tmp_path / "vacancies.xlsx", VACANCY_RU, good_vacancies())
    report = import_vacancies(actor=s["employer.a"], employer=s.employer_a, source=source(path), dry_run=True)
    assert (report.total, report.written, report.errors_total) == (2, 2, 0)
    assert not Vacancy.objects.exists()
    report = import_vacancies(actor=s["employer.a"], employer=s.employer_a, source=source(path))
    assert (report.written, report.unchanged) == (2, 0)
    clerk, registrar = Vacancy.objects.order_by("opens_on")
    assert clerk.district is not None
    assert (clerk.employer, clerk.quota, clerk.remote, clerk.district.name_en) == (
        s.employer_a,
        True,
        False,
        "Almaly District",
    )
    assert (registrar.pay_from, registrar.weekly_hours, registrar.remote, registrar.quota) == (
        Decimal(120_000),
        30,
        True,
        False,
    )
    assert [c.code for c in registrar.conditions.all()] == ["prolonged_standing"]
    assert AuditEntry.objects.get(action="jobs.vacancies_import").details["written"] == 2
    # The same file again posts nothing twice.
    again = import_vacancies(actor=s["employer.a"], employer=s.employer_a, source=source(path))
    assert (again.written, again.unchanged) == (0, 2)
    assert Vacancy.objects.count() == 2


def test_bad_vacancy_rows_are_named_by_row_and_column_and_nothing_is_written(s: f.Scene, tmp_path: Path):
    rows = [
        *good_vacancies(),
        ["9999", "Белгісіз", "", 150000, 40, "", "", "", "2025-03-03", ""],
        ["4110", "Арзан", "", 50000, 40, "", "", "", "2025-03-03", ""],
        ["4110", "Басқа аудан", "", 150000, 40, "", "", "Есиль", "2025-03-03", ""],
        ["4110", "Белгісіз белгі", "", 150000, 40, "мүмкін", "", "", "2025-03-03", ""],
        ["4110", "Теріс", "", -5, 40, "", "", "", "бүгін", ""],
        ["4110", "Кеңсе хатшысы", "", 150000, 40, "", "", "", dt.date(2025, 3, 3), ""],
    ]
    path = write_xlsx(tmp_path / "vacancies.xlsx", VACANCY_EN, rows)
    report = import_vacancies(actor=s["employer.a"], employer=s.employer_a, source=source(path), dry_run=True)
    found = {(e.row, e.column, e.reason) for e in report.errors}
    assert found == {
        (4, "Occupation code", "There is no occupation 9999 in the classifier."),
        (
            5,
            "Pay from",
            "The pay of 50000 tenge a month is below the minimum wage in force on 2025-03-03: "
            "at least 85000.00 tenge for 40 hours a week.",
        ),
        (6, "District", "There is no district “Есиль” in Almaty."),
        (7, "Quota job", "“мүмкін” is neither yes nor no: write иә or жоқ, да or нет, yes or no."),
        (8, "Pay from", "“-5” is not an amount of tenge."),
        (8, "Opens on", "“бүгін” is not a date; write it as 31.12.2025 or 2025-12-31."),
        (9, "Title in Kazakh", "This row repeats row 2: the same occupation, title, pay and opening day."),
    }, found
    assert report.error_rows == 6
    with pytest.raises(ImportRejected):
        import_vacancies(actor=s["employer.a"], employer=s.employer_a, source=source(path))
    assert not Vacancy.objects.exists()


def test_reasons_are_translated_for_the_reader(s: f.Scene, tmp_path: Path):
    rows = [["9999", "Белгісіз", "", 150000, 40, "", "", "", "2025-03-03", ""]]
    path = write_xlsx(tmp_path / "vacancies.xlsx", VACANCY_KK, rows)
    report = import_vacancies(actor=s["employer.a"], employer=s.employer_a, source=source(path), dry_run=True)
    (error,) = report.errors
    with translation.override("ru"):
        assert error.reason == "В классификаторе нет занятия 9999."
    with translation.override("kk"):
        assert "9999" in error.reason
        assert error.reason != "There is no occupation 9999 in the classifier."


def test_only_the_employers_staff_import_its_vacancies(s: f.Scene, tmp_path: Path):
    path = write_xlsx(tmp_path / "vacancies.xlsx", VACANCY_EN, good_vacancies())
    for user in ("employer.b", "akimat.almaty", "centre.coach"):
        with pytest.raises(Exception, match="Only the employer's staff post its vacancies"):
            import_vacancies(actor=s[user], employer=s.employer_a, source=source(path), dry_run=True)
    assert not Vacancy.objects.exists()


# Staff reports ------------------------------------------------------------------------------


def _early_employer() -> Organisation:
    """An Almaty employer registered in 2005: its BIN starts with 0, which a number cell
    loses."""
    number = next(n for serial in range(1, 50) if (n := make_bin(2005, 6, serial)))
    return core_services.organisation_create(
        actor=None,
        bin=number,
        kind="company",
        name_kk="«Ескі Зауыт» АҚ",
        region_id=factories.region(factories.ALMATY).pk,
    )


def test_an_officer_imports_the_regions_staff_reports_with_bins_as_numbers(s: f.Scene, tmp_path: Path):
    early = _early_employer()
    assert early.bin
    assert early.bin.startswith("0")
    rows = [
        [s.employer_a.bin, 2025, 200, 10, 5],
        [int(early.bin), 2025, 120, "", 2],
        [float(s.employer_b.bin or 0), 2024, 300, 0, 1],
    ]
    path = write_xlsx(tmp_path / "staff.xlsx", STAFF_KK, rows)
    report = import_staff_reports(actor=s["akimat.almaty"], source=source(path), dry_run=True)
    assert (report.total, report.written, report.errors_total) == (3, 3, 0), report.errors
    assert not StaffReport.objects.exists()
    import_staff_reports(actor=s["akimat.almaty"], source=source(path))
    recorded = {
        (r.employer, r.as_of, r.headcount, r.hazardous_jobs, r.employees_with_disabilities)
        for r in StaffReport.objects.all()
    }
    assert recorded == {
        (s.employer_a, dt.date(2025, 12, 31), 200, 10, 5),
        (early, dt.date(2025, 12, 31), 120, 0, 2),
        (s.employer_b, dt.date(2024, 12, 31), 300, 0, 1),
    }
    again = import_staff_reports(actor=s["akimat.almaty"], source=source(path))
    assert (again.written, again.unchanged) == (0, 3)


def test_a_bin_excel_wrote_into_csv_without_its_leading_zero_is_read_with_it(s: f.Scene, tmp_path: Path):
    early = _early_employer()
    path = tmp_path / "staff.csv"
    path.write_text(f"БИН;Год;Численность\n{int(early.bin or 0)};2025;120\n", encoding="utf-8")
    report = import_staff_reports(actor=s["akimat.almaty"], source=source(path))
    assert (report.written, report.errors_total) == (1, 0)
    assert StaffReport.objects.get().employer == early


def test_bad_staff_report_rows_are_named_and_nothing_is_written(s: f.Scene, tmp_path: Path):
    bad_check = (s.employer_a.bin or "")[:11] + str((int((s.employer_a.bin or "0")[11]) + 1) % 10)
    next_year = timezone.localdate().year + 1
    rows = [
        [s.employer_a.bin, 2025, 200, 10, 5],
        [bad_check, 2025, 200, 0, 0],
        [s.turkistan_ngo.bin, 2025, 200, 0, 0],  # another region's: as if not registered
        [s.employer_b.bin, 2025, 3, 0, 5],  # headcount below those filling quota jobs
        [s.employer_b.bin, 2024, -4, 0, 0],
        [s.employer_b.bin, next_year, 10, 0, 0],
        [s.employer_b.bin, 1700, 10, 0, 0],
        [s.employer_b.bin, 2023, 10, 20, 0],
        [s.employer_a.bin, 2025, 200, 10, 5],
    ]
    path = write_xlsx(tmp_path / "staff.xlsx", STAFF_EN, rows)
    report = import_staff_reports(actor=s["akimat.almaty"], source=source(path), dry_run=True)
    found = {(e.row, e.column, e.reason) for e in report.errors}
    # The bound's own sentence for a year out of range.
    year_out_of_range = next(error for error in found if error[0] == 8)
    assert year_out_of_range[1] == "Year"
    assert "2000" in year_out_of_range[2]
    assert found == {
        (3, "BIN", f"“{bad_check}” is not a valid BIN: check it for typos."),
        (
            4,
            "BIN",
            f"There is no employer with the BIN {s.turkistan_ngo.bin} among those whose staff you report.",
        ),
        (
            5,
            "Headcount",
            "The headcount (3) is below the employees with disabilities reported (5), "
            "who fill quota jobs among the staff.",
        ),
        (6, "Headcount", "“-4” is not a whole number of 0 or more."),
        (7, "Year", f"The year {next_year} has not come yet: report the staff of a year begun or past."),
        (9, "Hazardous jobs", "The jobs in hazardous work (20) are more than the headcount (10)."),
        (10, "BIN", "This row repeats row 2: the same employer and day."),
    } | {year_out_of_range}, found  # fmt: skip
    with pytest.raises(ImportRejected):
        import_staff_reports(actor=s["akimat.almaty"], source=source(path))
    assert not StaffReport.objects.exists()


def test_an_employers_staff_import_only_their_own_employer(s: f.Scene, tmp_path: Path):
    rows = [[s.employer_a.bin, 2025, 200, 10, 5], [s.employer_b.bin, 2025, 300, 0, 1]]
    path = write_xlsx(tmp_path / "staff.xlsx", STAFF_EN, rows)
    report = import_staff_reports(actor=s["employer.a"], source=source(path), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "BIN")]
    with pytest.raises(Exception, match="Only the employer's staff or the akimat officers"):
        import_staff_reports(actor=s["ministry"], source=source(path), dry_run=True)


def test_a_day_reported_with_other_figures_is_refused(s: f.Scene, tmp_path: Path):
    from qoldau.jobs import services

    services.staff_report_record(
        actor=s["employer.a"], employer=s.employer_a, as_of=dt.date(2025, 12, 31), headcount=150
    )
    path = write_xlsx(tmp_path / "staff.xlsx", STAFF_EN, [[s.employer_a.bin, 2025, 200, 10, 5]])
    report = import_staff_reports(actor=s["employer.a"], source=source(path), dry_run=True)
    assert [(e.row, e.reason) for e in report.errors] == [
        (2, "The employer's staff on 2025-12-31 are already reported, with other figures.")
    ]


# Pages, jobs, templates and the command -------------------------------------------------------


@pytest.fixture
def jobs_run(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Background jobs start when the request's transaction commits; here, at once."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def client_for(user: Any, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Client, url: str, content: bytes, jobs_run: Callable[[], Any]) -> Any:
    with jobs_run():
        response = client.post(url, {"file": SimpleUploadedFile("list.xlsx", content)})
    return client.get(response["Location"], follow=True) if response.status_code == 302 else response


def test_the_employer_page_imports_vacancies_after_a_dry_run(s: f.Scene, jobs_run: Callable[[], Any]):
    client = client_for(s["employer.a"])
    page = client.get(f"/employment/employer/{s.employer_a.pk}/")
    assert f'href="/employment/employer/{s.employer_a.pk}/vacancies/import/"' in page.content.decode()
    url = f"/employment/employer/{s.employer_a.pk}/vacancies/import/"
    done = upload(client, url, xlsx_bytes(VACANCY_EN, good_vacancies()), jobs_run)
    html = done.content.decode()
    assert "Dry run of list.xlsx: nothing is written yet" in html
    assert "Write these 2 rows" in html
    assert not Vacancy.objects.exists()
    job = BackgroundJob.objects.get(kind="imports.dry_run")
    with jobs_run():
        started = client.post(f"/imports/jobs/{job.pk}/write/")
    written = client.get(started["Location"])
    assert "Import of list.xlsx" in written.content.decode()
    assert Vacancy.objects.filter(employer=s.employer_a).count() == 2


def test_a_bad_file_shows_its_rows_and_cannot_be_written(s: f.Scene, jobs_run: Callable[[], Any]):
    client = client_for(s["employer.a"], "ru")
    rows = [["9999", "Белгісіз", "", 150000, 40, "", "", "", "2025-03-03", ""]]
    url = f"/employment/employer/{s.employer_a.pk}/vacancies/import/"
    done = upload(client, url, xlsx_bytes(VACANCY_RU, rows), jobs_run)
    assert "В классификаторе нет занятия 9999." in done.content.decode()
    job = BackgroundJob.objects.get(kind="imports.dry_run")
    client.post(f"/imports/jobs/{job.pk}/write/")
    assert not BackgroundJob.objects.filter(kind="imports.write").exists()
    assert not Vacancy.objects.exists()


def test_other_employers_and_outsiders_cannot_reach_the_import_pages(s: f.Scene):
    assert (
        client_for(s["employer.b"])
        .get(f"/employment/employer/{s.employer_a.pk}/vacancies/import/")
        .status_code
        == 404
    )
    assert (
        client_for(s["akimat.almaty"])
        .get(f"/employment/employer/{s.employer_a.pk}/vacancies/import/")
        .status_code
        == 404
    )
    assert client_for(s["nobody"]).get("/employment/quota/import/").status_code == 403
    assert client_for(s["ministry"]).get("/employment/quota/import/").status_code == 403
    assert client_for(s["akimat.almaty"]).get("/employment/quota/import/").status_code == 200
    assert client_for(s["employer.b"]).get("/employment/quota/import/").status_code == 200  # fmt: skip


def test_the_quota_page_leads_to_the_staff_reports_import(s: f.Scene, jobs_run: Callable[[], Any]):
    client = client_for(s["akimat.almaty"])
    assert 'href="/employment/quota/import/"' in client.get("/employment/quota/").content.decode()
    done = upload(
        client,
        "/employment/quota/import/",
        xlsx_bytes(STAFF_EN, [[s.employer_a.bin, 2025, 200, 10, 5]]),
        jobs_run,
    )
    assert "Staff reports to record" in done.content.decode()
    job = BackgroundJob.objects.get(kind="imports.dry_run")
    with jobs_run():
        client.post(f"/imports/jobs/{job.pk}/write/")
    assert StaffReport.objects.get().employer == s.employer_a


@pytest.mark.parametrize("kind", [VACANCIES, STAFF_REPORTS])
def test_the_templates_are_read_back_with_the_example_row_skipped(s: f.Scene, tmp_path: Path, kind: str):
    client = client_for(s["employer.a"], "kk")
    response = client.get(f"/imports/{kind}/template.xlsx")
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)

    # Its header is recognised, and its example row is no row to import.
    def dry_run() -> Any:
        if kind == VACANCIES:
            return import_vacancies(
                actor=s["employer.a"], employer=s.employer_a, source=source(path), dry_run=True
            )
        return import_staff_reports(actor=s["employer.a"], source=source(path), dry_run=True)

    with pytest.raises(ImportFileError) as refused:
        dry_run()
    assert refused.value.code == ImportErrorCode.FILE_EMPTY
    out = tmp_path / "cli.xlsx"
    call_command("import", kind, str(out), "--template", "--language", "ru", stdout=io.StringIO())
    header = [c.value for c in next(openpyxl.load_workbook(out).worksheets[0].iter_rows(max_row=1))]
    assert match_columns(kind, header).complete


def test_the_command_imports_vacancies_by_the_employers_bin(s: f.Scene, tmp_path: Path):
    path = write_xlsx(tmp_path / "vacancies.xlsx", VACANCY_EN, good_vacancies())
    out = io.StringIO()
    call_command(
        "import", VACANCIES, str(path), "--employer", s.employer_a.bin, "--user", "employer.a", stdout=out
    )
    assert "Vacancies posted: 2; already posted: 0." in out.getvalue()
    with pytest.raises(CommandError, match="--employer"):
        call_command("import", VACANCIES, str(path), "--user", "employer.a", stdout=io.StringIO())
    bad = write_xlsx(tmp_path / "staff.xlsx", STAFF_EN, [[s.employer_b.bin, 2025, 3, 0, 5]])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", STAFF_REPORTS, str(bad), "--user", "akimat.almaty", stdout=out)
    assert "Row 2, column “Headcount”" in out.getvalue()
    assert not StaffReport.objects.exists()
