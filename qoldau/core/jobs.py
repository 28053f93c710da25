"""Background jobs: how an import, an export or a large report is started, reports its
progress and hands back its result. The Celery task of each app calls `job_run`.

Progress goes through the cache (shared by web and worker processes), not the database:
an all-or-nothing import keeps its transaction open until its last row, so a progress
row written inside it would stay invisible, and one written beside it would block on
SQLite's single writer.

A worker can die under a job (kill -9, out of memory, a machine lost). The embedded
broker deletes a message as it hands it out and Redis gives it back only after an hour,
so the job would say "running" for ever. While a job runs, a thread of its worker touches
the job's heartbeat in the cache; a running job whose heartbeat is older than
`QOLDAU_JOB_STALE_SECONDS` has lost its worker: `job_settle` marks it failed with the
reason, and its user can run it again (`job_run_again`). Nothing of a killed job is half
kept: imports write all or nothing in one transaction, exports attach their file when they
finish.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from celery import Task
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy
from qoldau.core.audit import audit_record
from qoldau.core.errors import ApplicationError, CoreErrorCode, NotFound, ValidationFailed
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


# The job's parameter that names its Celery task, so that it can be run again.
TASK_PARAM = "task"
WORKER_LOST = _(
    "The worker running this job stopped before the job finished (it was restarted or ran "
    "out of memory), and nothing the job wrote was kept. Run the job again."
)


def _progress_key(job_id: uuid.UUID | str) -> str:
    return f"qoldau:job-progress:{job_id}"


def _heartbeat_key(job_id: uuid.UUID | str) -> str:
    return f"qoldau:job-heartbeat:{job_id}"


def job_start(
    *,
    actor: Actor,
    kind: str,
    task: Task[Any, Any],
    params: dict[str, Any],
    language: str,
    again_of: BackgroundJob | None = None,
) -> BackgroundJob:
    """Create a job and queue its task once the caller's transaction commits, so the
    worker never looks for a job that is not there yet. `again_of`: the failed job this
    one runs again."""
    job = BackgroundJob.objects.create(
        id=uuid.uuid4(),
        kind=kind,
        user=acting_user(actor),
        params={**params, TASK_PARAM: task.name},
        language=language,
    )
    details: dict[str, Any] = {"kind": kind}
    if again_of is not None:
        details["again_of"] = str(again_of.pk)
    audit_record(actor, "job.start", object_type="job", object_id=job.pk, details=details)
    job_id = str(job.pk)
    transaction.on_commit(lambda: task.delay(job_id))
    return job


def job_run_again(*, actor: Actor, job: BackgroundJob) -> BackgroundJob:
    """Start a failed job anew, as a new job with the same parameters, for the user who
    started it (whose scope the job runs in)."""
    policy.check_may_run_job_again(actor, job)
    if job.status != BackgroundJob.Status.FAILED:
        raise ValidationFailed(
            _("Only a job that failed can be run again."), code=CoreErrorCode.JOB_NOT_FAILED
        )
    task = _task_of(job)
    if task is None:
        raise ValidationFailed(
            _("This job cannot be run again from here. Start it again where you started it."),
            code=CoreErrorCode.JOB_NOT_REPEATABLE,
        )
    return job_start(
        actor=actor, kind=job.kind, task=task, params=job.params, language=job.language, again_of=job
    )


def job_may_run_again(user: Actor, job: BackgroundJob) -> bool:
    return (
        policy.may_run_job_again(user, job)
        and job.status == BackgroundJob.Status.FAILED
        and _task_of(job) is not None
    )


def _task_of(job: BackgroundJob) -> Task[Any, Any] | None:
    from qoldau.celery import app

    # A web process registers an app's tasks only once it imports them: discover them all.
    app.loader.import_default_modules()
    name = job.params.get(TASK_PARAM)
    task: Task[Any, Any] | None = app.tasks.get(name) if isinstance(name, str) else None
    return task


def job_heartbeat(job_id: uuid.UUID | str) -> None:
    """The job's worker is alive (see the module's docstring)."""
    cache.set(_heartbeat_key(job_id), time.time(), PROGRESS_TTL_SECONDS)


def job_worker_lost(job: BackgroundJob) -> bool:
    """Has a running job's worker stopped signalling for longer than the setting? Signs of
    life: the job's start, its heartbeat and its last progress report."""
    if job.status != BackgroundJob.Status.RUNNING:
        return False
    signs = [job.started_at.timestamp() if job.started_at else 0.0]
    beat = cache.get(_heartbeat_key(job.pk))
    if beat is not None:
        signs.append(float(beat))
    progress = cache.get(_progress_key(job.pk))
    if progress and len(progress) > 3:
        signs.append(float(progress[3]))
    return time.time() - max(signs) > settings.QOLDAU_JOB_STALE_SECONDS


def job_settle(job: BackgroundJob) -> BackgroundJob:
    """The job as it stands: a running job whose worker was lost is marked failed, with the
    reason in the job's language, so that its page stops waiting and offers to run it
    again. Only that run is marked: a job finished or claimed anew meanwhile is left be."""
    if not job_worker_lost(job):
        return job
    with translation.override(job.language):
        reason = str(WORKER_LOST)
    marked = BackgroundJob.objects.filter(
        pk=job.pk, status=BackgroundJob.Status.RUNNING, started_at=job.started_at
    ).update(status=BackgroundJob.Status.FAILED, error=reason, finished_at=timezone.now())
    if marked:
        logger.warning("Background job %s lost its worker; marked failed", job.pk)
        audit_record(None, "job.worker_lost", object_type="job", object_id=job.pk, details={"kind": job.kind})
    job.refresh_from_db()
    return job


def job_report_progress(job_id: uuid.UUID | str, *, done: int, total: int, stage: str = "") -> None:
    # With the time: progress reported is a sign of life too (see `job_worker_lost`).
    cache.set(_progress_key(job_id), (done, total, stage, time.time()), PROGRESS_TTL_SECONDS)


def job_progress(job: BackgroundJob) -> JobProgress:
    """The last progress a running job reported (zero before its first report)."""
    if job.status == BackgroundJob.Status.SUCCEEDED:
        total = int(job.result.get("total", 1) or 1)
        return JobProgress(done=total, total=total, stage="")
    value = cache.get(_progress_key(job.pk))
    if not value:
        return JobProgress(done=0, total=0, stage="")
    done, total, stage = value[:3]
    return JobProgress(done=int(done), total=int(total), stage=str(stage))


ProgressCallback = Callable[[int, int], None]


@contextmanager
def job_run(job_id: str) -> Iterator[tuple[BackgroundJob, ProgressCallback]]:
    """Run a job's body: marks it running, activates its user's language, gives the body a
    progress callback, and records success (with the result the body stored on the job) or
    failure (with the error's message; domain errors keep their translated text).

    A task redelivered for a finished job, or for one another worker is running (its
    heartbeat is fresh), does nothing; one redelivered for a job whose worker was lost runs
    it again."""
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("There is no such job."))
    if job.finished:
        raise _AlreadyFinished
    if job.status == BackgroundJob.Status.RUNNING and not job_worker_lost(job):
        raise _AlreadyRunning
    started_at = timezone.now()
    # Claimed in one statement: of two deliveries of one job, only one runs it.
    claimed = BackgroundJob.objects.filter(pk=job.pk, status=job.status, started_at=job.started_at).update(
        status=BackgroundJob.Status.RUNNING, started_at=started_at
    )
    if not claimed:
        raise _AlreadyRunning
    job.status = BackgroundJob.Status.RUNNING
    job.started_at = started_at

    def progress(done: int, total: int) -> None:
        job_report_progress(job.pk, done=done, total=total)

    with translation.override(job.language), _Heartbeat(job.pk):
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


class _Heartbeat:
    """Touches a job's heartbeat from a thread of the worker process while the job's body
    runs: the beats stop exactly when the process dies, however long one step of the body
    takes without reporting progress."""

    def __init__(self, job_id: uuid.UUID | str) -> None:
        self.job_id = job_id
        self.stopped = threading.Event()
        # Several beats within the stale time, so one late beat is no death.
        self.interval = max(0.2, settings.QOLDAU_JOB_STALE_SECONDS / 6)
        self.thread = threading.Thread(target=self._beat, name=f"job-heartbeat-{job_id}", daemon=True)

    def _beat(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                job_heartbeat(self.job_id)
            except Exception:  # a cache hiccup must not end the beats
                logger.exception("Heartbeat of job %s not written", self.job_id)

    def __enter__(self) -> _Heartbeat:
        job_heartbeat(self.job_id)
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        self.thread.join()


class _AlreadyFinished(Exception):
    pass


class _AlreadyRunning(Exception):
    pass


def job_task_body(job_id: str, body: Callable[[BackgroundJob, ProgressCallback], None]) -> None:
    """What every job task does: run `body` inside `job_run`, ignoring redeliveries."""
    try:
        with job_run(job_id) as (job, progress):
            body(job, progress)
    except _AlreadyFinished:
        logger.info("Job %s already finished; redelivery ignored", job_id)
    except _AlreadyRunning:
        logger.info("Job %s is running in another worker; redelivery ignored", job_id)


def _finish(job: BackgroundJob, status: str, *, error: str = "") -> None:
    # A run taken for dead that finishes after all (a long stall) still reports the truth.
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
    """A job the user may follow (the rule: `policy.jobs_visible`); not found for others."""
    job = policy.jobs_visible(user).filter(pk=job_id).first()
    policy.check_may_see_job(user, job)
    assert job is not None  # the check refuses None  # noqa: S101
    return job
