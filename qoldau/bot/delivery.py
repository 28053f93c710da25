"""Delivery of consultants' replies, written on the web queue page, to the person's chat."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from django.utils.translation import gettext as _
from django.utils.translation import override

from qoldau.bot.gateway import ConsultGateway
from qoldau.bot.handlers.questions import trim

logger = logging.getLogger(__name__)

DELIVERY_INTERVAL = 2.0


async def deliver_pending(bot: Bot, consult: ConsultGateway) -> int:
    """Send every undelivered consultant reply of a Telegram conversation; the number sent."""
    sent = 0
    for reply in await consult.pending_replies():
        lang = consult.languages.get(reply.chat_id) or await consult.known_language(reply.chat_id) or "kk"
        with override(lang):
            text = trim(_("Consultant: %(text)s") % {"text": reply.text})
        try:
            await bot.send_message(chat_id=reply.chat_id, text=text)
        except TelegramForbiddenError:
            # The person blocked the bot: the reply can never be delivered.
            logger.warning("Chat %s blocked the bot; reply %s dropped", reply.chat_id, reply.message_id)
        except TelegramAPIError:
            logger.exception("Reply %s not delivered; retrying later", reply.message_id)
            continue
        else:
            sent += 1
        await consult.mark_delivered(reply.message_id)
    return sent


async def run_delivery(bot: Bot, consult: ConsultGateway, interval: float = DELIVERY_INTERVAL) -> None:
    """Deliver pending replies every `interval` seconds, until cancelled."""
    while True:
        try:
            await deliver_pending(bot, consult)
        except Exception:
            logger.exception("Delivery of consultants' replies failed")
        await asyncio.sleep(interval)
