"""Contests: the public list, the archive since 2013, a contest's page and its approved
results; the ministry creates contests and sets their stages and criteria."""

from typing import Any

from django.http import HttpRequest
from ninja.pagination import paginate
from ninja.responses import Status

from qoldau.contests import selectors, services
from qoldau.contests.api.routing import PUBLIC, Router
from qoldau.contests.api.schemas import (
    ContestIn,
    ContestOut,
    ContestResultsOut,
    ContestSummaryOut,
    CriteriaIn,
    CriterionOut,
    HistoryOut,
    StageIn,
    StageOut,
    criteria_input,
)
from qoldau.contests.models import Contest, Criterion, Stage
from qoldau.core import bounds
from qoldau.core.api import BoundedPagination

router = Router()


@router.get("/contests", response=list[ContestSummaryOut], auth=PUBLIC, summary="Contests, newest first")
@paginate(BoundedPagination)
def list_contests(request: HttpRequest) -> object:
    """Public. Each contest with its stages."""
    return selectors.contests_list()


@router.get("/contests/history", response=HistoryOut, auth=PUBLIC, summary="The contest's archive since 2013")
def contest_history(request: HttpRequest) -> selectors.ContestHistory:
    return selectors.contest_history()


@router.get("/contests/{int:contest_id}", response=ContestOut, auth=PUBLIC, summary="A contest in full")
def get_contest(request: HttpRequest, contest_id: bounds.Id) -> Contest:
    """Public. Stages with their dates, criteria with weights and scales, who may apply and
    how many places are awarded and advance."""
    return selectors.contest_get(contest_id)


@router.post("/contests", response={201: ContestOut}, summary="Set up a contest (ministry)")
def create_contest(request: HttpRequest, payload: ContestIn) -> Status[Any]:
    contest = services.contest_create(actor=request.user, data=services.ContestInput(**payload.dict()))
    return Status(201, selectors.contest_get(contest.pk))


@router.put(
    "/contests/{int:contest_id}/stages/{level}", response=StageOut, summary="Set a stage's dates (ministry)"
)
def set_stage(request: HttpRequest, contest_id: bounds.Id, level: bounds.Code, payload: StageIn) -> Stage:
    """`level` is regional or republican. The regional deadline is when applications close."""
    contest = selectors.contest_get(contest_id)
    return services.stage_set(actor=request.user, contest=contest, level=level, **payload.dict())


@router.put(
    "/contests/{int:contest_id}/criteria",
    response=list[CriterionOut],
    summary="Replace a contest's criteria (ministry, before scoring)",
)
def set_contest_criteria(request: HttpRequest, contest_id: bounds.Id, payload: CriteriaIn) -> list[Criterion]:
    contest = selectors.contest_get(contest_id)
    return services.criteria_set(actor=request.user, contest=contest, criteria=criteria_input(payload))


@router.get(
    "/contests/{int:contest_id}/results",
    response=ContestResultsOut,
    auth=PUBLIC,
    summary="Approved results: regional first places, laureates, fair comparison",
)
def contest_results(request: HttpRequest, contest_id: bounds.Id) -> selectors.ContestResults:
    """Public. A region's winner shows once its commission approved; the laureates once the
    republican commission approved."""
    return selectors.contest_results(selectors.contest_get(contest_id))
