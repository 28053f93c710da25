"""A job for the tests of background jobs: inside one transaction it writes a row, then waits
until the test opens its gate (a file appears), so that a test can kill its worker while it
runs. A real worker imports this module with `celery worker -I qoldau.core.tests.worker_tasks`."""

from __future__ import annotations

import time
from pathlib import Path

from celery import shared_task
from django.db import transaction

from qoldau.core.audit import audit_record
from qoldau.core.jobs import ProgressCallback, job_task_body
from qoldau.core.models import BackgroundJob

HALF_WRITTEN = "tests.job_row"


def _write_then_wait(job: BackgroundJob, progress: ProgressCallback) -> None:
    gate = Path(job.params["gate"])
    with transaction.atomic():
        audit_record(None, HALF_WRITTEN, object_type="job", object_id=job.pk)
        progress(1, 2)
        while not gate.exists():
            time.sleep(0.05)
    progress(2, 2)
    job.result = {"total": 2}


@shared_task(name="tests.blocking_job")
def blocking_job(job_id: str) -> None:
    job_task_body(job_id, _write_then_wait)
