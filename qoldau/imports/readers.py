"""Reading import files: .xlsx (`xlsx.py`, row by row) and .csv (any of UTF-8, UTF-8 with a BOM
or Windows-1251; `;`, `,` or tab between cells), and recognising their columns by header
names written in Kazakh, Russian or English.

A reader yields cells as the file holds them (text from CSV; text, numbers and dates from
XLSX); `validation` turns them into values. Row numbers are those a spreadsheet shows:
the header is row 1 (or the first non-blank row), and blank rows keep their number.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ErrorCode
from qoldau.imports.errors import ImportErrorCode
from qoldau.imports.limits import (
    MAX_COLUMNS,
    MAX_CSV_LINE_CHARACTERS,
    ImportFileError,
    ReadLimits,
    too_many_cells,
    too_many_columns,
    too_many_rows,
)
from qoldau.imports.models import ImportKind
from qoldau.imports.xlsx import open_first_sheet

__all__ = ["ImportFileError"]

ACCEPTED_SUFFIXES = (".xlsx", ".csv")
# What every app's upload field says the file must be.
FILE_HELP = _(
    "An Excel workbook (.xlsx, first sheet) or a CSV file, with the column names in the first row, "
    "in Kazakh, Russian or English."
)


# Columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A value an import reads, and the header names it is recognised by (compared after
    `normalise_header`, so case, spaces and punctuation do not matter)."""

    name: str
    label: str | Promise
    aliases: tuple[str, ...]
    required: bool = False


IIN = Field(
    "iin",
    _("IIN"),
    (
        "IIN",
        "ИИН",
        "ЖСН",
        "Individual identification number",
        "Индивидуальный идентификационный номер",
        "Жеке сәйкестендіру нөмірі",
        "ИИН получателя",
        "Алушының ЖСН",
    ),
)
LAST_NAME = Field(
    "last_name", _("Last name"), ("Last name", "Surname", "Family name", "Фамилия", "Тегі", "Тек")
)
FIRST_NAME = Field("first_name", _("First name"), ("First name", "Given name", "Имя", "Аты", "Есімі"))
PATRONYMIC = Field("patronymic", _("Patronymic"), ("Patronymic", "Middle name", "Отчество", "Әкесінің аты"))
FULL_NAME = Field(
    "full_name",
    _("Full name (last, first, patronymic)"),
    ("Full name", "ФИО", "Ф.И.О.", "Фамилия Имя Отчество", "Аты-жөні", "Тегі, аты, әкесінің аты"),
)
SERVICE = Field(
    "service",
    _("Service"),
    (
        "Service",
        "Service code",
        "Услуга",
        "Вид услуги",
        "Код услуги",
        "Қызмет",
        "Қызмет түрі",
        "Қызмет коды",
    ),
    required=True,
)
DATE = Field(
    "date",
    _("Date"),
    (
        "Date",
        "Delivery date",
        "Дата",
        "Дата оказания",
        "Дата оказания услуги",
        "Күні",
        "Күн",
        "Қызмет көрсетілген күні",
    ),
    required=True,
)
QUANTITY = Field("quantity", _("Quantity"), ("Quantity", "Qty", "Количество", "Кол-во", "Саны"))
NOTE = Field(
    "note",
    _("Note"),
    ("Note", "Comment", "Примечание", "Комментарий", "Ескертпе", "Түсініктеме"),
)
NO_IIN_REASON = Field(
    "no_iin_reason",
    _("Reason there is no IIN"),
    (
        "No IIN reason",
        "Reason there is no IIN",
        "Причина отсутствия ИИН",
        "ЖСН жоқ себебі",
        "ЖСН болмау себебі",
    ),
)
BIRTH_DATE = Field(
    "birth_date",
    _("Birth date"),
    ("Birth date", "Date of birth", "Дата рождения", "Туған күні", "Туған күн"),
)
SEX = Field("sex", _("Sex"), ("Sex", "Gender", "Пол", "Жынысы", "Жыныс"))
PHONE = Field(
    "phone",
    _("Phone"),
    ("Phone", "Telephone", "Phone number", "Телефон", "Номер телефона", "Телефон нөмірі"),
)
REGION = Field(
    "region",
    _("Region (KATO)"),
    (
        "Region",
        "Region (KATO)",
        "Region KATO",
        "Регион",
        "Регион (КАТО)",
        "Область",
        "КАТО региона",
        "Өңір",
        "Өңір (КАТО)",
        "Облыс",
    ),
)
DISTRICT = Field(
    "district",
    _("District (KATO or name)"),
    ("District", "District (KATO)", "Район", "Район (КАТО)", "КАТО района", "Аудан", "Аудан (КАТО)"),
)
CATEGORIES = Field(
    "categories",
    _("Categories"),
    (
        "Category",
        "Categories",
        "Category code",
        "Категория",
        "Категории",
        "Код категории",
        "Санаты",
        "Санат",
        "Санаттары",
    ),
)
CONSENT_DATE = Field(
    "consent_date",
    _("Consent date"),
    (
        "Consent date",
        "Consent given on",
        "Дата согласия",
        "Согласие от",
        "Келісім күні",
        "Келісім берілген күні",
    ),
)

IIN_REQUIRED = Field(IIN.name, IIN.label, IIN.aliases, required=True)

FIELDS: dict[str, tuple[Field, ...]] = {
    ImportKind.DELIVERIES: (
        IIN_REQUIRED,
        LAST_NAME,
        FIRST_NAME,
        PATRONYMIC,
        FULL_NAME,
        SERVICE,
        DATE,
        QUANTITY,
        NOTE,
    ),
    ImportKind.PEOPLE: (
        IIN_REQUIRED,
        NO_IIN_REASON,
        LAST_NAME,
        FIRST_NAME,
        PATRONYMIC,
        FULL_NAME,
        BIRTH_DATE,
        SEX,
        PHONE,
        REGION,
        DISTRICT,
        CATEGORIES,
        CONSENT_DATE,
    ),
}

# Row-number columns people keep in spreadsheets ("№", "№ п/п", "р/с"): read as known and
# ignored, so they do not send the importer to the column-mapping step.
IGNORED_HEADERS = frozenset({"", "n", "no", "nn", "пп", "нпп", "рс", "id"})


def normalise_header(text: object) -> str:
    """A header as compared: lower case, ё as е, letters and digits only."""
    return "".join(c for c in str(text).casefold().replace("ё", "е") if c.isalnum())


def _alias_table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for item in FIELDS[kind]:
        table[normalise_header(item.name)] = item.name
        for alias in item.aliases:
            table[normalise_header(alias)] = item.name
    return table


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS[kind]


def field_label(kind: str, name: str) -> str:
    for item in FIELDS[kind]:
        if item.name == name:
            return str(item.label)
    return name


@dataclass
class ColumnMatch:
    """Which field each column of the file holds (None: the column is not imported)."""

    kind: str
    header: list[str]
    fields: list[str | None]
    unknown: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every column recognised and every required field present, once."""
        return not (self.unknown or self.missing or self.repeated)

    @property
    def usable(self) -> bool:
        """Every required field present, once (unknown columns are left out)."""
        return not (self.missing or self.repeated)

    def index(self, name: str) -> int | None:
        try:
            return self.fields.index(name)
        except ValueError:
            return None

    def column_name(self, name: str) -> str:
        """The header of the column that holds a field, as the file writes it."""
        position = self.index(name)
        if position is not None and self.header[position].strip():
            return self.header[position].strip()
        return field_label(self.kind, name)

    def as_mapping(self) -> list[str]:
        return [name or "" for name in self.fields]

    def check(self) -> None:
        """Refuse a file whose required columns are missing or given twice."""
        if self.missing:
            raise ImportFileError(
                _("The file has no column for: %(fields)s. Rename the headers or map the columns."),
                code=ImportErrorCode.MISSING_COLUMNS,
                params={"fields": ", ".join(field_label(self.kind, f) for f in self.missing)},
            )
        if self.repeated:
            raise ImportFileError(
                _("More than one column holds: %(fields)s. Keep one of them."),
                code=ImportErrorCode.REPEATED_COLUMNS,
                params={"fields": ", ".join(field_label(self.kind, f) for f in self.repeated)},
            )


def match_columns(
    kind: str, header: Sequence[object], mapping: Sequence[str] | Mapping[int, str] | None = None
) -> ColumnMatch:
    """Recognise each header; with `mapping` (a field name, or "" to ignore, per column)
    the person importing has said what each column holds and no header is guessed."""
    texts = ["" if h is None else str(h).strip() for h in header]
    known = {f.name for f in FIELDS[kind]}
    fields: list[str | None] = []
    unknown: list[int] = []
    if mapping is not None:
        chosen = dict(enumerate(mapping)) if not isinstance(mapping, Mapping) else dict(mapping)
        for position in range(len(texts)):
            name = chosen.get(position) or None
            fields.append(name if name in known else None)
    else:
        aliases = _alias_table(kind)
        for position, text in enumerate(texts):
            key = normalise_header(text)
            name = aliases.get(key)
            fields.append(name)
            if name is None and key not in IGNORED_HEADERS:
                unknown.append(position)
    present = [f for f in fields if f]
    repeated = sorted({f for f in present if present.count(f) > 1})
    missing = []
    for item in FIELDS[kind]:
        if item.required and item.name not in present:
            missing.append(item.name)
    # A full-name column stands for the last and first name columns.
    names_needed = kind == ImportKind.PEOPLE
    if names_needed and "full_name" not in present:
        missing += [n for n in ("last_name", "first_name") if n not in present]
    return ColumnMatch(
        kind=kind, header=texts, fields=fields, unknown=unknown, missing=missing, repeated=repeated
    )


# Files ------------------------------------------------------------------------------------


def max_bytes() -> int:
    return int(settings.QOLDAU_IMPORT_MAX_MB) * 1024 * 1024


def check_file_name_and_size(name: str, size: int) -> None:
    """Refuse a file that is not .xlsx or .csv, or larger than QOLDAU_IMPORT_MAX_MB."""
    if Path(name).suffix.lower() not in ACCEPTED_SUFFIXES:
        raise ImportFileError(
            _("Give an .xlsx or a .csv file; “%(name)s” is neither."),
            field="file",
            code=ErrorCode.FILE_TYPE,
            params={"name": Path(name).name},
        )
    if size > max_bytes():
        raise ImportFileError(
            _("The file is larger than %(limit)s MB; split it into smaller files."),
            field="file",
            code=ImportErrorCode.FILE_TOO_LARGE,
            params={"limit": settings.QOLDAU_IMPORT_MAX_MB},
        )
    if size == 0:
        raise empty_file()


def empty_file() -> ImportFileError:
    return ImportFileError(
        _("The file has no rows to import."), field="file", code=ImportErrorCode.FILE_EMPTY
    )


@dataclass
class Table:
    """A file's header and its data rows, read lazily."""

    header: list[str]
    header_row: int
    total: int  # data rows; for CSV counted by line ends, so blank lines count too
    rows: Iterator[tuple[int, Sequence[Any]]]


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO dates, blanks empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@contextmanager
def open_table(path: Path, name: str | None = None, limits: ReadLimits | None = None) -> Iterator[Table]:
    """Open an import file (its type told by `name`'s extension, else the path's), to be
    read within `limits` (the settings' by default): a file past one is refused with
    ImportFileError, on opening when it shows, else at the row that passes it."""
    check_file_name_and_size(name or path.name, path.stat().st_size)
    limits = limits or ReadLimits.from_settings()
    if Path(name or path.name).suffix.lower() == ".xlsx":
        with _open_xlsx(path, limits) as table:
            yield table
    else:
        with _open_csv(path, limits) as table:
            yield table


def _first_filled(rows: Iterator[tuple[int, Sequence[Any]]]) -> tuple[int, Sequence[Any]] | None:
    for number, cells in rows:
        if not _blank(cells):
            return number, cells
    return None


@contextmanager
def _open_xlsx(path: Path, limits: ReadLimits) -> Iterator[Table]:
    with open_first_sheet(path, limits) as sheet:
        rows = sheet.rows
        found = _first_filled(rows)
        if found is None:
            raise empty_file()
        number, cells = found
        header = [cell_text(c) for c in cells]
        # The first data row is read now, so that a file with a header only is refused on
        # opening; the rest come one at a time.
        first = _first_filled(rows)
        if first is None:
            raise empty_file()

        def data() -> Iterator[tuple[int, Sequence[Any]]]:
            yield first
            for row_number, row_cells in rows:
                if not _blank(row_cells):
                    yield row_number, row_cells

        # For the progress bar only: the rows the sheet declares (the rows read when it
        # declares none or too few).
        total = max(0, sheet.declared_last_row - number)
        yield Table(header=header, header_row=number, total=total, rows=data())


SAMPLE_BYTES = 1 << 20


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without a BOM) when the sample decodes as UTF-8, else Windows-1251,
    the encoding Russian-language Excel still writes CSV in."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # Not final: the sample may end in the middle of a character.
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8-sig"


def detect_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_lines(path: Path) -> int:
    count = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(SAMPLE_BYTES):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (0 if last == b"\n" else 1)


def _binary_file(line: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Line %(row)s of the file holds binary data (a NUL character), so it is not CSV "
            "text; save the table again as CSV UTF-8."
        ),
        field="file",
        code=ImportErrorCode.FILE_BINARY,
        params={"row": line},
    )


def _lines(handle: TextIO, first_line: int) -> Iterator[str]:
    """The file's lines, each refused when it is longer than a table's line can be (the
    csv module would hold it whole) or holds a NUL (a binary or UTF-16 file)."""
    number = first_line
    while line := handle.readline(MAX_CSV_LINE_CHARACTERS + 1):
        if len(line) > MAX_CSV_LINE_CHARACTERS:
            raise ImportFileError(
                _("Line %(row)s of the file is longer than %(limit)s characters, so it is not a table."),
                field="file",
                code=ImportErrorCode.LINE_TOO_LONG,
                params={"row": number, "limit": MAX_CSV_LINE_CHARACTERS},
            )
        if "\x00" in line:
            raise _binary_file(number)
        yield line
        number += 1


@contextmanager
def _open_csv(path: Path, limits: ReadLimits) -> Iterator[Table]:
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    if b"\x00" in sample:
        raise _binary_file(sample[: sample.index(b"\x00")].count(b"\n") + 1)
    encoding = detect_encoding(sample)
    lines = _count_lines(path)
    if lines > limits.max_rows:
        raise too_many_rows(limits.max_rows)
    with path.open(encoding=encoding, newline="") as handle:
        source = _lines(handle, 1)
        try:
            first = ""
            number = 0
            # The header is the first line with something on it.
            while not first.strip():
                first = next(source, "")
                number += 1
                if first == "":
                    raise empty_file()
            delimiter = detect_delimiter(first)
            header = [cell_text(c) for c in next(csv.reader([first], delimiter=delimiter))]
        except UnicodeDecodeError as exc:
            raise _encoding_error() from exc
        if len(header) > MAX_COLUMNS:
            raise too_many_columns(number)
        reader = csv.reader(source, delimiter=delimiter)

        def data() -> Iterator[tuple[int, Sequence[Any]]]:
            row_number = number
            cells_read = len(header)
            try:
                for cells in reader:
                    row_number += 1
                    width = len(cells)
                    cells_read += width
                    if width > MAX_COLUMNS:
                        raise too_many_columns(row_number)
                    if cells_read > limits.max_cells:
                        raise too_many_cells(limits.max_cells)
                    # any() first: it is C-fast and true for nearly every row.
                    if any(cells) and (cells[0].strip() or any(c.strip() for c in cells)):
                        yield row_number, cells
            except UnicodeDecodeError as exc:
                raise _encoding_error() from exc
            except csv.Error as exc:
                raise ImportFileError(
                    _("Row %(row)s of the file cannot be read as CSV."),
                    field="file",
                    code=ImportErrorCode.FILE_UNREADABLE,
                    params={"row": row_number + 1},
                ) from exc

        total = max(0, lines - number)
        if total == 0:
            raise empty_file()
        yield Table(header=header, header_row=number, total=total, rows=data())


def _encoding_error() -> ImportFileError:
    return ImportFileError(
        _("The file is neither UTF-8 nor Windows-1251 text; save it again as CSV UTF-8."),
        field="file",
        code=ImportErrorCode.FILE_ENCODING,
    )


def read_header(path: Path, name: str | None = None) -> list[str]:
    """Only the header of a file (for the column-mapping step)."""
    with open_table(path, name) as table:
        return table.header


def mapping_with_overrides(kind: str, header: Sequence[str], overrides: Mapping[str, str]) -> list[str]:
    """The recognised field of each column, except where `overrides` (header → field, or
    "" to leave the column out) says otherwise; for `qoldau import --map`."""
    known = {f.name for f in FIELDS[kind]}
    unknown = sorted(set(overrides.values()) - known - {""})
    if unknown:
        raise ImportFileError(
            _("Unknown field names: %(names)s. Known fields: %(known)s."),
            code=ImportErrorCode.UNKNOWN_FIELD,
            params={"names": ", ".join(unknown), "known": ", ".join(f.name for f in FIELDS[kind])},
        )
    wanted = {normalise_header(h): name for h, name in overrides.items()}
    auto = match_columns(kind, header)
    return [
        wanted.get(normalise_header(text), auto.fields[position] or "")
        for position, text in enumerate(auto.header)
    ]


def read_sample(path: Path, name: str | None = None, rows: int = 3) -> list[list[str]]:
    """The first few data rows as text (to show beside the column-mapping choices)."""
    sample: list[list[str]] = []
    with open_table(path, name) as table:
        for _number, cells in table.rows:
            sample.append([cell_text(c) for c in cells])
            if len(sample) == rows:
                break
    return sample
