"""The bot's way into the consultation services: each call runs the synchronous service or
selector in Django's thread (thread-sensitive), so async handlers never touch the ORM directly.
One instance is passed to the handlers as dispatcher data (`consult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from asgiref.sync import sync_to_async
from django.utils import timezone

from qoldau.consult import selectors, services
from qoldau.consult.engine.answer import article_answer, today_in_kazakhstan
from qoldau.consult.engine.index import LANGS, Article, topic_index
from qoldau.consult.engine.normalise import Lang
from qoldau.consult.models import Conversation, Message

TELEGRAM = Conversation.Channel.TELEGRAM


@dataclass(frozen=True)
class Answer:
    """What the bot shows for one question."""

    message_id: int
    text: str
    alternatives: list[tuple[str, str]]


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
    return Answer(message_id=message.pk, text=message.text or "", alternatives=alternatives[:3])


def _is_held(chat_id: int) -> bool:
    conversation = selectors.conversation_open_for(channel=TELEGRAM, channel_key=_key(chat_id))
    return conversation is not None and conversation.status == Conversation.Status.WITH_CONSULTANT


def _request_human(chat_id: int, lang: str) -> None:
    services.conversation_request_human(conversation=_open(chat_id, lang))


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
    title, body, _sources = article_answer(article, as_lang(lang), day)
    return f"{title}\n\n{body}".strip()


@dataclass
class ConsultGateway:
    """Async access to the consultation services for the handlers."""

    languages: dict[int, str] = field(default_factory=dict)

    async def known_language(self, chat_id: int) -> str | None:
        return await sync_to_async(_known_language, thread_sensitive=True)(chat_id)

    async def has_agreed(self, chat_id: int) -> bool:
        return await sync_to_async(_has_agreed, thread_sensitive=True)(chat_id)

    async def agree(self, chat_id: int, lang: str) -> None:
        await sync_to_async(_open, thread_sensitive=True)(chat_id, lang)

    async def ask(self, chat_id: int, text: str, lang: str) -> Answer | None:
        return await sync_to_async(_ask, thread_sensitive=True)(chat_id, text, lang)

    async def is_held(self, chat_id: int) -> bool:
        return await sync_to_async(_is_held, thread_sensitive=True)(chat_id)

    async def request_human(self, chat_id: int, lang: str) -> None:
        await sync_to_async(_request_human, thread_sensitive=True)(chat_id, lang)

    async def feedback(self, chat_id: int, message_id: int, helpful: bool) -> bool:
        return await sync_to_async(_feedback, thread_sensitive=True)(chat_id, message_id, helpful)

    async def topic_groups(self) -> dict[str, list[Article]]:
        return await sync_to_async(topic_groups, thread_sensitive=True)()

    async def topic_answer(self, topic: str, lang: str) -> str | None:
        return await sync_to_async(_topic_answer, thread_sensitive=True)(topic, lang, today_in_kazakhstan())

    async def pending_replies(self, limit: int = 50) -> list[Pending]:
        return await sync_to_async(_pending, thread_sensitive=True)(limit)

    async def mark_delivered(self, message_id: int) -> None:
        await sync_to_async(_mark_delivered, thread_sensitive=True)(message_id)
