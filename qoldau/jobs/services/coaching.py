"""Supported employment: a job coach's cases through EUSE's five stages, their notes
(encrypted), sessions, placements and the retention follow-ups scheduled at 1, 3, 6 and 12
months. A session, a placement and a follow-up are each a service delivery of the
organisation's project (`projects.services.delivery_record`), so that the people reached
stay one query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core import bounds
from qoldau.core import services as core_services
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, CoreErrorCode, ErrorCode, NotFound, ValidationFailed
from qoldau.core.models import Organisation
from qoldau.jobs import policy, rules
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import (
    FOLLOW_UP_MONTHS,
    CaseNote,
    CoachingCase,
    CoachingSession,
    CoachingStage,
    ContractKind,
    Placement,
    Proposal,
    RetentionFollowUp,
    Seeker,
    SubsidisedProgramme,
    Vacancy,
)
from qoldau.jobs.reference_data import COACHING_SERVICE, FOLLOW_UP_SERVICE, PLACEMENT_SERVICE
from qoldau.jobs.retention import add_months
from qoldau.projects import services as project_services
from qoldau.projects.models import Project, ServiceDelivery, ServiceType

# A follow-up may be recorded from this many days before it is due (a coach who meets the
# person a little early), never earlier.
FOLLOW_UP_EARLY_DAYS = 14


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), field=field)


def _audit(actor: Actor, case: CoachingCase, action: str, **details: object) -> None:
    audit_record(
        actor,
        action,
        object_type="coaching_case",
        object_id=case.pk,
        person_id=case.seeker.person_id,
        organisation_id=case.seeker.person.organisation_id,
        details=dict(details),
    )


def _open_case(case: CoachingCase) -> CoachingCase:
    """The case read again under a lock; refused when it is closed."""
    case = CoachingCase.objects.select_for_update().select_related("seeker__person").get(pk=case.pk)
    if case.closed_on is not None:
        raise Conflict(_("The case is closed."), field="case", code=JobsErrorCode.CASE_CLOSED)
    return case


def _deliver(
    actor: Actor, case: CoachingCase, project: Project, service_code: str, day: dt.date
) -> ServiceDelivery:
    """Record the work as a delivery of the seeker's organisation's project."""
    if project.organisation_id != case.seeker.person.organisation_id:
        raise ValidationFailed(
            _("Choose a project of the organisation that serves the person."),
            field="project",
            code=JobsErrorCode.WRONG_PROJECT,
        )
    service = ServiceType.objects.filter(code=service_code).first()
    if service is None:
        raise ValidationFailed(
            _("The service %(code)s is missing from the catalogue. An administrator must add it first."),
            field="project",
            code=JobsErrorCode.NO_SERVICE,
            params={"code": service_code},
        )
    return project_services.delivery_record_in_transaction(
        actor=actor, project=project, person_id=case.seeker.person_id, service=service, delivered_on=day
    )


def _caseload_full(cap: int) -> ValidationFailed:
    return ValidationFailed(
        _("The coach already carries %(cap)s open cases, the most one coach may. Choose another coach."),
        field="coach",
        code=JobsErrorCode.CASELOAD_FULL,
        params={"cap": cap},
    )


# Cases ------------------------------------------------------------------------------------


def case_open(*, actor: Actor, seeker: Seeker, coach: User, opened_on: dt.date | None = None) -> CoachingCase:
    """Open a case of supported employment for a seeker with a job coach of their
    organisation. Refused when the seeker has an open case, and when the coach already
    carries as many open cases as `QOLDAU_JOB_COACH_CASELOAD` allows."""
    policy.check_may_work_with_seeker(actor, seeker)
    organisation = seeker.person.organisation
    policy.check_may_coach_for(coach, organisation)
    day = opened_on or timezone.localdate()
    _not_future(day, "opened_on")
    cap = settings.QOLDAU_JOB_COACH_CASELOAD
    with transaction.atomic(durable=True):
        # The coach's row is the lock: two cases opened for one coach at once take turns,
        # so the cap holds.
        User.objects.select_for_update().filter(pk=coach.pk).first()
        if CoachingCase.objects.filter(coach=coach, closed_on__isnull=True).count() >= cap:
            raise _caseload_full(cap)
        if CoachingCase.objects.filter(seeker=seeker, closed_on__isnull=True).exists():
            raise Conflict(
                _("The person already has an open case."), field="seeker", code=ErrorCode.DUPLICATE
            )
        case = CoachingCase.objects.create(seeker=seeker, coach=coach, opened_on=day)
        _audit(actor, case, "case.open", coach=coach.pk)
    return case


def case_update(
    *,
    actor: Actor,
    case: CoachingCase,
    expected_version: int,
    stage: str,
    next_step: str = "",
    next_step_due: dt.date | None = None,
) -> CoachingCase:
    """Move a case to a stage and set its next step."""
    policy.check_may_coach_case(actor, case)
    if stage not in CoachingStage.values:
        raise ValidationFailed(
            _("Unknown stage of supported employment."), field="stage", code=ErrorCode.INVALID_CHOICE
        )
    step = rules.bounded(bounds.Note, next_step, "next_step")
    if next_step_due is not None:
        rules.bounded(bounds.RecordDate, next_step_due, "next_step_due")
    with transaction.atomic(durable=True):
        _open_case(case)
        core_services.save_versioned(
            case, expected_version, {"stage": stage, "next_step": step, "next_step_due": next_step_due}
        )
        _audit(actor, case, "case.update", stage=stage)
    return case


def case_reassign(*, actor: Actor, case: CoachingCase, coach: User) -> CoachingCase:
    """Give a case to another job coach of the organisation, within their caseload."""
    policy.check_may_coach_case(actor, case)
    policy.check_may_coach_for(coach, case.seeker.person.organisation)
    cap = settings.QOLDAU_JOB_COACH_CASELOAD
    with transaction.atomic(durable=True):
        _open_case(case)
        User.objects.select_for_update().filter(pk=coach.pk).first()
        if (
            CoachingCase.objects.filter(coach=coach, closed_on__isnull=True).exclude(pk=case.pk).count()
            >= cap
        ):
            raise _caseload_full(cap)
        core_services.save_versioned(case, case.version, {"coach": coach})
        _audit(actor, case, "case.reassign", coach=coach.pk)
    return case


def case_close(*, actor: Actor, case: CoachingCase, closed_on: dt.date, reason: str) -> CoachingCase:
    """Close a case, with the reason."""
    policy.check_may_coach_case(actor, case)
    if reason not in CoachingCase.CloseReason.values:
        raise ValidationFailed(
            _("Choose why the case is closed."), field="reason", code=ErrorCode.INVALID_CHOICE
        )
    _not_future(closed_on, "closed_on")
    with transaction.atomic(durable=True):
        locked = _open_case(case)
        if closed_on < locked.opened_on:
            raise ValidationFailed(_("The case cannot close before it opened."), field="closed_on")
        core_services.save_versioned(case, case.version, {"closed_on": closed_on, "close_reason": reason})
        _audit(actor, case, "case.close", reason=reason)
    return case


def case_note_add(*, actor: Actor, case: CoachingCase, text: str) -> CaseNote:
    """Add a note to a case (encrypted at rest; read only by those who coach the case)."""
    policy.check_may_coach_case(actor, case)
    clean = core_services.require_text(
        rules.bounded(bounds.Comment, text, "text"), "text", message=_("Write the note.")
    )
    with transaction.atomic(durable=True):
        note = CaseNote.objects.create(case=case, text=clean, written_by=core_services.acting_user(actor))
        _audit(actor, case, "case.note_add")
    return note


def coaching_session_record(
    *, actor: Actor, case: CoachingCase, project: Project, held_on: dt.date, note: str = ""
) -> CoachingSession:
    """Record a meeting of the coach with the person, at the case's stage, as a delivery of
    the organisation's project; a note, if written, joins the case's notes."""
    policy.check_may_coach_case(actor, case)
    _not_future(held_on, "held_on")
    text = rules.bounded(bounds.Comment, note, "note")
    with transaction.atomic(durable=True):
        locked = _open_case(case)
        if held_on < locked.opened_on:
            raise ValidationFailed(_("The session cannot be before the case opened."), field="held_on")
        delivery = _deliver(actor, locked, project, COACHING_SERVICE, held_on)
        session = CoachingSession.objects.create(
            case=case,
            held_on=held_on,
            stage=locked.stage,
            delivery=delivery,
            recorded_by=core_services.acting_user(actor),
        )
        if text:
            CaseNote.objects.create(case=case, text=text, written_by=core_services.acting_user(actor))
        _audit(actor, locked, "case.session", session=session.pk)
    return session


def coaching_session_link(*, actor: Actor, case: CoachingCase, delivery: ServiceDelivery) -> CoachingSession:
    """Record that a delivery of employment support already recorded for the person (by an
    import, or in the project's records from before the case was opened here) was a
    session of the case, at its stage: the delivery is counted once, as it already is."""
    policy.check_may_coach_case(actor, case)
    with transaction.atomic(durable=True):
        locked = _open_case(case)
        wrong = (
            delivery.person_id != locked.seeker.person_id
            or delivery.service.code != COACHING_SERVICE
            or delivery.project.organisation_id != locked.seeker.person.organisation_id
        )
        if wrong:
            raise ValidationFailed(
                _("Only a delivery of employment support to the person by their organisation is a session."),
                field="delivery",
                code=JobsErrorCode.NOT_COACHING,
            )
        if delivery.delivered_on < locked.opened_on:
            raise ValidationFailed(_("The session cannot be before the case opened."), field="delivery")
        if CoachingSession.objects.filter(delivery=delivery).exists():
            raise Conflict(
                _("The delivery is a session already."), field="delivery", code=ErrorCode.DUPLICATE
            )
        session = CoachingSession.objects.create(
            case=locked,
            held_on=delivery.delivered_on,
            stage=locked.stage,
            delivery=delivery,
            recorded_by=core_services.acting_user(actor),
        )
        _audit(actor, locked, "case.session_link", session=session.pk, delivery=delivery.pk)
    return session


# Placements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementInput:
    employer_id: bounds.Id
    start_date: bounds.RecordDate
    pay: bounds.Wage
    weekly_hours: bounds.WeeklyHours
    contract_kind: bounds.Code
    vacancy_id: bounds.Id | None = None
    programme_code: bounds.Code = ""
    accommodation_codes: Sequence[bounds.Code] = ()
    # Whether the job counts towards the employer's quota; by default, whether the vacancy
    # was a quota job (and no, without a vacancy).
    quota: bool | None = None


def _programme(code: str, day: dt.date) -> SubsidisedProgramme | None:
    if not code:
        return None
    programme = (
        SubsidisedProgramme.objects.filter(code=code, valid_from__lte=day).order_by("-valid_from").first()
    )
    if programme is None or (programme.valid_until is not None and programme.valid_until < day):
        raise ValidationFailed(
            _("There is no subsidised programme %(code)s in force on %(day)s."),
            field="programme_code",
            code=JobsErrorCode.UNKNOWN_PROGRAMME,
            params={"code": code, "day": day.isoformat()},
        )
    return programme


def placement_record(
    *, actor: Actor, case: CoachingCase, project: Project, data: PlacementInput
) -> Placement:
    """Record that the person started a job: with the employer, on a vacancy or not, the
    start date, pay and contract, any subsidised programme and the accommodations made.
    Refused when it starts before the vacancy opened, with pay below the minimum wage, or
    a programme not in force. The retention follow-ups at 1, 3, 6 and 12 months are
    scheduled; a proposal of the vacancy to the person at the offer becomes hired; the
    seeker is marked employed and the case moves to support at work."""
    policy.check_may_coach_case(actor, case)
    rules.check_bounds(data)
    if data.contract_kind not in ContractKind.values:
        raise ValidationFailed(
            _("Unknown kind of contract."), field="contract_kind", code=ErrorCode.INVALID_CHOICE
        )
    _not_future(data.start_date, "start_date")
    employer = Organisation.objects.filter(pk=data.employer_id).first()
    if employer is None:
        raise NotFound(_("There is no such employer."), field="employer_id")
    vacancy = None
    if data.vacancy_id is not None:
        vacancy = Vacancy.objects.filter(pk=data.vacancy_id).first()
        if vacancy is None or not policy.may_see_vacancy(actor, vacancy):
            raise policy.vacancy_not_found()
        if vacancy.employer_id != employer.pk:
            raise ValidationFailed(
                _("The vacancy is another employer's."), field="vacancy_id", code=JobsErrorCode.WRONG_EMPLOYER
            )
        if data.start_date < vacancy.opens_on:
            raise ValidationFailed(
                _("A placement cannot start before the vacancy opened (%(opens)s)."),
                field="start_date",
                code=JobsErrorCode.BEFORE_VACANCY_OPENED,
                params={"opens": vacancy.opens_on.isoformat()},
            )
    pay = Decimal(data.pay)
    rules.check_pay(pay, day=data.start_date, weekly_hours=data.weekly_hours, field="pay")
    programme = _programme(data.programme_code.strip(), data.start_date)
    accommodations = rules.accommodations_by_codes(data.accommodation_codes, "accommodation_codes")
    quota = data.quota if data.quota is not None else bool(vacancy is not None and vacancy.quota)
    with transaction.atomic(durable=True):
        locked = _open_case(case)
        if data.start_date < locked.opened_on:
            raise ValidationFailed(
                _("The placement cannot start before the case opened."), field="start_date"
            )
        delivery = _deliver(actor, locked, project, PLACEMENT_SERVICE, data.start_date)
        seeker = locked.seeker
        placement = Placement.objects.create(
            seeker=seeker,
            case=locked,
            employer=employer,
            vacancy=vacancy,
            start_date=data.start_date,
            pay=pay,
            weekly_hours=data.weekly_hours,
            contract_kind=data.contract_kind,
            programme=programme,
            quota=quota,
            delivery=delivery,
            recorded_by=core_services.acting_user(actor),
        )
        placement.accommodations_made.set(accommodations)
        RetentionFollowUp.objects.bulk_create(
            [
                RetentionFollowUp(placement=placement, months=m, due_on=add_months(data.start_date, m))
                for m in FOLLOW_UP_MONTHS
            ]
        )
        if vacancy is not None:
            offered = (
                Proposal.objects.select_for_update()
                .filter(seeker=seeker, vacancy=vacancy, state=Proposal.State.OFFER)
                .first()
            )
            if offered is not None:
                core_services.save_versioned(offered, offered.version, {"state": Proposal.State.HIRED})
        core_services.save_versioned(seeker, seeker.version, {"status": Seeker.Status.EMPLOYED})
        core_services.save_versioned(locked, locked.version, {"stage": CoachingStage.SUPPORT})
        case.version, case.stage = locked.version, locked.stage
        _audit(actor, locked, "placement.record", placement=placement.pk, employer=employer.pk)
    return placement


def placement_end(*, actor: Actor, placement: Placement, ended_on: dt.date, reason: str) -> Placement:
    """Record that the person left the job, and why."""
    policy.check_may_coach_case(actor, placement.case)
    if reason not in Placement.EndReason.values:
        raise ValidationFailed(_("Choose why the job ended."), field="reason", code=ErrorCode.INVALID_CHOICE)
    _not_future(ended_on, "ended_on")
    with transaction.atomic(durable=True):
        locked = Placement.objects.select_for_update().get(pk=placement.pk)
        if locked.ended_on is not None:
            raise Conflict(
                _("The placement already ended on %(date)s."),
                field="ended_on",
                code=CoreErrorCode.ALREADY_ENDED,
                params={"date": locked.ended_on.isoformat()},
            )
        if ended_on < locked.start_date:
            raise ValidationFailed(_("The job cannot end before it started."), field="ended_on")
        core_services.save_versioned(placement, locked.version, {"ended_on": ended_on, "end_reason": reason})
        _audit(actor, placement.case, "placement.end", placement=placement.pk, reason=reason)
    return placement


def follow_up_record(
    *,
    actor: Actor,
    follow_up: RetentionFollowUp,
    project: Project,
    recorded_on: dt.date,
    outcome: str,
    left_on: dt.date | None = None,
    left_reason: str = "",
    note: str = "",
) -> RetentionFollowUp:
    """Record a retention follow-up: still employed, or left (then when and why, which
    ends the placement). Refused for a placement that ended (nothing is left to follow up),
    for one already recorded, and long before it is due. Recorded as a delivery of the
    organisation's project."""
    placement = follow_up.placement
    case = placement.case
    policy.check_may_coach_case(actor, case)
    if outcome not in RetentionFollowUp.Outcome.values:
        raise ValidationFailed(
            _("Say whether the person still works there."), field="outcome", code=ErrorCode.INVALID_CHOICE
        )
    _not_future(recorded_on, "recorded_on")
    text = rules.bounded(bounds.Comment, note, "note")
    if outcome == RetentionFollowUp.Outcome.LEFT:
        if left_on is None or left_reason not in Placement.EndReason.values:
            raise ValidationFailed(
                _("Say when the person left the job and why."),
                field="left_on",
                code=JobsErrorCode.LEFT_NEEDS_DATE,
            )
        if left_on > recorded_on:
            raise ValidationFailed(_("The person cannot have left after the follow-up."), field="left_on")
    with transaction.atomic(durable=True):
        locked_placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if locked_placement.ended_on is not None:
            raise ValidationFailed(
                _("The placement ended on %(date)s: there is nothing left to follow up."),
                field="follow_up",
                code=JobsErrorCode.PLACEMENT_ENDED,
                params={"date": locked_placement.ended_on.isoformat()},
            )
        locked = RetentionFollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.outcome:
            raise Conflict(
                _("This follow-up is already recorded."), field="follow_up", code=ErrorCode.DUPLICATE
            )
        if recorded_on < locked.due_on - dt.timedelta(days=FOLLOW_UP_EARLY_DAYS):
            raise ValidationFailed(
                _("The follow-up is due on %(due)s; it cannot be recorded that early."),
                field="recorded_on",
                code=JobsErrorCode.TOO_EARLY,
                params={"due": locked.due_on.isoformat()},
            )
        if left_on is not None and left_on < locked_placement.start_date:
            raise ValidationFailed(_("The job cannot end before it started."), field="left_on")
        delivery = _deliver(actor, case, project, FOLLOW_UP_SERVICE, recorded_on)
        RetentionFollowUp.objects.filter(pk=locked.pk).update(
            outcome=outcome,
            recorded_on=recorded_on,
            note=text,
            delivery=delivery,
            recorded_by=core_services.acting_user(actor),
        )
        if outcome == RetentionFollowUp.Outcome.LEFT:
            core_services.save_versioned(
                locked_placement, locked_placement.version, {"ended_on": left_on, "end_reason": left_reason}
            )
        _audit(actor, case, "follow_up.record", placement=placement.pk, months=locked.months, outcome=outcome)
    follow_up.refresh_from_db()
    return follow_up
