"""Error codes of the imports app: why a file as a whole is refused (`ImportFileError`).
A file with bad rows is refused with core's `import_rejected`, and a file of the wrong
kind with the shared `file_type`; the reasons of single cells are another vocabulary,
`validation.REASONS`, kept in the import's report."""

from qoldau.core.errors import ErrorCodeEnum


class ImportErrorCode(ErrorCodeEnum):
    IMPORT_FILE = "import_file"  # the file cannot be imported (`ImportFileError`'s default)
    FILE_GONE = "file_gone"  # the upload was removed (its import ended, or it waited too long)
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_UNREADABLE = "file_unreadable"  # not an .xlsx workbook, or a row that is not CSV
    FILE_ENCODING = "file_encoding"  # a CSV neither UTF-8 nor Windows-1251
    FILE_BINARY = "file_binary"  # a CSV with a NUL character: not text
    LINE_TOO_LONG = "line_too_long"  # a CSV line too long to be a row of a table
    CELL_TOO_LONG = "cell_too_long"  # a cell longer than Excel allows
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    TOO_MANY_CELLS = "too_many_cells"
    FILE_UNPACKS_TOO_LARGE = "file_unpacks_too_large"  # an .xlsx that unpacks past the limit
    FILE_COMPRESSION_RATIO = "file_compression_ratio"  # an .xlsx part packed tighter than a spreadsheet is
    MISSING_COLUMNS = "missing_columns"  # no column for a required field
    REPEATED_COLUMNS = "repeated_columns"  # two columns for one field
    UNKNOWN_FIELD = "unknown_field"  # a column mapping names a field the import does not have
    # Files that are no table, told by their first bytes whatever their name.
    FILE_PDF = "file_pdf"
    FILE_ENCRYPTED = "file_encrypted"  # a workbook protected by a password
    FILE_OLD_EXCEL = "file_old_excel"  # an Excel 97-2003 workbook (.xls) or another OLE2 document
    HEADER_REPEATED = "header_repeated"  # the header again further down: a second table
    NO_SUCH_SHEET = "no_such_sheet"  # the sheet named is not in the workbook
