"""Grants after the ranking: awards within the budget, the grantee's project, tranches and
grantee reports."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.responses import Status

from qoldau.contests import selectors, services
from qoldau.contests.api.grant_schemas import (
    AwardIn,
    AwardOut,
    PayIn,
    ProjectLinkIn,
    ReportOut,
    ReportReviewIn,
    ReportScheduleIn,
    ReportSubmitIn,
    TrancheIn,
    TrancheOut,
)
from qoldau.contests.api.routing import Router
from qoldau.contests.models import GrantAward, GranteeReport, Tranche
from qoldau.core import bounds

router = Router()


@router.post(
    "/grants/applications/{int:application_id}/award",
    response={201: AwardOut},
    summary="Award a grant (operator); never over the call's budget",
)
def award(request: HttpRequest, application_id: bounds.Id, payload: AwardIn) -> Status[Any]:
    """Over the budget left: 409 `over_budget`, nothing awarded."""
    application = selectors.application_get_for_user(request.user, application_id)
    granted = services.grant_award(actor=request.user, application=application, amount=payload.amount)
    return Status(201, selectors.award_get_for_user(request.user, granted.pk))


@router.get("/grants/{int:call_id}/awards", response=list[AwardOut], summary="The call's awards (operator)")
def call_awards(request: HttpRequest, call_id: bounds.Id) -> list[GrantAward]:
    return selectors.call_awards(request.user, selectors.call_get(call_id))


@router.get(
    "/grants/awards/mine", response=list[AwardOut], summary="Grants you (or your organisations) received"
)
def my_awards(request: HttpRequest) -> list[GrantAward]:
    return selectors.awards_of_user(request.user)


@router.post(
    "/grants/awards/{int:award_id}/tranches",
    response={201: TrancheOut},
    summary="Plan the next tranche (operator); tranches never exceed the grant",
)
def plan_tranche(request: HttpRequest, award_id: bounds.Id, payload: TrancheIn) -> Status[Any]:
    granted = selectors.award_get_for_user(request.user, award_id)
    tranche = services.tranche_plan(
        actor=request.user, award=granted, amount=payload.amount, due_on=payload.due_on
    )
    return Status(201, tranche)


@router.post(
    "/grants/tranches/{int:tranche_id}/pay", response=TrancheOut, summary="Record a tranche's payment"
)
def pay_tranche(request: HttpRequest, tranche_id: bounds.Id, payload: PayIn) -> Tranche:
    tranche = selectors.tranche_get_for_user(request.user, tranche_id)
    return services.tranche_pay(
        actor=request.user, tranche=tranche, paid_on=payload.paid_on or timezone.localdate()
    )


@router.post(
    "/grants/awards/{int:award_id}/reports",
    response={201: ReportOut},
    summary="Schedule a grantee report (operator)",
)
def schedule_report(request: HttpRequest, award_id: bounds.Id, payload: ReportScheduleIn) -> Status[Any]:
    granted = selectors.award_get_for_user(request.user, award_id)
    report = services.report_schedule(actor=request.user, award=granted, **payload.dict())
    return Status(201, report)


@router.post(
    "/grants/reports/{int:report_id}/submit", response=ReportOut, summary="Submit a report (the grantee)"
)
def submit_report(request: HttpRequest, report_id: bounds.Id, payload: ReportSubmitIn) -> GranteeReport:
    report = selectors.report_get_for_user(request.user, report_id)
    return services.report_submit(
        actor=request.user,
        report=report,
        narrative=payload.narrative,
        spent_amount=payload.spent_amount,
        indicator_values={v.indicator_id: v.value for v in payload.indicator_values},
    )


@router.post(
    "/grants/reports/{int:report_id}/review",
    response=ReportOut,
    summary="Accept a report, or return it with a comment (operator)",
)
def review_report(request: HttpRequest, report_id: bounds.Id, payload: ReportReviewIn) -> GranteeReport:
    report = selectors.report_get_for_user(request.user, report_id)
    return services.report_review(
        actor=request.user, report=report, accept=payload.accept, comment=payload.comment
    )


@router.post(
    "/grants/awards/{int:award_id}/project",
    response=AwardOut,
    summary="Name the project the grant funds (the grantee's administrators)",
)
def link_project(request: HttpRequest, award_id: bounds.Id, payload: ProjectLinkIn) -> GrantAward:
    granted = selectors.award_get_for_user(request.user, award_id)
    services.grant_project_link(actor=request.user, award=granted, project_id=payload.project_id)
    return selectors.award_get_for_user(request.user, award_id)
