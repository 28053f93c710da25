"""Background tasks of the dashboard: exports of the impact report."""

from __future__ import annotations

from celery import shared_task

from qoldau.core.jobs import job_task_body
from qoldau.dashboard.exports import report_export_build


@shared_task(name="dashboard.build_report_export")
def build_report_export(job_id: str) -> None:
    """Build the export a job asks for (see `exports.export_job_start`) and keep the file
    with the job. A redelivered task of a finished job does nothing."""
    job_task_body(job_id, report_export_build)
