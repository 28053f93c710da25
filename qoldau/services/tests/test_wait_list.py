"""Fair wait lists: tiers from the published priority tiers on joining, the order tier →
joined at → number, offers of freed places with a deadline, accepting within capacity,
declining and lapsing set the person aside, never two open offers for one person, and the
list replayed from the audit alone equals the live one (also over random sequences of
operations). The public lookup answers the same for a wrong reference and a wrong date."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone, translation

from qoldau.core.errors import ApplicationError, NotFound
from qoldau.core.models import Person
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import Enrolment, Offer, Service, WaitListEntry
from qoldau.services.selectors import flow as selectors
from qoldau.services.services import capacity, wait_lists
from qoldau.services.tests import flow_factories as f

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def _full(places: int = 1, **service_options: object) -> tuple[f.Flow, Service]:
    """A flow whose service is full from today: `places` people enrolled."""
    s = f.flow(places=places)
    if service_options:
        Service.objects.filter(pk=s.service.pk).update(**service_options)
        s.service.refresh_from_db()
    for _ in range(places):
        capacity.enrolment_create(
            actor=s.provider_staff,
            service=s.service,
            person=_own(s),
            starts_on=_today() - dt.timedelta(days=30),
        )
    return s, s.service


def _own(s: f.Flow, birth: dt.date = dt.date(1990, 5, 17)) -> Person:
    return f.person(s.provider_staff, s.provider_org, birth=birth)


def _join(s: f.Flow, person: Person | None = None) -> WaitListEntry:
    return wait_lists.wait_list_join(actor=s.provider_staff, service=s.service, person=person or _own(s))


def _free_one(s: f.Flow) -> None:
    """End the first enrolment begun before today, yesterday: its place is free today."""
    enrolment = (
        Enrolment.objects.filter(service=s.service, ends_on__isnull=True, starts_on__lt=_today())
        .order_by("pk")
        .first()
    )
    assert enrolment is not None
    capacity.enrolment_end(
        actor=s.provider_staff, enrolment=enrolment, ends_on=_today() - dt.timedelta(days=1), reason="left"
    )


def _born(entry: WaitListEntry) -> dt.date:
    assert entry.person.birth_date is not None
    return entry.person.birth_date


def _assert_replay_equals_live(service: Service) -> None:
    assert wait_lists.wait_list_replay(service) == wait_lists.wait_list_live(service)


def test_first_come_first_served_and_a_freed_place_goes_to_the_first() -> None:
    s, service = _full()
    first, second = _join(s), _join(s)
    assert [e.status for e in (first, second)] == ["waiting", "waiting"]
    _free_one(s)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("offered", "waiting")
    offer = Offer.objects.get(entry=first)
    assert offer.expires_at - offer.made_at == dt.timedelta(days=service.offer_days)
    _assert_replay_equals_live(service)


def test_published_tiers_come_first_then_joined_at() -> None:
    s, service = _full(admission=Service.Admission.PRIORITY_TIERS)
    f.tier(service, 1, under_age_months=36)
    f.tier(service, 2, category="disability_group_1")
    adult = _join(s)
    group_one = _own(s)
    f.category_add(s.provider_staff, group_one, "disability_group_1")
    disabled = _join(s, group_one)
    toddler = _join(s, _own(s, birth=_today() - dt.timedelta(days=400)))
    assert (adult.tier_rank, disabled.tier_rank, toddler.tier_rank) == (None, 2, 1)
    assert [p.entry for p in wait_lists.wait_list_live(service)] == [toddler.pk, disabled.pk, adult.pk]
    lines = selectors.wait_list_of(s.provider_staff, service)
    assert [(line.entry.pk, line.position) for line in lines] == [
        (toddler.pk, 1),
        (disabled.pk, 2),
        (adult.pk, 3),
    ]
    _assert_replay_equals_live(service)


def test_tiers_are_ignored_when_the_service_admits_first_come() -> None:
    s, service = _full()
    f.tier(service, 1, under_age_months=36)
    toddler = _join(s, _own(s, birth=_today() - dt.timedelta(days=100)))
    assert toddler.tier_rank is None


def test_joining_twice_or_while_enrolled_is_refused() -> None:
    s, service = _full()
    person = _own(s)
    _join(s, person)
    with translation.override("kk"), pytest.raises(ApplicationError) as caught:
        _join(s, person)
    assert caught.value.code == ServicesErrorCode.ALREADY_WAITING
    enrolled = Enrolment.objects.filter(service=service).first()
    assert enrolled is not None
    with pytest.raises(ApplicationError) as again:
        _join(s, enrolled.person)
    assert again.value.code == ServicesErrorCode.ALREADY_ENROLLED
    assert WaitListEntry.objects.count() == 1


def test_accepting_an_offer_enrols_within_capacity() -> None:
    s, service = _full()
    entry = _join(s)
    _free_one(s)
    offer = Offer.objects.get(entry=entry)
    enrolment = wait_lists.offer_accept(actor=s.provider_staff, offer=offer)
    assert enrolment.offer_id == offer.pk
    assert enrolment.person_id == entry.person_id
    entry.refresh_from_db()
    assert entry.status == "enrolled"
    assert selectors.occupancy(service, _today()).free == 0
    _assert_replay_equals_live(service)


def test_accepting_an_expired_offer_is_refused_and_changes_nothing() -> None:
    s, _service = _full()
    entry = _join(s)
    _free_one(s)
    offer = Offer.objects.get(entry=entry)
    Offer.objects.filter(pk=offer.pk).update(
        made_at=timezone.now() - dt.timedelta(days=5), expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    enrolments = Enrolment.objects.count()
    with translation.override("ru"), pytest.raises(ApplicationError) as caught:
        wait_lists.offer_accept(actor=s.provider_staff, offer=offer)
    assert caught.value.code == ServicesErrorCode.OFFER_EXPIRED
    with translation.override("ru"):
        assert caught.value.render()
    assert Enrolment.objects.count() == enrolments
    assert Offer.objects.get(pk=offer.pk).status == "open"
    entry.refresh_from_db()
    assert entry.status == "offered"


def test_accepting_more_offers_than_places_enrols_only_as_many_as_places() -> None:
    """Offers outnumbering places (capacity lowered after they were made) cannot overfill."""
    s, service = _full(places=1)
    entries = [_join(s) for _ in range(3)]
    capacity.capacity_record(actor=s.provider_staff, service=service, places=4, since=_today())
    offers = list(Offer.objects.filter(service=service, status="open"))
    assert len(offers) == 3
    capacity.capacity_record(actor=s.provider_staff, service=service, places=2, since=_today())
    results = []
    for offer in offers:
        try:
            wait_lists.offer_accept(actor=s.provider_staff, offer=offer)
            results.append("enrolled")
        except ApplicationError as error:
            results.append(error.code)
    assert results == ["enrolled", ServicesErrorCode.OVER_CAPACITY, ServicesErrorCode.OVER_CAPACITY]
    assert Enrolment.objects.filter(service=service, ends_on__isnull=True).count() == 2
    assert len(entries) == 3


def test_decline_sets_aside_until_the_return_date_and_offers_the_next() -> None:
    s, service = _full()
    first, second = _join(s), _join(s)
    _free_one(s)
    offer = Offer.objects.get(entry=first)
    back = _today() + dt.timedelta(days=30)
    with pytest.raises(ApplicationError):  # a return date that is not later than today
        wait_lists.offer_decline(
            actor=s.provider_staff, offer=offer, reason="in_hospital", return_on=_today()
        )
    wait_lists.offer_decline(actor=s.provider_staff, offer=offer, reason="in_hospital", return_on=back)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.park_reason, first.parked_until) == ("parked", "in_hospital", back)
    assert second.status == "offered"
    assert Offer.objects.get(pk=offer.pk).status == "declined"
    public = selectors.wait_list_position(first.reference, _born(first))
    assert (public.status, public.position, public.parked_until) == ("parked", None, back)
    _assert_replay_equals_live(service)


def test_a_lapsed_offer_parks_the_person_and_goes_to_the_next() -> None:
    s, service = _full()
    first, second = _join(s), _join(s)
    _free_one(s)
    offer = Offer.objects.get(entry=first)
    assert wait_lists.offers_lapse(now=offer.expires_at - dt.timedelta(seconds=1)) == 0
    assert wait_lists.offers_lapse(now=offer.expires_at + dt.timedelta(seconds=1)) == 1
    assert wait_lists.offers_lapse(now=offer.expires_at + dt.timedelta(seconds=2)) == 0  # idempotent
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.park_reason) == ("parked", "offer_expired")
    assert second.status == "offered"
    _assert_replay_equals_live(service)


def test_two_places_freed_at_once_are_offered_to_two_people_and_one_offer_each() -> None:
    s, service = _full(places=2)
    entries = [_join(s) for _ in range(3)]
    capacity.capacity_record(actor=s.provider_staff, service=service, places=4, since=_today())
    offered = list(Offer.objects.filter(service=service, status="open").values_list("entry_id", flat=True))
    assert sorted(offered) == sorted(e.pk for e in entries[:2])
    # Asking again offers nothing more: the places are already offered.
    assert wait_lists.offers_make(actor=s.provider_staff, service=service) == []
    assert Offer.objects.filter(service=service, status="open").count() == 2


def test_leaving_withdraws_the_open_offer_and_offers_the_next() -> None:
    s, service = _full()
    first, second = _join(s), _join(s)
    _free_one(s)
    wait_lists.wait_list_leave(actor=s.provider_staff, entry=first)
    assert Offer.objects.get(entry=first).status == "withdrawn"
    second.refresh_from_db()
    assert second.status == "offered"
    _assert_replay_equals_live(service)


def test_public_lookup_shows_place_and_status_only_and_the_same_refusal() -> None:
    s, _service = _full()
    _join(s)
    entry = _join(s)
    place = selectors.wait_list_position(entry.reference.lower(), _born(entry))
    assert (place.status, place.position) == ("waiting", 2)
    assert not hasattr(place, "name")
    messages = set()
    for reference, birth in (
        ("ZZZZZZZZ", _born(entry)),
        (entry.reference, _born(entry) + dt.timedelta(days=1)),
    ):
        with pytest.raises(NotFound) as caught:
            selectors.wait_list_position(reference, birth)
        messages.add((caught.value.code, caught.value.render()))
    assert len(messages) == 1


def test_another_provider_cannot_touch_the_list() -> None:
    s, service = _full()
    entry = _join(s)
    with pytest.raises(NotFound):
        wait_lists.wait_list_leave(actor=s.referrer_staff, entry=entry)
    with pytest.raises(NotFound):
        selectors.wait_list_of(s.referrer_staff, service)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replay_equals_live_over_random_operations(seed: int) -> None:
    """A property: whatever sequence of joins, places freed and added, accepts, declines,
    lapses and leaves, the list replayed from the audit equals the live one, and nobody
    holds two open offers."""
    rng = random.Random(seed)
    s, service = _full(places=2, admission=Service.Admission.PRIORITY_TIERS)
    f.tier(service, 1, under_age_months=36)
    places = 2
    refused: list[str] = []
    for _step in range(25):
        operation = rng.choice(["join", "join", "free", "grow", "accept", "decline", "lapse", "leave"])
        try:
            if operation == "join":
                young = rng.random() < 0.3
                _join(s, _own(s, birth=_today() - dt.timedelta(days=300 if young else 9000)))
            elif (
                operation == "free"
                and Enrolment.objects.filter(
                    service=service, ends_on__isnull=True, starts_on__lt=_today()
                ).exists()
            ):
                _free_one(s)
            elif operation == "grow":
                places += 1
                capacity.capacity_record(
                    actor=s.provider_staff, service=service, places=places, since=_today()
                )
            elif operation in {"accept", "decline", "lapse"}:
                offer = Offer.objects.filter(service=service, status="open").order_by("?").first()
                if offer is None:
                    continue
                if operation == "accept":
                    wait_lists.offer_accept(actor=s.provider_staff, offer=offer)
                elif operation == "decline":
                    wait_lists.offer_decline(
                        actor=s.provider_staff,
                        offer=offer,
                        reason="away",
                        return_on=_today() + dt.timedelta(days=rng.randint(1, 20)),
                    )
                else:
                    wait_lists.offers_lapse(now=offer.expires_at + dt.timedelta(seconds=1))
            elif operation == "leave":
                entry = (
                    WaitListEntry.objects.filter(service=service, status__in=wait_lists.ON_THE_LIST)
                    .order_by("?")
                    .first()
                )
                if entry is not None:
                    wait_lists.wait_list_leave(actor=s.provider_staff, entry=entry)
        except ApplicationError as error:
            # Only accepting an offer over the places may be refused in these sequences.
            refused.append(error.code)
        _assert_replay_equals_live(service)
        open_offers = list(
            Offer.objects.filter(service=service, status="open").values_list("entry__identity_id", flat=True)
        )
        assert len(open_offers) == len(set(open_offers))
        assert Enrolment.objects.filter(service=service, ends_on__isnull=True).count() <= places
    assert set(refused) <= {ServicesErrorCode.OVER_CAPACITY}
