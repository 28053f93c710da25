"""Reads of consultations, with the consultant's scope check."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.consult.models import Conversation, Message
from qoldau.core.access import user_scope
from qoldau.core.errors import NotFound

Actor = AbstractBaseUser | AnonymousUser


def consultation_queue(user: Actor) -> QuerySet[Conversation]:
    """Waiting and held conversations of the consultant's organisations, oldest hand-off
    first; each with `waiting_since` (the hand-off time) for the waiting time."""
    scope = user_scope(user)
    return (
        Conversation.objects.filter(
            organisation_id__in=scope.consultant_organisation_ids,
            status__in=[Conversation.Status.WAITING, Conversation.Status.WITH_CONSULTANT],
        )
        .select_related("consultant")
        .order_by("handed_off_at", "pk")
    )


def conversation_get_for_consultant(user: Actor, conversation_id: int) -> Conversation:
    """A conversation of the consultant's organisation; NotFound for any other."""
    scope = user_scope(user)
    conversation = (
        Conversation.objects.select_related("consultant")
        .filter(pk=conversation_id, organisation_id__in=scope.consultant_organisation_ids)
        .first()
    )
    if conversation is None:
        raise NotFound(_("There is no such conversation."))
    return conversation


def conversation_messages(conversation: Conversation) -> list[Message]:
    return list(conversation.messages.order_by("created_at", "pk"))


def conversation_open_for(*, channel: str, channel_key: str) -> Conversation | None:
    """The open conversation of a web session or a Telegram chat, if there is one."""
    return (
        Conversation.objects.filter(channel=channel, channel_key=channel_key)
        .exclude(status=Conversation.Status.CLOSED)
        .first()
    )
