"""Deliveries and attendance carry their person's identity, which reach counts without
joining people: every way of writing them sets it, a corrected IIN moves it, and the
counts follow."""

import datetime as dt

import pytest
from django.db.models import F

from qoldau.core import services as core_services
from qoldau.core.tests import factories
from qoldau.projects import services
from qoldau.projects.impact import ImpactFilter, impact_report
from qoldau.projects.models import Attendance, ReachStale, ServiceDelivery
from qoldau.projects.tests.factories import project, service

pytestmark = pytest.mark.django_db

YEAR_2025 = ImpactFilter.for_year(2025)


def mismatched() -> int:
    """Rows whose identity is not their record's."""
    return (
        ServiceDelivery.objects.exclude(identity_id=F("person__identity_id")).count()
        + Attendance.objects.exclude(identity_id=F("person__identity_id")).count()
    )


@pytest.fixture
def setting():
    world = factories.world()
    almaty = project(world.almaty_admin, world.almaty_ngo)
    south = project(world.turkistan_admin, world.turkistan_ngo, title="Оңтүстік")
    return world, almaty, south


def test_deliveries_events_and_attendance_are_written_with_the_identity(setting):
    world, almaty, _south = setting
    aigul, sergei = world.almaty_people
    services.delivery_record(
        actor=world.almaty_staff,
        project=almaty,
        person_id=aigul.pk,
        service=service(),
        delivered_on=dt.date(2025, 3, 1),
    )
    event = services.event_record(
        actor=world.almaty_staff,
        project=almaty,
        data=services.EventInput(
            kind="training", title_kk="Оқыту", held_on=dt.date(2025, 4, 1), attendee_ids=[aigul.pk]
        ),
    )
    services.attendance_add(actor=world.almaty_staff, event=event, person_ids=[sergei.pk])

    assert ServiceDelivery.objects.get().identity_id == aigul.identity_id
    assert dict(Attendance.objects.values_list("person_id", "identity_id")) == {
        aigul.pk: aigul.identity_id,
        sergei.pk: sergei.identity_id,
    }
    assert mismatched() == 0


def test_a_corrected_iin_moves_the_records_deliveries_and_attendance_and_the_count(setting):
    world, almaty, south = setting
    aigul, sergei = world.almaty_people
    omarov = world.turkistan_people[0]
    # Almaty typed Sergei's IIN wrong: it is really Omarov's, whom Turkistan serves.
    for person, proj, actor in ((sergei, almaty, world.almaty_staff), (omarov, south, world.turkistan_staff)):
        services.delivery_record(
            actor=actor,
            project=proj,
            person_id=person.pk,
            service=service(),
            delivered_on=dt.date(2025, 3, 1),
        )
    event = services.event_record(
        actor=world.almaty_staff,
        project=almaty,
        data=services.EventInput(
            kind="training", title_kk="Оқыту", held_on=dt.date(2025, 4, 1), attendee_ids=[sergei.pk, aigul.pk]
        ),
    )
    assert event.pk
    assert impact_report(world.ministry, YEAR_2025).people_reached == 3
    ReachStale.objects.all().delete()

    sergei.refresh_from_db()
    core_services.person_update(
        actor=world.almaty_staff,
        person=sergei,
        expected_version=sergei.version,
        data=core_services.PersonInput(last_name="Омаров", first_name="Ерлан", iin=omarov.iin),
    )

    sergei.refresh_from_db()
    assert sergei.identity_id == omarov.identity_id
    assert ServiceDelivery.objects.get(person=sergei).identity_id == omarov.identity_id
    assert Attendance.objects.get(person=sergei).identity_id == omarov.identity_id
    assert mismatched() == 0
    # The slices the record counted in are recounted, and the two records are one person.
    assert ReachStale.objects.filter(year=2025).exists()
    assert impact_report(world.ministry, YEAR_2025).people_reached == 2


def test_an_edit_that_keeps_the_iin_leaves_the_rows_and_the_cells_alone(setting):
    world, almaty, _south = setting
    aigul = world.almaty_people[0]
    services.delivery_record(
        actor=world.almaty_staff,
        project=almaty,
        person_id=aigul.pk,
        service=service(),
        delivered_on=dt.date(2025, 3, 1),
    )
    ReachStale.objects.all().delete()
    aigul.refresh_from_db()
    core_services.person_update(
        actor=world.almaty_staff,
        person=aigul,
        expected_version=aigul.version,
        data=core_services.PersonInput(last_name="Ахметова-Серікова", first_name="Айгүл", iin=aigul.iin),
    )
    assert ServiceDelivery.objects.get().identity_id == aigul.identity_id
    assert not ReachStale.objects.exists()
