"""People: registration with consent, de-duplication by IIN, bad input, concurrent edits,
encryption at rest and consent withdrawal."""

import datetime as dt

import pytest
from django.db import connection

from qoldau.core import selectors, services
from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import ApplicationError, Conflict, EditConflict, NotFound, ValidationFailed
from qoldau.core.models import AuditEntry, Consent, Identity, Person, PersonCategory, VulnerabilityCategory
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return factories.world()


def person_input(**overrides):
    data = {
        "last_name": "Сейітова",
        "first_name": "Дана",
        "iin": factories.valid_iin(dt.date(1988, 2, 29), "F"),
    }
    data.update(overrides)
    return services.PersonInput(**data)


def test_registering_a_person_derives_birth_date_and_sex_and_records_consent(world):
    registration = services.person_register(
        actor=world.almaty_staff,
        organisation=world.almaty_ngo,
        data=person_input(),
        consent_given_on=dt.date(2025, 3, 1),
    )
    person = Person.objects.get(pk=registration.person.pk)
    assert registration.created
    assert person.birth_date == dt.date(1988, 2, 29)
    assert person.sex == "F"
    assert Consent.objects.filter(person=person, organisation=world.almaty_ngo, withdrawn_on=None).exists()
    assert AuditEntry.objects.filter(action="person.create", person_id=person.pk).count() == 1


def test_same_iin_at_another_organisation_makes_its_own_record_sharing_only_the_identity(world):
    iin = factories.valid_iin(dt.date(1975, 7, 7), "M")
    first = services.person_register(
        actor=world.almaty_staff,
        organisation=world.almaty_ngo,
        data=person_input(iin=iin, phone="+7 701 111 22 33"),
        consent_given_on=dt.date(2025, 1, 1),
    )
    second = services.person_register(
        actor=world.turkistan_staff,
        organisation=world.turkistan_ngo,
        data=person_input(iin=iin, last_name="Другое", first_name="Имя"),
        consent_given_on=dt.date(2025, 2, 1),
    )
    # The answer is the one a new IIN gets: nothing tells that Almaty serves the person.
    assert second.created
    assert second.person.pk != first.person.pk
    assert second.person.organisation_id == world.turkistan_ngo.pk
    assert (second.person.last_name, second.person.first_name, second.person.phone) == ("Другое", "Имя", "")
    # Each organisation's record holds what it entered; the identity is all they share.
    assert Person.objects.get(pk=first.person.pk).last_name == "Сейітова"
    assert Person.objects.get(pk=first.person.pk).phone == "+7 701 111 22 33"
    assert first.person.identity_id == second.person.identity_id
    assert Identity.objects.filter(iin_hash=keyed_hash(iin)).count() == 1
    assert list(second.person.consents.values_list("organisation_id", flat=True)) == [world.turkistan_ngo.pk]


def test_same_iin_twice_at_one_organisation_is_a_duplicate_and_changes_nothing(world):
    iin = factories.valid_iin(dt.date(1975, 7, 8), "M")
    services.person_register(
        actor=world.almaty_staff,
        organisation=world.almaty_ngo,
        data=person_input(iin=iin),
        consent_given_on=dt.date(2025, 1, 1),
    )
    people, consents, audit = Person.objects.count(), Consent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(Conflict) as error:
        services.person_register(
            actor=world.almaty_staff,
            organisation=world.almaty_ngo,
            data=person_input(iin=iin),
            consent_given_on=dt.date(2025, 1, 1),
        )
    assert error.value.field == "iin"
    assert error.value.code == "duplicate"
    assert (Person.objects.count(), Consent.objects.count(), AuditEntry.objects.count()) == (
        people,
        consents,
        audit,
    )


@pytest.mark.parametrize(
    ("overrides", "consent", "field"),
    [
        ({"iin": "900517300018"}, dt.date(2025, 1, 1), "iin"),
        ({"iin": "", "no_iin_reason": ""}, dt.date(2025, 1, 1), "iin"),
        ({"last_name": "  "}, dt.date(2025, 1, 1), "last_name"),
        ({"phone": "call me maybe"}, dt.date(2025, 1, 1), "phone"),
        ({"region_id": 999_999}, dt.date(2025, 1, 1), "region"),
        ({}, None, "consent_given_on"),
        ({}, dt.date(2099, 1, 1), "consent_given_on"),
    ],
)
def test_bad_person_input_names_the_field_and_changes_nothing(world, overrides, consent, field):
    before = (Person.objects.count(), Consent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationFailed) as error:
        services.person_register(
            actor=world.almaty_staff,
            organisation=world.almaty_ngo,
            data=person_input(**overrides),
            consent_given_on=consent,
        )
    assert error.value.field == field
    assert error.value.render()
    assert (Person.objects.count(), Consent.objects.count(), AuditEntry.objects.count()) == before


def test_district_outside_the_region_is_refused(world):
    almaty = factories.region(factories.ALMATY)
    turkistan = factories.region(factories.TURKISTAN)
    almaty_district = selectors.districts(almaty.pk).first()
    with pytest.raises(ValidationFailed) as error:
        services.person_register(
            actor=world.almaty_staff,
            organisation=world.almaty_ngo,
            data=person_input(region_id=turkistan.pk, district_id=almaty_district.pk),
            consent_given_on=dt.date(2025, 1, 1),
        )
    assert error.value.field == "district"


def test_a_person_without_iin_needs_a_stated_reason(world):
    registration = services.person_register(
        actor=world.almaty_staff,
        organisation=world.almaty_ngo,
        data=person_input(
            iin=None,
            no_iin_reason="foreign_citizen",
            no_iin_note="Uzbekistan passport",
            birth_date=dt.date(2001, 4, 4),
            sex="M",
        ),
        consent_given_on=dt.date(2025, 1, 1),
    )
    person = Person.objects.get(pk=registration.person.pk)
    assert person.iin is None
    assert person.iin_hash is None
    assert person.no_iin_reason == "foreign_citizen"
    assert person.birth_date == dt.date(2001, 4, 4)


def test_staff_cannot_register_people_for_another_organisation(world):
    with pytest.raises(ApplicationError) as error:
        services.person_register(
            actor=world.almaty_staff,
            organisation=world.turkistan_ngo,
            data=person_input(),
            consent_given_on=dt.date(2025, 1, 1),
        )
    assert error.value.code == "forbidden"


def test_personal_data_is_encrypted_at_rest(world):
    iin = factories.valid_iin(dt.date(1969, 11, 30), "F")
    person = factories.person(
        world.almaty_staff, world.almaty_ngo, last_name="Жұмабаева", first_name="Гүлнар", iin=iin
    )
    services.person_category_add(
        actor=world.almaty_staff,
        person=person,
        category=VulnerabilityCategory.objects.get(code="disability_group_2"),
        since=dt.date(2020, 1, 1),
        details="МСЭ анықтамасы №12345",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT iin, iin_hash, last_name, first_name, phone FROM core_person WHERE id = %s", [person.pk]
        )
        raw = cursor.fetchone()
        cursor.execute("SELECT details FROM core_personcategory WHERE person_id = %s", [person.pk])
        details = cursor.fetchone()[0]
    stored = " ".join(str(v) for v in raw) + details
    for clear in (iin, "Жұмабаева", "Гүлнар", "123 4567", "12345"):
        assert clear not in stored
    assert raw[1] == keyed_hash(iin)
    # and the application reads it back in clear
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.iin, fresh.last_name) == (iin, "Жұмабаева")
    assert PersonCategory.objects.get(person=person).details == "МСЭ анықтамасы №12345"


def test_second_save_of_a_stale_version_is_refused(world):
    person = world.almaty_people[0]
    version = Person.objects.get(pk=person.pk).version
    first_editor = Person.objects.get(pk=person.pk)
    second_editor = Person.objects.get(pk=person.pk)
    services.person_update(
        actor=world.almaty_staff,
        person=first_editor,
        expected_version=version,
        data=person_input(iin=first_editor.iin, first_name="Әсел"),
    )
    with pytest.raises(EditConflict):
        services.person_update(
            actor=world.almaty_admin,
            person=second_editor,
            expected_version=version,
            data=person_input(iin=second_editor.iin, first_name="Жанар"),
        )
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.first_name == "Әсел"
    assert fresh.version == version + 1


def test_changing_an_iin_to_someone_elses_is_refused(world):
    a, b = world.almaty_people
    with pytest.raises(Conflict):
        services.person_update(
            actor=world.almaty_staff,
            person=a,
            expected_version=a.version,
            data=person_input(iin=b.iin),
        )
    assert Person.objects.get(pk=a.pk).iin != b.iin


def test_category_period_rules(world):
    person = world.almaty_people[0]
    category = VulnerabilityCategory.objects.get(code="disability_group_1")
    with pytest.raises(ValidationFailed) as error:
        services.person_category_add(
            actor=world.almaty_staff,
            person=person,
            category=category,
            since=dt.date(2024, 5, 1),
            until=dt.date(2024, 4, 1),
        )
    assert error.value.field == "until"
    services.person_category_add(
        actor=world.almaty_staff, person=person, category=category, since=dt.date(2024, 5, 1)
    )
    with pytest.raises(Conflict):
        services.person_category_add(
            actor=world.almaty_staff, person=person, category=category, since=dt.date(2024, 5, 1)
        )
    assert PersonCategory.objects.filter(person=person, category=category).count() == 1


def test_withdrawn_consent_hides_the_person_from_the_organisation(world):
    person = world.almaty_people[0]
    assert selectors.people_visible(world.almaty_staff).filter(pk=person.pk).exists()
    services.consent_withdraw(
        actor=world.almaty_staff,
        person=person,
        organisation=world.almaty_ngo,
        withdrawn_on=dt.date(2025, 6, 1),
    )
    assert not selectors.people_visible(world.almaty_staff).filter(pk=person.pk).exists()
    with pytest.raises(NotFound):
        selectors.person_get_for_user(world.almaty_staff, person.pk)
    with pytest.raises(NotFound):
        services.consent_withdraw(
            actor=world.almaty_staff,
            person=person,
            organisation=world.almaty_ngo,
            withdrawn_on=dt.date(2025, 6, 2),
        )


def test_consent_cannot_be_withdrawn_before_it_was_given(world):
    person = world.almaty_people[0]
    with pytest.raises(ValidationFailed):
        services.consent_withdraw(
            actor=world.almaty_staff,
            person=person,
            organisation=world.almaty_ngo,
            withdrawn_on=dt.date(2020, 1, 1),
        )
    assert Consent.objects.get(person=person, organisation=world.almaty_ngo).withdrawn_on is None


def test_search_by_part_of_a_name_is_case_blind_and_sorted(world):
    factories.person(
        world.almaty_staff, world.almaty_ngo, last_name="Ахметов", first_name="Бауыржан", sex="M"
    )
    result = selectors.people_search(world.almaty_staff, query="АХМЕТ")
    assert [p.full_name for p in result.people] == ["Ахметов Бауыржан Серікқызы", "Ахметова Айгүл Серікқызы"]
    newest_first = selectors.people_search(world.almaty_staff)
    assert newest_first.total == 3
    assert newest_first.people[0].last_name == "Ахметов"
    by_iin = selectors.people_search(world.almaty_staff, query=world.almaty_people[1].iin)
    assert [p.pk for p in by_iin.people] == [world.almaty_people[1].pk]


def test_a_category_ends_once_and_not_before_it_began(world):
    from django.test import Client

    person = world.almaty_people[0]
    membership = services.person_category_add(
        actor=world.almaty_staff,
        person=person,
        category=VulnerabilityCategory.objects.get(code="disability_group_2"),
        since=dt.date(2022, 3, 1),
    )
    client = Client()
    client.force_login(world.almaty_staff)
    url = f"/api/v1/people/{person.pk}/categories/{membership.pk}/end"
    early = client.post(url, {"until": "2021-01-01"}, content_type="application/json")
    assert early.status_code == 400
    assert early.json()["field"] == "until"
    assert (
        client.post(url, {"until": "2025-03-01"}, content_type="application/json").json()["until"]
        == "2025-03-01"
    )
    again = client.post(url, {"until": "2025-04-01"}, content_type="application/json")
    assert again.status_code == 409
    assert PersonCategory.objects.get(pk=membership.pk).until == dt.date(2025, 3, 1)
    other = Client()
    other.force_login(world.turkistan_staff)
    assert other.post(url, {"until": "2025-05-01"}, content_type="application/json").status_code == 404


def test_a_category_ends_on_the_person_page(world):
    from django.test import Client

    person = world.almaty_people[0]
    membership = services.person_category_add(
        actor=world.almaty_staff,
        person=person,
        category=VulnerabilityCategory.objects.get(code="pensioner"),
        since=dt.date(2020, 1, 1),
    )
    client = Client()
    client.force_login(world.almaty_staff)
    response = client.post(f"/people/{person.pk}/categories/{membership.pk}/end/", {"until": "2024-12-31"})
    assert response.status_code == 302
    assert PersonCategory.objects.get(pk=membership.pk).until == dt.date(2024, 12, 31)


def test_category_json_is_the_same_on_every_endpoint(world):
    from django.test import Client

    person = world.almaty_people[0]
    client = Client()
    client.force_login(world.almaty_staff)
    added = client.post(
        f"/api/v1/people/{person.pk}/categories",
        {"category": "disability_group_2", "since": "2021-05-01", "details": "МСЭ №77"},
        content_type="application/json",
    )
    assert added.status_code == 201
    body = added.json()
    assert {k: body[k] for k in ("category", "since", "until", "details")} == {
        "category": "disability_group_2",
        "since": "2021-05-01",
        "until": None,
        "details": "МСЭ №77",
    }
    ended = client.post(
        f"/api/v1/people/{person.pk}/categories/{body['id']}/end",
        {"until": "2024-05-01"},
        content_type="application/json",
    ).json()
    listed = client.get(f"/api/v1/people/{person.pk}").json()["categories"]
    assert listed == [ended]
    assert ended == dict(body, until="2024-05-01")
