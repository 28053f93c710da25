"""A commission's work: the applications it scores, a member's worklist and score sheets, the
secretary's eligibility queue, the live ranking with what is still missing, and the log
of who scored what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from qoldau.contests import policy
from qoldau.contests.models import (
    Application,
    Commission,
    CommissionMember,
    ConflictOfInterest,
    Criterion,
    RankedApplication,
    Score,
)
from qoldau.contests.ranking import CriterionScale, RankingResult, rank_applications
from qoldau.contests.rules import prize_places, scale_of
from qoldau.contests.selectors.commissions import seats_of_user
from qoldau.contests.selectors.setup import criteria_of
from qoldau.core.errors import NotFound
from qoldau.core.i18n import in_language
from qoldau.core.models import AuditEntry
from qoldau.core.services import Actor


def reviewed_applications(commission: Commission) -> QuerySet[Application]:
    """The eligible applications a commission scores (of those it reviews, see the policy)."""
    return policy.applications_reviewed_by(commission).filter(status=Application.Status.ELIGIBLE)


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


def member_worklist(
    user: Actor, commission: Commission, *, seat: policy.SeatGiven = policy.UNREAD
) -> Worklist:
    """The applications a member scores, with how many criteria they have scored in each and
    whether they are in conflict with it (declared, or by their organisation: the policy's
    conflict rule for many applications at once). One query for the rows whatever their
    number."""
    held = policy.read_seat(user, commission, seat)
    criteria_count = len(criteria_of(commission))
    member_id = int(user.pk or 0)
    organisations = policy.organisations_of([member_id])
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
                conflict=bool(conflict) or policy.connected(member_id, applicant_id, org_id, organisations),
            )
        )
    return Worklist(commission=commission, seat=held, criteria_count=criteria_count, rows=rows)


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
    seat: CommissionMember
    application: Application
    lines: list[ScoreSheetLine]
    conflict: bool
    may_score: bool


def score_sheet(
    user: Actor, commission: Commission, application_id: int, *, seat: policy.SeatGiven = policy.UNREAD
) -> ScoreSheet:
    """A member's score sheet for one eligible application of their commission, and whether
    they may score it now."""
    held = policy.check_may_work_on_commission(user, commission, seat=seat)
    application = (
        reviewed_applications(commission).filter(pk=application_id).select_related("project").first()
    )
    if application is None:
        raise NotFound(policy.OUTSIDE_COMMISSION)
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
    conflict = policy.in_conflict(user, commission, application)
    return ScoreSheet(
        commission=commission,
        seat=held,
        application=application,
        lines=lines,
        conflict=conflict,
        may_score=policy.may_score(user, commission, application, seat=held, conflict=conflict)
        and commission.approved_at is None,
    )


def score_form_lines(commission_id: int) -> tuple[Commission, list[ScoreSheetLine]]:
    """The commission and the criteria with their scales that a posted score sheet is read
    against. Who may score is not asked here: the scoring service asks it, reading the seat
    once under its lock, and a page shows nothing of this before the service or the score
    sheet has let the user see it. A missing commission is not found as one the user does
    not sit on."""
    commission = (
        Commission.objects.select_related("contest", "call", "region").filter(pk=commission_id).first()
    )
    if commission is None:
        raise NotFound(policy.NOT_ON_COMMISSION)
    lines = []
    for criterion in criteria_of(commission):
        low, high = scale_of(commission, criterion)
        lines.append(ScoreSheetLine(criterion=criterion, low=low, high=high, value=None, comment=""))
    return commission, lines


def application_for_commission(
    user: Actor, commission: Commission, application_id: int, *, seat: policy.SeatGiven = policy.UNREAD
) -> Application:
    """An application a member of the commission acts on (scores, conflicts): one before the
    commission. Any other, whatever its state, is not found exactly as a missing one is, so
    a member of one commission learns nothing of another's applications; the services then
    refuse what the state does not allow."""
    policy.check_may_work_on_commission(user, commission, seat=seat)
    application = (
        policy.applications_before_commission(commission)
        .select_related("contest", "call", "project")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound(policy.APPLICATION_HIDDEN)
    return application


def conflict_declared(
    user: Actor, commission: Commission, application: Application
) -> ConflictOfInterest | None:
    """The conflict of interest the user declared with an application, if any."""
    return ConflictOfInterest.objects.filter(
        commission=commission, application=application, member_id=user.pk
    ).first()


def eligibility_queue(
    user: Actor, commission: Commission, *, seat: policy.SeatGiven = policy.UNREAD
) -> list[Application]:
    """Submitted applications a commission's secretary checks, and those already decided."""
    policy.check_may_check_eligibility(user, commission, seat=seat)
    return list(
        policy.applications_checked_by(commission)
        .filter(
            status__in=[
                Application.Status.SUBMITTED,
                Application.Status.ELIGIBLE,
                Application.Status.INELIGIBLE,
            ]
        )
        .select_related("project", "organisation", "region")
        .order_by("status", "number")
    )


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
            worklist = member_worklist(user, seat.commission, seat=seat)
            done, total = worklist.done, len(worklist.rows)
        result.append(SeatProgress(seat=seat, done=done, total=total))
    return result


def next_to_score(
    user: Actor, commission: Commission, after_application_id: int, *, seat: policy.SeatGiven = policy.UNREAD
) -> int | None:
    """The next application (in receipt-number order, wrapping round) the member still has
    to score, or None when every one is scored or in conflict."""
    worklist = member_worklist(user, commission, seat=seat)
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


def commission_ranking(commission: Commission) -> RankingResult:
    """The live ranking of a commission's eligible applications by the documented method."""
    criteria = criteria_of(commission)
    scales = []
    for criterion in criteria:
        low, high = scale_of(commission, criterion)
        scales.append(CriterionScale(criterion.pk, float(criterion.weight), float(low), float(high)))
    applications = {
        pk: (submitted_at, number or "")
        for pk, submitted_at, number in reviewed_applications(commission).values_list(
            "pk", "submitted_at", "number"
        )
    }
    # Cast in the database: the same floats as float(Decimal) for two-decimal scores, without
    # a Decimal per row (140,000 rows for 2,000 applications; see docs/PERFORMANCE.md).
    scores = (
        Score.objects.filter(commission=commission)
        .annotate(as_float=Cast("value", FloatField()))
        .values_list("application_id", "member_id", "criterion_id", "as_float")
    )
    return rank_applications(
        criteria=scales,
        scores=scores,
        applications=applications,
        outlier_points=settings.QOLDAU_CONTEST_OUTLIER_POINTS,
    )


@dataclass
class ScoringGaps:
    """Who still has to score what before a result can be approved."""

    missing: dict[int, list[int]] = field(default_factory=dict)  # member → applications

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.missing.values())

    def members(self) -> list[MissingSheets]:
        """Whose sheets are missing, by name, with how many each: what a refusal and the
        ranking page name, so the chair knows whom to ask."""
        if not self.missing:
            return []
        users = User.objects.in_bulk(list(self.missing))
        lines = [
            MissingSheets(name=users[pk].get_full_name() or users[pk].get_username(), sheets=len(ids))
            for pk, ids in self.missing.items()
            if pk in users
        ]
        return sorted(lines, key=lambda line: line.name)

    def named(self) -> str:
        """ "Name (2), Other name (1)": the members and how many sheets each still owes."""
        return ", ".join(f"{line.name} ({line.sheets})" for line in self.members())


@dataclass(frozen=True)
class MissingSheets:
    name: str
    sheets: int


def scoring_members(commission: Commission) -> int:
    """How many of the commission score (everyone on it but its secretary)."""
    return (
        CommissionMember.objects.filter(commission=commission)
        .exclude(role=CommissionMember.Role.SECRETARY)
        .count()
    )


def scoring_gaps(commission: Commission) -> ScoringGaps:
    """Every scoring member without a conflict must have scored every criterion of every
    eligible application."""
    needed = len(criteria_of(commission))
    scorers = list(
        CommissionMember.objects.filter(commission=commission)
        .exclude(role=CommissionMember.Role.SECRETARY)
        .values_list("user_id", flat=True)
    )
    applications = list(
        reviewed_applications(commission).values_list("pk", "applicant_id", "organisation_id")
    )
    counts: dict[tuple[int, int], int] = {}
    for application_id, member_id in Score.objects.filter(commission=commission).values_list(
        "application_id", "member_id"
    ):
        counts[(application_id, member_id)] = counts.get((application_id, member_id), 0) + 1
    conflicts = set(
        ConflictOfInterest.objects.filter(commission=commission).values_list("application_id", "member_id")
    )
    organisations = policy.organisations_of(scorers)
    gaps = ScoringGaps()
    for application_id, applicant_id, organisation_id in applications:
        for member_id in scorers:
            if (application_id, member_id) in conflicts or policy.connected(
                member_id, applicant_id, organisation_id, organisations
            ):
                continue
            if counts.get((application_id, member_id), 0) < needed:
                gaps.missing.setdefault(member_id, []).append(application_id)
    return gaps


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
    missing_by_member: list[MissingSheets] = field(default_factory=list)


def commission_result(
    user: Actor | None, commission: Commission, *, seat: policy.SeatGiven = policy.UNREAD
) -> CommissionResult:
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
    policy.check_may_see_live_ranking(user, commission, seat=seat)
    live: RankingResult = commission_ranking(commission)
    applications = {
        a.pk: a for a in reviewed_applications(commission).select_related("project", "region", "organisation")
    }
    names = dict(
        CommissionMember.objects.filter(commission=commission).values_list("user_id", "user__username")
    )
    places = prize_places(commission)
    gaps = scoring_gaps(commission)
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
        missing_sheets=gaps.count,
        missing_by_member=gaps.members(),
    )


def score_log(
    user: Actor, commission: Commission, limit: int = 500, *, seat: policy.SeatGiven = policy.UNREAD
) -> list[AuditEntry]:
    """Who scored what and when in a commission (from the audit log): its chair and
    secretary, those who set it up, and system administrators."""
    policy.check_may_read_score_log(user, commission, seat=seat)
    return list(
        AuditEntry.objects.filter(
            action__in=["commission.score", "commission.conflict_declare", "commission.approve"],
        )
        .filter(
            Q(details__commission=commission.pk) | Q(object_type="commission", object_id=str(commission.pk))
        )
        .order_by("-at", "-id")[:limit]
    )


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


def score_log_lines(
    user: Actor, commission: Commission, limit: int = 500, *, seat: policy.SeatGiven = policy.UNREAD
) -> list[ScoreLogLine]:
    """`score_log` with the applications and criteria named: two more queries."""
    entries = score_log(user, commission, limit=limit, seat=seat)
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
