"""Where the table is in a sheet, as an accountant lays it out: a title above the header
(merged across the columns, so one value in its first cell), blank rows, a header of two
rows, a row numbering the columns, totals rows ("Итого", "Барлығы", "Total") among or
below the data, and a template's example row.

`find_header` takes the first row, among the first `HEADER_SEARCH_ROWS` that hold
something, which names every required column of the import; `data_rows` then hands out
the rows under it, skipping what is not data with a `ReadingNote` each (shown in the dry
run, never an error), and refuses a sheet that repeats its header further down (a second
table), naming the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.imports.columns import (
    FIELDS,
    HEADER_SEARCH_ROWS,
    alias_table,
    column_letter,
    example_value,
    normalise_header,
)
from qoldau.imports.errors import ImportErrorCode
from qoldau.imports.limits import ImportFileError
from qoldau.imports.values import cell_text

Row = tuple[int, Sequence[Any]]

NOTES: dict[str, str | Promise] = {
    "header_two_rows": _("The column names were read from rows %(first)s and %(row)s together."),
    "second_header_row": _("Row %(row)s names the columns again (a second line of the header): skipped."),
    "column_numbers": _("Row %(row)s numbers the columns (1, 2, 3, …): skipped."),
    "totals_row": _("Row %(row)s is a totals row (“%(text)s”): skipped."),
    "example_row": _("Row %(row)s is the template's example: skipped."),
    "empty_rows": _(
        "The sheet holds nothing after row %(row)s; its empty formatted rows below were skipped."
    ),
    "sheet_read": _("The workbook has %(count)s sheets; the sheet “%(sheet)s” was read."),
}
# Kept per file; more are counted.
MAX_NOTES = 50


@dataclass(frozen=True)
class ReadingNote:
    """A row the reader skipped, or a choice it made, that the person should know of."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        message = NOTES.get(self.code)
        return str(message) % self.params if message is not None else self.code

    def as_list(self) -> list[Any]:
        return [self.code, self.params]

    @classmethod
    def from_list(cls, data: Sequence[Any]) -> ReadingNote:
        return cls(code=str(data[0]), params=dict(data[1] or {}))


class ReadingNotes:
    """The notes of one file as it is read: the first MAX_NOTES kept, the rest counted."""

    def __init__(self) -> None:
        self.kept: list[ReadingNote] = []
        self.more = 0

    def add(self, code: str, **params: Any) -> None:
        if len(self.kept) < MAX_NOTES:
            self.kept.append(ReadingNote(code, params))
        else:
            self.more += 1

    def __iter__(self) -> Iterator[ReadingNote]:
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept) + self.more


# The header -----------------------------------------------------------------------------


class _Recogniser:
    """Which rows name the required columns of an import (any of `kinds`)."""

    def __init__(self, kinds: Sequence[str]) -> None:
        self.tables = {kind: alias_table(kind) for kind in kinds}
        self.required = {kind: {f.name for f in FIELDS[kind] if f.required} for kind in kinds}

    def fields(self, kind: str, texts: Sequence[str]) -> set[str]:
        table = self.tables[kind]
        return {name for text in texts if (name := table.get(normalise_header(text)))}

    def kind_named(self, texts: Sequence[str]) -> str | None:
        """The first kind whose every required column `texts` name."""
        for kind, required in self.required.items():
            if required and required <= self.fields(kind, texts):
                return kind
        return None

    def most_fields(self, texts: Sequence[str]) -> int:
        return max((len(self.fields(kind, texts)) for kind in self.tables), default=0)


@dataclass
class Header:
    """The header found: its texts, its row, the import whose columns it names (None when
    it names none of them and was taken for the person to say what each column holds),
    and the rows under it."""

    texts: list[str]
    row: int
    kind: str | None
    rows: Iterator[Row]
    cells: Sequence[Any] = ()
    # How many columns it names, and how many cells it fills: which of the sheets none of
    # whose headers names an import's columns is the likeliest table.
    named: int = 0
    width: int = 0

    def raw_anchor(self, position: int) -> list[object]:
        """The header's text at `position` as the file holds it (untrimmed), if any."""
        value = self.cells[position] if position < len(self.cells) else None
        return [value] if isinstance(value, str) and value.strip() else []


def _texts(cells: Sequence[Any]) -> list[str]:
    return [cell_text(c) for c in cells]


def _filled(texts: Sequence[str]) -> int:
    return sum(1 for t in texts if t)


def _combined(upper: Sequence[str], lower: Sequence[str]) -> list[str]:
    """A header of two rows as one: the lower row's names, and the upper row's where the
    lower is blank (a cell merged down over both rows keeps its value in the upper one)."""
    width = max(len(upper), len(lower))
    return [
        (lower[i] if i < len(lower) else "") or (upper[i] if i < len(upper) else "") for i in range(width)
    ]


def _numbers_columns(cells: Sequence[Any]) -> bool:
    """A row that numbers the columns: 1, 2, 3, … in its filled cells, in order."""
    texts = [t for t in _texts(cells) if t]
    return len(texts) >= 3 and texts == [str(n) for n in range(1, len(texts) + 1)]


def find_header(rows: Iterator[Row], kinds: Sequence[str], notes: ReadingNotes) -> Header | None:
    """The header among the first HEADER_SEARCH_ROWS rows that hold something: the first
    that names every required column of an import of `kinds` (alone, or with the row just
    above it when the two make a header of two rows); else the row naming most columns
    (two at least); else the first row at least half as wide as the widest (a title
    above it has one cell). The rows right under it that name the columns again or number
    them are skipped. None when the sheet holds nothing."""
    window: list[tuple[int, Sequence[Any], list[str]]] = []
    for number, cells in rows:
        texts = _texts(cells)
        if not any(texts):
            continue
        window.append((number, cells, texts))
        if len(window) == HEADER_SEARCH_ROWS:
            break
    if not window:
        return None
    recognise = _Recogniser(kinds)
    chosen: tuple[int, list[str], str | None] | None = None
    for index, (number, _cells, texts) in enumerate(window):
        kind = recognise.kind_named(texts)
        if kind is not None:
            chosen = (index, texts, kind)
            break
        if index and window[index - 1][0] == number - 1:
            above = window[index - 1]
            both = _combined(above[2], texts)
            kind = recognise.kind_named(both)
            if kind is not None:
                notes.add("header_two_rows", first=above[0], row=number)
                chosen = (index, both, kind)
                break
    if chosen is None:
        counts = [recognise.most_fields(texts) for _n, _c, texts in window]
        if max(counts) >= 2:
            best = counts.index(max(counts))
        else:
            widest = max(_filled(texts) for _n, _c, texts in window)
            best = next(i for i, (_n, _c, texts) in enumerate(window) if 2 * _filled(texts) >= widest)
        chosen = (best, window[best][2], None)
    index, texts, kind = chosen
    after = index + 1
    # A second line of the header (the names in another language) and a row numbering the
    # columns come right under the header in official forms.
    while after < len(window) and after <= index + 2:
        number, cells, row_texts = window[after]
        if kind is not None and recognise.kind_named(row_texts) == kind:
            notes.add("second_header_row", row=number)
        elif _numbers_columns(cells):
            notes.add("column_numbers", row=number)
        else:
            break
        after += 1

    def rest() -> Iterator[Row]:
        for number, cells, _texts in window[after:]:
            yield number, cells
        yield from rows

    return Header(
        texts=texts,
        row=window[index][0],
        kind=kind,
        rows=rest(),
        cells=window[index][1],
        named=recognise.most_fields(texts),
        width=_filled(texts),
    )


# The rows under it ----------------------------------------------------------------------

# The first word of a totals row, in Russian, Kazakh and English.
TOTAL_WORDS = frozenset(
    {"итого", "итоги", "всего", "барлығы", "барлыгы", "жиыны", "жиынтығы", "total", "totals", "subtotal"}
)
# What a totals row's first cell may begin with: the words' first letters in either case,
# and a space before them.
_TOTAL_STARTS = frozenset(
    {word[0] for word in TOTAL_WORDS} | {word[0].upper() for word in TOTAL_WORDS} | {" ", "\t", "\xa0"}
)
_FIRST_WORD = re.compile(r"\W*([^\W\d_]+)")


def _totals_text(cells: Sequence[Any]) -> str | None:
    """The first filled cell of a totals row ("Итого", "Барлығы:", "Total for March"),
    or None for any other row."""
    for cell in cells:
        if cell is None or cell == "":
            continue
        if cell.__class__ is not str or cell[:1] not in _TOTAL_STARTS:
            return None
        if not cell.strip():
            continue
        match = _FIRST_WORD.match(cell)
        if match and match[1].casefold() in TOTAL_WORDS:
            return str(cell).strip()
        return None
    return None


@dataclass(frozen=True)
class _Repeat:
    """How a repeat of the header is told cheaply: the header's text in one column (as
    the file holds it, and trimmed), then its names in every column."""

    position: int
    texts: frozenset[object]
    keys: tuple[str, ...]


def data_rows(header: Header, notes: ReadingNotes) -> Iterator[Row]:
    """The rows under the header that hold data: totals rows and a template's example row
    are skipped with a note; a row repeating the header is refused with ImportFileError
    naming it. Every check is a comparison or two for an ordinary row (files have
    millions)."""
    texts = header.texts
    keys = tuple(normalise_header(t) for t in texts)
    marks = _example_marker(header)
    example_at, example = marks[0] if marks else (-1, None)
    anchor = next((i for i, t in enumerate(texts) if t), 0)
    if header.kind is not None:
        table = alias_table(header.kind)
        required = {f.name for f in FIELDS[header.kind] if f.required}
        anchor = next((i for i, key in enumerate(keys) if table.get(key) in required), anchor)
    anchor_text = texts[anchor] if anchor < len(texts) else ""
    anchors = frozenset({anchor_text, *header.raw_anchor(anchor)} - {""})
    repeat = _Repeat(anchor, anchors, keys)
    position = repeat.position
    for number, cells in header.rows:
        if len(cells) > position and cells[position] in repeat.texts and _repeats(cells, repeat):
            raise ImportFileError(
                _(
                    "Row %(row)s repeats the header of row %(header_row)s (column %(column)s, "
                    "“%(text)s”): the sheet holds a second table. Keep one table per file: "
                    "delete the repeated header, or move that table to a file of its own."
                ),
                field="file",
                code=ImportErrorCode.HEADER_REPEATED,
                params={
                    "row": number,
                    "header_row": header.row,
                    "column": column_letter(position),
                    "text": anchor_text[:100],
                },
            )
        if len(cells) > example_at >= 0 and cells[example_at] == example and _is_example(cells, marks):
            notes.add("example_row", row=number)
            continue
        total = _totals_text(cells)
        if total is not None:
            notes.add("totals_row", row=number, text=total[:40])
            continue
        yield number, cells


def _repeats(cells: Sequence[Any], repeat: _Repeat) -> bool:
    """Whether a row whose anchor cell reads as the header's is the header again: at least
    half of the header's names in their columns."""
    named = [i for i, key in enumerate(repeat.keys) if key]
    same = sum(1 for i in named if i < len(cells) and normalise_header(cell_text(cells[i])) == repeat.keys[i])
    return 2 * same >= len(named)


def _example_marker(header: Header) -> tuple[tuple[int, object], ...]:
    """How a template's example row is told apart: the example of the import's first
    required field (the IIN) in its column first, then the examples written as plain text
    (the names) in theirs; a row holding all of them is the example, so a real person who
    shares the example's IIN is still imported. Empty when the header has no such column."""
    if header.kind is None:
        return ()
    fields = FIELDS[header.kind]
    first = next((item for item in fields if item.required), None)
    first_value = example_value(first) if first is not None else None
    if first is None or not isinstance(first_value, str) or not first_value:
        return ()
    table = alias_table(header.kind)
    at: dict[str | None, int] = {}
    for position, text in enumerate(header.texts):
        at.setdefault(table.get(normalise_header(text)), position)
    if first.name not in at:
        return ()
    marks: list[tuple[int, object]] = [(at[first.name], first_value)]
    marks += [
        (at[item.name], item.example)
        for item in fields
        if item is not first and isinstance(item.example, str) and item.example and item.name in at
    ]
    return tuple(marks)


def _is_example(cells: Sequence[Any], marks: tuple[tuple[int, object], ...]) -> bool:
    return all(position < len(cells) and cell_text(cells[position]) == value for position, value in marks)
