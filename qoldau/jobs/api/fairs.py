"""The job fairs' API under /api/v1/jobs/fairs: a fair's funnel and employers for those who
see the fair (its organiser's staff, the officers of its region, the ministry); its people,
slots and referrals, and every write, for the organiser's staff, to whom another
organisation's fair is not found. Each write is one service of `jobs.services.fairs`."""

import dataclasses
import datetime as dt
from typing import Annotated, Any

from annotated_types import MaxLen
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.jobs import selectors, services
from qoldau.jobs.models import FairReferral, InterviewSlot, JobFair
from qoldau.projects import selectors as project_selectors

router = Router(tags=["jobs"])
# A time of the fair's day, "HH:MM".
ClockTime = Annotated[str, bounds.TextLimit(5), StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class FunnelOut(Schema):
    registered: int
    attended: int
    interviewed: int
    referred: int
    hired: int
    employers_registered: int
    employers_attended: int
    slots: int
    slots_booked: int
    interviews_held: int


class FairOut(Schema):
    id: int
    event_id: int
    project_id: int
    title: str
    held_on: dt.date
    place_id: int | None
    venue: str
    funnel: FunnelOut


class FairsOut(Schema):
    items: list[FairOut]
    total: FunnelOut = Field(description="All the fairs together: a person who came to two counts once")


class FairTableOut(Schema):
    employer_id: int
    employer: str
    attended: bool
    registered_on: dt.date
    vacancy_ids: list[int]


class FairDetailOut(FairOut):
    employers: list[FairTableOut]


class FairIn(Schema):
    project_id: bounds.Id
    title_kk: bounds.Title
    title_ru: bounds.Title = ""
    title_en: bounds.Title = ""
    held_on: bounds.RecordDate
    place_id: bounds.Id | None = Field(None, description="A region or district")
    venue: bounds.Address = ""


class FairSeekerIn(Schema):
    person_id: bounds.Id = Field(description="One of the organising organisation's people")
    registered_on: bounds.RecordDate | None = None


class FairSeekerOut(Schema):
    person_id: int
    full_name: str
    stage: str = Field(description="registered, attended, interviewed, referred or hired")
    registered_on: dt.date


class FairEmployerIn(Schema):
    employer_id: bounds.Id
    vacancy_ids: bounds.Ids = Field([], description="The employer's open vacancies it brings")
    registered_on: bounds.RecordDate | None = None


class FairAttendanceIn(Schema):
    person_ids: bounds.PersonIds


class FairEmployersCameIn(Schema):
    employer_ids: bounds.Ids


class CountOut(Schema):
    new: int = Field(description="How many were recorded now (those recorded before are left)")


class SlotsIn(Schema):
    starts_at: Annotated[list[ClockTime], MaxLen(bounds.FEW)] = Field(description='Times of the day, "HH:MM"')


class SlotOut(Schema):
    id: int
    employer_id: int
    starts_at: str
    person_id: int | None = Field(description="Who booked it (null when free, or not shown)")
    outcome: str = Field(description='"held", "no_show", or "" before it is recorded')


class BookingIn(Schema):
    person_id: bounds.Id


class InterviewIn(Schema):
    outcome: bounds.Code = Field(description="held or no_show")


class ReferralIn(Schema):
    person_id: bounds.Id
    employer_id: bounds.Id
    vacancy_id: bounds.Id | None = None
    referred_on: bounds.RecordDate | None = None


class ReferralOutcomeIn(Schema):
    outcome: bounds.Code = Field(description="hired or not_hired")
    outcome_on: bounds.RecordDate


class ReferralOut(Schema):
    id: int
    person_id: int
    employer_id: int
    vacancy_id: int | None
    referred_on: dt.date
    outcome: str
    outcome_on: dt.date | None


def _funnel(funnel: selectors.FairFunnel) -> dict[str, int]:
    return dataclasses.asdict(funnel)


def _fair(fair: JobFair, funnel: selectors.FairFunnel) -> dict[str, Any]:
    event = fair.event
    return {
        "id": fair.pk,
        "event_id": event.pk,
        "project_id": event.project_id,
        "title": event.title,
        "held_on": event.held_on,
        "place_id": event.place_id,
        "venue": event.venue,
        "funnel": _funnel(funnel),
    }


def _fair_detail(request: HttpRequest, fair: JobFair) -> dict[str, Any]:
    tables = selectors.fair_tables(request.user, fair)
    return _fair(fair, selectors.fair_funnel(request.user, fair)) | {
        "employers": [
            {
                "employer_id": t.employer_id,
                "employer": t.employer.name,
                "attended": t.attended,
                "registered_on": t.registered_on,
                "vacancy_ids": sorted(v.pk for v in t.vacancies.all()),
            }
            for t in tables
        ]
    }


def _slot(slot: InterviewSlot, seen: set[int]) -> dict[str, Any]:
    return {
        "id": slot.pk,
        "employer_id": slot.fair_employer.employer_id,
        "starts_at": slot.starts_at.strftime("%H:%M"),
        "person_id": slot.booked_by.person_id if slot.booked_by and slot.booked_by_id in seen else None,
        "outcome": slot.outcome,
    }


def _referral(referral: FairReferral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "person_id": referral.registration.person_id,
        "employer_id": referral.fair_employer.employer_id,
        "vacancy_id": referral.vacancy_id,
        "referred_on": referral.referred_on,
        "outcome": referral.outcome,
        "outcome_on": referral.outcome_on,
    }


@router.get("/jobs/fairs", response=FairsOut, summary="Job fairs you see, each with its funnel")
def list_fairs(request: HttpRequest) -> dict[str, Any]:
    funnel = selectors.fairs_funnel(request.user)
    return {
        "items": [_fair(line.fair, line.funnel) for line in funnel.fairs],
        "total": _funnel(funnel.total),
    }


@router.post("/jobs/fairs", response={201: FairDetailOut}, summary="Create a job fair")
def create_fair(request: HttpRequest, payload: FairIn) -> Status[Any]:
    project = project_selectors.project_get_for_user(request.user, payload.project_id)
    fair = services.fair_create(
        actor=request.user, project=project, data=services.FairInput(**payload.dict(exclude={"project_id"}))
    )
    return Status(201, _fair_detail(request, selectors.fair_get_for_user(request.user, fair.pk)))


@router.get(
    "/jobs/fairs/{fair_id}",
    response=FairDetailOut,
    summary="A job fair, its funnel and its employers",
    description="Counts and employers only: the people are the organiser's (`/seekers`).",
)
def get_fair(request: HttpRequest, fair_id: bounds.Id) -> dict[str, Any]:
    return _fair_detail(request, selectors.fair_get_for_user(request.user, fair_id))


@router.get(
    "/jobs/fairs/{fair_id}/seekers",
    response=list[FairSeekerOut],
    summary="The people registered for a job fair (the organiser's staff)",
)
def fair_seekers(request: HttpRequest, fair_id: bounds.Id) -> list[dict[str, Any]]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    return [
        {
            "person_id": r.person_id,
            "full_name": r.person.full_name,
            "stage": r.stage,
            "registered_on": r.registered_on,
        }
        for r in selectors.fair_registrations(request.user, fair)
    ]


@router.post("/jobs/fairs/{fair_id}/seekers", response={201: FairSeekerOut}, summary="Register a person")
def register_fair_seeker(request: HttpRequest, fair_id: bounds.Id, payload: FairSeekerIn) -> Status[Any]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    person = selectors.fair_person_get(request.user, fair, payload.person_id)
    registration = services.fair_register_seeker(
        actor=request.user, fair=fair, person=person, registered_on=payload.registered_on
    )
    return Status(
        201,
        {
            "person_id": person.pk,
            "full_name": person.full_name,
            "stage": registration.stage,
            "registered_on": registration.registered_on,
        },
    )


@router.post("/jobs/fairs/{fair_id}/employers", response={201: FairDetailOut}, summary="Register an employer")
def register_fair_employer(request: HttpRequest, fair_id: bounds.Id, payload: FairEmployerIn) -> Status[Any]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    employer = core_selectors.organisation_by_id_or_bin(str(payload.employer_id))
    services.fair_register_employer(
        actor=request.user,
        fair=fair,
        employer=employer,
        vacancy_ids=payload.vacancy_ids,
        registered_on=payload.registered_on,
    )
    return Status(201, _fair_detail(request, fair))


@router.post("/jobs/fairs/{fair_id}/attendance", response=CountOut, summary="Record who came to a job fair")
def record_fair_attendance(
    request: HttpRequest, fair_id: bounds.Id, payload: FairAttendanceIn
) -> dict[str, int]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    return {
        "new": services.fair_attendance_record(actor=request.user, fair=fair, person_ids=payload.person_ids)
    }


@router.post(
    "/jobs/fairs/{fair_id}/employers/attendance",
    response=CountOut,
    summary="Record the employers that came to a job fair",
)
def record_fair_employers_came(
    request: HttpRequest, fair_id: bounds.Id, payload: FairEmployersCameIn
) -> dict[str, int]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    return {
        "new": services.fair_employers_attended(
            actor=request.user, fair=fair, employer_ids=payload.employer_ids
        )
    }


@router.get("/jobs/fairs/{fair_id}/slots", response=list[SlotOut], summary="A job fair's interview slots")
def fair_slots(request: HttpRequest, fair_id: bounds.Id) -> list[dict[str, Any]]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    records = selectors.fair_records(request.user, fair)
    seen = {r.pk for r in records.registrations}
    return [_slot(slot, seen) for slot in records.slots]


@router.post(
    "/jobs/fairs/{fair_id}/employers/{employer_id}/slots",
    response={201: list[SlotOut]},
    summary="Open interview slots at an employer's table",
)
def add_fair_slots(
    request: HttpRequest, fair_id: bounds.Id, employer_id: bounds.Id, payload: SlotsIn
) -> Status[Any]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    table = selectors.fair_employer_get(request.user, fair, employer_id)
    times = [dt.time.fromisoformat(t) for t in payload.starts_at]
    slots = services.interview_slots_add(actor=request.user, fair_employer=table, starts_at=times)
    return Status(201, [_slot(slot, set()) for slot in slots])


@router.post("/jobs/fairs/{fair_id}/slots/{slot_id}/booking", response=SlotOut, summary="Book a slot")
def book_fair_slot(
    request: HttpRequest, fair_id: bounds.Id, slot_id: bounds.Id, payload: BookingIn
) -> dict[str, Any]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    slot = selectors.fair_slot_get(request.user, fair, slot_id)
    registration = selectors.fair_registration_get(request.user, fair, payload.person_id)
    slot = services.interview_slot_book(actor=request.user, slot=slot, registration=registration)
    return _slot(slot, {registration.pk})


@router.post(
    "/jobs/fairs/{fair_id}/slots/{slot_id}/interview", response=SlotOut, summary="Record an interview"
)
def record_fair_interview(
    request: HttpRequest, fair_id: bounds.Id, slot_id: bounds.Id, payload: InterviewIn
) -> dict[str, Any]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    slot = selectors.fair_slot_get(request.user, fair, slot_id)
    slot = services.interview_record(actor=request.user, slot=slot, outcome=payload.outcome)
    return _slot(slot, {slot.booked_by_id} if slot.booked_by_id else set())


@router.post(
    "/jobs/fairs/{fair_id}/referrals",
    response={201: ReferralOut},
    summary="Record a referral from a job fair",
)
def record_fair_referral(request: HttpRequest, fair_id: bounds.Id, payload: ReferralIn) -> Status[Any]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    registration = selectors.fair_registration_get(request.user, fair, payload.person_id)
    table = selectors.fair_employer_get(request.user, fair, payload.employer_id)
    vacancy = selectors.vacancy_get_for_user(request.user, payload.vacancy_id) if payload.vacancy_id else None
    referral = services.referral_record(
        actor=request.user,
        registration=registration,
        fair_employer=table,
        referred_on=payload.referred_on,
        vacancy=vacancy,
    )
    return Status(201, _referral(referral))


@router.post(
    "/jobs/fairs/{fair_id}/referrals/{referral_id}/outcome",
    response=ReferralOut,
    summary="Record what came of a referral",
)
def record_fair_referral_outcome(
    request: HttpRequest, fair_id: bounds.Id, referral_id: bounds.Id, payload: ReferralOutcomeIn
) -> dict[str, Any]:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    referral = selectors.fair_referral_get(request.user, fair, referral_id)
    referral = services.referral_outcome_record(
        actor=request.user, referral=referral, outcome=payload.outcome, outcome_on=payload.outcome_on
    )
    return _referral(referral)
