"""`qoldau import kato FILE`: the official classifier, all or nothing, idempotent."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from qoldau.core.models import Place

pytestmark = pytest.mark.django_db

HEADER = ["te", "ab", "cd", "ef", "hij", "k", "kaz_name", "rus_name", "nn"]
ROWS = [
    ["750000000", "75", "00", "00", "000", "0", "Алматы қаласы", "г.Алматы", "1"],
    ["751710000", "75", "17", "10", "000", "0", "Алатау ауданы", "Алатауский район", "2"],
    ["511010000", "51", "10", "10", "000", "0", "Шымкент қаласы", "г.Шымкент", "3"],
    ["611010000", "61", "10", "10", "000", "0", "Арыс қаласы", "г.Арыс", "4"],
    ["611010100", "61", "10", "10", "100", "0", "Ақдала ауылы", "с. Акдала", "5"],
]


def write_xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([int(row[0]), *row[1:]])  # codes as numbers, as Excel keeps them
    book.save(path)


def run(path):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import", "kato", str(path), stdout=out)
    return out.getvalue()


def test_kato_xlsx_import_with_shymkent_alias(tmp_path):
    path = tmp_path / "kato.xlsx"
    write_xlsx(path, ROWS)
    output = run(path)
    assert "created" in output
    alatau = Place.objects.get(kato="751710000")
    assert alatau.level == Place.Level.DISTRICT
    # The district loaded without a code is the one that received it: no duplicate.
    assert Place.objects.filter(name_kk="Алатау ауданы").count() == 1
    assert alatau.name_en == "Alatau District"
    assert alatau.parent.kato == "750000000"
    assert not Place.objects.filter(kato="511010000").exists()
    assert Place.objects.get(kato="611010100").parent.kato == "611010000"
    assert Place.objects.get(kato="611010100").level == Place.Level.RURAL_DISTRICT
    # The old Shymkent code is read as 790000000, already loaded with its names.
    assert Place.objects.get(kato="790000000").name_kk == "Шымкент қаласы"


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = tmp_path / "kato.csv"
    path.write_text(";".join(HEADER) + "\n" + "\n".join(";".join(r) for r in ROWS) + "\n", encoding="utf-8")
    run(path)
    count = Place.objects.count()
    output = run(path)
    assert Place.objects.count() == count
    assert "0 created, 0 updated" in output


def test_a_bad_row_stops_the_whole_import_with_its_row_number(tmp_path):
    path = tmp_path / "kato.csv"
    bad = [
        *ROWS[:2],
        ["75ABC0000", "", "", "", "", "", "Қате", "Ошибка", ""],
        ["999910000", "", "", "", "", "", "Жетім", "Сирота", ""],
    ]
    path.write_text(",".join(HEADER) + "\n" + "\n".join(",".join(r) for r in bad) + "\n", encoding="utf-8")
    before = Place.objects.count()
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert "4" in message  # row of the bad code (header is row 1)
    assert "5" in message  # row whose parent region 990000000 does not exist
    assert Place.objects.count() == before
    assert not Place.objects.filter(kato="751710000").exists()


def test_a_file_without_the_expected_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run(path)
