"""Reading import files: .xlsx (`xlsx.py`, row by row, any of its sheets) and .csv (any of
UTF-8, UTF-8 with a BOM or Windows-1251; `;`, `,` or tab between cells), finding the table
in them (`layout.py`: the header below a title, totals rows) and recognising their
columns by header names written in Kazakh, Russian or English (`columns.py`).

A reader yields cells as the file holds them (text from CSV; text, numbers and dates from
XLSX); `validation` turns them into values. Row numbers are those a spreadsheet shows,
blank rows keeping their number. What a file really is is told by its first bytes, not
its name: a renamed PDF or an old or password-protected Excel file gets its own answer.
"""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ErrorCode
from qoldau.imports.columns import (
    BIRTH_DATE,
    CATEGORIES,
    CONSENT_DATE,
    DATE,
    DISTRICT,
    EXAMPLE_IIN,
    FIELDS,
    FIRST_NAME,
    FULL_NAME,
    HEADER_SEARCH_ROWS,
    IGNORED_HEADERS,
    IIN,
    IIN_REQUIRED,
    LAST_NAME,
    NO_IIN_REASON,
    NOTE,
    PATRONYMIC,
    PHONE,
    QUANTITY,
    REGION,
    SERVICE,
    SEX,
    ColumnMatch,
    Field,
    alias_table,
    column_letter,
    field_label,
    fields_of,
    match_columns,
    normalise_header,
    template_fields,
)
from qoldau.imports.errors import ImportErrorCode
from qoldau.imports.layout import Header, ReadingNote, ReadingNotes, data_rows, find_header
from qoldau.imports.limits import (
    MAX_COLUMNS,
    MAX_CSV_LINE_CHARACTERS,
    ImportFileError,
    ReadLimits,
    too_many_cells,
    too_many_columns,
    too_many_rows,
)
from qoldau.imports.values import cell_text
from qoldau.imports.xlsx import SheetInfo, SheetRows, Workbook, open_workbook

# The names other apps and the imports app's own modules read from here.
__all__ = [
    "BIRTH_DATE",
    "CATEGORIES",
    "CONSENT_DATE",
    "DATE",
    "DISTRICT",
    "EXAMPLE_IIN",
    "FIELDS",
    "FIRST_NAME",
    "FULL_NAME",
    "HEADER_SEARCH_ROWS",
    "IGNORED_HEADERS",
    "IIN",
    "IIN_REQUIRED",
    "LAST_NAME",
    "NOTE",
    "NO_IIN_REASON",
    "PATRONYMIC",
    "PHONE",
    "QUANTITY",
    "REGION",
    "SERVICE",
    "SEX",
    "ColumnMatch",
    "Field",
    "ImportFileError",
    "ReadingNote",
    "ReadingNotes",
    "alias_table",
    "cell_text",
    "column_letter",
    "field_label",
    "fields_of",
    "match_columns",
    "normalise_header",
    "template_fields",
]

ACCEPTED_SUFFIXES = (".xlsx", ".csv")
# What every app's upload field says the file must be.
FILE_HELP = _(
    "An Excel workbook (.xlsx) or a CSV file, with the column names in Kazakh, Russian or "
    "English; a title may stand above them, in any of the first 20 rows."
)

Row = tuple[int, Sequence[Any]]


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


# What a file is, told by its first bytes.
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF = b"%PDF"
# The stream a password-protected .xlsx keeps its workbook in, as OLE2 names it (UTF-16).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _first_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(len(_OLE2))


def _holds(path: Path, needle: bytes) -> bool:
    """Whether the file holds `needle`, read a megabyte at a time."""
    carried = b""
    with path.open("rb") as handle:
        while chunk := handle.read(SAMPLE_BYTES):
            if needle in carried + chunk:
                return True
            carried = chunk[-len(needle) :]
    return False


def _refuse_by_content(path: Path, start: bytes) -> None:
    """Refuse, with what it is and what to do, a file that is no table (`start` is its
    first bytes): a PDF, a workbook protected by a password, an Excel 97–2003 (.xls) or
    other old Office file."""
    if start.startswith(_PDF):
        raise ImportFileError(
            _(
                "The file is a PDF document, not a table, whatever its name says. Import the "
                "table it was made from: save it from Excel as .xlsx or .csv."
            ),
            field="file",
            code=ImportErrorCode.FILE_PDF,
        )
    if start == _OLE2:
        if _holds(path, _ENCRYPTED_PACKAGE):
            raise ImportFileError(
                _(
                    "The workbook is protected by a password, so it cannot be read. Open it in "
                    "Excel, remove the password (File → Info → Protect Workbook → Encrypt with "
                    "Password, leave it empty) and save it again."
                ),
                field="file",
                code=ImportErrorCode.FILE_ENCRYPTED,
            )
        raise ImportFileError(
            _(
                "The file is an Excel 97–2003 workbook (.xls) or another old Office document, "
                "not .xlsx. Open it in Excel and save it as “Excel Workbook (.xlsx)”."
            ),
            field="file",
            code=ImportErrorCode.FILE_OLD_EXCEL,
        )


@dataclass
class Table:
    """A file's header and its data rows, read lazily; `notes` fills as they are read."""

    header: list[str]
    header_row: int
    total: int  # data rows; for CSV counted by line ends, so blank lines count too
    rows: Iterator[Row]
    # Whether cells keep their types (.xlsx); a CSV file's cells are all text.
    typed: bool = True
    sheet: str = ""
    # The visible sheets of a workbook, for the person to pick another.
    sheets: list[str] = field(default_factory=list)
    notes: ReadingNotes = field(default_factory=ReadingNotes)


def _kinds(kind: str | None) -> list[str]:
    return [kind] if kind is not None else list(FIELDS)


@contextmanager
def open_table(
    path: Path,
    name: str | None = None,
    limits: ReadLimits | None = None,
    *,
    kind: str | None = None,
    sheet: str | None = None,
) -> Iterator[Table]:
    """Open an import file to be read within `limits` (the settings' by default): a file
    past one is refused with ImportFileError, on opening when it shows, else at the row
    that passes it. The file is read as what its first bytes say it is (a workbook named
    .csv is still a workbook); `name` (else the path's) says it when they do not.

    The header is the first row, among the first HEADER_SEARCH_ROWS that hold something,
    naming the required columns of `kind` (of any import when None); of a workbook, the
    first visible sheet holding such a header is read, or `sheet` (its name) when given."""
    check_file_name_and_size(name or path.name, path.stat().st_size)
    limits = limits or ReadLimits.from_settings()
    start = _first_bytes(path)
    _refuse_by_content(path, start)
    if start.startswith(_ZIP) or Path(name or path.name).suffix.lower() == ".xlsx":
        with _open_xlsx(path, limits, _kinds(kind), sheet) as table:
            yield table
    else:
        with _open_csv(path, limits, _kinds(kind)) as table:
            yield table


def _table(
    header: Header, total: int, notes: ReadingNotes, rows: Iterator[Row] | None = None, **facts: Any
) -> Table:
    """The table under a header found; its first data row is read now, so that a file
    with a header only is refused on opening."""
    data = rows if rows is not None else data_rows(header, notes)
    first = next(data, None)
    if first is None:
        example = next((note for note in notes if note.code == "example_row"), None)
        if example is not None:
            raise ImportFileError(
                _(
                    "The file holds no rows but the template's example (row %(row)s): write your "
                    "rows in its place."
                ),
                field="file",
                code=ImportErrorCode.FILE_EMPTY,
                params={"row": example.params["row"]},
            )
        raise empty_file()
    return Table(
        header=header.texts,
        header_row=header.row,
        total=max(0, total),
        rows=itertools.chain((first,), data),
        notes=notes,
        **facts,
    )


def _sheet_named(sheets: Sequence[SheetInfo], name: str) -> SheetInfo:
    wanted = name.strip().casefold()
    for sheet in sheets:
        if sheet.name.strip().casefold() == wanted:
            return sheet
    raise ImportFileError(
        _("The workbook has no sheet “%(sheet)s”; its sheets are: %(sheets)s."),
        field="file",
        code=ImportErrorCode.NO_SUCH_SHEET,
        params={"sheet": name[:100], "sheets": ", ".join(f"“{s.name}”" for s in sheets)},
    )


@contextmanager
def _open_xlsx(path: Path, limits: ReadLimits, kinds: Sequence[str], sheet: str | None) -> Iterator[Table]:
    with open_workbook(path, limits) as book:
        visible = [s for s in book.sheets if not s.hidden] or book.sheets
        candidates = [_sheet_named(book.sheets, sheet)] if sheet is not None else visible
        found = _sheet_with_header(book, candidates, kinds)
        if found is None:
            raise empty_file()
        chosen, sheet_rows, header, notes = found
        if len(visible) > 1:
            notes.add("sheet_read", count=len(visible), sheet=chosen.name)

        def rows() -> Iterator[Row]:
            yield from data_rows(header, notes)
            if sheet_rows.empty_after is not None:
                notes.add("empty_rows", row=sheet_rows.empty_after)

        # For the progress bar only: the rows the sheet declares (the rows read when it
        # declares none or too few).
        yield _table(
            header,
            sheet_rows.declared_last_row - header.row,
            notes,
            rows(),
            sheet=chosen.name,
            sheets=[s.name for s in visible],
        )


def _sheet_with_header(
    book: Workbook, candidates: Sequence[SheetInfo], kinds: Sequence[str]
) -> tuple[SheetInfo, SheetRows, Header, ReadingNotes] | None:
    """The first sheet whose header names an import's columns; else the sheet whose header
    names most columns, or is widest (its columns are then mapped by the person, who may
    pick another sheet)."""
    fallbacks = []
    for candidate in candidates:
        notes = ReadingNotes()
        sheet_rows = book.read(candidate)
        header = find_header(sheet_rows.rows, kinds, notes)
        if header is None:
            continue
        if header.kind is not None:
            return candidate, sheet_rows, header, notes
        fallbacks.append((candidate, sheet_rows, header, notes))
    if not fallbacks:
        return None
    return max(fallbacks, key=lambda found: (found[2].named, found[2].width))


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


def detect_delimiter(lines: Sequence[str] | str) -> str:
    """The delimiter used most over the first lines (a title above the header may have
    none, or commas of its own)."""
    if isinstance(lines, str):
        lines = [lines]
    counts = {d: sum(line.count(d) for line in lines) for d in (";", ",", "\t")}
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
def _open_csv(path: Path, limits: ReadLimits, kinds: Sequence[str]) -> Iterator[Table]:
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
        first_lines: list[str] = []
        try:
            # The delimiter is told from the lines the header is looked for in.
            for line in source:
                first_lines.append(line)
                if sum(1 for text in first_lines if text.strip()) == HEADER_SEARCH_ROWS:
                    break
        except UnicodeDecodeError as exc:
            raise _encoding_error() from exc
        delimiter = detect_delimiter([text for text in first_lines if text.strip()])
        reader = csv.reader(itertools.chain(first_lines, source), delimiter=delimiter)

        def records() -> Iterator[Row]:
            row_number = 0
            cells_read = 0
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

        notes = ReadingNotes()
        rows = records()
        header = find_header(rows, kinds, notes)
        if header is None:
            raise empty_file()
        yield _table(header, lines - header.row, notes, typed=False)


def _encoding_error() -> ImportFileError:
    return ImportFileError(
        _("The file is neither UTF-8 nor Windows-1251 text; save it again as CSV UTF-8."),
        field="file",
        code=ImportErrorCode.FILE_ENCODING,
    )


@dataclass(frozen=True)
class Head:
    """What the column-mapping step needs of a file: its header, where it was found, the
    sheet read and the other sheets there are."""

    header: list[str]
    header_row: int
    sheet: str
    sheets: list[str]


def read_head(
    path: Path, name: str | None = None, *, kind: str | None = None, sheet: str | None = None
) -> Head:
    """Only the header of a file, and where it is."""
    with open_table(path, name, kind=kind, sheet=sheet) as table:
        return Head(header=table.header, header_row=table.header_row, sheet=table.sheet, sheets=table.sheets)


def read_header(
    path: Path, name: str | None = None, *, kind: str | None = None, sheet: str | None = None
) -> list[str]:
    """Only the header of a file (for the column-mapping step)."""
    return read_head(path, name, kind=kind, sheet=sheet).header


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


def read_sample(
    path: Path, name: str | None = None, rows: int = 3, *, kind: str | None = None, sheet: str | None = None
) -> list[list[str]]:
    """The first few data rows as text (to show beside the column-mapping choices)."""
    sample: list[list[str]] = []
    with open_table(path, name, kind=kind, sheet=sheet) as table:
        for _number, cells in table.rows:
            sample.append([cell_text(c) for c in cells])
            if len(sample) == rows:
                break
    return sample
