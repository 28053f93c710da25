"""What the public sees: the list of contests and calls, a contest's and a call's page, the
approved results compared fairly, and the archive since 2013."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from qoldau.contests.grants import BandLimits, band_limits
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    ArchivedLaureate,
    ArchivePeriod,
    Commission,
    Contest,
    Criterion,
    GrantCall,
    RankedApplication,
    Stage,
)
from qoldau.contests.selectors.commissions import commissions_of_contest
from qoldau.contests.selectors.grants import CallDashboard, call_dashboard
from qoldau.contests.selectors.scoring import CommissionResult, commission_result
from qoldau.contests.selectors.setup import (
    call_get,
    call_taking_applications,
    calls_list,
    contest_get,
    contest_stage,
    contest_taking_applications,
    contests_list,
    criteria_list,
)
from qoldau.core.errors import ValidationFailed

# The sources the reference data records (migration 0002), in English as stored: the
# archive page shows them through the catalogue, so in the reader's language.
REFERENCE_SOURCES = (
    gettext_noop("Ministry of Labour and Social Protection, press release on the 2017 contest (article 003)"),
    gettext_noop("Law on the republican budget"),
)


@dataclass(frozen=True)
class RegionResult:
    commission: Commission
    approved: bool
    applications: int
    winner: RankedApplication | None


@dataclass
class ContestResults:
    contest: Contest
    regions: list[RegionResult]
    republican: CommissionResult | None
    # Regions compared on standardised scores (each commission's severity taken out).
    compared: list[RankedApplication]


def contest_results(contest: Contest) -> ContestResults:
    """What the public sees of a contest: each region's approved first places, the
    republican laureates once approved, and the regions' winners compared fairly."""
    commissions = commissions_of_contest(contest)
    counts = dict(
        Application.objects.filter(contest=contest, status=Application.Status.ELIGIBLE)
        .values("region_id")
        .annotate(n=Count("pk"))
        .values_list("region_id", "n")
    )
    winners = {
        r.commission_id: r
        for r in RankedApplication.objects.filter(
            commission__contest=contest, commission__level=Commission.Level.REGIONAL, rank=1
        ).select_related("application__project", "application__region")
    }
    regions = [
        RegionResult(
            commission=c,
            approved=c.approved_at is not None,
            applications=counts.get(c.region_id or 0, 0),
            winner=winners.get(c.pk) if c.approved_at is not None else None,
        )
        for c in commissions
        if c.level == Commission.Level.REGIONAL
    ]
    republican = next(
        (c for c in commissions if c.level == Commission.Level.REPUBLICAN and c.approved_at is not None), None
    )
    compared = sorted(
        (r.winner for r in regions if r.winner is not None), key=lambda w: (-w.standardised, -w.score, w.rank)
    )
    return ContestResults(
        contest=contest,
        regions=regions,
        republican=commission_result(None, republican) if republican else None,
        compared=compared,
    )


@dataclass(frozen=True)
class ContestHistory:
    periods: list[ArchivePeriod]
    laureates: list[ArchivedLaureate]
    projects_taken_part: int
    regional_winners: int


def contest_history() -> ContestHistory:
    """The published archive since 2013 plus what Qoldau's own contests add."""
    periods = list(ArchivePeriod.objects.all())
    laureates = list(ArchivedLaureate.objects.select_related("region"))
    own_projects = Application.objects.filter(
        contest__isnull=False, status__in=[Application.Status.ELIGIBLE, Application.Status.SUBMITTED]
    ).count()
    own_winners = RankedApplication.objects.filter(
        commission__level=Commission.Level.REGIONAL, commission__approved_at__isnull=False, rank=1
    ).count()
    return ContestHistory(
        periods=periods,
        laureates=laureates,
        projects_taken_part=sum(p.projects_taken_part for p in periods) + own_projects,
        regional_winners=sum(p.regional_winners for p in periods) + own_winners,
    )


@dataclass(frozen=True)
class ContestIndexRow:
    contest: Contest
    regional: Stage | None
    # The latest stage that has opened (the first one before any has).
    stage: Stage | None
    taking_applications: bool


@dataclass(frozen=True)
class PublicIndex:
    contests: list[ContestIndexRow]
    calls: list[tuple[GrantCall, bool]]  # the call, and whether it takes applications


def public_index(*, now: dt.datetime | None = None) -> PublicIndex:
    """The public list of contests (with their regional stage) and grant calls."""
    now = now or timezone.now()
    contests = [
        ContestIndexRow(
            contest=c,
            regional=contest_stage(c, Stage.Level.REGIONAL),
            stage=_current_stage(list(c.stages.all()), now),
            taking_applications=contest_taking_applications(c, now),
        )
        for c in contests_list()
    ]
    calls = [(c, call_taking_applications(c, now)) for c in calls_list()]
    return PublicIndex(contests=contests, calls=calls)


def _current_stage(stages: list[Stage], now: dt.datetime) -> Stage | None:
    opened = [s for s in stages if s.opens_at <= now]
    if opened:
        return max(opened, key=lambda s: s.opens_at)
    return min(stages, key=lambda s: s.opens_at) if stages else None


@dataclass(frozen=True)
class ContestOverview:
    contest: Contest
    regional: Stage | None
    republican: Stage | None
    criteria: list[Criterion]
    total_weight: Decimal
    regions: list[RegionResult]
    taking_applications: bool
    who_may_apply: list[str]


def contest_overview(contest_id: int, *, now: dt.datetime | None = None) -> ContestOverview:
    """A contest's public page: stages, criteria, and per region how many applications are
    eligible and whether the region's result is approved (no names before approval)."""
    contest = contest_get(contest_id)
    criteria = criteria_list(contest=contest)
    return ContestOverview(
        contest=contest,
        regional=contest_stage(contest, Stage.Level.REGIONAL),
        republican=contest_stage(contest, Stage.Level.REPUBLICAN),
        criteria=criteria,
        total_weight=sum((c.weight for c in criteria), Decimal(0)),
        regions=contest_results(contest).regions,
        taking_applications=contest_taking_applications(contest, now),
        who_may_apply=_kind_labels(contest.eligible_kinds),
    )


def _kind_labels(kinds: list[str]) -> list[str]:
    return [str(ApplicantKind(k).label) for k in kinds if k in ApplicantKind.values]


@dataclass(frozen=True)
class CallOverview:
    call: GrantCall
    criteria: list[Criterion]
    bands: list[BandLimits]
    dashboard: CallDashboard
    # The people the grantees reached as the public sees them: rounded to `threshold`, or
    # None when fewer (see qoldau.projects.impact.public_count).
    people_reached: int | None
    threshold: int
    taking_applications: bool
    who_may_apply: list[str]


def call_overview(call_id: int, *, now: dt.datetime | None = None) -> CallOverview:
    """A call's public page: its terms, the grant sizes in tenge, and its public dashboard
    with its count of people made public as every public figure is (rounded, hidden
    when small)."""

    from qoldau.projects.impact import public_count

    call = call_get(call_id)
    opened = timezone.localdate(call.opens_at)
    bands = []
    for kind in call.bands:
        try:
            bands.append(band_limits(kind, opened))
        except (ValidationFailed, KeyError):
            continue
    board = call_dashboard(call)
    threshold = settings.QOLDAU_SUPPRESSION_THRESHOLD
    return CallOverview(
        call=call,
        criteria=criteria_list(call=call),
        bands=bands,
        dashboard=board,
        people_reached=public_count(board.people_reached, threshold),
        threshold=threshold,
        taking_applications=call_taking_applications(call, now),
        who_may_apply=_kind_labels(call.eligible_kinds),
    )
