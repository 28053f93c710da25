"""Imports of the jobs app from .xlsx and .csv files, through the imports app's machinery
(its readers, column matching in kk, ru and en, error lists, background jobs, templates at
`/imports/<kind>/template.xlsx` and `qoldau import KIND FILE`):

- `vacancies`: an employer's vacancies, one a row (occupation code, titles, duties,
  working conditions, accommodations, hours, pay, places, quota flag, remote work,
  district, opening and closing days), each checked as `services.vacancy_post` checks it;
- `staff_reports`: employers' staff reports, one a row: the employer's BIN, the year (and
  the day, if not the year's end), headcount, jobs in hazardous work, employees with
  disabilities; an employer's staff report their own, an akimat officer their region's.

Every row is checked before anything is written; one bad row and nothing is written; a
row already recorded is counted unchanged, so a file imported twice writes nothing twice.
One module per area: `columns`, `checking`, `services`. Registered from the jobs app's
`ready`, as the access app registers its objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qoldau.core.models import Organisation
from qoldau.core.services import Actor
from qoldau.imports.registry import importer_register
from qoldau.imports.services import ImportSource, ProgressReport
from qoldau.jobs.imports.columns import (
    JOBS_REASONS,
    KIND_LABELS,
    STAFF_REPORT_FIELDS,
    STAFF_REPORTS,
    VACANCIES,
    VACANCY_FIELDS,
)
from qoldau.jobs.imports.services import JobsImportReport, import_staff_reports, import_vacancies

__all__ = [
    "STAFF_REPORTS",
    "VACANCIES",
    "JobsImportReport",
    "import_staff_reports",
    "import_vacancies",
    "register",
]

RESULT_TEMPLATE = "jobs/imports/_result.html"


def register() -> None:
    """Make vacancies and staff reports known to the imports app: their columns, error
    reasons and the imports its jobs run (called once, from the jobs app's `ready`)."""
    importer_register(
        kind=VACANCIES,
        fields=VACANCY_FIELDS,
        reasons=JOBS_REASONS,
        run=_run_vacancies_import,
        label=KIND_LABELS[VACANCIES],
        result_template=RESULT_TEMPLATE,
    )
    importer_register(
        kind=STAFF_REPORTS,
        fields=STAFF_REPORT_FIELDS,
        reasons=JOBS_REASONS,
        run=_run_staff_reports_import,
        label=KIND_LABELS[STAFF_REPORTS],
        result_template=RESULT_TEMPLATE,
    )


def _run_vacancies_import(
    *,
    actor: Actor,
    params: Mapping[str, Any],
    source: ImportSource,
    dry_run: bool,
    progress: ProgressReport | None,
    job_id: str | None,
) -> JobsImportReport:
    employer = Organisation.objects.get(pk=params["employer_id"])
    return import_vacancies(
        actor=actor, employer=employer, source=source, dry_run=dry_run, progress=progress, job_id=job_id
    )


def _run_staff_reports_import(
    *,
    actor: Actor,
    params: Mapping[str, Any],
    source: ImportSource,
    dry_run: bool,
    progress: ProgressReport | None,
    job_id: str | None,
) -> JobsImportReport:
    return import_staff_reports(actor=actor, source=source, dry_run=dry_run, progress=progress, job_id=job_id)
