"""How much of a file an import reads at most, and the errors that say a file is past it.

A file is refused as a whole when it holds more rows or cells than the settings allow, or
(an .xlsx) unpacks to more than they allow: the reader stops at the first one over, before
the rows are checked, so nothing is written. The limits bound the memory and the time a
web or worker process spends on one file, whatever the file claims about itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qoldau.core.errors import ValidationFailed
from qoldau.imports.errors import ImportErrorCode

# Excel's own limits: no workbook Excel or LibreOffice writes goes past them.
MAX_COLUMNS = 16_384
MAX_CELL_CHARACTERS = 32_767
# A CSV line longer than this is not a table: a row of 16,384 full cells is far shorter.
MAX_CSV_LINE_CHARACTERS = 1 << 20


class ImportFileError(ValidationFailed):
    """The file as a whole cannot be imported (wrong type, too large, empty, unreadable,
    columns missing). Nothing is read further and nothing is written."""

    code = ImportErrorCode.IMPORT_FILE


@dataclass(frozen=True)
class ReadLimits:
    max_rows: int
    max_cells: int
    max_unpacked_bytes: int
    max_compression_ratio: int

    @classmethod
    def from_settings(cls) -> ReadLimits:
        return cls(
            max_rows=int(settings.QOLDAU_IMPORT_MAX_ROWS),
            max_cells=int(settings.QOLDAU_IMPORT_MAX_CELLS),
            max_unpacked_bytes=int(settings.QOLDAU_IMPORT_MAX_UNPACKED_MB) * 1024 * 1024,
            max_compression_ratio=int(settings.QOLDAU_IMPORT_MAX_COMPRESSION_RATIO),
        )


def too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows; split it into smaller files."),
        field="file",
        code=ImportErrorCode.TOO_MANY_ROWS,
        params={"limit": limit},
    )


def too_many_cells(limit: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(limit)s cells; split it into smaller files, "
            "or delete the empty rows and columns at its end."
        ),
        field="file",
        code=ImportErrorCode.TOO_MANY_CELLS,
        params={"limit": limit},
    )


def too_many_columns(row: int) -> ImportFileError:
    return ImportFileError(
        _("Row %(row)s of the file has more than %(limit)s columns."),
        field="file",
        code=ImportErrorCode.TOO_MANY_COLUMNS,
        params={"row": row, "limit": MAX_COLUMNS},
    )


def cell_too_long(row: int | None) -> ImportFileError:
    if row is None:
        return ImportFileError(
            _("The workbook holds a text longer than %(limit)s characters."),
            field="file",
            code=ImportErrorCode.CELL_TOO_LONG,
            params={"limit": MAX_CELL_CHARACTERS},
        )
    return ImportFileError(
        _("Row %(row)s of the file has a cell longer than %(limit)s characters."),
        field="file",
        code=ImportErrorCode.CELL_TOO_LONG,
        params={"row": row, "limit": MAX_CELL_CHARACTERS},
    )


def unpacks_too_large(limit_mb: int) -> ImportFileError:
    return ImportFileError(
        _("The workbook unpacks to more than %(limit)s MB; split it into smaller files."),
        field="file",
        code=ImportErrorCode.FILE_UNPACKS_TOO_LARGE,
        params={"limit": limit_mb},
    )


def packed_too_tightly(ratio: int) -> ImportFileError:
    return ImportFileError(
        _(
            "A part of the workbook unpacks to more than %(ratio)s times its packed size, which "
            "a spreadsheet never does; save the file again from Excel or LibreOffice."
        ),
        field="file",
        code=ImportErrorCode.FILE_COMPRESSION_RATIO,
        params={"ratio": ratio},
    )


def not_a_workbook() -> ImportFileError:
    return ImportFileError(
        _("The file cannot be read as an Excel workbook (.xlsx)."),
        field="file",
        code=ImportErrorCode.FILE_UNREADABLE,
    )
