"""Reads of consultations, with the consultant's scope check."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, Max, QuerySet, Sum

from qoldau.consult import policy
from qoldau.consult.engine.index import LANGS, article_from_data
from qoldau.consult.engine.index import Article as EngineArticle
from qoldau.consult.models import Article, Conversation, Message
from qoldau.core.audit import audit_record

Actor = AbstractBaseUser | AnonymousUser


def consultation_queue(user: Actor) -> QuerySet[Conversation]:
    """Waiting and held conversations of the consultant's organisations, oldest hand-off
    first; each with `waiting_since` (the hand-off time) for the waiting time. The rule:
    `policy.conversations_visible`."""
    return (
        policy.conversations_visible(user)
        .filter(status__in=[Conversation.Status.WAITING, Conversation.Status.WITH_CONSULTANT])
        .select_related("consultant")
        .order_by("handed_off_at", "pk")
    )


def conversation_get_for_consultant(user: Actor, conversation_id: int) -> Conversation:
    """A conversation of the consultant's organisation; NotFound for any other (the rule:
    `policy.conversations_visible`)."""
    conversation = (
        policy.conversations_visible(user).select_related("consultant").filter(pk=conversation_id).first()
    )
    policy.check_may_see_conversation(user, conversation)
    assert conversation is not None  # the check refuses None  # noqa: S101
    return conversation


def conversation_messages_for_consultant(user: Actor, conversation: Conversation) -> list[Message]:
    """The messages of a conversation, for a consultant of its organisation; NotFound for
    anyone else. People write their IIN and health details into them, so every read is
    audited: the row names the conversation, never the text."""
    policy.check_may_see_conversation(user, conversation)
    messages = list(conversation.messages.order_by("created_at", "pk"))
    audit_record(
        user,
        "consultation.read",
        object_type="conversation",
        object_id=conversation.pk,
        organisation_id=conversation.organisation_id,
    )
    return messages


def conversation_messages_own(conversation: Conversation) -> list[Message]:
    """The messages of the person's own conversation, for their chat (the conversation is
    the one of their session or Telegram chat, so nobody else's). Not audited: the person
    reads what they and the consultant wrote to them, and their chat asks again every few
    seconds while they wait."""
    return list(conversation.messages.order_by("created_at", "pk"))


def conversation_open_for(*, channel: str, channel_key: str) -> Conversation | None:
    """The open conversation of a web session or a Telegram chat, if there is one."""
    return (
        Conversation.objects.filter(channel=channel, channel_key=channel_key)
        .exclude(status=Conversation.Status.CLOSED)
        .first()
    )


# --- the knowledge base, as the answering engine reads it --------------------------------


KNOWLEDGE_VERSION_KEY = "qoldau:knowledge-version"


def knowledge_version() -> str:
    """A key that changes whenever an article is added or edited ("" when the database has
    none, or is not migrated yet: the engine then reads the files). Kept in the shared
    cache, so answering a message costs no query; `article_save` forgets it."""
    version = cache.get(KNOWLEDGE_VERSION_KEY)
    if version is not None:
        return str(version)
    try:
        figures = Article.objects.aggregate(n=Count("pk"), versions=Sum("version"), last=Max("updated_at"))
    except DatabaseError:
        return ""
    version = f"{figures['n']}:{figures['versions']}:{figures['last']}" if figures["n"] else ""
    if version:
        cache.set(KNOWLEDGE_VERSION_KEY, version, timeout=300)
    return version


def knowledge_articles() -> list[EngineArticle]:
    """Every article in the engine's terms (the shape of the files it was loaded from)."""
    return [
        article_from_data(
            {
                "topic": article.topic,
                "last_reviewed": article.last_reviewed,
                "uncertain": article.uncertain,
                "sources": [s for s in article.sources if isinstance(s, dict)],
                **{
                    lang: {
                        "title": getattr(article, f"title_{lang}"),
                        "summary": getattr(article, f"summary_{lang}"),
                        "body": getattr(article, f"body_{lang}"),
                        "keywords": [
                            k.strip() for k in getattr(article, f"keywords_{lang}").splitlines() if k.strip()
                        ],
                    }
                    for lang in LANGS
                },
            }
        )
        for article in Article.objects.order_by("topic")
    ]
