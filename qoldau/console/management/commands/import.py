"""`qoldau import KIND FILE`: load a file into Qoldau.

Kinds: `kato` (the official KATO classifier, XLSX or CSV). Rows are checked first; a bad
row stops the whole import with its row number and nothing is written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from qoldau.core.audit import audit_context
from qoldau.core.errors import ApplicationError
from qoldau.core.services import KatoRow, places_import_kato

# Header names seen in the official KATO files (stat.gov.kz) and in hand-made ones.
KATO_CODE_HEADERS = {"te", "code", "kato", "код", "като", "код като", "kato code"}
KATO_KK_HEADERS = {
    "kaz_name",
    "name_kaz",
    "namekaz",
    "наименование на казахском",
    "атауы",
    "name_kk",
}
KATO_RU_HEADERS = {
    "rus_name",
    "name_rus",
    "namerus",
    "наименование на русском",
    "наименование",
    "name_ru",
}


def _rows(path: Path) -> Iterator[list[Any]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield ["" if v is None else v for v in row]
        workbook.close()
    elif path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            yield from csv.reader(handle, dialect)
    else:
        raise CommandError(_("Give an .xlsx or a .csv file."))


def read_kato(path: Path) -> list[KatoRow]:
    rows = _rows(path)
    header = [str(h).strip().lower() for h in next(rows, [])]

    def find(names: set[str]) -> int:
        for index, name in enumerate(header):
            if name in names:
                return index
        raise CommandError(
            _("The file has no column for %(column)s; its headers are: %(headers)s.")
            % {"column": sorted(names)[0], "headers": ", ".join(header)}
        )

    code_at, kk_at, ru_at = find(KATO_CODE_HEADERS), find(KATO_KK_HEADERS), find(KATO_RU_HEADERS)
    result = []
    for number, row in enumerate(rows, start=2):
        if not any(str(v).strip() for v in row):
            continue
        cell = row[code_at] if code_at < len(row) else ""
        code = str(int(cell)) if isinstance(cell, float) else str(cell).strip()
        result.append(
            KatoRow(
                row_number=number,
                code=code.zfill(9) if code.isdigit() else code,
                name_kk=str(row[kk_at]).strip() if kk_at < len(row) else "",
                name_ru=str(row[ru_at]).strip() if ru_at < len(row) else "",
            )
        )
    return result


class Command(BaseCommand):
    help = "Import a file. Kinds: kato (the KATO classifier, .xlsx or .csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["kato"])
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        rows = list(tqdm(read_kato(path), desc=_("Reading"), unit=" rows", disable=None))
        with audit_context("cli"):
            try:
                result = places_import_kato(actor=None, rows=rows)
            except ApplicationError as exc:
                raise CommandError(
                    _("Nothing was imported.\n%(reasons)s") % {"reasons": exc.render()}
                ) from exc
        self.stdout.write(
            _("KATO: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
