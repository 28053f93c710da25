"""Imports of the spreadsheets NGOs really keep (issue 19): a title merged above the header,
IINs Excel kept as numbers, dates in words, totals rows, several sheets, a header of two
rows; and the files that are no table at all, each refused with a message naming the row
and the column, and nothing written. Every file is built here as Excel or LibreOffice
writes it (openpyxl), or by hand where the case is in the XML itself."""

import datetime as dt
import io
import re
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from qoldau.access.imports import import_objects
from qoldau.access.models import AccessObject
from qoldau.core.identifiers import make_bin
from qoldau.core.models import AuditEntry, BackgroundJob, Person, Place
from qoldau.core.services import organisation_create
from qoldau.core.tests import factories
from qoldau.imports.models import ImportRun
from qoldau.imports.readers import ImportFileError, open_table
from qoldau.imports.services import ImportRejected, ImportSource, import_deliveries, import_people
from qoldau.imports.tests.files import PEOPLE_RU, RU, person_row, write_csv, write_report_xlsx
from qoldau.imports.tests.hostile import (
    empty_formatted_rows,
    ole2_file,
    renamed_pdf,
    sheet_xml,
    workbook_with_sheet,
)
from qoldau.imports.tests.pages import signed_in, upload
from qoldau.projects.models import ServiceDelivery

pytestmark = pytest.mark.django_db

BORN_2004 = dt.date(2004, 5, 17)


def run(world, path, *, dry_run=False, sheet=None):
    return import_deliveries(
        actor=world.almaty_staff,
        project=world.project,
        source=ImportSource(path, path.name, sheet=sheet),
        dry_run=dry_run,
    )


def notes_of(report):
    with translation.override("en"):
        return [note.text for note in report.notes]


def rendered(error):
    with translation.override("en"):
        return error.render()


def nothing_written():
    return not (
        ServiceDelivery.objects.exists()
        or ImportRun.objects.exists()
        or AuditEntry.objects.filter(action__startswith="imports.").exists()
    )


def ru_row(iin, day="06.03.2025", service="legal_consultation", names=("Ахметова", "Айгүл", "")):
    return [iin, *names, service, day, 1, ""]


def job_of(response):
    return BackgroundJob.objects.get(pk=response["Location"].strip("/").split("/")[-1])


# The report as an accountant makes it -------------------------------------------------------


def test_a_title_above_the_header_and_a_totals_row_below_are_not_taken_for_data(world, tmp_path):
    rows = [ru_row(factories.valid_iin()), ru_row(factories.valid_iin(), day="07.03.2025")]
    path = write_report_xlsx(
        tmp_path / "report.xlsx", RU, rows, totals=["Итого", None, None, None, None, None, 2]
    )

    report = run(world, path, dry_run=True)
    assert (report.total, report.errors_total) == (2, 0)
    assert (report.header_row, report.sheet) == (3, "Март")
    assert notes_of(report) == ["Row 6 is a totals row (“Итого”): skipped."]
    assert report.as_result()["header_row"] == 3
    assert report.as_result()["notes"] == [["totals_row", {"row": 6, "text": "Итого"}]]
    assert nothing_written()

    report = run(world, path)
    assert report.deliveries_written == 2
    assert notes_of(report) == ["Row 6 is a totals row (“Итого”): skipped."]


@pytest.mark.parametrize("word", ["Итого", "ИТОГО:", "Барлығы", "Всего за март", "Total", "Жиыны"])
def test_a_totals_row_in_any_language_is_skipped_with_a_note(world, tmp_path, word):
    rows = [ru_row(factories.valid_iin())]
    # A row-number column first: the totals word is the row's first filled cell.
    path = write_report_xlsx(
        tmp_path / "numbered.xlsx", ["№", *RU], [[1, *rows[0]]], totals=[None, word, None, None, None, 1]
    )
    report = run(world, path, dry_run=True)
    assert (report.total, report.errors_total) == (1, 0)
    assert notes_of(report) == [f"Row 5 is a totals row (“{word}”): skipped."]


def test_an_iin_excel_kept_as_a_number_is_read_with_its_leading_zero(world, tmp_path):
    iin = factories.valid_iin(BORN_2004)
    assert iin.startswith("0")
    other = factories.valid_iin(dt.date(2000, 1, 5), sex="F")
    assert other.startswith("00")
    # Excel holds them as numbers of 11 and 10 digits (written as 4.0517…E10 in its XML).
    rows = [ru_row(int(iin)), ru_row(float(other), day="6 марта 2025")]
    path = write_report_xlsx(tmp_path / "numbers.xlsx", RU, rows)
    report = run(world, path)
    assert (report.total, report.errors_total, report.deliveries_written) == (2, 0, 2)
    people = Person.objects.filter(organisation=world.almaty_ngo, birth_date__year__in=[2000, 2004])
    assert sorted(p.iin for p in people) == sorted([iin, other])


def test_a_number_written_in_exponent_form_in_the_sheets_xml_is_read_as_the_iin(world, tmp_path):
    iin = factories.valid_iin(BORN_2004)
    digits = str(int(iin))
    exponent = f"{digits[0]}.{digits[1:]}E{len(digits) - 1}"
    header = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>'
        for c, t in zip("ABC", ("ИИН", "Услуга", "Дата"), strict=True)
    )
    row = (
        f'<row r="2"><c r="A2"><v>{exponent}</v></c>'
        '<c r="B2" t="inlineStr"><is><t>legal_consultation</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>2025-03-06</t></is></c></row>'
    )
    path = workbook_with_sheet(tmp_path / "exp.xlsx", sheet_xml(f'<row r="1">{header}</row>{row}'))
    report = run(world, path, dry_run=True)
    # The IIN is accepted; the file gives no names to register its person with.
    assert [(e.row, e.code) for e in report.errors] == [(2, "person_unknown")]


def test_csv_keeps_what_excel_wrote_of_a_number_iin(world, tmp_path):
    iin = factories.valid_iin(BORN_2004)
    good = write_csv(tmp_path / "good.csv", RU, [ru_row(iin[1:])], delimiter=";")
    report = run(world, good, dry_run=True)
    assert (report.total, report.errors_total) == (1, 0)

    rounded = write_csv(tmp_path / "rounded.csv", RU, [ru_row("4.05172E+10")], delimiter=";")
    report = run(world, rounded, dry_run=True)
    with translation.override("en"):
        assert report.errors[0].reason.startswith("The IIN was saved as a rounded number")
    assert report.errors[0].column == "ИИН"


def test_the_same_report_saved_as_csv_by_russian_excel_reads_the_same(world, tmp_path):
    iin = factories.valid_iin(BORN_2004)
    path = tmp_path / "report.csv"
    lines = [
        # Windows-1251 has no Kazakh letters: what Russian Excel keeps of them.
        "Отчёт об оказанных услугах ОО «Корган-М» за март 2025 года;;;;;;;",
        ";;;;;;;",
        ";".join(RU),
        # Excel writes the number cell's digits: the leading zero is gone.
        ";".join(
            str(c) for c in ru_row(str(int(iin)), day="6 марта 2025 г.", names=("Ахметова", "Айгуль", ""))
        ),
        "Итого;;;;;;1;",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    report = run(world, path)
    assert (report.header_row, report.total, report.errors_total, report.deliveries_written) == (3, 1, 0, 1)
    assert notes_of(report) == ["Row 5 is a totals row (“Итого”): skipped."]
    assert ServiceDelivery.objects.get().person.iin == iin


def test_an_iin_typed_as_text_with_a_digit_missing_is_still_refused(world, tmp_path):
    iin = factories.valid_iin(BORN_2004)
    path = write_report_xlsx(tmp_path / "typed.xlsx", RU, [ru_row(iin[1:])])
    report = run(world, path, dry_run=True)
    assert [(e.row, e.code) for e in report.errors] == [(4, "iin_format")]


@pytest.mark.parametrize(
    "day",
    ["06.03.2025", "6 марта 2025", "6 марта 2025 г.", "6 наурыз 2025", "2025 жылғы 6 наурыз", "2025-03-06"],
)
def test_dates_are_read_as_people_write_them(world, tmp_path, day):
    path = write_report_xlsx(tmp_path / "dates.xlsx", RU, [ru_row(factories.valid_iin(), day=day)])
    report = run(world, path)
    assert report.errors_total == 0
    assert ServiceDelivery.objects.get().delivered_on == dt.date(2025, 3, 6)


def test_a_people_file_with_a_title_and_an_iin_kept_as_a_number(world, tmp_path):
    iin = factories.valid_iin(BORN_2004, sex="F")
    rows = [person_row(int(iin), consent="1 марта 2025 г.")]
    path = write_report_xlsx(tmp_path / "people.xlsx", PEOPLE_RU, rows, title="Список получателей услуг")
    report = import_people(
        actor=world.almaty_staff, organisation=world.almaty_ngo, source=ImportSource(path, path.name)
    )
    assert (report.header_row, report.errors_total, report.people_created) == (3, 0, 1)
    person = Person.objects.get(organisation=world.almaty_ngo, iin_hash__isnull=False, birth_date=BORN_2004)
    assert person.iin == iin
    assert person.consents.get().given_on == dt.date(2025, 3, 1)


# The header ---------------------------------------------------------------------------------


def test_a_header_of_two_rows_a_second_header_line_and_a_row_of_column_numbers(world, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Отчёт за март 2025 года"])
    # "Дата" merged down over both header rows; the recipient's columns grouped above.
    sheet.append(["Получатель", None, None, None, "Услуга", "Дата"])
    sheet.append(["ИИН", "Фамилия", "Имя", "Отчество", None, None])
    sheet.merge_cells("A2:D2")
    sheet.merge_cells("E2:E3")
    sheet.merge_cells("F2:F3")
    sheet.append(["ЖСН", "Тегі", "Аты", "Әкесінің аты", "Қызмет", "Күні"])
    sheet.append([1, 2, 3, 4, 5, 6])
    sheet.append([factories.valid_iin(), "Ахметова", "Айгүл", "", "legal_consultation", "06.03.2025"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    report = run(world, path, dry_run=True)
    assert (report.header_row, report.total, report.errors_total) == (3, 1, 0)
    assert notes_of(report) == [
        "The column names were read from rows 2 and 3 together.",
        "Row 4 names the columns again (a second line of the header): skipped.",
        "Row 5 numbers the columns (1, 2, 3, …): skipped.",
    ]


def test_the_sheet_with_the_header_is_read_of_a_workbook_of_several(world, tmp_path):
    instructions = [["Инструкция по заполнению"], ["Заполните лист «Март»"]]
    path = write_report_xlsx(
        tmp_path / "book.xlsx", RU, [ru_row(factories.valid_iin())], before=[("Инструкция", instructions)]
    )
    report = run(world, path, dry_run=True)
    assert (report.sheet, report.header_row, report.errors_total) == ("Март", 3, 0)
    assert notes_of(report) == ["The workbook has 2 sheets; the sheet “Март” was read."]

    # Or the one named; a name that is not there is refused with the sheets there are.
    with pytest.raises(ImportFileError) as caught:
        run(world, path, dry_run=True, sheet="Апрель")
    assert (
        rendered(caught.value) == "The workbook has no sheet “Апрель”; its sheets are: “Инструкция”, “Март”."
    )
    with pytest.raises(ImportFileError) as caught:
        run(world, path, dry_run=True, sheet="Инструкция")
    assert caught.value.code == "missing_columns"


def test_the_command_reads_the_sheet_named_and_prints_where_the_header_was(world, tmp_path):
    path = write_report_xlsx(
        tmp_path / "book.xlsx",
        RU,
        [ru_row(factories.valid_iin())],
        totals=["Итого", None, None, None, None, None, 1],
        before=[("Инструкция", [["Заполните лист «Март»"]])],
    )
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "import",
            "deliveries",
            str(path),
            "--project",
            str(world.project.pk),
            "--sheet",
            "Март",
            stdout=out,
        )
    printed = out.getvalue()
    assert "The header was taken from row 3 of the sheet “Март”." in printed
    assert "Row 5 is a totals row (“Итого”): skipped." in printed
    assert "Deliveries recorded: 1;" in printed


# Bad input: a message naming the row and the column, and nothing written -------------------


def test_a_header_found_twice_is_refused_naming_the_row_and_the_column(
    world, tmp_path, django_capture_on_commit_callbacks
):
    rows = [ru_row(factories.valid_iin()), ["Апрель"], RU, ru_row(factories.valid_iin())]
    path = write_report_xlsx(tmp_path / "twice.xlsx", RU, rows)
    message = (
        "Row 6 repeats the header of row 3 (column A, “ИИН”): the sheet holds a second table. "
        "Keep one table per file: delete the repeated header, or move that table to a file of its own."
    )
    for dry_run in (True, False):
        with pytest.raises(ImportFileError) as caught:
            run(world, path, dry_run=dry_run)
        assert rendered(caught.value) == message
    assert nothing_written()

    client = signed_in(world.almaty_staff)
    with path.open("rb") as handle:
        file = SimpleUploadedFile("twice.xlsx", handle.read())
    job = job_of(upload(client, world, file, django_capture_on_commit_callbacks))
    assert job.status == BackgroundJob.Status.FAILED
    assert message in client.get(f"/jobs/{job.pk}/").content.decode()

    with translation.override("en"), pytest.raises(CommandError, match="Row 6 repeats the header of row 3"):
        call_command(
            "import", "deliveries", str(path), "--project", str(world.project.pk), stdout=io.StringIO()
        )
    assert nothing_written()


def test_two_columns_that_both_look_like_the_iin_are_named_with_the_header_row(
    world, tmp_path, django_capture_on_commit_callbacks
):
    header = ["ИИН", "Фамилия", "Имя", "Услуга", "ИИН получателя", "Дата"]
    iin = factories.valid_iin()
    path = write_report_xlsx(
        tmp_path / "iins.xlsx", header, [[iin, "Ахметова", "Айгүл", "legal_consultation", iin, "06.03.2025"]]
    )
    message = (
        "Columns A “ИИН”, E “ИИН получателя” of the header (row 3) all look like “IIN”. "
        "Keep one of them, or say which one holds it."
    )
    for dry_run in (True, False):
        # The field is named in the language the import runs in.
        with translation.override("en"), pytest.raises(ImportFileError) as caught:
            run(world, path, dry_run=dry_run)
        assert rendered(caught.value) == message
    with translation.override("en"), pytest.raises(CommandError, match="Columns A “ИИН”, E “ИИН получателя”"):
        call_command(
            "import", "deliveries", str(path), "--project", str(world.project.pk), stdout=io.StringIO()
        )

    # The page asks which one holds it.
    client = signed_in(world.almaty_staff)
    with path.open("rb") as handle:
        response = upload(
            client, world, SimpleUploadedFile("iins.xlsx", handle.read()), django_capture_on_commit_callbacks
        )
    page = client.get(response["Location"]).content.decode()
    assert "The header was taken from row 3 of the sheet “Март”." in page
    assert "Columns A “ИИН”, E “ИИН получателя” all look like “IIN”" in page
    assert not BackgroundJob.objects.exists()
    assert nothing_written()


@pytest.mark.parametrize(
    ("build", "code", "message"),
    [
        (
            renamed_pdf,
            "file_pdf",
            "The file is a PDF document, not a table, whatever its name says.",
        ),
        (
            lambda path: ole2_file(path, ("EncryptionInfo", "EncryptedPackage")),
            "file_encrypted",
            "The workbook is protected by a password, so it cannot be read.",
        ),
        (
            ole2_file,
            "file_old_excel",
            "The file is an Excel 97–2003 workbook (.xls) or another old Office document, not .xlsx.",
        ),
    ],
)
@pytest.mark.parametrize("name", ["deliveries.xlsx", "deliveries.csv"])
def test_a_file_that_is_no_table_says_what_it_is(
    world, tmp_path, django_capture_on_commit_callbacks, settings, build, code, message, name
):
    path = build(tmp_path / name)
    for dry_run in (True, False):
        with pytest.raises(ImportFileError) as caught:
            run(world, path, dry_run=dry_run)
        assert caught.value.code == code
        assert rendered(caught.value).startswith(message)

    client = signed_in(world.almaty_staff)
    response = upload(
        client, world, SimpleUploadedFile(name, path.read_bytes()), django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BackgroundJob.objects.exists()
    assert not (settings.MEDIA_ROOT / "imports").exists() or not list(
        (settings.MEDIA_ROOT / "imports").iterdir()
    )

    with translation.override("en"), pytest.raises(CommandError, match=re.escape(message)):
        call_command(
            "import", "deliveries", str(path), "--project", str(world.project.pk), stdout=io.StringIO()
        )
    assert nothing_written()


def test_a_million_empty_formatted_rows_are_skipped_in_a_moment(world, tmp_path):
    iin = factories.valid_iin()
    path = empty_formatted_rows(
        tmp_path / "formatted.xlsx", [(iin, "legal_consultation", "2025-03-06")], rows=1_000_000
    )

    def read():
        with open_table(path, kind="deliveries") as table:
            return [number for number, _cells in table.rows], [note.code for note in table.notes]

    started = time.monotonic()
    assert read() == ([2], ["empty_rows"])
    # Parsed one by one they took two minutes; searched for a value, a second or two.
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed
    tracemalloc.start()
    try:
        read()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024

    with pytest.raises(ImportRejected) as caught:
        run(world, path)
    # The one row names a person not registered: refused for that, not for the empty rows.
    assert [(e.row, e.code) for e in caught.value.report.errors] == [(2, "person_unknown")]
    assert notes_of(caught.value.report) == [
        "The sheet holds nothing after row 2; its empty formatted rows below were skipped."
    ]
    assert nothing_written()


def test_a_value_after_a_long_run_of_empty_rows_is_still_read(tmp_path):
    path = empty_formatted_rows(
        tmp_path / "gap.xlsx",
        [("1", "legal_consultation", "2025-03-06")],
        rows=5000,
        after=("2", "legal_consultation", "2025-03-07"),
    )
    with open_table(path, kind="deliveries") as table:
        rows = [(number, cells[0]) for number, cells in table.rows]
    assert rows == [(2, "1"), (5001, "2")]
    assert list(table.notes) == []


# Pages ---------------------------------------------------------------------------------------


def test_the_dry_run_page_says_where_the_header_was_and_what_was_skipped(
    world, tmp_path, django_capture_on_commit_callbacks
):
    path = write_report_xlsx(
        tmp_path / "report.xlsx",
        RU,
        [ru_row(int(factories.valid_iin(BORN_2004)), day="6 наурыз 2025")],
        totals=["Итого", None, None, None, None, None, 1],
    )
    client = signed_in(world.almaty_staff)
    with path.open("rb") as handle:
        dry_run = job_of(
            upload(
                client,
                world,
                SimpleUploadedFile("report.xlsx", handle.read()),
                django_capture_on_commit_callbacks,
            )
        )
    assert (dry_run.status, dry_run.result["errors_total"]) == ("succeeded", 0), dry_run.error
    page = client.get(f"/jobs/{dry_run.pk}/").content.decode()
    assert "The header was taken from row 3 of the sheet “Март”." in page
    assert "<li>Row 5 is a totals row (“Итого”): skipped.</li>" in page
    assert "Write this 1 row" in page
    client.cookies["qoldau_language"] = "ru"
    page = client.get(f"/jobs/{dry_run.pk}/").content.decode()
    assert "Названия столбцов взяты из строки 3 листа «Март»." in page
    assert "<li>Строка 5 — итоговая («Итого»): пропущена.</li>" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/jobs/{dry_run.pk}/write/")
    write = job_of(response)
    assert write.status == "succeeded", write.error
    assert ServiceDelivery.objects.count() == 1


def test_the_column_page_lets_the_person_pick_another_sheet(
    world, tmp_path, django_capture_on_commit_callbacks
):
    book = Workbook()
    book.active.title = "Инструкция"
    book.active.append(["Заполните лист «Данные»"])
    data = book.create_sheet("Данные")
    data.append(["Кто", "Что", "Когда"])
    data.append([world.almaty_people[0].iin, "legal_consultation", "06.03.2025"])
    other = book.create_sheet("Свод")
    other.append(["Всего людей", "Всего услуг"])
    other.append([1, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    client = signed_in(world.almaty_staff)
    response = upload(
        client, world, SimpleUploadedFile("book.xlsx", buffer.getvalue()), django_capture_on_commit_callbacks
    )
    columns_url = response["Location"]
    page = client.get(columns_url).content.decode()
    # No sheet names the columns: the widest table is offered first, the others beside it.
    assert "The header was taken from row 1 of the sheet “Данные”." in page
    assert "Read another sheet of the workbook:" in page
    assert '<a href="?sheet=%D0%A1%D0%B2%D0%BE%D0%B4">Свод</a>' in page
    page = client.get(columns_url, {"sheet": "Свод"}).content.decode()
    assert "The header was taken from row 1 of the sheet “Свод”." in page
    assert "Column 1, “Всего людей”" in page
    page = client.get(columns_url, {"sheet": "Данные"}).content.decode()
    assert "Column 1, “Кто”" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(columns_url, {"column_0": "iin", "column_1": "service", "column_2": "date"})
    dry_run = job_of(response)
    assert dry_run.params["sheet"] == "Данные"
    assert (dry_run.result["total"], dry_run.result["errors_total"], dry_run.result["sheet"]) == (
        1,
        0,
        "Данные",
    )


def test_a_bin_excel_kept_as_a_number_names_the_owner_of_an_object(world, tmp_path):
    # An owner registered in 2008: its BIN starts with 0, which a number cell drops.
    early = next(b for b in (make_bin(2008, 3, serial) for serial in range(1, 50)) if b)
    owner = organisation_create(
        actor=None, bin=early, kind="public_association", name_kk="Ерте", region_id=world.almaty_ngo.region_id
    )
    header = ["Номер в реестре", "Атауы", "Адрес", "Район", "Вид объекта", "Собственник", "Широта", "Долгота"]
    row = ["A-1", "Емхана", "Абай, 1", "Алмалы ауданы", "health", int(early), 43.2389, 76.8897]
    path = write_report_xlsx(tmp_path / "objects.xlsx", header, [row], title="Тізілім")
    report = import_objects(
        actor=world.akimat_almaty,
        region=Place.objects.get(kato=factories.ALMATY),
        source=ImportSource(path, path.name),
    )
    assert (report.header_row, report.errors_total, report.objects_created) == (3, 0, 1)
    assert AccessObject.objects.get().owner == owner
