"""Job fairs: an event of an organisation's project with the people it registered (its own
records, with consent), the employers that come, interview slots at their tables,
referrals and hires. A person's attendance is the event's attendance
(`projects.services.attendance_add`), so that the people reached stay one query, and the
event's count of employers follows the employers recorded as having come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core import policy as core_policy
from qoldau.core import services as core_services
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from qoldau.core.models import Organisation, Person
from qoldau.jobs import policy, rules
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import (
    FAIR_STAGES,
    FairEmployer,
    FairReferral,
    FairSeeker,
    FairStage,
    InterviewSlot,
    JobFair,
    Vacancy,
)
from qoldau.projects import services as project_services
from qoldau.projects.models import Event, Project


@dataclass(frozen=True)
class FairInput:
    """A new fair: the event's title, day, place (a region or district) and venue."""

    title_kk: bounds.Title
    held_on: bounds.RecordDate
    title_ru: bounds.Title = ""
    title_en: bounds.Title = ""
    place_id: bounds.Id | None = None
    venue: bounds.Address = ""


def _audit(actor: Actor, fair: JobFair, action: str, person_id: int | None = None, **details: object) -> None:
    audit_record(
        actor,
        action,
        object_type="job_fair",
        object_id=fair.pk,
        person_id=person_id,
        organisation_id=fair.event.project.organisation_id,
        details=dict(details),
    )


def _fair_day(fair: JobFair) -> dt.date:
    return fair.event.held_on


def _check_held(fair: JobFair) -> None:
    """Refuse recording what happened at a fair before its day."""
    if _fair_day(fair) > timezone.localdate():
        raise ValidationFailed(
            _("The job fair is on %(day)s: what happened there is recorded from that day on."),
            field="fair",
            code=JobsErrorCode.FAIR_NOT_HELD,
            params={"day": _fair_day(fair).isoformat()},
        )


def _registration_day(fair: JobFair, day: dt.date | None, field: str) -> dt.date:
    """A registration's day: not in the future, and not after the fair (on its day, for
    those who come without registering first)."""
    today = timezone.localdate()
    day = day or min(today, _fair_day(fair))
    rules.bounded(bounds.RecordDate, day, field)
    if day > today:
        raise ValidationFailed(_("The date is in the future."), field=field)
    if day > _fair_day(fair):
        raise ValidationFailed(
            _("The job fair was on %(day)s: registration for it has closed."),
            field=field,
            code=JobsErrorCode.FAIR_OVER,
            params={"day": _fair_day(fair).isoformat()},
        )
    return day


def _reached(stage: str, wanted: str) -> bool:
    return FAIR_STAGES.index(stage) >= FAIR_STAGES.index(wanted)


def _advance(registration: FairSeeker, stage: str) -> None:
    """Move a registration on to a stage of the funnel; never back."""
    if not _reached(registration.stage, stage):
        core_services.save_versioned(registration, registration.version, {"stage": stage})


# Fairs ------------------------------------------------------------------------------------


def fair_create(*, actor: Actor, project: Project, data: FairInput) -> JobFair:
    """Hold a job fair as an event of the project (its day within the project's period)."""
    policy.check_may_hold_fair_for(actor, project)
    rules.check_bounds(data)
    with transaction.atomic(durable=True):
        event = project_services.event_record_in_transaction(
            actor=actor,
            project=project,
            data=project_services.EventInput(
                kind=Event.Kind.JOB_FAIR,
                title_kk=data.title_kk,
                title_ru=data.title_ru,
                title_en=data.title_en,
                held_on=data.held_on,
                place_id=data.place_id,
                venue=data.venue,
            ),
        )
        fair = JobFair.objects.create(event=event, created_by=core_services.acting_user(actor))
        _audit(actor, fair, "fair.create", event=event.pk)
    return fair


def fair_from_event(*, actor: Actor, event: Event) -> JobFair:
    """Make a job fair of an event already recorded as one (its registrations, interviews
    and outcomes are then kept here); its attendance stays the event's."""
    policy.check_may_hold_fair_for(actor, event.project)
    if event.kind != Event.Kind.JOB_FAIR:
        raise ValidationFailed(
            _("Only an event recorded as a job fair can become one."),
            field="event",
            code=JobsErrorCode.NOT_A_JOB_FAIR,
        )
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                fair = JobFair.objects.create(event=event, created_by=core_services.acting_user(actor))
        except IntegrityError:
            raise Conflict(
                _("This event is a job fair already."), field="event", code=ErrorCode.DUPLICATE
            ) from None
        _audit(actor, fair, "fair.create", event=event.pk)
    return fair


# Registration -----------------------------------------------------------------------------


def fair_register_seeker(
    *, actor: Actor, fair: JobFair, person: Person, registered_on: dt.date | None = None
) -> FairSeeker:
    """Register one of the organiser's people (their record, with consent) for the fair,
    up to its day."""
    policy.check_may_organise_fair(actor, fair)
    if person.organisation_id != fair.event.project.organisation_id or not core_policy.may_see_person(
        actor, person
    ):
        raise core_policy.person_not_found()
    day = _registration_day(fair, registered_on, "registered_on")
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                registration = FairSeeker.objects.create(
                    fair=fair,
                    person=person,
                    registered_on=day,
                    registered_by=core_services.acting_user(actor),
                )
        except IntegrityError:
            raise Conflict(
                _("The person is registered for this job fair already."),
                field="person",
                code=ErrorCode.DUPLICATE,
            ) from None
        _audit(actor, fair, "fair.register_seeker", person_id=person.pk)
    return registration


def fair_register_employer(
    *,
    actor: Actor,
    fair: JobFair,
    employer: Organisation,
    vacancy_ids: Sequence[int] = (),
    registered_on: dt.date | None = None,
) -> FairEmployer:
    """Register an employer for the fair, with the open vacancies it brings (its own)."""
    policy.check_may_register_employer_for_fair(actor, fair, employer)
    if len(vacancy_ids) > bounds.FEW:
        raise ValidationFailed(
            _("Give at most %(limit)s items."), field="vacancy_ids", params={"limit": bounds.FEW}
        )
    day = _registration_day(fair, registered_on, "registered_on")
    wanted = set(vacancy_ids)
    vacancies = list(Vacancy.objects.filter(pk__in=wanted, employer=employer, status=Vacancy.Status.OPEN))
    if len(vacancies) != len(wanted):
        raise ValidationFailed(
            _("Bring only the employer's own open vacancies to the fair."),
            field="vacancy_ids",
            code=JobsErrorCode.WRONG_EMPLOYER,
        )
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                registration = FairEmployer.objects.create(
                    fair=fair,
                    employer=employer,
                    registered_on=day,
                    registered_by=core_services.acting_user(actor),
                )
        except IntegrityError:
            raise Conflict(
                _("The employer is registered for this job fair already."),
                field="employer",
                code=ErrorCode.DUPLICATE,
            ) from None
        registration.vacancies.set(vacancies)
        _audit(actor, fair, "fair.register_employer", employer=employer.pk, vacancies=len(vacancies))
    return registration


# The fair's day ---------------------------------------------------------------------------


def fair_attendance_record(*, actor: Actor, fair: JobFair, person_ids: Sequence[int]) -> int:
    """Record that registered people came: each becomes an attendee of the fair's event
    (the people reached) and moves to "attended". Returns how many were new."""
    policy.check_may_organise_fair(actor, fair)
    if len(person_ids) > bounds.MANY:
        raise ValidationFailed(
            _("Give at most %(limit)s items."), field="person_ids", params={"limit": bounds.MANY}
        )
    _check_held(fair)
    wanted = set(person_ids)
    with transaction.atomic(durable=True):
        registrations = list(FairSeeker.objects.select_for_update().filter(fair=fair, person_id__in=wanted))
        if len(registrations) != len(wanted):
            raise ValidationFailed(
                _("Register the person for the job fair before recording that they came."),
                field="person_ids",
                code=JobsErrorCode.NOT_REGISTERED,
            )
        new = [r.pk for r in registrations if r.stage == FairStage.REGISTERED]
        FairSeeker.objects.filter(pk__in=new).update(stage=FairStage.ATTENDED, version=F("version") + 1)
        # The event's attendance: those already there are left as they are.
        project_services.attendance_add_in_transaction(
            actor=actor, event=fair.event, person_ids=sorted(wanted)
        )
        _audit(actor, fair, "fair.attendance", attended=len(new))
    return len(new)


def fair_employers_attended(*, actor: Actor, fair: JobFair, employer_ids: Sequence[int]) -> int:
    """Record that registered employers came; the event's count of employers becomes the
    number that came. Returns how many were new."""
    policy.check_may_organise_fair(actor, fair)
    if len(employer_ids) > bounds.FEW:
        raise ValidationFailed(
            _("Give at most %(limit)s items."), field="employer_ids", params={"limit": bounds.FEW}
        )
    _check_held(fair)
    wanted = set(employer_ids)
    with transaction.atomic(durable=True):
        registrations = list(
            FairEmployer.objects.select_for_update().filter(fair=fair, employer_id__in=wanted)
        )
        if len(registrations) != len(wanted):
            raise ValidationFailed(
                _("Register the employer for the job fair before recording that it came."),
                field="employer_ids",
                code=JobsErrorCode.NOT_REGISTERED,
            )
        new = [r.pk for r in registrations if not r.attended]
        FairEmployer.objects.filter(pk__in=new).update(attended=True)
        came = FairEmployer.objects.filter(fair=fair, attended=True).count()
        project_services.event_employers_set_in_transaction(actor=actor, event=fair.event, employers=came)
        _audit(actor, fair, "fair.employers_attended", attended=len(new))
    return len(new)


def _slot_times(times: Sequence[dt.time]) -> list[dt.time]:
    if not times:
        raise ValidationFailed(_("Give the interview times."), field="starts_at", code=ErrorCode.REQUIRED)
    if len(times) > bounds.FEW:
        raise ValidationFailed(
            _("Give at most %(limit)s items."), field="starts_at", params={"limit": bounds.FEW}
        )
    clean = [t.replace(second=0, microsecond=0, tzinfo=None) for t in times]
    if len(set(clean)) != len(clean):
        raise ValidationFailed(
            _("Each interview time is given once."), field="starts_at", code=ErrorCode.DUPLICATE
        )
    return sorted(clean)


def interview_slots_add(
    *, actor: Actor, fair_employer: FairEmployer, starts_at: Sequence[dt.time]
) -> list[InterviewSlot]:
    """Open interview slots at an employer's table, at these times of the fair's day."""
    fair = fair_employer.fair
    policy.check_may_organise_fair(actor, fair)
    times = _slot_times(starts_at)
    with transaction.atomic(durable=True):
        taken = set(
            InterviewSlot.objects.filter(fair_employer=fair_employer, starts_at__in=times).values_list(
                "starts_at", flat=True
            )
        )
        if taken:
            raise Conflict(
                _("The employer has a slot at %(time)s already."),
                field="starts_at",
                code=ErrorCode.DUPLICATE,
                params={"time": min(taken).strftime("%H:%M")},
            )
        slots = InterviewSlot.objects.bulk_create(
            [InterviewSlot(fair_employer=fair_employer, starts_at=t) for t in times]
        )
        _audit(actor, fair, "fair.slots_add", employer=fair_employer.employer_id, slots=len(slots))
    return slots


def interview_slot_book(*, actor: Actor, slot: InterviewSlot, registration: FairSeeker) -> InterviewSlot:
    """Book a free slot for a registered person (who is at no other table at that time)."""
    fair = slot.fair_employer.fair
    policy.check_may_organise_fair(actor, fair)
    if registration.fair_id != fair.pk:
        raise ValidationFailed(
            _("The person is not registered for this job fair."),
            field="registration",
            code=JobsErrorCode.NOT_REGISTERED,
        )
    with transaction.atomic(durable=True):
        locked = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
        if locked.booked_by_id is not None:
            raise Conflict(_("The slot is booked already."), field="slot", code=JobsErrorCode.SLOT_TAKEN)
        if InterviewSlot.objects.filter(booked_by=registration, starts_at=locked.starts_at).exists():
            raise Conflict(
                _("The person has an interview at another table at %(time)s."),
                field="slot",
                code=JobsErrorCode.SLOT_TAKEN,
                params={"time": locked.starts_at.strftime("%H:%M")},
            )
        core_services.save_versioned(slot, locked.version, {"booked_by": registration})
        _audit(actor, fair, "fair.slot_book", person_id=registration.person_id, slot=slot.pk)
    return slot


def interview_record(*, actor: Actor, slot: InterviewSlot, outcome: str) -> InterviewSlot:
    """Record whether a booked interview was held; a held one moves the person to
    "interviewed". Refused before the fair's day, for a person who did not come to the
    fair and at the table of an employer that did not come."""
    fair_employer = slot.fair_employer
    fair = fair_employer.fair
    policy.check_may_organise_fair(actor, fair)
    if outcome not in InterviewSlot.Outcome.values:
        raise ValidationFailed(
            _("Say whether the interview was held."), field="outcome", code=ErrorCode.INVALID_CHOICE
        )
    _check_held(fair)
    with transaction.atomic(durable=True):
        locked = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
        if locked.booked_by_id is None:
            raise ValidationFailed(
                _("Nobody booked the slot."), field="slot", code=JobsErrorCode.NOT_REGISTERED
            )
        if locked.outcome:
            raise Conflict(
                _("The interview's outcome is recorded already."), field="slot", code=ErrorCode.DUPLICATE
            )
        registration = FairSeeker.objects.select_for_update().get(pk=locked.booked_by_id)
        if outcome == InterviewSlot.Outcome.HELD:
            if not _reached(registration.stage, FairStage.ATTENDED):
                raise ValidationFailed(
                    _("The person did not come to the job fair: record their attendance first."),
                    field="slot",
                    code=JobsErrorCode.NOT_ATTENDED,
                )
            if not FairEmployer.objects.filter(pk=fair_employer.pk, attended=True).exists():
                raise ValidationFailed(
                    _("The employer did not come to the job fair: record that it came first."),
                    field="slot",
                    code=JobsErrorCode.EMPLOYER_ABSENT,
                )
        core_services.save_versioned(slot, locked.version, {"outcome": outcome})
        if outcome == InterviewSlot.Outcome.HELD:
            _advance(registration, FairStage.INTERVIEWED)
        _audit(actor, fair, "fair.interview", person_id=registration.person_id, outcome=outcome)
    return slot


def referral_record(
    *,
    actor: Actor,
    registration: FairSeeker,
    fair_employer: FairEmployer,
    referred_on: dt.date | None = None,
    vacancy: Vacancy | None = None,
) -> FairReferral:
    """Record that an employer, having interviewed the person at its table, referred them
    on (to a vacancy of its own, or to its office); the person moves to "referred"."""
    fair = registration.fair
    policy.check_may_organise_fair(actor, fair)
    if fair_employer.fair_id != fair.pk:
        raise NotFound(_("The employer is not registered for this job fair."), field="fair_employer")
    if vacancy is not None and vacancy.employer_id != fair_employer.employer_id:
        raise ValidationFailed(
            _("The vacancy is another employer's."), field="vacancy", code=JobsErrorCode.WRONG_EMPLOYER
        )
    day = referred_on or timezone.localdate()
    rules.bounded(bounds.RecordDate, day, "referred_on")
    if day > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), field="referred_on")
    if day < _fair_day(fair):
        raise ValidationFailed(
            _("A referral from the job fair is made on its day (%(day)s) or after."),
            field="referred_on",
            code=JobsErrorCode.FAIR_NOT_HELD,
            params={"day": _fair_day(fair).isoformat()},
        )
    with transaction.atomic(durable=True):
        locked = FairSeeker.objects.select_for_update().get(pk=registration.pk)
        interviewed = InterviewSlot.objects.filter(
            fair_employer=fair_employer, booked_by=locked, outcome=InterviewSlot.Outcome.HELD
        ).exists()
        if not interviewed:
            raise ValidationFailed(
                _("The employer did not interview the person at the job fair: record the interview first."),
                field="fair_employer",
                code=JobsErrorCode.NOT_INTERVIEWED,
            )
        try:
            with transaction.atomic():
                referral = FairReferral.objects.create(
                    registration=locked,
                    fair_employer=fair_employer,
                    vacancy=vacancy,
                    referred_on=day,
                    recorded_by=core_services.acting_user(actor),
                )
        except IntegrityError:
            raise Conflict(
                _("The employer has referred the person already."),
                field="fair_employer",
                code=ErrorCode.DUPLICATE,
            ) from None
        _advance(locked, FairStage.REFERRED)
        _audit(actor, fair, "fair.referral", person_id=locked.person_id, employer=fair_employer.employer_id)
    return referral


def referral_outcome_record(
    *, actor: Actor, referral: FairReferral, outcome: str, outcome_on: dt.date
) -> FairReferral:
    """Record what came of a referral: hired (the person moves to "hired") or not."""
    fair = referral.registration.fair
    policy.check_may_organise_fair(actor, fair)
    if outcome not in FairReferral.Outcome.values:
        raise ValidationFailed(
            _("Say whether the person was hired."), field="outcome", code=ErrorCode.INVALID_CHOICE
        )
    rules.bounded(bounds.RecordDate, outcome_on, "outcome_on")
    if outcome_on > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), field="outcome_on")
    with transaction.atomic(durable=True):
        locked = FairReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.outcome:
            raise Conflict(
                _("The referral's outcome is recorded already."), field="outcome", code=ErrorCode.DUPLICATE
            )
        if outcome_on < locked.referred_on:
            raise ValidationFailed(
                _("The outcome cannot come before the referral (%(day)s)."),
                field="outcome_on",
                params={"day": locked.referred_on.isoformat()},
            )
        core_services.save_versioned(referral, locked.version, {"outcome": outcome, "outcome_on": outcome_on})
        registration = FairSeeker.objects.select_for_update().get(pk=locked.registration_id)
        if outcome == FairReferral.Outcome.HIRED:
            _advance(registration, FairStage.HIRED)
        _audit(actor, fair, "fair.referral_outcome", person_id=registration.person_id, outcome=outcome)
    return referral
