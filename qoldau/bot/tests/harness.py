"""The handler tests' harness: the real dispatcher fed updates a person would send, its
replies kept by a recording session instead of going to Telegram."""

from __future__ import annotations

import time
from typing import Any

from aiogram import Bot
from aiogram.types import Update
from asgiref.sync import async_to_sync

from qoldau.bot.dispatcher import build_dispatcher
from qoldau.bot.gateway import ConsultGateway
from qoldau.bot.middleware import FloodMiddleware
from qoldau.bot.tests.recording import RecordingSession

_ids = iter(range(1, 1_000_000))


def message_update(chat_id: int, text: str | None = "hello", **extra: Any) -> Update:
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "P"},
        **extra,
    }
    if text is not None:
        message["text"] = text
    return Update.model_validate({"update_id": next(_ids), "message": message})


def press(chat_id: int, data: str) -> Update:
    """The person presses an inline button carrying `data` under a message in their chat."""
    return Update.model_validate(
        {
            "update_id": next(_ids),
            "callback_query": {
                "id": str(next(_ids)),
                "from": {"id": chat_id, "is_bot": False, "first_name": "P"},
                "chat_instance": "x",
                "data": data,
                "message": {
                    "message_id": next(_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "text": "menu",
                },
            },
        }
    )


class Harness:
    def __init__(self, flood: FloodMiddleware | None = None) -> None:
        self.session = RecordingSession()
        self.bot = Bot(token="123:TEST", session=self.session)
        self.consult = ConsultGateway()
        self.dispatcher = build_dispatcher(consult=self.consult, flood=flood)

    def feed(self, update: Update) -> None:
        # async_to_sync runs the thread-sensitive ORM calls in this test's thread and transaction.
        async_to_sync(self.dispatcher.feed_update)(self.bot, update)

    def agree(self, chat_id: int, lang: str = "en") -> None:
        async_to_sync(self.consult.agree)(chat_id, lang)
