"""The web chat and the consultants' pages, through the test client."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from qoldau.consult import services
from qoldau.consult.models import Conversation
from qoldau.consult.tests.factories import consultant, signed_in, waiting_conversation
from qoldau.core.middleware import FORBIDDEN_INPUT
from qoldau.core.models import AuditEntry
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db

QUESTION = "Мүгедектік бойынша жәрдемақы қанша төленеді?"


@pytest.fixture
def orgs():
    return factories.organisation(name="Бірінші"), factories.organisation(name="Екінші")


def ask(client: Client, text: str, *, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/consult/ask/", {"text": text}, headers=headers)


def test_the_chat_page_is_public_and_labelled():
    page = Client().get("/consult/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-live="polite"' in html
    assert 'for="id_text"' in html


def test_a_web_question_gets_an_answer_with_its_sources(orgs):
    client = Client()
    response = ask(client, QUESTION)
    assert response.status_code == 302
    page = client.get("/consult/")
    html = page.content.decode()
    assert QUESTION in html
    assert "жәрдемақы" in html.lower()
    assert 'class="sources"' in html
    assert Conversation.objects.get().messages.count() == 2


def test_htmx_asks_get_the_log_fragment(orgs):
    client = Client()
    fragment = ask(client, QUESTION, htmx=True)
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert QUESTION in fragment.content.decode()


def test_asking_for_a_consultant_puts_the_conversation_in_the_queue(orgs):
    mine = consultant("mine", orgs[0])
    client = Client()
    ask(client, QUESTION)
    assert client.post("/consult/human/").status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.status == "waiting"
    queue = signed_in(mine).get("/consult/queue/")
    assert f"/consult/conversations/{conversation.pk}/" in queue.content.decode()


def test_a_consultant_of_another_organisation_cannot_see_or_take_it(orgs):
    consultant("mine", orgs[0])
    other = signed_in(consultant("other", orgs[1]))
    conversation = waiting_conversation()
    assert other.get(f"/consult/conversations/{conversation.pk}/").status_code == 404
    assert other.post(f"/consult/conversations/{conversation.pk}/take/").status_code == 404
    assert f"/consult/conversations/{conversation.pk}/" not in other.get("/consult/queue/").content.decode()
    conversation.refresh_from_db()
    assert conversation.status == "waiting"


def test_ngo_staff_have_no_queue(orgs):
    staff = signed_in(factories.user("staff", "ngo_staff", org=orgs[0]))
    assert staff.get("/consult/queue/").status_code == 404


def test_take_reply_and_the_person_sees_it_while_the_bot_stays_silent(orgs):
    mine = signed_in(consultant("mine", orgs[0]))
    person = Client()
    ask(person, QUESTION)
    person.post("/consult/human/")
    conversation = Conversation.objects.get()
    assert mine.post(f"/consult/conversations/{conversation.pk}/take/").status_code == 302
    page = mine.get(f"/consult/conversations/{conversation.pk}/")
    assert 'id="reply_text"' in page.content.decode()
    reply = mine.post(f"/consult/conversations/{conversation.pk}/reply/", {"text": "Сәлем, мен кеңесшімін."})
    assert reply.status_code == 302
    log = person.get("/consult/log/")
    assert "Сәлем, мен кеңесшімін." in log.content.decode()
    assert 'hx-trigger="every 5s"' in log.content.decode()
    ask(person, "Рахмет! Тағы бір сұрақ: зейнетақы қашан?")
    senders = list(conversation.messages.values_list("sender", flat=True))
    assert senders[-2:] == ["consultant", "person"]


def test_the_poll_answers_no_content_when_nothing_is_new(orgs):
    consultant("mine", orgs[0])
    person = Client()
    ask(person, QUESTION)
    person.post("/consult/human/")
    conversation = Conversation.objects.get()
    last = conversation.messages.order_by("pk").last()
    assert last is not None
    assert person.get(f"/consult/log/?after={last.pk}&status=waiting").status_code == 204


def test_a_second_consultant_cannot_take_a_held_conversation(orgs):
    first = signed_in(consultant("first", orgs[0]))
    second = signed_in(consultant("second", orgs[0]))
    conversation = waiting_conversation()
    first.post(f"/consult/conversations/{conversation.pk}/take/")
    refused = second.post(f"/consult/conversations/{conversation.pk}/take/", follow=True)
    assert "Another consultant is already answering this conversation." in refused.content.decode()
    conversation.refresh_from_db()
    assert conversation.consultant is not None
    assert conversation.consultant.username == "first"
    assert second.post(f"/consult/conversations/{conversation.pk}/reply/", {"text": "Hi"}).status_code == 403
    assert conversation.messages.filter(sender="consultant").count() == 0


def test_close_with_an_outcome(orgs):
    mine = signed_in(consultant("mine", orgs[0]))
    conversation = waiting_conversation()
    mine.post(f"/consult/conversations/{conversation.pk}/take/")
    bad = mine.post(f"/consult/conversations/{conversation.pk}/close/", {"outcome": "lost"})
    assert bad.status_code == 200
    assert "error-summary" in bad.content.decode()
    done = mine.post(f"/consult/conversations/{conversation.pk}/close/", {"outcome": "referred"})
    assert done.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.status, conversation.outcome) == ("closed", "referred")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 10_000, "ә" * 10_001, "\x01\x02\xff binary"],
    ids=["empty", "blank", "10000", "over-10000", "binary"],
)
def test_odd_messages_never_error(orgs, text):
    client = Client()
    assert ask(client, text).status_code in {200, 302}
    assert ask(client, text, htmx=True).status_code == 200
    assert client.get("/consult/").status_code == 200


def test_raw_binary_bodies_are_refused_without_a_server_error(orgs):
    # A NUL is refused before any page sees it (core.middleware): a 400 page that says so.
    client = Client()
    response = client.post(
        "/consult/ask/", b"text=\xff\xfe\x00\x9c", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert escape(str(FORBIDDEN_INPUT % {"field": "text"})) in response.content.decode()
    assert client.get("/consult/").status_code == 200


def test_an_empty_reply_is_refused_with_a_form_error(orgs):
    mine = signed_in(consultant("mine", orgs[0]))
    conversation = waiting_conversation()
    mine.post(f"/consult/conversations/{conversation.pk}/take/")
    page = mine.post(f"/consult/conversations/{conversation.pk}/reply/", {"text": "  "})
    assert page.status_code == 200
    assert "error-summary" in page.content.decode()


def test_the_queue_page_uses_a_fixed_number_of_queries(orgs, django_assert_max_num_queries):
    mine = consultant("mine", orgs[0])
    taker = consultant("taker", orgs[0])
    for i in range(6):
        conversation = waiting_conversation(key=f"chat-{i}")
        if i % 2:
            services.conversation_take(actor=taker, conversation=conversation)
    client = signed_in(mine)
    with django_assert_max_num_queries(8):
        page = client.get("/consult/queue/")
    assert page.content.decode().count("/take/") == 3


def test_every_read_of_a_conversation_by_a_consultant_is_audited_without_its_text(orgs):
    mine = consultant("mine", orgs[0])
    client = signed_in(mine)
    iin = "880315350123"
    person = Client()
    ask(person, f"Менің ЖСН {iin}, жәрдемақы қашан төленеді?")
    person.post("/consult/human/")
    conversation = Conversation.objects.get()
    reads = AuditEntry.objects.filter(action="consultation.read")

    # The queue lists conversations without their messages: nothing is read there.
    assert iin not in client.get("/consult/queue/").content.decode()
    assert reads.count() == 0
    page = client.get(f"/consult/conversations/{conversation.pk}/")
    assert iin in page.content.decode()
    client.post(f"/consult/conversations/{conversation.pk}/take/")
    # A refused reply shows the conversation again: another read.
    client.post(f"/consult/conversations/{conversation.pk}/reply/", {"text": " "})
    assert reads.count() == 2
    assert set(reads.values_list("object_type", "object_id", "organisation_id", "actor_username")) == {
        ("conversation", str(conversation.pk), orgs[0].pk, "mine")
    }
    for entry in AuditEntry.objects.all():
        assert iin not in f"{entry.details} {entry.object_id} {entry.object_type}"
    # A consultant of another organisation reads nothing, and nothing is recorded for them.
    other = signed_in(consultant("other", orgs[1]))
    assert other.get(f"/consult/conversations/{conversation.pk}/").status_code == 404
    assert not reads.filter(actor_username="other").exists()
