"""`qoldau serve`: Qoldau behind gunicorn on one machine (the embedded mode's server),
with a Celery worker beside it for the background jobs and the periodic tasks.

gunicorn runs uvicorn workers (`qoldau.asgi_worker`), which serve the pages over HTTP and
the video calls' signalling over WebSockets. The two sockets of one call may land on two
processes: they meet in the channel layer, which is Redis when QOLDAU_CHANNEL_LAYER_URL is
set. Unset, it is one process's memory, so then only one web process is started."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from qoldau.asgi import application


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
    help = "Serve Qoldau over HTTP and WebSockets with gunicorn and uvicorn."

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
        workers = options["workers"]
        if not settings.QOLDAU_CHANNEL_LAYER_URL and workers > 1:
            self.stdout.write(
                f"One web process instead of {workers}: the video calls' channel layer is in memory. "
                "Set QOLDAU_CHANNEL_LAYER_URL (Redis) for more."
            )
            workers = 1
        self.stdout.write(f"Qoldau: http://{address}/ ({workers} web process{'es' if workers > 1 else ''})")
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "qoldau.cli", "worker", "--beat"])
            atexit.register(worker.terminate)
        _Gunicorn(
            {
                "bind": address,
                "workers": workers,
                "worker_class": "qoldau.asgi_worker.Worker",
                "accesslog": "-",
                "timeout": 120,
            }
        ).run()
