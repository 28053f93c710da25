"""Background tasks of projects: keeping the reach cells fresh."""

from __future__ import annotations

from celery import shared_task

from qoldau.projects.services import reach_refresh


@shared_task(name="projects.refresh_reach")
def refresh_reach() -> None:
    """Recompute the stale reach cells (idempotent: with nothing stale it does nothing)."""
    reach_refresh()
