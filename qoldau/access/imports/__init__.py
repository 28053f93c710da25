"""Import of infrastructure objects from .xlsx and .csv files into one region.

The machinery is the imports app's: its readers recognise the columns (`OBJECT_FIELDS`,
registered under `ImportKind.OBJECTS` when the app is ready), its `ErrorList` keeps every
bad cell with its row number, column and reason, and its tasks and job pages run the dry
run and the write with progress. What is particular to objects is here:

- one row is one object: register number, name in kk/ru/en, address, district (KATO code
  or name in any language), kind (code or name in any language), owner (BIN or name),
  latitude and longitude;
- the register number identifies an object within its region, so importing the same
  list again updates the objects it names instead of registering them twice;
- every row is checked before anything is written; one bad row and nothing is written;
- the write is one transaction of batched inserts and updates.

One module per area: `columns` (the file's columns and the reasons a cell is refused),
`rows` (what is read and reported), `checking` (every row checked), `writing` (the
set-based write) and `services` (`import_objects`). Other modules import from the
package: `from qoldau.access.imports import import_objects`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qoldau.access.imports.checking import PROGRESS_EVERY, check_object_rows, kind_lookup
from qoldau.access.imports.columns import OBJECT_FIELDS, OBJECT_REASONS
from qoldau.access.imports.rows import WRITTEN_FIELDS, CheckedObjects, ObjectRow, ObjectsImportReport
from qoldau.access.imports.services import import_objects, objects_import_runs
from qoldau.access.imports.writing import WRITE_BATCH
from qoldau.core.models import Place
from qoldau.core.services import Actor
from qoldau.imports.models import ImportKind
from qoldau.imports.registry import importer_register
from qoldau.imports.services import ImportSource, ProgressReport

__all__ = [
    "OBJECT_FIELDS",
    "OBJECT_REASONS",
    "PROGRESS_EVERY",
    "WRITE_BATCH",
    "WRITTEN_FIELDS",
    "CheckedObjects",
    "ObjectRow",
    "ObjectsImportReport",
    "check_object_rows",
    "import_objects",
    "kind_lookup",
    "objects_import_runs",
    "register",
]


def register() -> None:
    """Make objects known to the imports app: their columns, error reasons and the import
    its jobs run (called once, from the access app's `ready`)."""
    importer_register(
        kind=ImportKind.OBJECTS, fields=OBJECT_FIELDS, reasons=OBJECT_REASONS, run=_run_objects_import
    )


def _run_objects_import(
    *,
    actor: Actor,
    params: Mapping[str, Any],
    source: ImportSource,
    dry_run: bool,
    progress: ProgressReport | None,
    job_id: str | None,
) -> ObjectsImportReport:
    region = Place.objects.get(pk=params["region_id"])
    return import_objects(
        actor=actor, region=region, source=source, dry_run=dry_run, progress=progress, job_id=job_id
    )
