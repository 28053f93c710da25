"""The XLSX template of a kind of import, in the active language: a sheet with the columns'
header and one example row, a notes sheet explaining each column, and lists to choose
from where a column has fixed values (services, categories, reasons, kinds of object).

Everything comes from the kind's registered columns (`columns.FIELDS`, which another app
fills through `registry.importer_register`), so a template is always read back by the
importer of its kind: its header is the columns' labels, which the importer recognises in
every language, and its example row is skipped on import (`layout`).

Written with openpyxl in write-only mode (rows streamed to the file); the template is
ours, so openpyxl may write it, while uploaded workbooks are only ever read by `xlsx.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from qoldau.imports.columns import (
    FIELDS,
    HEADER_SEARCH_ROWS,
    Field,
    column_letter,
    example_value,
    required_fields,
    template_fields,
)
from qoldau.imports.models import ImportKind
from qoldau.imports.registry import importer_for

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows of the data sheet the lists to choose from apply to.
LIST_ROWS = 100_000
DATE_FORMAT = "DD.MM.YYYY"
# Characters a sheet's name may not hold, and its longest length (Excel's rules).
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LENGTH = 31

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_EXAMPLE_FONT = Font(italic=True, color="595959")
_WRAP = Alignment(wrap_text=True, vertical="top")


def kind_label(kind: str) -> str:
    """The name of a kind of import in the active language."""
    registered = importer_for(kind)
    if registered is not None and registered.label:
        return str(registered.label)
    try:
        return str(ImportKind(kind).label)
    except ValueError:
        return kind


def _sheet_name(text: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", text).strip()[:_SHEET_NAME_LENGTH] or "Data"


def template_file_name(kind: str, language: str) -> str:
    return f"qoldau-{kind}-{language}.xlsx"


def _shown(value: Any) -> str:
    """An example as the notes sheet shows it."""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def template_workbook(kind: str) -> bytes:
    """The template of `kind` (a kind with registered columns) as an .xlsx file's bytes, in
    the active language."""
    if kind not in FIELDS:
        raise KeyError(kind)
    columns = template_fields(kind)
    required = required_fields(kind)
    book = Workbook(write_only=True)
    data_title = _sheet_name(kind_label(kind))
    data = book.create_sheet(data_title)
    notes = book.create_sheet(_sheet_name(_("Notes")))
    choices = {item.name: list(item.choices()) for item in columns if item.choices is not None}
    choices = {name: values for name, values in choices.items() if values}
    lists = book.create_sheet(_sheet_name(_("Lists"))) if choices else None

    _write_data(data, columns, choices, lists.title if lists is not None else "")
    _write_notes(notes, kind, data_title, columns, required)
    if lists is not None:
        lists.sheet_state = "hidden"
        _write_lists(lists, columns, choices)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_data(
    sheet: Any, columns: Sequence[Field], choices: dict[str, list[str]], lists_title: str
) -> None:
    sheet.freeze_panes = "A2"
    for position, item in enumerate(columns):
        letter = column_letter(position)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(14, min(40, len(str(item.label)) + 4))
        if item.as_text:
            # So that Excel keeps the leading zero of an IIN or a BIN typed in.
            dimension.number_format = "@"
    list_column = 0
    for position, item in enumerate(columns):
        values = choices.get(item.name)
        if not values:
            continue
        list_letter = column_letter(list_column)
        list_column += 1
        validation = DataValidation(
            type="list",
            formula1=f"'{lists_title}'!${list_letter}$1:${list_letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=_("Not in the list"),
            error=_("This value is not in the list; the import may refuse it. Keep it anyway?"),
        )
        letter = column_letter(position)
        validation.add(f"{letter}2:{letter}{LIST_ROWS}")
        sheet.data_validations.append(validation)

    header = []
    for item in columns:
        cell = WriteOnlyCell(sheet, value=str(item.label))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    example = []
    for item in columns:
        value = example_value(item)
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = _EXAMPLE_FONT
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, str):
            cell.number_format = "@"
        example.append(cell)
    sheet.append(example)


def _write_notes(
    sheet: Any, kind: str, data_title: str, columns: Sequence[Field], required: set[str]
) -> None:
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 70
    sheet.column_dimensions["D"].width = 24

    def line(*values: Any, font: Font | None = None, wrap: bool = False) -> None:
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if font is not None:
                cell.font = font
            if wrap:
                cell.alignment = _WRAP
            row.append(cell)
        sheet.append(row)

    line(
        _("How to fill in the template: %(kind)s") % {"kind": kind_label(kind)}, font=Font(bold=True, size=13)
    )
    line()
    for sentence in (
        _(
            "Write one row per record on the sheet “%(sheet)s”, under its header. Row 2 is an "
            "example: write over it or delete it; a row that still holds the example is skipped "
            "on import."
        )
        % {"sheet": data_title},
        _(
            "Keep the column names; the columns may stand in any order, and a title may stand "
            "above them: the header is looked for in the first %(rows)s rows."
        )
        % {"rows": HEADER_SEARCH_ROWS},
        _("Rows whose first cell says Итого, Барлығы or Total are skipped as totals."),
        _("Dates: a date cell, or text such as 06.03.2025, 2025-03-06, 6 марта 2025 or 6 наурыз 2025."),
        _(
            "Where a column offers a list, choose from it; names are read in Kazakh, Russian "
            "and English alike."
        ),
        _("Every row is checked before anything is written: a file with a bad row is not written at all."),
    ):
        line(sentence)
    line()
    line(_("Column"), _("Required"), _("What to write"), _("Example"), font=_HEADER_FONT)
    for item in columns:
        line(
            str(item.label),
            _("required") if item.name in required else _("optional"),
            str(item.help),
            _shown(example_value(item)),
            wrap=True,
        )


def _write_lists(sheet: Any, columns: Sequence[Field], choices: dict[str, list[str]]) -> None:
    """One column per list, in the order of the data sheet's columns that offer one."""
    ordered = [choices[item.name] for item in columns if item.name in choices]
    for index in range(max(len(values) for values in ordered)):
        sheet.append([values[index] if index < len(values) else None for values in ordered])
