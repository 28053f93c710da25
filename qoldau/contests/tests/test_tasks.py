"""The contests' background task and its daily schedule (tasks run eagerly in tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from qoldau.celery import app
from qoldau.contests.models import GranteeReport
from qoldau.contests.tasks import remind_grant_report_deadlines
from qoldau.contests.tests import factories as f
from qoldau.core.models import Notification

pytestmark = pytest.mark.django_db


def test_the_reminder_task_reminds_each_due_report_once():
    minister = f.ministry()
    award = f.awarded_grant(actor=minister)
    today = timezone.localdate()
    report = f.grantee_report(award, actor=minister, due_on=today + dt.timedelta(days=2))

    assert remind_grant_report_deadlines.delay().get() == 1
    # Run again (a redelivered or doubled beat run): nothing new.
    assert remind_grant_report_deadlines.delay().get() == 0
    assert remind_grant_report_deadlines() == 0

    assert Notification.objects.filter(kind="grant.report_due").count() == 1
    assert GranteeReport.objects.get(pk=report.pk).reminded_on == today


def test_the_reminder_task_with_nothing_due_sends_nothing():
    assert remind_grant_report_deadlines.delay().get() == 0
    assert not Notification.objects.exists()


def test_beat_runs_the_reminder_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["contests.remind_grant_report_deadlines"]
    assert entry["task"] == remind_grant_report_deadlines.name
    assert entry["task"] in app.tasks  # registered with the worker's application
    schedule = entry["schedule"]
    # Once a day: one hour, one minute, every day of the week and month.
    assert len(schedule.hour) == 1
    assert len(schedule.minute) == 1
    assert len(schedule.day_of_week) == 7
    assert len(schedule.day_of_month) == 31
