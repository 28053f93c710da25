"""Commissions: set up (level, region or call, scale) and seated (chair, members,
secretary); after its result is approved a commission never changes."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.models import Commission, CommissionMember, Contest, GrantCall, Score
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ValidationFailed
from qoldau.core.models import Place
from qoldau.core.services import Actor


def check_not_approved(commission: Commission) -> None:
    if commission.approved_at is not None:
        raise Conflict(
            _("The commission's result was approved on %(day)s; its scores and result can no longer change."),
            code=ContestErrorCode.APPROVED,
            params={"day": date_format(timezone.localtime(commission.approved_at), "SHORT_DATE_FORMAT")},
        )


def commission_create(
    *,
    actor: Actor,
    level: str,
    contest: Contest | None = None,
    region: Place | None = None,
    call: GrantCall | None = None,
    scale_min: int | None = None,
    scale_max: int | None = None,
) -> Commission:
    """A region's commission (akimat officers of the region, or the ministry), the republican
    commission (the ministry) or a call's commission (its operator)."""
    if level not in Commission.Level.values:
        raise ValidationFailed(_("Unknown commission level."), field="level")
    if level == Commission.Level.REGIONAL and (
        contest is None or region is None or region.level != Place.Level.REGION
    ):
        raise ValidationFailed(_("A regional commission needs a contest and a region."), field="region")
    if level == Commission.Level.REPUBLICAN and contest is None:
        raise ValidationFailed(_("The republican commission needs a contest."), field="contest")
    if level == Commission.Level.GRANT and call is None:
        raise ValidationFailed(_("A grant commission needs a call."), field="call")
    policy.check_may_create_commission(actor, level=level, region_id=region.pk if region else None, call=call)
    _check_scale(scale_min, scale_max)
    with transaction.atomic():
        try:
            with transaction.atomic():
                commission = Commission.objects.create(
                    level=level,
                    contest=contest if level != Commission.Level.GRANT else None,
                    region=region if level == Commission.Level.REGIONAL else None,
                    call=call if level == Commission.Level.GRANT else None,
                    scale_min=scale_min,
                    scale_max=scale_max,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("This commission has already been set up."), code=ContestErrorCode.EXISTS
            ) from exc
        audit_record(actor, "commission.create", object_type="commission", object_id=commission.pk)
    return commission


def _check_scale(scale_min: int | None, scale_max: int | None) -> None:
    if (scale_min is None) != (scale_max is None):
        raise ValidationFailed(_("Give both ends of the commission's scale, or neither."), field="scale_max")
    if scale_min is not None and scale_max is not None and (scale_min < 0 or scale_max <= scale_min):
        raise ValidationFailed(
            _("The highest score must be above the lowest, and the lowest not below zero."), field="scale_max"
        )


def commission_set_scale(
    *, actor: Actor, commission: Commission, scale_min: int | None, scale_max: int | None
) -> Commission:
    """A commission may score on its own scale, chosen before anyone scores."""
    policy.check_may_set_up_commission(actor, commission)
    _check_scale(scale_min, scale_max)
    with transaction.atomic():
        commission = Commission.objects.select_for_update().get(pk=commission.pk)
        if commission.scores.exists():
            raise Conflict(
                _("Scoring has started; the scale can no longer change."),
                code=ContestErrorCode.SCORING_STARTED,
            )
        commission.scale_min, commission.scale_max = scale_min, scale_max
        commission.save(update_fields=["scale_min", "scale_max"])
        audit_record(
            actor,
            "commission.scale_set",
            object_type="commission",
            object_id=commission.pk,
            details={"scale": [scale_min, scale_max]},
        )
    return commission


def commission_member_add(
    *, actor: Actor, commission: Commission, user: User, role: str, affiliation: str = ""
) -> CommissionMember:
    policy.check_may_set_up_commission(actor, commission)
    if role not in CommissionMember.Role.values:
        raise ValidationFailed(_("Unknown role in a commission."), field="role")
    check_not_approved(commission)
    with transaction.atomic():
        # The caller's copy may be stale: re-read under the lock the approval takes.
        check_not_approved(Commission.objects.select_for_update().get(pk=commission.pk))
        try:
            with transaction.atomic():
                seat = CommissionMember.objects.create(
                    commission=commission, user=user, role=role, affiliation=affiliation.strip()
                )
        except IntegrityError as exc:
            if CommissionMember.objects.filter(commission=commission, user=user).exists():
                raise Conflict(
                    _("%(user)s already sits on this commission."),
                    code=ContestErrorCode.MEMBER_EXISTS,
                    params={"user": user},
                ) from exc
            raise Conflict(
                _("The commission already has a %(role)s."),
                code=ContestErrorCode.ROLE_TAKEN,
                params={"role": CommissionMember.Role(role).label.lower()},
            ) from exc
        audit_record(
            actor,
            "commission.member_add",
            object_type="commission",
            object_id=commission.pk,
            details={"user": user.get_username(), "role": role},
        )
    return seat


def commission_member_remove(*, actor: Actor, seat: CommissionMember) -> None:
    """A member leaves; refused once they have scored (their scores stay theirs)."""
    commission = seat.commission
    policy.check_may_set_up_commission(actor, commission)
    check_not_approved(commission)
    with transaction.atomic():
        # The caller's copy may be stale: re-read under the lock the approval takes.
        check_not_approved(Commission.objects.select_for_update().get(pk=commission.pk))
        if Score.objects.filter(commission=commission, member_id=seat.user_id).exists():
            raise Conflict(
                _("This member has scored; they cannot be removed."), code=ContestErrorCode.MEMBER_SCORED
            )
        audit_record(
            actor,
            "commission.member_remove",
            object_type="commission",
            object_id=commission.pk,
            details={"user": seat.user.get_username(), "role": seat.role},
        )
        seat.delete()
