"""Reminders of retention follow-ups: each job coach is told, in one message, of the
follow-ups of their cases falling due or overdue (Celery beat runs it daily,
`jobs.tasks.remind_follow_ups`). The message names cases by number only: an e-mail is not
the place for a person's name or health."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core.notifications import notify
from qoldau.jobs import policy
from qoldau.jobs.models import RetentionFollowUp


def _due(today: dt.date) -> Q:
    """Follow-ups to remind of today: unrecorded, of a placement still going on, due within
    the reminder window, and not reminded of yet (or, once overdue, not within the window's
    length of days)."""
    days = dt.timedelta(days=settings.QOLDAU_JOB_FOLLOW_UP_REMINDER_DAYS)
    return Q(
        Q(reminded_on__isnull=True) | Q(due_on__lt=today, reminded_on__lte=today - days),
        outcome="",
        due_on__lte=today + days,
        placement__ended_on__isnull=True,
    )


def follow_up_reminders_send(*, coach_ids: Sequence[int] | None = None, today: dt.date | None = None) -> int:
    """Remind each coach (of those given, or every one) of their cases' follow-ups due
    within `QOLDAU_JOB_FOLLOW_UP_REMINDER_DAYS` or overdue, in one message each, and mark
    them reminded. Idempotent: a second run on the same day finds nothing new; an overdue
    follow-up is reminded of again once the window's length of days has passed. Returns
    how many coaches were reminded."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.QOLDAU_JOB_FOLLOW_UP_REMINDER_DAYS)
    pending = RetentionFollowUp.objects.filter(_due(today))
    if coach_ids is not None:
        pending = pending.filter(placement__case__coach_id__in=list(coach_ids))
    by_coach: dict[int, list[int]] = defaultdict(list)
    for follow_up_id, coach_id in pending.values_list("pk", "placement__case__coach_id"):
        by_coach[coach_id].append(follow_up_id)
    coaches = User.objects.select_related("preference").in_bulk(list(by_coach))
    reminded = 0
    for coach_id, follow_up_ids in sorted(by_coach.items()):
        coach = coaches[coach_id]
        with transaction.atomic(durable=True):
            # Locked and read again: a run beside this one, or a coach recording a
            # follow-up meanwhile, leaves nothing to remind twice. Only the cases the user
            # still coaches (a coach who left the organisation is told of none).
            follow_ups = list(
                RetentionFollowUp.objects.select_for_update()
                .filter(_due(today), pk__in=follow_up_ids, placement__case__in=policy.cases_coached_by(coach))
                .values_list("pk", "due_on", "placement__case_id")
            )
            if not follow_ups:
                continue
            RetentionFollowUp.objects.filter(pk__in=[pk for pk, _due_on, _case in follow_ups]).update(
                reminded_on=today
            )
            overdue = sum(1 for _pk, due_on, _case in follow_ups if due_on < today)
            notify(
                user=coach,
                kind="jobs.follow_ups_due",
                subject=_("Retention follow-ups to record"),
                body=_(
                    "Retention follow-ups of your cases are waiting to be recorded: %(overdue)s overdue "
                    "and %(soon)s due by %(horizon)s, the earliest due on %(earliest)s. Cases: "
                    "%(cases)s. Open your caseload to record them."
                ),
                params={
                    "overdue": overdue,
                    "soon": len(follow_ups) - overdue,
                    "horizon": horizon,
                    "earliest": min(due_on for _pk, due_on, _case in follow_ups),
                    "cases": ", ".join(f"#{case}" for case in sorted({case for _pk, _d, case in follow_ups})),
                },
                object_type="coaching_caseload",
                object_id=coach.pk,
            )
            reminded += 1
    return reminded
