"""A small hand-made set of accessibility passports made with the real services, whose
progress figures the progress tests (the page, the API, the exports) know by heart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from qoldau.access import checklist, services
from qoldau.access.models import AccessObject, Measure, Passport, PeopleCategory, Zone
from qoldau.core.models import Place
from qoldau.core.tests import factories

ALMATY, ASTANA = "750000000", "710000000"
TODAY = dt.date(2026, 11, 22)


def district_named(name_en: str) -> Place:
    return Place.objects.get(level=Place.Level.DISTRICT, name_en=name_en)


def _object(
    actor: User, name: str, district: str, kind: str, lat: float = 43.25, lon: float = 76.9
) -> AccessObject:
    return services.object_create(
        actor=actor,
        data=services.ObjectInput(
            name_kk=name,
            address="Абай даңғылы, 10",
            district_id=district_named(district).pk,
            kind=kind,
            latitude=lat,
            longitude=lon,
        ),
    )


def _passport(actor: User, surveyor: User, obj: AccessObject, not_met: set[str]) -> Passport:
    """Survey an object through the services: `not_met` items fail, the rest are met (a
    ramp's slope is not applicable without a ramp); zone statuses as the checklist suggests."""
    services.surveyor_assign(actor=actor, obj=obj, surveyor=surveyor)
    passport = services.passport_open(actor=surveyor, obj=obj)
    results = {
        item.code: (checklist.NOT_MET if item.code in not_met else checklist.MET)
        for item in checklist.CHECKLIST
    }
    if "ramp" in not_met:
        results["ramp_slope"] = checklist.NOT_APPLICABLE
    data = services.PassportInput(
        surveyed_on=timezone.localdate(),
        items={code: services.ItemAnswer(result=result) for code, result in results.items()},
        zones={
            (zone, category): services.ZoneAnswer(
                status=checklist.suggested_zone_status(results, zone, category).value
            )
            for zone in Zone.values
            for category in PeopleCategory.values
        },
    )
    passport = services.passport_save(
        actor=surveyor, passport=passport, expected_version=passport.version, data=data
    )
    return services.passport_submit(actor=surveyor, passport=passport, expected_version=passport.version)


@dataclass
class Scene:
    w: factories.World
    school: AccessObject
    clinic: AccessObject
    unsurveyed: AccessObject
    shop: AccessObject


def scene() -> Scene:
    """Almaty: a school accessible to all (Almaly), a clinic without a ramp (Almaly: not
    accessible for К and О), a school not surveyed (Medeu). Astana: a shop without
    easy-read information (partially accessible for У). The clinic's ramp is planned and
    overdue; the shop's easy-read measure is done."""
    w = factories.world()
    akimat_astana = factories.user("akimat.astana", "akimat_officer", kato=ASTANA)
    surveyor = factories.user("surveyor.one", "surveyor")
    school = _object(w.akimat_almaty, "№ 12 мектеп-гимназия", "Almaly District", "education")
    clinic = _object(w.akimat_almaty, "№ 5 емхана", "Almaly District", "health")
    unsurveyed = _object(w.akimat_almaty, "№ 40 мектеп", "Medeu District", "education", 43.23, 76.98)
    shop = _object(akimat_astana, "«Береке» дүкені", "Yesil District", "trade_services", 51.13, 71.43)
    _passport(w.akimat_almaty, surveyor, school, set())
    _passport(w.akimat_almaty, surveyor, clinic, {"ramp"})
    _passport(akimat_astana, surveyor, shop, {"easy_read"})
    ramp = Measure.objects.get(object=clinic, item_code="ramp")
    services.measure_plan(
        actor=w.akimat_almaty,
        measure=ramp,
        expected_version=ramp.version,
        plan=services.MeasurePlan(
            kind=Measure.Kind.REPAIR,
            deadline=timezone.localdate() - dt.timedelta(days=10),
            cost=Decimal(2_500_000),
            responsible_name="Алматы қаласы Денсаулық сақтау басқармасы",
        ),
    )
    easy = Measure.objects.get(object=shop, item_code="easy_read")
    services.measure_plan(
        actor=akimat_astana,
        measure=easy,
        expected_version=easy.version,
        plan=services.MeasurePlan(
            kind=Measure.Kind.ALTERNATIVE_SERVICE,
            deadline=timezone.localdate() + dt.timedelta(days=30),
            cost=Decimal(50_000),
            responsible_name="«Береке» ЖШС",
        ),
    )
    easy.refresh_from_db()
    services.measure_complete(
        actor=akimat_astana, measure=easy, expected_version=easy.version, completed_on=timezone.localdate()
    )
    return Scene(w, school, clinic, unsurveyed, shop)
