"""Background jobs: progress visible while they run, their result or error after, and
only their own user may follow them."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from qoldau.core.jobs import job_report_progress
from qoldau.core.models import BackgroundJob
from qoldau.core.tests import factories

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
