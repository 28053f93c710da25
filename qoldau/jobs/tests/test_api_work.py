"""The employment API beyond the summary: the public vacancies with the search page's
filters, a seeker's matches for their staff, proposals through the pipeline, placements
and follow-ups; refusals in the API's error shape, and nobody reads what the pages would
not show them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from qoldau.jobs.models import Proposal, RetentionFollowUp
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return f.scene()


@pytest.fixture
def jobs(s):
    staff = s["employer.a"]
    return {
        "clinic": f.vacancy(staff, s.employer_a, workplace=s.clinic, title="Емхана тіркеушісі", quota=True),
        "school": f.vacancy(staff, s.employer_a, workplace=s.school, title="Мектеп кітапханашысы"),
        "draft": f.vacancy(staff, s.employer_a, draft=True, title="Жоба"),
    }


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, object]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_anyone_lists_open_vacancies_with_the_filters(jobs):
    client = _client()
    body = client.get("/api/v1/jobs/vacancies").json()
    assert body["count"] == 2
    assert {v["title"] for v in body["items"]} == {"Емхана тіркеушісі", "Мектеп кітапханашысы"}
    wheelchair = client.get("/api/v1/jobs/vacancies?category=К&quota=true&region=750000000").json()
    assert [v["id"] for v in wheelchair["items"]] == [jobs["clinic"].pk]
    assert wheelchair["items"][0]["url"].endswith(f"/employment/vacancies/{jobs['clinic'].pk}/")
    page = client.get("/api/v1/jobs/vacancies?limit=1&offset=1").json()
    assert page["count"] == 2
    assert len(page["items"]) == 1


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("category=X", 400, "category"),
        ("occupation=9999-9", 400, "occupation"),
        ("region=123", 404, "region"),
        ("limit=1000", 422, None),
    ],
)
def test_a_filter_that_names_nothing_is_refused(jobs, query, status, field):
    response = _client().get(f"/api/v1/jobs/vacancies?{query}")
    assert response.status_code == status, response.content
    if field:
        assert response.json()["field"] == field


def test_a_vacancy_says_how_it_is_accessible_for_each_category(s, jobs):
    body = _client().get(f"/api/v1/jobs/vacancies/{jobs['school'].pk}").json()
    access = {row["category"]: row for row in body["access"]}
    assert access["К"]["accessible"] is False
    assert access["С"] == {
        "category": "С",
        "accessible": True,
        "how": "building",
        "building_status": "accessible",
        "accommodations": [],
    }
    assert body["workplace"]["id"] == s.school.pk
    assert _client().get(f"/api/v1/jobs/vacancies/{jobs['draft'].pk}").status_code == 404


def test_the_seekers_staff_read_matches_and_move_the_pipeline(s, jobs):
    person = f.seeker(s["centre.coach"], s.centre, categories=("К",))
    coach = _client(s["centre.coach"])
    matches = coach.get(f"/api/v1/jobs/seekers/{person.pk}/matches").json()
    assert [m["vacancy"]["id"] for m in matches] == [jobs["clinic"].pk]
    assert "The workplace is accessible for category К." in matches[0]["reasons"]
    refused = _post(
        coach, "/api/v1/jobs/proposals", {"seeker_id": person.pk, "vacancy_id": jobs["school"].pk}
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "not_accessible"
    created = _post(
        coach, "/api/v1/jobs/proposals", {"seeker_id": person.pk, "vacancy_id": jobs["clinic"].pk}
    )
    assert created.status_code == 201
    proposal_id = created.json()["id"]
    for step in ("agree", "send"):
        assert _post(coach, f"/api/v1/jobs/proposals/{proposal_id}/steps", {"step": step}).status_code == 200
    employer = _client(s["employer.a"])
    assert employer.get(f"/api/v1/jobs/proposals/{proposal_id}").json()["state"] == "sent"
    interview = _post(employer, f"/api/v1/jobs/proposals/{proposal_id}/steps", {"step": "interview"})
    assert interview.json()["state"] == "interview"
    # The employer may not speak for the seeker.
    assert (
        _post(employer, f"/api/v1/jobs/proposals/{proposal_id}/steps", {"step": "agree"}).status_code == 403
    )
    declined = _post(
        employer,
        f"/api/v1/jobs/proposals/{proposal_id}/steps",
        {"step": "decline", "side": "employer", "reason": "skills"},
    )
    assert declined.json()["state"] == Proposal.State.DECLINED


def test_others_read_no_matches_and_no_proposal_not_sent(s, jobs):
    person = f.seeker(s["centre.coach"], s.centre)
    created = _post(
        _client(s["centre.coach"]),
        "/api/v1/jobs/proposals",
        {"seeker_id": person.pk, "vacancy_id": jobs["clinic"].pk},
    )
    proposal_id = created.json()["id"]
    for name in ("employer.a", "turkistan.coach", "akimat.almaty"):
        client = _client(s[name])
        assert client.get(f"/api/v1/jobs/seekers/{person.pk}/matches").status_code == 404, name
        assert client.get(f"/api/v1/jobs/proposals/{proposal_id}").status_code == 404, name
    assert _client().get(f"/api/v1/jobs/seekers/{person.pk}/matches").status_code == 401


def test_a_placement_and_a_follow_up_through_the_api(s, jobs):
    person = f.seeker(s["centre.coach"], s.centre)
    case = f.case(s, person)
    coach = _client(s["centre.coach"])
    payload = {
        "project_id": s.project.pk,
        "employer_id": s.employer_a.pk,
        "vacancy_id": jobs["clinic"].pk,
        "start_date": "2025-04-01",
        "pay": "150000",
        "weekly_hours": 40,
        "contract_kind": "open_ended",
        "accommodation_codes": ["seated_work"],
    }
    low = _post(coach, f"/api/v1/jobs/cases/{case.pk}/placements", {**payload, "pay": "1000"})
    assert low.status_code == 400
    assert low.json()["code"] == "below_minimum_wage"
    created = _post(coach, f"/api/v1/jobs/cases/{case.pk}/placements", payload)
    assert created.status_code == 201, created.content
    body = created.json()
    assert [u["months"] for u in body["follow_ups"]] == [1, 3, 6, 12]
    assert body["quota"] is True
    due = coach.get("/api/v1/jobs/follow-ups").json()
    assert {u["months"] for u in due} >= {1, 3}
    first = RetentionFollowUp.objects.get(placement_id=body["id"], months=1)
    recorded = _post(
        coach,
        f"/api/v1/jobs/follow-ups/{first.pk}",
        {"project_id": s.project.pk, "recorded_on": "2025-05-02", "outcome": "employed"},
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["outcome"] == "employed"
    other = _client(s["centre.coach2"])
    assert other.get("/api/v1/jobs/follow-ups").json() == []
    assert _post(other, f"/api/v1/jobs/cases/{case.pk}/placements", payload).status_code == 404
