"""Who sees whom: role isolation between two NGOs and two regions on every endpoint and
page that shows people, and the audit row written for each read of a person."""

import datetime as dt
import re
from urllib.parse import unquote

import pytest
from django.test import Client

from qoldau.core.models import AuditEntry
from qoldau.core.tests import factories
from qoldau.projects import services as project_services
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = factories.world()
    w.almaty_project = project_factories.project(w.almaty_admin, w.almaty_ngo)
    w.turkistan_project = project_factories.project(w.turkistan_admin, w.turkistan_ngo)
    for person in w.almaty_people:
        project_services.delivery_record(
            actor=w.almaty_staff,
            project=w.almaty_project,
            person_id=person.pk,
            service=project_factories.service(),
            delivered_on=dt.date(2025, 4, 1),
        )
    return w


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def names(people):
    return [p.last_name for p in people]


def test_ngo_staff_search_shows_only_their_organisations_people(world):
    body = client_for(world.almaty_staff).get("/api/v1/people").json()
    assert sorted(item["last_name"] for item in body["items"]) == sorted(names(world.almaty_people))
    page = client_for(world.almaty_staff).get("/people/").content.decode()
    for name in names(world.almaty_people):
        assert name in page
    for name in names(world.turkistan_people):
        assert name not in page


def test_ngo_staff_cannot_find_another_ngos_person_by_iin(world):
    other = world.turkistan_people[0]
    body = client_for(world.almaty_staff).get("/api/v1/people", {"q": other.iin}).json()
    assert body["count"] == 0
    page = client_for(world.almaty_staff).get("/people/", {"q": other.iin}).content.decode()
    assert other.last_name not in page


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("get", "/api/v1/people/{id}", None),
        (
            "put",
            "/api/v1/people/{id}",
            {"version": 1, "last_name": "X", "first_name": "Y", "iin": None, "no_iin_reason": "other"},
        ),
        ("post", "/api/v1/people/{id}/categories", {"category": "pensioner", "since": "2020-01-01"}),
        (
            "post",
            "/api/v1/people/{id}/consent/withdraw",
            {"organisation_id": 1, "withdrawn_on": "2025-01-01"},
        ),
    ],
)
def test_ngo_staff_get_not_found_for_another_ngos_person_on_every_api_endpoint(world, method, url, payload):
    other = world.turkistan_people[0]
    client = client_for(world.almaty_staff)
    call = getattr(client, method)
    kwargs = {"content_type": "application/json", "data": payload} if payload else {}
    response = call(url.format(id=other.pk), **kwargs)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert other.last_name not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/people/{id}/", "/people/{id}/edit/", "/projects/deliveries/new/?person={id}"],
)
def test_ngo_staff_get_not_found_for_another_ngos_person_on_every_page(world, url):
    other = world.turkistan_people[0]
    response = client_for(world.almaty_staff).get(url.format(id=other.pk))
    assert response.status_code == 404
    assert other.last_name not in response.content.decode()


def test_ngo_staff_cannot_see_another_ngos_project_or_its_deliveries(world):
    client = client_for(world.almaty_staff)
    assert client.get(f"/projects/{world.turkistan_project.pk}/").status_code == 404
    response = client.get(f"/api/v1/projects/{world.turkistan_project.pk}/deliveries")
    assert response.status_code == 404


@pytest.mark.parametrize("officer", ["akimat_almaty", "ministry"])
def test_officers_work_with_aggregates_not_people(world, officer):
    client = client_for(getattr(world, officer))
    assert client.get("/api/v1/people").status_code == 403
    assert client.get(f"/api/v1/people/{world.almaty_people[0].pk}").status_code == 404
    assert client.get("/people/").status_code == 403
    page = client.get(f"/projects/{world.almaty_project.pk}/").content.decode()
    for name in names(world.almaty_people):
        assert name not in page
    assert client.get(f"/api/v1/projects/{world.almaty_project.pk}/deliveries").json() == []


def test_akimat_officer_sees_only_their_regions_organisations(world):
    almaty = client_for(world.akimat_almaty)
    listed = [o["id"] for o in almaty.get("/api/v1/organisations").json()["items"]]
    assert listed == [world.almaty_ngo.pk]
    assert almaty.get(f"/api/v1/organisations/{world.turkistan_ngo.pk}").status_code == 404
    assert almaty.get(f"/organisations/{world.turkistan_ngo.pk}/").status_code == 404
    turkistan = client_for(world.akimat_turkistan)
    assert [o["id"] for o in turkistan.get("/api/v1/organisations").json()["items"]] == [
        world.turkistan_ngo.pk
    ]
    assert turkistan.get(f"/api/v1/projects/{world.almaty_project.pk}").status_code == 404
    assert almaty.get(f"/api/v1/projects/{world.almaty_project.pk}").status_code == 200


def test_ministry_sees_every_organisation(world):
    listed = {o["id"] for o in client_for(world.ministry).get("/api/v1/organisations").json()["items"]}
    assert {world.almaty_ngo.pk, world.turkistan_ngo.pk} <= listed


def test_anonymous_requests_are_refused(world):
    client = Client()
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert client.get("/people/").status_code == 302


def test_each_read_of_a_person_is_audited(world):
    person = world.almaty_people[0]
    before = AuditEntry.objects.filter(person_id=person.pk, action="person.view").count()
    client_for(world.almaty_staff).get(f"/api/v1/people/{person.pk}")
    client_for(world.almaty_staff).get(f"/people/{person.pk}/", REMOTE_ADDR="10.1.2.3")
    entries = list(AuditEntry.objects.filter(person_id=person.pk, action="person.view").order_by("id"))
    assert len(entries) == before + 2
    assert [e.channel for e in entries[-2:]] == ["api", "web"]
    assert entries[-1].actor == world.almaty_staff
    assert entries[-1].ip_address == "10.1.2.3"


def test_search_results_audit_every_person_shown(world):
    client_for(world.almaty_staff).get("/people/")
    shown = set(
        AuditEntry.objects.filter(action="person.search_result", actor=world.almaty_staff).values_list(
            "person_id", flat=True
        )
    )
    assert shown == {p.pk for p in world.almaty_people}


def test_audit_log_is_for_system_administrators_only(world):
    assert client_for(world.almaty_admin).get("/audit/").status_code == 403
    assert client_for(world.almaty_admin).get("/api/v1/audit").status_code == 403
    assert client_for(world.sysadmin).get("/audit/").status_code == 200


def test_audit_log_search_by_person_iin_and_export(world):
    person = world.almaty_people[0]
    client_for(world.almaty_staff).get(f"/people/{person.pk}/")
    admin = client_for(world.sysadmin)
    rows = admin.get("/api/v1/audit", {"person_iin": person.iin, "action": "person.view"}).json()["items"]
    assert rows
    assert {r["person_id"] for r in rows} == {person.pk}
    assert {r["actor_username"] for r in rows} == {"almaty.staff"}
    csv_body = admin.get("/audit/", {"person_iin": person.iin, "export": "csv"}).content.decode()
    assert "almaty.staff" in csv_body
    assert "person.view" in csv_body
    assert person.iin not in csv_body
    assert person.last_name not in csv_body
    bad = admin.get("/api/v1/audit", {"person_iin": "123"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "person_iin"


def test_organisation_staff_are_shown_to_its_administrators_only(world):
    url = f"/organisations/{world.almaty_ngo.pk}/"
    assert "almaty.staff" in client_for(world.almaty_admin).get(url).content.decode()
    assert "almaty.admin" in client_for(world.sysadmin).get(url).content.decode()
    assert "almaty.admin" not in client_for(world.almaty_staff).get(url).content.decode()
    assert "almaty.admin" not in client_for(world.akimat_almaty).get(url).content.decode()


def test_live_search_announces_the_count_only(world):
    client = client_for(world.almaty_staff)
    partial = client.get("/people/", {"q": "Ахмет"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="people-count"' in partial
    assert 'hx-swap-oob="true"' in partial
    assert "<html" not in partial
    full = client.get("/people/", {"q": "Ахмет"}).content.decode()
    assert full.count('id="people-count"') == 1


@pytest.mark.parametrize(
    ("language", "name", "moment"),
    [
        ("kk", "qoldau-аудит-журналы-", r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}"),
        ("ru", "qoldau-журнал-аудита-", r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}"),
        ("en", "qoldau-audit-log-", r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"),
    ],
)
def test_audit_export_is_named_and_dated_in_the_readers_language(world, language, name, moment):
    person = world.almaty_people[0]
    client_for(world.almaty_staff).get(f"/people/{person.pk}/")
    admin = client_for(world.sysadmin)
    admin.cookies["qoldau_language"] = language
    for kind in ("csv", "xlsx"):
        response = admin.get("/audit/", {"export": kind})
        assert response.status_code == 200
        assert name in unquote(response["Content-Disposition"])
        assert (
            unquote(response["Content-Disposition"]).endswith(f".{kind}")
            or f".{kind}" in response["Content-Disposition"]
        )
    body = admin.get("/audit/", {"export": "csv"}).content.decode()
    line = next(row for row in body.splitlines() if "person.view" in row)
    assert re.match(moment + ",", line), line


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", "Адамның жазбасы оқылды"),
        ("ru", "Просмотрена запись человека"),
        ("en", "A person's record read"),
    ],
)
def test_the_audit_log_page_says_the_action_in_words(world, language, words):
    from django.utils.html import escape

    from qoldau.core.audit_actions import ACTION_LABELS

    person = world.almaty_people[0]
    client_for(world.almaty_staff).get(f"/people/{person.pk}/")
    admin = client_for(world.sysadmin)
    admin.cookies["qoldau_language"] = language
    page = admin.get("/audit/", {"action": "person.view"}).content.decode()
    assert escape(words) in page
    assert "<code>person.view</code>" not in page
    channel = {"kk": "Веб-сайт", "ru": "Веб-сайт", "en": "Web site"}[language]
    assert f"<td>{channel}</td>" in page
    # Every action the services record has its words (a new one is added to the list).
    assert set(ACTION_LABELS) >= {
        "person.view",
        "person.delivery_list",
        "commission.approve",
        "consent.withdraw",
    }
