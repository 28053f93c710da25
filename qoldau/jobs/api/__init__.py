"""The employment API under /api/v1/jobs. Public figures are rounded and small ones
hidden, as every public figure of Qoldau is (`qoldau.projects.impact`).

This module keeps the first area (summary, vacancies, matches, proposals, placements and
follow-ups), so that its operations keep their ids; each later area is a module of its own
whose router joins this one below: `fairs` (job fairs)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.api import BearerToken, PublicAccess, SignedInSession
from qoldau.jobs import selectors, services
from qoldau.jobs.models import Proposal, RetentionFollowUp, Vacancy
from qoldau.projects import selectors as project_selectors
from qoldau.projects.impact import public_count

router = Router(tags=["jobs"])
# The follow-ups listed at once (a coach's caseload is capped at a few dozen people).
FOLLOW_UPS_LISTED = 200


class SummaryQuery(Schema):
    region: bounds.Code = Field(description="KATO code of a region, e.g. 750000000 for Almaty")
    year: bounds.Year | None = Field(None, description="2000 to 2100; this year when not given")


class SummaryOut(Schema):
    region: str
    year: int
    seekers: int | None = Field(description="People registered as job seekers in the year")
    coached: int | None = Field(description="People with a job coach during the year")
    placed: int | None = Field(description="People who started a job in the year")
    retained_6_months: int | None = Field(
        description="People still employed at their six-month follow-up, recorded in the year"
    )
    quota_required: int | None = Field(description="Quota jobs the region's employers must fill")
    quota_filled: int | None = Field(description="Quota jobs filled by people with disabilities")
    suppressed_below: int = Field(description="Figures under it are null: fewer than this many")


@router.get(
    "/jobs/summary",
    response=SummaryOut,
    auth=[BearerToken(), SignedInSession(), PublicAccess()],
    summary="Employment figures of a region for a year",
    description="Public. Each figure is rounded; one under the threshold is null.",
)
def summary(request: HttpRequest, query: Query[SummaryQuery]) -> dict[str, object]:
    region = core_selectors.region_by_kato(query.region)
    year = query.year if query.year is not None else timezone.localdate().year
    figures = selectors.employment_summary(region, year)
    threshold = settings.QOLDAU_SUPPRESSION_THRESHOLD
    return {
        "region": region.kato,
        "year": year,
        "seekers": public_count(figures.seekers, threshold),
        "coached": public_count(figures.coached, threshold),
        "placed": public_count(figures.placed, threshold),
        "retained_6_months": public_count(figures.retained_6_months, threshold),
        "quota_required": public_count(figures.quota_required, threshold),
        "quota_filled": public_count(figures.quota_filled, threshold),
        "suppressed_below": threshold,
    }


# Vacancies (public) -----------------------------------------------------------------------


class VacancyQuery(Schema):
    region: bounds.Code = Field("", description="KATO code of a region, e.g. 750000000 for Almaty")
    district: bounds.Id | None = Field(None, description="Id of a district")
    occupation: bounds.Code = Field("", description="Code of an occupation (НК РК 01-2017), e.g. 4110")
    category: bounds.Code = Field(
        "", description="Accessible for a category: К, О, С, Г or У (remote, building, or accommodation)"
    )
    quota: bool = Field(False, description="Quota jobs only")
    remote: bool = Field(False, description="Remote work only")
    limit: bounds.PageLimit = 20
    offset: bounds.PageOffset = 0


class NamedOut(Schema):
    code: str
    name: str


class EmployerOut(Schema):
    id: int
    name: str


class VacancyOut(Schema):
    id: int
    url: str
    title: str
    employer: EmployerOut
    occupation: NamedOut
    region: str | None = Field(description="KATO code of the region")
    district_id: int | None
    remote: bool
    quota: bool
    pay_from: Decimal
    pay_to: Decimal | None
    weekly_hours: int
    positions: int
    opens_on: dt.date
    closes_on: dt.date | None
    status: str


class VacancyPageOut(Schema):
    count: int
    items: list[VacancyOut]


class WorkplaceOut(Schema):
    id: int
    name: str
    address: str


class CategoryAccessOut(Schema):
    category: str
    accessible: bool
    how: str = Field(description='"remote", "building", "accommodation", or "" when not accessible')
    building_status: str
    accommodations: list[str]


class VacancyDetailOut(VacancyOut):
    duties: str
    conditions: list[NamedOut]
    accommodations_offered: list[NamedOut]
    education_required: str
    experience_months_required: int
    workplace: WorkplaceOut | None
    access: list[CategoryAccessOut]


def _vacancy(request: HttpRequest, vacancy: Vacancy) -> dict[str, Any]:
    return {
        "id": vacancy.pk,
        "url": request.build_absolute_uri(reverse("jobs:vacancy_public", args=[vacancy.pk])),
        "title": vacancy.title,
        "employer": {"id": vacancy.employer_id, "name": vacancy.employer.name},
        "occupation": {"code": vacancy.occupation.code, "name": vacancy.occupation.name},
        "region": vacancy.region.kato,
        "district_id": vacancy.district_id,
        "remote": vacancy.remote,
        "quota": vacancy.quota,
        "pay_from": vacancy.pay_from,
        "pay_to": vacancy.pay_to,
        "weekly_hours": vacancy.weekly_hours,
        "positions": vacancy.positions,
        "opens_on": vacancy.opens_on,
        "closes_on": vacancy.closes_on,
        "status": vacancy.status,
    }


@router.get(
    "/jobs/vacancies",
    response=VacancyPageOut,
    auth=[BearerToken(), SignedInSession(), PublicAccess()],
    summary="Search open vacancies",
    description="Public. The filters of the vacancy search page; the newest first.",
)
def list_vacancies(request: HttpRequest, query: Query[VacancyQuery]) -> dict[str, Any]:
    search = selectors.vacancy_search(
        region_kato=query.region,
        district_id=query.district,
        occupation_code=query.occupation,
        category=query.category,
        quota=query.quota,
        remote=query.remote,
    )
    vacancies = selectors.vacancies_open(request.user, search)
    page = vacancies[query.offset : query.offset + query.limit]
    return {"count": vacancies.count(), "items": [_vacancy(request, v) for v in page]}


@router.get(
    "/jobs/vacancies/{vacancy_id}",
    response=VacancyDetailOut,
    auth=[BearerToken(), SignedInSession(), PublicAccess()],
    summary="A vacancy, with its workplace's accessibility for each category",
    description="Public for open vacancies; an employer's staff also read their drafts.",
)
def get_vacancy(request: HttpRequest, vacancy_id: bounds.Id) -> dict[str, Any]:
    detail = selectors.vacancy_detail(request.user, vacancy_id)
    vacancy = detail.vacancy
    workplace = detail.workplace
    return _vacancy(request, vacancy) | {
        "duties": vacancy.duties,
        "conditions": [{"code": c.code, "name": c.name} for c in detail.conditions],
        "accommodations_offered": [{"code": a.code, "name": a.name} for a in detail.accommodations],
        "education_required": vacancy.education_required,
        "experience_months_required": vacancy.experience_months_required,
        "workplace": (
            {"id": workplace.id, "name": workplace.name, "address": workplace.address} if workplace else None
        ),
        "access": [
            {
                "category": row.category,
                "accessible": bool(row.how),
                "how": row.how,
                "building_status": row.building_status,
                "accommodations": row.accommodations,
            }
            for row in detail.access
        ],
    }


# Matches (the staff who work with the seeker) -----------------------------------------------


class MatchOut(Schema):
    vacancy: VacancyOut
    score: int = Field(description="Fit from 0 to 100")
    reasons: list[str] = Field(description="Why it fits, in the reader's language")
    accommodations_offered: list[str] = Field(description="Accommodations needed that the employer offers")
    accommodations_to_arrange: list[str] = Field(description="Accommodations needed still to arrange")


@router.get(
    "/jobs/seekers/{seeker_id}/matches",
    response=list[MatchOut],
    summary="Open vacancies that fit a seeker, best first",
    description="Never one the seeker's ИПАР rules out or not accessible for a category they need.",
)
def seeker_matches(
    request: HttpRequest, seeker_id: bounds.Id, limit: bounds.PageLimit = 20
) -> list[dict[str, Any]]:
    seeker = selectors.seeker_get_for_user(request.user, seeker_id)
    out = []
    for match in selectors.matches_for_seeker(request.user, seeker, limit):
        explanation = selectors.explain_fit(match.fit)
        out.append(
            {
                "vacancy": _vacancy(request, match.vacancy),
                "score": match.fit.score,
                "reasons": explanation.reasons,
                "accommodations_offered": explanation.offered,
                "accommodations_to_arrange": explanation.to_arrange,
            }
        )
    return out


# Proposals ------------------------------------------------------------------------------------


class ProposalIn(Schema):
    seeker_id: bounds.Id
    vacancy_id: bounds.Id


class ProposalStepIn(Schema):
    step: bounds.Code = Field(
        description="agree or send (the seeker's staff); interview, offer or hired (the employer's); decline"
    )
    side: bounds.Code = Field("", description="For decline: seeker or employer")
    reason: bounds.Code = Field("", description="For decline: why (Proposal.DeclineReason)")
    note: bounds.Note = ""


class ProposalOut(Schema):
    id: int
    seeker_id: int
    vacancy_id: int
    state: str
    score: int
    reasons: list[str]
    accommodations_to_arrange: list[str]
    seeker_agreed_on: dt.date | None
    sent_on: dt.date | None
    declined_by: str
    decline_reason: str


def _proposal(proposal: Proposal) -> dict[str, Any]:
    explanation = selectors.explain(proposal.reasons, proposal.needs)
    return {
        "id": proposal.pk,
        "seeker_id": proposal.seeker_id,
        "vacancy_id": proposal.vacancy_id,
        "state": proposal.state,
        "score": proposal.score,
        "reasons": explanation.reasons,
        "accommodations_to_arrange": explanation.to_arrange,
        "seeker_agreed_on": proposal.seeker_agreed_on,
        "sent_on": proposal.sent_on,
        "declined_by": proposal.declined_by,
        "decline_reason": proposal.decline_reason,
    }


@router.post("/jobs/proposals", response={201: ProposalOut}, summary="Propose a vacancy to a seeker")
def create_proposal(request: HttpRequest, payload: ProposalIn) -> Status[Any]:
    seeker = selectors.seeker_get_for_user(request.user, payload.seeker_id)
    vacancy = selectors.vacancy_get_for_user(request.user, payload.vacancy_id)
    proposal = services.proposal_create(actor=request.user, seeker=seeker, vacancy=vacancy)
    return Status(201, _proposal(proposal))


@router.get("/jobs/proposals/{proposal_id}", response=ProposalOut, summary="A proposal")
def get_proposal(request: HttpRequest, proposal_id: bounds.Id) -> dict[str, Any]:
    return _proposal(selectors.proposal_get_for_user(request.user, proposal_id))


@router.post("/jobs/proposals/{proposal_id}/steps", response=ProposalOut, summary="Move a proposal on")
def proposal_step(request: HttpRequest, proposal_id: bounds.Id, payload: ProposalStepIn) -> dict[str, Any]:
    proposal = selectors.proposal_get_for_user(request.user, proposal_id)
    if payload.step == "agree":
        proposal = services.proposal_agree(actor=request.user, proposal=proposal)
    elif payload.step == "send":
        proposal = services.proposal_send(actor=request.user, proposal=proposal)
    elif payload.step == "decline":
        proposal = services.proposal_decline(
            actor=request.user, proposal=proposal, side=payload.side, reason=payload.reason, note=payload.note
        )
    else:
        proposal = services.proposal_advance(actor=request.user, proposal=proposal, state=payload.step)
    return _proposal(proposal)


# Placements and follow-ups (the case's coaches) ----------------------------------------------


class PlacementIn(Schema):
    project_id: bounds.Id = Field(description="The organisation's project the placement is counted for")
    employer_id: bounds.Id
    vacancy_id: bounds.Id | None = None
    start_date: bounds.RecordDate
    pay: bounds.Wage
    weekly_hours: bounds.WeeklyHours
    contract_kind: bounds.Code = Field(description="open_ended, fixed_term, civil or self_employed")
    programme_code: bounds.Code = ""
    accommodation_codes: bounds.Codes = []
    quota: bool | None = Field(None, description="Counts towards the quota; by default, the vacancy's flag")


class FollowUpOut(Schema):
    id: int
    placement_id: int
    months: int
    due_on: dt.date
    outcome: str
    recorded_on: dt.date | None


class PlacementOut(Schema):
    id: int
    case_id: int
    employer_id: int
    vacancy_id: int | None
    start_date: dt.date
    pay: Decimal
    weekly_hours: int
    contract_kind: str
    quota: bool
    follow_ups: list[FollowUpOut]


@router.post(
    "/jobs/cases/{case_id}/placements",
    response={201: PlacementOut},
    summary="Record that the person started a job",
    description="Schedules the retention follow-ups at 1, 3, 6 and 12 months.",
)
def record_placement(request: HttpRequest, case_id: bounds.Id, payload: PlacementIn) -> Status[Any]:
    case = selectors.case_get_for_coach(request.user, case_id)
    project = project_selectors.project_get_for_user(request.user, payload.project_id)
    placement = services.placement_record(
        actor=request.user,
        case=case,
        project=project,
        data=services.PlacementInput(**payload.dict(exclude={"project_id"})),
    )
    return Status(
        201,
        {
            "id": placement.pk,
            "case_id": placement.case_id,
            "employer_id": placement.employer_id,
            "vacancy_id": placement.vacancy_id,
            "start_date": placement.start_date,
            "pay": placement.pay,
            "weekly_hours": placement.weekly_hours,
            "contract_kind": placement.contract_kind,
            "quota": placement.quota,
            "follow_ups": list(placement.follow_ups.all()),
        },
    )


class FollowUpQuery(Schema):
    until: bounds.RecordDate | None = Field(None, description="Due by this day; today when not given")


class FollowUpIn(Schema):
    project_id: bounds.Id
    recorded_on: bounds.RecordDate
    outcome: bounds.Code = Field(description="employed or left")
    left_on: bounds.RecordDate | None = None
    left_reason: bounds.Code = ""
    note: bounds.Comment = ""


@router.get("/jobs/follow-ups", response=list[FollowUpOut], summary="Your follow-ups due")
def follow_ups_due(request: HttpRequest, query: Query[FollowUpQuery]) -> list[RetentionFollowUp]:
    until = query.until or timezone.localdate()
    return list(selectors.follow_ups_due(request.user, until)[:FOLLOW_UPS_LISTED])


@router.post("/jobs/follow-ups/{follow_up_id}", response=FollowUpOut, summary="Record a follow-up")
def record_follow_up(request: HttpRequest, follow_up_id: bounds.Id, payload: FollowUpIn) -> RetentionFollowUp:
    follow_up = selectors.follow_up_get_for_user(request.user, follow_up_id)
    project = project_selectors.project_get_for_user(request.user, payload.project_id)
    return services.follow_up_record(
        actor=request.user,
        follow_up=follow_up,
        project=project,
        recorded_on=payload.recorded_on,
        outcome=payload.outcome,
        left_on=payload.left_on,
        left_reason=payload.left_reason,
        note=payload.note,
    )


# The other areas: imported last, each adds its operations to this router.
from qoldau.jobs.api import fairs  # noqa: E402

router.add_router("", fairs.router)
