"""Vacancies an employer's staff post: the occupation from the classifier, the working
conditions from the catalogue ИПАР contraindications use, pay not below the minimum wage in
force on the opening day, the accommodations offered and the workplace's building."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.access import accessibility
from qoldau.core import bounds
from qoldau.core import services as core_services
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.models import Organisation
from qoldau.core.transactions import check_in_transaction
from qoldau.jobs import policy, rules
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import EducationLevel, Vacancy


@dataclass(frozen=True)
class VacancyInput:
    occupation_code: bounds.Code
    title_kk: bounds.Title
    weekly_hours: bounds.WeeklyHours
    pay_from: bounds.Wage
    opens_on: bounds.RecordDate
    title_ru: bounds.Title = ""
    title_en: bounds.Title = ""
    duties: bounds.Comment = ""
    condition_codes: Sequence[bounds.Code] = ()
    pay_to: bounds.Wage | None = None
    accommodation_codes: Sequence[bounds.Code] = ()
    positions: bounds.Positions = 1
    quota: bool = False
    remote: bool = False
    workplace_id: bounds.Id | None = None
    region_id: bounds.Id | None = None
    district_id: bounds.Id | None = None
    education_required: bounds.Code = ""
    experience_months_required: bounds.ExperienceMonths = 0
    closes_on: bounds.RecordDate | None = None


@dataclass(frozen=True)
class _Clean:
    fields: dict[str, Any]
    conditions: list[Any]
    accommodations: list[Any]


def _clean(employer: Organisation, data: VacancyInput) -> _Clean:
    rules.check_bounds(data)
    title = core_services.require_text(data.title_kk, "title_kk", str(_("Title in Kazakh")))
    occupation = rules.occupation_by_code(data.occupation_code, "occupation_code")
    if data.education_required and data.education_required not in EducationLevel.values:
        raise ValidationFailed(
            _("Unknown level of education."), field="education_required", code=ErrorCode.INVALID_CHOICE
        )
    pay_from = Decimal(data.pay_from)
    pay_to = Decimal(data.pay_to) if data.pay_to is not None else None
    if pay_to is not None and pay_to < pay_from:
        raise ValidationFailed(_("The pay's upper end is below its lower end."), field="pay_to")
    if data.closes_on is not None and data.closes_on < data.opens_on:
        raise ValidationFailed(_("The vacancy closes before it opens."), field="closes_on")
    rules.check_pay(pay_from, day=data.opens_on, weekly_hours=data.weekly_hours, field="pay_from")
    if data.workplace_id is not None and not accessibility.object_exists(data.workplace_id):
        raise ValidationFailed(
            _("There is no such building among the objects of the accessibility map."),
            field="workplace_id",
            code=JobsErrorCode.UNKNOWN_OBJECT,
        )
    region_id = (
        data.region_id if data.region_id is not None or data.district_id is not None else employer.region_id
    )
    region, district = core_services.resolve_region_district(
        region_id, data.district_id, region_required=False
    )
    if region is None:
        raise ValidationFailed(_("Region is required."), field="region_id", code=ErrorCode.REQUIRED)
    return _Clean(
        fields={
            "occupation": occupation,
            "title_kk": title,
            "title_ru": data.title_ru.strip(),
            "title_en": data.title_en.strip(),
            "duties": data.duties.strip(),
            "weekly_hours": data.weekly_hours,
            "pay_from": pay_from,
            "pay_to": pay_to,
            "positions": data.positions,
            "quota": data.quota,
            "remote": data.remote,
            "workplace_id": data.workplace_id,
            "region": region,
            "district": district,
            "education_required": data.education_required,
            "experience_months_required": data.experience_months_required,
            "opens_on": data.opens_on,
            "closes_on": data.closes_on,
        },
        conditions=rules.conditions_by_codes(data.condition_codes, "condition_codes"),
        accommodations=rules.accommodations_by_codes(data.accommodation_codes, "accommodation_codes"),
    )


def vacancy_check(*, employer: Organisation, data: VacancyInput) -> None:
    """Check a vacancy as `vacancy_post` does, writing nothing: an import checks every row
    of its file before it writes any."""
    _clean(employer, data)


def vacancy_post(*, actor: Actor, employer: Organisation, data: VacancyInput, draft: bool = False) -> Vacancy:
    """Post a vacancy of an employer (open at once, or a draft to open later)."""
    with transaction.atomic(durable=True):
        return vacancy_post_in_transaction(actor=actor, employer=employer, data=data, draft=draft)


def vacancy_post_in_transaction(
    *, actor: Actor, employer: Organisation, data: VacancyInput, draft: bool = False
) -> Vacancy:
    """`vacancy_post` inside the caller's transaction (an import writes a file of vacancies
    in one)."""
    check_in_transaction()
    policy.check_may_post_vacancies_for(actor, employer)
    clean = _clean(employer, data)
    vacancy = Vacancy.objects.create(
        employer=employer,
        status=Vacancy.Status.DRAFT if draft else Vacancy.Status.OPEN,
        created_by=core_services.acting_user(actor),
        **clean.fields,
    )
    vacancy.conditions.set(clean.conditions)
    vacancy.accommodations_offered.set(clean.accommodations)
    audit_record(
        actor,
        "vacancy.post",
        object_type="vacancy",
        object_id=vacancy.pk,
        organisation_id=employer.pk,
        details={"occupation": clean.fields["occupation"].code, "quota": data.quota},
    )
    return vacancy


def vacancy_update(*, actor: Actor, vacancy: Vacancy, expected_version: int, data: VacancyInput) -> Vacancy:
    """Change a vacancy; refused if someone saved it since `expected_version`. Proposals
    already made are checked again against the new conditions when they are sent."""
    policy.check_may_manage_vacancy(actor, vacancy)
    clean = _clean(vacancy.employer, data)
    with transaction.atomic(durable=True):
        core_services.save_versioned(vacancy, expected_version, clean.fields)
        vacancy.conditions.set(clean.conditions)
        vacancy.accommodations_offered.set(clean.accommodations)
        audit_record(
            actor,
            "vacancy.update",
            object_type="vacancy",
            object_id=vacancy.pk,
            organisation_id=vacancy.employer_id,
        )
    return vacancy


# Which status a vacancy may move to from each.
NEXT_STATUS = {
    Vacancy.Status.DRAFT: {Vacancy.Status.OPEN, Vacancy.Status.CLOSED},
    Vacancy.Status.OPEN: {Vacancy.Status.CLOSED, Vacancy.Status.FILLED},
    Vacancy.Status.CLOSED: {Vacancy.Status.OPEN},
    Vacancy.Status.FILLED: {Vacancy.Status.OPEN},
}


def vacancy_set_status(*, actor: Actor, vacancy: Vacancy, status: str, on: dt.date | None = None) -> Vacancy:
    """Open a draft, close or fill an open vacancy, or open it again. Closing sets the
    closing day (today unless given)."""
    policy.check_may_manage_vacancy(actor, vacancy)
    if status not in Vacancy.Status.values:
        raise ValidationFailed(
            _("Unknown status of a vacancy."), field="status", code=ErrorCode.INVALID_CHOICE
        )
    if status not in NEXT_STATUS[Vacancy.Status(vacancy.status)]:
        raise Conflict(
            _("A vacancy that is %(current)s cannot become %(status)s."),
            field="status",
            code=JobsErrorCode.INVALID_TRANSITION,
            params={
                "current": Vacancy.Status(vacancy.status).label,
                "status": Vacancy.Status(status).label,
            },
        )
    changes: dict[str, Any] = {"status": status}
    if status in {Vacancy.Status.CLOSED, Vacancy.Status.FILLED}:
        day = on or timezone.localdate()
        if day < vacancy.opens_on:
            raise ValidationFailed(_("The vacancy closes before it opens."), field="closes_on")
        changes["closes_on"] = day
    elif status == Vacancy.Status.OPEN and vacancy.closes_on is not None:
        changes["closes_on"] = None
    with transaction.atomic(durable=True):
        core_services.save_versioned(vacancy, vacancy.version, changes)
        audit_record(
            actor,
            "vacancy.status",
            object_type="vacancy",
            object_id=vacancy.pk,
            organisation_id=vacancy.employer_id,
            details={"status": status},
        )
    return vacancy
