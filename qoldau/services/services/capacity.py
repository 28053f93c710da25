"""A service's places: its capacity from a day on, the centres planned, the people
enrolled (with their individual plan and attendance), and so its occupancy and free places
on any date.

Nobody is enrolled over capacity, even when many staff (or many accepted offers) enrol at
once: every write that adds an enrolment or lowers the capacity first locks the service's
row (`lock_service`), then counts under that lock. PostgreSQL holds the row lock
(`SELECT ... FOR UPDATE`); SQLite, which has no row locks, runs every transaction as
IMMEDIATE (settings), so a second writer waits for the first to commit before it counts.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.models import Person, Place
from qoldau.core.services.common import acting_user, save_versioned
from qoldau.core.transactions import check_in_transaction
from qoldau.services import policy
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import (
    Capacity,
    CapacityUnit,
    Enrolment,
    EnrolmentAttendance,
    Offer,
    PlannedCentre,
    Provider,
    Referral,
    Service,
)

MAX_PLACES = 100_000


# Counting (inside the caller's transaction, under the service's lock for writes) --------


def lock_service(service_id: int) -> Service:
    """The service's row, locked until the transaction ends: the one lock every write that
    counts places takes, so two of them never count the same free place."""
    return Service.objects.select_for_update().select_related("provider").get(pk=service_id)


def in_force_on(day: dt.date) -> Q:
    """Enrolments that serve someone on `day`."""
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def places_on(service_id: int, day: dt.date) -> int | None:
    """The service's places on `day` (the latest capacity begun on or before it), or None
    when it has no capacity recorded for that day."""
    return (
        Capacity.objects.filter(service_id=service_id, since__lte=day)
        .order_by("-since")
        .values_list("places", flat=True)
        .first()
    )


def enrolled_on(service_id: int, day: dt.date) -> int:
    return Enrolment.objects.filter(in_force_on(day), service_id=service_id).count()


def _days_that_matter(service_id: int, since: dt.date, until: dt.date | None = None) -> list[dt.date]:
    """The days from `since` on (before `until`) on which occupancy can rise or capacity
    change: `since` itself, each later enrolment's first day and each later capacity's. A
    peak of occupancy falls on one of them."""
    starts = Enrolment.objects.filter(service_id=service_id, starts_on__gt=since)
    changes = Capacity.objects.filter(service_id=service_id, since__gt=since)
    if until is not None:
        starts = starts.filter(starts_on__lt=until)
        changes = changes.filter(since__lt=until)
    days = {since, *starts.values_list("starts_on", flat=True), *changes.values_list("since", flat=True)}
    return sorted(days)


def _check_room(service: Service, starts_on: dt.date, field: str) -> None:
    """One more person from `starts_on` on stays within the places on every day."""
    for day in _days_that_matter(service.pk, starts_on):
        places = places_on(service.pk, day)
        if places is None:
            raise Conflict(
                _("The service has no capacity recorded for %(date)s: record its places first."),
                field=field,
                code=ServicesErrorCode.NO_CAPACITY,
                params={"date": day.isoformat()},
            )
        enrolled = enrolled_on(service.pk, day)
        if enrolled + 1 > places:
            raise Conflict(
                _("The service is full on %(date)s: %(enrolled)s people are enrolled in %(places)s places."),
                field=field,
                code=ServicesErrorCode.OVER_CAPACITY,
                params={"date": day.isoformat(), "enrolled": enrolled, "places": places},
            )


def free_places_on(service_id: int, day: dt.date) -> int:
    """Places nobody is enrolled in on `day` (0 without a capacity)."""
    places = places_on(service_id, day)
    return max(0, (places or 0) - enrolled_on(service_id, day))


# Capacity and planned centres ------------------------------------------------------------


def capacity_record(
    *, actor: Actor, service: Service, places: int, since: dt.date, unit: str = CapacityUnit.PLACE
) -> Capacity:
    """Record how many people the service serves at once from `since` on (the same day's
    figure is replaced). Refused below the people enrolled on any day it governs."""
    with transaction.atomic(durable=True):
        return capacity_record_in_transaction(
            actor=actor, service=service, places=places, since=since, unit=unit
        )


def capacity_record_in_transaction(
    *, actor: Actor, service: Service, places: int, since: dt.date, unit: str = CapacityUnit.PLACE
) -> Capacity:
    """`capacity_record` inside the caller's transaction."""
    check_in_transaction()
    from qoldau.services.services.wait_lists import offers_make_in_transaction

    policy.check_may_manage_service(actor, service)
    if unit not in CapacityUnit.values:
        raise ValidationFailed(_("Unknown unit of places."), field="unit", code=ErrorCode.INVALID_CHOICE)
    if not 0 <= places <= MAX_PLACES:
        raise ValidationFailed(
            _("The places must be between 0 and %(most)s."), field="places", params={"most": MAX_PLACES}
        )
    service = lock_service(service.pk)
    following = (
        Capacity.objects.filter(service=service, since__gt=since)
        .order_by("since")
        .values_list("since", flat=True)
        .first()
    )
    for day in _days_that_matter(service.pk, since, following):
        enrolled = enrolled_on(service.pk, day)
        if enrolled > places:
            raise Conflict(
                _(
                    "The capacity cannot be %(places)s from %(since)s: %(enrolled)s people are enrolled "
                    "on %(date)s. End their enrolments first."
                ),
                field="places",
                code=ServicesErrorCode.CAPACITY_BELOW_ENROLMENTS,
                params={
                    "places": places,
                    "since": since.isoformat(),
                    "enrolled": enrolled,
                    "date": day.isoformat(),
                },
            )
    capacity, created = Capacity.objects.update_or_create(
        service=service,
        since=since,
        defaults={"places": places, "unit": unit, "recorded_by": acting_user(actor)},
    )
    audit_record(
        actor,
        "services.capacity_record",
        object_type="service",
        object_id=service.pk,
        organisation_id=service.provider.organisation_id,
        details={"places": places, "since": since.isoformat(), "unit": unit, "replaced": not created},
    )
    # More places from today on go to the next people on the wait list at once.
    offers_make_in_transaction(actor=actor, service=service)
    return capacity


def planned_centre_record(
    *,
    actor: Actor,
    name_kk: str,
    name_ru: str,
    region: Place,
    places: int,
    district: Place | None = None,
    provider: Provider | None = None,
    opens_on: dt.date | None = None,
    stage: str = PlannedCentre.Stage.PLANNED,
    unit: str = CapacityUnit.PLACE,
    name_en: str = "",
) -> PlannedCentre:
    """Record places not open yet (a centre planned or being built) in a region."""
    with transaction.atomic(durable=True):
        policy.check_may_plan_centres(actor, region.pk, provider)
        if not name_kk.strip() or not name_ru.strip():
            raise ValidationFailed(
                _("Name the centre in Kazakh and in Russian."), field="name_kk", code=ErrorCode.REQUIRED
            )
        if not 1 <= places <= MAX_PLACES:
            raise ValidationFailed(
                _("The places must be between 1 and %(most)s."), field="places", params={"most": MAX_PLACES}
            )
        if stage not in PlannedCentre.Stage.values:
            raise ValidationFailed(_("Unknown stage."), field="stage", code=ErrorCode.INVALID_CHOICE)
        if district is not None and district.parent_id != region.pk:
            raise ValidationFailed(_("The district is not in the region."), field="district")
        centre = PlannedCentre.objects.create(
            name_kk=name_kk.strip(),
            name_ru=name_ru.strip(),
            name_en=name_en.strip(),
            provider=provider,
            region=region,
            district=district,
            unit=unit,
            places=places,
            opens_on=opens_on,
            stage=stage,
        )
        audit_record(
            actor,
            "services.planned_centre_record",
            object_type="planned_centre",
            object_id=centre.pk,
            details={"places": places, "region": region.pk, "stage": stage},
        )
        return centre


# Enrolments -----------------------------------------------------------------------------


def check_providers_person(service: Service, person: Person, actor: Actor) -> None:
    """The provider enrols its own record of the person, one it serves with consent."""
    core_policy.check_may_see_person(actor, person)
    if person.organisation_id != service.provider.organisation_id:
        raise ValidationFailed(
            _("Enrol the provider's own record of the person (accept their referral first)."),
            field="person",
            code=ServicesErrorCode.NOT_PROVIDERS_PERSON,
        )


def enrolment_create(
    *,
    actor: Actor,
    service: Service,
    person: Person,
    starts_on: dt.date,
    plan: str = "",
    referral: Referral | None = None,
) -> Enrolment:
    """Enrol one of the provider's people in a service from a day on, never over its
    capacity on any day. A referral it answers goes on to "in service"."""
    with transaction.atomic(durable=True):
        return enrolment_create_in_transaction(
            actor=actor, service=service, person=person, starts_on=starts_on, plan=plan, referral=referral
        )


def enrolment_create_in_transaction(
    *,
    actor: Actor,
    service: Service,
    person: Person,
    starts_on: dt.date,
    plan: str = "",
    referral: Referral | None = None,
    offer: Offer | None = None,
) -> Enrolment:
    """`enrolment_create` inside the caller's transaction (an accepted offer passes itself)."""
    check_in_transaction()
    policy.check_may_manage_service(actor, service)
    check_providers_person(service, person, actor)
    if service.status != Service.Status.ACTIVE:
        raise Conflict(
            _("The service is not given now and takes nobody in."),
            field="service",
            code=ServicesErrorCode.SERVICE_NOT_ACTIVE,
        )
    if referral is not None and (
        referral.service_id != service.pk or referral.identity_id != person.identity_id
    ):
        raise ValidationFailed(_("The referral is for another person or service."), field="referral")
    service = lock_service(service.pk)
    if Enrolment.objects.filter(
        service=service, identity_id=person.identity_id, ends_on__isnull=True
    ).exists():
        raise Conflict(
            _("The person is already enrolled in this service."),
            field="person",
            code=ServicesErrorCode.ALREADY_ENROLLED,
        )
    _check_room(service, starts_on, "starts_on")
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                service=service,
                person=person,
                identity_id=person.identity_id,
                referral=referral,
                offer=offer,
                starts_on=starts_on,
                plan=plan.strip(),
                created_by=acting_user(actor),
            )
    except IntegrityError:
        raise Conflict(
            _("The person is already enrolled in this service."),
            field="person",
            code=ServicesErrorCode.ALREADY_ENROLLED,
        ) from None
    if referral is not None and referral.status in {Referral.Status.ACCEPTED, Referral.Status.WAIT_LISTED}:
        Referral.objects.filter(pk=referral.pk).update(
            status=Referral.Status.IN_SERVICE, first_service_on=starts_on, receiver_person=person
        )
        referral.refresh_from_db()
        audit_record(
            actor,
            "services.referral_in_service",
            object_type="referral",
            object_id=referral.pk,
            organisation_id=service.provider.organisation_id,
            details={"enrolment": enrolment.pk},
        )
    audit_record(
        actor,
        "services.enrolment_create",
        object_type="enrolment",
        object_id=enrolment.pk,
        person_id=person.pk,
        organisation_id=service.provider.organisation_id,
        details={
            "service": service.pk,
            "starts_on": starts_on.isoformat(),
            "offer": offer.pk if offer else None,
        },
    )
    return enrolment


def enrolment_end(*, actor: Actor, enrolment: Enrolment, ends_on: dt.date, reason: str) -> Enrolment:
    """End an enrolment on a day; the freed place is offered to the next on the list."""
    from qoldau.services.services.wait_lists import offers_make_in_transaction

    with transaction.atomic(durable=True):
        policy.check_may_manage_service(actor, enrolment.service)
        if reason not in Enrolment.EndReason.values:
            raise ValidationFailed(
                _("Say why the enrolment ends."), field="reason", code=ErrorCode.INVALID_CHOICE
            )
        if enrolment.ends_on is not None:
            raise Conflict(_("This enrolment has already ended."), code=ServicesErrorCode.NOT_IN_THAT_STATE)
        if ends_on < enrolment.starts_on:
            raise ValidationFailed(
                _("An enrolment cannot end before it starts (%(date)s)."),
                field="ends_on",
                code=ServicesErrorCode.ENDS_BEFORE_START,
                params={"date": enrolment.starts_on.isoformat()},
            )
        lock_service(enrolment.service_id)
        save_versioned(enrolment, enrolment.version, {"ends_on": ends_on, "end_reason": reason})
        audit_record(
            actor,
            "services.enrolment_end",
            object_type="enrolment",
            object_id=enrolment.pk,
            person_id=enrolment.person_id,
            organisation_id=enrolment.service.provider.organisation_id,
            details={"ends_on": ends_on.isoformat(), "reason": reason},
        )
        offers_make_in_transaction(actor=actor, service=enrolment.service)
        return enrolment


def enrolment_plan_set(*, actor: Actor, enrolment: Enrolment, expected_version: int, plan: str) -> Enrolment:
    """Write the person's individual plan (kept encrypted)."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_service(actor, enrolment.service)
        save_versioned(enrolment, expected_version, {"plan": plan.strip()})
        audit_record(
            actor,
            "services.enrolment_plan_set",
            object_type="enrolment",
            object_id=enrolment.pk,
            person_id=enrolment.person_id,
            organisation_id=enrolment.service.provider.organisation_id,
        )
        return enrolment


def attendance_record(
    *, actor: Actor, enrolment: Enrolment, on: dt.date, present: bool
) -> EnrolmentAttendance:
    """Whether the enrolled person came (or was visited) on a day of their enrolment."""
    with transaction.atomic(durable=True):
        policy.check_may_manage_service(actor, enrolment.service)
        if on < enrolment.starts_on or (enrolment.ends_on is not None and on > enrolment.ends_on):
            raise ValidationFailed(_("The date is outside the person's enrolment."), field="on")
        if on > timezone.localdate():
            raise ValidationFailed(_("Attendance cannot be recorded for a day to come."), field="on")
        row, _created = EnrolmentAttendance.objects.update_or_create(
            enrolment=enrolment, on=on, defaults={"present": present, "recorded_by": acting_user(actor)}
        )
        audit_record(
            actor,
            "services.attendance_record",
            object_type="enrolment",
            object_id=enrolment.pk,
            person_id=enrolment.person_id,
            organisation_id=enrolment.service.provider.organisation_id,
            details={"on": on.isoformat(), "present": present},
        )
        return row
