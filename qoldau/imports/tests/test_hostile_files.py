"""Files built to make an import take memory or time without end are refused whole, with a
clear reason on the form, the job or the command line, and nothing is written: a sheet
that declares a far-away cell, one that hides it, a deflate bomb, a zip of many parts, a
DTD, a cell longer than Excel allows; for CSV a line with no end, NUL bytes and a wrong
encoding. Memory is measured with tracemalloc, which sees expat's and zlib's buffers."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from python_calamine import CalamineWorkbook

from qoldau.core.models import AuditEntry, BackgroundJob, Person
from qoldau.core.tests import factories
from qoldau.imports.models import ImportRun
from qoldau.imports.readers import ImportFileError, cell_text, open_table, read_header
from qoldau.imports.services import ImportSource, import_deliveries
from qoldau.imports.tests.files import EN, delivery, write_xlsx
from qoldau.imports.tests.hostile import (
    HEADER_ROW,
    deflate_bomb,
    rewrite_part,
    sheet_xml,
    workbook_with_sheet,
    xlsx_with_far_cell,
)
from qoldau.imports.tests.pages import signed_in, upload
from qoldau.projects.models import ServiceDelivery

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def refused(path, name=None):
    with pytest.raises(ImportFileError) as caught, open_table(path, name) as table:
        for _row in table.rows:
            pass
    return caught.value


def peak_memory_of(action):
    tracemalloc.start()
    try:
        try:
            action()
        except ImportFileError:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def nothing_written():
    return not (
        ServiceDelivery.objects.exists()
        or ImportRun.objects.exists()
        or AuditEntry.objects.filter(action__startswith="imports.").exists()
    )


def uploads_kept(settings):
    folder = settings.MEDIA_ROOT / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_sheet_declaring_a_cell_at_z1000000_is_refused_on_the_form(
    world, settings, django_capture_on_commit_callbacks, tmp_path
):
    path = xlsx_with_far_cell(tmp_path / "far.xlsx", EN, [delivery(factories.valid_iin())])
    assert path.stat().st_size < 10_000
    people = Person.objects.count()
    client = signed_in(world.almaty_staff)
    with path.open("rb") as handle:
        file = SimpleUploadedFile("far.xlsx", handle.read())
    response = upload(client, world, file, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "The file has more than 20000000 cells; split it into smaller files" in response.content.decode()
    assert not BackgroundJob.objects.exists()
    assert uploads_kept(settings) == []
    assert nothing_written()
    assert Person.objects.count() == people

    # Refused on reading its declared size: a few kilobytes, where calamine took 800 MB.
    assert peak_memory_of(lambda: read_header(path)) < 2 * MB
    assert refused(path).code == "too_many_cells"


def test_a_sheet_hiding_its_size_is_read_row_by_row_and_stopped_at_the_row_limit(world, settings, tmp_path):
    path = xlsx_with_far_cell(tmp_path / "far.xlsx", EN, [delivery(factories.valid_iin())])
    # The sheet now claims two rows of eight cells and still holds Z1000000.
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("A1:Z1000000", "A1:H2"))

    rows = []

    def read_all():
        with open_table(path) as table:
            rows.extend((number, len(cells)) for number, cells in table.rows)

    # Within the limits it is two rows, the far one 26 cells wide: never the rectangle.
    assert peak_memory_of(read_all) < 2 * MB
    assert rows == [(2, 8), (1_000_000, 26)]

    settings.QOLDAU_IMPORT_MAX_ROWS = 100_000
    error = refused(path)
    assert error.code == "too_many_rows"
    with pytest.raises(ImportFileError) as caught:
        import_deliveries(
            actor=world.almaty_staff, project=world.project, source=ImportSource(path, "far.xlsx")
        )
    with translation.override("en"):
        with translation.override("en"):
            assert "The file has more than 100000 rows" in caught.value.render()
    assert nothing_written()


def test_a_deflate_bomb_is_refused_before_it_is_unpacked(world, tmp_path):
    path = deflate_bomb(tmp_path / "bomb.xlsx", unpacked_mb=1000)
    assert path.stat().st_size < 4 * MB
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 1000 * 1000 * 1000

    started = time.monotonic()
    error = refused(path)
    elapsed = time.monotonic() - started
    assert error.code == "file_compression_ratio"
    # Inflating a gigabyte alone takes seconds, parsing it far longer: the refusal comes
    # from the zip's directory.
    assert elapsed < 2
    assert peak_memory_of(lambda: read_header(path)) < 2 * MB

    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="unpacks to more than 100 times"):
        call_command("import", "deliveries", str(path), "--project", str(world.project.pk), stdout=out)
    assert nothing_written()


def test_without_the_ratio_check_a_bomb_still_stops_at_the_row_limit_in_little_memory(settings, tmp_path):
    path = deflate_bomb(tmp_path / "bomb.xlsx", unpacked_mb=1000)
    settings.QOLDAU_IMPORT_MAX_COMPRESSION_RATIO = 100_000
    # Lower than the default only to keep the test short (tracemalloc slows it down).
    settings.QOLDAU_IMPORT_MAX_ROWS = 100_000
    codes = []

    def read_all():
        try:
            with open_table(path) as table:
                for _row in table.rows:
                    pass
        except ImportFileError as exc:
            codes.append(exc.code)
            raise

    assert peak_memory_of(read_all) < 4 * MB
    # About 20,000 rows in each of its 1,000 megabytes: the row limit comes after five.
    assert codes == ["too_many_rows"]


def test_a_workbook_unpacking_past_the_limit_is_refused_from_its_directory(settings, tmp_path):
    path = deflate_bomb(tmp_path / "bomb.xlsx", unpacked_mb=20)
    settings.QOLDAU_IMPORT_MAX_COMPRESSION_RATIO = 100_000
    settings.QOLDAU_IMPORT_MAX_UNPACKED_MB = 10
    error = refused(path)
    assert error.code == "file_unpacks_too_large"
    with translation.override("en"):
        assert "more than 10 MB" in error.render()


def test_a_zip_of_more_parts_than_a_workbook_has_is_refused_before_zipfile_lists_them(tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"p/{number}", b"")
    assert refused(path).code == "file_unreadable"


def test_too_many_cells_are_counted_as_they_are_read_whatever_the_dimension_says(settings, tmp_path):
    row = "".join(f'<c t="inlineStr"><is><t>{n}</t></is></c>' for n in range(10))
    rows = "".join(f"<row>{row}</row>" for _ in range(30))
    path = workbook_with_sheet(tmp_path / "wide.xlsx", sheet_xml(HEADER_ROW + rows, dimension="A1:C2"))
    settings.QOLDAU_IMPORT_MAX_CELLS = 200
    assert refused(path).code == "too_many_cells"
    settings.QOLDAU_IMPORT_MAX_CELLS = 400
    with open_table(path) as table:
        assert sum(1 for _row in table.rows) == 30


def test_a_cell_past_the_last_excel_column_is_refused(tmp_path):
    rows = '<row r="2"><c r="XFE2" t="inlineStr"><is><t>x</t></is></c></row>'
    path = workbook_with_sheet(tmp_path / "wide.xlsx", sheet_xml(HEADER_ROW + rows))
    error = refused(path)
    assert (error.code, error.params["row"]) == ("too_many_columns", 2)


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    rows = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>'
    path = workbook_with_sheet(tmp_path / "long.xlsx", sheet_xml(HEADER_ROW + rows))
    error = refused(path)
    assert (error.code, error.params["row"]) == ("cell_too_long", 2)


def test_a_tag_that_never_ends_is_refused_before_expat_holds_it(settings, tmp_path):
    settings.QOLDAU_IMPORT_MAX_COMPRESSION_RATIO = 100_000
    rows = f'<row r="2"><c r="A2" t="inlineStr" x="{"y" * (3 * MB)}"><is><t>1</t></is></c></row>'
    path = workbook_with_sheet(tmp_path / "tag.xlsx", sheet_xml(HEADER_ROW + rows))
    assert refused(path).code == "file_unreadable"


def test_entities_are_refused(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    sheet = sheet_xml(HEADER_ROW + '<row r="2"><c t="inlineStr"><is><t>&b;</t></is></c></row>')
    path = workbook_with_sheet(tmp_path / "dtd.xlsx", laughs + sheet.split("?>", 1)[1])
    assert refused(path).code == "file_unreadable"


def test_rows_out_of_order_are_refused(tmp_path):
    rows = '<row r="5"><c t="inlineStr"><is><t>a</t></is></c></row><row r="3"><c><v>1</v></c></row>'
    path = workbook_with_sheet(tmp_path / "order.xlsx", sheet_xml(HEADER_ROW + rows))
    assert refused(path).code == "file_unreadable"


def test_shared_strings_join_their_runs_leave_out_phonetics_and_are_looked_up_in_bounds(tmp_path):
    strings = (
        "<si><t>Ақерке</t></si>"
        "<si><r><t>Ива</t></r><r><rPr><b/></rPr><t>нов</t></r><rPh><t>イワノフ</t></rPh></si>"
    )
    rows = '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>0</v></c><c r="C2"><v>3</v></c></row>'
    path = workbook_with_sheet(tmp_path / "sst.xlsx", sheet_xml(HEADER_ROW + rows), strings)
    with open_table(path) as table:
        assert [cells for _n, cells in table.rows] == [["Иванов", "Ақерке", 3.0]]
    for index in ("2", "-1", "x"):
        rows = f'<row r="2"><c r="A2" t="s"><v>{index}</v></c></row>'
        path = workbook_with_sheet(tmp_path / "bad.xlsx", sheet_xml(HEADER_ROW + rows), strings)
        assert refused(path).code == "file_unreadable", index


def test_an_ordinary_workbook_reads_as_calamine_reads_it(tmp_path):
    import datetime as dt

    # A spreadsheet's time has no zone.
    moment = dt.datetime(2025, 3, 2, 14, 30)  # noqa: DTZ001
    rows = [
        ["010101500123", "legal_consultation", dt.date(2025, 3, 1), 1.5, True, None, "Ақерке"],
        [10101500123, "Юридическая консультация", moment, 2, False, "x", ""],
    ]
    path = write_xlsx(
        tmp_path / "ordinary.xlsx", ["IIN", "Service", "Date", "Qty", "Flag", "N", "Name"], rows
    )
    with open_table(path) as table:
        ours = [table.header, *[[cell_text(c) for c in cells] for _n, cells in table.rows]]
    theirs = [
        [cell_text(c) for c in row]
        for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
    ]
    # Calamine pads every row to the sheet's width; this reader stops at the last filled cell.
    assert [row + [""] * (7 - len(row)) for row in ours] == theirs


# CSV ------------------------------------------------------------------------------------


def test_a_csv_line_with_no_end_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "line.csv"
    path.write_bytes(b"IIN,Service,Date\n" + b"1" * (8 * MB))
    assert peak_memory_of(lambda: refused(path)) < 8 * MB
    error = refused(path)
    assert (error.code, error.params["row"]) == ("line_too_long", 2)
    header_only = tmp_path / "header.csv"
    header_only.write_bytes(b"I" * (2 * MB) + b"\n1\n")
    assert refused(header_only).code == "line_too_long"


def test_a_csv_with_nul_bytes_is_refused_as_binary(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("IIN,Service,Date\n1,2,3\n".encode("utf-16"))
    error = refused(utf16)
    assert error.code == "file_binary"
    later = tmp_path / "later.csv"
    later.write_bytes(b"IIN,Service,Date\n" + b"1,a,2025-01-01\n" * 80_000 + b"1,\x00,2\n")
    error = refused(later)
    assert (error.code, error.params["row"]) == ("file_binary", 80_002)


def test_a_csv_in_no_known_encoding_past_its_first_megabyte_is_refused(world, tmp_path):
    path = tmp_path / "mixed.csv"
    rows = b"".join(
        f"{factories.valid_iin()},legal_consultation,2025-03-01\n".encode() for _ in range(40_000)
    )
    path.write_bytes(b"IIN,Service,Date\n" + rows + "Иванов,\n".encode("cp1251"))
    with pytest.raises(ImportFileError) as caught:
        import_deliveries(
            actor=world.almaty_staff, project=world.project, source=ImportSource(path, "mixed.csv")
        )
    assert caught.value.code == "file_encoding"
    assert nothing_written()


def test_csv_rows_and_cells_past_the_limits_are_refused(world, settings, django_capture_on_commit_callbacks):
    settings.QOLDAU_IMPORT_MAX_ROWS = 3
    client = signed_in(world.almaty_staff)
    lines = "IIN,Service,Date\n" + "1,a,2025-03-01\n" * 5
    file = SimpleUploadedFile("rows.csv", lines.encode(), content_type="text/csv")
    response = upload(client, world, file, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "The file has more than 3 rows" in response.content.decode()
    assert not BackgroundJob.objects.exists()
    assert uploads_kept(settings) == []

    settings.QOLDAU_IMPORT_MAX_ROWS = 1000
    settings.QOLDAU_IMPORT_MAX_CELLS = 10
    file = SimpleUploadedFile("cells.csv", lines.encode(), content_type="text/csv")
    response = upload(client, world, file, django_capture_on_commit_callbacks)
    # Within the rows the header is looked for in, the limit shows on the form.
    assert response.status_code == 400
    assert "The file has more than 10 cells" in response.content.decode()
    assert not BackgroundJob.objects.exists()

    # Past them it shows during the dry run: the job fails with the reason.
    settings.QOLDAU_IMPORT_MAX_CELLS = 80
    lines = "IIN,Service,Date\n" + "1,a,2025-03-01\n" * 30
    file = SimpleUploadedFile("cells.csv", lines.encode(), content_type="text/csv")
    response = upload(client, world, file, django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED
    assert "more than 80 cells" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert nothing_written()
