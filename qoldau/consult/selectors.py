"""Reads of consultations, with the consultant's scope check."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from qoldau.consult import policy
from qoldau.consult.engine.index import LANGS, article_from_data
from qoldau.consult.engine.index import Article as EngineArticle
from qoldau.consult.models import Article, Conversation, Message
from qoldau.core.audit import audit_record
from qoldau.core.models import Organisation

Actor = AbstractBaseUser | AnonymousUser


def consultation_queue(user: Actor) -> QuerySet[Conversation]:
    """Waiting and held conversations of the consultant's organisations (every
    organisation's for a system administrator), oldest hand-off first, with their
    organisation and region. The rule: `policy.conversations_queued_for`."""
    return (
        policy.conversations_queued_for(user)
        .filter(status__in=[Conversation.Status.WAITING, Conversation.Status.WITH_CONSULTANT])
        .select_related("consultant", "organisation", "region")
        .order_by("handed_off_at", "pk")
    )


def consultations_waiting_count(user: Actor) -> int:
    """How many conversations wait for a consultant in the user's queue (the menu's badge):
    one COUNT over the queue's index."""
    return policy.conversations_queued_for(user).filter(status=Conversation.Status.WAITING).count()


def topic_titles(topics: set[str], language: str | None) -> dict[str, str]:
    """The knowledge base's titles of these topics in the language (Kazakh otherwise)."""
    lang = language if language in ("kk", "ru", "en") else "kk"
    return {
        topic: title or fallback
        for topic, title, fallback in Article.objects.filter(topic__in=topics).values_list(
            "topic", f"title_{lang}", "title_kk"
        )
    }


# Time to first reply ------------------------------------------------------------------------

FIGURES_DAYS = 30
# The typical wait is read from at most this many of the latest answered hand-offs.
TYPICAL_WAIT_SAMPLE = 500


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values
    at or below it (so p90 of ten values is the ninth)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class FirstReplyFigures:
    """Hand-offs of the last `FIGURES_DAYS` days of one organisation (or of all, `None`):
    how many, how many were answered, and the median and p90 time to the first reply in
    seconds over the answered ones (None when none was)."""

    organisation: Organisation | None
    handed_off: int
    answered: int
    median_seconds: float | None
    p90_seconds: float | None


def _figures(
    organisation: Organisation | None, rows: list[tuple[dt.datetime, dt.datetime | None]]
) -> FirstReplyFigures:
    waits = [(first - handed).total_seconds() for handed, first in rows if first is not None]
    return FirstReplyFigures(
        organisation=organisation,
        handed_off=len(rows),
        answered=len(waits),
        median_seconds=statistics.median(waits) if waits else None,
        p90_seconds=percentile(waits, 0.9) if waits else None,
    )


def first_reply_figures(user: Actor, *, now: dt.datetime | None = None) -> list[FirstReplyFigures]:
    """The time to first reply of the hand-offs of the last 30 days, one line per
    organisation of the user's queue (`policy.conversations_queued_for`), and for a
    system administrator a first line over all of them. One query."""
    since = (now or timezone.now()) - dt.timedelta(days=FIGURES_DAYS)
    rows = list(
        policy.conversations_queued_for(user)
        .filter(handed_off_at__gte=since, organisation__isnull=False)
        .values_list("organisation_id", "handed_off_at", "first_reply_at")
    )
    by_organisation: dict[int, list[tuple[dt.datetime, dt.datetime | None]]] = {}
    for organisation_id, handed, first in rows:
        if handed is not None and organisation_id is not None:
            by_organisation.setdefault(organisation_id, []).append((handed, first))
    names = Organisation.objects.in_bulk(list(by_organisation))
    lines = [
        _figures(names[organisation_id], by_organisation[organisation_id])
        for organisation_id in sorted(by_organisation, key=lambda pk: names[pk].name)
    ]
    if policy.sees_every_queue(user):
        everything = [pair for pairs in by_organisation.values() for pair in pairs]
        lines.insert(0, _figures(None, everything))
    return lines


def typical_wait(organisation_id: int | None, *, now: dt.datetime | None = None) -> float | None:
    """The median time to first reply, in seconds, of the organisation's hand-offs of the
    last 30 days, once at least `QOLDAU_CONSULT_WAIT_MIN_SAMPLES` were answered; None
    before (the chat then says so rather than guess)."""
    if organisation_id is None:
        return None
    since = (now or timezone.now()) - dt.timedelta(days=FIGURES_DAYS)
    rows = list(
        Conversation.objects.filter(
            organisation_id=organisation_id, handed_off_at__gte=since, first_reply_at__isnull=False
        )
        .order_by("-handed_off_at")
        .values_list("handed_off_at", "first_reply_at")[:TYPICAL_WAIT_SAMPLE]
    )
    if len(rows) < settings.QOLDAU_CONSULT_WAIT_MIN_SAMPLES:
        return None
    return statistics.median(
        (first - handed).total_seconds() for handed, first in rows if handed is not None and first is not None
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
