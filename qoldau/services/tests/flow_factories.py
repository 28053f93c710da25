"""Test data for capacity, referrals and wait lists: a provider (an NGO in Almaty) with a
service linked to a project, a referring organisation with its people, and staff.

The directory's rows (provider, catalogue terms, service, tiers) are written here with the
ORM: their services belong to the directory's part of the app. People, projects and roles
go through core's and projects' real services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from qoldau.core import services as core_services
from qoldau.core.models import Organisation, Person, VulnerabilityCategory
from qoldau.core.tests import factories
from qoldau.projects import services as project_services
from qoldau.projects.models import Project, ServiceType
from qoldau.services.models import CatalogueTerm, PriorityTier, Provider, ProviderKind, Service
from qoldau.services.services import capacity, directory_reindex_in_transaction

_serial = itertools.count(1)
CONSENT = dt.date(2025, 1, 10)


def term(taxonomy: str, code: str) -> CatalogueTerm:
    found, _created = CatalogueTerm.objects.get_or_create(
        taxonomy=taxonomy, code=code, defaults={"name_kk": code, "name_ru": code, "name_en": code}
    )
    return found


def provider(organisation: Organisation, kind: str = ProviderKind.NGO) -> Provider:
    return Provider.objects.create(organisation=organisation, kind=kind)


def service(
    prov: Provider,
    *,
    name: str = "Күндізгі оңалту",
    project: Project | None = None,
    minimum_age: int | None = None,
    maximum_age: int | None = None,
    categories: tuple[str, ...] = (),
    admission: str = Service.Admission.FIRST_COME,
    offer_days: int = 3,
) -> Service:
    made = Service.objects.create(
        provider=prov,
        name_kk=name,
        name_ru=f"ru {name}",
        name_en=f"en {name}",
        setting=term("setting", "semi_residential"),
        kind=term("type", "social_household"),
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        admission=admission,
        offer_days=offer_days,
        project=project,
        delivery_type=ServiceType.objects.order_by("code").first() if project else None,
    )
    if categories:
        made.categories.set(VulnerabilityCategory.objects.filter(code__in=categories))
    # Made with the models, as the services' writes would: in the directory's index too.
    with transaction.atomic():
        directory_reindex_in_transaction([made.pk])
    return made


def tier(
    svc: Service, rank: int, *, under_age_months: int | None = None, category: str | None = None
) -> PriorityTier:
    return PriorityTier.objects.create(
        service=svc,
        rank=rank,
        name_kk=f"tier {rank}",
        name_ru=f"tier {rank}",
        under_age_months=under_age_months,
        category=VulnerabilityCategory.objects.get(code=category) if category else None,
        published_on=dt.date(2025, 1, 1),
    )


def person(
    actor: User, org: Organisation, *, birth: dt.date = dt.date(1990, 5, 17), sex: str = "F"
) -> Person:
    n = next(_serial)
    return factories.person(actor, org, last_name=f"Тест{n}", first_name=f"Адам{n}", birth=birth, sex=sex)


def category_add(actor: User, person: Person, code: str) -> None:
    core_services.person_category_add(
        actor=actor,
        person=person,
        category=VulnerabilityCategory.objects.get(code=code),
        since=dt.date(2024, 1, 1),
    )


@dataclass
class Flow:
    provider_org: Organisation
    referrer_org: Organisation
    provider: Provider
    service: Service
    project: Project
    provider_staff: User
    provider_admin: User
    referrer_staff: User
    other_staff: User
    akimat: User
    referred: Person


def flow(places: int | None = 2) -> Flow:
    """A provider in Almaty with one service (with `places` from 2025-01-01), a referring
    organisation with one person, and an unrelated organisation's staff member."""
    provider_org = factories.organisation(name=f"«Үміт» орталығы {next(_serial)}")
    referrer_org = factories.organisation(name=f"«Жол» бірлестігі {next(_serial)}")
    other_org = factories.organisation(name=f"«Басқа» қоры {next(_serial)}", kato=factories.TURKISTAN)
    n = next(_serial)
    provider_staff = factories.user(f"prov.staff{n}", "ngo_staff", org=provider_org)
    provider_admin = factories.user(f"prov.admin{n}", "ngo_admin", org=provider_org)
    referrer_staff = factories.user(f"ref.staff{n}", "ngo_staff", org=referrer_org)
    other_staff = factories.user(f"other.staff{n}", "ngo_staff", org=other_org)
    akimat = factories.user(f"akimat{n}", "akimat_officer", kato=factories.ALMATY)
    project = project_services.project_create(
        actor=provider_admin,
        organisation=provider_org,
        data=project_services.ProjectInput(
            title_kk="Әлеуметтік қызметтер",
            starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2030, 12, 31),
            funding_source="state_social_order",
            region_ids=[factories.region(factories.ALMATY).pk],
        ),
    )
    prov = provider(provider_org)
    svc = service(prov, project=project)
    if places is not None:
        capacity.capacity_record(actor=provider_staff, service=svc, places=places, since=dt.date(2025, 1, 1))
    return Flow(
        provider_org=provider_org,
        referrer_org=referrer_org,
        provider=prov,
        service=svc,
        project=project,
        provider_staff=provider_staff,
        provider_admin=provider_admin,
        referrer_staff=referrer_staff,
        other_staff=other_staff,
        akimat=akimat,
        referred=person(referrer_staff, referrer_org),
    )
