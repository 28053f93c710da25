"""The bot's way into the consultation services: each call runs the synchronous service or
selector in Django's thread (thread-sensitive), so async handlers never touch the ORM directly.
One instance is passed to the handlers as dispatcher data (`consult`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TypeVar

from asgiref.sync import sync_to_async
from django.utils import timezone
from django.utils.translation import gettext, override

from qoldau.consult import selectors, services
from qoldau.consult.engine.answer import article_answer, today_in_kazakhstan
from qoldau.consult.engine.index import LANGS, Article, topic_index
from qoldau.consult.engine.normalise import Lang
from qoldau.consult.models import Conversation, Message
from qoldau.consult.rendering import answer_telegram, message_parts
from qoldau.core.errors import ApplicationError

TELEGRAM = Conversation.Channel.TELEGRAM
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """What the bot shows for one question."""

    message_id: int
    text: str
    alternatives: list[tuple[str, str]]
    # The text as Telegram HTML (parse mode HTML): headings in bold, steps numbered, lists
    # bulleted, everything else escaped.
    html: str = ""


class NotAgreed(Enum):
    """The person has not agreed to the privacy notice yet: nothing was kept."""

    NOT_AGREED = "not agreed"


NOT_AGREED = NotAgreed.NOT_AGREED


@dataclass(frozen=True)
class Pending:
    """A consultant's reply still to deliver."""

    message_id: int
    chat_id: int
    text: str


def as_lang(value: str | None) -> Lang:
    for lang in LANGS:
        if value == lang:
            return lang
    return "kk"


def _key(chat_id: int) -> str:
    return str(chat_id)


def _known_language(chat_id: int) -> str | None:
    conversation = (
        Conversation.objects.filter(channel=TELEGRAM, channel_key=_key(chat_id)).order_by("-pk").first()
    )
    return conversation.language if conversation else None


def _has_agreed(chat_id: int) -> bool:
    # A conversation is opened only once the person agreed to the privacy notice.
    return Conversation.objects.filter(channel=TELEGRAM, channel_key=_key(chat_id)).exists()


def _open(chat_id: int, lang: str) -> Conversation:
    return services.conversation_for(channel=TELEGRAM, channel_key=_key(chat_id), language=lang)


def _ask(chat_id: int, text: str, lang: str) -> Answer | None:
    conversation = _open(chat_id, lang)
    message = services.conversation_ask(conversation=conversation, text=text, lang=lang)
    if message is None:
        return None
    alternatives = [
        (str(item["topic"]), str(item["title"])) for item in message.extra.get("alternatives", [])
    ]
    title, body = message_parts(message)
    sources = [
        (str(item.get("title", "")), str(item.get("url", ""))) for item in message.extra.get("sources", [])
    ]
    with override(as_lang(lang)):
        heading = gettext("Sources")
    return Answer(
        message_id=message.pk,
        text=message.text or "",
        alternatives=alternatives[:3],
        html=answer_telegram(title, body, sources, heading),
    )


def _ask_if_agreed(chat_id: int, text: str, lang: str) -> Answer | NotAgreed | None:
    # One trip to the database thread for the consent check and the question.
    if not _has_agreed(chat_id):
        return NOT_AGREED
    return _ask(chat_id, text, lang)


def _is_held(chat_id: int) -> bool:
    conversation = selectors.conversation_open_for(channel=TELEGRAM, channel_key=_key(chat_id))
    return conversation is not None and conversation.status == Conversation.Status.WITH_CONSULTANT


def _request_human(chat_id: int) -> str | None:
    conversation = selectors.conversation_open_for(channel=TELEGRAM, channel_key=_key(chat_id))
    try:
        services.conversation_request_human(conversation=conversation)
    except ApplicationError as error:
        return error.render()
    return None


def _feedback(chat_id: int, message_id: int, helpful: bool) -> bool:
    conversation = selectors.conversation_open_for(channel=TELEGRAM, channel_key=_key(chat_id))
    if conversation is None:
        return False
    return services.answer_feedback(conversation=conversation, message_id=message_id, helpful=helpful)


def _pending(limit: int) -> list[Pending]:
    found = (
        Message.objects.filter(
            sender=Message.Sender.CONSULTANT,
            delivered_at__isnull=True,
            conversation__channel=TELEGRAM,
        )
        .select_related("conversation")
        .order_by("created_at", "pk")[:limit]
    )
    return [
        Pending(message_id=m.pk, chat_id=int(m.conversation.channel_key), text=m.text or "")
        for m in found
        if m.conversation.channel_key.lstrip("-").isdigit()
    ]


def _mark_delivered(message_id: int) -> None:
    Message.objects.filter(pk=message_id, delivered_at__isnull=True).update(delivered_at=timezone.now())


def topic_groups() -> dict[str, list[Article]]:
    """The knowledge base's articles by the first part of their topic (benefit, crisis, ...)."""
    groups: dict[str, list[Article]] = {}
    for article in topic_index().articles:
        groups.setdefault(article.topic.split(".", 1)[0], []).append(article)
    return groups


def _topic_answer(topic: str, lang: str, day: date) -> str | None:
    article = topic_index().by_topic.get(topic)
    if article is None:
        return None
    title, body, sources = article_answer(article, as_lang(lang), day)
    with override(as_lang(lang)):
        heading = gettext("Sources")
    return answer_telegram(title, body, [(source.title, source.url) for source in sources], heading)


@dataclass
class ConsultGateway:
    """Async access to the consultation services for the handlers."""

    languages: dict[int, str] = field(default_factory=dict)
    # None: every call runs in Django's one thread-sensitive thread (tests rely on it: their
    # transaction lives there). A pool lets calls wait on the database side by side, each
    # thread with its own connection (`qoldau bot` uses one on PostgreSQL, see runner.py).
    executor: ThreadPoolExecutor | None = None
    # False: every look-up asks the database (the poller of several workers, whose workers
    # may change a chat's language).
    remember: bool = True

    def _db(self, function: Callable[..., T]) -> Callable[..., Awaitable[T]]:
        if self.executor is None:
            return sync_to_async(function, thread_sensitive=True)
        return sync_to_async(function, thread_sensitive=False, executor=self.executor)

    async def known_language(self, chat_id: int) -> str | None:
        """The chat's language: chosen in this process, else stored with its conversation (then
        remembered: only this bot changes a Telegram conversation's language)."""
        if chat_id in self.languages:
            return self.languages[chat_id]
        lang = await self._db(_known_language)(chat_id)
        if lang is not None and self.remember:
            self.languages.setdefault(chat_id, lang)
        return lang

    async def has_agreed(self, chat_id: int) -> bool:
        return await self._db(_has_agreed)(chat_id)

    async def agree(self, chat_id: int, lang: str) -> None:
        await self._db(_open)(chat_id, lang)

    async def ask(self, chat_id: int, text: str, lang: str) -> Answer | None:
        return await self._db(_ask)(chat_id, text, lang)

    async def ask_if_agreed(self, chat_id: int, text: str, lang: str) -> Answer | NotAgreed | None:
        """The answer; NOT_AGREED (nothing kept) before the person agreed; None while a
        consultant holds the conversation."""
        return await self._db(_ask_if_agreed)(chat_id, text, lang)

    async def is_held(self, chat_id: int) -> bool:
        return await self._db(_is_held)(chat_id)

    async def request_human(self, chat_id: int) -> str | None:
        """None when the conversation joined the queue, else why not (translated): a
        conversation without a question is not handed off."""
        return await self._db(_request_human)(chat_id)

    async def feedback(self, chat_id: int, message_id: int, helpful: bool) -> bool:
        return await self._db(_feedback)(chat_id, message_id, helpful)

    async def topic_groups(self) -> dict[str, list[Article]]:
        return await self._db(topic_groups)()

    async def topic_answer(self, topic: str, lang: str) -> str | None:
        return await self._db(_topic_answer)(topic, lang, today_in_kazakhstan())

    async def pending_replies(self, limit: int = 50) -> list[Pending]:
        return await self._db(_pending)(limit)

    async def mark_delivered(self, message_id: int) -> None:
        await self._db(_mark_delivered)(message_id)
