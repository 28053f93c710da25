"""Long polling with the consultants' replies delivered alongside."""

from __future__ import annotations

import asyncio
import contextlib
import os
from concurrent.futures import ThreadPoolExecutor

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from django.db import connection

from qoldau.bot.delivery import run_delivery
from qoldau.bot.dispatcher import build_dispatcher
from qoldau.bot.gateway import ConsultGateway
from qoldau.bot.middleware import FloodMiddleware, flood_window

DEFAULT_API_URL = "https://api.telegram.org"
# Threads for the database calls on PostgreSQL (each keeps its own connection).
DB_THREADS = 8


def database_executor() -> ThreadPoolExecutor | None:
    """On PostgreSQL, a pool of threads: the updates' queries wait on the server side by side
    instead of one after another. SQLite has one writer, so there the calls keep to Django's
    single thread. QOLDAU_BOT_DB_THREADS overrides (1: the single thread everywhere)."""
    threads = int(os.environ.get("QOLDAU_BOT_DB_THREADS") or 0) or (
        DB_THREADS if connection.vendor == "postgresql" else 1
    )
    if threads <= 1:
        return None
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="qoldau-bot-db")


async def run_bot(token: str, api_url: str = DEFAULT_API_URL, workers: int = 1) -> None:
    """One process polling and answering (workers=1), or the poller of `workers` worker
    processes (workers.py)."""
    if workers > 1:
        from qoldau.bot.workers import run_poller

        await run_poller(token, api_url, workers)
        return
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    bot = Bot(token=token, session=session)
    consult = ConsultGateway(executor=database_executor())
    dispatcher = build_dispatcher(consult=consult, flood=FloodMiddleware(window=flood_window()))
    delivery = asyncio.create_task(run_delivery(bot, consult))
    try:
        await bot.delete_webhook()
        await dispatcher.start_polling(bot)
    finally:
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
        await bot.session.close()
