"""A commission's review: eligibility (the secretary), conflicts of interest, scores (the
chair and members) and the approval of the result (the chair), after which the scores and
the result are frozen and a region's first places advance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.models import (
    Application,
    Commission,
    CommissionMember,
    ConflictOfInterest,
    RankedApplication,
    Score,
)
from qoldau.contests.rules import contest_of, prize_places, scale_of
from qoldau.contests.selectors import (
    application_for_commission,
    commission_ranking,
    criteria_of,
    reviewed_applications,
    scoring_gaps,
)
from qoldau.contests.services.applications import notify_applicant
from qoldau.contests.services.commissions import check_not_approved
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, NotFound, ValidationFailed
from qoldau.core.services import Actor, acting_user, require_text
from qoldau.core.transactions import check_in_transaction


def eligibility_decide(
    *, actor: Actor, application: Application, eligible: bool, reason: str = ""
) -> Application:
    """The secretary of the reviewing commission records whether an application is
    eligible; a refusal needs its reason, which the applicant receives."""
    with transaction.atomic(durable=True):
        return eligibility_decide_in_transaction(
            actor=actor, application=application, eligible=eligible, reason=reason
        )


def eligibility_decide_in_transaction(
    *, actor: Actor, application: Application, eligible: bool, reason: str = ""
) -> Application:
    """`eligibility_decide` inside the caller's transaction."""
    check_in_transaction()
    commission = policy.check_may_decide_eligibility(
        actor, application, commission=policy.checking_commission(application)
    )
    check_not_approved(commission)
    reason = reason.strip()
    if not eligible and not reason:
        raise ValidationFailed(_("Give the reason the application is not eligible."), field="reason")
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (
        Application.Status.SUBMITTED,
        Application.Status.ELIGIBLE,
        Application.Status.INELIGIBLE,
    ):
        raise Conflict(
            _("Only submitted applications are checked for eligibility."), code=ContestErrorCode.NOT_SUBMITTED
        )
    if not eligible and Score.objects.filter(application=application, commission=commission).exists():
        raise Conflict(_("The application has been scored; it can no longer be found ineligible."))
    application.status = Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
    application.eligibility_reason = reason
    application.eligibility_checked_by = acting_user(actor)
    application.eligibility_checked_at = timezone.now()
    application.save(
        update_fields=[
            "status",
            "eligibility_reason",
            "eligibility_checked_by",
            "eligibility_checked_at",
            "updated_at",
        ]
    )
    audit_record(
        actor,
        "application.eligibility",
        object_type="application",
        object_id=application.pk,
        details={"eligible": eligible, "reason": reason},
    )
    if eligible:
        notify_applicant(
            application,
            kind="application.eligible",
            subject=_("Application %(number)s is eligible"),
            body=_(
                'Your application %(number)s "%(title)s" is eligible and goes to the commission for scoring.'
            ),
        )
    else:
        notify_applicant(
            application,
            kind="application.ineligible",
            subject=_("Application %(number)s is not eligible"),
            body=_('Your application %(number)s "%(title)s" is not eligible. The reason: %(reason)s'),
            reason=reason,
        )
    return application


def _actor_id(actor: Actor) -> int:
    return int(actor.pk or 0)


def conflict_declare(
    *, actor: Actor, commission: Commission, application: Application, reason: str
) -> ConflictOfInterest:
    """A member declares a connection; any scores they gave the application are withdrawn
    (the audit keeps them)."""
    policy.check_may_declare_conflict(actor, commission, application)
    check_not_approved(commission)
    reason = require_text(reason, "reason", message=_("Say how you are connected to the application."))
    with transaction.atomic(durable=True):
        # The caller's copy may be stale: re-read under the lock the approval takes.
        check_not_approved(Commission.objects.select_for_update().get(pk=commission.pk))
        try:
            with transaction.atomic():
                declared = ConflictOfInterest.objects.create(
                    commission=commission, member_id=_actor_id(actor), application=application, reason=reason
                )
        except IntegrityError as exc:
            raise Conflict(
                _("You have already declared this conflict."), code=ContestErrorCode.CONFLICT_EXISTS
            ) from exc
        withdrawn = Score.objects.filter(
            commission=commission, application=application, member_id=actor.pk
        ).delete()[0]
        audit_record(
            actor,
            "commission.conflict_declare",
            object_type="application",
            object_id=application.pk,
            details={"commission": commission.pk, "scores_withdrawn": withdrawn},
        )
    return declared


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    value: Decimal
    comment: str = ""


@dataclass(frozen=True)
class ScoresRecorded:
    """What a scoring answered: the scores, the application as it stood under the lock, and
    the member's seat, so that the page goes on (the next application to score) without
    reading the seat again."""

    scores: list[Score]
    application: Application
    seat: CommissionMember


def scores_record(
    *,
    actor: Actor,
    commission: Commission | int,
    application: Application | int,
    scores: Sequence[ScoreInput],
) -> ScoresRecorded:
    """Record (or change) a member's scores of an application, all or none: each within
    the scale, each criterion the commission's, before the result is approved. The
    commission and the application may be given by id: who may score is asked here, and
    only here, so a page or API call that scores reads the seat once."""
    with transaction.atomic(durable=True):
        return scores_record_in_transaction(
            actor=actor, commission=commission, application=application, scores=scores
        )


def scores_record_in_transaction(
    *,
    actor: Actor,
    commission: Commission | int,
    application: Application | int,
    scores: Sequence[ScoreInput],
) -> ScoresRecorded:
    """`scores_record` inside the caller's transaction."""
    check_in_transaction()
    commission_id = commission if isinstance(commission, int) else commission.pk
    application_id = application if isinstance(application, int) else application.pk
    locked = Commission.objects.select_for_update().filter(pk=commission_id).order_by("pk").first()
    if locked is None:
        raise NotFound(policy.NOT_ON_COMMISSION)
    commission = locked
    # The seat is read once, under the lock: a member removed meanwhile scores nothing.
    seat = policy.check_may_work_on_commission(actor, commission)
    # Read afresh: the caller's copy may be stale (eligibility decided meanwhile).
    application = application_for_commission(actor, commission, application_id, seat=seat)
    policy.check_may_score(actor, commission, application, seat=seat)
    check_not_approved(commission)
    if application.status != Application.Status.ELIGIBLE:
        raise Conflict(_("Only eligible applications are scored."), code=ContestErrorCode.NOT_ELIGIBLE)
    criteria = {c.pk: c for c in criteria_of(commission)}
    if not scores:
        raise ValidationFailed(_("Give at least one score."), field="scores")
    rows: list[Score] = []
    for item in scores:
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            raise ValidationFailed(
                _("Criterion %(id)s is not one of this commission's."),
                field=f"criterion.{item.criterion_id}",
                params={"id": item.criterion_id},
            )
        low, high = scale_of(commission, criterion)
        try:
            value = Decimal(item.value)
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise ValidationFailed(
                _('The score of "%(criterion)s" is not a number.'),
                field=f"criterion.{criterion.pk}",
                params={"criterion": criterion.name},
            ) from exc
        if not value.is_finite() or value < low or value > high or value != value.quantize(Decimal("0.01")):
            raise ValidationFailed(
                _(
                    'The score of "%(criterion)s" must be from %(low)s to %(high)s; '
                    "%(value)s is outside the scale."
                ),
                field=f"criterion.{criterion.pk}",
                code=ContestErrorCode.OUTSIDE_SCALE,
                params={"criterion": criterion.name, "low": low, "high": high, "value": item.value},
            )
        rows.append(
            Score(
                commission=commission,
                application=application,
                member_id=_actor_id(actor),
                criterion=criterion,
                value=value,
                comment=item.comment.strip(),
            )
        )
    for row in rows:
        Score.objects.update_or_create(
            commission=commission,
            application=application,
            member_id=actor.pk,
            criterion=row.criterion,
            defaults={"value": row.value, "comment": row.comment},
        )
    audit_record(
        actor,
        "commission.score",
        object_type="application",
        object_id=application.pk,
        details={
            "commission": commission.pk,
            "scores": {str(r.criterion.pk): str(r.value) for r in rows},
        },
    )
    return ScoresRecorded(scores=rows, application=application, seat=seat)


def commission_approve(*, actor: Actor, commission: Commission) -> list[RankedApplication]:
    """The chair approves the result: the ranking is written and frozen with the scores,
    applicants are told, and a regional commission's first places advance to the republican
    stage."""
    with transaction.atomic(durable=True):
        return commission_approve_in_transaction(actor=actor, commission=commission)


def commission_approve_in_transaction(*, actor: Actor, commission: Commission) -> list[RankedApplication]:
    """`commission_approve` inside the caller's transaction."""
    check_in_transaction()
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    policy.check_may_approve(actor, commission)
    check_not_approved(commission)
    if not reviewed_applications(commission).exists():
        raise Conflict(
            _("The commission has no eligible applications to rank."), code=ContestErrorCode.NOTHING_TO_RANK
        )
    gaps = scoring_gaps(commission)
    if gaps.count:
        raise Conflict(
            _(
                "%(count)s score sheets are not complete yet (%(members)s); every member must score "
                "every criterion first."
            ),
            code=ContestErrorCode.SCORING_INCOMPLETE,
            params={"count": gaps.count, "members": gaps.named()},
        )
    result = commission_ranking(commission)
    places = prize_places(commission)
    rows = [
        RankedApplication(
            commission=commission,
            application_id=line.application_id,
            rank=line.rank,
            score=Decimal(f"{line.score:.3f}"),
            standardised=Decimal(f"{line.standardised:.3f}"),
            place=line.rank if line.rank <= places else None,
        )
        for line in result.lines
    ]
    RankedApplication.objects.bulk_create(rows)
    commission.approved_at = timezone.now()
    commission.approved_by = acting_user(actor)
    commission.save(update_fields=["approved_at", "approved_by"])
    audit_record(
        actor,
        "commission.approve",
        object_type="commission",
        object_id=commission.pk,
        details={"ranking": [[r.application_id, r.rank, str(r.score)] for r in rows]},
    )
    if commission.level == Commission.Level.REGIONAL:
        _advance_regional_winners(commission=commission)
    # Every ranked applicant is told, in their language: one read for all of them.
    ranked = Application.objects.select_related("applicant__preference", "project").in_bulk(
        [row.application_id for row in rows]
    )
    for row in rows:
        application = ranked[row.application_id]
        notify_applicant(
            application,
            kind="application.result",
            subject=_("Result for application %(number)s"),
            body=_(
                "The result of the commission (%(commission)s) is approved. Your application %(number)s "
                '"%(title)s" is ranked %(rank)s of %(total)s with %(score)s%% of the possible score.'
            ),
            commission=commission,
            rank=row.rank,
            total=len(rows),
            score=f"{row.score:.1f}",
        )
    return rows


def _advance_regional_winners(*, commission: Commission) -> list[int]:
    """A region's first places (as many as the contest advances) go to the republican
    stage. Called by the approval, inside its transaction."""
    contest = contest_of(commission)
    winners = list(
        RankedApplication.objects.filter(
            commission=commission, rank__lte=contest.advance_per_region
        ).values_list("application_id", flat=True)
    )
    Application.objects.filter(pk__in=winners).update(advanced=True)
    audit_record(
        None,
        "contest.advance",
        object_type="commission",
        object_id=commission.pk,
        details={"applications": winners},
    )
    return winners
