"""The pages and the API of interpreting, through the test client: a citizen calls and sees
their hours and place in the queue (refreshed by htmx, and on to the session once taken),
an interpreter accepts from their desk, the dispatcher's console and report; nobody sees
what is not theirs, and refusals are shown translated."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from qoldau.interpreting import services
from qoldau.interpreting.models import Call, Offer, OfferOutcome, Session
from qoldau.interpreting.tests import factories

pytestmark = pytest.mark.django_db


def _client(user=None, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def test_a_citizen_calls_waits_in_the_queue_and_reaches_the_session():
    s = factories.scene(interpreters=1)
    citizen, _ = factories.deaf_citizen(s, hours=2)
    c = _client(citizen)
    page = c.get("/interpreting/")
    assert page.status_code == 200
    assert "2 h 0 min left" in page.content.decode()
    answer = c.post("/interpreting/call/", {"place": "Емхана №5", "purpose": "medical"})
    assert answer.status_code == 302
    page = c.get("/interpreting/").content.decode()
    assert "Your place in the queue: 1." in page
    assert 'hx-get="/interpreting/call/status/"' in page
    # The interpreter takes it from their desk; the citizen's poll goes on to the session.
    interpreter = s.interpreters[0]
    desk = _client(interpreter.user)
    desk.post("/interpreting/desk/state/", {"state": "available"})
    offer = Offer.objects.get(outcome=OfferOutcome.PENDING)
    assert "A call is offered to you." in desk.get("/interpreting/desk/offer/").content.decode()
    accepted = desk.post(f"/interpreting/offers/{offer.pk}/accept/")
    session = Session.objects.get()
    assert accepted["Location"] == f"/interpreting/session/{session.pk}/"
    polled = c.get("/interpreting/call/status/", HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == f"/interpreting/session/{session.pk}/"
    shown = c.get(f"/interpreting/session/{session.pk}/").content.decode()
    assert "Interpreting session" in shown
    # Nobody else opens it.
    stranger, _ = factories.deaf_citizen(s)
    assert _client(stranger).get(f"/interpreting/session/{session.pk}/").status_code == 404
    ended = c.post(f"/interpreting/session/{session.pk}/end/")
    assert ended.status_code == 302
    again = c.post(f"/interpreting/session/{session.pk}/end/", follow=True).content.decode()
    assert "This session has ended already." in again


def test_a_refused_call_is_shown_translated_and_nothing_is_queued():
    s = factories.scene(interpreters=1)
    citizen, _ = factories.unentitled_citizen(s)
    page = _client(citizen, "ru").get("/interpreting/").content.decode()
    assert "подтвердить ваше право (возьмите с собой ИПР)" in page
    entitled, _ = factories.deaf_citizen(s)
    answer = _client(entitled).post("/interpreting/call/", {"place": "", "purpose": "medical"})
    assert answer.status_code == 200
    assert "error-summary" in answer.content.decode()
    assert not Call.objects.exists()
    # Staff are not citizens: the call page is refused.
    assert _client(s.staff).get("/interpreting/").status_code == 403


def test_the_console_and_report_are_the_dispatchers_only():
    s = factories.scene(interpreters=2)
    citizen, _ = factories.deaf_citizen(s)
    services.call_create(actor=citizen, place="ХҚКО", purpose="public_service")
    dispatcher = _client(s.dispatcher)
    page = dispatcher.get(f"/interpreting/console/{s.service.pk}/").content.decode()
    assert "Live queue" in page
    assert "ХҚКО" in page
    live = dispatcher.get(f"/interpreting/console/{s.service.pk}/live/").content.decode()
    assert "Public service centre" in live
    assert dispatcher.get("/interpreting/console/")["Location"] == f"/interpreting/console/{s.service.pk}/"
    report = dispatcher.get(f"/interpreting/report/{s.service.pk}/?year=2016").content.decode()
    assert "Calls by month" in report
    for outsider in (citizen, s.interpreters[1].user, factories.scene(interpreters=1).dispatcher):
        assert _client(outsider).get(f"/interpreting/console/{s.service.pk}/").status_code == 404
        assert _client(outsider).get(f"/interpreting/report/{s.service.pk}/").status_code == 404


def test_the_api_calls_accepts_and_ends_once():
    s = factories.scene(interpreters=1)
    citizen, _ = factories.deaf_citizen(s)
    c = _client(citizen)
    made = c.post(
        "/api/v1/interpreting/calls",
        json.dumps({"place": "Сот", "purpose": "legal"}),
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["position"] == 1
    me = c.get("/api/v1/interpreting/me").json()
    assert me["balance_minutes"] == 3600
    assert me["call"]["id"] == made.json()["id"]
    interpreter = _client(s.interpreters[0].user)
    state = interpreter.post(
        "/api/v1/interpreting/state", json.dumps({"state": "available"}), content_type="application/json"
    ).json()
    assert state["offer_id"] is not None
    session = interpreter.post(f"/api/v1/interpreting/offers/{state['offer_id']}/accept")
    assert session.status_code == 201
    again = interpreter.post(f"/api/v1/interpreting/offers/{state['offer_id']}/accept")
    assert again.status_code == 409
    assert again.json()["code"] == "offer_gone"
    session_id = session.json()["id"]
    assert c.post(f"/api/v1/interpreting/sessions/{session_id}/end").status_code == 200
    twice = c.post(f"/api/v1/interpreting/sessions/{session_id}/end")
    assert twice.status_code == 409
    assert twice.json()["code"] == "session_ended"
    bad = c.post(
        "/api/v1/interpreting/calls",
        json.dumps({"place": "x" * 301, "purpose": "legal"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    stranger, _ = factories.deaf_citizen(s)
    assert _client(stranger).get(f"/api/v1/interpreting/sessions/{session_id}").status_code == 404
    assert _client(stranger).get(f"/api/v1/interpreting/calls/{made.json()['id']}").status_code == 404


@pytest.mark.parametrize(
    ("call_grace", "session_grace", "promised"),
    [(60.0, 120, "within 3 minutes"), (30.0, 60, "within 1 minute:"), (90.0, 100, "within 3 minutes")],
)
def test_the_session_page_promises_the_two_grace_periods_together(
    settings, call_grace, session_grace, promised
):
    # The room keeps a dropped party's place first; only then does the session's own grace
    # period start: the page states their sum, rounded down to whole minutes.
    settings.QOLDAU_CALL_GRACE_SECONDS = call_grace
    settings.QOLDAU_INTERPRETING_GRACE_SECONDS = session_grace
    s = factories.scene(interpreters=1)
    citizen, _ = factories.deaf_citizen(s)
    factories.available(s.interpreters[0])
    services.call_create(actor=citizen, place="ХҚКО", purpose="public_service")
    session = services.offer_accept(
        actor=s.interpreters[0].user, offer_id=Offer.objects.get(outcome=OfferOutcome.PENDING).pk
    )
    shown = _client(citizen).get(f"/interpreting/session/{session.pk}/").content.decode()
    assert f"If your connection drops, open this page again {promised}" in shown
    assert "within two minutes" not in shown
