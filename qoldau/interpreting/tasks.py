"""Background tasks of interpreting: the dispatch tick (lapsed offers go to the next
interpreter; sessions left beyond the grace period close) and booking reminders."""

from __future__ import annotations

from celery import shared_task

from qoldau.interpreting import services


@shared_task(name="interpreting.tick")
def tick() -> int:
    """Run every few seconds by Celery beat; idempotent."""
    return services.offers_lapse() + services.sessions_close_abandoned()


@shared_task(name="interpreting.remind_bookings")
def remind_bookings() -> int:
    return services.bookings_remind()
