"""Background tasks of the access app: exports of the progress report."""

from __future__ import annotations

from celery import shared_task

from qoldau.access.exports import progress_export_build
from qoldau.core.jobs import job_task_body


@shared_task(name="access.build_progress_export")
def build_progress_export(job_id: str) -> None:
    """Build the export a job asks for (see `exports.export_job_start`) and keep the file
    with the job. A redelivered task of a finished job does nothing."""
    job_task_body(job_id, progress_export_build)
