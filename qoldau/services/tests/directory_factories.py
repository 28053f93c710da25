"""Directory test data, made through the real services: an NGO provider in Almaty with a
building on the accessibility map (and its passport), a home-care unit in Turkistan, their
staff, administrators and an akimat officer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from qoldau.access.models import AccessObject
from qoldau.access.tests.factories import make_object, passport
from qoldau.core.models import Organisation, Place
from qoldau.core.tests import factories
from qoldau.services import services
from qoldau.services.models import Location, Provider, Service

ALMATY, TURKISTAN = factories.ALMATY, factories.TURKISTAN


@dataclass
class Scene:
    almaty_org: Organisation
    turkistan_org: Organisation
    almaty: Provider
    turkistan: Provider
    building: AccessObject
    centre: Location
    home: Location
    day_care: Service
    home_care: Service
    users: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.users[name]


def district(name_en: str = "Almaly District") -> Place:
    return Place.objects.get(name_en=name_en, level=Place.Level.DISTRICT)


def service_input(**overrides: Any) -> services.ServiceInput:
    values: dict[str, Any] = {
        "name_kk": "Күндізгі оңалту орталығы",
        "name_ru": "Дневной реабилитационный центр",
        "name_en": "Day rehabilitation centre",
        "setting_code": "semi_residential",
        "kind_code": "medical",
        "need_codes": ("rehabilitation", "day_care"),
        "minimum_age": 3,
        "maximum_age": 18,
        "eligibility_kk": "Мүгедектігі бар балалар",
        "eligibility_ru": "Дети с инвалидностью",
        "schedule_kk": "Дс–Жм 9:00–18:00",
        "schedule_ru": "Пн–Пт 9:00–18:00",
        "languages": ("kk", "ru", "sgn"),
    }
    values.update(overrides)
    return services.ServiceInput(**values)


def scene() -> Scene:
    almaty_org = factories.organisation(kato=ALMATY, name="«Жарқын болашақ» қоғамдық бірлестігі")
    turkistan_org = factories.organisation(
        kato=TURKISTAN, name="«Түркістан көмек» қоры", kind="public_foundation"
    )
    u: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "nobody": User.objects.create_user("nobody", password=factories.PASSWORD),
        "almaty.staff": factories.user("almaty.staff", "ngo_staff", org=almaty_org),
        "almaty.admin": factories.user("almaty.admin", "ngo_admin", org=almaty_org),
        "turkistan.staff": factories.user("turkistan.staff", "ngo_staff", org=turkistan_org),
        "turkistan.admin": factories.user("turkistan.admin", "ngo_admin", org=turkistan_org),
        "akimat.almaty": factories.user("akimat.almaty", "akimat_officer", kato=ALMATY),
        "sysadmin": factories.user("sysadmin", "system_admin"),
    }
    u["almaty.admin"].email = "admin@example.kz"
    u["almaty.admin"].save()
    officer, surveyor = u["akimat.almaty"], factories.user("surveyor", "surveyor")
    building = make_object(officer, name="Оңалту орталығы", latitude=43.24, longitude=76.91)
    passport(officer, surveyor, building, not_met={"ramp"})
    almaty = services.provider_register(
        actor=u["almaty.admin"],
        organisation=almaty_org,
        data=services.ProviderInput(
            kind="ngo", description_kk="Балаларды оңалту", description_ru="Реабилитация детей"
        ),
    )
    turkistan = services.provider_register(
        actor=u["turkistan.admin"],
        organisation=turkistan_org,
        data=services.ProviderInput(kind="home_care_unit"),
    )
    centre = services.location_add(
        actor=u["almaty.staff"],
        provider=almaty,
        data=services.LocationInput(
            name_kk="Алмалы орталығы",
            name_ru="Центр в Алмалинском районе",
            region_id=factories.region(ALMATY).pk,
            district_id=district().pk,
            address="Абай даңғылы, 10",
            latitude="43.24",
            longitude="76.91",
            building_id=building.pk,
        ),
    )
    home = services.location_add(
        actor=u["turkistan.staff"],
        provider=turkistan,
        data=services.LocationInput(
            name_kk="Үйде", kind=Location.Kind.VIRTUAL, region_id=factories.region(TURKISTAN).pk
        ),
    )
    day_care = services.service_add(
        actor=u["almaty.staff"], provider=almaty, data=service_input(location_ids=(centre.pk,))
    )
    services.document_add(
        actor=u["almaty.staff"],
        service=day_care,
        data=services.DocumentInput(
            name_kk="Жеке куәлік", name_ru="Удостоверение личности", name_en="Identity card"
        ),
    )
    home_care = services.service_add(
        actor=u["turkistan.staff"],
        provider=turkistan,
        data=service_input(
            name_kk="Үйде күтім",
            name_ru="Уход на дому",
            name_en="",
            setting_code="at_home",
            kind_code="social_household",
            need_codes=("home_care",),
            minimum_age=None,
            maximum_age=None,
            languages=("kk", "ru"),
            location_ids=(home.pk,),
        ),
    )
    return Scene(
        almaty_org=almaty_org,
        turkistan_org=turkistan_org,
        almaty=almaty,
        turkistan=turkistan,
        building=building,
        centre=centre,
        home=home,
        day_care=day_care,
        home_care=home_care,
        users=u,
    )


PERMIT_START = dt.date(2024, 1, 1)
