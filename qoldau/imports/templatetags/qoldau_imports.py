"""Template filters of the import pages: a bad row's reason and a note on a row skipped,
rendered in the reader's language from the codes and parameters a job keeps."""

from __future__ import annotations

from typing import Any

from django import template

from qoldau.imports.readers import ReadingNote
from qoldau.imports.registry import importer_for
from qoldau.imports.validation import RowError

register = template.Library()


@register.filter
def import_errors(result: dict[str, Any]) -> list[RowError]:
    """The bad rows a job result keeps, ready to show."""
    return [RowError.from_list(item) for item in result.get("errors") or []]


@register.filter
def reading_notes(result: dict[str, Any]) -> list[ReadingNote]:
    """The notes a job result keeps on how its file was read (rows skipped as no data)."""
    return [ReadingNote.from_list(item) for item in result.get("notes") or []]


@register.filter
def import_result_template(kind: object) -> str:
    """The template another app registered to show a job's result of `kind`, or ""."""
    registered = importer_for(str(kind or ""))
    return registered.result_template if registered is not None else ""
