"""The services of a conversation: the hand-off, the consultant's take, reply and close."""

from __future__ import annotations

import pytest

from qoldau.consult import selectors, services
from qoldau.consult.models import Conversation, Message
from qoldau.consult.tests.factories import consultant, waiting_conversation
from qoldau.core.access import user_scope
from qoldau.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import AuditEntry
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return factories.organisation(name="Бірінші"), factories.organisation(name="Екінші")


def test_the_web_chat_belongs_to_the_first_organisation_with_a_consultant(orgs):
    second = orgs[1]
    consultant("second.consultant", second)
    conversation = services.conversation_for(channel="web", channel_key="abc", language="ru")
    assert conversation.organisation == second
    assert services.conversation_for(channel="web", channel_key="abc", language="ru") == conversation


def test_asking_for_a_human_in_words_puts_the_conversation_in_the_queue(orgs):
    conversation = services.conversation_for(channel="web", channel_key="abc", language="en")
    answer = services.conversation_ask(
        conversation=conversation, text="I want to talk to a consultant", lang="en"
    )
    assert answer is not None
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING
    assert conversation.handed_off_at is not None


def test_a_consultant_sees_no_people(orgs):
    scope = user_scope(consultant("c", orgs[0]))
    assert not scope.sees_people
    assert not scope.may_work_for(orgs[0].pk)
    assert scope.may_consult_for(orgs[0].pk)


def test_take_reply_close_are_audited_and_the_bot_stays_silent_meanwhile(orgs):
    mine = consultant("mine", orgs[0])
    conversation = waiting_conversation()
    services.conversation_take(actor=mine, conversation=conversation)
    services.conversation_reply(actor=mine, conversation=conversation, text="Сәлеметсіз бе, көмектесейін.")
    assert services.conversation_ask(conversation=conversation, text="Рахмет, тағы сұрақ", lang="kk") is None
    conversation.refresh_from_db()
    assert list(conversation.messages.values_list("sender", flat=True)) == [
        "person",
        "bot",
        "consultant",
        "person",
    ]
    # The consultant's message waits for the channel to deliver it.
    assert conversation.messages.get(sender=Message.Sender.CONSULTANT).delivered_at is None
    services.conversation_close(actor=mine, conversation=conversation, outcome="resolved")
    conversation.refresh_from_db()
    assert (conversation.status, conversation.outcome) == ("closed", "resolved")
    actions = set(AuditEntry.objects.filter(object_type="conversation").values_list("action", flat=True))
    assert actions == {"consultation.take", "consultation.reply", "consultation.close"}


def test_a_second_consultant_cannot_take_a_held_conversation(orgs):
    first, second = consultant("first", orgs[0]), consultant("second", orgs[0])
    conversation = waiting_conversation()
    services.conversation_take(actor=first, conversation=conversation)
    with pytest.raises(Conflict):
        services.conversation_take(actor=second, conversation=conversation)
    with pytest.raises(PermissionDenied):
        services.conversation_reply(actor=second, conversation=conversation, text="Hello")
    conversation.refresh_from_db()
    assert conversation.consultant == first


def test_a_consultant_of_another_organisation_cannot_take_or_read(orgs):
    consultant("mine", orgs[0])
    other = consultant("other", orgs[1])
    conversation = waiting_conversation()
    with pytest.raises(NotFound):
        services.conversation_take(actor=other, conversation=conversation)
    with pytest.raises(NotFound):
        selectors.conversation_get_for_consultant(other, conversation.pk)
    assert list(selectors.consultation_queue(other)) == []


def test_an_empty_reply_and_an_unknown_outcome_are_refused(orgs):
    mine = consultant("mine", orgs[0])
    conversation = services.conversation_take(actor=mine, conversation=waiting_conversation())
    with pytest.raises(ValidationFailed):
        services.conversation_reply(actor=mine, conversation=conversation, text="   ")
    with pytest.raises(ValidationFailed):
        services.conversation_close(actor=mine, conversation=conversation, outcome="lost")
    assert conversation.messages.filter(sender="consultant").count() == 0


def test_a_consultant_role_needs_an_organisation():
    from django.contrib.auth.models import User

    from qoldau.core import services as core_services
    from qoldau.core.errors import ValidationFailed
    from qoldau.core.models import RoleAssignment

    account = User.objects.create_user("lonely.consultant")
    with pytest.raises(ValidationFailed) as refused:
        core_services.role_assign(actor=None, user=account, role="consultant", organisation=None, region=None)
    assert refused.value.field == "organisation"
    assert not RoleAssignment.objects.filter(user=account).exists()


def test_closing_with_the_persons_iin_counts_the_consultation_in_the_impact_figures(orgs):
    import datetime as dt

    from django.utils import timezone

    from qoldau.projects.impact import ImpactFilter, impact_report
    from qoldau.projects.models import ServiceDelivery
    from qoldau.projects.tests.factories import project

    org = orgs[0]
    admin = factories.user("org.admin", "ngo_admin", org=org)
    staff = factories.user("org.staff", "ngo_staff", org=org)
    today = timezone.localdate()
    consultations = project(
        admin, org, starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=30)
    )
    served = factories.person(staff, org)
    mine = consultant("mine", org)
    conversation = waiting_conversation()
    services.conversation_take(actor=mine, conversation=conversation)

    # An IIN the organisation does not serve: refused, the conversation stays open.
    with pytest.raises(NotFound):
        services.conversation_close(
            actor=mine,
            conversation=conversation,
            outcome="resolved",
            record=services.ConsultationToRecord(
                iin=factories.valid_iin(), project_id=consultations.pk, service_code="legal_consultation"
            ),
        )
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WITH_CONSULTANT
    assert not ServiceDelivery.objects.exists()

    services.conversation_close(
        actor=mine,
        conversation=conversation,
        outcome="resolved",
        record=services.ConsultationToRecord(
            iin=served.iin or "", project_id=consultations.pk, service_code="legal_consultation"
        ),
    )
    delivery = ServiceDelivery.objects.get()
    assert (delivery.person_id, delivery.project_id, delivery.service.code) == (
        served.pk,
        consultations.pk,
        "legal_consultation",
    )
    report = impact_report(None, ImpactFilter.for_year(today.year, project_ids=(consultations.pk,)))
    assert report.people_reached == 1
    assert AuditEntry.objects.filter(action="delivery.record_consultation", actor=mine).exists()
