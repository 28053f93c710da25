"""Background tasks of employment: the daily reminder of retention follow-ups."""

from __future__ import annotations

from celery import shared_task

from qoldau.jobs import services


@shared_task(name="jobs.remind_follow_ups")
def remind_follow_ups(coach_ids: list[int] | None = None) -> int:
    """Remind job coaches (those given, or every one) of their cases' follow-ups due or
    overdue; Celery beat runs it daily. Idempotent: a repeated or redelivered run on the
    same day sends nothing new. Returns how many coaches were reminded."""
    return services.follow_up_reminders_send(coach_ids=coach_ids)
