"""Projects, indicators, events and service deliveries through the API and the pages:
every rule refuses bad input with a named field and changes nothing."""

import datetime as dt

import pytest
from django.test import Client

from qoldau.core.models import AuditEntry
from qoldau.core.tests import factories
from qoldau.projects.models import Attendance, Event, IndicatorPeriod, Project, ServiceDelivery
from qoldau.projects.selectors import project_figures
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = factories.world()
    w.project = project_factories.project(w.almaty_admin, w.almaty_ngo)
    return w


def api(user):
    client = Client()
    client.force_login(user)
    return client


def post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def project_payload(w, **overrides):
    payload = {
        "organisation_id": w.almaty_ngo.pk,
        "title_kk": "Тәуелсіз өмір мектебі",
        "title_en": "Independent Living School",
        "region_ids": [w.almaty_ngo.region_id],
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "funding_source": "state_social_order",
        "budget": "12500000.00",
    }
    payload.update(overrides)
    return payload


def test_ngo_admin_creates_a_project(world):
    response = post(api(world.almaty_admin), "/api/v1/projects", project_payload(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Тәуелсіз өмір мектебі"  # Kazakh is the default language
    assert body["region_ids"] == [world.almaty_ngo.region_id]
    assert AuditEntry.objects.filter(action="project.create", object_id=str(body["id"])).exists()


def test_ngo_staff_cannot_create_projects(world):
    response = post(api(world.almaty_staff), "/api/v1/projects", project_payload(world))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"ends_on": "2024-12-31"}, "ends_on", 400),
        # Below the bounds of money (core.bounds): refused before the service.
        ({"budget": "-1"}, "budget", 422),
        ({"region_ids": []}, "regions", 400),
        ({"region_ids": [987654]}, "regions", 400),
        ({"funding_source": "lottery"}, "funding_source", 400),
        ({"title_kk": " "}, "title_kk", 400),
    ],
)
def test_bad_project_is_refused_naming_the_field(world, overrides, field, status):
    before = Project.objects.count()
    response = post(api(world.almaty_admin), "/api/v1/projects", project_payload(world, **overrides))
    assert response.status_code == status
    body = response.json()
    assert body["field"] == field
    assert body["message"]
    assert Project.objects.count() == before


def test_malformed_json_gets_a_validation_error_naming_the_field(world):
    response = post(
        api(world.almaty_admin), "/api/v1/projects", project_payload(world, starts_on="yesterday")
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["field"] == "starts_on"


def test_errors_are_translated(world):
    client = api(world.almaty_admin)
    messages = {}
    for language in ("kk", "ru", "en"):
        client.cookies["qoldau_language"] = language
        body = post(client, "/api/v1/projects", project_payload(world, ends_on="2024-01-01")).json()
        assert body["code"] == "validation_error"
        messages[language] = body["message"]
    assert messages["en"] == "The project ends before it starts."
    assert len(set(messages.values())) == 3


def test_two_editors_of_one_project(world):
    client = api(world.almaty_admin)
    project = api(world.almaty_admin).get(f"/api/v1/projects/{world.project.pk}").json()
    first = dict(project_payload(world), version=project["version"], title_kk="Бірінші")
    second = dict(project_payload(world), version=project["version"], title_kk="Екінші")
    assert (
        client.put(f"/api/v1/projects/{world.project.pk}", first, content_type="application/json").status_code
        == 200
    )
    response = client.put(f"/api/v1/projects/{world.project.pk}", second, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "edit_conflict"
    assert Project.objects.get(pk=world.project.pk).title_kk == "Бірінші"


def test_two_editors_of_one_project_on_the_page(world):
    client = api(world.almaty_admin)
    url = f"/projects/{world.project.pk}/edit/"
    form = {
        "organisation": world.almaty_ngo.pk,
        "title_kk": "Бірінші",
        "regions": [world.almaty_ngo.region_id],
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "funding_source": "state_grant",
        "budget": "10",
        "volunteers": 0,
        "experts": 0,
        "version": world.project.version,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, dict(form, title_kk="Екінші"))
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert Project.objects.get(pk=world.project.pk).title_kk == "Бірінші"


def delivery(person, **overrides):
    payload = {
        "person_id": person.pk,
        "service": "legal_consultation",
        "delivered_on": "2025-04-01",
        "quantity": "1",
    }
    payload.update(overrides)
    return payload


def test_staff_records_a_delivery(world):
    person = world.almaty_people[0]
    response = post(
        api(world.almaty_staff), f"/api/v1/projects/{world.project.pk}/deliveries", delivery(person)
    )
    assert response.status_code == 201, response.content
    assert ServiceDelivery.objects.filter(project=world.project, person=person).count() == 1
    figures = project_figures(world.project)
    assert (figures.people_reached, figures.participations) == (1, 1)


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"delivered_on": "2024-12-31"}, 400, "delivered_on"),
        ({"delivered_on": "2026-01-01"}, 400, "delivered_on"),
        # Outside the bounds of a quantity (core.bounds): refused before the service.
        ({"quantity": "-2"}, 422, "quantity"),
        ({"quantity": "0"}, 422, "quantity"),
        ({"service": "teleportation"}, 404, "service"),
    ],
)
def test_bad_delivery_is_refused_and_nothing_is_written(world, overrides, status, field):
    person = world.almaty_people[0]
    response = post(
        api(world.almaty_staff),
        f"/api/v1/projects/{world.project.pk}/deliveries",
        delivery(person, **overrides),
    )
    assert response.status_code == status
    assert response.json()["field"] == field
    assert not ServiceDelivery.objects.exists()


def test_delivery_to_a_person_the_organisation_does_not_serve_is_refused(world):
    stranger = world.turkistan_people[0]
    response = post(
        api(world.almaty_staff), f"/api/v1/projects/{world.project.pk}/deliveries", delivery(stranger)
    )
    assert response.status_code == 404
    assert not ServiceDelivery.objects.exists()


def test_duplicate_delivery_is_refused(world):
    person = world.almaty_people[0]
    client = api(world.almaty_staff)
    assert (
        post(client, f"/api/v1/projects/{world.project.pk}/deliveries", delivery(person)).status_code == 201
    )
    response = post(client, f"/api/v1/projects/{world.project.pk}/deliveries", delivery(person))
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert ServiceDelivery.objects.count() == 1


def test_other_ngos_staff_cannot_record_in_the_project(world):
    response = post(
        api(world.turkistan_staff),
        f"/api/v1/projects/{world.project.pk}/deliveries",
        delivery(world.almaty_people[0]),
    )
    assert response.status_code == 404
    assert not ServiceDelivery.objects.exists()


def test_event_with_attendance_and_anonymous_counts(world):
    people = world.almaty_people
    response = post(
        api(world.almaty_staff),
        f"/api/v1/projects/{world.project.pk}/events",
        {
            "kind": "job_fair",
            "title_kk": "Бос жұмыс орындары жәрмеңкесі",
            "held_on": "2025-05-22",
            "anonymous_participants": 40,
            "employers": 11,
            "volunteers": 15,
            "attendee_ids": [p.pk for p in people],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["attendees"] == 2
    figures = project_figures(world.project)
    assert (figures.people_reached, figures.participations, figures.anonymous_participants) == (2, 2, 40)
    event = Event.objects.get()
    again = post(
        api(world.almaty_staff), f"/api/v1/events/{event.pk}/attendance", {"person_ids": [people[0].pk]}
    )
    assert again.json() == {"added": 0}
    assert Attendance.objects.filter(event=event).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"held_on": "2026-02-01"}, "held_on", 400),
        ({"kind": "rave"}, "kind", 400),
        # Below the bounds of a headcount (core.bounds): refused before the service.
        ({"anonymous_participants": -3}, "anonymous_participants", 422),
    ],
)
def test_bad_event_is_refused(world, overrides, field, status):
    payload = {"kind": "training", "title_kk": "Оқыту", "held_on": "2025-03-03"}
    payload.update(overrides)
    response = post(api(world.almaty_staff), f"/api/v1/projects/{world.project.pk}/events", payload)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert not Event.objects.exists()


def test_event_attendee_outside_the_organisation_is_refused(world):
    response = post(
        api(world.almaty_staff),
        f"/api/v1/projects/{world.project.pk}/events",
        {
            "kind": "training",
            "title_kk": "Оқыту",
            "held_on": "2025-03-03",
            "attendee_ids": [world.turkistan_people[0].pk],
        },
    )
    assert response.status_code == 404
    assert not Event.objects.exists()


def test_indicator_targets_and_actuals_per_period(world):
    client = api(world.almaty_admin)
    indicator = post(
        client, f"/api/v1/projects/{world.project.pk}/indicators", {"name_kk": "Қамтылған адамдар"}
    ).json()
    url = f"/api/v1/projects/{world.project.pk}/indicators/{indicator['id']}/periods"
    assert (
        client.put(
            url,
            {"starts_on": "2025-01-01", "ends_on": "2025-06-30", "target": 400, "actual": 380},
            content_type="application/json",
        ).status_code
        == 200
    )
    outside = client.put(
        url,
        {"starts_on": "2024-01-01", "ends_on": "2024-06-30", "target": 1},
        content_type="application/json",
    )
    assert outside.status_code == 400
    negative = client.put(
        url,
        {"starts_on": "2025-07-01", "ends_on": "2025-12-31", "target": -5},
        content_type="application/json",
    )
    assert negative.status_code == 422  # below the bounds of an indicator's value
    assert IndicatorPeriod.objects.count() == 1
    listed = client.get(f"/api/v1/projects/{world.project.pk}/indicators").json()
    assert listed[0]["periods"][0]["actual"] == "380.00"


def test_shrinking_the_period_past_recorded_deliveries_is_refused(world):
    person = world.almaty_people[0]
    post(
        api(world.almaty_staff),
        f"/api/v1/projects/{world.project.pk}/deliveries",
        delivery(person, delivered_on="2025-11-15"),
    )
    payload = dict(
        project_payload(world), version=Project.objects.get(pk=world.project.pk).version, ends_on="2025-10-31"
    )
    response = api(world.almaty_admin).put(
        f"/api/v1/projects/{world.project.pk}", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert Project.objects.get(pk=world.project.pk).ends_on == dt.date(2025, 12, 31)


def test_delivery_page_records_by_iin(world):
    person = world.almaty_people[1]
    client = api(world.almaty_staff)
    service = project_factories.service("wheelchair_repair")
    response = client.post(
        "/projects/deliveries/new/",
        {
            "project": world.project.pk,
            "iin": person.iin,
            "service": service.pk,
            "delivered_on": "2025-08-08",
            "quantity": "1",
        },
    )
    assert response.status_code == 302
    assert ServiceDelivery.objects.filter(person=person, service=service).exists()
    bad = client.post(
        "/projects/deliveries/new/",
        {
            "project": world.project.pk,
            "iin": "900517300018",
            "service": service.pk,
            "delivered_on": "2025-08-09",
            "quantity": "1",
        },
    )
    assert bad.status_code == 200
    assert "error-summary" in bad.content.decode()
    assert ServiceDelivery.objects.count() == 1


def test_event_page_records_attendance_by_iin(world):
    client = api(world.almaty_staff)
    response = client.post(
        "/projects/events/new/",
        {
            "project": world.project.pk,
            "kind": "online_seminar",
            "title_kk": "Enbek.kz семинары",
            "held_on": "2025-04-17",
            "attendee_iins": "\n".join(p.iin for p in world.almaty_people),
            "anonymous_participants": 49,
            "volunteers": 0,
            "experts": 3,
            "employers": 0,
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.attendance.count() == 2
    assert event.anonymous_participants == 49


def test_list_endpoints_and_pages_use_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for n in range(5):
        project_factories.project(world.almaty_admin, world.almaty_ngo, title=f"Жоба {n}")
    client = api(world.almaty_admin)
    client.get("/")  # the session's first request remembers the language once
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/projects").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/projects/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/organisations").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/organisations/").status_code == 200


def test_indicators_on_the_project_page(world):
    admin, staff = api(world.almaty_admin), api(world.almaty_staff)
    url = f"/projects/{world.project.pk}/"
    assert staff.post(f"{url}indicators/", {"name_kk": "Қамтылған адамдар"}).status_code == 403
    assert (
        admin.post(f"{url}indicators/", {"name_kk": "Қамтылған адамдар", "unit": "адам"}).status_code == 302
    )
    indicator = world.project.indicators.get()
    period = {"indicator": indicator.pk, "starts_on": "2025-01-01", "ends_on": "2025-06-30", "target": "400"}
    assert staff.post(f"{url}indicators/periods/", dict(period, actual="380")).status_code == 302
    refused = staff.post(f"{url}indicators/periods/", dict(period, starts_on="2024-01-01"))
    assert refused.status_code == 400
    assert "error-summary" in refused.content.decode()
    assert IndicatorPeriod.objects.get(indicator=indicator).actual == 380
    page = staff.get(url).content.decode()
    assert "Қамтылған адамдар" in page
    assert "380" in page


def test_event_page_adds_attendees_by_iin(world):
    event = Event.objects.get(
        pk=post(
            api(world.almaty_staff),
            f"/api/v1/projects/{world.project.pk}/events",
            {"kind": "training", "title_kk": "Оқыту", "held_on": "2025-03-03", "anonymous_participants": 4},
        ).json()["id"]
    )
    staff = api(world.almaty_staff)
    url = f"/projects/events/{event.pk}/"
    first, second = world.almaty_people
    assert staff.post(url, {"attendee_iins": f"{first.iin}\n{second.iin}"}).status_code == 302
    assert staff.post(url, {"attendee_iins": first.iin}).status_code == 302  # already there: kept once
    assert event.attendance.count() == 2
    bad = staff.post(url, {"attendee_iins": world.turkistan_people[0].iin})
    assert bad.status_code == 200
    assert "error-summary" in bad.content.decode()
    typo = staff.post(url, {"attendee_iins": "900517300018"})
    assert "error-summary" in typo.content.decode()
    assert event.attendance.count() == 2
    page = staff.get(url).content.decode()
    assert first.last_name in page
    # Officers see the event's counts, never the names; other NGOs do not see it at all.
    officer_page = api(world.akimat_almaty).get(url)
    assert officer_page.status_code == 200
    assert first.last_name not in officer_page.content.decode()
    assert api(world.akimat_almaty).post(url, {"attendee_iins": first.iin}).status_code == 403
    assert api(world.turkistan_staff).get(url).status_code == 404
