"""Flood limits of the assistant: the web chat's messages per session and per address, the
API's questions per address, and hand-offs to a consultant per address. A refused request
gets 429 with the reason in the person's language and stores nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from qoldau.consult.models import Conversation, Message
from qoldau.core.ratelimit import DEFAULT_MESSAGE
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db

QUESTION = "Мүгедектік бойынша жәрдемақы қанша төленеді?"
TOO_QUICK = "You are sending messages too quickly. Wait a little, then send your question again."
TOO_MANY_HAND_OFFS = (
    "Too many conversations were passed to consultants from your connection. Try again later."
)
NO_QUESTION = "Write your question first; then a consultant can take the conversation."


@pytest.fixture(autouse=True)
def _consultants_organisation() -> None:
    factories.user("consultant", "consultant", org=factories.organisation())


def limits(settings: Any, **named: tuple[float, int]) -> None:
    settings.QOLDAU_RATE_LIMITS = {**settings.QOLDAU_RATE_LIMITS, **named}


def person(address: str = "203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["qoldau_language"] = "en"
    return client


def ask(client: Client, text: str = QUESTION, *, htmx: bool = False) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/consult/ask/", {"text": text}, headers=headers)


def stored() -> tuple[int, int]:
    return Conversation.objects.count(), Message.objects.count()


def test_a_burst_within_the_sessions_limit_passes_and_the_next_message_stores_nothing(settings):
    limits(settings, chat=(1 / 60, 3), chat_address=(1.0, 100))
    client = person()
    for _ in range(3):
        assert ask(client).status_code == 302
    assert stored() == (1, 6)

    refused = ask(client)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert TOO_QUICK in refused.content.decode()
    assert 'class="error-summary"' in refused.content.decode()
    # Through htmx the log comes back with the reason in it, still 429.
    fragment = ask(client, htmx=True)
    assert fragment.status_code == 429
    assert "<html" not in fragment.content.decode()
    assert TOO_QUICK in fragment.content.decode()
    assert stored() == (1, 6)


def test_a_new_session_from_the_same_address_does_not_reset_the_addresss_bucket(settings):
    limits(settings, chat=(1 / 60, 3), chat_address=(1 / 60, 5))
    first = person()
    for _ in range(3):
        assert ask(first).status_code == 302
    assert ask(first).status_code == 429
    second = person()
    assert ask(second).status_code == 302
    assert ask(second).status_code == 302
    # The address has had its five; fresh sessions do not help.
    sessions = Session.objects.count()
    for _ in range(3):
        assert ask(person()).status_code == 429
    assert stored() == (2, 10)
    assert Session.objects.count() == sessions
    # Another address is not held back.
    assert ask(person("198.51.100.4")).status_code == 302


def test_the_api_limits_questions_per_address_with_a_rate_limited_code(settings):
    limits(settings, chat_address=(1 / 60, 2))
    client = person()

    def api_ask() -> Any:
        body = json.dumps({"text": QUESTION})
        return client.post("/api/v1/consult/ask", body, content_type="application/json")

    assert [api_ask().status_code for _ in range(2)] == [200, 200]
    refused = api_ask()
    assert refused.status_code == 429
    assert 55 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["message"] == (
        "Too many requests came from your connection in a short time. Wait a little and try again."
    )
    client.cookies["qoldau_language"] = "ru"
    with translation.override("ru"):
        in_russian = gettext(DEFAULT_MESSAGE)
    assert api_ask().json()["message"] == in_russian  # the person's language, from the catalogue
    assert (
        person("198.51.100.4")
        .post("/api/v1/consult/ask", json.dumps({"text": QUESTION}), content_type="application/json")
        .status_code
        == 200
    )


def test_a_hand_off_without_a_question_is_refused_and_stores_nothing():
    for htmx in (False, True):
        client = person()
        response = client.post("/consult/human/", headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code == 400
        assert NO_QUESTION in response.content.decode()
    assert stored() == (0, 0)
    assert not Session.objects.exists()


def test_hand_offs_per_address_are_limited(settings):
    limits(settings, handoff_address=(1 / 3600, 2))
    clients = [person() for _ in range(3)]
    for client in clients:
        assert ask(client).status_code == 302
    assert clients[0].post("/consult/human/").status_code == 302
    assert clients[1].post("/consult/human/", headers={"HX-Request": "true"}).status_code == 200
    refused = clients[2].post("/consult/human/")
    assert refused.status_code == 429
    assert TOO_MANY_HAND_OFFS in refused.content.decode()
    statuses = sorted(Conversation.objects.values_list("status", flat=True))
    assert statuses == ["bot", "waiting", "waiting"]
    # Asking for a person in words is a hand-off too: refused, and not even the question is kept.
    before, sessions = stored(), Session.objects.count()
    refused = ask(person(), "I want to talk to a consultant", htmx=True)
    assert refused.status_code == 429
    assert TOO_MANY_HAND_OFFS in refused.content.decode()
    assert (stored(), Session.objects.count()) == (before, sessions)
    # From another address the queue is open.
    other = person("198.51.100.4")
    ask(other)
    assert other.post("/consult/human/").status_code == 302
