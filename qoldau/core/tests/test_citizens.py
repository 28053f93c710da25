"""Citizens' own accounts: signing up with a Kazakh mobile number and a password, signing
in with the phone on the staff's sign-in page, and the staff's one confirmation of the IIN
a citizen typed when they registered themselves with an organisation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from qoldau.core import policy, services
from qoldau.core.errors import (
    Conflict,
    CoreErrorCode,
    ErrorCode,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from qoldau.core.models import AuditEntry, CitizenAccount, CitizenRecord, Consent, Person
from qoldau.core.tests import factories
from qoldau.core.tests.policy_cases import rule_mismatches

pytestmark = pytest.mark.django_db

GOOD = {"name": "Айгүл Серікова", "phone": "8 (701) 555-12-34", "password": factories.PASSWORD}


def _client(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture(autouse=True)
def _fresh_buckets():
    cache.clear()


def test_sign_up_normalises_the_phone_keeps_it_encrypted_and_signs_in_with_it():
    account = services.citizen_sign_up(**GOOD)
    assert account.phone == "+77015551234"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, name FROM core_citizenaccount WHERE id = %s", [account.pk])
        phone, name = cursor.fetchone()
    assert "7015551234" not in phone
    assert "Айгүл" not in name
    # The user name is random: no phone or name reaches the audit log's user column.
    assert "701" not in account.user.username
    assert AuditEntry.objects.filter(action="citizen.sign_up", actor_username=account.user.username).exists()

    client = _client()
    answer = client.post("/signin/", {"username": "+7 701 555 12 34", "password": factories.PASSWORD})
    assert answer.status_code == 302
    assert client.get("/employment/me/").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("phone", "12345", CoreErrorCode.INVALID_PHONE),
        ("phone", "+7 727 255 12 34", CoreErrorCode.INVALID_PHONE),  # a city line, not a mobile
        ("phone", "+1 701 555 12 34", CoreErrorCode.INVALID_PHONE),
        ("password", "12345678901", CoreErrorCode.WEAK_PASSWORD),
        ("password", "short", CoreErrorCode.WEAK_PASSWORD),
        ("password", "password123", CoreErrorCode.WEAK_PASSWORD),
        ("name", "   ", ErrorCode.REQUIRED),
    ],
)
def test_bad_sign_up_is_refused_and_creates_nothing(field, value, code):
    with pytest.raises(ValidationFailed) as refused:
        services.citizen_sign_up(**{**GOOD, field: value})
    assert refused.value.code == code
    assert refused.value.field == field
    assert not User.objects.exists()
    assert not CitizenAccount.objects.exists()


def test_the_same_number_written_another_way_is_one_account():
    services.citizen_sign_up(**GOOD)
    with pytest.raises(Conflict) as refused:
        services.citizen_sign_up(**{**GOOD, "phone": "+77015551234", "name": "Someone else"})
    assert refused.value.code == ErrorCode.DUPLICATE
    assert CitizenAccount.objects.count() == 1
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "phone_error", "password_error"),
    [
        ("en", "Enter a Kazakh mobile number", "This password is too common."),
        (
            "ru",
            "Введите казахстанский номер мобильного телефона",
            "Введённый пароль слишком широко распространён.",
        ),
        ("kk", "Қазақстандық ұялы телефон нөмірін енгізіңіз", ""),
    ],
)
def test_the_sign_up_page_shows_translated_errors_and_creates_nothing(language, phone_error, password_error):
    client = _client(language)
    answer = client.post("/signup/", {**GOOD, "phone": "555", "password_again": GOOD["password"]})
    assert phone_error in answer.content.decode()
    answer = client.post("/signup/", {**GOOD, "password": "password123", "password_again": "password123"})
    assert answer.status_code == 200
    assert password_error in answer.content.decode()
    answer = client.post("/signup/", {**GOOD, "password_again": "another-one-entirely"})
    assert answer.status_code == 200
    assert not CitizenAccount.objects.exists()
    assert not User.objects.exists()


def test_the_sign_up_page_signs_the_new_citizen_in_and_goes_where_they_were_going():
    client = _client()
    answer = client.post(
        "/signup/", {**GOOD, "password_again": GOOD["password"], "next": "/employment/me/register/"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/employment/me/register/"
    assert client.get("/employment/me/register/").status_code == 200
    # A link elsewhere is not followed.
    other = _client()
    answer = other.post(
        "/signup/",
        {
            **GOOD,
            "phone": "+77015550000",
            "password_again": GOOD["password"],
            "next": "https://evil.example/",
        },
    )
    assert answer.status_code == 302
    assert not answer["Location"].startswith("https://evil")


def test_sign_up_attempts_from_one_address_are_limited():
    client = _client()
    burst = settings.QOLDAU_RATE_LIMITS["citizen_sign_up_address"][1]
    for _ in range(burst):
        client.post("/signup/", {**GOOD, "phone": "1", "password_again": GOOD["password"]})
    answer = client.post("/signup/", {**GOOD, "password_again": GOOD["password"]})
    assert answer.status_code == 429
    assert not CitizenAccount.objects.exists()


def test_a_wrong_password_does_not_sign_a_citizen_in_and_the_sign_in_page_links_to_sign_up():
    services.citizen_sign_up(**GOOD)
    client = _client()
    answer = client.post("/signin/", {"username": "87015551234", "password": "not-the-password"})
    assert answer.status_code == 200
    assert "/signup/" in client.get("/signin/").content.decode()


def test_a_citizen_holds_no_scope_and_sees_nobody():
    w = factories.world()
    citizen = factories.citizen()
    assert policy.is_citizen(citizen)
    assert not policy.is_citizen(w.almaty_staff)
    assert not policy.people_visible(citizen).exists()
    assert not policy.organisations_worked_for(citizen).exists()
    assert policy.menu(citizen).job_search
    assert not policy.menu(citizen).people
    assert not policy.menu(w.almaty_staff).job_search
    assert not policy.may_see_person(citizen, w.almaty_people[0])
    assert not policy.people_of_citizen(citizen).exists()


def _register(citizen: User, organisation, iin: str) -> Person:
    with transaction.atomic():
        return services.citizen_person_register_in_transaction(
            actor=citizen,
            organisation=organisation,
            data=services.PersonInput(last_name="Серікова", first_name="Айгүл", iin=iin),
            consent_given_on=timezone.localdate(),
        )


def test_a_citizen_registers_with_an_organisation_as_its_record_with_their_consent():
    organisation = factories.organisation()
    citizen = factories.citizen()
    person = _register(citizen, organisation, factories.valid_iin())
    assert person.organisation == organisation
    consent = Consent.objects.get(person=person)
    assert consent.organisation == organisation
    assert consent.recorded_by == citizen
    record = CitizenRecord.objects.get(person=person)
    assert record.iin_confirmed_on is None
    assert list(policy.people_of_citizen(citizen)) == [person]
    assert not policy.people_of_citizen(factories.citizen()).exists()


def test_an_iin_the_organisation_records_already_is_not_linked_to_the_citizen():
    organisation = factories.organisation()
    staff = factories.user("staff", "ngo_staff", org=organisation)
    iin = factories.valid_iin()
    known = factories.person(staff, organisation, iin=iin)
    citizen = factories.citizen()
    with pytest.raises(Conflict) as refused:
        _register(citizen, organisation, iin)
    assert refused.value.code == CoreErrorCode.REGISTER_IN_PERSON
    assert not CitizenRecord.objects.exists()
    assert Person.objects.filter(organisation=organisation).count() == 1
    assert not policy.is_own_person(citizen, known)


def test_staff_register_nobody_through_the_citizens_service():
    organisation = factories.organisation()
    staff = factories.user("staff", "ngo_staff", org=organisation)
    with pytest.raises(PermissionDenied):
        _register(staff, organisation, factories.valid_iin())
    assert not Person.objects.exists()


def test_only_the_organisations_staff_confirm_the_iin_and_only_once():
    organisation = factories.organisation()
    other = factories.organisation(name="Басқа ұйым")
    staff = factories.user("staff", "ngo_staff", org=organisation)
    stranger = factories.user("stranger", "ngo_admin", org=other)
    citizen = factories.citizen()
    person = _register(citizen, organisation, factories.valid_iin())
    for who in (citizen, stranger):
        with pytest.raises(NotFound):
            services.citizen_iin_confirm(actor=who, person=person)
    assert CitizenRecord.objects.get().iin_confirmed_on is None

    # Through the page: another organisation's staff get not-found, the own staff confirm.
    outsider = Client()
    outsider.force_login(stranger)
    assert outsider.post(f"/people/{person.pk}/confirm-iin/").status_code == 404
    client = Client()
    client.force_login(staff)
    answer = client.post(f"/people/{person.pk}/confirm-iin/", {"next": "/employment/coach/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/employment/coach/"
    record = CitizenRecord.objects.get()
    assert record.iin_confirmed_on == timezone.localdate()
    assert record.iin_confirmed_by == staff

    with pytest.raises(Conflict) as again:
        services.citizen_iin_confirm(actor=staff, person=person)
    assert again.value.code == CoreErrorCode.IIN_CONFIRMED_ALREADY


def test_a_person_registered_by_staff_has_nothing_to_confirm():
    organisation = factories.organisation()
    staff = factories.user("staff", "ngo_staff", org=organisation)
    person = factories.person(staff, organisation)
    with pytest.raises(NotFound):
        services.citizen_iin_confirm(actor=staff, person=person)


def test_failed_sign_ins_with_a_phone_lock_it_however_it_is_written():
    services.citizen_sign_up(**GOOD)
    client = _client()
    spellings = ["+7 701 555 12 34", "87015551234", "8 (701) 555-12-34", "7015551234", "+77015551234"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        client.post("/signin/", {"username": spelling, "password": "wrong-password"})
    locked = client.post("/signin/", {"username": "+7 (701) 555 12 34", "password": factories.PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_citizens_core_rules_agree_in_both_forms_over_a_table():
    organisation = factories.organisation()
    other = factories.organisation(name="Басқа ұйым")
    users = {
        "ann": factories.citizen(name="Ann"),
        "bob": factories.citizen(name="Bob"),
        "staff": factories.user("staff", "ngo_staff", org=organisation),
        "stranger": factories.user("stranger", "ngo_admin", org=other),
        "anonymous": AnonymousUser(),
    }
    records = {
        "ann": _register(users["ann"], organisation, factories.valid_iin()),
        "bob_withdrawn": _register(users["bob"], organisation, factories.valid_iin()),
        "staff_made": factories.person(users["staff"], organisation),
    }
    services.consent_withdraw(
        actor=users["staff"],
        person=records["bob_withdrawn"],
        organisation=organisation,
        withdrawn_on=timezone.localdate(),
    )
    nobody: dict[str, set[str]] = {name: set() for name in users}
    assert (
        rule_mismatches(
            users,
            records,
            nobody | {"ann": {"ann"}},
            check=policy.is_own_person,
            query=policy.people_of_citizen,
        )
        == []
    )
    citizen_records = {
        name: CitizenRecord.objects.get(person=records[name]) for name in ("ann", "bob_withdrawn")
    }
    assert (
        rule_mismatches(
            users,
            citizen_records,
            nobody | {"staff": {"ann"}},
            check=policy.may_confirm_iin,
            query=policy.citizen_records_confirmable_by,
            refuse=policy.check_may_confirm_iin,
        )
        == []
    )
