"""A commission's work: a member's worklist, scores and conflicts of interest, the
secretary's eligibility decisions, the ranking and the chair's approval."""

from typing import Any

from django.http import HttpRequest
from ninja.responses import Status

from qoldau.contests import selectors, services
from qoldau.contests.api.routing import Router
from qoldau.contests.api.schemas import (
    ApplicationOut,
    CommissionResultOut,
    ConflictIn,
    ConflictOut,
    EligibilityIn,
    RankedLineOut,
    ScoreOut,
    ScoresIn,
    WorklistOut,
)
from qoldau.contests.models import Application, RankedApplication
from qoldau.core import bounds

router = Router()


@router.get(
    "/contests/commissions/{int:commission_id}/applications",
    response=WorklistOut,
    summary="A member's worklist: the commission's eligible applications",
)
def worklist(request: HttpRequest, commission_id: bounds.Id) -> selectors.Worklist:
    commission, seat = selectors.commission_with_seat(request.user, commission_id)
    return selectors.member_worklist(request.user, commission, seat=seat)


@router.put(
    "/contests/commissions/{int:commission_id}/applications/{int:application_id}/scores",
    response=list[ScoreOut],
    summary="Record your scores of an application, all or none",
)
def record_scores(
    request: HttpRequest, commission_id: bounds.Id, application_id: bounds.Id, payload: ScoresIn
) -> list[Any]:
    """Each score within the scale (the commission's, else the criterion's), with a comment.
    An application your commission does not have before it is not found (404), as is a
    commission you do not sit on; refused to the secretary (403), with a conflict of
    interest (403 `conflict`), and after approval (409 `approved`)."""
    # Who may score is the service's question, asked once under its lock (the seat read once).
    return services.scores_record(
        actor=request.user,
        commission=commission_id,
        application=application_id,
        scores=[services.ScoreInput(s.criterion_id, s.value, s.comment) for s in payload.scores],
    ).scores


@router.post(
    "/contests/commissions/{int:commission_id}/applications/{int:application_id}/conflict",
    response={201: ConflictOut},
    summary="Declare a conflict of interest with an application",
)
def declare_conflict(
    request: HttpRequest, commission_id: bounds.Id, application_id: bounds.Id, payload: ConflictIn
) -> Status[Any]:
    """Your scores of the application, if any, are withdrawn; you cannot score it again."""
    commission, seat = selectors.commission_with_seat(request.user, commission_id)
    application = selectors.application_for_commission(request.user, commission, application_id, seat=seat)
    declared = services.conflict_declare(
        actor=request.user, commission=commission, application=application, reason=payload.reason
    )
    return Status(201, declared)


@router.get(
    "/contests/commissions/{int:commission_id}/ranking",
    response=CommissionResultOut,
    summary="The commission's ranking: live (with outliers and gaps) or approved",
)
def commission_ranking(request: HttpRequest, commission_id: bounds.Id) -> selectors.CommissionResult:
    commission, seat = selectors.commission_with_seat(request.user, commission_id)
    return selectors.commission_result(request.user, commission, seat=seat)


@router.post(
    "/contests/commissions/{int:commission_id}/approve",
    response=list[RankedLineOut],
    summary="Approve the result (the chair); scores are frozen after",
)
def approve(request: HttpRequest, commission_id: bounds.Id) -> list[RankedApplication]:
    commission = selectors.commission_get_for_user(request.user, commission_id)
    return services.commission_approve(actor=request.user, commission=commission)


@router.post(
    "/contests/applications/{int:application_id}/eligibility",
    response=ApplicationOut,
    summary="Decide an application's eligibility (the commission's secretary)",
)
def decide_eligibility(
    request: HttpRequest, application_id: bounds.Id, payload: EligibilityIn
) -> Application:
    application = selectors.application_get_for_user(request.user, application_id)
    return services.eligibility_decide(
        actor=request.user, application=application, eligible=payload.eligible, reason=payload.reason
    )
