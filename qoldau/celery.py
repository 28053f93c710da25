"""The Celery application: imports, exports and large reports run as its tasks.

In the embedded default the broker is a folder under var/ (kombu's filesystem
transport), so `qoldau serve` runs a worker beside the web server without any broker
service; production sets QOLDAU_CELERY_BROKER_URL to Redis. Tests run tasks eagerly.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qoldau.settings")

app = Celery("qoldau")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
