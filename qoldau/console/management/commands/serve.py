"""`qoldau serve`: Qoldau behind gunicorn on one machine (the embedded mode's server),
with a Celery worker beside it for the background jobs and the periodic tasks."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from qoldau.wsgi import application


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


class Command(BaseCommand):
    help = "Serve Qoldau over HTTP with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("QOLDAU_WORKERS", "2")))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a background-job worker (production runs `qoldau worker` apart).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(f"Qoldau: http://{address}/")
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "qoldau.cli", "worker", "--beat"])
            atexit.register(worker.terminate)
        _Gunicorn(
            {
                "bind": address,
                "workers": options["workers"],
                "threads": 4,
                "accesslog": "-",
                "timeout": 120,
            }
        ).run()
