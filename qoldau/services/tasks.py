"""Background tasks of social services: the daily reminder of permits about to expire."""

from __future__ import annotations

from celery import shared_task

from qoldau.services import services


@shared_task(name="services.remind_permit_expiry")
def remind_permit_expiry() -> int:
    """Tell providers' administrators of their permits expiring within
    `QOLDAU_SERVICES_PERMIT_REMINDER_DAYS`; Celery beat runs it daily. Idempotent: each
    permit (and end date) is reminded of once. Returns how many permits were."""
    return services.permit_expiry_reminders_send()
