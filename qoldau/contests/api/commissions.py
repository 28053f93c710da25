"""Commissions: set up a contest's regional or republican commission, and seat its members
(contest and grant commissions alike)."""

from typing import Any

from django.http import HttpRequest
from ninja.responses import Status

from qoldau.contests import selectors, services
from qoldau.contests.api.routing import Router
from qoldau.contests.api.schemas import CommissionOut, ContestCommissionIn, MemberIn, MemberOut, region_of
from qoldau.core import bounds

router = Router()


@router.post(
    "/contests/{int:contest_id}/commissions",
    response={201: CommissionOut},
    summary="Set up a regional (akimat, ministry) or the republican (ministry) commission",
)
def create_contest_commission(
    request: HttpRequest, contest_id: bounds.Id, payload: ContestCommissionIn
) -> Status[Any]:
    contest = selectors.contest_get(contest_id)
    region = region_of(payload.region, "region") if payload.region else None
    commission = services.commission_create(
        actor=request.user,
        level=payload.level,
        contest=contest,
        region=region,
        scale_min=payload.scale_min,
        scale_max=payload.scale_max,
    )
    return Status(201, commission)


@router.post(
    "/contests/commissions/{int:commission_id}/members",
    response={201: MemberOut},
    summary="Seat a chair, member or secretary on a commission",
)
def add_member(request: HttpRequest, commission_id: bounds.Id, payload: MemberIn) -> Status[Any]:
    """For contest and grant commissions alike; by those who set the commission up."""
    commission = selectors.commission_get_for_user(request.user, commission_id)
    seat = services.commission_member_add(
        actor=request.user,
        commission=commission,
        user=selectors.user_by_username(payload.username),
        role=payload.role,
        affiliation=payload.affiliation,
    )
    return Status(201, seat)
