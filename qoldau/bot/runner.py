"""Long polling with the consultants' replies delivered alongside."""

from __future__ import annotations

import asyncio
import contextlib

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from qoldau.bot.delivery import run_delivery
from qoldau.bot.dispatcher import build_dispatcher
from qoldau.bot.gateway import ConsultGateway

DEFAULT_API_URL = "https://api.telegram.org"


async def run_bot(token: str, api_url: str = DEFAULT_API_URL) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    bot = Bot(token=token, session=session)
    consult = ConsultGateway()
    dispatcher = build_dispatcher(consult=consult)
    delivery = asyncio.create_task(run_delivery(bot, consult))
    try:
        await bot.delete_webhook()
        await dispatcher.start_polling(bot)
    finally:
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
        await bot.session.close()
