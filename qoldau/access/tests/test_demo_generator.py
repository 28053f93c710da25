"""The demo's generated objects are consistent with the domain's rules: complete passports
the services would accept, public statuses by the checklist's rule, a measure for every
shortfall, coordinates inside the districts; and generating twice changes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from qoldau.access import checklist, services
from qoldau.access.demo import ALMATY_DISTRICTS, district_areas, generate_objects
from qoldau.access.models import (
    STATUS_FIELD,
    AccessObject,
    Measure,
    Passport,
    PassportItem,
    PassportZoneStatus,
    PeopleCategory,
    PublicStatus,
)
from qoldau.core.models import Place

pytestmark = pytest.mark.django_db

COUNT = 600


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (AccessObject, Passport, PassportItem, PassportZoneStatus, Measure)
    )


def test_generated_almaty_objects_follow_every_rule():
    assert generate_objects(count=COUNT, seed=3) == COUNT
    objects = list(AccessObject.objects.select_related("district"))
    assert len(objects) == COUNT

    # Every district of Almaty, each point inside its own district's area.
    almaty = Place.objects.get(kato="750000000")
    areas = district_areas(almaty)
    assert {o.district.name_en for o in objects} == set(ALMATY_DISTRICTS)
    for obj in objects:
        assert areas[obj.district_id][0].contains(obj.latitude, obj.longitude), obj.external_id
        assert 43.15 <= obj.latitude <= 43.40
        assert 76.75 <= obj.longitude <= 77.10
        assert obj.name_kk
        assert obj.name_ru
        assert obj.name_en
        assert obj.address
        assert obj.owner_name

    # A realistic mix: homes and shops most, then schools, clinics, transport.
    kinds = Counter(o.kind for o in objects)
    assert len(kinds) == 10
    assert kinds["residential"] > kinds["education"] > kinds["social_protection"]
    assert kinds["trade_services"] > kinds["health"]

    # Passported objects: one submitted, complete passport each, statuses by the rule.
    passported = [o for o in objects if o.passported_on is not None]
    assert 0.6 < len(passported) / COUNT < 0.85
    passports = {p.object_id: p for p in Passport.objects.all()}
    assert set(passports) == {o.pk for o in passported}
    for obj in passported:
        passport = passports[obj.pk]
        assert passport.state == Passport.State.SUBMITTED
        assert passport.surveyed_on == obj.passported_on <= timezone.localdate()
        assert services.passport_problems(passport) == []
        rule = checklist.public_statuses(passport.zone_statuses.values_list("zone", "category", "status"))
        for category, field in STATUS_FIELD.items():
            assert getattr(obj, field) == rule[category].value
        shortfalls = set(passport.items.filter(result="not_met").values_list("code", flat=True))
        assert (
            set(Measure.objects.filter(passport=passport).values_list("item_code", flat=True)) == shortfalls
        )

    # Not passported: unknown for every category, no passport.
    for obj in objects:
        if obj.passported_on is None:
            assert {getattr(obj, f) for f in STATUS_FIELD.values()} == {PublicStatus.UNKNOWN}

    # Every public status occurs, for wheelchair users at least.
    assert {o.status_k for o in objects} == set(PublicStatus.values)
    assert PeopleCategory.WHEELCHAIR in STATUS_FIELD


def test_generated_measures_are_planned_done_and_overdue_as_the_services_require():
    generate_objects(count=COUNT, seed=3, planned_measures=120)
    today = timezone.localdate()
    planned = Measure.objects.exclude(state=Measure.State.UNPLANNED).select_related("passport")
    assert planned.count() == 120
    for measure in planned:
        assert measure.kind
        assert measure.responsible_id or measure.responsible_name
        if measure.kind == Measure.Kind.NONE_NEEDED:
            continue
        assert measure.deadline is not None
        assert measure.cost is not None
        assert measure.cost >= 0
        if measure.state == Measure.State.DONE:
            assert measure.passport.surveyed_on < measure.completed_on <= today
    assert Measure.objects.filter(state=Measure.State.DONE).exists()
    assert Measure.objects.filter(state=Measure.State.PLANNED, deadline__lt=today).exists()
    assert Measure.objects.filter(state=Measure.State.PLANNED, deadline__gte=today).exists()


def test_generating_twice_changes_nothing():
    generate_objects(count=200, seed=5)
    before = counts()
    assert generate_objects(count=200, seed=5) == 0
    assert counts() == before


def test_generation_is_the_same_for_the_same_seed():
    generate_objects(count=150, seed=8)
    first = list(AccessObject.objects.order_by("external_id").values_list("name_kk", "latitude", "status_k"))
    AccessObject.objects.all().delete()
    generate_objects(count=150, seed=8)
    again = list(AccessObject.objects.order_by("external_id").values_list("name_kk", "latitude", "status_k"))
    assert first == again


def test_a_region_without_districts_gets_nothing_and_says_why():
    with pytest.raises(ValueError, match="no districts"):
        generate_objects(region_kato="100000000", count=10)
    assert AccessObject.objects.count() == 0
