"""Seekers: a person an organisation serves, registered as looking for work. The person is
the organisation's own record (`core.Person`), registered with consent by core's service;
the seeker adds what they want and what their ИПАР says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core import policy as core_policy
from qoldau.core import services as core_services
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, CoreErrorCode, ErrorCode, ValidationFailed
from qoldau.core.models import Organisation, Person
from qoldau.core.transactions import check_in_transaction
from qoldau.jobs import policy, rules
from qoldau.jobs.models import EducationLevel, Seeker


@dataclass(frozen=True)
class SeekerInput:
    """What a seeker wants and can do. Occupations, contraindications and accommodations by
    their catalogue codes; categories by their letters (К, О, С, Г, У)."""

    education: bounds.Code
    region_id: bounds.Id | None = None
    district_id: bounds.Id | None = None
    occupation_codes: Sequence[bounds.Code] = ()
    skills: bounds.Comment = ""
    experience_months: bounds.ExperienceMonths = 0
    weekly_hours_wanted: bounds.WeeklyHours | None = None
    pay_wanted: bounds.Wage | None = None
    remote_ok: bool = False
    contraindication_codes: Sequence[bounds.Code] = ()
    accommodation_codes: Sequence[bounds.Code] = ()
    categories_needed: Sequence[bounds.Code] = ()
    ipar_note: bounds.Comment = ""


@dataclass(frozen=True)
class _Clean:
    fields: dict[str, Any]
    occupations: list[Any]
    contraindications: list[Any]
    accommodations: list[Any]


def _clean(data: SeekerInput, person: Person | None) -> _Clean:
    rules.check_bounds(data)
    if data.education not in EducationLevel.values:
        raise ValidationFailed(
            _("Unknown level of education."), field="education", code=ErrorCode.INVALID_CHOICE
        )
    region_id, district_id = data.region_id, data.district_id
    if region_id is None and district_id is None and person is not None:
        region_id, district_id = person.region_id, person.district_id
    region, district = core_services.resolve_region_district(region_id, district_id, region_required=False)
    if region is None:
        raise ValidationFailed(_("Region is required."), field="region_id", code=ErrorCode.REQUIRED)
    return _Clean(
        fields={
            "education": data.education,
            "region": region,
            "district": district,
            "skills": data.skills.strip(),
            "experience_months": data.experience_months,
            "weekly_hours_wanted": data.weekly_hours_wanted,
            "pay_wanted": Decimal(data.pay_wanted) if data.pay_wanted is not None else None,
            "remote_ok": data.remote_ok,
            "categories_needed": rules.categories_of(data.categories_needed),
            "ipar_note": data.ipar_note.strip(),
        },
        occupations=rules.occupations_by_codes(data.occupation_codes),
        contraindications=rules.conditions_by_codes(data.contraindication_codes, "contraindication_codes"),
        accommodations=rules.accommodations_by_codes(data.accommodation_codes, "accommodation_codes"),
    )


def _set_relations(seeker: Seeker, clean: _Clean) -> None:
    seeker.occupations.set(clean.occupations)
    seeker.contraindications.set(clean.contraindications)
    seeker.accommodations_needed.set(clean.accommodations)


def seeker_register(
    *, actor: Actor, person: Person, data: SeekerInput, registered_on: dt.date | None = None
) -> Seeker:
    """Register one of the organisation's people as looking for work. Region and district
    default to the person's; a person already registered is refused."""
    with transaction.atomic(durable=True):
        return seeker_register_in_transaction(
            actor=actor, person=person, data=data, registered_on=registered_on
        )


def seeker_register_in_transaction(
    *, actor: Actor, person: Person, data: SeekerInput, registered_on: dt.date | None = None
) -> Seeker:
    """`seeker_register` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_register_seeker(actor, person)
    return _seeker_create(actor, person, _clean(data, person), registered_on)


def _seeker_create(actor: Actor, person: Person, clean: _Clean, registered_on: dt.date | None) -> Seeker:
    day = registered_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationFailed(_("The registration date is in the future."), field="registered_on")
    try:
        with transaction.atomic():
            seeker = Seeker.objects.create(
                person=person,
                registered_on=day,
                registered_by=core_services.acting_user(actor),
                **clean.fields,
            )
    except IntegrityError:
        raise Conflict(
            _("This person is already registered as a job seeker."),
            field="person",
            code=ErrorCode.DUPLICATE,
        ) from None
    _set_relations(seeker, clean)
    audit_record(
        actor,
        "seeker.register",
        object_type="seeker",
        object_id=seeker.pk,
        person_id=person.pk,
        organisation_id=person.organisation_id,
    )
    return seeker


def seeker_register_person(
    *,
    actor: Actor,
    organisation: Organisation,
    person_data: core_services.PersonInput,
    consent_given_on: dt.date | None,
    data: SeekerInput,
    registered_on: dt.date | None = None,
) -> Seeker:
    """Register a person the organisation does not serve yet, with their consent (core's
    `person_register`: the same identity rules as everywhere), and as a seeker, in one
    transaction: a refusal of either leaves nothing behind."""
    with transaction.atomic(durable=True):
        person = core_services.person_register_in_transaction(
            actor=actor, organisation=organisation, data=person_data, consent_given_on=consent_given_on
        ).person
        return seeker_register_in_transaction(
            actor=actor, person=person, data=data, registered_on=registered_on
        )


def seeker_update(*, actor: Actor, seeker: Seeker, expected_version: int, data: SeekerInput) -> Seeker:
    """Change what is recorded about a seeker; refused if someone saved it since
    `expected_version`."""
    policy.check_may_work_with_seeker(actor, seeker)
    clean = _clean(data, seeker.person)
    with transaction.atomic(durable=True):
        core_services.save_versioned(seeker, expected_version, clean.fields)
        _set_relations(seeker, clean)
        audit_record(
            actor,
            "seeker.update",
            object_type="seeker",
            object_id=seeker.pk,
            person_id=seeker.person_id,
            organisation_id=seeker.person.organisation_id,
        )
    return seeker


def seeker_set_status(*, actor: Actor, seeker: Seeker, status: str) -> Seeker:
    """Mark a seeker as looking for work, not looking for now, employed, or no longer
    served; only an active seeker is matched."""
    policy.check_may_work_with_seeker(actor, seeker)
    if status not in Seeker.Status.values:
        raise ValidationFailed(
            _("Unknown status of a job seeker."), field="status", code=ErrorCode.INVALID_CHOICE
        )
    with transaction.atomic(durable=True):
        core_services.save_versioned(seeker, seeker.version, {"status": status})
        audit_record(
            actor,
            "seeker.status",
            object_type="seeker",
            object_id=seeker.pk,
            person_id=seeker.person_id,
            details={"status": status},
        )
    return seeker


# A citizen's own registration ------------------------------------------------------------
# What the ИПАР rules out (contraindications, its notes) is health data the organisation's
# staff read from the document and confirm: a citizen neither sets nor changes it.


def _without_ipar(data: SeekerInput) -> SeekerInput:
    return replace(data, contraindication_codes=(), ipar_note="")


def seeker_self_register(
    *,
    actor: Actor,
    organisation: Organisation,
    person_data: core_services.PersonInput,
    data: SeekerInput,
    consent_given_on: dt.date | None,
) -> Seeker:
    """A citizen registers themselves as a job seeker with an organisation that offers
    employment support: that organisation's `Person` record of them, with the consent they
    give through their account and the IIN they typed awaiting the staff's confirmation
    (core's `citizen_person_register_in_transaction`), and its seeker, in one transaction.
    Contraindications come later, from the ИПАР, through the staff."""
    core_policy.check_is_citizen(actor)
    policy.check_offers_employment_support(organisation)
    if consent_given_on is None:
        raise ValidationFailed(
            _("Give your consent to the processing of your data to register."),
            field="consent_given_on",
            code=CoreErrorCode.CONSENT_REQUIRED,
        )
    if policy.seekers_of_citizen(actor).exists():
        raise Conflict(
            _("You are registered as a job seeker already."), field="organisation", code=ErrorCode.DUPLICATE
        )
    with transaction.atomic(durable=True):
        person = core_services.citizen_person_register_in_transaction(
            actor=actor, organisation=organisation, data=person_data, consent_given_on=consent_given_on
        )
        return _seeker_create(actor, person, _clean(_without_ipar(data), person), None)


def seeker_update_by_citizen(
    *, actor: Actor, seeker: Seeker, expected_version: int, data: SeekerInput
) -> Seeker:
    """A citizen changes what they want and can do on their own seeker; what the ИПАР says
    stays as the staff recorded it."""
    policy.check_is_own_seeker(actor, seeker)
    kept = replace(
        data,
        contraindication_codes=tuple(seeker.contraindications.values_list("code", flat=True)),
        ipar_note=seeker.ipar_note or "",
    )
    clean = _clean(kept, seeker.person)
    with transaction.atomic(durable=True):
        core_services.save_versioned(seeker, expected_version, clean.fields)
        _set_relations(seeker, clean)
        audit_record(
            actor,
            "seeker.update_by_citizen",
            object_type="seeker",
            object_id=seeker.pk,
            person_id=seeker.person_id,
            organisation_id=seeker.person.organisation_id,
        )
    return seeker
