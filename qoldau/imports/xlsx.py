"""The sheets of an .xlsx workbook, each read row by row within `ReadLimits`.

Neither library at hand reads a workbook someone else wrote within a bound: python-calamine
builds the sheet's whole rectangle in memory before giving a row (one cell at Z1000000 is
26 million cells, most of a gigabyte), and openpyxl's read-only mode builds a whole row,
however many cells it has, and trusts the sheet's declared size. This reader:

- checks the zip's directory before unpacking a byte: how many parts it has, each part's
  unpacked size, their total and how tightly each is packed (zip bombs pack 300 to 1,000
  times; spreadsheets far less); Python's zipfile then stops each part at its declared size
  and checks its CRC, so a part cannot unpack to more than it declared;
- refuses a sheet whose declared dimension is past the row or cell limit;
- parses with expat (no DTD, so no entities), a chunk at a time, and counts rows, cells
  (a row counts as wide as its last filled column) and each cell's characters while it
  parses, stopping at the first limit passed, whatever the sheet declared;
- keeps the shared strings as UTF-8 in one buffer (their unpacked size at most) and one row;
- reads empty formatted rows cheaply: after a run of `EMPTY_ROWS_BEFORE_SCAN` rows that hold
  no value (a sheet formatted down to row 1,048,576), the rest of the sheet is only
  searched, byte by byte, for a value; when there is none the reading ends there (a
  million such rows take a second, not minutes), and when there is one the sheet is read
  again in full, so no value is ever skipped.

Values are what calamine gave: text, floats, booleans, dates (date, or datetime when the
time is not midnight) for cells with a date format; blanks are None.
"""

from __future__ import annotations

import datetime as dt
import itertools
import posixpath
import re
import struct
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from qoldau.imports.limits import (
    MAX_CELL_CHARACTERS,
    MAX_COLUMNS,
    ReadLimits,
    cell_too_long,
    not_a_workbook,
    packed_too_tightly,
    too_many_cells,
    too_many_columns,
    too_many_rows,
    unpacks_too_large,
)

MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"

# A workbook has a few dozen parts; its images and charts a few hundred more.
MAX_PARTS = 10_000
MAX_DIRECTORY_BYTES = 4 << 20
# Below this a part cannot hold much, however tightly it is packed (styles, small sheets).
RATIO_CHECKED_ABOVE = 1 << 20
# Expat keeps an unfinished tag in memory: no tag of a workbook is this long.
MAX_TOKEN_BYTES = 1 << 20
CHUNK_BYTES = 1 << 16
MAX_STYLES = 65_536
# Formatted rows without a value in a row after which the rest of a sheet is searched for
# a value instead of parsed (no spreadsheet leaves this many blank rows inside its data).
EMPTY_ROWS_BEFORE_SCAN = 1000
# A cell's value in the sheet's XML: <v> or an inline string's <is>, with any prefix.
_VALUE_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:v|is)[\s/>]")
_SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.\-]*:)?sheetData\s*>")
# The longest of those two marks: kept from one chunk to the next, so none is cut in two.
_MARK_OVERLAP = 256

_END_RECORD = b"PK\x05\x06"
_END_RECORD_FORMAT = "<4s4H2LH"
_END_RECORD_SIZE = struct.calcsize(_END_RECORD_FORMAT)


def _names(*locals_: str) -> dict[str, str]:
    """Expat's "namespace local" element names of the spreadsheet namespaces → local name."""
    return {f"{ns} {local}": local for ns in MAIN for local in locals_}


# Reading the parts ------------------------------------------------------------------------


class _Budget:
    """Bytes unpacked so far; the zip already stops each part at its declared size, this
    holds the total to the limit whatever a part declared."""

    def __init__(self, limits: ReadLimits) -> None:
        self.left = limits.max_unpacked_bytes
        self.limit_mb = limits.max_unpacked_bytes // (1024 * 1024)

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise unpacks_too_large(self.limit_mb)


def _refuse_doctype(*_args: object) -> None:
    # A workbook part never has a DTD; without one no entity can be declared or expanded.
    raise not_a_workbook()


class _Parser:
    """Expat fed a part a chunk at a time. Expat keeps an unfinished tag in memory, so a
    part whose parsing stops advancing (a tag or attribute that never ends) is refused."""

    def __init__(
        self,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.EntityDeclHandler = _refuse_doctype
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        self.parser = parser
        self.fed = 0

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise not_a_workbook() from exc
        self.fed += len(chunk)
        # Outside a handler, expat's byte index is where its last finished token starts.
        if self.fed - self.parser.CurrentByteIndex > MAX_TOKEN_BYTES:
            raise not_a_workbook()


def _chunks(archive: zipfile.ZipFile, name: str, budget: _Budget) -> Iterator[bytes]:
    try:
        member = archive.open(name)
    except KeyError as exc:
        raise not_a_workbook() from exc
    with member:
        while True:
            try:
                chunk = member.read(CHUNK_BYTES)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                raise not_a_workbook() from exc
            if not chunk:
                return
            budget.spend(len(chunk))
            yield chunk


def _parse_whole(chunks: Iterable[bytes], parser: _Parser) -> None:
    for chunk in chunks:
        parser.feed(chunk)
    parser.feed(b"", final=True)


# The zip ----------------------------------------------------------------------------------


def _check_directory_size(path: Path) -> None:
    """Refuse, from the end record alone, a zip whose directory lists more parts than a
    workbook has: zipfile builds an object for each part before anything can count them.
    The end record is found as zipfile finds it; ZIP64 (more than 65,535 parts or 4 GB)
    is never a workbook someone imports, and its markers are past both limits."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        tail_size = min(size, _END_RECORD_SIZE + 0xFFFF)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
    if tail[-_END_RECORD_SIZE : -_END_RECORD_SIZE + 4] == _END_RECORD and tail[-2:] == b"\0\0":
        at = len(tail) - _END_RECORD_SIZE
    else:
        at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        raise not_a_workbook()
    fields = struct.unpack(_END_RECORD_FORMAT, tail[at : at + _END_RECORD_SIZE])
    parts, directory_bytes = fields[4], fields[5]
    if parts > MAX_PARTS or directory_bytes > MAX_DIRECTORY_BYTES:
        raise not_a_workbook()


def check_zip(archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Each part's declared unpacked size and packing ratio, and their total, before any
    part is unpacked."""
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Encrypted, or packed in a way Excel never packs.
            raise not_a_workbook()
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise unpacks_too_large(limits.max_unpacked_bytes // (1024 * 1024))
        if (
            info.file_size > RATIO_CHECKED_ABOVE
            and info.file_size > info.compress_size * limits.max_compression_ratio
        ):
            raise packed_too_tightly(limits.max_compression_ratio)


# Workbook, relationships, shared strings, styles ------------------------------------------


def _relationships(archive: zipfile.ZipFile, rels_name: str, budget: _Budget) -> list[tuple[str, str, str]]:
    """(id, type, target) of a part's relationships, targets resolved to part names."""
    found: list[tuple[str, str, str]] = []
    base = posixpath.dirname(posixpath.dirname(rels_name))
    element = f"{PACKAGE_RELATIONSHIPS} Relationship"

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == element and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            found.append((attrs.get("Id", ""), attrs.get("Type", ""), posixpath.normpath(path)))
        if len(found) > MAX_PARTS:
            raise not_a_workbook()

    if rels_name in archive.NameToInfo:
        _parse_whole(_chunks(archive, rels_name, budget), _Parser(start))
    return found


def _rels_of(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


@dataclass(frozen=True)
class SheetInfo:
    """A worksheet of the workbook: its name as its tab shows it, its part, and whether it
    is hidden."""

    name: str
    part: str
    hidden: bool = False


@dataclass
class _Workbook:
    sheets: list[SheetInfo]
    shared_strings: str | None
    styles: str | None
    epoch: dt.datetime


def _workbook(archive: zipfile.ZipFile, budget: _Budget) -> _Workbook:
    workbook = next(
        (
            target
            for _id, kind, target in _relationships(archive, "_rels/.rels", budget)
            if kind.endswith("/officeDocument")
        ),
        "xl/workbook.xml",
    )
    listed: list[tuple[str, str, bool]] = []
    epoch = [CALENDAR_WINDOWS_1900]
    sheet_names = _names("sheet")
    properties = _names("workbookPr")
    rel_ids = [f"{ns} id" for ns in RELATIONSHIPS]

    def start(name: str, attrs: dict[str, str]) -> None:
        if name in sheet_names:
            rel_id = next((attrs[key] for key in rel_ids if key in attrs), "")
            if len(listed) >= MAX_PARTS:
                raise not_a_workbook()
            listed.append((attrs.get("name", "")[:100], rel_id, attrs.get("state", "visible") != "visible"))
        elif name in properties and attrs.get("date1904", "").lower() in {"1", "true"}:
            epoch[0] = CALENDAR_MAC_1904

    _parse_whole(_chunks(archive, workbook, budget), _Parser(start))
    relationships = _relationships(archive, _rels_of(workbook), budget)
    # Chart sheets are listed among the sheets too; only worksheets hold rows.
    worksheets = {rel_id: target for rel_id, kind, target in relationships if kind.endswith("/worksheet")}
    sheets = [
        SheetInfo(name=name, part=worksheets[rel_id], hidden=hidden)
        for name, rel_id, hidden in listed
        if rel_id in worksheets
    ]
    if not sheets:
        raise not_a_workbook()

    def part(kind: str) -> str | None:
        return next((target for _id, t, target in relationships if t.endswith(kind)), None)

    return _Workbook(
        sheets=sheets, shared_strings=part("/sharedStrings"), styles=part("/styles"), epoch=epoch[0]
    )


class SharedStrings:
    """The workbook's shared strings as UTF-8 in one buffer, with where each one ends:
    about their unpacked size in memory, not a Python object for each."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.ends = array("Q")

    def append(self, text: str) -> None:
        self.buffer += text.encode()
        self.ends.append(len(self.buffer))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, index: int) -> str:
        start = self.ends[index - 1] if index > 0 else 0
        return self.buffer[start : self.ends[index]].decode()


def _shared_strings(
    archive: zipfile.ZipFile, part: str | None, budget: _Budget, limits: ReadLimits
) -> SharedStrings:
    strings = SharedStrings()
    if part is None or part not in archive.NameToInfo:
        return strings
    names = _names("si", "t", "rPh")
    pieces: list[str] = []
    state = {"collect": False, "phonetic": 0, "length": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = names.get(name)
        if local == "si":
            pieces.clear()
            state["length"] = 0
        elif local == "t" and not state["phonetic"]:
            state["collect"] = True
        elif local == "rPh":
            state["phonetic"] += 1

    def end(name: str) -> None:
        local = names.get(name)
        if local == "t":
            state["collect"] = False
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "si":
            if len(strings) >= limits.max_cells:
                raise too_many_cells(limits.max_cells)
            strings.append("".join(pieces))

    def text(data: str) -> None:
        if state["collect"]:
            state["length"] += len(data)
            if state["length"] > MAX_CELL_CHARACTERS:
                raise cell_too_long(None)
            pieces.append(data)

    _parse_whole(_chunks(archive, part, budget), _Parser(start, end, text))
    return strings


def _date_styles(archive: zipfile.ZipFile, part: str | None, budget: _Budget) -> list[bool]:
    """Whether each cell style (a cell's `s`) shows its number as a date or a time."""
    if part is None or part not in archive.NameToInfo:
        return []
    names = _names("numFmt", "cellXfs", "xf")
    custom: dict[int, str] = {}
    dates: list[bool] = []
    inside = [False]

    def number(value: str | None) -> int:
        try:
            return int(value or 0)
        except ValueError:
            return 0

    def start(name: str, attrs: dict[str, str]) -> None:
        local = names.get(name)
        if local == "numFmt" and len(custom) < MAX_STYLES:
            custom[number(attrs.get("numFmtId"))] = attrs.get("formatCode", "")[:255]
        elif local == "cellXfs":
            inside[0] = True
        elif local == "xf" and inside[0] and len(dates) < MAX_STYLES:
            format_id = number(attrs.get("numFmtId"))
            code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id) or "General"
            dates.append(bool(is_date_format(code)))

    def end(name: str) -> None:
        if names.get(name) == "cellXfs":
            inside[0] = False

    _parse_whole(_chunks(archive, part, budget), _Parser(start, end))
    return dates


# The sheet --------------------------------------------------------------------------------


def _column_of(reference: str) -> int:
    """The column number of a cell reference ("AB12" → 28); 0 when it has no letters."""
    column = 0
    for char in reference:
        code = ord(char) - 64
        if not 1 <= code <= 26:
            break
        column = column * 26 + code
        if column > MAX_COLUMNS:
            return MAX_COLUMNS + 1
    return column


def _row_of(reference: str) -> int:
    digits = reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else 0


_SHEET_NAMES = _names("sheetData", "row", "c", "v", "is", "t", "rPh", "dimension")
Row = tuple[int, list[Any]]


class _Sheet:
    """Expat's handlers for a sheet: finished rows collect in `rows`, which the reader
    hands out after each chunk; every limit is checked as the rows are read."""

    def __init__(
        self, strings: SharedStrings, date_styles: list[bool], epoch: dt.datetime, limits: ReadLimits
    ):
        self.strings = strings
        self.date_styles = date_styles
        self.epoch = epoch
        self.limits = limits
        self.rows: list[Row] = []
        self.declared_last_row = 0
        self.finished = False
        self.row = 0
        self.cells: dict[int, Any] = {}
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.text: list[str] = []
        self.length = 0
        self.collect = False
        self.inline = False
        self.phonetic = 0
        self.cell_count = 0
        # Rows in a row, up to the last one read, that hold no value.
        self.empty_run = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _SHEET_NAMES.get(name)
        if local is None:
            return
        if local == "c":
            reference = attrs.get("r")
            column = _column_of(reference) if reference else self.column + 1
            if column > MAX_COLUMNS:
                raise too_many_columns(self.row)
            if column < 1:
                raise not_a_workbook()
            self.column = column
            self.kind = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style and style.isdigit() else 0
            self.text = []
            self.length = 0
        elif local == "v":
            self.collect = True
        elif local == "t":
            self.collect = self.inline and not self.phonetic
        elif local == "row":
            number = attrs.get("r")
            row = int(number) if number and number.isdigit() else (0 if number else self.row + 1)
            if row <= self.row:
                # Rows out of order (or numbered 0) are not a sheet Excel wrote.
                raise not_a_workbook()
            if row > self.limits.max_rows:
                raise too_many_rows(self.limits.max_rows)
            self.row = row
            self.column = 0
            self.cells = {}
        elif local == "is":
            self.inline = True
        elif local == "rPh":
            self.phonetic += 1
        elif local == "dimension":
            self._check_dimension(attrs.get("ref", ""))

    def end(self, name: str) -> None:
        local = _SHEET_NAMES.get(name)
        if local is None:
            return
        if local == "c":
            value = self._value()
            if value is not None:
                self.cells[self.column] = value
        elif local in ("v", "t"):
            self.collect = False
        elif local == "row":
            if not self.cells:
                self.empty_run += 1
            else:
                self.empty_run = 0
                width = max(self.cells)
                self.cell_count += width
                if self.cell_count > self.limits.max_cells:
                    raise too_many_cells(self.limits.max_cells)
                cells: list[Any] = [None] * width
                for column, value in self.cells.items():
                    cells[column - 1] = value
                self.rows.append((self.row, cells))
        elif local == "is":
            self.inline = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "sheetData":
            self.finished = True

    def characters(self, data: str) -> None:
        if self.collect:
            self.length += len(data)
            if self.length > MAX_CELL_CHARACTERS:
                raise cell_too_long(self.row)
            self.text.append(data)

    def _check_dimension(self, reference: str) -> None:
        """The sheet's own statement of its size, refused when past a limit before a row
        is read (the rows are counted again as they come: the statement may be false)."""
        first, _sep, last = reference.upper().partition(":")
        last = last or first
        top, bottom = _row_of(first), _row_of(last)
        left, right = _column_of(first), _column_of(last)
        if not (top and bottom and left and right) or bottom < top or right < left:
            return
        if bottom > self.limits.max_rows:
            raise too_many_rows(self.limits.max_rows)
        if right > MAX_COLUMNS:
            raise too_many_columns(top)
        if (bottom - top + 1) * (right - left + 1) > self.limits.max_cells:
            raise too_many_cells(self.limits.max_cells)
        self.declared_last_row = bottom

    def _value(self) -> Any:
        text = "".join(self.text)
        kind = self.kind
        if kind == "s":
            if not text:
                return None
            try:
                index = int(text)
                if index < 0:
                    raise IndexError(index)
                return self.strings[index]
            except (ValueError, IndexError) as exc:
                raise not_a_workbook() from exc
        if kind in ("inlineStr", "str", "e"):
            return text
        if not text:
            return None
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return _day_or_moment(dt.datetime.fromisoformat(text))
            except ValueError:
                return text
        try:
            number = float(text)
        except ValueError as exc:
            raise not_a_workbook() from exc
        if self.style < len(self.date_styles) and self.date_styles[self.style]:
            try:
                moment = from_excel(number, self.epoch)
            except (OverflowError, ValueError):
                return number
            return _day_or_moment(moment) if isinstance(moment, dt.datetime) else moment
        return number


def _day_or_moment(moment: dt.datetime) -> dt.date | dt.datetime:
    return moment.date() if moment.time() == dt.time() else moment


@dataclass
class SheetRows:
    """The rows of a sheet that hold something, as (row number, cells), and the last row
    the sheet declares (0 when it declares none). `empty_after` is set, once the rows are
    read, when the sheet's empty formatted rows were skipped after that row."""

    rows: Iterator[Row]
    declared_last_row: int
    empty_after: int | None = None


def _values_ahead(chunks: Iterator[bytes]) -> bool:
    """Whether the rest of a sheet's rows holds a cell value, searched in the raw bytes
    (no parsing, so no handler runs per element); stops at the end of the rows."""
    carried = b""
    for chunk in chunks:
        text = carried + chunk
        end = _SHEET_DATA_END.search(text)
        # A byte search first: a chunk of empty rows has neither, and it is ten times faster.
        if (b"v" in text or b"is" in text) and _VALUE_ELEMENT.search(
            text, 0, end.start() if end else len(text)
        ):
            return True
        if end:
            return False
        carried = text[-_MARK_OVERLAP:]
    return False


@dataclass
class Workbook:
    """An open workbook: its worksheets, each read from its first row on `read`."""

    sheets: list[SheetInfo]
    _archive: zipfile.ZipFile
    _budget: _Budget
    _strings: SharedStrings
    _date_styles: list[bool]
    _epoch: dt.datetime
    _limits: ReadLimits

    def read(self, sheet: SheetInfo) -> SheetRows:
        """The sheet's rows; refused with ImportFileError past a limit, when it shows."""
        result = SheetRows(rows=iter(()), declared_last_row=0)
        parsed = self._parse(sheet.part)
        sheet_state, parser, chunks = parsed
        # The dimension comes before the rows: read up to it (or the first rows) now, so a
        # sheet that declares itself past a limit is refused on opening.
        for chunk in chunks:
            parser.feed(chunk)
            if sheet_state.declared_last_row or sheet_state.rows or sheet_state.finished:
                break
        pending, sheet_state.rows = sheet_state.rows, []
        result.declared_last_row = sheet_state.declared_last_row

        def rows() -> Iterator[Row]:
            state, feed, rest = sheet_state, parser, chunks
            last = 0
            for row in pending:
                last = row[0]
                yield row
            scanning = True
            while True:
                for chunk in rest:
                    if state.finished:
                        return
                    if scanning and state.empty_run >= EMPTY_ROWS_BEFORE_SCAN:
                        if not _values_ahead(itertools.chain((chunk,), rest)):
                            result.empty_after = last
                            return
                        break
                    feed.feed(chunk)
                    ready, state.rows = state.rows, []
                    for row in ready:
                        if row[0] > last:
                            last = row[0]
                            yield row
                else:
                    if not state.finished:
                        feed.feed(b"", final=True)
                    for row in state.rows:
                        if row[0] > last:
                            yield row
                    return
                # A value after a long run of empty rows: the sheet is read again in full,
                # the rows given already left out.
                scanning = False
                state, feed, rest = self._parse(sheet.part)

        result.rows = rows()
        return result

    def _parse(self, part: str) -> tuple[_Sheet, _Parser, Iterator[bytes]]:
        state = _Sheet(self._strings, self._date_styles, self._epoch, self._limits)
        parser = _Parser(state.start, state.end, state.characters)
        return state, parser, _chunks(self._archive, part, self._budget)


@contextmanager
def open_workbook(path: Path, limits: ReadLimits) -> Iterator[Workbook]:
    """Open a workbook to read its sheets row by row; refused with ImportFileError when it
    is not a workbook or is past a limit (during the reading too)."""
    _check_directory_size(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_a_workbook() from exc
    with archive:
        check_zip(archive, limits)
        budget = _Budget(limits)
        book = _workbook(archive, budget)
        strings = _shared_strings(archive, book.shared_strings, budget, limits)
        date_styles = _date_styles(archive, book.styles, budget)
        yield Workbook(
            sheets=book.sheets,
            _archive=archive,
            _budget=budget,
            _strings=strings,
            _date_styles=date_styles,
            _epoch=book.epoch,
            _limits=limits,
        )
