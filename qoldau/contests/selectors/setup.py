"""Contests and grant calls as everyone may read them: their stages, terms and criteria."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests.models import Commission, Contest, Criterion, GrantCall, Stage
from qoldau.core.errors import NotFound


def contests_list() -> QuerySet[Contest]:
    """Every contest, newest first, with its stages; contests are public."""
    return Contest.objects.prefetch_related("stages")


def contest_get(contest_id: int) -> Contest:
    contest = contests_list().filter(pk=contest_id).first()
    if contest is None:
        raise NotFound(_("There is no such contest."))
    return contest


def contest_stage(contest: Contest, level: str) -> Stage | None:
    return next((s for s in contest.stages.all() if s.level == level), None)


def contest_taking_applications(contest: Contest, now: dt.datetime | None = None) -> bool:
    stage = contest_stage(contest, Stage.Level.REGIONAL)
    now = now or timezone.now()
    return stage is not None and stage.opens_at <= now <= stage.deadline


def calls_list() -> QuerySet[GrantCall]:
    """Every grant call, newest first; calls are public."""
    return GrantCall.objects.select_related("operator").prefetch_related(
        "eligible_regions", "eligible_categories"
    )


def call_get(call_id: int) -> GrantCall:
    call = calls_list().filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("There is no such grant call."))
    return call


def call_taking_applications(call: GrantCall, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return call.opens_at <= now <= call.deadline


def criteria_list(*, contest: Contest | None = None, call: GrantCall | None = None) -> list[Criterion]:
    return list(Criterion.objects.filter(contest=contest, call=call))


def criteria_of(commission: Commission) -> list[Criterion]:
    if commission.call_id is not None:
        return list(Criterion.objects.filter(call_id=commission.call_id))
    return list(Criterion.objects.filter(contest=commission.contest))
