"""Background jobs: progress visible while they run, their result or error after, and
only their own user may follow them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qoldau.core.jobs import WORKER_LOST, job_heartbeat, job_report_progress, job_settle, job_start
from qoldau.core.models import AuditEntry, BackgroundJob
from qoldau.core.tests import factories
from qoldau.core.tests.worker_tasks import HALF_WRITTEN, blocking_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    world = factories.world()
    running = BackgroundJob.objects.create(
        id=uuid.uuid4(), kind="dashboard.export", user=world.almaty_staff, status=BackgroundJob.Status.RUNNING
    )
    return world, running


def test_a_running_job_shows_its_progress_and_asks_again(job):
    world, running = job
    job_report_progress(running.pk, done=400, total=1000)
    client = Client()
    client.force_login(world.almaty_staff)
    client.cookies["qoldau_language"] = "en"
    fragment = client.get(reverse("core:job", args=[running.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "40 %" in fragment
    assert '<progress max="100" value="40"' in fragment
    assert "hx-trigger" in fragment  # it polls itself while running


def test_a_finished_job_stops_asking_and_shows_its_error(job):
    world, running = job
    running.status = BackgroundJob.Status.FAILED
    running.error = "The file has no rows."
    running.save()
    client = Client()
    client.force_login(world.almaty_staff)
    page = client.get(reverse("core:job", args=[running.pk])).content.decode()
    assert "The file has no rows." in page
    assert "hx-trigger" not in page


def test_nobody_else_follows_a_job(job):
    world, running = job
    client = Client()
    client.force_login(world.turkistan_staff)
    assert client.get(reverse("core:job", args=[running.pk])).status_code == 404
    assert client.get(reverse("core:job_download", args=[running.pk])).status_code == 404


# A worker that died under its job ------------------------------------------------------


def started_job(world, tmp_path, capture, *, ago: int) -> BackgroundJob:
    """A job of the blocking test task, claimed by a worker `ago` seconds ago (the worker
    itself is not here: the test that kills a real one is test_killed_worker.py)."""
    with capture(execute=False):
        job = job_start(
            actor=world.almaty_staff,
            kind="tests.blocking",
            task=blocking_job,
            params={"gate": str(tmp_path / "gate")},
            language="en",
        )
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.RUNNING, started_at=timezone.now() - dt.timedelta(seconds=ago)
    )
    job.refresh_from_db()
    return job


def owner_client(world) -> Client:
    client = Client()
    client.force_login(world.almaty_staff)
    client.cookies["qoldau_language"] = "en"
    return client


def test_a_job_whose_worker_died_is_shown_failed_and_runs_again_to_the_end(
    job, settings, tmp_path, django_capture_on_commit_callbacks
):
    world, _running = job
    settings.QOLDAU_JOB_STALE_SECONDS = 60
    lost = started_job(world, tmp_path, django_capture_on_commit_callbacks, ago=61)
    client = owner_client(world)

    page = client.get(reverse("core:job", args=[lost.pk])).content.decode()
    assert "The job did not finish" in page
    assert str(WORKER_LOST) in page
    assert f'action="{reverse("core:job_again", args=[lost.pk])}"' in page
    assert "hx-trigger" not in page  # no longer waiting
    lost.refresh_from_db()
    assert (lost.status, lost.error) == (BackgroundJob.Status.FAILED, str(WORKER_LOST))
    assert AuditEntry.objects.filter(action="job.worker_lost", object_id=str(lost.pk)).count() == 1

    (tmp_path / "gate").touch()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_again", args=[lost.pk]))
    again = BackgroundJob.objects.exclude(pk__in=[lost.pk, _running.pk]).get()
    assert response["Location"] == reverse("core:job", args=[again.pk])
    assert (again.kind, again.status, again.params["gate"]) == (
        "tests.blocking",
        "succeeded",
        lost.params["gate"],
    )
    assert AuditEntry.objects.filter(action=HALF_WRITTEN).count() == 1
    start = AuditEntry.objects.get(action="job.start", object_id=str(again.pk))
    assert start.details["again_of"] == str(lost.pk)
    lost.refresh_from_db()
    assert lost.status == BackgroundJob.Status.FAILED
    assert "Finished" in client.get(reverse("core:job", args=[again.pk])).content.decode()


def test_only_its_own_user_runs_a_failed_job_again(
    job, settings, tmp_path, django_capture_on_commit_callbacks
):
    world, running = job
    settings.QOLDAU_JOB_STALE_SECONDS = 60
    lost = job_settle(started_job(world, tmp_path, django_capture_on_commit_callbacks, ago=61))
    assert lost.status == BackgroundJob.Status.FAILED
    jobs = BackgroundJob.objects.count()

    stranger = Client()
    stranger.force_login(world.turkistan_staff)
    assert stranger.post(reverse("core:job_again", args=[lost.pk])).status_code == 404
    admin = Client()
    admin.force_login(world.sysadmin)
    assert admin.post(reverse("core:job_again", args=[lost.pk])).status_code == 403
    assert (
        reverse("core:job_again", args=[lost.pk])
        not in admin.get(reverse("core:job", args=[lost.pk])).content.decode()
    )
    # A job that has not failed is not run again; the page says why.
    client = owner_client(world)
    refused = client.post(reverse("core:job_again", args=[running.pk]), follow=True)
    assert "Only a job that failed can be run again." in refused.content.decode()
    assert BackgroundJob.objects.count() == jobs


def test_a_long_running_job_that_shows_signs_of_life_is_not_taken_for_dead(
    job, settings, tmp_path, django_capture_on_commit_callbacks
):
    world, _running = job
    settings.QOLDAU_JOB_STALE_SECONDS = 60
    alive = started_job(world, tmp_path, django_capture_on_commit_callbacks, ago=3600)
    client = owner_client(world)
    job_heartbeat(alive.pk)
    assert "hx-trigger" in client.get(reverse("core:job", args=[alive.pk])).content.decode()
    cache.clear()
    job_report_progress(alive.pk, done=5, total=10)
    assert "hx-trigger" in client.get(reverse("core:job", args=[alive.pk])).content.decode()
    alive.refresh_from_db()
    assert alive.status == BackgroundJob.Status.RUNNING


def test_a_redelivered_task_leaves_a_live_run_alone_and_finishes_a_lost_one(
    job, settings, tmp_path, django_capture_on_commit_callbacks
):
    world, _running = job
    settings.QOLDAU_JOB_STALE_SECONDS = 60
    (tmp_path / "gate").touch()
    alive = started_job(world, tmp_path, django_capture_on_commit_callbacks, ago=5)
    blocking_job(str(alive.pk))  # another worker runs it: this delivery does nothing
    alive.refresh_from_db()
    assert alive.status == BackgroundJob.Status.RUNNING
    assert not AuditEntry.objects.filter(action=HALF_WRITTEN).exists()

    lost = started_job(world, tmp_path, django_capture_on_commit_callbacks, ago=61)
    blocking_job(str(lost.pk))
    lost.refresh_from_db()
    assert lost.status == BackgroundJob.Status.SUCCEEDED
    assert AuditEntry.objects.filter(action=HALF_WRITTEN).count() == 1
