"""Import files for tests: CSV in any encoding and delimiter, XLSX, and their rows."""

import csv

from openpyxl import Workbook

from qoldau.core.identifiers import check_digit
from qoldau.core.tests import factories


def write_csv(path, header, rows, *, encoding="utf-8", delimiter=","):
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, header, rows):
    book = Workbook()
    sheet = book.active
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


EN = ["IIN", "Last name", "First name", "Patronymic", "Service", "Date", "Quantity", "Note"]
RU = ["ИИН", "Фамилия", "Имя", "Отчество", "Услуга", "Дата", "Количество", "Примечание"]
KK = ["ЖСН", "Тегі", "Аты", "Әкесінің аты", "Қызмет", "Күні", "Саны", "Ескертпе"]


def iin_with_wrong_check_digit():
    iin = factories.valid_iin()
    return iin[:11] + str((int(iin[11]) + 1) % 10)


def iin_with_impossible_date():
    """An IIN whose check digit is right but whose date (13th month) does not exist."""
    for serial in range(1, 100):
        body = f"901317300{serial:02d}"
        digit = check_digit(body)
        if digit is not None:
            return f"{body}{digit}"
    raise AssertionError("no serial gives a check digit")


def delivery(iin, service="legal_consultation", day="2025-03-01", quantity="1", names=("Иванов", "Иван", "")):
    return [iin, *names, service, day, quantity, ""]


def write_file(tmp_path, rows, *, header=EN, fmt="csv", name=None, **options):
    path = tmp_path / (name or f"deliveries.{fmt}")
    if fmt == "xlsx":
        return write_xlsx(path, header, rows)
    return write_csv(path, header, rows, **options)


# People files: the header in each language and a row with defaults.
PEOPLE_EN = ["IIN", "No IIN reason", "Last name", "First name", "Patronymic", "Birth date", "Sex", "Phone",
      "Region (KATO)", "District", "Category", "Consent date"]  # fmt: skip
PEOPLE_RU = ["ИИН", "Причина отсутствия ИИН", "Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Телефон",
      "Регион", "Район", "Категория", "Дата согласия"]  # fmt: skip
PEOPLE_KK = ["ЖСН", "ЖСН жоқ себебі", "Тегі", "Аты", "Әкесінің аты", "Туған күні", "Жынысы", "Телефон",
      "Өңір", "Аудан", "Санаты", "Келісім күні"]  # fmt: skip


def person_row(iin="", **values):
    row = {
        "reason": "",
        "last": "Жұмабаева",
        "first": "Гүлнар",
        "patronymic": "",
        "birth": "",
        "sex": "",
        "phone": "+7 701 000 0000",
        "region": "750000000",
        "district": "",
        "category": "",
        "consent": "2025-02-01",
    }
    row.update(values)
    return [iin, *row.values()]


TITLE = "Отчёт об оказанных услугах ОО «Қорған-М» за март 2025 года"


def write_report_xlsx(path, header, rows, *, title=TITLE, totals=None, sheet="Март", before=()):
    """A workbook as an NGO's accountant makes one: a title merged across the columns, a
    blank row, then the header and the rows, and a totals row ("Итого" … count) below."""
    book = Workbook()
    first = book.active
    for name, content in before:
        extra = book.create_sheet(name, 0)
        for row in content:
            extra.append(list(row))
    first.title = sheet
    first.append([title])
    first.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    first.append([])
    first.append(list(header))
    for row in rows:
        first.append(list(row))
    if totals is not None:
        first.append(list(totals))
    book.save(path)
    return path
