"""The impact report: exact de-duplicated people, participations, scopes, and the reach
cells agreeing with the live count."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from django.utils import translation

from qoldau.core import services as core_services
from qoldau.core.errors import ValidationFailed
from qoldau.core.models import Place, VulnerabilityCategory
from qoldau.core.tests import factories
from qoldau.projects import services
from qoldau.projects.impact import ImpactFilter, impact_report
from qoldau.projects.models import ReachCell, ReachStale
from qoldau.projects.tests.factories import project, service

pytestmark = pytest.mark.django_db

YEAR_2025 = ImpactFilter.for_year(2025)


def deliver(actor, proj, person, day, code="legal_consultation"):
    return services.delivery_record(
        actor=actor, project=proj, person_id=person.pk, service=service(code), delivered_on=day
    )


@pytest.fixture
def setting():
    world = factories.world()
    first = project(world.almaty_admin, world.almaty_ngo, title="Тәуелсіз өмір мектебі")
    second = project(world.almaty_admin, world.almaty_ngo, title="Жарқын өмір")
    south = project(world.turkistan_admin, world.turkistan_ngo, title="Оңтүстік")
    return world, first, second, south


def test_a_person_served_by_two_projects_is_reached_once(setting):
    world, first, second, _south = setting
    aigul, sergei = world.almaty_people
    deliver(world.almaty_staff, first, aigul, dt.date(2025, 3, 1))
    deliver(world.almaty_staff, first, aigul, dt.date(2025, 4, 1))
    deliver(world.almaty_staff, second, aigul, dt.date(2025, 5, 1))
    deliver(world.almaty_staff, second, sergei, dt.date(2025, 5, 1))

    report = impact_report(world.ministry, YEAR_2025)

    assert report.people_reached == 2
    assert report.participations == 4
    by_project = {p.project_id: p for p in report.projects}
    assert by_project[first.pk].people_reached == 1
    assert by_project[first.pk].participations == 2
    assert by_project[second.pk].people_reached == 2


def test_a_person_registered_twice_by_two_organisations_is_one_person(setting):
    world, first, _second, south = setting
    aigul = world.almaty_people[0]
    # The Turkistan NGO registers the same IIN: it gets a record of its own, which shares
    # only the identity with Almaty's, and she is counted once.
    linked = core_services.person_register(
        actor=world.turkistan_staff,
        organisation=world.turkistan_ngo,
        data=core_services.PersonInput(last_name="Ахметова", first_name="Айгүл", iin=aigul.iin or ""),
        consent_given_on=dt.date(2025, 1, 10),
    ).person
    assert linked.pk != aigul.pk
    assert linked.identity_id == aigul.identity_id
    deliver(world.almaty_staff, first, aigul, dt.date(2025, 3, 1))
    deliver(world.turkistan_staff, south, linked, dt.date(2025, 3, 2))

    report = impact_report(world.ministry, YEAR_2025, ["region"])

    assert report.people_reached == 1
    assert report.participations == 2
    # Each region reached her once; the country once, not twice.
    assert [row.people for row in report.breakdown] == [1, 1]


def test_event_attendance_counts_with_deliveries_and_anonymous_apart(setting):
    world, first, _second, _south = setting
    aigul, sergei = world.almaty_people
    deliver(world.almaty_staff, first, aigul, dt.date(2025, 3, 1))
    services.event_record(
        actor=world.almaty_staff,
        project=first,
        data=services.EventInput(
            kind="job_fair",
            title_kk="Жәрмеңке",
            held_on=dt.date(2025, 6, 1),
            anonymous_participants=40,
            volunteers=5,
            attendee_ids=[aigul.pk, sergei.pk],
        ),
    )

    report = impact_report(world.ministry, YEAR_2025)

    assert report.people_reached == 2
    assert report.participations == 3
    assert report.deliveries == 1
    assert report.attendances == 2
    assert report.anonymous_participants == 40
    assert report.events == 1
    assert report.volunteers == 5


def test_attendees_recorded_with_the_event_count_where_it_was_held(setting):
    world, first, _second, _south = setting
    aigul, sergei = world.almaty_people
    almaty = Place.objects.get(kato=factories.ALMATY)
    district = Place.objects.filter(parent=almaty, level=Place.Level.DISTRICT).first()
    services.reach_refresh()
    services.event_record(
        actor=world.almaty_staff,
        project=first,
        data=services.EventInput(
            kind="training",
            title_kk="Оқыту",
            held_on=dt.date(2025, 9, 1),
            place_id=district.pk,
            attendee_ids=[aigul.pk, sergei.pk],
        ),
    )
    # The write marks the cells stale, so the year is counted live with the attendees.
    assert set(ReachStale.objects.values_list("year", "region_key")) == {(2025, almaty.pk), (2025, 0)}
    for report_filter in (
        YEAR_2025,
        ImpactFilter.for_year(2025, region_ids=(almaty.pk,)),
        ImpactFilter.for_year(2025, district_ids=(district.pk,)),
    ):
        assert impact_report(world.ministry, report_filter).people_reached == 2
    services.reach_refresh()
    report = impact_report(world.ministry, ImpactFilter.for_year(2025, district_ids=(district.pk,)))
    assert report.from_cells
    assert report.people_reached == 2


def test_period_region_project_and_category_filters(setting):
    world, first, second, south = setting
    aigul, sergei = world.almaty_people
    erlan = world.turkistan_people[0]
    wheelchair = VulnerabilityCategory.objects.get(code="disability_group_1")
    core_services.person_category_add(
        actor=world.almaty_staff, person=aigul, category=wheelchair, since=dt.date(2025, 4, 1)
    )
    deliver(world.almaty_staff, first, aigul, dt.date(2025, 3, 1))  # before her category
    deliver(world.almaty_staff, first, aigul, dt.date(2025, 5, 1))
    deliver(world.almaty_staff, second, sergei, dt.date(2025, 5, 1))
    deliver(world.turkistan_staff, south, erlan, dt.date(2025, 12, 31))
    almaty = Place.objects.get(kato=factories.ALMATY)

    assert (
        impact_report(world.ministry, ImpactFilter.for_year(2025, region_ids=(almaty.pk,))).people_reached
        == 2
    )
    assert (
        impact_report(world.ministry, ImpactFilter.for_year(2025, project_ids=(second.pk,))).people_reached
        == 1
    )
    in_category = impact_report(world.ministry, ImpactFilter.for_year(2025, category_id=wheelchair.pk))
    assert (in_category.people_reached, in_category.participations) == (1, 1)
    spring = ImpactFilter(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31))
    assert impact_report(world.ministry, spring).participations == 1
    assert impact_report(world.ministry, ImpactFilter.for_year(2024)).people_reached == 0
    by_funding = impact_report(world.ministry, ImpactFilter.for_year(2025, funding_source="sponsor"))
    assert by_funding.people_reached == 0


def test_ngo_staff_count_only_their_organisations_projects(setting):
    world, first, _second, south = setting
    deliver(world.almaty_staff, first, world.almaty_people[0], dt.date(2025, 3, 1))
    deliver(world.turkistan_staff, south, world.turkistan_people[0], dt.date(2025, 3, 1))

    assert impact_report(world.almaty_staff, YEAR_2025).people_reached == 1
    assert [p.project_id for p in impact_report(world.almaty_staff, YEAR_2025).projects] == [first.pk]
    assert impact_report(world.akimat_turkistan, YEAR_2025).people_reached == 1
    # Asking for the other region does not widen an akimat officer's scope.
    almaty = Place.objects.get(kato=factories.ALMATY)
    asked = impact_report(world.akimat_turkistan, ImpactFilter.for_year(2025, region_ids=(almaty.pk,)))
    assert asked.people_reached == 0
    assert impact_report(world.ministry, YEAR_2025).people_reached == 2
    assert impact_report(None, YEAR_2025).people_reached == 2


@translation.override("en")
def test_bad_breakdowns_and_periods_are_refused():
    with pytest.raises(ValidationFailed, match="one or two"):
        impact_report(None, YEAR_2025, ["region", "month", "category"])
    with pytest.raises(ValidationFailed, match="Unknown dimension"):
        impact_report(None, YEAR_2025, ["colour"])
    with pytest.raises(ValidationFailed, match="ends before"):
        impact_report(None, ImpactFilter(date_from=dt.date(2025, 2, 1), date_to=dt.date(2025, 1, 1)))


def test_writes_mark_the_cells_stale_and_the_refresh_clears_exactly_them(setting):
    world, first, _second, _south = setting
    deliver(world.almaty_staff, first, world.almaty_people[0], dt.date(2025, 3, 1))
    assert set(ReachStale.objects.values_list("year", "region_key")) == {
        (2025, world.almaty_ngo.region_id),
        (2025, 0),
    }
    refreshed = services.reach_refresh()
    assert refreshed.slices == 2
    assert not ReachStale.objects.exists()
    assert ReachCell.objects.get(year=2025, region_key=0, district_key=0, category_key=0, month=0).people == 1
    # Fresh cells answer the report; a new write sends it back to the live count.
    assert impact_report(world.ministry, YEAR_2025).from_cells
    deliver(world.almaty_staff, first, world.almaty_people[1], dt.date(2025, 3, 1))
    report = impact_report(world.ministry, YEAR_2025)
    assert not report.from_cells
    assert report.people_reached == 2


def test_reach_cells_agree_with_the_live_count(setting):
    """Random deliveries over regions, districts, categories and months: every report
    the cells can answer gives the same figures as the live count."""
    world, first, _second, south = setting
    rng = random.Random(7)
    almaty = Place.objects.get(kato=factories.ALMATY)
    districts = list(Place.objects.filter(parent=almaty))[:3]
    categories = list(VulnerabilityCategory.objects.all()[:3])
    people = []
    for i in range(24):
        district = rng.choice([*districts, None])
        person = core_services.person_register(
            actor=world.almaty_staff,
            organisation=world.almaty_ngo,
            data=core_services.PersonInput(
                last_name=f"Адам{i}",
                first_name="Тест",
                iin=factories.valid_iin(),
                region_id=almaty.pk,
                district_id=district.pk if district else None,
            ),
            consent_given_on=dt.date(2025, 1, 1),
        ).person
        for category in rng.sample(categories, rng.randint(0, 2)):
            core_services.person_category_add(
                actor=world.almaty_staff,
                person=person,
                category=category,
                since=dt.date(2025, rng.randint(1, 12), 1),
            )
        people.append(person)
    for person in people:
        for day in {dt.date(2025, rng.randint(1, 12), rng.randint(1, 28)) for _ in range(rng.randint(1, 4))}:
            deliver(world.almaty_staff, first, person, day)
    deliver(world.turkistan_staff, south, world.turkistan_people[0], dt.date(2025, 2, 2))

    filters = [
        YEAR_2025,
        ImpactFilter.for_year(2025, region_ids=(almaty.pk,)),
        ImpactFilter.for_year(2025, district_ids=(districts[0].pk,)),
        ImpactFilter.for_year(2025, category_id=categories[0].pk),
        ImpactFilter.for_year(2025, region_ids=(almaty.pk,), category_id=categories[1].pk),
        # A single month, as the public asks for it, is read from the month's cells too.
        ImpactFilter.for_period(2025, month=3),
        ImpactFilter.for_period(2025, month=11, region_ids=(almaty.pk,)),
        ImpactFilter.for_period(2025, month=6, district_ids=(districts[0].pk,), category_id=categories[0].pk),
    ]
    breakdowns = [(), ("month",), ("category",), ("region",), ("region", "month"), ("category", "month")]
    breakdowns += [("district",), ("district", "category")]
    live = {}
    for report_filter, by in itertools.product(filters, breakdowns):
        if "district" in by and not (report_filter.region_ids or report_filter.district_ids):
            continue
        report = impact_report(world.ministry, report_filter, by, with_projects=False)
        assert not report.from_cells
        live[report_filter, by] = report
    services.reach_refresh()
    for (report_filter, by), expected in live.items():
        report = impact_report(world.ministry, report_filter, by, with_projects=False)
        assert report.from_cells, (report_filter, by)
        assert (report.people_reached, report.participations) == (
            expected.people_reached,
            expected.participations,
        )
        got = {(row.keys, row.people, row.participations) for row in report.breakdown}
        want = {
            (row.keys, row.people, row.participations) for row in expected.breakdown if None not in row.keys
        }
        assert got == want, (report_filter, by)
