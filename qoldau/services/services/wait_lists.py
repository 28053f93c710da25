"""Fair wait lists: a person joins a full service's list, in the tier of the provider's
published priority tiers they meet on joining (none: after every tier), then by the time
they joined, then by the entry's number. A freed place is offered to the next person, with
`offer_days` to accept; a decline sets them aside until a date, with a reason; an offer
not answered in time lapses (a task) and sets them aside too. Nobody holds two open
offers for one service (one entry per person and service while on the list, one open
offer per entry), and places freed at once are offered under the service's lock, so one
person is never offered two of them.

Every change of an entry writes an audit row with the entry's whole place on the list
(service, status, tier, joined at, set aside until), so `wait_list_replay` rebuilds the
list from the audit alone, equal to the live one (`wait_list_live`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.models import AuditEntry, Person, PersonCategory
from qoldau.core.services.common import acting_user
from qoldau.core.transactions import check_in_transaction
from qoldau.services import policy
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import Enrolment, Offer, PriorityTier, Referral, Service, WaitListEntry
from qoldau.services.services.capacity import (
    check_providers_person,
    enrolment_create_in_transaction,
    free_places_on,
    lock_service,
)

ON_THE_LIST = (WaitListEntry.Status.WAITING, WaitListEntry.Status.OFFERED, WaitListEntry.Status.PARKED)
# Letters and digits nobody confuses when reading them out (no 0/O, 1/I).
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8


# The order of the list ------------------------------------------------------------------


def list_order() -> list[str | OrderBy]:
    """Tier (none after every tier, on SQLite as on PostgreSQL), joined at, number."""
    return [F("tier_rank").asc(nulls_last=True), "joined_at", "pk"]


def _months_old(birth: dt.date, on: dt.date) -> int:
    return (on.year - birth.year) * 12 + on.month - birth.month - (1 if on.day < birth.day else 0)


def tier_for(service: Service, person: Person, on: dt.date) -> int | None:
    """The rank of the first published tier whose conditions the person meets on `on`, or
    None. Services admitted first come, first served have no tiers."""
    if service.admission != Service.Admission.PRIORITY_TIERS:
        return None
    categories = set(
        PersonCategory.objects.filter(person=person, since__lte=on)
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .values_list("category_id", flat=True)
    )
    for tier in PriorityTier.objects.filter(service=service, published_on__lte=on).order_by("rank"):
        if tier.under_age_months is not None and (
            person.birth_date is None or _months_old(person.birth_date, on) >= tier.under_age_months
        ):
            continue
        if tier.category_id is not None and tier.category_id not in categories:
            continue
        return tier.rank
    return None


def _eligible_for_offer(today: dt.date) -> Q:
    """Waiting, or set aside until a day that has come."""
    return Q(status=WaitListEntry.Status.WAITING) | Q(
        status=WaitListEntry.Status.PARKED, parked_until__lte=today
    )


# The audit trail the list is replayed from ------------------------------------------------


@dataclass(frozen=True)
class ListPlace:
    """An entry's place on a list, as the audit records it and the live list shows it."""

    entry: int
    status: str
    tier_rank: int | None
    joined_at: str
    parked_until: str | None


def _place_of(entry: WaitListEntry) -> ListPlace:
    return ListPlace(
        entry=entry.pk,
        status=entry.status,
        tier_rank=entry.tier_rank,
        joined_at=entry.joined_at.isoformat(),
        parked_until=entry.parked_until.isoformat() if entry.parked_until else None,
    )


def _audit_entry(actor: Actor | None, action: str, entry: WaitListEntry, **extra: object) -> None:
    place = _place_of(entry)
    audit_record(
        actor,
        action,
        object_type="wait_list_entry",
        object_id=entry.pk,
        person_id=entry.person_id,
        details={
            "service": entry.service_id,
            "status": place.status,
            "tier_rank": place.tier_rank,
            "joined_at": place.joined_at,
            "parked_until": place.parked_until,
            **extra,
        },
    )


def _sort_key(place: ListPlace) -> tuple[int, int, str, int]:
    tier = place.tier_rank
    return (1 if tier is None else 0, tier or 0, place.joined_at, place.entry)


def wait_list_live(service: Service) -> list[ListPlace]:
    """The people on the service's list now, in the list's order."""
    entries = WaitListEntry.objects.filter(service=service, status__in=ON_THE_LIST).order_by(*list_order())
    places = [_place_of(e) for e in entries]
    # The database's order, checked against the one the replay uses (timestamps compare
    # as ISO text only in one time zone, which `_place_of` writes).
    return sorted(places, key=_sort_key)


def wait_list_replay(service: Service) -> list[ListPlace]:
    """The service's list rebuilt from the audit rows alone: each entry's last recorded
    place, those still on the list, in the list's order."""
    last: dict[int, ListPlace] = {}
    rows = AuditEntry.objects.filter(object_type="wait_list_entry", details__service=service.pk).order_by(
        "id"
    )
    for object_id, details in rows.values_list("object_id", "details"):
        last[int(object_id)] = ListPlace(
            entry=int(object_id),
            status=details["status"],
            tier_rank=details["tier_rank"],
            joined_at=details["joined_at"],
            parked_until=details["parked_until"],
        )
    return sorted((p for p in last.values() if p.status in ON_THE_LIST), key=_sort_key)


# Joining and leaving ----------------------------------------------------------------------


def _new_reference() -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not WaitListEntry.objects.filter(reference=reference).exists():
            return reference


def wait_list_join(
    *, actor: Actor, service: Service, person: Person, referral: Referral | None = None
) -> WaitListEntry:
    """Put one of the provider's people on the service's list, in their tier."""
    with transaction.atomic(durable=True):
        return wait_list_join_in_transaction(actor=actor, service=service, person=person, referral=referral)


def wait_list_join_in_transaction(
    *, actor: Actor, service: Service, person: Person, referral: Referral | None = None
) -> WaitListEntry:
    """`wait_list_join` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_manage_service(actor, service)
    check_providers_person(service, person, actor)
    if service.status != Service.Status.ACTIVE:
        raise Conflict(
            _("The service is not given now and takes nobody in."),
            field="service",
            code=ServicesErrorCode.SERVICE_NOT_ACTIVE,
        )
    service = lock_service(service.pk)
    if Enrolment.objects.filter(
        service=service, identity_id=person.identity_id, ends_on__isnull=True
    ).exists():
        raise Conflict(
            _("The person is already enrolled in this service."),
            field="person",
            code=ServicesErrorCode.ALREADY_ENROLLED,
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            entry = WaitListEntry.objects.create(
                service=service,
                person=person,
                identity_id=person.identity_id,
                referral=referral,
                reference=_new_reference(),
                tier_rank=tier_for(service, person, timezone.localdate()),
                joined_at=now,
            )
    except IntegrityError:
        raise Conflict(
            _("The person is already on this service's wait list."),
            field="person",
            code=ServicesErrorCode.ALREADY_WAITING,
        ) from None
    _audit_entry(actor, "services.wait_list_join", entry)
    # A place may be free already (a list that was empty, a place nobody took).
    offers_make_in_transaction(actor=actor, service=service)
    entry.refresh_from_db()
    return entry


def wait_list_leave(*, actor: Actor, entry: WaitListEntry) -> WaitListEntry:
    """Take a person off the list (their open offer is withdrawn and goes to the next)."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_service(actor, entry.service)
        return leave_in_transaction(actor=actor, entry=entry)


def leave_in_transaction(*, actor: Actor | None, entry: WaitListEntry) -> WaitListEntry:
    """`wait_list_leave` inside the caller's transaction (a cancelled referral's entry)."""
    check_in_transaction()
    lock_service(entry.service_id)
    entry.refresh_from_db()
    if entry.status not in ON_THE_LIST:
        raise Conflict(_("The person is no longer on the list."), code=ServicesErrorCode.NOT_IN_THAT_STATE)
    Offer.objects.filter(entry=entry, status=Offer.Status.OPEN).update(
        status=Offer.Status.WITHDRAWN, answered_at=timezone.now()
    )
    entry.status = WaitListEntry.Status.LEFT
    entry.left_at = timezone.now()
    entry.save(update_fields=["status", "left_at"])
    _audit_entry(actor, "services.wait_list_leave", entry)
    offers_make_in_transaction(actor=actor, service=entry.service)
    return entry


# Offers ---------------------------------------------------------------------------------


def offers_make(*, actor: Actor | None, service: Service) -> list[Offer]:
    """Offer every free place not offered yet to the next people on the list."""
    with transaction.atomic(durable=True):
        if actor is not None:
            policy.check_may_manage_service(actor, service)
        return offers_make_in_transaction(actor=actor, service=service)


def offers_make_in_transaction(
    *, actor: Actor | None, service: Service, now: dt.datetime | None = None
) -> list[Offer]:
    """`offers_make` inside the caller's transaction. Under the service's lock the places
    already offered are counted and each place goes to a different person: the entry
    offered leaves the waiting people before the next place is given."""
    check_in_transaction()
    service = lock_service(service.pk)
    if service.status != Service.Status.ACTIVE:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    open_offers = Offer.objects.filter(service=service, status=Offer.Status.OPEN).count()
    to_offer = free_places_on(service.pk, today) - open_offers
    made: list[Offer] = []
    while to_offer > 0:
        entry = (
            WaitListEntry.objects.select_for_update()
            .filter(_eligible_for_offer(today), service=service)
            .order_by(*list_order())
            .first()
        )
        if entry is None:
            break
        offer = Offer.objects.create(
            entry=entry,
            service=service,
            made_at=now,
            expires_at=now + dt.timedelta(days=service.offer_days),
            made_by=acting_user(actor),
        )
        entry.status = WaitListEntry.Status.OFFERED
        entry.parked_until = None
        entry.park_reason = ""
        entry.save(update_fields=["status", "parked_until", "park_reason"])
        _audit_entry(actor, "services.wait_list_offer", entry, offer=offer.pk)
        made.append(offer)
        to_offer -= 1
    return made


def _lock_open_offer(offer: Offer) -> Offer:
    """The service locked first (the one order every place-counting write takes), then the
    offer read again under it."""
    lock_service(offer.service_id)
    locked = Offer.objects.select_for_update().select_related("entry", "service__provider").get(pk=offer.pk)
    if locked.status != Offer.Status.OPEN:
        raise Conflict(
            _("This offer has already been answered (%(status)s)."),
            code=ServicesErrorCode.NOT_IN_THAT_STATE,
            params={"status": locked.get_status_display()},
        )
    return locked


def offer_accept(*, actor: Actor, offer: Offer, starts_on: dt.date | None = None) -> Enrolment:
    """The person takes the offered place: they are enrolled (within capacity) and leave
    the list. Refused once the offer's deadline has passed."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_service(actor, offer.service)
        offer = _lock_open_offer(offer)
        now = timezone.now()
        if offer.expires_at <= now:
            raise Conflict(
                _("The offer expired on %(date)s; the place goes to the next person on the list."),
                code=ServicesErrorCode.OFFER_EXPIRED,
                params={"date": timezone.localtime(offer.expires_at).strftime("%Y-%m-%d %H:%M")},
            )
        entry = offer.entry
        referral = entry.referral
        enrolment = enrolment_create_in_transaction(
            actor=actor,
            service=offer.service,
            person=entry.person,
            starts_on=starts_on or timezone.localdate(),
            referral=referral,
            offer=offer,
        )
        offer.status = Offer.Status.ACCEPTED
        offer.answered_at = now
        offer.save(update_fields=["status", "answered_at"])
        entry.status = WaitListEntry.Status.ENROLLED
        entry.left_at = now
        entry.save(update_fields=["status", "left_at"])
        _audit_entry(actor, "services.wait_list_enrol", entry, offer=offer.pk, enrolment=enrolment.pk)
        return enrolment


def _park(actor: Actor | None, offer: Offer, status: str, reason: str, until: dt.date, action: str) -> None:
    offer.status = status
    offer.answered_at = timezone.now()
    offer.decline_reason = reason
    offer.save(update_fields=["status", "answered_at", "decline_reason"])
    entry = offer.entry
    entry.status = WaitListEntry.Status.PARKED
    entry.park_reason = reason
    entry.parked_until = until
    entry.save(update_fields=["status", "park_reason", "parked_until"])
    _audit_entry(actor, action, entry, offer=offer.pk, reason=reason)


def offer_decline(*, actor: Actor, offer: Offer, reason: str, return_on: dt.date) -> Offer:
    """The person declines the place for now: set aside until `return_on` with the reason;
    the place goes to the next person."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_service(actor, offer.service)
        if reason not in WaitListEntry.ParkReason.values or reason == WaitListEntry.ParkReason.OFFER_EXPIRED:
            raise ValidationFailed(
                _("Say why the person declines the place."), field="reason", code=ErrorCode.INVALID_CHOICE
            )
        if return_on <= timezone.localdate():
            raise ValidationFailed(
                _("The date the person returns to the list must be after today."), field="return_on"
            )
        offer = _lock_open_offer(offer)
        _park(actor, offer, Offer.Status.DECLINED, reason, return_on, "services.wait_list_decline")
        offers_make_in_transaction(actor=actor, service=offer.service)
        return offer


def offers_lapse(*, now: dt.datetime | None = None) -> int:
    """Offers not answered by their deadline lapse: the person is set aside for
    `QOLDAU_SERVICES_OFFER_LAPSE_PARK_DAYS` and the place goes to the next. Idempotent;
    returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    service_ids = sorted(
        set(
            Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now).values_list(
                "service_id", flat=True
            )
        )
    )
    until = timezone.localdate(now) + dt.timedelta(days=settings.QOLDAU_SERVICES_OFFER_LAPSE_PARK_DAYS)
    for service_id in service_ids:
        with transaction.atomic(durable=True):
            service = lock_service(service_id)
            due = (
                Offer.objects.select_for_update()
                .select_related("entry")
                .filter(service=service, status=Offer.Status.OPEN, expires_at__lte=now)
            )
            for offer in due:
                _park(
                    None,
                    offer,
                    Offer.Status.EXPIRED,
                    WaitListEntry.ParkReason.OFFER_EXPIRED,
                    until,
                    "services.wait_list_lapse",
                )
                lapsed += 1
            offers_make_in_transaction(actor=None, service=service, now=now)
    return lapsed


def entries_on_list(service: Service) -> QuerySet[WaitListEntry]:
    """The service's list in its order (for the provider's page and the position)."""
    return WaitListEntry.objects.filter(service=service, status__in=ON_THE_LIST).order_by(*list_order())
