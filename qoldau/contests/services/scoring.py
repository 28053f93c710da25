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
from qoldau.contests.models import (
    Application,
    Commission,
    ConflictOfInterest,
    RankedApplication,
    Score,
)
from qoldau.contests.rules import contest_of, prize_places, scale_of
from qoldau.contests.selectors import commission_ranking, criteria_of, reviewed_applications, scoring_gaps
from qoldau.contests.services.applications import notify_applicant
from qoldau.contests.services.commissions import check_not_approved
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ValidationFailed
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
        raise Conflict(_("Only submitted applications are checked for eligibility."), code="not_submitted")
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
            raise Conflict(_("You have already declared this conflict."), code="conflict_exists") from exc
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


def scores_record(
    *, actor: Actor, commission: Commission, application: Application, scores: Sequence[ScoreInput]
) -> list[Score]:
    """Record (or change) a member's scores of an application, all or none: each within
    the scale, each criterion the commission's, before the result is approved."""
    with transaction.atomic(durable=True):
        return scores_record_in_transaction(
            actor=actor, commission=commission, application=application, scores=scores
        )


def scores_record_in_transaction(
    *, actor: Actor, commission: Commission, application: Application, scores: Sequence[ScoreInput]
) -> list[Score]:
    """`scores_record` inside the caller's transaction."""
    check_in_transaction()
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    # The caller's copy may be stale (eligibility decided meanwhile): read it afresh.
    application = Application.objects.get(pk=application.pk)
    # Who may score is asked under the lock: a member removed meanwhile scores nothing.
    policy.check_may_score(actor, commission, application)
    check_not_approved(commission)
    if application.status != Application.Status.ELIGIBLE:
        raise Conflict(_("Only eligible applications are scored."), code="not_eligible")
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
                code="outside_scale",
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
    return rows


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
        raise Conflict(_("The commission has no eligible applications to rank."), code="nothing_to_rank")
    gaps = scoring_gaps(commission)
    if gaps.count:
        raise Conflict(
            _("%(count)s score sheets are not complete yet; every member must score every criterion first."),
            code="scoring_incomplete",
            params={"count": gaps.count},
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
