"""`qoldau bot`: the Telegram bot, by long polling."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from qoldau.bot.runner import DEFAULT_API_URL, run_bot


class Command(BaseCommand):
    help = "Run the Telegram bot (long polling). Needs TELEGRAM_BOT_TOKEN; TELEGRAM_API_URL is optional."

    def handle(self, *args: Any, **options: Any) -> None:
        token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise CommandError(
                _("TELEGRAM_BOT_TOKEN is not set: put the token @BotFather gave you in the environment.")
            )
        api_url = os.environ.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
        asyncio.run(run_bot(token, api_url))
