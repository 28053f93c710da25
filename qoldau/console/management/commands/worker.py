"""`qoldau worker`: a Celery worker for imports, exports and large reports; with `--beat`
it also runs the periodic tasks (`CELERY_BEAT_SCHEDULE`: the grantee report reminders).
Run exactly one worker with `--beat`."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from qoldau.celery import app


class Command(BaseCommand):
    help = "Run a Celery worker for Qoldau's background jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency", type=int, default=int(os.environ.get("QOLDAU_WORKER_CONCURRENCY", "1"))
        )
        parser.add_argument("--beat", action="store_true", help="Also run the periodic tasks' scheduler.")

    def handle(self, *args: Any, **options: Any) -> None:
        pool = "solo" if options["concurrency"] == 1 else "prefork"
        argv = ["worker", "--loglevel=WARNING", f"--pool={pool}", f"--concurrency={options['concurrency']}"]
        if options["beat"]:
            argv += ["--beat", f"--schedule={settings.VAR_DIR / 'celerybeat-schedule'}"]
        app.worker_main(argv)
