"""The flow's pages and API through Django's test client: the referrer sees the status and
the outcome but never the provider's notes (page and API), the provider answers, refusals
come back translated and change nothing, the akimat sees unanswered referrals, and the
public wait-list lookup names nobody, answers a wrong reference as a wrong date, and is
limited per address."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from qoldau.core.models import AuditEntry
from qoldau.services.models import Enrolment, Referral, WaitListEntry
from qoldau.services.services import capacity, referrals, wait_lists
from qoldau.services.tests import flow_factories as f

pytestmark = pytest.mark.django_db
SECRET = "Отбасында зорлық-зомбылық бар"


def _client(user: object, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)  # type: ignore[arg-type]
    client.cookies["qoldau_language"] = language
    return client


def _accepted(s: f.Flow) -> Referral:
    referral = referrals.referral_create(
        actor=s.referrer_staff, service=s.service, person=s.referred, consent_given_on=f.CONSENT
    )
    return referrals.referral_accept(actor=s.provider_staff, referral=referral, receiver_notes=SECRET)


def test_the_referrer_never_sees_the_receivers_notes_on_the_page_or_in_the_api() -> None:
    s = f.flow()
    referral = _accepted(s)
    mine = _client(s.referrer_staff)
    page = mine.get(f"/services/flow/referrals/{referral.pk}/").content.decode()
    assert "Accepted" in page
    assert SECRET not in page
    home = mine.get("/services/flow/").content.decode()
    assert f"#{referral.pk}" in home
    assert SECRET not in home
    one = mine.get(f"/api/v1/services/referrals/{referral.pk}").json()
    assert one["status"] == "accepted"
    assert one["receiver_notes"] is None
    listed = mine.get("/api/v1/services/referrals?direction=out").json()
    assert [r["id"] for r in listed["items"]] == [referral.pk]
    assert SECRET not in json.dumps(listed, ensure_ascii=False)
    assert mine.get("/api/v1/services/referrals?direction=in").json()["count"] == 0
    theirs = _client(s.provider_staff)
    assert SECRET in theirs.get(f"/services/flow/referrals/{referral.pk}/").content.decode()
    assert theirs.get(f"/api/v1/services/referrals/{referral.pk}").json()["receiver_notes"] == SECRET


def test_another_organisation_finds_no_referral() -> None:
    s = f.flow()
    referral = _accepted(s)
    other = _client(s.other_staff)
    assert other.get(f"/services/flow/referrals/{referral.pk}/").status_code == 404
    assert other.get(f"/api/v1/services/referrals/{referral.pk}").status_code == 404
    assert other.get(f"/services/flow/services/{s.service.pk}/").status_code == 404


def test_the_api_refers_and_refuses_without_consent_translated() -> None:
    s = f.flow()
    api = _client(s.referrer_staff, "ru")
    body = {"service_id": s.service.pk, "person_id": s.referred.pk, "reason": "x"}
    refused = api.post("/api/v1/services/referrals", body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "no_consent"
    assert "согласи" in refused.json()["message"]
    assert not Referral.objects.exists()
    made = api.post(
        "/api/v1/services/referrals",
        {**body, "consent_given_on": "2025-01-10"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["status"] == "requested"


def test_the_provider_answers_through_the_api_and_the_referrer_cannot() -> None:
    s = f.flow()
    referral = referrals.referral_create(
        actor=s.referrer_staff, service=s.service, person=s.referred, consent_given_on=f.CONSENT
    )
    url = f"/api/v1/services/referrals/{referral.pk}/answer"
    assert (
        _client(s.referrer_staff).post(url, {"action": "accept"}, content_type="application/json").status_code
        == 403
    )
    rejected = _client(s.provider_staff).post(url, {"action": "reject"}, content_type="application/json")
    assert rejected.status_code == 400
    assert rejected.json()["field"] == "rejection_reason"
    answer = _client(s.provider_staff).post(
        url, {"action": "accept", "receiver_notes": SECRET}, content_type="application/json"
    )
    assert answer.json()["status"] == "accepted"
    served = _client(s.provider_staff).post(
        url, {"action": "complete", "outcome": "served"}, content_type="application/json"
    )
    assert served.json()["code"] == "delivery_required"
    done = _client(s.provider_staff).post(
        url,
        {"action": "complete", "outcome": "served", "delivered_on": "2025-03-03"},
        content_type="application/json",
    )
    assert done.json()["outcome"] == "served"
    assert done.json()["delivery_id"] is not None


def test_the_provider_answers_on_the_page_and_a_refusal_is_shown() -> None:
    s = f.flow()
    referral = referrals.referral_create(
        actor=s.referrer_staff, service=s.service, person=s.referred, consent_given_on=f.CONSENT
    )
    page = _client(s.provider_staff, "kk")
    url = f"/services/flow/referrals/{referral.pk}/"
    refused = page.post(url, {"action": "reject", "rejection_reason": ""})
    assert refused.status_code == 400
    assert Referral.objects.get().status == "requested"
    assert page.post(url, {"action": "accept", "receiver_notes": SECRET}).status_code == 302
    assert Referral.objects.get().status == "accepted"


def test_the_referral_form_needs_the_consent_date() -> None:
    s = f.flow()
    page = _client(s.referrer_staff, "ru")
    form = {"person": s.referred.pk, "service": s.service.pk, "consent_given_on": "", "reason": ""}
    refused = page.post("/services/flow/refer/", form)
    assert refused.status_code == 400
    assert "согласи" in refused.content.decode()
    assert not Referral.objects.exists()
    assert page.post("/services/flow/refer/", {**form, "consent_given_on": "2025-01-10"}).status_code == 302
    assert Referral.objects.count() == 1


def test_the_service_page_refuses_over_capacity_and_capacity_below_enrolments() -> None:
    s = f.flow(places=1)
    people = [f.person(s.provider_staff, s.provider_org) for _ in range(2)]
    page = _client(s.provider_staff)
    url = f"/services/flow/services/{s.service.pk}/"
    today = timezone.localdate().isoformat()
    assert (
        page.post(
            url, {"action": "enrol", "person": people[0].pk, "starts_on": today, "plan": "План"}
        ).status_code
        == 302
    )
    over = page.post(url, {"action": "enrol", "person": people[1].pk, "starts_on": today, "plan": ""})
    assert over.status_code == 400
    assert "The service is full" in over.content.decode()
    below = page.post(url, {"action": "capacity", "places": 0, "unit": "place", "since": today})
    assert below.status_code == 400
    assert "End their enrolments first" in below.content.decode()
    assert Enrolment.objects.count() == 1
    shown = page.get(url).content.decode()
    assert "План" in shown  # the plan, for the provider's staff
    assert AuditEntry.objects.filter(action="services.enrolments_read", person_id=people[0].pk).exists()


def test_the_wait_list_page_accepts_an_offer() -> None:
    s = f.flow(places=1)
    today = timezone.localdate()
    capacity.enrolment_create(
        actor=s.provider_staff,
        service=s.service,
        person=f.person(s.provider_staff, s.provider_org),
        starts_on=today - dt.timedelta(days=3),
    )
    entry = wait_lists.wait_list_join(
        actor=s.provider_staff, service=s.service, person=f.person(s.provider_staff, s.provider_org)
    )
    capacity.capacity_record(actor=s.provider_staff, service=s.service, places=2, since=today)
    entry.refresh_from_db()
    offer = entry.offers.get()
    page = _client(s.provider_staff)
    assert entry.reference in page.get(f"/services/flow/services/{s.service.pk}/").content.decode()
    assert (
        page.post(
            f"/services/flow/services/{s.service.pk}/", {"action": "accept", "offer": offer.pk}
        ).status_code
        == 302
    )
    entry.refresh_from_db()
    assert entry.status == "enrolled"


def test_the_akimat_sees_the_network_and_unanswered_referrals_without_names() -> None:
    s = f.flow(places=3)
    referral = referrals.referral_create(
        actor=s.referrer_staff, service=s.service, person=s.referred, consent_given_on=f.CONSENT
    )
    Referral.objects.filter(pk=referral.pk).update(answer_due_at=timezone.now() - dt.timedelta(days=1))
    page = _client(s.akimat).get("/services/flow/network/").content.decode()
    assert f"#{referral.pk}" in page
    assert str(s.referred.last_name) not in page
    assert _client(s.referrer_staff).get("/services/flow/network/").status_code == 403


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_public_lookup_answers_the_same_for_a_wrong_reference_or_date(language: str) -> None:
    s = f.flow(places=0)
    entry = wait_lists.wait_list_join(
        actor=s.provider_staff, service=s.service, person=f.person(s.provider_staff, s.provider_org)
    )
    assert entry.person.birth_date is not None
    born = entry.person.birth_date.isoformat()
    anyone = Client(HTTP_ACCEPT_LANGUAGE=language)
    anyone.cookies["qoldau_language"] = language
    found = anyone.post("/services/wait-list/", {"reference": entry.reference, "birth_date": born})
    assert found.status_code == 200
    assert str(entry.person.last_name) not in found.content.decode()
    wrong_reference = anyone.post("/services/wait-list/", {"reference": "ZZZZZZZZ", "birth_date": born})
    wrong_date = anyone.post(
        "/services/wait-list/", {"reference": entry.reference, "birth_date": "2001-01-01"}
    )
    assert wrong_reference.status_code == wrong_date.status_code == 404

    def _errors(body: bytes) -> str:
        text = body.decode()
        return text[text.index("error-summary") : text.index("</ul>", text.index("error-summary"))]

    assert _errors(wrong_reference.content) == _errors(wrong_date.content)
    api = Client().post(
        "/api/v1/services/wait-list/position",
        {"reference": entry.reference, "birth_date": born},
        content_type="application/json",
    )
    assert api.json()["position"] == 1
    assert set(api.json()) == {
        "status",
        "status_label",
        "position",
        "parked_until",
        "offer_expires_at",
        "service",
    }


def test_public_lookup_is_rate_limited_per_address(settings: object) -> None:
    settings.QOLDAU_RATE_LIMITS = {**settings.QOLDAU_RATE_LIMITS, "wait_list_lookup_address": (1 / 3600, 2)}  # type: ignore[attr-defined]
    anyone = Client()
    codes = [
        anyone.post("/services/wait-list/", {"reference": "ZZZZZZZZ", "birth_date": "2001-01-01"}).status_code
        for _ in range(3)
    ]
    assert codes == [404, 404, 429]
    api = Client().post(
        "/api/v1/services/wait-list/position",
        {"reference": "ZZZZZZZZ", "birth_date": "2001-01-01"},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert WaitListEntry.objects.count() == 0
