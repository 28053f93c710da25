"""Test data made through the real services (never raw model writes)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.contrib.auth.models import User

from qoldau.core import services
from qoldau.core.identifiers import make_bin, make_iin
from qoldau.core.models import Organisation, Person, Place

PASSWORD = "correct-horse-battery-staple"
_serials = itertools.count(1)


def region(kato: str) -> Place:
    return Place.objects.get(kato=kato)


ALMATY = "750000000"
TURKISTAN = "610000000"
ASTANA = "710000000"


def valid_iin(birth: dt.date = dt.date(1990, 5, 17), sex: str = "M") -> str:
    while True:
        number = make_iin(birth, sex, next(_serials))
        if number:
            return number


def valid_bin() -> str:
    while True:
        number = make_bin(2015, 6, next(_serials) + 500)
        if number:
            return number


def organisation(
    *, kato: str = ALMATY, name: str = "«Демо» қоғамдық бірлестігі", kind: str = "public_association"
) -> Organisation:
    return services.organisation_create(
        actor=None,
        bin=valid_bin(),
        kind=kind,
        name_kk=name,
        name_ru=f"ru {name}",
        name_en=f"en {name}",
        region_id=region(kato).pk,
    )


def user(username: str, role: str, *, org: Organisation | None = None, kato: str | None = None) -> User:
    account = User.objects.create_user(username, password=PASSWORD)
    if role == "system_admin":
        account.is_staff = account.is_superuser = True
        account.save()
    services.role_assign(
        actor=None,
        user=account,
        role=role,
        organisation=org,
        region=region(kato) if kato else None,
    )
    return account


def person(
    actor: User,
    org: Organisation,
    *,
    last_name: str = "Ахметова",
    first_name: str = "Айгүл",
    iin: str | None = None,
    birth: dt.date = dt.date(1990, 5, 17),
    sex: str = "F",
) -> Person:
    return services.person_register(
        actor=actor,
        organisation=org,
        data=services.PersonInput(
            last_name=last_name,
            first_name=first_name,
            patronymic="Серікқызы",
            iin=iin or valid_iin(birth, sex),
            phone="+7 701 123 4567",
        ),
        consent_given_on=dt.date(2025, 1, 10),
    ).person


@dataclass
class World:
    """Two NGOs in two regions, with staff, admins, officers and a few people each."""

    almaty_ngo: Organisation
    turkistan_ngo: Organisation
    almaty_staff: User
    almaty_admin: User
    turkistan_staff: User
    turkistan_admin: User
    akimat_almaty: User
    akimat_turkistan: User
    ministry: User
    sysadmin: User
    almaty_people: list[Person]
    turkistan_people: list[Person]


def world() -> World:
    almaty_ngo = organisation(kato=ALMATY, name="«Жарқын болашақ» қоғамдық бірлестігі")
    turkistan_ngo = organisation(kato=TURKISTAN, name="«Түркістан көмек» қоры", kind="public_foundation")
    almaty_staff = user("almaty.staff", "ngo_staff", org=almaty_ngo)
    turkistan_staff = user("turkistan.staff", "ngo_staff", org=turkistan_ngo)
    return World(
        almaty_ngo=almaty_ngo,
        turkistan_ngo=turkistan_ngo,
        almaty_staff=almaty_staff,
        almaty_admin=user("almaty.admin", "ngo_admin", org=almaty_ngo),
        turkistan_staff=turkistan_staff,
        turkistan_admin=user("turkistan.admin", "ngo_admin", org=turkistan_ngo),
        akimat_almaty=user("akimat.almaty", "akimat_officer", kato=ALMATY),
        akimat_turkistan=user("akimat.turkistan", "akimat_officer", kato=TURKISTAN),
        ministry=user("ministry", "ministry_officer"),
        sysadmin=user("sysadmin", "system_admin"),
        almaty_people=[
            person(almaty_staff, almaty_ngo, last_name="Ахметова", first_name="Айгүл"),
            person(almaty_staff, almaty_ngo, last_name="Иванов", first_name="Сергей", sex="M"),
        ],
        turkistan_people=[
            person(turkistan_staff, turkistan_ngo, last_name="Омаров", first_name="Ерлан", sex="M"),
        ],
    )


_phones = itertools.count(1_000_001)


def citizen(phone: str | None = None, name: str = "Айгүл") -> User:
    """A citizen's own account (signed up through the service), with `PASSWORD`."""
    number = phone or f"+7701{next(_phones):07d}"
    return services.citizen_sign_up(phone=number, password=PASSWORD, name=name).user
