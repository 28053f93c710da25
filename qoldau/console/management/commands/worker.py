"""`qoldau worker`: a Celery worker for imports, exports and large reports."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qoldau.celery import app


class Command(BaseCommand):
    help = "Run a Celery worker for Qoldau's background jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency", type=int, default=int(os.environ.get("QOLDAU_WORKER_CONCURRENCY", "1"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pool = "solo" if options["concurrency"] == 1 else "prefork"
        app.worker_main(
            ["worker", "--loglevel=WARNING", f"--pool={pool}", f"--concurrency={options['concurrency']}"]
        )
