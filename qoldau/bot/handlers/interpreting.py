"""/interpreter: the link that opens the "Call an interpreter" page, where a person with
confirmed hours calls a sign-language interpreter by video. No sign-in in the bot; nothing
personal is asked or kept."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from django.conf import settings
from django.utils.translation import gettext as _

from qoldau.bot.interpreting_gateway import InterpretingGateway


async def interpreter(message: Message, interpreting: InterpretingGateway) -> None:
    link = await interpreting.call_link()
    status = (
        _("An interpreter is on duty now.")
        if link.on_duty
        else _("No interpreter is on duty now: on the page you can leave a message to be called back.")
    )
    await message.answer(
        _("📞 Call a sign-language interpreter by video: %(url)s")
        % {"url": f"{settings.QOLDAU_SITE_URL}{link.path}"}
        + "\n"
        + status
    )


def build_router() -> Router:
    router = Router(name="interpreting")
    router.message(Command("interpreter"))(interpreter)
    return router
