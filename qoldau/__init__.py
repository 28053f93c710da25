"""Qoldau: an open platform for inclusive social support in Kazakhstan."""

from qoldau.celery import app as celery_app

__all__ = ["celery_app"]
