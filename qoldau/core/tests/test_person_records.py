"""Each organisation's own record of a person: registering an IIN tells nothing about what
another organisation recorded, or whether it serves the person (issue "Privacy and
robustness", items 1-3)."""

import datetime as dt

import pytest
from django.test import Client

from qoldau.core import services
from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import Conflict, ValidationFailed
from qoldau.core.identifiers import normalise_digits, normalise_phone, parse_iin, validate_bin
from qoldau.core.models import AuditEntry, Consent, Identity, Person, VulnerabilityCategory
from qoldau.core.tests import factories
from qoldau.projects import services as project_services
from qoldau.projects.impact import ImpactFilter, impact_report
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def world():
    return factories.world()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def register_over_api(client, organisation, iin, **fields):
    payload = {
        "organisation_id": organisation.pk,
        "consent_given_on": "2025-03-01",
        "iin": iin,
        "last_name": fields.get("last_name", "Жаңа"),
        "first_name": fields.get("first_name", "Адам"),
    }
    return client.post("/api/v1/people", payload, content_type="application/json")


def comparable(body):
    """An answer with what must differ between two people (ids, IIN, dates it encodes)
    taken out: what is left must be identical whether the IIN was known or not."""
    person = dict(body["person"])
    for key in ("id", "iin", "birth_date", "sex"):
        person.pop(key)
    return {"created": body["created"], "person": person}


def test_registering_an_iin_another_organisation_serves_answers_exactly_as_a_new_one(world):
    almaty_person = world.almaty_people[0]
    services.person_category_add(
        actor=world.almaty_staff,
        person=almaty_person,
        category=VulnerabilityCategory.objects.get(code="disability_group_2"),
        since=dt.date(2020, 1, 1),
        details="МСЭ 2020",
    )
    client = client_for(world.turkistan_staff)
    known = register_over_api(client, world.turkistan_ngo, almaty_person.iin)
    fresh = register_over_api(client, world.turkistan_ngo, factories.valid_iin(dt.date(1991, 1, 1), "F"))

    assert known.status_code == fresh.status_code == 201
    assert comparable(known.json()) == comparable(fresh.json())
    body = known.json()["person"]
    # Only what Turkistan typed: not Almaty's names, phone, region or categories.
    assert (body["last_name"], body["first_name"], body["phone"], body["region_id"]) == (
        "Жаңа",
        "Адам",
        "",
        None,
    )
    assert body["organisation_id"] == world.turkistan_ngo.pk
    # Ids are the new record's, so their order does not tell an old person from a new one.
    assert known.json()["person"]["id"] > almaty_person.pk
    detail = client.get(f"/api/v1/people/{body['id']}").json()
    assert detail["categories"] == []
    assert [c["organisation_id"] for c in detail["consents"]] == [world.turkistan_ngo.pk]
    # Almaty's record stays out of reach, and untouched.
    assert client.get(f"/api/v1/people/{almaty_person.pk}").status_code == 404
    almaty_person.refresh_from_db()
    assert almaty_person.last_name != "Жаңа"
    assert not Consent.objects.filter(person=almaty_person, organisation=world.turkistan_ngo).exists()


def test_registering_on_the_page_shows_only_what_this_organisation_entered(world):
    almaty_person = world.almaty_people[0]
    client = client_for(world.turkistan_staff)
    response = client.post(
        "/people/new/",
        {
            "organisation": world.turkistan_ngo.pk,
            "consent_given_on": "2025-03-01",
            "iin": almaty_person.iin,
            "last_name": "Жаңа",
            "first_name": "Адам",
        },
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Жаңа" in page
    assert almaty_person.last_name not in page
    assert world.almaty_ngo.name_kk not in page


def test_an_organisations_record_moves_to_the_new_iins_identity_and_leaves_no_orphan(world):
    person = world.turkistan_people[0]
    old_identity = person.identity_id
    target = world.almaty_people[0]
    services.person_update(
        actor=world.turkistan_staff,
        person=person,
        expected_version=person.version,
        data=services.PersonInput(last_name=person.last_name, first_name=person.first_name, iin=target.iin),
    )
    person.refresh_from_db()
    assert person.identity_id == target.identity_id
    assert not Identity.objects.filter(pk=old_identity).exists()
    # Nothing of Almaty's record was read into Turkistan's.
    assert person.last_name != target.last_name or person.first_name != target.first_name


def test_an_iin_already_among_the_organisations_people_is_refused_on_edit_and_nothing_changes(world):
    first, second = world.almaty_people
    with pytest.raises(Conflict) as error:
        services.person_update(
            actor=world.almaty_staff,
            person=second,
            expected_version=second.version,
            data=services.PersonInput(last_name="X", first_name="Y", iin=first.iin),
        )
    assert error.value.code == "duplicate"
    second.refresh_from_db()
    assert second.last_name != "X"


def test_reach_counts_a_person_two_organisations_serve_once(world):
    almaty_person = world.almaty_people[0]
    turkistan_record = services.person_register(
        actor=world.turkistan_staff,
        organisation=world.turkistan_ngo,
        data=services.PersonInput(last_name="Жаңа", first_name="Адам", iin=almaty_person.iin),
        consent_given_on=dt.date(2025, 1, 1),
    ).person
    assert turkistan_record.identity_id == almaty_person.identity_id

    almaty_project = project_factories.project(world.almaty_admin, world.almaty_ngo)
    turkistan_project = project_factories.project(world.turkistan_admin, world.turkistan_ngo)
    for actor, project, person in (
        (world.almaty_staff, almaty_project, almaty_person),
        (world.turkistan_staff, turkistan_project, turkistan_record),
    ):
        project_services.delivery_record(
            actor=actor,
            project=project,
            person_id=person.pk,
            service=project_factories.service(),
            delivered_on=dt.date(2025, 4, 1),
        )
    report = impact_report(
        world.ministry, ImpactFilter(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
    )
    assert (report.people_reached, report.participations) == (1, 2)


# Identifiers in other scripts ---------------------------------------------------------------


@pytest.mark.parametrize("table", [FULL_WIDTH, ARABIC_INDIC], ids=["full-width", "arabic-indic"])
def test_an_iin_in_another_scripts_digits_is_the_same_person_not_a_second_one(world, table):
    person = world.almaty_people[0]
    written = person.iin.translate(table)
    response = register_over_api(client_for(world.almaty_staff), world.almaty_ngo, written)
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert Person.objects.filter(iin_hash=keyed_hash(person.iin)).count() == 1
    assert parse_iin(written).iin == person.iin


@pytest.mark.parametrize("iin", ["65111331000²", "6511133100０9x", "６５１１１３３１０００", "٦٥١١١٣٣١٠٠٠٩٩"])
def test_an_iin_that_is_not_12_digits_after_normalising_is_refused_clearly(world, iin):
    people, audit = Person.objects.count(), AuditEntry.objects.count()
    response = register_over_api(client_for(world.almaty_staff), world.almaty_ngo, iin)
    assert response.status_code in {400, 422}
    assert response.json()["field"] == "iin"
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, audit)


def test_every_identifier_is_read_through_the_same_normaliser():
    number = factories.valid_bin()
    assert validate_bin(number.translate(FULL_WIDTH)) == number
    assert normalise_digits("７５０ ０００ ０００") == "750000000"
    assert services.normalise_kato("٧٥٠٠٠٠٠٠٠") == "750000000"
    assert normalise_phone("+７ (７０１) ２３４-５６-７８") == "+7 (701) 234-56-78"
    with pytest.raises(ValidationFailed):
        services.normalise_kato("75000000²")
    with pytest.raises(ValidationFailed):
        normalise_phone("+7 701 ²34 56 78")
    with pytest.raises(ValidationFailed):
        validate_bin(number[:11] + "²")


def test_searching_people_by_an_iin_in_full_width_digits_finds_the_record(world):
    person = world.almaty_people[0]
    body = (
        client_for(world.almaty_staff).get("/api/v1/people", {"q": person.iin.translate(FULL_WIDTH)}).json()
    )
    assert [item["id"] for item in body["items"]] == [person.pk]


# Withdrawn consent ----------------------------------------------------------------------------


def test_a_person_who_withdrew_consent_is_named_nowhere(world):
    person = world.almaty_people[0]
    project = project_factories.project(world.almaty_admin, world.almaty_ngo)
    delivery = project_services.delivery_record(
        actor=world.almaty_staff,
        project=project,
        person_id=person.pk,
        service=project_factories.service(),
        delivered_on=dt.date(2025, 4, 1),
    )
    event = project_services.event_record(
        actor=world.almaty_staff,
        project=project,
        data=project_services.EventInput(
            kind="job_fair", title_kk="Жәрмеңке", held_on=dt.date(2025, 5, 1), attendee_ids=[person.pk]
        ),
    )
    client = client_for(world.almaty_staff)
    assert person.last_name in client.get(f"/projects/{project.pk}/").content.decode()
    assert person.last_name in client.get(f"/projects/events/{event.pk}/").content.decode()

    services.consent_withdraw(
        actor=world.almaty_staff,
        person=person,
        organisation=world.almaty_ngo,
        withdrawn_on=dt.date(2025, 6, 1),
    )
    for url in (f"/projects/{project.pk}/", f"/projects/events/{event.pk}/", "/people/"):
        page = client.get(url).content.decode()
        assert person.last_name not in page, url
        assert person.first_name not in page, url
    assert client.get(f"/people/{person.pk}/").status_code == 404
    deliveries = client.get(f"/api/v1/projects/{project.pk}/deliveries").json()
    assert [(d["id"], d["person_id"]) for d in deliveries] == [(delivery.pk, None)]
    assert client.get("/api/v1/people", {"q": person.iin}).json()["count"] == 0
    # Still counted, anonymously.
    assert client.get(f"/api/v1/projects/{project.pk}/figures").json()["people_reached"] == 1
