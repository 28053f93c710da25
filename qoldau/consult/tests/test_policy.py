"""consult.policy: which conversations a consultant sees, takes, answers and closes, and
whose the consultations' pages are; each rule's check form, query form and refusal
against one table of users × conversations, and each refusal's message."""

from __future__ import annotations

import pytest

from qoldau.consult import policy, services
from qoldau.consult.tests.factories import consultant, waiting_conversation
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.tests.policy_cases import Refusal, cast, refusal, rule_mismatches, user_mismatches

pytestmark = pytest.mark.django_db

ALMATY_CONSULTANTS = {"almaty.consultant", "almaty.colleague"}


@pytest.fixture
def scene():
    # Handed off before any organisation had a consultant: it belongs to none.
    orphan = waiting_conversation("chat-orphan")
    c = cast()
    w = c.world
    users = {
        **c.users,
        "almaty.colleague": consultant("almaty.colleague", w.almaty_ngo),
        "turkistan.consultant": consultant("turkistan.consultant", w.turkistan_ngo),
    }
    mine, colleague = users["almaty.consultant"], users["almaty.colleague"]
    held_by_me = waiting_conversation("chat-mine")
    services.conversation_take(actor=mine, conversation=held_by_me)
    held_by_colleague = waiting_conversation("chat-colleague")
    services.conversation_take(actor=colleague, conversation=held_by_colleague)
    closed = waiting_conversation("chat-closed")
    services.conversation_take(actor=mine, conversation=closed)
    services.conversation_close(actor=mine, conversation=closed, outcome="resolved")
    conversations = {
        "orphan": orphan,
        "waiting": waiting_conversation("chat-waiting"),
        "held_by_me": held_by_me,
        "held_by_colleague": held_by_colleague,
        "closed": closed,
    }
    for conversation in conversations.values():
        conversation.refresh_from_db()
    assert orphan.organisation_id is None
    assert {conversations[n].organisation_id for n in conversations if n != "orphan"} == {w.almaty_ngo.pk}
    return users, conversations


def table(users, **allowed):
    """Every user of the scene refused everything but what is named (`_` for `.`)."""
    rows = {name: set() for name in users}
    for key, records in allowed.items():
        rows[key.replace("_", ".")] = records
    assert set(rows) == set(users)
    return rows


ALMATY_CONVERSATIONS = {"waiting", "held_by_me", "held_by_colleague", "closed"}


def test_who_sees_and_takes_which_conversation(scene):
    users, conversations = scene
    seen = table(users, almaty_consultant=ALMATY_CONVERSATIONS, almaty_colleague=ALMATY_CONVERSATIONS)
    for check, refuse in (
        (policy.may_see_conversation, policy.check_may_see_conversation),
        (policy.may_take_conversation, policy.check_may_take_conversation),
    ):
        assert (
            rule_mismatches(
                users, conversations, seen, check=check, query=policy.conversations_visible, refuse=refuse
            )
            == []
        )


def test_a_conversation_of_another_organisation_is_not_found_as_is_none(scene):
    users, conversations = scene
    expected = Refusal(NotFound, 404, "There is no such conversation.")
    other = users["turkistan.consultant"]
    assert refusal(lambda: policy.check_may_see_conversation(other, conversations["waiting"])) == expected
    assert refusal(
        lambda: policy.check_may_take_conversation(users["sysadmin"], conversations["waiting"])
    ) == (expected)
    assert refusal(lambda: policy.check_may_see_conversation(users["almaty.consultant"], None)) == expected


def test_who_answers_and_closes_which_conversation(scene):
    users, conversations = scene
    answered = table(users, almaty_consultant={"held_by_me"}, almaty_colleague={"held_by_colleague"})
    assert (
        rule_mismatches(
            users,
            conversations,
            answered,
            check=policy.may_answer_conversation,
            query=policy.conversations_answerable_by,
            refuse=policy.check_may_answer_conversation,
        )
        == []
    )


def test_answering_a_conversation_one_does_not_hold_is_refused_with_its_reason(scene):
    users, conversations = scene
    mine = users["almaty.consultant"]
    held = Refusal(
        PermissionDenied, 403, "Only the consultant who took this conversation may answer or close it."
    )
    assert (
        refusal(lambda: policy.check_may_answer_conversation(mine, conversations["held_by_colleague"]))
        == held
    )
    assert refusal(lambda: policy.check_may_answer_conversation(mine, conversations["waiting"])) == held
    # One the user may not even see is not found, not refused.
    other = users["turkistan.consultant"]
    assert refusal(
        lambda: policy.check_may_answer_conversation(other, conversations["held_by_me"])
    ) == Refusal(NotFound, 404, "There is no such conversation.")


def test_the_queue_is_the_consultants_and_the_system_administrators(scene):
    users, _conversations = scene
    consultants = {*ALMATY_CONSULTANTS, "turkistan.consultant"}
    assert (
        user_mismatches(
            users,
            {*consultants, "sysadmin"},
            check=policy.may_see_consultation_queue,
            refuse=policy.check_may_see_consultation_queue,
        )
        == []
    )
    assert refusal(lambda: policy.check_may_see_consultation_queue(users["almaty.admin"])) == Refusal(
        NotFound, 404, "There is no such page."
    )


def test_a_system_administrator_sees_every_queue_but_reads_and_takes_none(scene):
    users, conversations = scene
    listed = table(
        users,
        almaty_consultant=ALMATY_CONVERSATIONS,
        almaty_colleague=ALMATY_CONVERSATIONS,
        sysadmin=set(conversations),
    )
    assert (
        rule_mismatches(
            users,
            conversations,
            listed,
            check=policy.may_see_conversation_in_queue,
            query=policy.conversations_queued_for,
        )
        == []
    )
    # The messages stay the organisation's consultants': not found for the administrator.
    sysadmin = users["sysadmin"]
    assert not policy.may_see_conversation(sysadmin, conversations["waiting"])
    assert policy.organisations_answered_by(sysadmin) == frozenset()
