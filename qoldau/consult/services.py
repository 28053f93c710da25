"""Writes of consultations: open a conversation, ask the assistant, ask for a person, and the
consultant's take, reply and close. The consultant's actions are audited; the assistant's
anonymous answers are not (they hold no one's identity)."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.consult import policy
from qoldau.consult.engine.answer import EngineAnswer, classify, wants_human
from qoldau.consult.errors import ConsultErrorCode
from qoldau.consult.models import Article, ArticleRevision, Conversation, Coverage, Message
from qoldau.consult.selectors import KNOWLEDGE_VERSION_KEY
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.models import Organisation, Place, Role, RoleAssignment
from qoldau.core.notifications import notify
from qoldau.core.transactions import check_in_transaction
from qoldau.projects.models import Project
from qoldau.projects.services import consultation_record_in_transaction

Actor = AbstractBaseUser | AnonymousUser

# Longer messages are kept and read up to this many characters.
MAX_MESSAGE = 10_000
# A consultant's reply is refused beyond this (the form's bound, `bounds.Comment`): a reply
# is read on a phone and in Telegram, whose messages stop at 4,096 characters.
MAX_REPLY = 4_000
LANGUAGES = ("kk", "ru", "en")


def _clean_text(text: str) -> str:
    """The message as stored: no NUL characters (which databases refuse), at most MAX_MESSAGE."""
    return text.replace("\x00", "").strip()[:MAX_MESSAGE]


def _language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "kk"


def default_organisation() -> Organisation | None:
    """The NGO whose assistant the web chat is: the first one that has a consultant."""
    return (
        Organisation.objects.filter(
            pk__in=RoleAssignment.objects.filter(role=Role.CONSULTANT).values("organisation_id")
        )
        .order_by("pk")
        .first()
    )


def _open_of(channel: str, channel_key: str) -> QuerySet[Conversation]:
    return Conversation.objects.filter(channel=channel, channel_key=channel_key).exclude(
        status=Conversation.Status.CLOSED
    )


def conversation_for(
    *, channel: str, channel_key: str, language: str | None, save: bool = True
) -> Conversation:
    """The open conversation of this web session or Telegram chat, or a new one. With
    `save=False` a new one is not saved yet: `conversation_ask` saves it with its first
    question, so a first message that is refused leaves nothing behind."""
    if channel not in Conversation.Channel.values or not channel_key:
        raise ValidationFailed(_("Unknown conversation channel."), field="channel")
    conversation = _open_of(channel, channel_key).first()
    if conversation is not None:
        return conversation
    new = Conversation(
        channel=channel,
        channel_key=channel_key,
        language=_language(language),
        organisation=default_organisation(),
    )
    if not save:
        return new
    with transaction.atomic(durable=True):
        return _saved(new)


def _saved(conversation: Conversation) -> Conversation:
    try:
        with transaction.atomic():
            conversation.save(force_insert=True)
            return conversation
    except IntegrityError:
        # Opened by a concurrent request of the same session.
        return _open_of(conversation.channel, conversation.channel_key).get()


def _answer_text(result: EngineAnswer) -> str:
    return f"{result.title}\n\n{result.text}".strip() if result.title else result.text


# Routing a hand-off ---------------------------------------------------------------------


def _topic_covers(covered: str, topic: str) -> bool:
    return not covered or topic == covered or topic.startswith(f"{covered}.")


def handoff_organisation(*, region_id: int | None, topic: str) -> Organisation | None:
    """The organisation whose consultants a conversation is handed to: the rule, stated once.

    Only organisations with a consultant answer. Each covers what its `Coverage` rows say,
    or, with none, its own region and every topic. The most specific cover wins: the
    person's region before a cover of every region, then the longest topic ("benefit.carer"
    before "benefit" before every topic); a tie goes to the organisation with the fewest
    conversations waiting, then to the oldest. When nothing covers the region and the
    topic: `QOLDAU_CONSULT_FALLBACK_ORGANISATION` (a BIN), else the first organisation with
    a consultant (`default_organisation`)."""
    answering = set(
        RoleAssignment.objects.filter(role=Role.CONSULTANT, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    if not answering:
        return _fallback_organisation()
    covers: list[tuple[int, int | None, str]] = list(
        Coverage.objects.filter(organisation_id__in=answering).values_list(
            "organisation_id", "region_id", "topic"
        )
    )
    with_rows = {organisation_id for organisation_id, _region, _topic in covers}
    covers += [
        (organisation_id, region, "")
        for organisation_id, region in Organisation.objects.filter(pk__in=answering - with_rows).values_list(
            "pk", "region_id"
        )
    ]
    ranked = [
        (region is not None, len(covered), organisation_id)
        for organisation_id, region, covered in covers
        if (region is None or region == region_id) and _topic_covers(covered, topic)
    ]
    if not ranked:
        return _fallback_organisation()
    best = max((by_region, by_topic) for by_region, by_topic, _org in ranked)
    tied = {org for by_region, by_topic, org in ranked if (by_region, by_topic) == best}
    waiting = dict(
        Conversation.objects.filter(organisation_id__in=tied, status=Conversation.Status.WAITING)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    chosen = min(tied, key=lambda org: (waiting.get(org, 0), org))
    return Organisation.objects.get(pk=chosen)


def coverage_add(
    *, actor: Actor | None, organisation: Organisation, region: Place | None = None, topic: str = ""
) -> Coverage:
    """The organisation answers the consultations of this region and topic (blank: every
    one). Only a region (not a district) is taken, and a topic of letters, digits, "_" and
    "." of at most 64 characters."""
    with transaction.atomic(durable=True):
        return coverage_add_in_transaction(actor=actor, organisation=organisation, region=region, topic=topic)


def coverage_add_in_transaction(
    *, actor: Actor | None, organisation: Organisation, region: Place | None = None, topic: str = ""
) -> Coverage:
    """`coverage_add` inside the caller's transaction (the demo, the admin's save)."""
    check_in_transaction()
    topic = topic.strip()
    if region is not None and region.level != Place.Level.REGION:
        raise ValidationFailed(
            _("Choose a region from the list."), field="region", code=ErrorCode.INVALID_CHOICE
        )
    if len(topic) > 64 or not all(ch.isalnum() or ch in "._" for ch in topic):
        raise ValidationFailed(
            _("A topic is written like benefit.disability: letters, digits, dots and underscores."),
            field="topic",
        )
    coverage = Coverage.objects.create(organisation=organisation, region=region, topic=topic)
    audit_record(
        actor,
        "consult.coverage_add",
        object_type="coverage",
        object_id=coverage.pk,
        organisation_id=organisation.pk,
        details={"region_id": region.pk if region else None, "topic": topic},
    )
    return coverage


def coverage_remove_in_transaction(*, actor: Actor | None, coverage: Coverage) -> None:
    """The organisation no longer answers this region and topic (the admin's delete)."""
    check_in_transaction()
    audit_record(
        actor,
        "consult.coverage_remove",
        object_type="coverage",
        object_id=coverage.pk,
        organisation_id=coverage.organisation_id,
        details={"region_id": coverage.region_id, "topic": coverage.topic},
    )
    coverage.delete()


def _fallback_organisation() -> Organisation | None:
    bin_number = settings.QOLDAU_CONSULT_FALLBACK_ORGANISATION
    if bin_number:
        configured = Organisation.objects.filter(bin=bin_number).first()
        if configured is not None:
            return configured
    return default_organisation()


def _conversation_topic(conversation: Conversation) -> str:
    """The assistant's topic of the conversation: that of its latest answer with one."""
    topic = (
        conversation.messages.filter(sender=Message.Sender.BOT)
        .exclude(topic="")
        .order_by("-created_at", "-pk")
        .values_list("topic", flat=True)
        .first()
    )
    return topic or ""


def _hand_off(conversation: Conversation) -> None:
    """Into the queue of the organisation the rule routes it to, whose consultants are told."""
    if conversation.status != Conversation.Status.BOT:
        return
    conversation.topic = _conversation_topic(conversation)[:64]
    conversation.organisation = handoff_organisation(
        region_id=conversation.region_id, topic=conversation.topic
    )
    conversation.status = Conversation.Status.WAITING
    conversation.handed_off_at = timezone.now()
    conversation.save(update_fields=["status", "handed_off_at", "topic", "organisation", "region"])
    _notify_consultants(conversation)


def _notify_consultants(conversation: Conversation) -> None:
    """An e-mail (and the outbox) to each consultant of the organisation. It names the
    conversation, never what the person wrote."""
    if conversation.organisation_id is None:
        return
    consultants = (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.CONSULTANT,
            role_assignments__organisation_id=conversation.organisation_id,
        )
        .select_related("preference")
        .distinct()
    )
    for consultant in consultants:
        notify(
            user=consultant,
            kind="consult.handed_off",
            subject=_("A conversation waits for a consultant"),
            body=_(
                "Conversation %(number)s waits for a consultant of your organisation. Open "
                "Consultations in Qoldau to take it; the person sees when you have."
            ),
            params={"number": conversation.pk},
            object_type="conversation",
            object_id=conversation.pk,
        )


HandOffCheck = Callable[[], None]


def conversation_ask(
    *,
    conversation: Conversation,
    text: str,
    lang: str | None,
    before_hand_off: HandOffCheck | None = None,
) -> Message | None:
    """Keep the person's message and, unless a consultant holds the conversation, the
    assistant's answer (returned). An empty message is ignored; the answer is None then too.
    Asking for a person, or a question the assistant cannot answer, puts the conversation in
    the consultants' queue; `before_hand_off` (the interface's flood limit) is asked first
    and may refuse by raising, and then nothing is kept."""
    if not conversation.is_open:
        raise ValidationFailed(
            _("This conversation is closed. Start a new one."), code=ConsultErrorCode.CLOSED
        )
    text = _clean_text(text)
    if not text:
        return None
    # Classified before the transaction, so the write lock (all of SQLite) is not held
    # while the engine reads; the answer is dropped below if a consultant took over meanwhile.
    language = _language(lang) if lang in LANGUAGES else conversation.language
    result = classify(text, language)
    if (
        before_hand_off is not None
        and conversation.status == Conversation.Status.BOT
        and (result.handoff or wants_human(text))
    ):
        before_hand_off()
    question = Message(conversation=conversation, sender=Message.Sender.PERSON, text=text)
    answer = Message(
        conversation=conversation,
        sender=Message.Sender.BOT,
        text=_answer_text(result),
        topic=result.topic or "",
        confidence=round(result.confidence, 3),
        extra={
            "title": result.title,
            "sources": [{"title": s.title, "reference": s.reference, "url": s.url} for s in result.sources],
            "alternatives": [{"topic": a.topic, "title": a.title} for a in result.alternatives[:3]],
            "handoff": result.handoff,
        },
    )
    with transaction.atomic(durable=True):
        if conversation.pk is None:
            conversation = _saved(conversation)
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if lang in LANGUAGES and conversation.language != language:
            conversation.language = language
            conversation.save(update_fields=["language"])
        if conversation.status == Conversation.Status.WITH_CONSULTANT:
            question.conversation = conversation
            question.save()
            return None
        question.conversation = answer.conversation = conversation
        # One INSERT for both; the question's timestamp stays before the answer's.
        Message.objects.bulk_create([question, answer])
        if result.handoff or wants_human(text):
            _hand_off(conversation)
    return answer


def conversation_request_human(
    *,
    conversation: Conversation | None,
    region_id: int | None = None,
    before_hand_off: HandOffCheck | None = None,
) -> Conversation:
    """The person asks for a consultant: the conversation joins the queue of the
    organisation `handoff_organisation` routes it to, by the region the person chose
    (`region_id`; else the one the conversation already has) and the assistant's topic. A
    conversation without a question of the person's (or none at all) is refused: a
    consultant would have nothing to answer, and empty hand-offs would only fill the queue.
    `before_hand_off` (the interface's flood limit) may refuse by raising."""
    region = None
    if region_id is not None:
        region = Place.objects.filter(pk=region_id, level=Place.Level.REGION).first()
        if region is None:
            raise ValidationFailed(
                _("Choose a region from the list."), field="region", code=ErrorCode.INVALID_CHOICE
            )
    if (
        conversation is None
        or conversation.pk is None
        or not conversation.messages.filter(sender=Message.Sender.PERSON).exists()
    ):
        raise ValidationFailed(
            _("Write your question first; then a consultant can take the conversation."),
            code=ConsultErrorCode.EMPTY_CONVERSATION,
        )
    if not conversation.is_open:
        raise ValidationFailed(
            _("This conversation is closed. Start a new one."), code=ConsultErrorCode.CLOSED
        )
    if before_hand_off is not None and conversation.status == Conversation.Status.BOT:
        before_hand_off()
    with transaction.atomic(durable=True):
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if region is not None and conversation.status == Conversation.Status.BOT:
            conversation.region = region
        _hand_off(conversation)
    return conversation


def answer_feedback(*, conversation: Conversation, message_id: int, helpful: bool) -> bool:
    """The person says whether one of the assistant's answers in their conversation helped.
    False when there is no such answer in this conversation."""
    with transaction.atomic(durable=True):
        message = (
            Message.objects.select_for_update()
            .filter(pk=message_id, conversation=conversation, sender=Message.Sender.BOT)
            .first()
        )
        if message is None:
            return False
        message.extra = {**message.extra, "helpful": helpful}
        message.save(update_fields=["extra"])
    return True


def _locked_for_consultant(actor: Actor, conversation: Conversation) -> Conversation:
    policy.check_may_take_conversation(actor, conversation)
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _acting_user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def conversation_take(*, actor: Actor, conversation: Conversation) -> Conversation:
    """A consultant of the conversation's organisation takes a waiting conversation."""
    with transaction.atomic(durable=True):
        conversation = _locked_for_consultant(actor, conversation)
        if conversation.status == Conversation.Status.WITH_CONSULTANT:
            if conversation.consultant_id == actor.pk:
                return conversation
            raise Conflict(
                _("Another consultant is already answering this conversation."), code=ConsultErrorCode.TAKEN
            )
        if conversation.status == Conversation.Status.CLOSED:
            raise Conflict(_("This conversation is closed."), code=ConsultErrorCode.CLOSED)
        if conversation.status != Conversation.Status.WAITING:
            raise Conflict(
                _("This conversation has not been passed to a consultant."), code=ConsultErrorCode.NOT_WAITING
            )
        now = timezone.now()
        # Taken only while it still waits, in the UPDATE itself: on a database whose row
        # lock above is weaker than PostgreSQL's, two takers still make one owner.
        taken = Conversation.objects.filter(pk=conversation.pk, status=Conversation.Status.WAITING).update(
            status=Conversation.Status.WITH_CONSULTANT, consultant=_acting_user(actor), taken_at=now
        )
        if not taken:
            raise Conflict(
                _("Another consultant is already answering this conversation."), code=ConsultErrorCode.TAKEN
            )
        conversation.status = Conversation.Status.WITH_CONSULTANT
        conversation.consultant = _acting_user(actor)
        conversation.taken_at = now
        audit_record(
            actor,
            "consultation.take",
            object_type="conversation",
            object_id=conversation.pk,
            organisation_id=conversation.organisation_id,
        )
    return conversation


def conversation_reply(*, actor: Actor, conversation: Conversation, text: str) -> Message:
    """The holding consultant answers; the channel delivers the message to the person.
    The first reply is the hand-off's time to first reply. Refused, with nothing kept: an
    empty reply, one over `MAX_REPLY` characters, and any reply to a closed conversation."""
    text = text.replace("\x00", "").strip()
    if not text:
        raise ValidationFailed(_("Write a reply before sending it."), field="text", code=ErrorCode.REQUIRED)
    if len(text) > MAX_REPLY:
        raise ValidationFailed(
            _(
                "A reply may be at most %(limit)s characters long; this one has %(length)s. "
                "Shorten it or send it in parts."
            )
            % {"limit": MAX_REPLY, "length": len(text)},
            field="text",
            code=ErrorCode.TOO_LONG,
        )
    with transaction.atomic(durable=True):
        conversation = _locked_for_consultant(actor, conversation)
        if conversation.status == Conversation.Status.CLOSED:
            raise Conflict(
                _("This conversation is closed: the reply was not sent."), code=ConsultErrorCode.CLOSED
            )
        # Checked on the locked row: who holds it now, not when the page was read.
        policy.check_may_answer_conversation(actor, conversation)
        message = Message.objects.create(
            conversation=conversation, sender=Message.Sender.CONSULTANT, text=text
        )
        if conversation.first_reply_at is None:
            conversation.first_reply_at = message.created_at
            conversation.save(update_fields=["first_reply_at"])
        audit_record(
            actor,
            "consultation.reply",
            object_type="conversation",
            object_id=conversation.pk,
            organisation_id=conversation.organisation_id,
        )
    return message


@dataclass(frozen=True)
class ConsultationToRecord:
    """The person (by the IIN they gave) and the project a closed consultation counts for."""

    iin: str
    project_id: int | None
    service_code: str


def conversation_close(
    *,
    actor: Actor,
    conversation: Conversation,
    outcome: str,
    record: ConsultationToRecord | None = None,
) -> Conversation:
    """The holding consultant closes the conversation with its outcome and, when the
    person gave their IIN, records the consultation as a service delivery of the
    organisation's project, so the impact figures count it. If that record is refused,
    the conversation stays open: nothing changes."""
    if outcome not in Conversation.Outcome.values:
        raise ValidationFailed(
            _("Choose how the conversation ended."), field="outcome", code=ErrorCode.INVALID_CHOICE
        )
    with transaction.atomic(durable=True):
        conversation = _locked_for_consultant(actor, conversation)
        # Checked on the locked row: who holds it now, not when the page was read.
        policy.check_may_answer_conversation(actor, conversation)
        if record is not None:
            project = (
                Project.objects.filter(
                    pk=record.project_id, organisation_id=conversation.organisation_id
                ).first()
                if record.project_id is not None and conversation.organisation_id is not None
                else None
            )
            if project is None:
                raise ValidationFailed(
                    _("Choose the organisation's project the consultation counts for."), field="project"
                )
            consultation_record_in_transaction(
                actor=actor,
                project=project,
                iin=record.iin,
                service_code=record.service_code,
                delivered_on=timezone.localdate(),
            )
        conversation.status = Conversation.Status.CLOSED
        conversation.outcome = outcome
        conversation.closed_at = timezone.now()
        conversation.save(update_fields=["status", "outcome", "closed_at"])
        audit_record(
            actor,
            "consultation.close",
            object_type="conversation",
            object_id=conversation.pk,
            organisation_id=conversation.organisation_id,
            details={"outcome": outcome},
        )
    return conversation


ARTICLE_FIELDS = (
    "last_reviewed",
    "uncertain",
    *(f"{part}_{lang}" for part in ("title", "summary", "body", "keywords") for lang in ("kk", "ru", "en")),
    "sources",
)


def _article_content(article: Article) -> dict[str, Any]:
    return {
        name: (value.isoformat() if name == "last_reviewed" else value)
        for name in ARTICLE_FIELDS
        for value in [getattr(article, name)]
    }


def article_save(*, actor: Actor, article: Article, changes: dict[str, Any]) -> Article:
    """Edit a knowledge-base article: the text as it was is kept as a revision (who, when),
    the version goes up, and the answering engine reads the new text from the next message
    on. Yearly amounts must stay placeholders ({mci}, {subsistence_minimum},
    {minimum_wage}, {minimum_pension}): any other brace is refused."""
    with transaction.atomic(durable=True):
        return article_save_in_transaction(actor=actor, article=article, changes=changes)


def article_save_in_transaction(*, actor: Actor, article: Article, changes: dict[str, Any]) -> Article:
    """`article_save` inside the caller's transaction."""
    check_in_transaction()
    unknown = set(changes) - set(ARTICLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be edited: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    for name, value in changes.items():
        if name.startswith(("summary_", "body_")):
            _check_placeholders(str(value), name)
    current = Article.objects.select_for_update().get(pk=article.pk)
    ArticleRevision.objects.create(
        article=current,
        version=current.version,
        content=_article_content(current),
        edited_by=_acting_user(actor),
    )
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    # The engine reads the new text from the next message on, in every process.
    transaction.on_commit(lambda: cache.delete(KNOWLEDGE_VERSION_KEY))
    audit_record(
        actor,
        "consult.article_edit",
        object_type="article",
        object_id=current.topic,
        details={"fields": sorted(changes), "version": current.version},
    )
    return current


ALLOWED_PLACEHOLDERS = frozenset({"mci", "subsistence_minimum", "minimum_wage", "minimum_pension"})


def _check_placeholders(text: str, field_name: str) -> None:
    try:
        names = {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        names = {"?"}
    if not names <= ALLOWED_PLACEHOLDERS:
        raise ValidationFailed(
            _(
                "Only these amounts can be placed in braces: {mci}, {subsistence_minimum}, "
                "{minimum_wage}, {minimum_pension}. Write other braces twice."
            ),
            field=field_name,
        )
