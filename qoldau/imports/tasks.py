"""Celery tasks of imports: the dry run and the write of an uploaded file.

Each task takes a job id and runs one service through `job_task_body`, which marks the
job running, reports progress, and keeps the result (or the error) on the job. A task
redelivered after its job finished does nothing; a write redelivered after a crash runs
again, and the service's all-or-nothing transaction makes that safe.
"""

from __future__ import annotations

import shutil
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qoldau.core.audit import audit_context
from qoldau.core.errors import PermissionDenied
from qoldau.core.jobs import ProgressCallback, job_report_progress, job_task_body
from qoldau.core.models import BackgroundJob, Organisation
from qoldau.imports.errors import ImportErrorCode
from qoldau.imports.models import ImportKind
from qoldau.imports.readers import ImportFileError
from qoldau.imports.registry import importer_for
from qoldau.imports.services import (
    ImportRejected,
    ImportReport,
    ImportSource,
    import_deliveries,
    import_people,
)
from qoldau.projects.models import Project

UPLOAD_FOLDER = "imports"


def upload_path(token: str, name: str) -> Path:
    """Where an uploaded file is kept between its dry run and its write."""
    return Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER / token / Path(name).name


def upload_remove(token: str) -> None:
    """An upload holds personal data in clear: it is removed as soon as its import ends
    (written, failed, or its dry run found it cannot be written)."""
    shutil.rmtree(upload_path(token, "-").parent, ignore_errors=True)


def uploads_remove_stale(*, now: float | None = None) -> int:
    """Remove the uploads left longer than QOLDAU_IMPORT_UPLOAD_KEPT_MINUTES (a dry run
    nobody went on to write, a column-mapping step left alone); the number removed."""
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER
    if not folder.exists():
        return 0
    cutoff = (now if now is not None else time.time()) - int(settings.QOLDAU_IMPORT_UPLOAD_KEPT_MINUTES) * 60
    removed = 0
    for upload in folder.iterdir():
        if upload.is_dir() and upload.stat().st_mtime < cutoff:
            shutil.rmtree(upload, ignore_errors=True)
            removed += 1
    return removed


def _run(job: BackgroundJob, *, dry_run: bool) -> ImportReport:
    params: dict[str, Any] = job.params
    mapping = params.get("mapping")
    source = ImportSource(
        path=upload_path(params["upload"], params["file_name"]),
        name=params["file_name"],
        mapping=tuple(mapping) if mapping else None,
        sheet=params.get("sheet") or None,
    )

    def progress(stage: str, done: int, total: int) -> None:
        job_report_progress(job.pk, done=done, total=total, stage=stage)

    if job.user is None:
        raise PermissionDenied(_("The user who started this import no longer exists."))
    if not source.path.exists():
        raise ImportFileError(
            _(
                "The uploaded file is no longer kept: an upload is removed when its import ends, "
                "or %(minutes)s minutes after it was uploaded. Upload it again."
            ),
            code=ImportErrorCode.FILE_GONE,
            params={"minutes": settings.QOLDAU_IMPORT_UPLOAD_KEPT_MINUTES},
        )
    job_id = str(job.pk)
    registered = importer_for(params["kind"])
    if registered is not None:
        # Another app's kind (the access app's objects): its rules, the shared jobs and pages.
        return registered.run(
            actor=job.user, params=params, source=source, dry_run=dry_run, progress=progress, job_id=job_id
        )
    if params["kind"] == ImportKind.DELIVERIES:
        project = Project.objects.select_related("organisation").get(pk=params["project_id"])
        return import_deliveries(
            actor=job.user, project=project, source=source, dry_run=dry_run, progress=progress, job_id=job_id
        )
    organisation = Organisation.objects.get(pk=params["organisation_id"])
    return import_people(
        actor=job.user,
        organisation=organisation,
        source=source,
        dry_run=dry_run,
        progress=progress,
        job_id=job_id,
    )


def _audited_as_started(job: BackgroundJob) -> AbstractContextManager[None]:
    """The audit rows of a job carry the channel and address it was started from."""
    return audit_context(job.params.get("channel", "web"), job.params.get("ip_address"))


def _dry_run(job: BackgroundJob, progress: ProgressCallback) -> None:
    try:
        with _audited_as_started(job):
            report = _run(job, dry_run=True)
    except Exception:
        # A file that cannot be read, or an import refused: it ends here.
        upload_remove(job.params["upload"])
        raise
    job.result = report.as_result()
    if report.errors_total:
        # Rows with errors are never written: the corrected file is uploaded anew.
        upload_remove(job.params["upload"])


def _write(job: BackgroundJob, progress: ProgressCallback) -> None:
    try:
        with _audited_as_started(job):
            report = _run(job, dry_run=False)
    except ImportRejected as exc:
        # The job fails with the rows that made it fail (saved with the job's status).
        job.result = exc.report.as_result()
        raise
    finally:
        # Written or failed, the import has ended: its upload (personal data in clear) goes.
        upload_remove(job.params["upload"])
    job.result = report.as_result()


@shared_task(name="imports.dry_run")
def import_dry_run(job_id: str) -> None:
    """Check an uploaded file and keep the report (every bad row) on the job."""
    job_task_body(job_id, _dry_run)


@shared_task(name="imports.write")
def import_write(job_id: str) -> None:
    """Write an uploaded file, all or nothing, and keep the counts on the job."""
    job_task_body(job_id, _write)


@shared_task(name="imports.remove_stale_uploads")
def import_uploads_remove_stale() -> int:
    """Remove the uploads left past QOLDAU_IMPORT_UPLOAD_KEPT_MINUTES (Celery beat)."""
    return uploads_remove_stale()
