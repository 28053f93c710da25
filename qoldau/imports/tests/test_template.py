"""The XLSX template of each import (issue 19, item 3): in the reader's language, with the
columns, one example row, a notes sheet and lists to choose from; read back by our own
reader, its example skipped, and imported once its example row is filled in. Offered on
each import page and by `qoldau import KIND FILE --template`."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from qoldau.access.imports import import_objects
from qoldau.access.models import AccessObject
from qoldau.core.models import Person, Place
from qoldau.core.tests import factories
from qoldau.imports.limits import ReadLimits
from qoldau.imports.readers import (
    DATE,
    IIN_REQUIRED,
    SERVICE,
    ImportFileError,
    match_columns,
    open_table,
)
from qoldau.imports.services import ImportSource, import_deliveries, import_people
from qoldau.imports.template import template_workbook
from qoldau.imports.tests.pages import signed_in
from qoldau.imports.xlsx import open_workbook
from qoldau.projects.models import ServiceDelivery, ServiceType

pytestmark = pytest.mark.django_db

KINDS = ["deliveries", "people", "objects"]
FIRST_COLUMN = {
    ("deliveries", "kk"): "ЖСН",
    ("deliveries", "ru"): "ИИН",
    ("deliveries", "en"): "IIN",
    ("objects", "kk"): "Тізілім нөмірі",
    ("objects", "ru"): "Реестровый номер",
    ("objects", "en"): "Register number",
}


def template_file(tmp_path, kind, language):
    with translation.override(language):
        content = template_workbook(kind)
    path = tmp_path / f"{kind}-{language}.xlsx"
    path.write_bytes(content)
    return path


def sheet_rows(path, name):
    """Every row of a sheet of the template, hidden ones too, as our reader reads them."""
    with open_workbook(path, ReadLimits.from_settings()) as book:
        sheet = next(s for s in book.sheets if s.name == name)
        return (
            [cells for _number, cells in book.read(sheet).rows],
            [s.name for s in book.sheets],
            sheet.hidden,
        )


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_template_is_read_back_by_its_own_importer_in_every_language(world, tmp_path, kind, language):
    path = template_file(tmp_path, kind, language)
    header = header_of(path)
    if (kind, language) in FIRST_COLUMN:
        assert header[0] == FIRST_COLUMN[kind, language]
    # Every column is recognised, whatever the language the import runs in.
    for reader in ("kk", "ru", "en"):
        with translation.override(reader):
            assert match_columns(kind, header).complete, (reader, header)
    # A template sent back as it came holds nothing to import: its example is skipped.
    with pytest.raises(ImportFileError) as caught, open_table(path, kind=kind) as table:
        list(table.rows)
    with translation.override("en"):
        assert caught.value.render() == (
            "The file holds no rows but the template's example (row 2): write your rows in its place."
        )


def test_the_template_has_a_notes_sheet_and_lists_to_choose_from(world, tmp_path):
    path = template_file(tmp_path, "deliveries", "ru")
    names = names_of(path)
    notes, _names, _hidden = sheet_rows(path, names[1])
    texts = [" ".join(str(c) for c in row if c is not None) for row in notes]
    with translation.override("ru"):
        for item in (IIN_REQUIRED, SERVICE, DATE):
            assert any(str(item.label) in text and str(item.help) in text for text in texts), item.name

    lists, _names, hidden = sheet_rows(path, names[2])
    assert hidden
    with translation.override("ru"):
        services = [service.name for service in ServiceType.objects.order_by("code")]
    assert [row[0] for row in lists] == services

    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    # The service column (E) offers the list; the IIN column is text, for its leading zero.
    validation = re.search(
        r'<dataValidation [^>]*sqref="E2:E100000"[^>]*>\s*<formula1>([^<]+)</formula1>', sheet
    )
    assert validation is not None, sheet[-2000:]
    assert validation[1] == f"'{names[2]}'!$A$1:$A${len(services)}"
    assert 'type="list"' in validation[0]


def header_of(path):
    """The first row of the template's first sheet, as our reader reads it."""
    return sheet_rows(path, names_of(path)[0])[0][0]


def names_of(path):
    with open_workbook(path, ReadLimits.from_settings()) as book:
        return [s.name for s in book.sheets]


def fill(path, rows, *, keep_example=False):
    """The template as a person fills it in Excel: rows written under the header, over
    the example (or below it)."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    first = 3 if keep_example else 2
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            sheet.cell(row=first + offset, column=column, value=value)
    book.save(path)
    return path


def test_a_filled_template_of_deliveries_is_imported(world, tmp_path):
    path = template_file(tmp_path, "deliveries", "kk")
    iin = factories.valid_iin(dt.date(2003, 2, 1))
    with translation.override("kk"):
        service = ServiceType.objects.order_by("code").first().name
    fill(path, [[iin, "Серікова", "Дана", "", service, dt.date(2025, 3, 6), 2, ""]], keep_example=True)
    source = ImportSource(path, path.name)
    report = import_deliveries(actor=world.almaty_staff, project=world.project, source=source, dry_run=True)
    assert (report.total, report.errors_total, report.header_row) == (1, 0, 1)
    with translation.override("en"):
        assert [note.text for note in report.notes] == [
            f"The workbook has 2 sheets; the sheet “{report.sheet}” was read.",
            "Row 2 is the template's example: skipped.",
        ]
    report = import_deliveries(actor=world.almaty_staff, project=world.project, source=source)
    assert report.deliveries_written == 1
    delivery = ServiceDelivery.objects.get()
    assert (delivery.person.iin, delivery.quantity) == (iin, 2)


def test_a_filled_template_of_people_is_imported(world, tmp_path):
    path = template_file(tmp_path, "people", "ru")
    iin = factories.valid_iin(dt.date(2005, 7, 9), sex="F")
    with translation.override("ru"):
        reason = str(Person.NoIinReason.STATELESS.label)
    rows = [
        [iin, "", "Серікова", "Дана", "", "", "", "+7 701 111 22 33", "750000000", "", "", "01.03.2025"],
        ["", reason, "Ким", "Анна", "", "01.02.1990", "Ж", "", "750000000", "", "", ""],
    ]
    fill(path, rows)
    source = ImportSource(path, path.name)
    before = Person.objects.filter(organisation=world.almaty_ngo).count()
    report = import_people(actor=world.almaty_staff, organisation=world.almaty_ngo, source=source)
    assert (report.total, report.errors_total, report.people_created) == (2, 0, 2)
    assert Person.objects.filter(organisation=world.almaty_ngo).count() == before + 2
    without = Person.objects.get(organisation=world.almaty_ngo, no_iin_reason="stateless")
    assert (without.birth_date, without.sex) == (dt.date(1990, 2, 1), "F")
    assert Person.objects.get(organisation=world.almaty_ngo, birth_date=dt.date(2005, 7, 9)).iin == iin


def test_a_filled_template_of_objects_is_imported(world, tmp_path):
    path = template_file(tmp_path, "objects", "ru")
    book = load_workbook(path)
    example = [cell.value for cell in book.worksheets[0][2]]
    # The example with a register number of the person's own: every example value is good.
    fill(path, [["B-1", *example[1:]]], keep_example=True)
    region = Place.objects.get(kato=factories.ALMATY)
    report = import_objects(actor=world.akimat_almaty, region=region, source=ImportSource(path, path.name))
    assert (report.total, report.errors_total, report.objects_created) == (1, 0, 1)
    assert AccessObject.objects.get().external_id == "B-1"


# Pages and the command ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "link", "first"),
    [
        ("kk", "Үлгіні жүктеп алу (.xlsx)", "ЖСН"),
        ("ru", "Скачать шаблон (.xlsx)", "ИИН"),
        ("en", "Download the template (.xlsx)", "IIN"),
    ],
)
@pytest.mark.parametrize("kind", ["deliveries", "people"])
def test_each_import_page_offers_its_template_in_the_readers_language(
    world, tmp_path, language, link, first, kind
):
    client = signed_in(world.almaty_staff, language)
    page = client.get(f"/imports/{kind}/new/").content.decode()
    assert f'<a href="/imports/{kind}/template.xlsx" download>{link}</a>' in page
    response = client.get(f"/imports/{kind}/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="qoldau-{kind}-{language}.xlsx"'
    path = tmp_path / "downloaded.xlsx"
    path.write_bytes(response.content)
    assert header_of(path)[0] == first


@pytest.mark.parametrize(
    ("language", "first"),
    [("kk", "Тізілім нөмірі"), ("ru", "Реестровый номер"), ("en", "Register number")],
)
def test_the_objects_import_page_offers_the_template_of_the_registered_columns(
    world, tmp_path, language, first
):
    client = signed_in(world.akimat_almaty, language)
    page = client.get("/access/manage/objects/import/").content.decode()
    assert '<a href="/imports/objects/template.xlsx" download>' in page
    response = client.get("/imports/objects/template.xlsx")
    path = tmp_path / "objects.xlsx"
    path.write_bytes(response.content)
    assert header_of(path)[0] == first


def test_a_template_is_for_signed_in_users_and_known_kinds(world):
    assert Client().get("/imports/people/template.xlsx").status_code == 302
    assert signed_in(world.almaty_staff).get("/imports/kato/template.xlsx").status_code == 404


def test_the_command_writes_the_template_and_never_over_a_file(tmp_path):
    path = tmp_path / "template.xlsx"
    out = io.StringIO()
    with translation.override("en"):
        call_command("import", "deliveries", str(path), "--template", "--language", "ru", stdout=out)
    assert f"The template is written to {path}." in out.getvalue()
    assert header_of(path)[:2] == ["ИИН", "Фамилия"]
    with translation.override("en"), pytest.raises(CommandError, match="the template is not written over it"):
        call_command("import", "deliveries", str(path), "--template")
    for classifier in ("kato", "occupations"):
        with translation.override("en"), pytest.raises(CommandError, match="has no template"):
            call_command("import", classifier, str(tmp_path / "classifier.xlsx"), "--template")
