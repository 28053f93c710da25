"""Referrals that close their loop (HL7 FHIR SDOH's Task, findhelp's closed loop): staff of
any organisation refer a person they serve, with the person's consent, to a provider's
service; the provider accepts, rejects with a reason or puts the person on the wait list;
then the person is in service and the referral is completed with an outcome, or it is
cancelled. "Completed: served" needs the delivery it produced, recorded in the service's
project, so that referrals feed the people reached.

The receiving provider works on its own `Person` record of the person. On accepting (or
wait-listing) it is found by the identity, or made from the referring organisation's
record: the one place where what one organisation recorded crosses to another, only with
the consent the referral carries (the provider gets a `Consent` of that date) and audited.

A referral not answered within `QOLDAU_SERVICES_REFERRAL_ANSWER_DAYS` working days is
escalated once to the provider's administrators (`referrals_escalate`, a daily task) and
shown on the akimat's page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.models import Consent, Person, PersonCategory
from qoldau.core.notifications import notify
from qoldau.core.services.common import acting_user
from qoldau.core.services.people import PersonInput, person_register_in_transaction
from qoldau.projects.models import ServiceDelivery
from qoldau.projects.services import delivery_record_in_transaction
from qoldau.services import policy
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import Referral, Service, WaitListEntry
from qoldau.services.services.wait_lists import (
    ON_THE_LIST,
    leave_in_transaction,
    wait_list_join_in_transaction,
)

OPEN = (
    Referral.Status.REQUESTED,
    Referral.Status.ACCEPTED,
    Referral.Status.WAIT_LISTED,
    Referral.Status.IN_SERVICE,
)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """`start` moved on by `days` working days (Monday to Friday), at the same time of day
    in the local time zone; a start on a weekend counts from the next Monday's time."""
    local = timezone.localtime(start)
    added = 0
    while added < days:
        local += dt.timedelta(days=1)
        if local.weekday() < 5:
            added += 1
    return local


def answer_due(created_at: dt.datetime) -> dt.datetime:
    return add_working_days(created_at, settings.QOLDAU_SERVICES_REFERRAL_ANSWER_DAYS)


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_eligible(service: Service, person: Person, on: dt.date) -> None:
    """The service's ages and categories admit the person on `on`; refused with the rule
    that excludes them."""
    if service.minimum_age is not None or service.maximum_age is not None:
        if person.birth_date is None:
            raise ValidationFailed(
                _("The service is for ages %(ages)s; record the person's birth date first."),
                field="person",
                code=ServicesErrorCode.ELIGIBILITY_EXCLUDES,
                params={"ages": _ages(service)},
            )
        age = _age_on(person.birth_date, on)
        if (service.minimum_age is not None and age < service.minimum_age) or (
            service.maximum_age is not None and age > service.maximum_age
        ):
            raise ValidationFailed(
                _("The service is for ages %(ages)s; the person is %(age)s."),
                field="person",
                code=ServicesErrorCode.ELIGIBILITY_EXCLUDES,
                params={"ages": _ages(service), "age": age},
            )
    wanted = set(service.categories.values_list("pk", flat=True))
    if wanted:
        held = PersonCategory.objects.filter(person=person, category_id__in=wanted, since__lte=on).filter(
            Q(until__isnull=True) | Q(until__gte=on)
        )
        if not held.exists():
            names = ", ".join(str(c) for c in service.categories.all())
            raise ValidationFailed(
                _("The service is only for these categories of people: %(categories)s."),
                field="person",
                code=ServicesErrorCode.ELIGIBILITY_EXCLUDES,
                params={"categories": names},
            )


def _ages(service: Service) -> str:
    low = service.minimum_age if service.minimum_age is not None else 0
    return f"{low}–{service.maximum_age}" if service.maximum_age is not None else f"{low}+"


def _audit(actor: Actor | None, action: str, referral: Referral, **details: object) -> None:
    audit_record(
        actor,
        action,
        object_type="referral",
        object_id=referral.pk,
        organisation_id=referral.service.provider.organisation_id,
        details={"status": referral.status, "service": referral.service_id, **details},
    )


def referral_create(
    *,
    actor: Actor,
    service: Service,
    person: Person,
    consent_given_on: dt.date | None,
    reason: str = "",
) -> Referral:
    """Refer a person the user's organisation serves to a service, with the date the
    person agreed to it. The service must be active and its eligibility admit the person."""
    with transaction.atomic(durable=True):
        policy.check_may_refer(actor, person)
        if consent_given_on is None:
            raise ValidationFailed(
                _("Record the date the person agreed to be referred: no referral without their consent."),
                field="consent_given_on",
                code=ServicesErrorCode.NO_CONSENT,
            )
        today = timezone.localdate()
        if consent_given_on > today:
            raise ValidationFailed(_("The consent date is in the future."), field="consent_given_on")
        if service.status != Service.Status.ACTIVE:
            raise Conflict(
                _("The service is not given now and takes no referrals."),
                field="service",
                code=ServicesErrorCode.SERVICE_NOT_ACTIVE,
            )
        check_eligible(service, person, today)
        if Referral.objects.filter(service=service, identity_id=person.identity_id, status__in=OPEN).exists():
            raise Conflict(
                _("The person already has an open referral to this service."),
                field="service",
                code=ServicesErrorCode.ALREADY_REFERRED,
            )
        now = timezone.now()
        referral = Referral.objects.create(
            service=service,
            from_organisation_id=person.organisation_id,
            person=person,
            identity_id=person.identity_id,
            consent_given_on=consent_given_on,
            reason=reason.strip(),
            created_by=acting_user(actor),
            answer_due_at=answer_due(now),
        )
        audit_record(
            actor,
            "services.referral_create",
            object_type="referral",
            object_id=referral.pk,
            person_id=person.pk,
            organisation_id=person.organisation_id,
            details={
                "service": service.pk,
                "status": referral.status,
                "consent_given_on": consent_given_on.isoformat(),
            },
        )
        return referral


def _check_status(referral: Referral, allowed: tuple[str, ...]) -> Referral:
    locked = (
        Referral.objects.select_for_update().select_related("service__provider", "person").get(pk=referral.pk)
    )
    if locked.status not in allowed:
        raise Conflict(
            _("The referral is %(status)s: this step does not follow."),
            field="status",
            code=ServicesErrorCode.NOT_IN_THAT_STATE,
            params={"status": locked.get_status_display()},
        )
    return locked


def _receiver_record(actor: Actor, referral: Referral) -> Person:
    """The provider's own record of the person: found by the identity, or made from the
    referring organisation's record with the referral's consent. Audited either way."""
    organisation = referral.service.provider.organisation
    person = Person.objects.filter(organisation=organisation, identity_id=referral.identity_id).first()
    if (
        person is not None
        and not Consent.objects.filter(
            person=person, organisation=organisation, withdrawn_on__isnull=True
        ).exists()
    ):
        person = None  # the provider's old record, whose consent was withdrawn: registered again below
    made = False
    if person is None:
        source = referral.person
        registration = person_register_in_transaction(
            actor=actor,
            organisation=organisation,
            data=PersonInput(
                last_name=source.last_name or "",
                first_name=source.first_name or "",
                patronymic=source.patronymic or "",
                iin=source.iin,
                no_iin_reason=source.no_iin_reason,
                no_iin_note=source.no_iin_note or "",
                birth_date=None if source.iin else source.birth_date,
                sex="" if source.iin else source.sex,
                phone=source.phone or "",
                region_id=source.region_id,
                district_id=source.district_id,
            ),
            consent_given_on=referral.consent_given_on,
            same_person_as=source,
        )
        person = registration.person
        made = True
    audit_record(
        actor,
        "services.referral_person_shared",
        object_type="referral",
        object_id=referral.pk,
        person_id=person.pk,
        organisation_id=organisation.pk,
        details={
            "from_person": referral.person_id,
            "from_organisation": referral.from_organisation_id,
            "record_made": made,
            "consent_given_on": referral.consent_given_on.isoformat(),
        },
    )
    return person


def referral_accept(*, actor: Actor, referral: Referral, receiver_notes: str = "") -> Referral:
    """The provider takes the referral: its own record of the person is found or made."""
    with transaction.atomic(durable=True):
        policy.check_may_answer_referral(actor, referral)
        referral = _check_status(referral, (Referral.Status.REQUESTED,))
        referral.receiver_person = _receiver_record(actor, referral)
        referral.status = Referral.Status.ACCEPTED
        referral.answered_at = timezone.now()
        if receiver_notes.strip():
            referral.receiver_notes = receiver_notes.strip()
        referral.version += 1
        referral.save(update_fields=["receiver_person", "status", "answered_at", "receiver_notes", "version"])
        _audit(actor, "services.referral_accept", referral)
        return referral


def referral_reject(*, actor: Actor, referral: Referral, reason: str, receiver_notes: str = "") -> Referral:
    """The provider refuses the referral, with one of the reasons."""
    with transaction.atomic(durable=True):
        policy.check_may_answer_referral(actor, referral)
        if reason not in Referral.RejectionReason.values:
            raise ValidationFailed(
                _("Choose the reason for rejecting the referral."),
                field="rejection_reason",
                code=ErrorCode.REQUIRED,
            )
        referral = _check_status(referral, (Referral.Status.REQUESTED,))
        now = timezone.now()
        referral.status = Referral.Status.REJECTED
        referral.rejection_reason = reason
        referral.answered_at = now
        referral.closed_at = now
        if receiver_notes.strip():
            referral.receiver_notes = receiver_notes.strip()
        referral.version += 1
        referral.save(
            update_fields=[
                "status",
                "rejection_reason",
                "answered_at",
                "closed_at",
                "receiver_notes",
                "version",
            ]
        )
        _audit(actor, "services.referral_reject", referral, reason=reason)
        return referral


def referral_wait_list(*, actor: Actor, referral: Referral, receiver_notes: str = "") -> WaitListEntry:
    """The service is full: the provider's record of the person joins its wait list."""
    with transaction.atomic(durable=True):
        policy.check_may_answer_referral(actor, referral)
        referral = _check_status(referral, (Referral.Status.REQUESTED, Referral.Status.ACCEPTED))
        person = referral.receiver_person or _receiver_record(actor, referral)
        referral.receiver_person = person
        referral.status = Referral.Status.WAIT_LISTED
        referral.answered_at = referral.answered_at or timezone.now()
        if receiver_notes.strip():
            referral.receiver_notes = receiver_notes.strip()
        referral.version += 1
        referral.save(update_fields=["receiver_person", "status", "answered_at", "receiver_notes", "version"])
        _audit(actor, "services.referral_wait_list", referral)
        return wait_list_join_in_transaction(
            actor=actor, service=referral.service, person=person, referral=referral
        )


def referral_start(*, actor: Actor, referral: Referral, first_service_on: dt.date) -> Referral:
    """The person is served from a day (a service without places; enrolling does this for
    a service with places)."""
    with transaction.atomic(durable=True):
        policy.check_may_answer_referral(actor, referral)
        referral = _check_status(referral, (Referral.Status.ACCEPTED, Referral.Status.WAIT_LISTED))
        if first_service_on < referral.created_at.date():
            raise ValidationFailed(
                _("The person cannot be served before they were referred."),
                field="first_service_on",
                code=ServicesErrorCode.ENDS_BEFORE_START,
            )
        referral.status = Referral.Status.IN_SERVICE
        referral.first_service_on = first_service_on
        referral.version += 1
        referral.save(update_fields=["status", "first_service_on", "version"])
        _audit(actor, "services.referral_in_service", referral)
        return referral


def _served_delivery(
    actor: Actor, referral: Referral, delivery: ServiceDelivery | None, delivered_on: dt.date | None
) -> ServiceDelivery:
    """The delivery a "served" outcome produced: an existing one of the same person in the
    service's project, or one recorded now through the projects app."""
    service = referral.service
    if delivery is not None:
        if delivery.identity_id != referral.identity_id or (
            service.project_id is not None and delivery.project_id != service.project_id
        ):
            raise ValidationFailed(
                _("The delivery is not one of this person in the service's project."),
                field="delivery",
                code=ServicesErrorCode.DELIVERY_REQUIRED,
            )
        if delivery.project.organisation_id != service.provider.organisation_id:
            raise ValidationFailed(
                _("The delivery is not one of this person in the service's project."),
                field="delivery",
                code=ServicesErrorCode.DELIVERY_REQUIRED,
            )
        return delivery
    if (
        delivered_on is None
        or service.project is None
        or service.delivery_type is None
        or referral.receiver_person is None
    ):
        raise ValidationFailed(
            _(
                "“Served” needs the delivery it produced: give its date (the service must be "
                "linked to a project and a kind of delivery) or choose a recorded delivery."
            ),
            field="delivered_on",
            code=ServicesErrorCode.DELIVERY_REQUIRED,
        )
    return delivery_record_in_transaction(
        actor=actor,
        project=service.project,
        person_id=referral.receiver_person.pk,
        service=service.delivery_type,
        delivered_on=delivered_on,
    )


def referral_complete(
    *,
    actor: Actor,
    referral: Referral,
    outcome: str,
    delivery: ServiceDelivery | None = None,
    delivered_on: dt.date | None = None,
    receiver_notes: str = "",
) -> Referral:
    """Close the loop with an outcome; "served" needs the delivery it produced."""
    with transaction.atomic(durable=True):
        policy.check_may_answer_referral(actor, referral)
        if outcome not in Referral.Outcome.values:
            raise ValidationFailed(
                _("Choose the referral's outcome."), field="outcome", code=ErrorCode.REQUIRED
            )
        referral = _check_status(
            referral, (Referral.Status.ACCEPTED, Referral.Status.WAIT_LISTED, Referral.Status.IN_SERVICE)
        )
        if outcome == Referral.Outcome.SERVED:
            if referral.status == Referral.Status.WAIT_LISTED:
                raise Conflict(
                    _("A person still on the wait list has not been served."),
                    field="outcome",
                    code=ServicesErrorCode.NOT_IN_THAT_STATE,
                )
            referral.delivery = _served_delivery(actor, referral, delivery, delivered_on)
            referral.first_service_on = referral.first_service_on or referral.delivery.delivered_on
        referral.status = Referral.Status.COMPLETED
        referral.outcome = outcome
        referral.closed_at = timezone.now()
        if receiver_notes.strip():
            referral.receiver_notes = receiver_notes.strip()
        referral.version += 1
        referral.save(
            update_fields=[
                "status",
                "outcome",
                "delivery",
                "first_service_on",
                "closed_at",
                "receiver_notes",
                "version",
            ]
        )
        _audit(actor, "services.referral_complete", referral, outcome=outcome, delivery=referral.delivery_id)
        return referral


def referral_cancel(*, actor: Actor, referral: Referral) -> Referral:
    """The referring organisation withdraws a referral not being served yet; the person
    leaves the wait list it put them on."""
    with transaction.atomic(durable=True):
        policy.check_may_cancel_referral(actor, referral)
        referral = _check_status(
            referral, (Referral.Status.REQUESTED, Referral.Status.ACCEPTED, Referral.Status.WAIT_LISTED)
        )
        referral.status = Referral.Status.CANCELLED
        referral.closed_at = timezone.now()
        referral.version += 1
        referral.save(update_fields=["status", "closed_at", "version"])
        _audit(actor, "services.referral_cancel", referral)
        for entry in WaitListEntry.objects.filter(referral=referral, status__in=ON_THE_LIST):
            leave_in_transaction(actor=actor, entry=entry)
        return referral


def referrals_escalate(*, now: dt.datetime | None = None) -> int:
    """Tell each provider's administrators, once, of its referrals not answered by their
    deadline. Idempotent (a referral escalated is never escalated again); returns how
    many referrals were escalated."""
    now = now or timezone.now()
    due = Referral.objects.filter(
        status=Referral.Status.REQUESTED, answer_due_at__lt=now, escalated_at__isnull=True
    )
    escalated = 0
    for referral_id in due.values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            referral = (
                Referral.objects.select_for_update()
                .select_related("service__provider")
                .filter(pk=referral_id, status=Referral.Status.REQUESTED, escalated_at__isnull=True)
                .first()
            )
            if referral is None:
                continue
            referral.escalated_at = now
            referral.save(update_fields=["escalated_at"])
            provider = referral.service.provider
            for admin in policy.provider_administrators(provider).select_related("preference"):
                notify(
                    user=admin,
                    kind="services.referral_unanswered",
                    subject=_("A referral is waiting for your answer"),
                    body=_(
                        "Referral #%(number)s to the service “%(service)s” was due for an answer "
                        "by %(due)s and has not been answered. Open the referrals received to answer it."
                    ),
                    params={
                        "number": referral.pk,
                        "service": referral.service.name,
                        "due": timezone.localtime(referral.answer_due_at).strftime("%Y-%m-%d %H:%M"),
                    },
                    object_type="referral",
                    object_id=referral.pk,
                )
            _audit(None, "services.referral_escalate", referral)
            escalated += 1
    return escalated
