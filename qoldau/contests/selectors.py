"""Reads of contests and grants, each with its access check. Pages and the API call these;
none of them writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests.grants import BandLimits, band_limits
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    ApplicationDocument,
    ArchivedLaureate,
    ArchivePeriod,
    Commission,
    CommissionMember,
    ConflictOfInterest,
    Contest,
    Criterion,
    GrantAward,
    GrantCall,
    GranteeReport,
    RankedApplication,
    Score,
    Stage,
    Tranche,
)
from qoldau.contests.ranking import RankingResult
from qoldau.contests.services import (
    commission_ranking,
    connected,
    criteria_of,
    is_connected,
    may_act_for_application,
    may_run_call,
    may_set_up_commission,
    organisations_of,
    prize_places,
    reviewed_applications,
    reviews,
    scale_of,
    scoring_gaps,
    seat_of,
)
from qoldau.core.access import user_scope
from qoldau.core.audit import audit_record
from qoldau.core.errors import NotFound
from qoldau.core.i18n import in_language
from qoldau.core.models import AuditEntry, Organisation, Place
from qoldau.core.services import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from qoldau.projects.models import Indicator, Project

# Contests and calls (public) ------------------------------------------------------------


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


# Applications ---------------------------------------------------------------------------


def applications_of_user(user: Actor) -> QuerySet[Application]:
    """Applications the user made, and those of the organisations they work for."""
    if not user.is_authenticated:
        return Application.objects.none()
    scope = user_scope(user)
    return (
        Application.objects.filter(Q(applicant_id=user.pk) | Q(organisation_id__in=scope.organisation_ids))
        .select_related("contest", "call", "region", "organisation", "project")
        .order_by("-created_at", "-pk")
    )


def may_see_application(user: Actor, application: Application) -> bool:
    """The applicant's side; members of a commission that reviews it; officers of its region,
    the ministry; the call's operator; system administrators."""
    if not user.is_authenticated:
        return False
    if may_act_for_application(user, application):
        return True
    scope = user_scope(user)
    if scope.system_admin or scope.national or application.region_id in scope.region_ids:
        return application.status != Application.Status.DRAFT
    if application.status == Application.Status.DRAFT:
        return False
    if application.call_id is not None and may_run_call(user, application.call):  # type: ignore[arg-type]
        return True
    seats = CommissionMember.objects.filter(user_id=user.pk).select_related("commission")
    return any(reviews(seat.commission, application) for seat in seats)


def application_get_for_user(user: Actor, application_id: int) -> Application:
    application = (
        Application.objects.select_related(
            "contest", "call", "region", "organisation", "project", "applicant"
        )
        .prefetch_related("documents", "budget_lines", "categories")
        .filter(pk=application_id)
        .first()
    )
    if application is None or not may_see_application(user, application):
        raise NotFound(_("There is no such application, or it is outside your scope."))
    return application


# Commissions ----------------------------------------------------------------------------


def seats_of_user(user: Actor) -> list[CommissionMember]:
    """The commissions a user sits on, with their role in each."""
    if not user.is_authenticated:
        return []
    return list(
        CommissionMember.objects.filter(user_id=user.pk).select_related(
            "commission__contest", "commission__call", "commission__region"
        )
    )


def commission_regions(user: Actor) -> list[Place]:
    """The regions whose contest commissions a user may set up: every region for the
    ministry, their own for an akimat officer."""
    scope = user_scope(user)
    regions = Place.objects.filter(level=Place.Level.REGION).order_by("kato")
    if scope.system_admin or scope.national:
        return list(regions)
    return list(regions.filter(pk__in=scope.region_ids))


def call_operators(user: Actor) -> list[Organisation]:
    """The organisations a user may open a grant call for: any for the ministry, those they
    administer otherwise."""
    scope = user_scope(user)
    if scope.system_admin or scope.national:
        return list(Organisation.objects.order_by("name_kk"))
    return list(Organisation.objects.filter(pk__in=scope.admin_organisation_ids).order_by("name_kk"))


def commissions_of_contest(contest: Contest) -> list[Commission]:
    return list(
        Commission.objects.filter(contest=contest)
        .select_related("region")
        .annotate(member_count=Count("members"))
        .order_by("level", "region__kato")
    )


def may_see_commission(user: Actor, commission: Commission) -> bool:
    if seat_of(user, commission) is not None:
        return True
    return may_set_up_commission(user, commission.level, commission.region_id, commission.call)


def commission_get_for_user(user: Actor, commission_id: int) -> Commission:
    commission = (
        Commission.objects.select_related("contest", "call", "region", "approved_by")
        .filter(pk=commission_id)
        .first()
    )
    if commission is None or not may_see_commission(user, commission):
        raise NotFound(_("There is no such commission, or you do not sit on it."))
    return commission


def commission_members(commission: Commission) -> list[CommissionMember]:
    return list(
        commission.members.select_related("user").order_by("role", "user__last_name", "user__username")
    )


@dataclass(frozen=True)
class WorklistRow:
    application_id: int
    number: str
    title: str
    applicant_name: str
    region_id: int
    scored: int
    conflict: bool


@dataclass
class Worklist:
    commission: Commission
    seat: CommissionMember | None
    criteria_count: int
    rows: list[WorklistRow]

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.conflict or r.scored >= self.criteria_count)


def member_worklist(user: Actor, commission: Commission) -> Worklist:
    """The applications a member scores, with how many criteria they have scored in each and
    whether they are in conflict with it (declared, or by their organisation). One query for
    the rows whatever their number."""
    seat = seat_of(user, commission)
    criteria_count = len(criteria_of(commission))
    member_id = int(user.pk or 0)
    organisations = organisations_of([member_id])
    scored = (
        Score.objects.filter(commission=commission, application=OuterRef("pk"), member_id=user.pk)
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    declared = ConflictOfInterest.objects.filter(
        commission=commission, application=OuterRef("pk"), member_id=user.pk
    )
    rows = []
    for (
        pk,
        number,
        t_kk,
        t_ru,
        t_en,
        p_kk,
        p_ru,
        p_en,
        name,
        region_id,
        n,
        conflict,
        applicant_id,
        org_id,
    ) in (
        reviewed_applications(commission)
        .annotate(scored=scored, conflict=Exists(declared))
        .order_by("number", "pk")
        .values_list(
            "pk",
            "number",
            "title_kk",
            "title_ru",
            "title_en",
            "project__title_kk",
            "project__title_ru",
            "project__title_en",
            "applicant_name",
            "region_id",
            "scored",
            "conflict",
            "applicant_id",
            "organisation_id",
        )
    ):
        title = in_language({"kk": t_kk, "ru": t_ru, "en": t_en}) or in_language(
            {"kk": p_kk, "ru": p_ru, "en": p_en}
        )
        rows.append(
            WorklistRow(
                application_id=pk,
                number=number or "",
                title=title,
                applicant_name=name,
                region_id=region_id,
                scored=n or 0,
                conflict=bool(conflict) or connected(member_id, applicant_id, org_id, organisations),
            )
        )
    return Worklist(commission=commission, seat=seat, criteria_count=criteria_count, rows=rows)


@dataclass(frozen=True)
class ScoreSheetLine:
    criterion: Criterion
    low: int
    high: int
    value: Decimal | None
    comment: str


@dataclass
class ScoreSheet:
    commission: Commission
    application: Application
    lines: list[ScoreSheetLine]
    conflict: bool
    may_score: bool


def score_sheet(user: Actor, commission: Commission, application_id: int) -> ScoreSheet:
    """A member's score sheet for one application of their commission."""
    seat = seat_of(user, commission)
    if seat is None:
        raise NotFound(_("There is no such commission, or you do not sit on it."))
    application = (
        reviewed_applications(commission).filter(pk=application_id).select_related("project").first()
    )
    if application is None:
        raise NotFound(_("This application is not one of your commission's."))
    own = {
        s.criterion_id: s
        for s in Score.objects.filter(commission=commission, application=application, member_id=user.pk)
    }
    lines = []
    for criterion in criteria_of(commission):
        low, high = scale_of(commission, criterion)
        mine = own.get(criterion.pk)
        lines.append(
            ScoreSheetLine(
                criterion=criterion,
                low=low,
                high=high,
                value=mine.value if mine else None,
                comment=mine.comment if mine else "",
            )
        )
    conflict = ConflictOfInterest.objects.filter(
        commission=commission, application=application, member_id=user.pk
    ).exists() or is_connected(int(user.pk or 0), application)
    return ScoreSheet(
        commission=commission,
        application=application,
        lines=lines,
        conflict=conflict,
        may_score=seat.scores and not conflict and commission.approved_at is None,
    )


@dataclass(frozen=True)
class RankingRow:
    rank: int
    application: Application
    score: float
    standardised: float
    place: int | None
    members: int
    outliers: list[str]


@dataclass
class CommissionResult:
    commission: Commission
    approved: bool
    rows: list[RankingRow]
    unscored: list[Application] = field(default_factory=list)
    missing_sheets: int = 0


def commission_result(user: Actor | None, commission: Commission) -> CommissionResult:
    """The commission's ranking: once approved, the frozen result (public); before that,
    the live ranking with outlier flags and what is still missing — for the commission and
    those who set it up only."""
    if commission.approved_at is not None:
        ranked = list(
            RankedApplication.objects.filter(commission=commission)
            .select_related("application__project", "application__region", "application__organisation")
            .order_by("rank")
        )
        return CommissionResult(
            commission=commission,
            approved=True,
            rows=[
                RankingRow(
                    rank=r.rank,
                    application=r.application,
                    score=float(r.score),
                    standardised=float(r.standardised),
                    place=r.place,
                    members=0,
                    outliers=[],
                )
                for r in ranked
            ],
        )
    if user is None or not may_see_commission(user, commission):
        raise NotFound(_("The commission has not approved its result yet."))
    live: RankingResult = commission_ranking(commission)
    applications = {
        a.pk: a for a in reviewed_applications(commission).select_related("project", "region", "organisation")
    }
    names = dict(
        CommissionMember.objects.filter(commission=commission).values_list("user_id", "user__username")
    )
    places = prize_places(commission)
    return CommissionResult(
        commission=commission,
        approved=False,
        rows=[
            RankingRow(
                rank=line.rank,
                application=applications[line.application_id],
                score=line.score,
                standardised=line.standardised,
                place=line.rank if line.rank <= places else None,
                members=len(line.marks),
                outliers=[names.get(m, str(m)) for m in line.outliers],
            )
            for line in live.lines
        ],
        unscored=[applications[pk] for pk in live.unscored],
        missing_sheets=scoring_gaps(commission).count,
    )


def score_log(user: Actor, commission: Commission, limit: int = 500) -> list[AuditEntry]:
    """Who scored what and when in a commission (from the audit log): its chair and
    secretary, those who set it up, and system administrators."""
    seat = seat_of(user, commission)
    if not (
        (seat is not None and seat.role != CommissionMember.Role.MEMBER)
        or may_set_up_commission(user, commission.level, commission.region_id, commission.call)
    ):
        raise NotFound(_("There is no such commission, or you do not sit on it."))
    return list(
        AuditEntry.objects.filter(
            action__in=["commission.score", "commission.conflict_declare", "commission.approve"],
        )
        .filter(
            Q(details__commission=commission.pk) | Q(object_type="commission", object_id=str(commission.pk))
        )
        .order_by("-at", "-id")[:limit]
    )


def eligibility_queue(user: Actor, commission: Commission) -> list[Application]:
    """Submitted applications a commission's secretary checks, and those already decided."""
    seat = seat_of(user, commission)
    if seat is None or seat.role != CommissionMember.Role.SECRETARY:
        raise NotFound(_("Only the commission's secretary checks eligibility."))
    qs = Application.objects.filter(
        status__in=[Application.Status.SUBMITTED, Application.Status.ELIGIBLE, Application.Status.INELIGIBLE]
    ).select_related("project", "organisation", "region")
    if commission.level == Commission.Level.GRANT:
        qs = qs.filter(call_id=commission.call_id)
    else:
        qs = qs.filter(contest=commission.contest, region=commission.region)
    return list(qs.order_by("status", "number"))


@dataclass(frozen=True)
class SeatProgress:
    """A user's seat on a commission with their scoring progress there (scorers only)."""

    seat: CommissionMember
    done: int
    total: int


def seats_with_progress(user: Actor) -> list[SeatProgress]:
    """The commissions a user sits on, each with how many of its applications they have
    scored completely (or are in conflict with) out of all. A few queries per seat; a
    person sits on few commissions."""
    result = []
    for seat in seats_of_user(user):
        done = total = 0
        if seat.scores:
            worklist = member_worklist(user, seat.commission)
            done, total = worklist.done, len(worklist.rows)
        result.append(SeatProgress(seat=seat, done=done, total=total))
    return result


def next_to_score(user: Actor, commission: Commission, after_application_id: int) -> int | None:
    """The next application (in receipt-number order, wrapping round) the member still has
    to score, or None when every one is scored or in conflict."""
    worklist = member_worklist(user, commission)
    todo = [
        r.application_id
        for r in worklist.rows
        if not r.conflict and r.scored < worklist.criteria_count and r.application_id != after_application_id
    ]
    if not todo:
        return None
    ids = [r.application_id for r in worklist.rows]
    position = ids.index(after_application_id) if after_application_id in ids else -1
    later = [pk for pk in todo if ids.index(pk) > position]
    return (later or todo)[0]


def conflict_declared(
    user: Actor, commission: Commission, application: Application
) -> ConflictOfInterest | None:
    """The conflict of interest the user declared with an application, if any."""
    return ConflictOfInterest.objects.filter(
        commission=commission, application=application, member_id=user.pk
    ).first()


@dataclass(frozen=True)
class ScoreLogLine:
    at: dt.datetime
    username: str
    action: str
    application_number: str
    application_title: str
    # (criterion name, value) in the criteria's order; empty for other actions.
    values: list[tuple[str, str]]
    details: dict[str, object]


def score_log_lines(user: Actor, commission: Commission, limit: int = 500) -> list[ScoreLogLine]:
    """`score_log` with the applications and criteria named: two more queries."""
    entries = score_log(user, commission, limit=limit)
    criteria = criteria_of(commission)
    application_ids = {
        int(e.object_id) for e in entries if e.object_type == "application" and e.object_id.isdigit()
    }
    applications = {
        a.pk: a for a in Application.objects.filter(pk__in=application_ids).select_related("project")
    }
    lines = []
    for entry in entries:
        application = (
            applications.get(int(entry.object_id))
            if entry.object_type == "application" and entry.object_id.isdigit()
            else None
        )
        given = entry.details.get("scores") if isinstance(entry.details, dict) else None
        values = (
            [(c.name, str(given[str(c.pk)])) for c in criteria if str(c.pk) in given]
            if isinstance(given, dict)
            else []
        )
        lines.append(
            ScoreLogLine(
                at=entry.at,
                username=entry.actor_username,
                action=entry.action,
                application_number=(application.number or "") if application else "",
                application_title=application.title if application else "",
                values=values,
                details=entry.details if isinstance(entry.details, dict) else {},
            )
        )
    return lines


# Results (public) -----------------------------------------------------------------------


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
    from django.conf import settings

    from qoldau.core.errors import ValidationFailed
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


# Grants ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallDashboard:
    call: GrantCall
    applied: int
    requested: Decimal
    eligible: int
    awarded: int
    awarded_amount: Decimal
    paid_amount: Decimal
    left: Decimal
    people_reached: int
    reports_due: int
    reports_overdue: int
    by_region: list[tuple[str, int, int, Decimal]]  # region, applied, awarded, amount


def call_dashboard(call: GrantCall, *, today: dt.date | None = None) -> CallDashboard:
    """A call's figures: applied, awarded, paid, and the distinct people the grantees'
    projects reached through their deliveries since the call opened. Aggregates only."""
    from qoldau.projects.impact import ImpactFilter, impact_report

    today = today or timezone.localdate()
    submitted = Application.objects.filter(call=call).exclude(
        status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN]
    )
    applied = submitted.aggregate(n=Count("pk"), amount=Sum("requested_amount"))
    awards = GrantAward.objects.filter(call=call)
    awarded = awards.aggregate(n=Count("pk"), amount=Sum("amount"))
    paid = Tranche.objects.filter(award__call=call, paid_on__isnull=False).aggregate(amount=Sum("amount"))[
        "amount"
    ]
    project_ids = tuple(
        sorted(set(awards.exclude(project__isnull=True).values_list("project_id", flat=True)))
    )
    people = 0
    if project_ids:
        report = impact_report(
            None,
            ImpactFilter(project_ids=project_ids, date_from=timezone.localdate(call.opens_at), date_to=today),
            with_projects=False,
            with_totals=False,
        )
        people = report.people_reached
    open_reports = GranteeReport.objects.filter(
        award__call=call, status__in=[GranteeReport.Status.DUE, GranteeReport.Status.RETURNED]
    )
    applied_in: dict[str, int] = {}
    awarded_in: dict[str, int] = {}
    amount_in: dict[str, Decimal] = {}
    for name_kk, name_ru, name_en, award_id, amount in submitted.values_list(
        "region__name_kk", "region__name_ru", "region__name_en", "award__pk", "award__amount"
    ):
        label = in_language({"kk": name_kk, "ru": name_ru, "en": name_en})
        applied_in[label] = applied_in.get(label, 0) + 1
        if award_id is not None:
            awarded_in[label] = awarded_in.get(label, 0) + 1
            amount_in[label] = amount_in.get(label, Decimal(0)) + (amount or 0)
    awarded_amount = awarded["amount"] or Decimal(0)
    return CallDashboard(
        call=call,
        applied=applied["n"] or 0,
        requested=applied["amount"] or Decimal(0),
        eligible=submitted.filter(status=Application.Status.ELIGIBLE).count(),
        awarded=awarded["n"] or 0,
        awarded_amount=awarded_amount,
        paid_amount=paid or Decimal(0),
        left=call.budget - awarded_amount,
        people_reached=people,
        reports_due=open_reports.filter(due_on__gte=today).count(),
        reports_overdue=open_reports.filter(due_on__lt=today).count(),
        by_region=[
            (label, applied_in[label], awarded_in.get(label, 0), amount_in.get(label, Decimal(0)))
            for label in sorted(applied_in)
        ],
    )


def call_awards(user: Actor, call: GrantCall) -> list[GrantAward]:
    """The call's awards with tranches and reports: for its operator."""
    if not may_run_call(user, call):
        raise NotFound(_("Only the call's operator manages its awards."))
    return list(
        GrantAward.objects.filter(call=call)
        .select_related("application__organisation", "application__region", "project")
        .prefetch_related("tranches", "reports")
        .order_by("application__number")
    )


def awards_of_user(user: Actor) -> list[GrantAward]:
    """Grants the user's organisations (or the user) received."""
    if not user.is_authenticated:
        return []
    scope = user_scope(user)
    return list(
        GrantAward.objects.filter(
            Q(application__applicant_id=user.pk) | Q(application__organisation_id__in=scope.organisation_ids)
        )
        .select_related("call", "application", "project")
        .prefetch_related("tranches", "reports")
    )


def award_get_for_user(user: Actor, award_id: int) -> GrantAward:
    award = (
        GrantAward.objects.select_related("call__operator", "application__organisation", "project")
        .prefetch_related("tranches", "reports__indicator_values")
        .filter(pk=award_id)
        .first()
    )
    if award is None or not (
        may_act_for_application(user, award.application) or may_run_call(user, award.call)
    ):
        raise NotFound(_("There is no such grant, or it is outside your scope."))
    return award


def report_get_for_user(user: Actor, report_id: int) -> GranteeReport:
    report = (
        GranteeReport.objects.select_related("award__call", "award__application").filter(pk=report_id).first()
    )
    if report is None:
        raise NotFound(_("There is no such report."))
    award_get_for_user(user, report.award_id)
    return report


def audit_application_read(user: Actor, application: Application) -> None:
    """Applications carry no personal data of beneficiaries; reading one by a commission is
    still recorded, so the applicant can learn who looked at it."""
    audit_record(
        user,
        "application.read",
        object_type="application",
        object_id=application.pk,
        organisation_id=application.organisation_id,
    )


# The applicant's side (pages of applications and grantees) ------------------------------


def applicant_organisations(user: Actor) -> list[Organisation]:
    """The organisations a user may apply for: those they work for (by their roles)."""
    if not user.is_authenticated:
        return []
    ids = user_scope(user).organisation_ids
    return list(Organisation.objects.filter(pk__in=ids).order_by("name_kk", "pk"))


def applicant_projects(user: Actor) -> list[Project]:
    """Projects an application may name: those of the organisations the user works for."""
    if not user.is_authenticated:
        return []
    from qoldau.projects.models import Project

    ids = user_scope(user).organisation_ids
    return list(
        Project.objects.filter(organisation_id__in=ids)
        .select_related("organisation")
        .order_by("organisation__name_kk", "title_kk", "pk")
    )


def application_deadline(application: Application) -> dt.datetime | None:
    """Until when the application may be submitted (the regional stage's or the call's
    deadline); uses prefetched stages when there are any."""
    if application.call is not None:
        return application.call.deadline
    if application.contest is not None:
        stage = contest_stage(application.contest, Stage.Level.REGIONAL)
        return stage.deadline if stage is not None else None
    return None


@dataclass(frozen=True)
class MyApplication:
    application: Application
    deadline: dt.datetime | None


@dataclass(frozen=True)
class MyGrant:
    award: GrantAward
    next_tranche: Tranche | None
    next_report: GranteeReport | None


@dataclass
class ApplicantOverview:
    applications: list[MyApplication]
    grants: list[MyGrant]


def applicant_overview(user: Actor) -> ApplicantOverview:
    """A user's applications (with their deadlines) and grants (with the next tranche and
    the next report due), in a fixed number of queries."""
    applications = list(applications_of_user(user).prefetch_related("contest__stages"))
    grants = []
    for award in awards_of_user(user):
        tranches = sorted(award.tranches.all(), key=lambda t: (t.due_on, t.number))
        reports = sorted(award.reports.all(), key=lambda r: (r.due_on, r.kind))
        grants.append(
            MyGrant(
                award=award,
                next_tranche=next((t for t in tranches if t.paid_on is None), None),
                next_report=next(
                    (
                        r
                        for r in reports
                        if r.status in (GranteeReport.Status.DUE, GranteeReport.Status.RETURNED)
                    ),
                    None,
                ),
            )
        )
    return ApplicantOverview(
        applications=[MyApplication(a, application_deadline(a)) for a in applications], grants=grants
    )


def application_results(application: Application) -> list[RankedApplication]:
    """The application's places in approved results only (a result is public once approved)."""
    return list(
        RankedApplication.objects.filter(application=application, commission__approved_at__isnull=False)
        .select_related("commission__region")
        .order_by("commission__level", "pk")
    )


def application_award(application: Application) -> GrantAward | None:
    return GrantAward.objects.filter(application=application).first()


@dataclass(frozen=True)
class ReportIndicator:
    indicator: Indicator
    value: Decimal | None


def report_indicators(report: GranteeReport) -> list[ReportIndicator]:
    """The indicators of the grant's project a report gives values for, with the values
    given so far; none until the grantee links its project."""
    from qoldau.projects.models import Indicator

    project_id = report.award.project_id
    if project_id is None:
        return []
    given = dict(report.indicator_values.values_list("indicator_id", "value"))
    return [
        ReportIndicator(indicator=i, value=given.get(i.pk))
        for i in Indicator.objects.filter(project_id=project_id).order_by("pk")
    ]


# For the JSON API (helper h1) -----------------------------------------------------------


def user_by_username(username: str) -> User:
    """The active account with this user name, for seating on a commission."""
    from django.contrib.auth.models import User

    account = User.objects.filter(username=username.strip(), is_active=True).first()
    if account is None:
        raise NotFound(_("There is no user %(username)s.") % {"username": username.strip()}, field="username")
    return account


def application_for_commission(user: Actor, commission: Commission, application_id: int) -> Application:
    """An application a member of the commission acts on (scores, conflicts): one the
    commission reviews, in any state but a draft. Any other, whatever its state, is not
    found exactly as a missing one is, so a member of one commission learns nothing of
    another's applications; the services then refuse what the state does not allow."""
    if seat_of(user, commission) is None:
        raise NotFound(_("There is no such commission, or you do not sit on it."))
    application = (
        Application.objects.select_related("contest", "call", "project").filter(pk=application_id).first()
    )
    if (
        application is None
        or application.status == Application.Status.DRAFT
        or not reviews(commission, application)
    ):
        raise NotFound(_("There is no such application, or it is outside your scope."))
    return application


def tranche_get_for_user(user: Actor, tranche_id: int) -> Tranche:
    tranche = Tranche.objects.select_related("award__call").filter(pk=tranche_id).first()
    if tranche is None:
        raise NotFound(_("There is no such tranche."))
    award_get_for_user(user, tranche.award_id)
    return tranche


def call_commission(call: GrantCall) -> Commission | None:
    """The commission that reviews a grant call's applications, if it is set up."""
    return Commission.objects.filter(call=call, level=Commission.Level.GRANT).first()


def award_reports(award: GrantAward) -> list[GranteeReport]:
    """An award's reports with the indicator values the grantee reported (and their
    indicators), for the operator's review."""
    return list(
        GranteeReport.objects.filter(award=award)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related("indicator_values__indicator")
        .order_by("due_on", "kind", "pk")
    )


def document_get_for_user(user: Actor, application_id: int, document_id: int) -> ApplicationDocument:
    """An application's document, for whoever may see the application (its applicant side,
    its commissions, officers, the call's operator); each download is audited."""
    application = application_get_for_user(user, application_id)
    document = ApplicationDocument.objects.filter(pk=document_id, application=application).first()
    if document is None:
        raise NotFound(_("There is no such document."))
    audit_record(
        user,
        "application.document_read",
        object_type="application",
        object_id=application.pk,
        organisation_id=application.organisation_id,
        details={"document": document.pk},
    )
    return document
