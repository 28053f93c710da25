"""Providers, their staff and an akimat officer for the workforce's tests, made through
core's services; workers and trainings through the workforce's own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from qoldau.core.models import Place
from qoldau.core.tests import factories as f
from qoldau.services.models import Provider, TrainingTarget
from qoldau.services.services import workforce as services


@dataclass
class Scene:
    almaty: Place
    provider: Provider
    other: Provider
    astana_provider: Provider
    staff: User
    admin: User
    other_staff: User
    officer: User
    astana_officer: User
    system_admin: User
    target: TrainingTarget


def provider(name: str, kato: str = f.ALMATY, kind: str = "ngo", district: str | None = None) -> Provider:
    organisation = f.organisation(name=name, kato=kato)
    if district is not None:
        organisation.district = Place.objects.get(parent__kato=kato, name_en=district)
        organisation.save(update_fields=["district"])
    return Provider.objects.create(organisation=organisation, kind=kind)


def scene() -> Scene:
    almaty = f.region(f.ALMATY)
    first = provider("«Үміт» ҚБ", district="Medeu District")
    second = provider("«Сенім» ҚБ", district="Alatau District", kind="home_care_unit")
    astana = provider("«Астана» ҚБ", kato=f.ASTANA)
    admin = f.user("sys", "system_admin")
    target = services.training_target_record(
        actor=admin,
        name_kk="Біліктілікті арттыру",
        name_ru="Повышение квалификации",
        region=almaty,
        specialists=1000,
        counted_from=dt.date(2025, 1, 1),
        deadline=dt.date(2026, 6, 30),
    )
    return Scene(
        almaty=almaty,
        provider=first,
        other=second,
        astana_provider=astana,
        staff=f.user("staff", "ngo_staff", org=first.organisation),
        admin=f.user("padmin", "ngo_admin", org=first.organisation),
        other_staff=f.user("other", "ngo_staff", org=second.organisation),
        officer=f.user("officer", "akimat_officer", kato=f.ALMATY),
        astana_officer=f.user("astana", "akimat_officer", kato=f.ASTANA),
        system_admin=admin,
        target=target,
    )


def workers(
    actor: User, for_provider: Provider, count: int, *, trained: int = 0, position: str = "social_worker"
) -> None:
    for n in range(count):
        worker = services.worker_add(
            actor=actor,
            provider=for_provider,
            full_name=f"Worker {n}",
            position=position,
            hired_on=dt.date(2020, 1, 1),
        )
        if n < trained:
            services.training_record(
                actor=actor, worker=worker, course="Course", hours=36, completed_on=dt.date(2025, 5, 1)
            )
