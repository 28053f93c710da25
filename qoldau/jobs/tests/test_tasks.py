"""The daily reminder of retention follow-ups: each coach is told once of their cases'
follow-ups due or overdue, without a person's name, again a week later while one stays
overdue, and never of a follow-up recorded, of a placement that ended or of a case they
no longer coach (tasks run eagerly in tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from qoldau.celery import app
from qoldau.core.models import Notification, UserPreference
from qoldau.jobs import services
from qoldau.jobs.models import RetentionFollowUp
from qoldau.jobs.tasks import remind_follow_ups
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db

START = dt.date(2025, 4, 1)  # the follow-ups fall due on 1 May, 1 July, 1 October and 1 April


@pytest.fixture
def s():
    return f.scene(buildings=False)


def _placed(s, coach: str = "centre.coach", start: dt.date = START):
    person = f.seeker(s["centre.staff"], s.centre)
    return f.placement(s, f.case(s, person, coach=coach), start=start, actor=coach)


def test_the_task_reminds_each_coach_once_of_what_is_due(s):
    UserPreference.objects.create(user=s["centre.coach"], language="en")
    mine, also_mine = _placed(s), _placed(s)
    theirs = _placed(s, coach="centre.coach2")
    # Recorded follow-ups, and those of a placement that ended, are not reminded of.
    first = also_mine.follow_ups.get(months=1)
    services.follow_up_record(
        actor=s["centre.coach"],
        follow_up=first,
        project=s.project,
        recorded_on=first.due_on,
        outcome="employed",
    )
    ended = _placed(s)
    services.placement_end(
        actor=s["centre.coach"], placement=ended, ended_on=dt.date(2025, 4, 20), reason="resigned"
    )

    assert remind_follow_ups.delay().get() == 2
    # Run again (a redelivered or doubled beat run): nothing new.
    assert remind_follow_ups.delay().get() == 0
    assert remind_follow_ups() == 0

    notes = {n.user.username: n for n in Notification.objects.filter(kind="jobs.follow_ups_due")}
    assert set(notes) == {"centre.coach", "centre.coach2"}
    note = notes["centre.coach"]
    today = timezone.localdate()
    assert (note.language, note.subject) == ("en", "Retention follow-ups to record")
    horizon = today + dt.timedelta(days=settings.QOLDAU_JOB_FOLLOW_UP_REMINDER_DAYS)
    assert note.body == (
        "Retention follow-ups of your cases are waiting to be recorded: 7 overdue and 0 due by "
        f"{horizon.isoformat()}, the earliest due on 2025-05-01. Cases: #{mine.case_id}, "
        f"#{also_mine.case_id}. Open your caseload to record them."
    )
    # No name: the cases by number only.
    assert mine.seeker.person.last_name not in note.body
    assert notes["centre.coach2"].language == "kk"
    assert f"#{theirs.case_id}" in notes["centre.coach2"].body
    reminded = RetentionFollowUp.objects.exclude(reminded_on=None)
    assert reminded.count() == 4 + 3 + 4
    assert not ended.follow_ups.exclude(reminded_on=None).exists()


def test_the_task_reminds_only_the_coaches_given(s):
    _placed(s)
    _placed(s, coach="centre.coach2")
    assert remind_follow_ups.delay([s["centre.coach2"].pk]).get() == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["centre.coach2"]
    assert remind_follow_ups.delay().get() == 1  # the other coach, now
    assert remind_follow_ups.delay([]).get() == 0


def test_a_follow_up_is_reminded_of_before_it_is_due_and_weekly_while_overdue(s):
    first = _placed(s).follow_ups.get(months=1)  # due on 1 May 2025
    remind = services.follow_up_reminders_send
    reminded = [
        day.isoformat()
        for day in (dt.date(2025, 4, 20) + dt.timedelta(days=n) for n in range(25))
        if remind(today=day)
    ]
    # A week before it is due, then every week while it stays overdue.
    assert reminded == ["2025-04-24", "2025-05-02", "2025-05-09"]
    first.refresh_from_db()
    assert first.reminded_on == dt.date(2025, 5, 9)
    services.follow_up_record(
        actor=s["centre.coach"],
        follow_up=first,
        project=s.project,
        recorded_on=first.due_on,
        outcome="employed",
    )
    assert remind(today=dt.date(2025, 5, 20)) == 0  # recorded: nothing more
    assert remind(today=dt.date(2025, 6, 24)) == 1  # the three-month follow-up, due on 1 July


def test_a_coach_who_no_longer_coaches_the_case_is_not_told_of_it(s):
    placement = _placed(s)
    services.case_reassign(actor=s["centre.admin"], case=placement.case, coach=s["centre.coach2"])
    assert remind_follow_ups.delay([s["centre.coach"].pk]).get() == 0
    assert remind_follow_ups.delay().get() == 1
    assert Notification.objects.get().user == s["centre.coach2"]


def test_beat_runs_the_reminder_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["jobs.remind_follow_ups"]
    assert entry["task"] == remind_follow_ups.name
    assert entry["task"] in app.tasks  # registered with the worker's application
    schedule = entry["schedule"]
    assert len(schedule.hour) == 1
    assert len(schedule.minute) == 1
    assert len(schedule.day_of_week) == 7
    assert len(schedule.day_of_month) == 31
