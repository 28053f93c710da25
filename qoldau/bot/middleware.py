"""Outer middlewares: the person's language for every update, and a per-chat flood limit."""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, Message, ReplyParameters, TelegramObject, User
from django.utils import translation
from django.utils.translation import gettext as _
from redis.asyncio import Redis

from qoldau.bot.gateway import ConsultGateway

LANGS = ("kk", "ru", "en")
# More than FLOOD_LIMIT messages of one chat within FLOOD_WINDOW seconds are too many.
FLOOD_LIMIT = 5
FLOOD_WINDOW = 10.0


def flood_window() -> float:
    """QOLDAU_BOT_FLOOD_WINDOW seconds, else FLOOD_WINDOW (the tests lengthen it)."""
    return float(os.environ.get("QOLDAU_BOT_FLOOD_WINDOW") or FLOOD_WINDOW)


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def slow_down_text() -> str:
    """The one reply to a chat past its flood limit."""
    return _("You are writing very fast. Please slow down and wait a few seconds.")


def replying_to(message: Message) -> ReplyParameters:
    """Answers quote the message they answer: updates are handled concurrently, so two quick
    questions may be answered in either order (sent even if the person deleted the message)."""
    return ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)


class LanguageMiddleware(BaseMiddleware):
    """Puts `lang` in the handler data and activates it: the choice made in this session, else the
    language of the chat's stored conversation, else Telegram's language of the user, else kk."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        consult: ConsultGateway = data["consult"]
        chat: Chat | None = data.get("event_chat")
        user: User | None = data.get("event_from_user")
        lang = consult.languages.get(chat.id) if chat else None
        if lang is None and chat is not None:
            lang = await consult.known_language(chat.id)
        if lang is None and user is not None and user.language_code in LANGS:
            lang = user.language_code
        data["lang"] = lang if lang in LANGS else "kk"
        with translation.override(data["lang"]):
            return await handler(event, data)


@dataclass
class _Window:
    started: float
    count: int = 0
    warned: bool = False


@dataclass
class FloodMiddleware(BaseMiddleware):
    """Counts each chat's messages in a window of FLOOD_WINDOW seconds from its first message;
    past FLOOD_LIMIT, one polite reply, then silence until the window ends."""

    limit: int = FLOOD_LIMIT
    window: float = FLOOD_WINDOW
    clock: Callable[[], float] = time.monotonic
    _windows: dict[int, _Window] = field(default_factory=dict)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Message):
            return await handler(event, data)
        now = self.clock()
        current = self._windows.get(event.chat.id)
        if current is None or now - current.started >= self.window:
            current = self._windows[event.chat.id] = _Window(started=now)
        current.count += 1
        if current.count <= self.limit:
            return await handler(event, data)
        if not current.warned:
            current.warned = True
            await event.answer(slow_down_text(), reply_parameters=replying_to(event))
        return None


class RedisFloodMiddleware(BaseMiddleware):
    """The same limit as FloodMiddleware, counted in Redis, so that it holds whichever worker
    process handles the chat: the window starts with the chat's first message (its key expires
    FLOOD_WINDOW seconds later); the message past the limit gets the reply, later ones nothing."""

    def __init__(
        self, *, redis: Redis, prefix: str, limit: int = FLOOD_LIMIT, window: float = FLOOD_WINDOW
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.limit = limit
        self.window = window

    async def count(self, chat_id: int) -> int:
        """This message's number in the chat's current window."""
        key = f"{self.prefix}:{chat_id}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, px=int(self.window * 1000), nx=True)
            pipe.incr(key)
            _created, count = await pipe.execute()
        return int(count)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Message):
            return await handler(event, data)
        count = await self.count(event.chat.id)
        if count <= self.limit:
            return await handler(event, data)
        if count == self.limit + 1:
            await event.answer(slow_down_text(), reply_parameters=replying_to(event))
        return None
