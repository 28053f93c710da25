"""The hand-off to a person (issue 17, item 3): routing by region and topic with its
fallback, the consultants' e-mail and badge (scoped to their organisation), the chat's
confirmation at once with the typical wait, the person seeing who took the conversation,
and the refusals: a closed conversation, an empty or too long reply."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from qoldau.consult import policy, selectors, services
from qoldau.consult.context_processors import WaitingCount
from qoldau.consult.errors import ConsultErrorCode
from qoldau.consult.models import Conversation, Coverage, Message
from qoldau.consult.tests.factories import consultant, signed_in
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.models import AuditEntry, Notification
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db

QUESTION = "Мүгедектік бойынша жәрдемақы қанша төленеді?"
CONFIRMATION = "Your conversation has been passed to a consultant"
TOO_FEW = "Too few requests have been answered yet to say how long a reply usually takes."


@pytest.fixture
def orgs():
    almaty = factories.organisation(name="Алматы қоры", kato=factories.ALMATY)
    turkistan = factories.organisation(name="Түркістан қоры", kato=factories.TURKISTAN)
    return almaty, turkistan


def person_asks(region_kato: str | None = None, *, question: str = QUESTION) -> tuple[Client, Conversation]:
    """A person asks in the web chat and presses "Talk to a consultant"."""
    client = Client()
    client.cookies["qoldau_language"] = "en"
    client.post("/consult/ask/", {"text": question})
    data = {"region": str(factories.region(region_kato).pk)} if region_kato else {}
    response = client.post("/consult/human/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client, Conversation.objects.order_by("-pk").first()  # type: ignore[return-value]


# Routing -----------------------------------------------------------------------------------


def test_a_hand_off_goes_to_an_organisation_of_the_persons_region(orgs):
    almaty, turkistan = orgs
    consultant("almaty.c", almaty)
    consultant("turkistan.c", turkistan)
    _client, conversation = person_asks(factories.TURKISTAN)
    assert conversation.status == Conversation.Status.WAITING
    assert conversation.organisation_id == turkistan.pk
    assert conversation.region == factories.region(factories.TURKISTAN)
    # The assistant's topic of the conversation, which the rule also routed by.
    answer_topic = conversation.messages.filter(sender="bot").values_list("topic", flat=True).get()
    assert answer_topic
    assert conversation.topic == answer_topic
    _client, other = person_asks(factories.ALMATY)
    assert other.organisation_id == almaty.pk


def test_the_most_specific_cover_wins_region_first_then_the_longest_topic(orgs):
    almaty, turkistan = orgs
    national = factories.organisation(name="Республикалық қор", kato=factories.ASTANA)
    for org in (almaty, turkistan, national):
        consultant(f"c{org.pk}", org)
    almaty_region = factories.region(factories.ALMATY).pk
    # The Almaty fund answers Almaty on every topic; the national one, benefits everywhere;
    # the Turkistan fund, the carer's benefit in Almaty.
    almaty_place = factories.region(factories.ALMATY)
    services.coverage_add(actor=None, organisation=almaty, region=almaty_place)
    services.coverage_add(actor=None, organisation=national, topic="benefit")
    services.coverage_add(actor=None, organisation=turkistan, region=almaty_place, topic="benefit.carer")
    route = services.handoff_organisation
    assert route(region_id=almaty_region, topic="benefit.carer") == turkistan
    assert route(region_id=almaty_region, topic="benefit.disability") == almaty  # the region first
    assert route(region_id=None, topic="benefit.disability") == national
    # "benefit" covers "benefit.x", not "benefits" or "benefitx".
    assert route(region_id=None, topic="benefitx.other") != national


def test_a_cover_of_a_district_or_an_odd_topic_is_refused(orgs):
    almaty, _turkistan = orgs
    district = factories.region(factories.ALMATY).children.first()
    assert district is not None
    with pytest.raises(ValidationFailed) as refused:
        services.coverage_add(actor=None, organisation=almaty, region=district)
    assert refused.value.field == "region"
    for topic in ("benefit disability", "<b>", "x" * 65):
        with pytest.raises(ValidationFailed) as refused:
            services.coverage_add(actor=None, organisation=almaty, topic=topic)
        assert refused.value.field == "topic"
    assert not Coverage.objects.exists()
    services.coverage_add(actor=None, organisation=almaty, topic="benefit.carer")
    assert AuditEntry.objects.filter(action="consult.coverage_add", organisation_id=almaty.pk).count() == 1


def test_a_tie_goes_to_the_organisation_with_fewer_waiting(orgs):
    almaty, _turkistan = orgs
    second = factories.organisation(name="Екінші Алматы қоры", kato=factories.ALMATY)
    consultant("first.c", almaty)
    consultant("second.c", second)
    first = person_asks(factories.ALMATY)[1]
    assert first.organisation_id == almaty.pk  # a tie with none waiting: the oldest
    assert person_asks(factories.ALMATY)[1].organisation_id == second.pk


def test_no_cover_goes_to_the_configured_fallback(orgs, settings):
    almaty, turkistan = orgs
    consultant("almaty.c", almaty)
    consultant("turkistan.c", turkistan)
    # Astana: nobody's region, and no cover of every region.
    _client, unset = person_asks(factories.ASTANA)
    assert unset.organisation_id == services.default_organisation().pk
    settings.QOLDAU_CONSULT_FALLBACK_ORGANISATION = turkistan.bin
    _client, configured = person_asks(factories.ASTANA)
    assert configured.organisation_id == turkistan.pk
    # A person who does not say their region has no region's organisation either.
    _client, unsaid = person_asks(None)
    assert unsaid.organisation_id == turkistan.pk


def test_a_region_not_in_the_list_is_refused_and_nothing_changes(orgs):
    almaty, _turkistan = orgs
    consultant("almaty.c", almaty)
    client = Client()
    client.cookies["qoldau_language"] = "en"
    client.post("/consult/ask/", {"text": QUESTION})
    district = factories.region(factories.ALMATY).children.first()
    for value in ("999999999", "abc", str(district.pk) if district else "-1"):
        response = client.post("/consult/human/", {"region": value})
        assert response.status_code == 400
        assert "Choose a region from the list." in response.content.decode()
    assert Conversation.objects.get().status == Conversation.Status.BOT


# Notification and badge --------------------------------------------------------------------


def test_the_organisations_consultants_are_told_by_e_mail_without_the_question(
    orgs, django_capture_on_commit_callbacks
):
    almaty, turkistan = orgs
    mine = consultant("almaty.c", almaty)
    mine.email = "almaty.c@example.org"
    mine.save()
    other = consultant("turkistan.c", turkistan)
    with django_capture_on_commit_callbacks(execute=True):
        _client, conversation = person_asks(factories.ALMATY)
    note = Notification.objects.get()
    assert (note.user, note.kind, note.object_id) == (mine, "consult.handed_off", str(conversation.pk))
    assert not Notification.objects.filter(user=other).exists()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["almaty.c@example.org"]
    # In the consultant's language (Kazakh by default), and never what the person wrote.
    assert sent.subject == "Кеңесшіні күтіп тұрған сөйлесу бар"
    assert str(conversation.pk) in sent.body
    assert QUESTION not in sent.body
    assert "жәрдемақы" not in sent.body


def test_the_badge_counts_the_waiting_conversations_of_ones_own_organisation(orgs, django_assert_num_queries):
    almaty, turkistan = orgs
    mine = consultant("almaty.c", almaty)
    other = consultant("turkistan.c", turkistan)
    admin = factories.user("root", "system_admin")
    person_asks(factories.ALMATY)
    _client, second = person_asks(factories.ALMATY)
    assert 'id="consultations-waiting">2 waiting<' in signed_in(mine).get("/consult/queue/").content.decode()
    # Another organisation's consultant: no badge, no row, and the conversation not found.
    other_client = signed_in(other)
    page = other_client.get("/consult/queue/").content.decode()
    assert "consultations-waiting" not in page
    assert f"Conversation {second.pk}" not in page
    assert other_client.get(f"/consult/conversations/{second.pk}/").status_code == 404
    assert other_client.post(f"/consult/conversations/{second.pk}/take/").status_code == 404
    # The administrator sees every queue, and its count.
    assert 'id="consultations-waiting">2 waiting<' in signed_in(admin).get("/").content.decode()
    # A taken conversation no longer waits.
    services.conversation_take(actor=mine, conversation=second)
    counter = WaitingCount(mine)
    policy.may_see_consultation_queue(mine)  # the user's scope, read once per request
    with django_assert_num_queries(1):
        assert counter.count == 1
    assert WaitingCount(other).count == 0


def test_the_administrator_sees_every_queue_and_its_figures_but_not_the_messages(orgs):
    almaty, turkistan = orgs
    consultant("almaty.c", almaty)
    consultant("turkistan.c", turkistan)
    _c, in_almaty = person_asks(factories.ALMATY)
    _c, in_turkistan = person_asks(factories.TURKISTAN)
    admin = signed_in(factories.user("root", "system_admin"))
    page = admin.get("/consult/queue/").content.decode()
    for conversation in (in_almaty, in_turkistan):
        assert f"Conversation {conversation.pk}" in page
    assert "All organisations" in page
    assert "en Алматы қоры" in page
    assert "en Түркістан қоры" in page
    assert "/take/" not in page
    assert f"/consult/conversations/{in_almaty.pk}/" not in page
    assert admin.get(f"/consult/conversations/{in_almaty.pk}/").status_code == 404


# The person's chat -------------------------------------------------------------------------


def test_the_chat_confirms_at_once_with_htmx_and_the_form_goes(orgs):
    consultant("almaty.c", orgs[0])
    client = Client()
    client.cookies["qoldau_language"] = "en"
    client.post("/consult/ask/", {"text": QUESTION})
    fragment = client.post("/consult/human/", {"region": ""}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert CONFIRMATION in html
    assert TOO_FEW in html
    assert 'id="handoff-confirmation"' in html
    assert "autofocus" in html
    assert '<div id="handoff" hx-swap-oob="true">' in html
    assert "/consult/human/" not in html
    # A later poll does not take the focus again.
    poll = client.get("/consult/log/").content.decode()
    assert CONFIRMATION in poll
    assert "autofocus" not in poll


def test_the_chat_confirms_without_javascript_too(orgs):
    consultant("almaty.c", orgs[0])
    client, _conversation = person_asks(factories.ALMATY)
    page = client.get("/consult/?handed_off=1").content.decode()
    assert CONFIRMATION in page
    assert "autofocus" in page
    assert "A consultant of en Алматы қоры will read your conversation" in page
    assert 'action="/consult/human/"' not in page
    assert "autofocus" not in client.get("/consult/").content.decode()


def test_the_typical_wait_is_measured_from_answered_hand_offs_or_not_told(orgs, settings):
    almaty = orgs[0]
    mine = consultant("almaty.c", almaty)
    settings.QOLDAU_CONSULT_WAIT_MIN_SAMPLES = 3
    now = timezone.now()
    for minutes in (10, 40, 70):
        _c, conversation = person_asks(factories.ALMATY)
        assert selectors.typical_wait(almaty.pk) is None  # too few yet: nothing is made up
        services.conversation_take(actor=mine, conversation=conversation)
        services.conversation_reply(actor=mine, conversation=conversation, text="Жауап")
        handed = now - dt.timedelta(hours=5)
        Conversation.objects.filter(pk=conversation.pk).update(
            handed_off_at=handed, first_reply_at=handed + dt.timedelta(minutes=minutes)
        )
    assert selectors.typical_wait(almaty.pk) == 40 * 60
    client, _conversation = person_asks(factories.ALMATY)
    page = client.get("/consult/").content.decode()
    assert "half of the people who asked got a consultant&#x27;s first reply within 40 minutes." in page
    # Another organisation without answered hand-offs: its configured promise, else nothing.
    turkistan = orgs[1]
    consultant("turkistan.c", turkistan)
    client, _conversation = person_asks(factories.TURKISTAN)
    assert TOO_FEW in client.get("/consult/").content.decode()
    settings.QOLDAU_CONSULT_PROMISED_HOURS = 24
    assert "Consultants aim to reply within 24 hours." in client.get("/consult/").content.decode()


def test_the_person_sees_who_took_it_by_first_name_never_the_username(orgs):
    almaty = orgs[0]
    named = consultant("aigerim.k", almaty)
    named.first_name = "Айгерім"
    named.save()
    client, conversation = person_asks(factories.ALMATY)
    services.conversation_take(actor=named, conversation=conversation)
    services.conversation_reply(actor=named, conversation=conversation, text="Сәлеметсіз бе, көмектесемін.")
    log = client.get("/consult/log/").content.decode()
    assert "Consultant Айгерім has taken your conversation and answers you here." in log
    assert "Сәлеметсіз бе, көмектесемін." in log
    assert "aigerim.k" not in log
    unnamed = consultant("nameless", almaty)
    client, conversation = person_asks(factories.ALMATY)
    services.conversation_take(actor=unnamed, conversation=conversation)
    log = client.get("/consult/log/").content.decode()
    assert "A consultant has taken your conversation and answers you here." in log
    assert "nameless" not in log


# Refusals ----------------------------------------------------------------------------------


def test_a_reply_to_a_closed_conversation_is_refused_and_nothing_is_kept(orgs):
    mine = consultant("almaty.c", orgs[0])
    _c, conversation = person_asks(factories.ALMATY)
    services.conversation_take(actor=mine, conversation=conversation)
    services.conversation_close(actor=mine, conversation=conversation, outcome="resolved")
    kept = Message.objects.count()
    with pytest.raises(Conflict) as refused:
        services.conversation_reply(actor=mine, conversation=conversation, text="Тағы бір нәрсе")
    assert refused.value.code == ConsultErrorCode.CLOSED
    page = signed_in(mine).post(f"/consult/conversations/{conversation.pk}/reply/", {"text": "Тағы"})
    assert page.status_code == 409
    assert "This conversation is closed: the reply was not sent." in page.content.decode()
    assert Message.objects.count() == kept


@pytest.mark.parametrize("text", ["", "   \n ", "ә" * 10_000], ids=["empty", "blank", "10000"])
def test_an_empty_or_too_long_reply_is_refused_with_a_clear_error(orgs, text):
    mine = consultant("almaty.c", orgs[0])
    _c, conversation = person_asks(factories.ALMATY)
    services.conversation_take(actor=mine, conversation=conversation)
    kept = Message.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.conversation_reply(actor=mine, conversation=conversation, text=text)
    assert refused.value.code == (ErrorCode.TOO_LONG if text.strip() else ErrorCode.REQUIRED)
    page = signed_in(mine).post(f"/consult/conversations/{conversation.pk}/reply/", {"text": text})
    assert page.status_code == 200
    html = page.content.decode()
    assert "error-summary" in html
    if text.strip():
        assert "The text is longer than 4000 characters." in html
    assert Message.objects.count() == kept
    conversation.refresh_from_db()
    assert conversation.first_reply_at is None


def test_the_first_reply_is_recorded_once(orgs):
    mine = consultant("almaty.c", orgs[0])
    _c, conversation = person_asks(factories.ALMATY)
    services.conversation_take(actor=mine, conversation=conversation)
    first = services.conversation_reply(actor=mine, conversation=conversation, text="Бірінші")
    services.conversation_reply(actor=mine, conversation=conversation, text="Екінші")
    conversation.refresh_from_db()
    assert conversation.first_reply_at == first.created_at
    assert conversation.taken_at is not None
    assert conversation.handed_off_at is not None


def test_a_take_before_the_hand_off_is_refused(orgs):
    mine = consultant("almaty.c", orgs[0])
    # Still with the assistant: a consultant could only find it by guessing its number.
    conversation = services.conversation_for(channel="web", channel_key="k", language="kk")
    assert conversation.status == Conversation.Status.BOT
    with pytest.raises(Conflict) as refused:
        services.conversation_take(actor=mine, conversation=conversation)
    assert refused.value.code == ConsultErrorCode.NOT_WAITING
    conversation.refresh_from_db()
    assert (conversation.status, conversation.consultant) == (Conversation.Status.BOT, None)


def test_a_second_taker_is_told_in_their_language(orgs):
    mine = consultant("almaty.c", orgs[0])
    colleague = consultant("almaty.d", orgs[0])
    _c, conversation = person_asks(factories.ALMATY)
    services.conversation_take(actor=mine, conversation=conversation)
    client = signed_in(colleague)
    client.cookies["qoldau_language"] = "ru"
    response = client.post(f"/consult/conversations/{conversation.pk}/take/", follow=True)
    assert "На этот разговор уже отвечает другой консультант." in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.consultant == mine


def test_settings_defaults_are_documented():
    readme = (django_settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    example = (django_settings.BASE_DIR / ".env.example").read_text(encoding="utf-8")
    for name in (
        "QOLDAU_CONSULT_FALLBACK_ORGANISATION",
        "QOLDAU_CONSULT_WAIT_MIN_SAMPLES",
        "QOLDAU_CONSULT_PROMISED_HOURS",
    ):
        assert f"`{name}`" in readme
        assert f"# {name}=" in example
