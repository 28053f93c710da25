"""POST /api/v1/consult/ask: the engine behind HTTP, for anyone, never an error."""

from __future__ import annotations

import json

import pytest
from django.test import Client

URL = "/api/v1/consult/ask"

pytestmark = pytest.mark.django_db


def ask(client: Client, **payload):
    return client.post(URL, json.dumps(payload), content_type="application/json")


def test_a_question_gets_its_topic_an_answer_in_its_language_and_sources(client):
    answer = ask(client, text="Мүгедектік бойынша жәрдемақы қанша төленеді?")
    assert answer.status_code == 200
    data = answer.json()
    assert data["topic"] == "benefit.disability"
    assert data["language"] == "kk"
    assert "жәрдемақы" in data["answer"].lower()
    assert "{subsistence_minimum}" not in data["answer"]  # the dated amount is filled in
    assert data["sources"]
    assert 0 < data["confidence"] <= 1
    assert 2 <= len(data["alternatives"]) <= 3
    assert data["handoff"] is False


def test_the_chosen_language_wins_over_the_questions(client):
    data = ask(client, text="пособие по инвалидности сколько платят", lang="en").json()
    assert data["topic"] == "benefit.disability"
    assert data["language"] == "en"
    assert "benefit" in data["answer"].lower()


def test_greetings_and_unrelated_questions_get_no_topic_and_no_invented_answer(client):
    for text in ("Сәлеметсіз бе", "what's the weather in Almaty tomorrow?", "🙂🙂🙂"):
        data = ask(client, text=text).json()
        assert data["topic"] is None, text
        assert data["sources"] == []


def test_asking_for_a_person_hands_off(client):
    data = ask(client, text="Хочу поговорить с консультантом").json()
    assert data["handoff"] is True
    assert data["topic"] is None


@pytest.mark.parametrize("text", ["", "   ", "а" * 10_000, "binary\xff", "Мүгедектік group 2 пособие"])
def test_bad_input_gets_a_polite_answer_never_an_error(client, text):
    answer = ask(client, text=text)
    assert answer.status_code == 200
    assert answer.json()["answer"]


@pytest.mark.parametrize(("text", "status"), [("\x00\x01\x02binary", 400), ("\x01\x02binary", 422)])
def test_control_characters_are_refused_with_the_error_shape(client, text, status):
    # No field of Qoldau takes a NUL (core.middleware) or another control character
    # (core.bounds); the question too is refused with the API's error, not answered.
    answer = ask(client, text=text)
    assert answer.status_code == status
    assert {"code", "message", "field"} <= set(answer.json())
    assert answer.json()["field"] == "text"


def test_anyone_may_post_a_question_without_a_csrf_token():
    # The public (a browser on another site, a script) has no session and no CSRF token.
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(
        URL, json.dumps({"text": "пособие по инвалидности"}), content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["topic"] == "benefit.disability"
