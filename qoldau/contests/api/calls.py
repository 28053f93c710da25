"""Grant calls: the public list and page with its dashboard; the operator (or the ministry)
opens a call and sets its criteria and commission."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.pagination import paginate
from ninja.responses import Status

from qoldau.contests import selectors, services
from qoldau.contests.api.grant_schemas import CallDetailOut, CallIn, CallOut, GrantCommissionIn
from qoldau.contests.api.routing import PUBLIC, Router
from qoldau.contests.api.schemas import (
    CommissionOut,
    CriteriaIn,
    CriterionOut,
    category_ids_of,
    criteria_input,
    region_of,
)
from qoldau.contests.models import Commission, Criterion
from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.api import BoundedPagination
from qoldau.projects.impact import public_count

router = Router()


def _dashboard_payload(board: selectors.CallDashboard, *, public: bool) -> dict[str, Any]:
    """The dashboard's figures; for the public, people reached as every public figure is
    (rounded to the threshold, null under it)."""
    threshold = settings.QOLDAU_SUPPRESSION_THRESHOLD
    people = board.people_reached
    return {
        "applied": board.applied,
        "requested": board.requested,
        "eligible": board.eligible,
        "awarded": board.awarded,
        "awarded_amount": board.awarded_amount,
        "paid_amount": board.paid_amount,
        "left": board.left,
        "people_reached": public_count(people, threshold) if public else people,
        "suppressed_below": threshold if public else None,
        "reports_due": board.reports_due,
        "reports_overdue": board.reports_overdue,
        "by_region": [
            {"region": label, "applied": applied, "awarded": awarded, "amount": amount}
            for label, applied, awarded, amount in board.by_region
        ],
    }


def _call_input(payload: CallIn) -> services.GrantCallInput:
    data = payload.dict(exclude={"operator_id", "regions", "categories"})
    return services.GrantCallInput(
        region_ids=[region_of(code, "regions").pk for code in payload.regions],
        category_ids=category_ids_of(payload.categories, "categories"),
        **data,
    )


@router.get("/grants", response=list[CallOut], auth=PUBLIC, summary="Grant calls, newest first")
@paginate(BoundedPagination)
def list_calls(request: HttpRequest) -> object:
    return selectors.calls_list()


@router.get(
    "/grants/{int:call_id}", response=CallDetailOut, auth=PUBLIC, summary="A grant call and its dashboard"
)
def get_call(request: HttpRequest, call_id: bounds.Id) -> dict[str, Any]:
    """Public. The dashboard counts applications, awards, payments and the distinct people
    the grantees' projects reached; for the public a number of people under
    `QOLDAU_SUPPRESSION_THRESHOLD` is null."""
    call = selectors.call_get(call_id)
    board = selectors.call_dashboard(call)
    return {
        "call": call,
        "criteria": list(call.criteria.all()),
        "dashboard": _dashboard_payload(board, public=not request.user.is_authenticated),
    }


@router.post("/grants", response={201: CallOut}, summary="Open a grant call (operator, ministry)")
def create_call(request: HttpRequest, payload: CallIn) -> Status[Any]:
    operator = core_selectors.organisation_get_for_user(request.user, payload.operator_id)
    call = services.grant_call_create(actor=request.user, operator=operator, data=_call_input(payload))
    return Status(201, selectors.call_get(call.pk))


@router.put(
    "/grants/{int:call_id}/criteria",
    response=list[CriterionOut],
    summary="Replace a call's criteria (operator, before scoring)",
)
def set_call_criteria(request: HttpRequest, call_id: bounds.Id, payload: CriteriaIn) -> list[Criterion]:
    call = selectors.call_get(call_id)
    return services.criteria_set(actor=request.user, call=call, criteria=criteria_input(payload))


@router.post(
    "/grants/{int:call_id}/commission",
    response={201: CommissionOut},
    summary="Set up the call's commission; seat its members at /contests/commissions/{id}/members",
)
def create_call_commission(
    request: HttpRequest, call_id: bounds.Id, payload: GrantCommissionIn
) -> Status[Any]:
    call = selectors.call_get(call_id)
    commission = services.commission_create(
        actor=request.user,
        level=Commission.Level.GRANT,
        call=call,
        scale_min=payload.scale_min,
        scale_max=payload.scale_max,
    )
    return Status(201, commission)
