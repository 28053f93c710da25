"""The social workforce's records: a provider's workers (hired, leaving), their trainings,
and the terms of the workforce (the social workers' bonus and the training targets as
dated data). Each write checks the policy first, then the domain's rules, then writes
and audits. The audit holds no name: a worker is their record's number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import ErrorCode, ValidationFailed
from qoldau.core.models import Place
from qoldau.core.services import require_text
from qoldau.services import policy
from qoldau.services.errors import ServicesErrorCode
from qoldau.services.models import Position, Provider, Training, TrainingTarget, Worker, WorkforceBonus


def _record_day(value: dt.date, field: str) -> dt.date:
    """A day something happened: within the records' bounds and not after today."""
    try:
        day: dt.date = bounds.clean(bounds.RecordDate, value)
    except bounds.BoundError as exc:
        raise ValidationFailed(
            exc.message, field=field, code=ErrorCode(exc.code), params=exc.params
        ) from None
    if day > timezone.localdate():
        raise ValidationFailed(
            _("A day in the future cannot be recorded."), field=field, code=ErrorCode.OUT_OF_RANGE
        )
    return day


def _text(annotated: object, value: str, field: str) -> str:
    try:
        return bounds.clean(annotated, value)  # type: ignore[no-any-return]
    except bounds.BoundError as exc:
        raise ValidationFailed(
            exc.message, field=field, code=ErrorCode(exc.code), params=exc.params
        ) from None


def worker_add(
    *,
    actor: Actor,
    provider: Provider,
    full_name: str,
    position: str,
    hired_on: dt.date,
    qualification: str = "",
) -> Worker:
    """Add a worker to a provider's workforce. Refused to anyone but the provider's staff,
    for a position not in the list and for a day of hiring in the future."""
    with transaction.atomic(durable=True):
        policy.check_may_keep_workers(actor, provider)
        name = require_text(_text(bounds.Name, full_name, "full_name"), "full_name", str(_("Full name")))
        if position not in Position.values:
            raise ValidationFailed(
                _("Choose a position from the list."), field="position", code=ErrorCode.INVALID_CHOICE
            )
        qualification = _text(bounds.Name, qualification, "qualification").strip()
        hired_on = _record_day(hired_on, "hired_on")
        worker = Worker.objects.create(
            provider=provider,
            full_name=name,
            position=position,
            qualification=qualification,
            hired_on=hired_on,
        )
        audit_record(
            actor,
            "services.worker.add",
            object_type="services_worker",
            object_id=worker.pk,
            organisation_id=provider.organisation_id,
            details={"position": position},
        )
    return worker


def worker_leave(*, actor: Actor, worker: Worker, left_on: dt.date) -> Worker:
    """Record that a worker left on a day. Refused to anyone but the provider's staff, for
    a worker who has left already, a day before they were hired or in the future."""
    with transaction.atomic(durable=True):
        policy.check_may_keep_workers(actor, worker.provider)
        locked = Worker.objects.select_for_update().select_related("provider").get(pk=worker.pk)
        if locked.left_on is not None:
            raise ValidationFailed(
                _("The worker has left already."), field="left_on", code=ServicesErrorCode.ALREADY_LEFT
            )
        left_on = _record_day(left_on, "left_on")
        if left_on < locked.hired_on:
            raise ValidationFailed(
                _("The day the worker left is before the day they were hired (%(hired)s)."),
                field="left_on",
                code=ServicesErrorCode.ENDS_BEFORE_START,
                params={"hired": locked.hired_on.isoformat()},
            )
        locked.left_on = left_on
        locked.save(update_fields=["left_on"])
        audit_record(
            actor,
            "services.worker.leave",
            object_type="services_worker",
            object_id=locked.pk,
            organisation_id=locked.provider.organisation_id,
            details={"left_on": left_on.isoformat()},
        )
    return locked


def training_record(
    *,
    actor: Actor,
    worker: Worker,
    course: str,
    hours: int,
    completed_on: dt.date,
    certificate: str = "",
) -> Training:
    """Record a course a worker completed. Refused to anyone but the provider's staff, for
    hours outside 1 to 2,000, a day in the future, and a day after the worker left."""
    with transaction.atomic(durable=True):
        policy.check_may_keep_workers(actor, worker.provider)
        locked = Worker.objects.select_for_update().select_related("provider").get(pk=worker.pk)
        course = require_text(_text(bounds.Title, course, "course"), "course", str(_("Course")))
        certificate = _text(bounds.Code, certificate, "certificate").strip()
        if not 1 <= hours <= 2000:
            raise ValidationFailed(
                _("The hours of a course are from 1 to 2,000."), field="hours", code=ErrorCode.OUT_OF_RANGE
            )
        completed_on = _record_day(completed_on, "completed_on")
        if locked.left_on is not None and completed_on > locked.left_on:
            raise ValidationFailed(
                _("The worker left on %(left)s, before this course was completed."),
                field="completed_on",
                code=ServicesErrorCode.TRAINED_AFTER_LEAVING,
                params={"left": locked.left_on.isoformat()},
            )
        training = Training.objects.create(
            worker=locked, course=course, hours=hours, completed_on=completed_on, certificate=certificate
        )
        audit_record(
            actor,
            "services.training.record",
            object_type="services_training",
            object_id=training.pk,
            organisation_id=locked.provider.organisation_id,
            details={"worker": locked.pk, "hours": hours, "completed_on": completed_on.isoformat()},
        )
    return training


def bonus_record(
    *,
    actor: Actor,
    name_kk: str,
    name_ru: str,
    percent: Decimal,
    valid_from: dt.date,
    region: Place | None = None,
    valid_to: dt.date | None = None,
    name_en: str = "",
    source: str = "",
) -> WorkforceBonus:
    """Record a bonus of social workers as dated data (30 % in Almaty from 2025): its rate,
    region (none: the country), period and source. A system administrator's; refused for
    a rate outside 0 to 200 % and a period that ends before it starts."""
    with transaction.atomic(durable=True):
        policy.check_may_keep_workforce_terms(actor)
        name_kk = require_text(_text(bounds.Label, name_kk, "name_kk"), "name_kk", str(_("Name (Kazakh)")))
        name_ru = require_text(_text(bounds.Label, name_ru, "name_ru"), "name_ru", str(_("Name (Russian)")))
        if not Decimal(0) <= percent <= Decimal(200):
            raise ValidationFailed(
                _("A bonus is from 0 to 200 per cent of the salary."),
                field="percent",
                code=ErrorCode.OUT_OF_RANGE,
            )
        if valid_to is not None and valid_to < valid_from:
            raise ValidationFailed(
                _("The period ends before it starts."),
                field="valid_to",
                code=ServicesErrorCode.ENDS_BEFORE_START,
            )
        bonus = WorkforceBonus.objects.create(
            name_kk=name_kk,
            name_ru=name_ru,
            name_en=_text(bounds.Label, name_en, "name_en").strip(),
            region=region,
            percent=percent,
            valid_from=valid_from,
            valid_to=valid_to,
            source=_text(bounds.Title, source, "source").strip(),
        )
        audit_record(
            actor,
            "services.bonus.record",
            object_type="services_bonus",
            object_id=bonus.pk,
            details={"percent": str(percent), "valid_from": valid_from.isoformat()},
        )
    return bonus


def training_target_record(
    *,
    actor: Actor,
    name_kk: str,
    name_ru: str,
    region: Place,
    specialists: int,
    counted_from: dt.date,
    deadline: dt.date,
    name_en: str = "",
    source: str = "",
) -> TrainingTarget:
    """Record a region's target of specialists trained by a date. A system
    administrator's; refused for no specialists and a deadline before the counting starts."""
    with transaction.atomic(durable=True):
        policy.check_may_keep_workforce_terms(actor)
        name_kk = require_text(_text(bounds.Label, name_kk, "name_kk"), "name_kk", str(_("Name (Kazakh)")))
        name_ru = require_text(_text(bounds.Label, name_ru, "name_ru"), "name_ru", str(_("Name (Russian)")))
        if not 1 <= specialists <= 1_000_000:
            raise ValidationFailed(
                _("A target is from 1 to 1,000,000 specialists."),
                field="specialists",
                code=ErrorCode.OUT_OF_RANGE,
            )
        if deadline < counted_from:
            raise ValidationFailed(
                _("The period ends before it starts."),
                field="deadline",
                code=ServicesErrorCode.ENDS_BEFORE_START,
            )
        target = TrainingTarget.objects.create(
            name_kk=name_kk,
            name_ru=name_ru,
            name_en=_text(bounds.Label, name_en, "name_en").strip(),
            region=region,
            specialists=specialists,
            counted_from=counted_from,
            deadline=deadline,
            source=_text(bounds.Title, source, "source").strip(),
        )
        audit_record(
            actor,
            "services.training_target.record",
            object_type="services_training_target",
            object_id=target.pk,
            details={"specialists": specialists, "deadline": deadline.isoformat()},
        )
    return target
