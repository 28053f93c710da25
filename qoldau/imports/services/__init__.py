"""Imports of people and service deliveries from .xlsx and .csv files.

The page, the Celery task and `qoldau import` all call these two services, so the same
file gives the same answer whichever way it comes in. Each service:

- reads and checks every row first, and reports every bad row with its number, column
  and reason (a dry run stops there and writes nothing);
- writes in ONE transaction: all of the file or, on any bad row, nothing; a process
  killed half-way leaves nothing half-written, since the transaction never commits;
- is idempotent: people are found by the IIN's keyed hash, a consent already active is
  kept, a delivery already recorded (same project, person, service and date) is counted
  "unchanged"; a file already imported into the same place is not written again;
- writes one audit row with the counts (never personal data), and an `ImportRun`.

Rows are written set-based. On PostgreSQL, people, consents and deliveries are copied
straight into their tables (COPY) once the import has looked up what exists; the new
people's fields are encrypted in worker processes meanwhile. Whatever another writer
adds in between makes a COPY fail inside a savepoint, and that part then goes through a
temporary table and INSERT … ON CONFLICT DO NOTHING. Elsewhere, batched INSERT OR IGNORE.
"""

from qoldau.imports.services.common import (
    STAGE_LABELS,
    STAGE_PEOPLE,
    STAGE_READING,
    STAGE_WRITING,
    ImportRejected,
    ImportReport,
    ImportSource,
    ProgressReport,
    file_sha256,
    table_columns,
)
from qoldau.imports.services.deliveries import import_deliveries
from qoldau.imports.services.people import import_people

__all__ = [
    "STAGE_LABELS",
    "STAGE_PEOPLE",
    "STAGE_READING",
    "STAGE_WRITING",
    "ImportRejected",
    "ImportReport",
    "ImportSource",
    "ProgressReport",
    "file_sha256",
    "import_deliveries",
    "import_people",
    "table_columns",
]
