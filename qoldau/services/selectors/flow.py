"""Reads of a person's way through services: a service's places and occupancy on a date,
its enrolments and wait list (the provider's staff), referrals in and out (the referring
side never reads the provider's notes), the akimat's network by district, and the public
place on a wait list by reference and birth date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record_person_reads
from qoldau.core.errors import NotFound
from qoldau.core.models import Person, Place
from qoldau.projects.models import ServiceDelivery
from qoldau.services import policy
from qoldau.services.models import (
    Capacity,
    Enrolment,
    Offer,
    Permit,
    PlannedCentre,
    Referral,
    Service,
    WaitListEntry,
)
from qoldau.services.services.capacity import enrolled_on, in_force_on, places_on
from qoldau.services.services.wait_lists import ON_THE_LIST, list_order

PERMIT_WARNING_DAYS = 90


@dataclass(frozen=True)
class Occupancy:
    places: int | None
    enrolled: int
    offered: int

    @property
    def free(self) -> int:
        return max(0, (self.places or 0) - self.enrolled)


def occupancy(service: Service, on: dt.date) -> Occupancy:
    """Places, people enrolled and open offers of a service on a date."""
    return Occupancy(
        places=places_on(service.pk, on),
        enrolled=enrolled_on(service.pk, on),
        offered=Offer.objects.filter(service=service, status=Offer.Status.OPEN).count()
        if on == timezone.localdate()
        else 0,
    )


def service_get_for_manager(user: Actor, service_id: int) -> Service:
    """One service the user keeps; another provider's is not found, as none is."""
    service = Service.objects.select_related("provider__organisation").filter(pk=service_id).first()
    if service is None:
        raise policy.service_not_found()
    policy.check_may_manage_service(user, service)
    return service


def services_kept(user: Actor, on: dt.date) -> list[tuple[Service, Occupancy]]:
    services = (
        policy.services_managed_by(user)
        .select_related("provider__organisation")
        .order_by("provider", "name_kk", "pk")
    )
    return [(s, occupancy(s, on)) for s in services[:200]]


def enrolments_of(user: Actor, service: Service, on: dt.date) -> list[Enrolment]:
    """The people enrolled on a date, with their plans and the last attendance (read by
    the provider's staff: each person shown is audited)."""
    policy.check_may_manage_service(user, service)
    rows = list(
        Enrolment.objects.filter(in_force_on(on), service=service)
        .select_related("person")
        .prefetch_related("attendance")
        .order_by("starts_on", "pk")
    )
    audit_record_person_reads(
        user,
        "services.enrolments_read",
        [e.person_id for e in rows],
        organisation_id=service.provider.organisation_id,
    )
    return rows


@dataclass(frozen=True)
class ListLine:
    entry: WaitListEntry
    position: int | None
    offer: Offer | None


def wait_list_of(user: Actor, service: Service) -> list[ListLine]:
    """The service's list in its order, each with its place in the queue (people set aside
    keep their place but are not counted ahead of others) and open offer."""
    policy.check_may_manage_service(user, service)
    entries = list(
        WaitListEntry.objects.filter(service=service, status__in=ON_THE_LIST)
        .select_related("person")
        .order_by(*list_order())
    )
    offers = {o.entry_id: o for o in Offer.objects.filter(service=service, status=Offer.Status.OPEN)}
    lines = []
    positions = _positions(entries, timezone.localdate())
    for entry in entries:
        lines.append(ListLine(entry=entry, position=positions.get(entry.pk), offer=offers.get(entry.pk)))
    audit_record_person_reads(
        user,
        "services.wait_list_read",
        [e.person_id for e in entries],
        organisation_id=service.provider.organisation_id,
    )
    return lines


def _positions(entries: list[WaitListEntry], today: dt.date) -> dict[int, int]:
    """Place in the queue of each entry not set aside: 1 for the first in order."""
    position = 0
    found: dict[int, int] = {}
    for entry in entries:
        set_aside = entry.status == WaitListEntry.Status.PARKED and (entry.parked_until or today) > today
        if not set_aside:
            position += 1
            found[entry.pk] = position
    return found


# Referrals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralView:
    """A referral as the user may see it: the provider's notes only for the provider."""

    referral: Referral
    received: bool
    sent: bool
    receiver_notes: str | None


def _view(user: Actor, referral: Referral) -> ReferralView:
    received = policy.may_answer_referral(user, referral)
    return ReferralView(
        referral=referral,
        received=received,
        sent=policy.may_cancel_referral(user, referral),
        receiver_notes=referral.receiver_notes if policy.may_read_receiver_notes(user, referral) else None,
    )


def referral_get_for_user(user: Actor, referral_id: int) -> ReferralView:
    referral = (
        Referral.objects.select_related("service__provider__organisation", "from_organisation", "person")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise policy.referral_not_found()
    policy.check_may_see_referral(user, referral)
    view = _view(user, referral)
    shown = (
        referral.receiver_person_id if view.received and referral.receiver_person_id else referral.person_id
    )
    if view.sent or view.received:
        audit_record_person_reads(user, "services.referral_read", [shown])
    return view


def referrals_in(user: Actor, status: str = "") -> QuerySet[Referral]:
    rows = policy.referrals_received_visible(user).select_related(
        "service__provider__organisation", "from_organisation"
    )
    return rows.filter(status=status) if status else rows


def referrals_out(user: Actor, status: str = "") -> QuerySet[Referral]:
    """Sent referrals (their status and outcome; the views never show the notes)."""
    rows = policy.referrals_sent_visible(user).select_related(
        "service__provider__organisation", "from_organisation"
    )
    return rows.filter(status=status) if status else rows


def referral_views(user: Actor, referrals: QuerySet[Referral], limit: int = 200) -> list[ReferralView]:
    return [_view(user, r) for r in referrals[:limit]]


def services_to_refer_to() -> QuerySet[Service]:
    """Active services any organisation may refer to (the public directory's)."""
    return Service.objects.filter(status=Service.Status.ACTIVE).select_related("provider__organisation")


# The akimat's network ------------------------------------------------------------------


@dataclass
class DistrictLine:
    district: Place | None
    providers: int = 0
    places: int = 0
    enrolled: int = 0
    planned: int = 0
    waiting: int = 0
    unanswered: int = 0
    permits_expiring: int = 0

    @property
    def free(self) -> int:
        return max(0, self.places - self.enrolled)


@dataclass
class Network:
    region: Place
    on: dt.date
    lines: list[DistrictLine] = field(default_factory=list)


def network_of_region(user: Actor, region: Place, on: dt.date) -> Network:
    """A region's providers by district: places, free, planned, waiting, referrals past
    their answer deadline, permits expiring within `PERMIT_WARNING_DAYS`."""
    policy.check_may_oversee_network(user)
    if not policy.regions_overseen_by(user).filter(pk=region.pk).exists():
        raise NotFound(_("There is no such region among the regions you oversee."))
    providers = (
        policy.providers_overseen_by(user).filter(organisation__region=region).select_related("organisation")
    )
    by_provider = {p.pk: p.organisation.district_id for p in providers}
    lines: dict[int | None, DistrictLine] = {}

    def line(district_id: int | None) -> DistrictLine:
        if district_id not in lines:
            lines[district_id] = DistrictLine(district=None)
        return lines[district_id]

    for district_id in by_provider.values():
        line(district_id).providers += 1
    services = dict(Service.objects.filter(provider_id__in=by_provider).values_list("pk", "provider_id"))
    seen: set[int] = set()
    for service_id, places in (
        Capacity.objects.filter(service_id__in=services, since__lte=on)
        .order_by("service_id", "-since")
        .values_list("service_id", "places")
    ):
        if service_id not in seen:
            seen.add(service_id)
            line(by_provider[services[service_id]]).places += places
    for service_id, count in (
        Enrolment.objects.filter(in_force_on(on), service_id__in=services)
        .values("service_id")
        .annotate(n=Count("pk"))
        .values_list("service_id", "n")
    ):
        line(by_provider[services[service_id]]).enrolled += count
    for service_id, count in (
        WaitListEntry.objects.filter(service_id__in=services, status__in=ON_THE_LIST)
        .values("service_id")
        .annotate(n=Count("pk"))
        .values_list("service_id", "n")
    ):
        line(by_provider[services[service_id]]).waiting += count
    now = timezone.now()
    for service_id, count in (
        Referral.objects.filter(
            service_id__in=services, status=Referral.Status.REQUESTED, answer_due_at__lt=now
        )
        .values("service_id")
        .annotate(n=Count("pk"))
        .values_list("service_id", "n")
    ):
        line(by_provider[services[service_id]]).unanswered += count
    for provider_id, count in (
        Permit.objects.filter(
            provider_id__in=by_provider,
            status=Permit.Status.VALID,
            valid_to__gte=on,
            valid_to__lte=on + dt.timedelta(days=PERMIT_WARNING_DAYS),
        )
        .values("provider_id")
        .annotate(n=Count("pk"))
        .values_list("provider_id", "n")
    ):
        line(by_provider[provider_id]).permits_expiring += count
    for district_id, places in (
        PlannedCentre.objects.filter(region=region)
        .exclude(stage=PlannedCentre.Stage.OPEN)
        .values_list("district_id", "places")
    ):
        line(district_id).planned += places
    districts = Place.objects.in_bulk([d for d in lines if d is not None])
    result = []
    for district_id, row in lines.items():
        row.district = districts.get(district_id) if district_id is not None else None
        result.append(row)
    result.sort(key=lambda r: (r.district is None, r.district.name if r.district else ""))
    return Network(region=region, on=on, lines=result)


def unanswered_referrals(user: Actor, region: Place) -> QuerySet[Referral]:
    """Referrals of the region's providers past their answer deadline (no names: the
    akimat sees the service and the days overdue)."""
    policy.check_may_oversee_network(user)
    return (
        Referral.objects.filter(
            service__provider__in=policy.providers_overseen_by(user).filter(organisation__region=region),
            status=Referral.Status.REQUESTED,
            answer_due_at__lt=timezone.now(),
        )
        .select_related("service__provider__organisation")
        .order_by("answer_due_at")
    )


@dataclass(frozen=True)
class NetworkDue:
    """What is overdue across the providers a user oversees: referrals past their answer
    deadline and valid permits ending within `PERMIT_WARNING_DAYS` (counts only)."""

    unanswered_referrals: int
    permits_expiring: int


def network_due(user: Actor, on: dt.date) -> NetworkDue:
    """The akimat's overdue items over every region it oversees (none for anyone who
    oversees no network): the same rules as `network_of_region`, summed."""
    if not policy.may_oversee_network(user):
        return NetworkDue(unanswered_referrals=0, permits_expiring=0)
    providers = policy.providers_overseen_by(user)
    return NetworkDue(
        unanswered_referrals=Referral.objects.filter(
            service__provider__in=providers,
            status=Referral.Status.REQUESTED,
            answer_due_at__lt=timezone.now(),
        ).count(),
        permits_expiring=Permit.objects.filter(
            provider__in=providers,
            status=Permit.Status.VALID,
            valid_to__gte=on,
            valid_to__lte=on + dt.timedelta(days=PERMIT_WARNING_DAYS),
        ).count(),
    )


def offers_open(user: Actor) -> QuerySet[Offer]:
    """Places offered from the wait lists of the services a user manages, still waiting
    for the person's answer."""
    return Offer.objects.filter(service__in=policy.services_managed_by(user), status=Offer.Status.OPEN)


# The public lookup ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicPlace:
    """What anyone with the reference and the birth date learns: no name, no service's
    other people, only the status and the place in the queue."""

    status: str
    status_label: str
    position: int | None
    parked_until: dt.date | None
    offer_expires_at: dt.datetime | None
    service_name: str


def wait_list_position(reference: str, birth_date: dt.date) -> PublicPlace:
    """The place of the entry with this reference whose person was born on `birth_date`.
    A wrong reference and a wrong birth date answer the same."""
    not_found = NotFound(_("No place on a wait list matches this reference and birth date."))
    entry = (
        WaitListEntry.objects.select_related("person", "service")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if entry is None or entry.person.birth_date != birth_date:
        raise not_found
    position = None
    if entry.status in ON_THE_LIST:
        entries = list(
            WaitListEntry.objects.filter(service_id=entry.service_id, status__in=ON_THE_LIST).order_by(
                *list_order()
            )
        )
        position = _positions(entries, timezone.localdate()).get(entry.pk)
    offer = Offer.objects.filter(entry=entry, status=Offer.Status.OPEN).first()
    return PublicPlace(
        status=entry.status,
        status_label=str(entry.get_status_display()),
        position=position,
        parked_until=entry.parked_until if entry.status == WaitListEntry.Status.PARKED else None,
        offer_expires_at=offer.expires_at if offer else None,
        service_name=entry.service.name,
    )


def regions_for_network(user: Actor) -> QuerySet[Place]:
    return policy.regions_overseen_by(user).order_by("kato")


def districts_for_network(user: Actor) -> list[tuple[Place, list[Place]]]:
    """The districts of each region the user oversees, for the planned centre's form."""
    regions = list(regions_for_network(user))
    districts = Place.objects.filter(level=Place.Level.DISTRICT, parent__in=regions).order_by("kato")
    by_region: dict[int, list[Place]] = {region.pk: [] for region in regions}
    for district in districts:
        if district.parent_id is not None:
            by_region[district.parent_id].append(district)
    return [(region, by_region[region.pk]) for region in regions]


def planned_centres_of(user: Actor, region: Place) -> QuerySet[PlannedCentre]:
    """The region's planned centres, for an officer who oversees it (none otherwise)."""
    if not policy.regions_overseen_by(user).filter(pk=region.pk).exists():
        return PlannedCentre.objects.none()
    return PlannedCentre.objects.filter(region=region).select_related("district").order_by("opens_on", "pk")


# One record for a write ------------------------------------------------------------------


def service_to_refer_to(service_id: int) -> Service:
    """An active service any organisation may refer to; none other is found."""
    service = services_to_refer_to().filter(pk=service_id).first()
    if service is None:
        raise NotFound(_("There is no such service in the directory."), field="service_id")
    return service


def offer_get_for_manager(user: Actor, offer_id: int) -> Offer:
    offer = Offer.objects.select_related("service__provider", "entry").filter(pk=offer_id).first()
    policy.check_may_manage_service(user, offer.service if offer else None)
    assert offer is not None  # noqa: S101 - the check above refused None
    return offer


def enrolment_get_for_manager(user: Actor, enrolment_id: int) -> Enrolment:
    enrolment = Enrolment.objects.select_related("service__provider").filter(pk=enrolment_id).first()
    policy.check_may_manage_service(user, enrolment.service if enrolment else None)
    assert enrolment is not None  # noqa: S101 - the check above refused None
    return enrolment


def entry_get_for_manager(user: Actor, entry_id: int) -> WaitListEntry:
    entry = WaitListEntry.objects.select_related("service__provider").filter(pk=entry_id).first()
    policy.check_may_manage_service(user, entry.service if entry else None)
    assert entry is not None  # noqa: S101 - the check above refused None
    return entry


def delivery_for_referral(user: Actor, referral: Referral, delivery_id: int) -> ServiceDelivery:
    """A delivery of the receiving provider's projects (the service's check is the
    referral's: the same person, the service's project)."""
    policy.check_may_answer_referral(user, referral)
    delivery = (
        ServiceDelivery.objects.select_related("project")
        .filter(pk=delivery_id, project__organisation_id=referral.service.provider.organisation_id)
        .first()
    )
    if delivery is None:
        raise NotFound(_("There is no such delivery among your organisation's."), field="delivery_id")
    return delivery


def people_to_refer(user: Actor) -> QuerySet[Person]:
    """The people the user may refer: those their organisations serve."""
    return core_policy.people_visible(user).order_by("pk")
