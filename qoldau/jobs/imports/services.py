"""The imports of vacancies and of staff reports: each checks its whole file first and
writes it all or nothing, through the same services the pages use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from qoldau.core.audit import audit_record
from qoldau.core.models import Organisation
from qoldau.core.services import Actor
from qoldau.imports.readers import open_table
from qoldau.imports.services import (
    STAGE_READING,
    STAGE_WRITING,
    ImportRejected,
    ImportReport,
    ImportSource,
    ProgressReport,
    file_sha256,
    table_columns,
)
from qoldau.jobs import policy, services
from qoldau.jobs.imports.checking import check_staff_report_rows, check_vacancy_rows
from qoldau.jobs.imports.columns import STAFF_REPORTS, VACANCIES


@dataclass
class JobsImportReport(ImportReport):
    """What an import of vacancies or staff reports found or did: the records it writes
    (or wrote), beside the base's rows, errors and those unchanged."""

    written: int = 0
    employer_id: int | None = None

    def as_result(self) -> dict[str, Any]:
        return {**super().as_result(), "written": self.written, "employer_id": self.employer_id}


def _stage(progress: ProgressReport | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def import_vacancies(
    *,
    actor: Actor,
    employer: Organisation,
    source: ImportSource,
    dry_run: bool = False,
    progress: ProgressReport | None = None,
    job_id: str | None = None,
) -> JobsImportReport:
    """Import a file of an employer's vacancies, all or nothing.

    Every row is checked as `vacancy_post` checks a vacancy before anything is written,
    each bad cell reported with its row, column and reason; a dry run writes nothing; a
    write with a bad row raises ImportRejected and writes nothing; otherwise every new
    vacancy is posted (open) in one transaction, and a row the same as a vacancy the
    employer has is left unchanged. Refused unless the actor is the employer's staff."""
    policy.check_may_post_vacancies_for(actor, employer)
    report = JobsImportReport(
        kind=VACANCIES,
        dry_run=dry_run,
        file_name=source.name,
        file_sha256=file_sha256(source.path),
        employer_id=employer.pk,
    )
    with open_table(source.path, source.name, kind=VACANCIES, sheet=source.sheet) as table:
        columns = table_columns(VACANCIES, table, source.mapping, report)
        checked = check_vacancy_rows(
            table, columns, employer=employer, progress=_stage(progress, STAGE_READING)
        )
    report.total = checked.total
    report.unchanged = checked.unchanged
    report.written = len(checked.rows)
    report._take_errors(checked.errors)
    if dry_run:
        return report
    if report.errors_total:
        raise ImportRejected(report)
    write = _stage(progress, STAGE_WRITING)
    with transaction.atomic(durable=True):
        for done, row in enumerate(checked.rows, 1):
            services.vacancy_post_in_transaction(actor=actor, employer=employer, data=row.data)
            if write is not None:
                write(done, len(checked.rows))
        audit_record(
            actor,
            "jobs.vacancies_import",
            object_type="organisation",
            object_id=employer.pk,
            organisation_id=employer.pk,
            details={
                "rows": report.total,
                "written": report.written,
                "unchanged": report.unchanged,
                "file_sha256": report.file_sha256,
                "job_id": job_id,
            },
        )
    return report


def import_staff_reports(
    *,
    actor: Actor,
    source: ImportSource,
    dry_run: bool = False,
    progress: ProgressReport | None = None,
    job_id: str | None = None,
) -> JobsImportReport:
    """Import a file of staff reports, one row per employer (by BIN) and year, all or
    nothing.

    The employers are those whose staff the actor reports (its own for an employer's
    staff, its region's for an akimat officer): any other BIN is refused as one not
    registered. Every row is checked as `staff_report_record` checks a report before
    anything is written; a dry run writes nothing; a write with a bad row raises
    ImportRejected and writes nothing; otherwise every new report is recorded in one
    transaction, and a row the same as a report already recorded is left unchanged."""
    policy.check_may_report_some_staff(actor)
    report = JobsImportReport(
        kind=STAFF_REPORTS, dry_run=dry_run, file_name=source.name, file_sha256=file_sha256(source.path)
    )
    employers = {
        number: pk
        for number, pk in policy.employers_reportable_by(actor).exclude(bin="").values_list("bin", "pk")
        if number
    }
    with open_table(source.path, source.name, kind=STAFF_REPORTS, sheet=source.sheet) as table:
        columns = table_columns(STAFF_REPORTS, table, source.mapping, report)
        checked = check_staff_report_rows(
            table, columns, employers=employers, progress=_stage(progress, STAGE_READING)
        )
    report.total = checked.total
    report.unchanged = checked.unchanged
    report.written = len(checked.rows)
    report._take_errors(checked.errors)
    if dry_run:
        return report
    if report.errors_total:
        raise ImportRejected(report)
    write = _stage(progress, STAGE_WRITING)
    by_id = Organisation.objects.in_bulk({row.employer_id for row in checked.rows})
    with transaction.atomic(durable=True):
        for done, row in enumerate(checked.rows, 1):
            services.staff_report_record_in_transaction(
                actor=actor,
                employer=by_id[row.employer_id],
                as_of=row.as_of,
                headcount=row.headcount,
                hazardous_jobs=row.hazardous_jobs,
                employees_with_disabilities=row.employees_with_disabilities,
            )
            if write is not None:
                write(done, len(checked.rows))
        audit_record(
            actor,
            "jobs.staff_reports_import",
            object_type="staff_report",
            details={
                "rows": report.total,
                "written": report.written,
                "unchanged": report.unchanged,
                "employers": len(by_id),
                "file_sha256": report.file_sha256,
                "job_id": job_id,
            },
        )
    return report
