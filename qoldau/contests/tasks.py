"""Background tasks of contests and grants: the daily reminder of grantee reports."""

from __future__ import annotations

from celery import shared_task

from qoldau.contests import services


@shared_task(name="contests.remind_grant_report_deadlines")
def remind_grant_report_deadlines() -> int:
    """Remind grantees of their reports falling due (Celery beat runs it daily). Idempotent:
    each report is reminded once, so a repeated or redelivered run sends nothing new.
    Returns how many reminders were sent."""
    return services.remind_report_deadlines()
