"""Background tasks of social services: referrals left unanswered are escalated, offers
not answered in time lapse, permits about to expire are reminded of. Celery beat runs them;
each is idempotent."""

from __future__ import annotations

from celery import shared_task

from qoldau.services import services
from qoldau.services.services import referrals, wait_lists


@shared_task(name="services.escalate_unanswered_referrals")
def escalate_unanswered_referrals() -> int:
    """Tell providers' administrators, once, of referrals past their answer deadline."""
    return referrals.referrals_escalate()


@shared_task(name="services.lapse_offers")
def lapse_offers() -> int:
    """Set aside the people whose offers were not answered in time; offer the places on."""
    return wait_lists.offers_lapse()


@shared_task(name="services.remind_permit_expiry")
def remind_permit_expiry() -> int:
    """Tell providers' administrators of their permits expiring within
    `QOLDAU_SERVICES_PERMIT_REMINDER_DAYS`; Celery beat runs it daily. Idempotent: each
    permit (and end date) is reminded of once. Returns how many permits were."""
    return services.permit_expiry_reminders_send()
