"""Capacity, occupancy and enrolments: places from a day, never enrolled over them, a
capacity never below the people enrolled, plans kept encrypted, attendance within the
enrolment, planned centres; each refusal translated and changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import translation

from qoldau.core.errors import ApplicationError, NotFound, PermissionDenied
from qoldau.core.models import AuditEntry, Person
from qoldau.core.tests import factories
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import Capacity, Enrolment, EnrolmentAttendance, PlannedCentre
from qoldau.services.selectors import flow as selectors
from qoldau.services.services import capacity
from qoldau.services.tests import flow_factories as f

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 3)


def _own_person(s: f.Flow) -> Person:
    return f.person(s.provider_staff, s.provider_org)


def test_occupancy_and_free_places_at_any_date() -> None:
    s = f.flow(places=2)
    a, b = _own_person(s), _own_person(s)
    capacity.enrolment_create(actor=s.provider_staff, service=s.service, person=a, starts_on=DAY)
    e = capacity.enrolment_create(
        actor=s.provider_staff, service=s.service, person=b, starts_on=DAY + dt.timedelta(days=10)
    )
    capacity.enrolment_end(
        actor=s.provider_staff, enrolment=e, ends_on=DAY + dt.timedelta(days=20), reason="left"
    )
    before = selectors.occupancy(s.service, DAY - dt.timedelta(days=1))
    assert (before.places, before.enrolled, before.free) == (2, 0, 2)
    assert selectors.occupancy(s.service, DAY).enrolled == 1
    assert selectors.occupancy(s.service, DAY + dt.timedelta(days=15)).free == 0
    assert selectors.occupancy(s.service, DAY + dt.timedelta(days=21)).free == 1
    assert selectors.occupancy(s.service, dt.date(2024, 12, 31)).places is None


def test_enrolling_over_capacity_is_refused_and_changes_nothing() -> None:
    s = f.flow(places=1)
    capacity.enrolment_create(actor=s.provider_staff, service=s.service, person=_own_person(s), starts_on=DAY)
    before = Enrolment.objects.count(), AuditEntry.objects.count()
    with translation.override("ru"), pytest.raises(ApplicationError) as caught:
        capacity.enrolment_create(
            actor=s.provider_staff, service=s.service, person=_own_person(s), starts_on=DAY
        )
    assert caught.value.code == ServicesErrorCode.OVER_CAPACITY
    with translation.override("ru"):
        assert "1" in caught.value.render()
    assert (Enrolment.objects.count(), AuditEntry.objects.count()) == (
        before[0],
        before[1] + 1,
    )  # the person made


def test_an_enrolment_from_an_earlier_day_cannot_overfill_a_later_one() -> None:
    """A place free today but taken from next week on: an open enrolment from today would
    be over capacity next week."""
    s = f.flow(places=1)
    capacity.enrolment_create(
        actor=s.provider_staff, service=s.service, person=_own_person(s), starts_on=DAY + dt.timedelta(days=7)
    )
    with pytest.raises(ApplicationError) as caught:
        capacity.enrolment_create(
            actor=s.provider_staff, service=s.service, person=_own_person(s), starts_on=DAY
        )
    assert caught.value.code == ServicesErrorCode.OVER_CAPACITY


def test_no_capacity_recorded_means_no_enrolment() -> None:
    s = f.flow(places=None)
    with pytest.raises(ApplicationError) as caught:
        capacity.enrolment_create(
            actor=s.provider_staff, service=s.service, person=_own_person(s), starts_on=DAY
        )
    assert caught.value.code == ServicesErrorCode.NO_CAPACITY
    assert not Enrolment.objects.exists()


def test_capacity_below_current_enrolments_is_refused_and_changes_nothing() -> None:
    s = f.flow(places=3)
    for _ in range(2):
        capacity.enrolment_create(
            actor=s.provider_staff, service=s.service, person=_own_person(s), starts_on=DAY
        )
    rows = list(Capacity.objects.values_list("since", "places"))
    with translation.override("kk"), pytest.raises(ApplicationError) as caught:
        capacity.capacity_record(
            actor=s.provider_staff, service=s.service, places=1, since=DAY + dt.timedelta(days=5)
        )
    assert caught.value.code == ServicesErrorCode.CAPACITY_BELOW_ENROLMENTS
    assert caught.value.field == "places"
    assert list(Capacity.objects.values_list("since", "places")) == rows
    # Equal to the enrolments is allowed.
    capacity.capacity_record(
        actor=s.provider_staff, service=s.service, places=2, since=DAY + dt.timedelta(days=5)
    )
    assert selectors.occupancy(s.service, DAY + dt.timedelta(days=6)).places == 2


def test_capacity_lowered_for_a_day_before_later_enrolments_counts_them() -> None:
    s = f.flow(places=2)
    for _ in range(2):
        capacity.enrolment_create(
            actor=s.provider_staff,
            service=s.service,
            person=_own_person(s),
            starts_on=DAY + dt.timedelta(days=30),
        )
    with pytest.raises(ApplicationError) as caught:
        capacity.capacity_record(actor=s.provider_staff, service=s.service, places=1, since=DAY)
    assert caught.value.code == ServicesErrorCode.CAPACITY_BELOW_ENROLMENTS


@pytest.mark.parametrize("places", [-1, 100_001])
def test_capacity_out_of_bounds_is_refused(places: int) -> None:
    s = f.flow(places=None)
    with pytest.raises(ApplicationError):
        capacity.capacity_record(actor=s.provider_staff, service=s.service, places=places, since=DAY)
    assert not Capacity.objects.exists()


def test_only_the_providers_staff_keep_its_places() -> None:
    s = f.flow(places=2)
    for outsider in (s.referrer_staff, s.akimat):
        with pytest.raises(NotFound):
            capacity.capacity_record(actor=outsider, service=s.service, places=5, since=DAY)
    assert Capacity.objects.get().places == 2


def test_the_provider_enrols_its_own_record_only() -> None:
    s = f.flow(places=2)
    with pytest.raises(NotFound):  # not a person the provider's staff see
        capacity.enrolment_create(actor=s.provider_staff, service=s.service, person=s.referred, starts_on=DAY)
    assert not Enrolment.objects.exists()


def test_one_person_is_enrolled_once_at_a_time() -> None:
    s = f.flow(places=3)
    p = _own_person(s)
    capacity.enrolment_create(actor=s.provider_staff, service=s.service, person=p, starts_on=DAY)
    with pytest.raises(ApplicationError) as caught:
        capacity.enrolment_create(actor=s.provider_staff, service=s.service, person=p, starts_on=DAY)
    assert caught.value.code == ServicesErrorCode.ALREADY_ENROLLED


def test_an_enrolment_cannot_end_before_it_starts_nor_twice() -> None:
    s = f.flow(places=1)
    e = capacity.enrolment_create(
        actor=s.provider_staff, service=s.service, person=_own_person(s), starts_on=DAY
    )
    with pytest.raises(ApplicationError) as caught:
        capacity.enrolment_end(
            actor=s.provider_staff, enrolment=e, ends_on=DAY - dt.timedelta(days=1), reason="left"
        )
    assert caught.value.code == ServicesErrorCode.ENDS_BEFORE_START
    capacity.enrolment_end(actor=s.provider_staff, enrolment=e, ends_on=DAY, reason="plan_completed")
    with pytest.raises(ApplicationError) as again:
        capacity.enrolment_end(actor=s.provider_staff, enrolment=e, ends_on=DAY, reason="left")
    assert again.value.code == ServicesErrorCode.NOT_IN_THAT_STATE


def test_the_individual_plan_is_encrypted_at_rest() -> None:
    s = f.flow(places=1)
    e = capacity.enrolment_create(
        actor=s.provider_staff,
        service=s.service,
        person=_own_person(s),
        starts_on=DAY,
        plan="Логопед аптасына 2 рет",
    )
    capacity.enrolment_plan_set(
        actor=s.provider_staff, enrolment=e, expected_version=e.version, plan="Психолог"
    )
    assert Enrolment.objects.get(pk=e.pk).plan == "Психолог"
    with connection.cursor() as cursor:
        cursor.execute("SELECT plan FROM services_enrolment WHERE id = %s", [e.pk])
        (stored,) = cursor.fetchone()
    assert "Психолог" not in stored


def test_attendance_only_within_the_enrolment() -> None:
    s = f.flow(places=1)
    e = capacity.enrolment_create(
        actor=s.provider_staff, service=s.service, person=_own_person(s), starts_on=DAY
    )
    capacity.attendance_record(actor=s.provider_staff, enrolment=e, on=DAY, present=True)
    capacity.attendance_record(actor=s.provider_staff, enrolment=e, on=DAY, present=False)  # corrected
    assert list(EnrolmentAttendance.objects.values_list("on", "present")) == [(DAY, False)]
    with pytest.raises(ApplicationError):
        capacity.attendance_record(
            actor=s.provider_staff, enrolment=e, on=DAY - dt.timedelta(days=1), present=True
        )
    with pytest.raises(NotFound):
        capacity.attendance_record(actor=s.referrer_staff, enrolment=e, on=DAY, present=True)
    assert EnrolmentAttendance.objects.count() == 1


def test_planned_centres_by_the_akimat_of_their_region_only() -> None:
    s = f.flow()
    almaty = factories.region(factories.ALMATY)
    centre = capacity.planned_centre_record(
        actor=s.akimat,
        name_kk="Оңалту орталығы",
        name_ru="Реабилитационный центр",
        region=almaty,
        places=150,
        opens_on=dt.date(2027, 9, 1),
    )
    assert centre.places == 150
    with pytest.raises(PermissionDenied):
        capacity.planned_centre_record(
            actor=s.referrer_staff, name_kk="X", name_ru="X", region=almaty, places=10
        )
    with pytest.raises(ApplicationError):
        capacity.planned_centre_record(actor=s.akimat, name_kk="X", name_ru="X", region=almaty, places=0)
    assert PlannedCentre.objects.count() == 1
