"""The social-services demo (issue 15, item 7) holds article 002's figures for Almaty,
keeps its records consistent with the models' rules and the reach figures, stays fast,
and a second load changes nothing."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db.models import Count, Q, Sum
from django.utils import timezone

from qoldau.core.models import Place
from qoldau.projects.impact import ImpactFilter
from qoldau.projects.models import Event, ServiceDelivery
from qoldau.projects.services import reach_refresh
from qoldau.services import demo as services_demo
from qoldau.services import selectors
from qoldau.services.demo import data
from qoldau.services.models import (
    Capacity,
    Enrolment,
    Location,
    Offer,
    Permit,
    PlannedCentre,
    Provider,
    Referral,
    Training,
    TrainingTarget,
    WaitListEntry,
    Worker,
    WorkforceBonus,
)
from qoldau.services.service_figures import service_figures, shown_figures

pytestmark = pytest.mark.django_db


MODELS = (Provider, Permit, Location, Capacity, Enrolment, Referral, WaitListEntry, Offer, Worker, Training)


def counts() -> tuple[int, ...]:
    return (
        *(model.objects.count() for model in MODELS),
        ServiceDelivery.objects.count(),
        Event.objects.count(),
    )


def test_the_demo_builds_holds_its_figures_and_loads_once() -> None:
    started = time.perf_counter()
    assert services_demo.load_services_demo() is True
    took = time.perf_counter() - started
    print(f"services demo loaded in {took:.1f} s")  # noqa: T201 - the measurement, with -s
    reach_refresh()
    before = counts()
    assert services_demo.load_services_demo() is False
    assert counts() == before
    # Bulk inserts keep it fast: about 30 s on SQLite on this 2-core machine, loaded.
    assert took < 180
    network()
    found_by_their_needs()
    public_summary()
    recipients()
    places()
    referrals_and_wait_lists()
    workforce()
    users()


def found_by_their_needs() -> None:
    """The named centres are found in the public directory by the need each is named for."""
    for need, name in (
        ("early_intervention", "Early Intervention Centre"),
        ("family_support", "Family Support Centre"),
        ("active_longevity", "Active Longevity Centre"),
    ):
        found = selectors.services_search(selectors.DirectoryFilter(need=need), language="en")
        assert name in {service.provider.organisation.name_en for service in found}, need


def public_summary() -> None:
    """The public figures of Almaty (what the summary and the public dashboard show)."""
    almaty = Place.objects.get(kato="750000000", level=Place.Level.REGION)
    wanted = ImpactFilter.for_year(2025, region_ids=(almaty.pk,))
    shown = shown_figures(service_figures(None, wanted), public=True, threshold=5)
    assert shown.providers["medical_social_institution"] == 9
    assert shown.providers["ngo"] == 14
    assert shown.providers["home_care_unit"] == 8
    assert shown.recipients == data.RECIPIENTS
    assert shown.place_dimension == "district"
    assert len(shown.by_place) == 8
    assert shown.planned_places == 350
    assert shown.waiting
    assert shown.referrals_served
    assert shown.median_days_to_first_service is not None


def network() -> None:
    almaty = Place.objects.get(kato="750000000", level=Place.Level.REGION)
    kinds = dict(
        Provider.objects.filter(organisation__region=almaty).values_list("kind").annotate(n=Count("pk"))
    )
    assert kinds == {"medical_social_institution": 9, "ngo": 14, "home_care_unit": 8, "state_centre": 3}
    # One home-care unit per district akimat, in its own district.
    units = Provider.objects.filter(kind="home_care_unit")
    assert sorted(str(getattr(u.organisation.district, "name_en", "")) for u in units) == sorted(
        Place.objects.filter(parent=almaty).values_list("name_en", flat=True)
    )
    # Names the article does not give are generated and say so; the centres' are its own.
    assert not Provider.objects.filter(
        kind__in=["ngo", "home_care_unit", "medical_social_institution"], generated=False
    ).exists()
    assert all("generated" in p.organisation.name_en for p in Provider.objects.filter(generated=True))
    assert set(Provider.objects.filter(generated=False).values_list("organisation__name_en", flat=True)) == {
        "Early Intervention Centre",
        "Family Support Centre",
        "Active Longevity Centre",
    }
    # Buildings in Almaty.
    for location in Location.objects.filter(kind="physical"):
        assert 43.1 < float(location.latitude or 0) < 43.4
        assert 76.7 < float(location.longitude or 0) < 77.1
    # Permits: one each, three expiring within two months of loading.
    assert Permit.objects.count() == 34
    today = timezone.localdate()
    assert (
        Permit.objects.filter(valid_to__lte=today + dt.timedelta(days=62), valid_to__gte=today).count() == 3
    )
    # The planned centres: 150 places, and three new ones of up to 200 in total.
    planned = PlannedCentre.objects.all()
    assert planned.aggregate(n=Sum("places"))["n"] == 350
    assert sorted(p.district.name_en for p in planned if p.district) == [
        "Bostandyq District",
        "Medeu District",
        "Nauryzbay District",
    ]


def recipients() -> None:
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    enrolled_2025 = (
        Enrolment.objects.filter(starts_on__lte=year[1])
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=year[0]))
        .exclude(offer__isnull=False)
        .values("identity_id")
        .distinct()
        .count()
    )
    reached = (
        ServiceDelivery.objects.filter(delivered_on__range=year, service__code="special_social_service")
        .values("identity_id")
        .distinct()
        .count()
    )
    assert enrolled_2025 == reached == data.RECIPIENTS
    # Every recipient's deliveries are of the project of the provider that enrolled them.
    for enrolment in Enrolment.objects.filter(offer__isnull=True).select_related("service")[:300]:
        projects = set(enrolment.person.deliveries.values_list("project_id", flat=True))
        assert projects == {enrolment.service.project_id}
    # The Active Longevity Centre's 24,000 pensioners, in aggregate.
    events = Event.objects.filter(project__organisation__name_en="Active Longevity Centre")
    assert events.aggregate(n=Sum("anonymous_participants"))["n"] == 24_000


def places() -> None:
    days = [
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 15),
        dt.date(2025, 7, 1),
        dt.date(2025, 12, 31),
        timezone.localdate(),
    ]
    for capacity in Capacity.objects.all():
        for day in days:
            occupied = (
                Enrolment.objects.filter(service_id=capacity.service_id, starts_on__lte=day)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
                .count()
            )
            assert occupied <= capacity.places, (capacity.service, day)


def referrals_and_wait_lists() -> None:
    states = set(Referral.objects.values_list("status", flat=True))
    assert states == set(Referral.Status.values)
    outcomes = set(Referral.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == set(Referral.Outcome.values)
    served = Referral.objects.filter(outcome="served")
    assert not served.filter(delivery__isnull=True).exists()
    assert Referral.objects.filter(status="requested", answer_due_at__lt=dt.datetime.now(dt.UTC)).exists()
    assert Referral.objects.filter(status="requested", answer_due_at__gt=dt.datetime.now(dt.UTC)).exists()
    # Referrals made before their first service.
    for referral in served[:50]:
        assert referral.first_service_on is not None
        assert referral.created_at.date() <= referral.first_service_on
    assert set(WaitListEntry.objects.values_list("status", flat=True)) == set(WaitListEntry.Status.values)
    assert set(Offer.objects.values_list("status", flat=True)) >= {"open", "accepted", "declined", "expired"}
    assert not WaitListEntry.objects.filter(status="parked", parked_until__isnull=True).exists()
    eic = WaitListEntry.objects.filter(service__provider__organisation__name_en="Early Intervention Centre")
    assert eic.filter(tier_rank=1).exists()
    assert eic.filter(tier_rank=2).exists()
    accepted = Offer.objects.filter(status="accepted")
    assert all(o.enrolment.identity_id == o.entry.identity_id for o in accepted)


def workforce() -> None:
    social = Worker.objects.filter(position__in=["social_worker", "social_work_specialist"])
    assert social.count() == data.SOCIAL_WORKERS
    assert Worker.objects.exclude(position__in=["social_worker", "social_work_specialist"]).exists()
    bonus = WorkforceBonus.objects.get()
    assert bonus.percent == Decimal(30)
    assert bonus.valid_from == dt.date(2025, 1, 1)
    target = TrainingTarget.objects.get()
    assert (target.specialists, target.deadline) == (1000, dt.date(2026, 6, 30))
    trained = Training.objects.filter(completed_on__range=(target.counted_from, target.deadline))
    assert trained.values("worker_id").distinct().count() == data.TRAINED_BY_AS_OF


def users() -> None:
    for spec in data.SERVICES_USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password("qoldau-demo-2025")
    assert services_demo.services_demo_is_loaded()
