"""Rules of a contest that its writes and reads apply alike: the scale a commission scores
on, and the places a result names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qoldau.contests.models import Commission, Contest, Criterion
from qoldau.core.errors import Conflict


def scale_of(commission: Commission, criterion: Criterion) -> tuple[int, int]:
    if commission.scale_min is not None and commission.scale_max is not None:
        return commission.scale_min, commission.scale_max
    return criterion.scale_min, criterion.scale_max


def prize_places(commission: Commission) -> int:
    """Places a result names: the contest's laureate places at the republican stage, the
    first three (or as many as advance) in a region, none for a grant call."""
    if commission.level == Commission.Level.REPUBLICAN:
        return contest_of(commission).places_awarded
    if commission.level == Commission.Level.REGIONAL:
        return max(3, contest_of(commission).advance_per_region)
    return 0


def contest_of(commission: Commission) -> Contest:
    if commission.contest is None:
        raise Conflict(_("The commission belongs to no contest."))
    return commission.contest
