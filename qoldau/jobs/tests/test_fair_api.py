"""The job fairs' API: the organiser's staff take a fair through its whole funnel, each
refusal in the API's error shape with its code and a translated message and nothing
changed; another organisation is answered not found by every operation; an officer of the
region reads the counts, never the people."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from qoldau.jobs import services
from qoldau.jobs.models import FairEmployer, FairReferral, FairSeeker, InterviewSlot, JobFair
from qoldau.jobs.tests import factories as f
from qoldau.projects.models import Attendance, Event

pytestmark = pytest.mark.django_db

FAIR_DAY = dt.date(2025, 5, 20)


@pytest.fixture
def s():
    return f.scene(buildings=False)


def _client(user: Any = None, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, object]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _counts() -> tuple[int, ...]:
    return (
        JobFair.objects.count(),
        Event.objects.count(),
        FairSeeker.objects.count(),
        FairSeeker.objects.exclude(stage="registered").count(),
        FairEmployer.objects.count(),
        FairEmployer.objects.filter(attended=True).count(),
        InterviewSlot.objects.count(),
        InterviewSlot.objects.exclude(booked_by=None).count(),
        InterviewSlot.objects.exclude(outcome="").count(),
        FairReferral.objects.count(),
        FairReferral.objects.exclude(outcome="").count(),
        Attendance.objects.count(),
    )


def test_the_organiser_takes_a_fair_through_its_funnel_by_the_api(s):
    client = _client(s["centre.staff"])
    created = _post(
        client,
        "/api/v1/jobs/fairs",
        {
            "project_id": s.project.pk,
            "title_kk": "Бос жұмыс орындары жәрмеңкесі",
            "held_on": FAIR_DAY.isoformat(),
            "place_id": f.almaty_district().pk,
            "venue": "Мансап орталығы",
        },
    )
    assert created.status_code == 201, created.content
    fair = created.json()
    assert fair["funnel"]["registered"] == 0
    base = f"/api/v1/jobs/fairs/{fair['id']}"
    people = [f.person(s) for _ in range(3)]
    for person in people:
        registered = _post(client, f"{base}/seekers", {"person_id": person.pk, "registered_on": "2025-05-12"})
        assert registered.status_code == 201, registered.content
        assert registered.json()["stage"] == "registered"
    job = f.vacancy(s["employer.a"], s.employer_a)
    tables = _post(client, f"{base}/employers", {"employer_id": s.employer_a.pk, "vacancy_ids": [job.pk]})
    assert tables.status_code == 201, tables.content
    assert tables.json()["employers"][0]["vacancy_ids"] == [job.pk]
    assert _post(client, f"{base}/employers", {"employer_id": s.employer_b.pk}).status_code == 201
    came = _post(client, f"{base}/attendance", {"person_ids": [people[0].pk, people[1].pk]})
    assert came.json() == {"new": 2}
    assert _post(client, f"{base}/employers/attendance", {"employer_ids": [s.employer_a.pk]}).json() == {
        "new": 1
    }
    slots = _post(client, f"{base}/employers/{s.employer_a.pk}/slots", {"starts_at": ["10:20", "10:00"]})
    assert slots.status_code == 201, slots.content
    first, second = slots.json()
    assert (first["starts_at"], second["starts_at"], first["person_id"]) == ("10:00", "10:20", None)
    booked = _post(client, f"{base}/slots/{first['id']}/booking", {"person_id": people[0].pk})
    assert booked.json()["person_id"] == people[0].pk
    _post(client, f"{base}/slots/{second['id']}/booking", {"person_id": people[1].pk})
    held = _post(client, f"{base}/slots/{first['id']}/interview", {"outcome": "held"})
    assert held.json()["outcome"] == "held"
    _post(client, f"{base}/slots/{second['id']}/interview", {"outcome": "no_show"})
    referral = _post(
        client,
        f"{base}/referrals",
        {
            "person_id": people[0].pk,
            "employer_id": s.employer_a.pk,
            "vacancy_id": job.pk,
            "referred_on": "2025-05-20",
        },
    )
    assert referral.status_code == 201, referral.content
    outcome = _post(
        client,
        f"{base}/referrals/{referral.json()['id']}/outcome",
        {"outcome": "hired", "outcome_on": "2025-06-02"},
    )
    assert (outcome.json()["outcome"], outcome.json()["outcome_on"]) == ("hired", "2025-06-02")

    detail = client.get(base).json()
    assert {
        k: detail["funnel"][k] for k in ("registered", "attended", "interviewed", "referred", "hired")
    } == {
        "registered": 3,
        "attended": 2,
        "interviewed": 1,
        "referred": 1,
        "hired": 1,
    }
    assert (detail["funnel"]["employers_registered"], detail["funnel"]["employers_attended"]) == (2, 1)
    seekers = client.get(f"{base}/seekers").json()
    assert [(p["person_id"], p["stage"]) for p in seekers] == [
        (people[0].pk, "hired"),
        (people[1].pk, "attended"),
        (people[2].pk, "registered"),
    ]
    listed = client.get("/api/v1/jobs/fairs").json()
    assert [item["id"] for item in listed["items"]] == [fair["id"]]
    assert listed["total"]["hired"] == 1
    assert [slot["outcome"] for slot in client.get(f"{base}/slots").json()] == ["held", "no_show"]


@pytest.fixture
def held(s):
    """A fair that was held: two of three people came; employer A came, with a slot booked
    and held for the first person and a free one; B did not come."""
    staff = s["centre.staff"]
    fair = f.fair(s, FAIR_DAY)
    people = [f.person(s) for _ in range(3)]
    registrations = [services.fair_register_seeker(actor=staff, fair=fair, person=p) for p in people]
    table_a = services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_a)
    services.fair_register_employer(actor=staff, fair=fair, employer=s.employer_b)
    services.fair_attendance_record(actor=staff, fair=fair, person_ids=[people[0].pk, people[1].pk])
    services.fair_employers_attended(actor=staff, fair=fair, employer_ids=[s.employer_a.pk])
    slot, free = services.interview_slots_add(
        actor=staff, fair_employer=table_a, starts_at=[dt.time(10, 0), dt.time(10, 20)]
    )
    services.interview_slot_book(actor=staff, slot=slot, registration=registrations[0])
    services.interview_record(actor=staff, slot=slot, outcome="held")
    referral = services.referral_record(
        actor=staff, registration=registrations[0], fair_employer=table_a, referred_on=FAIR_DAY
    )
    services.referral_outcome_record(actor=staff, referral=referral, outcome="hired", outcome_on=FAIR_DAY)
    return {
        "fair": fair,
        "base": f"/api/v1/jobs/fairs/{fair.pk}",
        "people": people,
        "slot": slot,
        "free": free,
        "referral": referral,
    }


BAD_INPUT = [
    # (operation, body, status, code, field, message in Russian or None)
    ("/employers/{a}/slots", {"starts_at": ["24:00"]}, 422, "validation_error", "starts_at", None),
    ("/employers/{a}/slots", {"starts_at": ["10:20"]}, 409, "duplicate", "starts_at", None),
    ("/employers/{a}/slots", {"starts_at": ["9" * 100]}, 422, "validation_error", "starts_at", None),
    ("/slots/{slot}/booking", {"person_id": "{p1}"}, 409, "slot_taken", "slot", "Это время уже занято."),
    ("/slots/{slot}/interview", {"outcome": "no_show"}, 409, "duplicate", "slot", None),
    ("/slots/{free}/interview", {"outcome": "maybe"}, 400, "invalid_choice", "outcome", None),
    (
        "/referrals",
        {"person_id": "{p1}", "employer_id": "{a}"},
        400,
        "not_interviewed",
        "fair_employer",
        None,
    ),
    (
        "/referrals",
        {"person_id": "{p0}", "employer_id": "{b}"},
        400,
        "not_interviewed",
        "fair_employer",
        None,
    ),
    (
        "/referrals/{referral}/outcome",
        {"outcome": "not_hired", "outcome_on": "2025-06-01"},
        409,
        "duplicate",
        "outcome",
        "Итог направления уже внесён.",
    ),
    ("/seekers", {"person_id": "{p0}"}, 409, "duplicate", "person", None),
    ("/seekers", {"person_id": "{other}"}, 404, "not_found", None, None),
    ("/attendance", {"person_ids": [2**63]}, 422, "validation_error", "person_ids", None),
]


def _fill(value: Any, names: dict[str, int]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return names[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("route", "body", "status", "code", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_its_code_and_changes_nothing(
    s, held, route, body, status, code, field, message
):
    names = {
        "a": s.employer_a.pk,
        "b": s.employer_b.pk,
        "slot": held["slot"].pk,
        "free": held["free"].pk,
        "referral": held["referral"].pk,
        "p0": held["people"][0].pk,
        "p1": held["people"][1].pk,
        "other": f.person(s, s.turkistan_ngo, actor="turkistan.admin").pk,
    }
    before = _counts()
    response = _post(
        _client(s["centre.staff"], "ru"), held["base"] + route.format(**names), _fill(body, names)
    )
    assert response.status_code == status, response.content
    answer = response.json()
    assert answer["code"] == code
    if code != "validation_error":
        assert answer["field"] == field
    else:
        assert field in json.dumps(answer["errors"])
    if message is not None:
        assert answer["message"] == message
    assert answer["message"]
    assert _counts() == before


def _operations(h: dict[str, Any], s: Any) -> list[tuple[str, str, dict[str, Any]]]:
    base = h["base"]
    a = s.employer_a.pk
    return [
        ("get", base, {}),
        ("get", f"{base}/seekers", {}),
        ("get", f"{base}/slots", {}),
        ("post", f"{base}/seekers", {"person_id": h["people"][2].pk}),
        ("post", f"{base}/employers", {"employer_id": a}),
        ("post", f"{base}/attendance", {"person_ids": [h["people"][2].pk]}),
        ("post", f"{base}/employers/attendance", {"employer_ids": [s.employer_b.pk]}),
        ("post", f"{base}/employers/{a}/slots", {"starts_at": ["11:00"]}),
        ("post", f"{base}/slots/{h['free'].pk}/booking", {"person_id": h["people"][1].pk}),
        ("post", f"{base}/slots/{h['slot'].pk}/interview", {"outcome": "held"}),
        ("post", f"{base}/referrals", {"person_id": h["people"][0].pk, "employer_id": a}),
        (
            "post",
            f"{base}/referrals/{h['referral'].pk}/outcome",
            {"outcome": "hired", "outcome_on": "2025-06-01"},
        ),
    ]


@pytest.mark.parametrize(
    "name", ["turkistan.admin", "turkistan.coach", "akimat.turkistan", "employer.a", "nobody"]
)
def test_another_organisation_is_answered_not_found_by_every_operation(s, held, name):
    client = _client(s[name])
    before = _counts()
    for method, url, body in _operations(held, s):
        response = client.get(url) if method == "get" else _post(client, url, body)
        assert response.status_code == 404, (name, method, url, response.content)
        assert response.json()["code"] == "not_found"
    assert _counts() == before
    assert client.get("/api/v1/jobs/fairs").json()["items"] == []


def test_an_officer_of_the_region_reads_the_counts_and_no_person(s, held):
    client = _client(s["akimat.almaty"])
    detail = client.get(held["base"])
    assert detail.status_code == 200
    assert detail.json()["funnel"]["hired"] == 1
    assert "person" not in json.dumps(detail.json())
    before = _counts()
    for method, url, body in _operations(held, s)[1:]:
        response = client.get(url) if method == "get" else _post(client, url, body)
        assert response.status_code == 404, url
    assert _counts() == before


def test_the_list_of_fairs_takes_a_fixed_number_of_queries(s, held, django_assert_max_num_queries):
    client = _client(s["centre.staff"])
    for day in (dt.date(2025, 4, 1), dt.date(2025, 6, 1)):
        f.fair(s, day)
    client.get("/api/v1/jobs/fairs")
    with django_assert_max_num_queries(15):
        assert len(client.get("/api/v1/jobs/fairs").json()["items"]) == 3


def test_the_earlier_operations_keep_their_ids_and_the_fairs_are_in_the_document():
    document = Client().get("/api/v1/openapi.json").json()
    ids = {
        (method.upper(), path): operation["operationId"]
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1/jobs/")
        for method, operation in operations.items()
    }
    # The operations before the API became a package (jobs/api/__init__.py) kept theirs.
    assert ids[("GET", "/api/v1/jobs/summary")] == "qoldau_jobs_api_summary"
    assert ids[("POST", "/api/v1/jobs/proposals/{proposal_id}/steps")] == "qoldau_jobs_api_proposal_step"
    assert ids[("POST", "/api/v1/jobs/follow-ups/{follow_up_id}")] == "qoldau_jobs_api_record_follow_up"
    assert ids[("POST", "/api/v1/jobs/fairs/{fair_id}/slots/{slot_id}/booking")] == (
        "qoldau_jobs_api_fairs_book_fair_slot"
    )
    assert len([key for key in ids if "/fairs" in key[1]]) == 14
