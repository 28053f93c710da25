"""Where an app plugs an importer into the imports app: its columns, its reasons for
refusing a cell, and the function that checks and writes a file. The imports app's upload,
column-mapping step, dry-run and write jobs and pages then serve that kind of import like
their own, and the imports app never imports the app that registered it (the access app's
objects are registered from its `ready`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise

from qoldau.imports.readers import FIELDS, Field
from qoldau.imports.services import ImportReport
from qoldau.imports.validation import REASONS


@dataclass(frozen=True)
class Importer:
    kind: str
    run: Callable[..., ImportReport]
    # The kind's name for people (a template's sheet and title); the kind itself if none.
    label: str | Promise = ""
    # The template that shows a job's result of this kind; the imports app's own if none.
    result_template: str = ""


_IMPORTERS: dict[str, Importer] = {}


def importer_register(
    *,
    kind: str,
    fields: tuple[Field, ...],
    reasons: Mapping[str, str | Promise],
    run: Callable[..., ImportReport],
    label: str | Promise = "",
    result_template: str = "",
) -> None:
    """Make a kind of import known: its columns (matched in kk, ru and en like the imports
    app's own), its refusal reasons by code, and the function the dry-run and write jobs
    call with `actor`, `params` (the job's), `source`, `dry_run`, `progress` and `job_id`;
    optionally its name for people and the template its jobs' results are shown with.
    Registering the same kind again replaces it (each process registers at start)."""
    FIELDS[kind] = fields
    REASONS.update(reasons)
    _IMPORTERS[kind] = Importer(kind=kind, run=run, label=label, result_template=result_template)


def importer_for(kind: str) -> Importer | None:
    """The importer another app registered for `kind`, if any."""
    return _IMPORTERS.get(kind)
