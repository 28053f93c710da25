"""Import of objects from CSV and XLSX: the dry run with every bad row (number, column,
reason), all or nothing, re-import updating by register number, the page with its jobs,
and `qoldau import objects`."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qoldau.access.imports import ObjectsImportReport, import_objects
from qoldau.access.models import AccessObject
from qoldau.core.models import AuditEntry, BackgroundJob, Place
from qoldau.core.tests import factories
from qoldau.imports.models import ImportKind, ImportRun
from qoldau.imports.services import ImportRejected, ImportSource

HEADER = "Номер в реестре;Атауы;Наименование;Адрес;Район;Вид объекта;Собственник;Широта;Долгота"
GOOD_ROWS = [
    "A-1;Қалалық емхана №5;Поликлиника №5;Абай даңғылы, 10;Алмалинский район;health;;43.2389;76.8897",
    "A-2;Мектеп №12;Школа №12;Достық даңғылы, 5;Медеу;Образование;Управление образования;43,2412;76,9560",
    "A-3;Дәріхана;Аптека;Төле би, 40;Almaly District;Trade and services;{bin};43.25;76.91",
]


def csv_file(tmp_path: Path, rows: list[str], name: str = "objects.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def source(path: Path) -> ImportSource:
    return ImportSource(path=path, name=path.name)


def almaty() -> Place:
    return Place.objects.get(kato=factories.ALMATY)


def client_for(user: User) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def w() -> factories.World:
    return factories.world()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # The reasons checked stay the same once the catalogues translate them.
    with translation.override("en"):
        yield


def good_rows(w: factories.World) -> list[str]:
    return [row.replace("{bin}", w.almaty_ngo.bin or "") for row in GOOD_ROWS]


# The service -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_registers_objects_with_names_in_any_language(w: factories.World, tmp_path: Path):
    report = import_objects(
        actor=w.akimat_almaty, region=almaty(), source=source(csv_file(tmp_path, good_rows(w)))
    )
    assert (report.total, report.objects_created, report.objects_updated, report.errors_total) == (3, 3, 0, 0)
    clinic, school, pharmacy = (AccessObject.objects.get(external_id=n) for n in ("A-1", "A-2", "A-3"))
    assert (clinic.district.name_en, clinic.kind, clinic.owner, clinic.owner_name) == (
        "Almaly District",
        "health",
        None,
        "",
    )
    assert (school.district.name_en, school.kind, school.latitude, school.longitude) == (
        "Medeu District",
        "education",
        43.2412,
        76.956,
    )
    assert school.owner_name == "Управление образования"
    assert (pharmacy.kind, pharmacy.owner) == ("trade_services", w.almaty_ngo)
    run = ImportRun.objects.get(kind=ImportKind.OBJECTS)
    assert (run.region, run.rows, run.objects_created, run.organisation) == (almaty(), 3, 3, None)
    entry = AuditEntry.objects.get(action="access.objects_import")
    assert entry.details["objects_created"] == 3


@pytest.mark.django_db
def test_dry_run_reports_every_bad_row_with_its_number_column_and_reason(w: factories.World, tmp_path: Path):
    rows = [
        *good_rows(w),
        "A-4;Кітапхана;;Абай, 1;район Есиль;culture;;43.2;76.9",  # Astana's district
        "A-5;Стадион;;Абай, 2;Нет такого района;sport;;43.2;76.9",
        "A-6;Вокзал;;Абай, 3;Алмалы;вокзал;;43.2;76.9",
        "A-7;Музей;;Абай, 4;Алмалы;culture;;76.9;43.2",  # swapped
        "A-1;Емхана;;Абай, 5;Алмалы;health;;43.2;76.9",  # repeats row 2's number
        "A-8;;;Абай, 6;Алмалы;health;;сорок;76.9",
        "A-9;Дүкен;;Абай, 7;Алмалы;health;111111111111;43.2;76.9",
    ]
    before = AccessObject.objects.count()
    report = import_objects(
        actor=w.akimat_almaty, region=almaty(), source=source(csv_file(tmp_path, rows)), dry_run=True
    )
    found = {(e.row, e.column, e.reason) for e in report.errors}
    assert found == {
        (5, "Район", "The district “район Есиль” is not in Almaty."),
        (6, "Район", "There is no district “Нет такого района” in Almaty."),
        (
            7,
            "Вид объекта",
            "Unknown kind of object “вокзал”; use one of: health, education, social_protection, culture, "
            "sport, trade_services, transport, administrative, residential, other.",
        ),
        (
            8,
            "Широта",
            "The point 76.9, 43.2 is outside Kazakhstan. Check that latitude and longitude are not swapped.",
        ),
        (9, "Номер в реестре", "This row repeats the register number of row 2."),
        (10, "Атауы", "A value is required here."),
        (10, "Широта", "“сорок” is not a number; write degrees like 43.2389."),
        (11, "Собственник", "“111111111111” is not a valid BIN: check it for typos."),
    }, found
    assert (report.total, report.error_rows, report.objects_created) == (10, 7, 3)
    assert AccessObject.objects.count() == before


@pytest.mark.django_db
def test_one_bad_row_and_nothing_is_written(w: factories.World, tmp_path: Path):
    rows = [*good_rows(w), "A-4;Кітапхана;;Абай, 1;Алмалы;culture;;10.0;76.9"]
    with pytest.raises(ImportRejected) as refused:
        import_objects(actor=w.akimat_almaty, region=almaty(), source=source(csv_file(tmp_path, rows)))
    assert [(e.row, e.code) for e in refused.value.report.errors] == [(5, "object_outside_kazakhstan")]
    assert not AccessObject.objects.exists()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_reimport_updates_by_register_number_instead_of_duplicating(w: factories.World, tmp_path: Path):
    import_objects(actor=w.akimat_almaty, region=almaty(), source=source(csv_file(tmp_path, good_rows(w))))
    school = AccessObject.objects.get(external_id="A-2")
    assert school.version == 1
    rows = good_rows(w)
    rows[1] = rows[1].replace("Мектеп №12", "Мектеп-гимназия №12")
    rows.append("A-4;Кітапхана;;Абай, 1;Алмалы;culture;;43.2;76.9")
    again = import_objects(
        actor=w.akimat_almaty, region=almaty(), source=source(csv_file(tmp_path, rows, "again.csv"))
    )
    assert (again.objects_created, again.objects_updated, again.unchanged) == (1, 1, 2)
    assert AccessObject.objects.count() == 4
    school.refresh_from_db()
    # The version moves on, so an editor who opened the object before gets a conflict.
    assert (school.name_kk, school.version) == ("Мектеп-гимназия №12", 2)
    assert AccessObject.objects.get(external_id="A-1").version == 1


@pytest.mark.django_db
def test_xlsx_with_english_headers_and_numbers_as_numbers(w: factories.World, tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        ["Register number", "Name in Kazakh", "Address", "District", "Kind", "Latitude", "Longitude"]
    )
    sheet.append([1001, "Спорт кешені", "Сатпаев, 3", "Bostandyq District", "Sport", 43.235, 76.91])
    path = tmp_path / "objects.xlsx"
    workbook.save(path)
    report = import_objects(actor=w.akimat_almaty, region=almaty(), source=source(path))
    assert report.errors_total == 0
    obj = AccessObject.objects.get(external_id="1001")
    assert (obj.kind, obj.district.name_en, obj.latitude) == ("sport", "Bostandyq District", 43.235)


@pytest.mark.django_db
def test_ngo_staff_import_only_their_own_objects(w: factories.World, tmp_path: Path):
    rows = good_rows(w)
    report = import_objects(
        actor=w.almaty_staff, region=almaty(), source=source(csv_file(tmp_path, rows)), dry_run=True
    )
    # Rows 2 and 3 name no owner or another one; row 4 is the NGO's own.
    assert sorted((e.row, e.code) for e in report.errors) == [
        (2, "object_owner_not_yours"),
        (3, "object_owner_not_yours"),
    ]
    import_objects(
        actor=w.almaty_staff, region=almaty(), source=source(csv_file(tmp_path, rows[2:], "own.csv"))
    )
    assert AccessObject.objects.get(external_id="A-3").owner == w.almaty_ngo
    with pytest.raises(Exception, match="Objects are imported by the officers"):
        import_objects(
            actor=w.ministry, region=almaty(), source=source(csv_file(tmp_path, rows)), dry_run=True
        )


@pytest.mark.django_db
def test_a_file_missing_a_required_column_is_refused_as_a_whole(w: factories.World, tmp_path: Path):
    path = csv_file(tmp_path, ["A-1;Емхана;Абай, 1"], header="Номер в реестре;Атауы;Адрес")
    with pytest.raises(Exception, match="The file has no column for"):
        import_objects(actor=w.akimat_almaty, region=almaty(), source=source(path), dry_run=True)


@pytest.mark.django_db
def test_a_large_list_is_written_in_batches(w: factories.World, tmp_path: Path):
    rows = [f"N-{i};Нысан {i};;Көше {i};Алмалы;other;;{43.2 + i / 100000:.6f};76.9" for i in range(3000)]
    report = import_objects(actor=w.akimat_almaty, region=almaty(), source=source(csv_file(tmp_path, rows)))
    assert report.objects_created == 3000
    assert AccessObject.objects.filter(region=almaty()).count() == 3000


# The page and its jobs ----------------------------------------------------------------------


@pytest.fixture
def jobs_run(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Background jobs start when the request's transaction commits; here, at once."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def upload(client: Client, content: str, region: Place, jobs_run: Callable[[], Any]) -> Any:
    """Upload a file and follow to the page it leads to, its job (if any) finished."""
    with jobs_run():
        response = client.post(
            reverse("access:objects_import"),
            {
                "region": region.pk,
                "file": SimpleUploadedFile("objects.csv", content.encode(), content_type="text/csv"),
            },
        )
    return client.get(response["Location"], follow=True) if response.status_code == 302 else response


@pytest.mark.django_db
def test_page_dry_run_shows_row_errors_and_refuses_to_write(w: factories.World, jobs_run: Callable[[], Any]):
    client = client_for(w.akimat_almaty)
    content = (
        "\n".join([HEADER, *good_rows(w), "A-4;Кітапхана;;Абай, 1;Нет такого;culture;;43.2;76.9"]) + "\n"
    )
    page = upload(client, content, almaty(), jobs_run)
    assert page.status_code == 200
    job = BackgroundJob.objects.get(kind="imports.dry_run")
    assert job.status == BackgroundJob.Status.SUCCEEDED
    html = page.content.decode()
    assert "Dry run of objects.csv: nothing is written yet" in html
    assert "There is no district “Нет такого” in Almaty." in html
    assert '<td class="number">5</td>' in html
    write = client.post(reverse("imports:write", args=[job.pk]))
    assert write.status_code == 302
    assert not AccessObject.objects.exists()
    assert BackgroundJob.objects.filter(kind="imports.write").count() == 0


@pytest.mark.django_db
def test_page_writes_a_good_file_after_its_dry_run(w: factories.World, jobs_run: Callable[[], Any]):
    client = client_for(w.akimat_almaty)
    page = upload(client, "\n".join([HEADER, *good_rows(w)]) + "\n", almaty(), jobs_run)
    assert "Write these 3 rows" in page.content.decode()
    assert not AccessObject.objects.exists()
    job = BackgroundJob.objects.get(kind="imports.dry_run")
    with jobs_run():
        started = client.post(reverse("imports:write", args=[job.pk]))
    written = client.get(started["Location"])
    assert written.status_code == 200
    assert "Import of objects.csv" in written.content.decode()
    assert AccessObject.objects.count() == 3
    run = ImportRun.objects.get(kind=ImportKind.OBJECTS)
    assert run.job_id == BackgroundJob.objects.get(kind="imports.write").pk
    history = client.get(reverse("access:objects_import"))
    assert [r.pk for r in history.context["runs"]] == [run.pk]


@pytest.mark.django_db
def test_page_offers_only_the_officers_region_and_refuses_others(
    w: factories.World, jobs_run: Callable[[], Any]
):
    client = client_for(w.akimat_almaty)
    form = client.get(reverse("access:objects_import")).context["form"]
    assert [label for _value, label in form.fields["region"].choices] == [almaty().name]
    astana = Place.objects.get(kato=factories.ASTANA)
    page = upload(client, "\n".join([HEADER, *good_rows(w)]) + "\n", astana, jobs_run)
    assert page.status_code == 400
    assert not BackgroundJob.objects.exists()
    assert client_for(w.ministry).get(reverse("access:objects_import")).status_code == 403


@pytest.mark.django_db
def test_page_sends_unrecognised_headers_to_the_column_mapping_step(
    w: factories.World, jobs_run: Callable[[], Any]
):
    client = client_for(w.akimat_almaty)
    content = "No;What;Where;Area;Type;N;E\nB-1;Емхана;Абай, 1;Алмалы;health;43.2;76.9\n"
    page = upload(client, content, almaty(), jobs_run)
    assert page.request["PATH_INFO"].endswith("/columns/")
    form = page.context["form"]
    token = page.request["PATH_INFO"].split("/")[-3]
    mapping = ["register_number", "name_kk", "address", "district", "kind", "latitude", "longitude"]
    with jobs_run():
        started = client.post(
            reverse("imports:columns", args=[token]), {f"column_{i}": name for i, name in enumerate(mapping)}
        )
    done = client.get(started["Location"])
    assert form is not None
    assert "Write this 1 row" in done.content.decode()


# The command --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_dry_run_then_write(w: factories.World, tmp_path: Path):
    path = csv_file(tmp_path, good_rows(w))
    out = io.StringIO()
    call_command("import", "objects", str(path), "--region", factories.ALMATY, "--dry-run", stdout=out)
    assert "Objects to register: 3" in out.getvalue()
    assert not AccessObject.objects.exists()
    out = io.StringIO()
    call_command("import", "objects", str(path), "--region", factories.ALMATY, stdout=out)
    assert "Objects registered: 3" in out.getvalue()
    assert AccessObject.objects.count() == 3
    out = io.StringIO()
    call_command("import", "objects", str(path), "--region", factories.ALMATY, stdout=out)
    assert "Objects registered: 0; updated: 0; unchanged: 3." in out.getvalue()


@pytest.mark.django_db
def test_command_lists_bad_rows_and_writes_nothing(w: factories.World, tmp_path: Path):
    path = csv_file(tmp_path, [*good_rows(w), "A-4;Кітапхана;;Абай, 1;Алмалы;culture;;43.2;176.9"])
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", "objects", str(path), "--region", factories.ALMATY, stdout=out)
    assert "Row 5, column “Широта”: The point 43.2, 176.9 is outside Kazakhstan." in out.getvalue()
    assert not AccessObject.objects.exists()
    with pytest.raises(CommandError, match="--region"):
        call_command("import", "objects", str(path), stdout=io.StringIO())


def test_report_keeps_object_counts_in_the_job_result():
    report = ObjectsImportReport(kind=ImportKind.OBJECTS, dry_run=True, file_name="a.csv", file_sha256="0")
    report.objects_created, report.objects_updated = 2, 1
    result = report.as_result()
    assert (result["kind"], result["objects_created"], result["objects_updated"]) == ("objects", 2, 1)
