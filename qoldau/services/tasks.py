"""Background tasks of social services: referrals left unanswered are escalated, offers
not answered in time lapse. Celery beat runs both; each is idempotent."""

from __future__ import annotations

from celery import shared_task

from qoldau.services.services import referrals, wait_lists


@shared_task(name="services.escalate_unanswered_referrals")
def escalate_unanswered_referrals() -> int:
    """Tell providers' administrators, once, of referrals past their answer deadline."""
    return referrals.referrals_escalate()


@shared_task(name="services.lapse_offers")
def lapse_offers() -> int:
    """Set aside the people whose offers were not answered in time; offer the places on."""
    return wait_lists.offers_lapse()
