"""Projects' inputs within their bounds (core.bounds): quantities, counts, years, ids and
texts the database cannot hold, or the domain can never mean, are refused with the API's
error shape, and nothing is stored; the pages that list what is stored keep working."""

import json

import pytest
from django.test import Client

from qoldau.core import bounds
from qoldau.core.tests import factories
from qoldau.core.tests.bounds_checks import assert_bound_fits_column
from qoldau.projects.models import Attendance, Event, Indicator, IndicatorPeriod, Project, ServiceDelivery
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db

ERROR_SHAPE = {"code", "message", "field"}


@pytest.fixture
def world():
    w = factories.world()
    w.project = project_factories.project(w.almaty_admin, w.almaty_ngo)
    return w


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def post_json(client, url, body):
    return client.post(
        url, body if isinstance(body, str) else json.dumps(body), content_type="application/json"
    )


def assert_refused(response, status, field):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert ERROR_SHAPE <= set(body)
    assert body["message"]
    assert body["field"] == field


def delivery(person, **overrides):
    payload = {"person_id": person.pk, "service": "legal_consultation", "delivered_on": "2025-04-01"}
    payload.update(overrides)
    return payload


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        # A JSON number no decimal column holds: it was stored, and every list of it broke.
        ({"quantity": 1e308}, 422, "quantity"),
        ({"quantity": "1e308"}, 422, "quantity"),
        ({"quantity": "100000000"}, 422, "quantity"),
        ({"quantity": "1.005"}, 422, "quantity"),
        ({"quantity": "NaN"}, 422, "quantity"),
        ({"person_id": 2**64}, 422, "person_id"),
        ({"note": "a" * 1_000_000}, 422, "note"),  # into a column of 300 characters
        ({"note": "ә" * 301}, 422, "note"),
        ({"note": "бір\x1fекі"}, 422, "note"),
        ({"note": "бір\x00екі"}, 400, "note"),
        ({"note": "бір\udfffекі"}, 400, "note"),
        ({"delivered_on": "0001-01-01"}, 422, "delivered_on"),
        ({"service": "s" * 65}, 422, "service"),
    ],
)
def test_a_delivery_outside_its_bounds_is_refused_and_nothing_is_stored(world, overrides, status, field):
    person = world.almaty_people[0]
    client = client_for(world.almaty_staff)
    response = post_json(
        client, f"/api/v1/projects/{world.project.pk}/deliveries", delivery(person, **overrides)
    )
    assert_refused(response, status, field)
    assert not ServiceDelivery.objects.exists()
    # What is stored still lists: the project's deliveries and the person's page.
    assert client.get(f"/api/v1/projects/{world.project.pk}/deliveries").status_code == 200
    assert client.get(f"/people/{person.pk}/").status_code == 200


def test_a_quantity_at_its_bound_is_stored_and_listed(world):
    person = world.almaty_people[0]
    client = client_for(world.almaty_staff)
    response = post_json(
        client,
        f"/api/v1/projects/{world.project.pk}/deliveries",
        delivery(person, quantity="99999999.99", note="  ескерту  "),
    )
    assert response.status_code == 201, response.content
    listed = client.get(f"/api/v1/projects/{world.project.pk}/deliveries").json()
    assert (listed[0]["quantity"], listed[0]["note"]) == ("99999999.99", "ескерту")
    assert client.get(f"/people/{person.pk}/").status_code == 200


def test_the_delivery_form_refuses_what_the_api_refuses(world):
    person = world.almaty_people[0]
    page = client_for(world.almaty_staff).post(
        f"/projects/deliveries/new/?person={person.pk}",
        {
            "project": world.project.pk,
            "person_id": person.pk,
            "service": project_factories.service().pk,
            "delivered_on": "2025-04-01",
            "quantity": "1e308",
            "note": "бір\x1fекі",
        },
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "error-summary" in content
    assert not ServiceDelivery.objects.exists()


def project_payload(world, **overrides):
    payload = {
        "organisation_id": world.almaty_ngo.pk,
        "title_kk": "Тәуелсіз өмір мектебі",
        "region_ids": [world.almaty_ngo.region_id],
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "funding_source": "state_social_order",
    }
    payload.update(overrides)
    return payload


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"volunteers": 2**40}, 422, "volunteers"),
        ({"experts": -1}, 422, "experts"),
        ({"budget": "1e20"}, 422, "budget"),
        ({"title_kk": "Тәуелсіз\x00өмір"}, 400, "title_kk"),
        ({"title_kk": "Тәуелсіз\x0bөмір"}, 422, "title_kk"),
        ({"title_en": "x" * 301}, 422, "title_en"),
        ({"description_kk": "ә" * 20_001}, 422, "description_kk"),
        ({"region_ids": [2**63]}, 422, "region_ids.0"),
        ({"region_ids": [1] * 101}, 422, "region_ids"),
        ({"starts_on": "9999-12-31"}, 422, "starts_on"),
    ],
)
def test_a_project_outside_its_bounds_is_refused_and_nothing_is_stored(world, overrides, status, field):
    before = Project.objects.count()
    response = post_json(
        client_for(world.almaty_admin), "/api/v1/projects", project_payload(world, **overrides)
    )
    assert_refused(response, status, field)
    assert Project.objects.count() == before


def test_a_description_keeps_its_lines(world):
    response = post_json(
        client_for(world.almaty_admin),
        "/api/v1/projects",
        project_payload(world, description_kk="Бірінші жол\r\n\tекінші жол"),
    )
    assert response.status_code == 201, response.content
    assert Project.objects.get(pk=response.json()["id"]).description_kk == "Бірінші жол\n\tекінші жол"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"volunteers": 2**40}, "volunteers"),
        ({"anonymous_participants": 20_000_001}, "anonymous_participants"),
        ({"attendee_ids": [2**64]}, "attendee_ids.0"),
        ({"venue": "v" * 301}, "venue"),
    ],
)
def test_an_event_outside_its_bounds_is_refused_and_nothing_is_stored(world, overrides, field):
    payload = {"kind": "training", "title_kk": "Оқыту", "held_on": "2025-03-03", **overrides}
    response = post_json(
        client_for(world.almaty_staff), f"/api/v1/projects/{world.project.pk}/events", payload
    )
    assert_refused(response, 422, field)
    assert not Event.objects.exists()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=99999", "year"),
        ("year=1999", "year"),
        ("date_from=0001-01-01&date_to=2025-01-01", "date_from"),
        (f"district={2**64}", "district"),
        (f"project={-(2**70)}", "project"),
        ("organisation=" + "9" * 65, "organisation"),
    ],
)
def test_an_impact_report_outside_its_bounds_is_refused(world, query, field):
    for client in (Client(), client_for(world.almaty_admin)):
        response = client.get(f"/api/v1/reports/impact?{query}")
        assert_refused(response, 422, field)


@pytest.mark.parametrize("organisation", ["9" * 30, "%C2%B2"])  # ² is a digit to str.isdigit, not to int
def test_an_organisation_given_by_an_odd_number_is_not_found_not_a_server_error(world, organisation):
    response = Client().get(f"/api/v1/reports/impact?organisation={organisation}")
    assert response.status_code == 404
    assert ERROR_SHAPE <= set(response.json())


@pytest.mark.parametrize(
    "query", ["limit=1837311468883175276544", "offset=1837311468883175276544", "limit=101"]
)
def test_projects_are_paged_within_bounds(world, query):
    response = client_for(world.almaty_admin).get(f"/api/v1/projects?{query}")
    assert response.status_code == 422
    assert ERROR_SHAPE <= set(response.json())


def _column(model, name):
    return model._meta.get_field(name)


@pytest.mark.parametrize(
    ("field", "annotated"),
    [
        *((_column(Project, f"title_{code}"), bounds.Title) for code in ("kk", "ru", "en")),
        *((_column(Project, f"description_{code}"), bounds.Description) for code in ("kk", "ru", "en")),
        (_column(Project, "funder"), bounds.Name),
        (_column(Project, "budget"), bounds.Money),
        (_column(Project, "volunteers"), bounds.Headcount),
        (_column(Project, "experts"), bounds.Headcount),
        (_column(Project, "starts_on"), bounds.RecordDate),
        *((_column(Indicator, f"name_{code}"), bounds.Name) for code in ("kk", "ru", "en")),
        (_column(Indicator, "unit"), bounds.Unit),
        (_column(IndicatorPeriod, "target"), bounds.IndicatorValue),
        (_column(IndicatorPeriod, "actual"), bounds.IndicatorValue),
        (_column(ServiceDelivery, "quantity"), bounds.Quantity),
        (_column(ServiceDelivery, "note"), bounds.Note),
        (_column(ServiceDelivery, "delivered_on"), bounds.RecordDate),
        *((_column(Event, f"title_{code}"), bounds.Title) for code in ("kk", "ru", "en")),
        (_column(Event, "venue"), bounds.Address),
        *(
            (_column(Event, name), bounds.Headcount)
            for name in ("anonymous_participants", "volunteers", "experts", "employers")
        ),
    ],
    ids=lambda v: f"{v.model.__name__}.{v.name}" if hasattr(v, "model") else "",
)
def test_each_projects_column_holds_what_its_bound_lets_in(field, annotated):
    assert_bound_fits_column(annotated, field)
