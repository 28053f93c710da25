"""Template filters of the import pages: a bad row's reason, rendered in the reader's
language from the code and parameters a job keeps."""

from __future__ import annotations

from typing import Any

from django import template

from qoldau.imports.validation import RowError

register = template.Library()


@register.filter
def import_errors(result: dict[str, Any]) -> list[RowError]:
    """The bad rows a job result keeps, ready to show."""
    return [RowError.from_list(item) for item in result.get("errors") or []]
