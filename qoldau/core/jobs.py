"""Background jobs: how an import, an export or a large report is started, reports its
progress and hands back its result. The Celery task of each app calls `job_run`.

Progress goes through the cache (shared by web and worker processes), not the database:
an all-or-nothing import keeps its transaction open until its last row, so a progress
row written inside it would stay invisible, and one written beside it would block on
SQLite's single writer.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from celery import Task
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import user_scope
from qoldau.core.audit import audit_record
from qoldau.core.errors import ApplicationError, NotFound
from qoldau.core.models import BackgroundJob
from qoldau.core.services import Actor, acting_user

logger = logging.getLogger(__name__)

PROGRESS_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class JobProgress:
    done: int
    total: int
    stage: str

    @property
    def percent(self) -> int:
        if self.total <= 0:
            return 0
        return min(100, round(100 * self.done / self.total))


def _progress_key(job_id: uuid.UUID | str) -> str:
    return f"qoldau:job-progress:{job_id}"


def job_start(
    *, actor: Actor, kind: str, task: Task[Any, Any], params: dict[str, Any], language: str
) -> BackgroundJob:
    """Create a job and queue its task once the caller's transaction commits, so the
    worker never looks for a job that is not there yet."""
    job = BackgroundJob.objects.create(
        id=uuid.uuid4(), kind=kind, user=acting_user(actor), params=params, language=language
    )
    audit_record(actor, "job.start", object_type="job", object_id=job.pk, details={"kind": kind})
    job_id = str(job.pk)
    transaction.on_commit(lambda: task.delay(job_id))
    return job


def job_report_progress(job_id: uuid.UUID | str, *, done: int, total: int, stage: str = "") -> None:
    cache.set(_progress_key(job_id), (done, total, stage), PROGRESS_TTL_SECONDS)


def job_progress(job: BackgroundJob) -> JobProgress:
    """The last progress a running job reported (zero before its first report)."""
    if job.status == BackgroundJob.Status.SUCCEEDED:
        total = int(job.result.get("total", 1) or 1)
        return JobProgress(done=total, total=total, stage="")
    value = cache.get(_progress_key(job.pk))
    if not value:
        return JobProgress(done=0, total=0, stage="")
    done, total, stage = value
    return JobProgress(done=int(done), total=int(total), stage=str(stage))


ProgressCallback = Callable[[int, int], None]


@contextmanager
def job_run(job_id: str) -> Iterator[tuple[BackgroundJob, ProgressCallback]]:
    """Run a job's body: marks it running, activates its user's language, gives the body a
    progress callback, and records success (with the result the body stored on the job) or
    failure (with the error's message; domain errors keep their translated text).

    Re-running a finished job does nothing: a task redelivered after a worker crash is
    harmless."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("There is no such job."))
    if job.finished:
        raise _AlreadyFinished
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.RUNNING, started_at=timezone.now()
    )
    job.status = BackgroundJob.Status.RUNNING

    def progress(done: int, total: int) -> None:
        job_report_progress(job.pk, done=done, total=total)

    with translation.override(job.language):
        try:
            yield job, progress
        except ApplicationError as exc:
            _finish(job, BackgroundJob.Status.FAILED, error=exc.render())
        except Exception as exc:
            logger.exception("Background job %s failed", job.pk)
            _finish(job, BackgroundJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
            raise
        else:
            _finish(job, BackgroundJob.Status.SUCCEEDED)


class _AlreadyFinished(Exception):
    pass


def job_task_body(job_id: str, body: Callable[[BackgroundJob, ProgressCallback], None]) -> None:
    """What every job task does: run `body` inside `job_run`, ignoring redeliveries."""
    try:
        with job_run(job_id) as (job, progress):
            body(job, progress)
    except _AlreadyFinished:
        logger.info("Job %s already finished; redelivery ignored", job_id)


def _finish(job: BackgroundJob, status: str, *, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "result", "result_file"])


def job_attach_file(job: BackgroundJob, *, name: str, content: bytes) -> None:
    """Keep a job's output file (an export) with the job; saved when the job finishes.

    A task redelivered after a crash finds the first attempt's file in storage: it is
    replaced, or storage would keep both and hand out a name with a random suffix."""
    stored_name = job.result_file.field.generate_filename(job, f"{job.pk}/{name}")
    if job.result_file.storage.exists(stored_name):
        job.result_file.storage.delete(stored_name)
    job.result_file.save(f"{job.pk}/{name}", ContentFile(content), save=False)


def job_get_for_user(user: Actor, job_id: uuid.UUID) -> BackgroundJob:
    """A job its own user (or a system administrator) may follow; not found for others."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or not (job.user_id == user.pk or user_scope(user).system_admin):
        raise NotFound(_("There is no such job, or it is not yours."))
    return job
