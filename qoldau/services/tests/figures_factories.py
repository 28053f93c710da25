"""Providers with places, enrolments, wait lists and referrals for the figures' tests
(the seam's and the dashboard's). The rows of capacity, enrolments, wait lists and
referrals are written with the models: their services are another module's."""

import datetime as dt

from qoldau.core.models import Person
from qoldau.core.tests import factories as f
from qoldau.services.demo.data import SETTINGS, TYPES
from qoldau.services.models import (
    Capacity,
    CatalogueTerm,
    Enrolment,
    PlannedCentre,
    Provider,
    Referral,
    Service,
    WaitListEntry,
)
from qoldau.services.tests.workforce_factories import provider

NOW = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)


def service(of: Provider, places: list[tuple[dt.date, int]]) -> Service:
    setting = CatalogueTerm.objects.get_or_create(
        taxonomy="setting", code=SETTINGS[1][0], defaults={"name_kk": "s", "name_ru": "s"}
    )[0]
    kind = CatalogueTerm.objects.get_or_create(
        taxonomy="type", code=TYPES[2][0], defaults={"name_kk": "t", "name_ru": "t"}
    )[0]
    made = Service.objects.create(provider=of, name_kk="Қызмет", name_ru="Услуга", setting=setting, kind=kind)
    for since, count in places:
        Capacity.objects.create(service=made, unit="day_place", places=count, since=since)
    return made


def people(of: Provider, count: int) -> list[Person]:
    staff = f.user(f"st{of.pk}-{Person.objects.count()}", "ngo_staff", org=of.organisation)
    return [
        f.person(staff, of.organisation, birth=dt.date(1980, 1, 1) + dt.timedelta(days=n))
        for n in range(count)
    ]


def enrol(on: Service, who: list[Person], starts: dt.date, ends: dt.date | None = None) -> None:
    for person in who:
        Enrolment.objects.create(
            service=on, person=person, identity_id=person.identity_id, starts_on=starts, ends_on=ends
        )


def refer(on: Service, person: Person, created: dt.datetime, **fields: object) -> Referral:
    referral = Referral.objects.create(
        service=on,
        from_organisation=person.organisation,
        person=person,
        identity_id=person.identity_id,
        consent_given_on=created.date(),
        answer_due_at=created + dt.timedelta(days=2),
        **fields,
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=created)
    return referral


def figures_scene() -> dict[str, Provider]:
    """Three providers (Medeu and Alatau in Almaty, one in Astana) with places, people
    enrolled, a wait list and referrals of 2025 (the figures are in the tests)."""
    medeu = provider("«Үміт» ҚБ", district="Medeu District")
    alatau = provider("«Сенім»", district="Alatau District", kind="home_care_unit")
    astana = provider("«Астана» ҚБ", kato=f.ASTANA)
    # Medeu: 10 places from 2024, 6 from December 2025; 8 enrolled all year (over the
    # new capacity: free places never below nought).
    day_centre = service(medeu, [(dt.date(2024, 1, 1), 10), (dt.date(2025, 12, 1), 6)])
    enrol(day_centre, people(medeu, 8), dt.date(2025, 1, 1))
    # Alatau: 20 places, 3 enrolled, one of them only in 2024.
    home = service(alatau, [(dt.date(2024, 1, 1), 20)])
    alatau_people = people(alatau, 3)
    enrol(home, alatau_people[:2], dt.date(2025, 3, 1))
    enrol(home, alatau_people[2:], dt.date(2024, 3, 1), dt.date(2024, 12, 31))
    # Astana: 5 places, 5 enrolled.
    far = service(astana, [(dt.date(2024, 1, 1), 5)])
    enrol(far, people(astana, 5), dt.date(2025, 2, 1))
    # Wait lists: 2 waiting at Medeu (one parked), one who left.
    waiting = people(medeu, 3)
    for n, (person, status) in enumerate(zip(waiting, ["waiting", "parked", "left"], strict=True)):
        WaitListEntry.objects.create(
            service=day_centre,
            person=person,
            identity_id=person.identity_id,
            reference=f"REF{n}",
            joined_at=NOW - dt.timedelta(days=30),
            status=status,
            parked_until=dt.date(2026, 2, 1) if status == "parked" else None,
        )
    # Referrals of 2025 to Medeu: served after 4 and 10 days (the median 7), one
    # rejected, one still requested and past due; one of 2024 not counted in the period.
    made = dt.datetime(2025, 5, 1, 10, tzinfo=dt.UTC)
    refer(day_centre, waiting[0], made, status="completed", outcome="not_eligible", first_service_on=None)
    served = people(medeu, 2)
    refer(day_centre, served[0], made, status="in_service", first_service_on=dt.date(2025, 5, 5))
    refer(day_centre, served[1], made, status="in_service", first_service_on=dt.date(2025, 5, 11))
    refer(day_centre, waiting[1], made, status="rejected", rejection_reason="no_capacity")
    refer(day_centre, waiting[2], dt.datetime(2025, 12, 30, 10, tzinfo=dt.UTC))
    refer(day_centre, waiting[2], dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC), status="cancelled")
    PlannedCentre.objects.create(name_kk="Жаңа", name_ru="Новый", region=f.region(f.ALMATY), places=150)
    PlannedCentre.objects.create(name_kk="Астана", name_ru="Астана", region=f.region(f.ASTANA), places=40)
    return {"medeu": medeu, "alatau": alatau, "astana": astana}
