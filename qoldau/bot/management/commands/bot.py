"""`qoldau bot`: the Telegram bot, by long polling; one process, or a poller feeding
QOLDAU_BOT_WORKERS worker processes through Redis (see qoldau/bot/workers.py)."""

from __future__ import annotations

import asyncio
import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qoldau.bot.runner import DEFAULT_API_URL, run_bot
from qoldau.bot.workers import run_worker, worker_count


class Command(BaseCommand):
    help = (
        "Run the Telegram bot (long polling). Needs TELEGRAM_BOT_TOKEN; TELEGRAM_API_URL is optional. "
        "QOLDAU_BOT_WORKERS > 1: one poller feeding that many worker processes through Redis."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes (default: QOLDAU_BOT_WORKERS, else 1: one process does everything).",
        )
        parser.add_argument(
            "--worker", type=int, default=None, help="Run worker number N (started by the poller)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise CommandError(
                _("TELEGRAM_BOT_TOKEN is not set: put the token @BotFather gave you in the environment.")
            )
        api_url = os.environ.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
        workers = options["workers"] or worker_count()
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if options["worker"] is not None:
            if not 0 <= options["worker"] < workers or workers < 2:
                raise CommandError("--worker N needs --workers above N and at least 2.")
            asyncio.run(run_worker(token, api_url, options["worker"], workers))
            return
        asyncio.run(run_bot(token, api_url, workers))
