"""Who may see, take and answer the conversations handed off to a consultant, stated once
here. A consultant sees the conversations handed to their organisation (waiting, held by
them or by a colleague, closed), takes a waiting one, and answers and closes the ones they
took. Nobody else reads any: not the organisation's other staff, not officers, not a
system administrator (conversations hold what people write about their health and their
IIN). A system administrator sees every organisation's queue (which conversations wait,
where, how long, how fast they were answered), never the messages. The person's own chat
is theirs by its session or Telegram chat, not by a rule here.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.consult.models import Conversation
from qoldau.core import policy as core_policy
from qoldau.core.access import Actor, user_scope
from qoldau.core.errors import NotFound, PermissionDenied


def may_see_consultation_queue(user: Actor) -> bool:
    """The consultations' queue is a consultant's and a system administrator's; to anyone
    else it does not exist."""
    return core_policy.may_consult_for_some_organisation(user) or user_scope(user).system_admin


def sees_every_queue(user: Actor) -> bool:
    """A system administrator oversees the queues of every organisation."""
    return user_scope(user).system_admin


# The queue: which conversations a user sees listed ------------------------------------------


def conversations_queued_for(user: Actor) -> QuerySet[Conversation]:
    """The conversations a user sees in the queue (number, channel, status, waiting time,
    never a message): a consultant those of their organisations, a system administrator
    every organisation's."""
    if sees_every_queue(user):
        return Conversation.objects.all()
    return conversations_visible(user)


def may_see_conversation_in_queue(user: Actor, conversation: Conversation) -> bool:
    """The check form of `conversations_queued_for`."""
    return sees_every_queue(user) or may_see_conversation(user, conversation)


def check_may_see_consultation_queue(user: Actor) -> None:
    if not may_see_consultation_queue(user):
        raise NotFound(_("There is no such page."))


def organisations_answered_by(user: Actor) -> frozenset[int]:
    """The organisations whose conversations the user reads, takes and answers (a
    consultant's own); the query form of `may_see_conversation` for a page's rows."""
    return user_scope(user).consultant_organisation_ids


# Seeing and taking a conversation -----------------------------------------------------------


def conversations_visible(user: Actor) -> QuerySet[Conversation]:
    """The conversations a user may see, read and take: those handed to an organisation
    they answer consultations for."""
    return Conversation.objects.filter(core_policy.consulted_for_q(user, "organisation"))


def may_see_conversation(user: Actor, conversation: Conversation) -> bool:
    """The check form of `conversations_visible`."""
    return user_scope(user).may_consult_for(conversation.organisation_id)


def check_may_see_conversation(user: Actor, conversation: Conversation | None) -> None:
    """Not found for a conversation outside the user's organisations, the same as for none
    (`None`)."""
    if conversation is None or not may_see_conversation(user, conversation):
        raise NotFound(_("There is no such conversation."))


def may_take_conversation(user: Actor, conversation: Conversation) -> bool:
    """Any consultant who sees a conversation may take it (whether it still waits is the
    conversation's state, checked when it is taken)."""
    return may_see_conversation(user, conversation)


def check_may_take_conversation(user: Actor, conversation: Conversation) -> None:
    check_may_see_conversation(user, conversation)


# Answering and closing -------------------------------------------------------------------


def conversations_answerable_by(user: Actor) -> QuerySet[Conversation]:
    """The conversations a user may answer and close: the ones they took and hold."""
    if not user.is_authenticated:
        return Conversation.objects.none()
    return conversations_visible(user).filter(
        status=Conversation.Status.WITH_CONSULTANT, consultant_id=user.pk
    )


def may_answer_conversation(user: Actor, conversation: Conversation) -> bool:
    """The check form of `conversations_answerable_by`."""
    return (
        user.is_authenticated
        and may_see_conversation(user, conversation)
        and conversation.status == Conversation.Status.WITH_CONSULTANT
        and conversation.consultant_id == user.pk
    )


def check_may_answer_conversation(user: Actor, conversation: Conversation) -> None:
    """Not found for a conversation the user may not see; refused when they see it but do
    not hold it."""
    check_may_see_conversation(user, conversation)
    if not may_answer_conversation(user, conversation):
        raise PermissionDenied(_("Only the consultant who took this conversation may answer or close it."))
