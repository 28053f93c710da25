"""Who may see or do what in contests and small grants."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from qoldau.contests.models import Application, Commission, CommissionMember, GrantCall
from qoldau.core.access import user_scope
from qoldau.core.models import RoleAssignment
from qoldau.core.services import Actor


def may_set_up_contests(actor: Actor) -> bool:
    scope = user_scope(actor)
    return scope.system_admin or scope.national


def may_open_calls(actor: Actor) -> bool:
    """The ministry, and administrators of an organisation (for their own), open grant calls."""
    scope = user_scope(actor)
    return scope.system_admin or scope.national or bool(scope.admin_organisation_ids)


def may_set_up_commission(
    actor: Actor, commission_level: str, region_id: int | None, call: GrantCall | None
) -> bool:
    """The ministry sets up every commission; an akimat officer their region's; a call's
    operator administrators the call's."""
    scope = user_scope(actor)
    if scope.system_admin or scope.national:
        return True
    if commission_level == Commission.Level.REGIONAL:
        return region_id is not None and region_id in scope.region_ids
    if commission_level == Commission.Level.GRANT and call is not None:
        return scope.may_administer(call.operator_id)
    return False


def may_run_call(actor: Actor, call: GrantCall) -> bool:
    scope = user_scope(actor)
    return scope.system_admin or scope.national or scope.may_administer(call.operator_id)


def may_act_for_application(actor: Actor, application: Application) -> bool:
    """The applicant, and staff of the applying organisation."""
    if not actor.is_authenticated:
        return False
    if application.applicant_id == actor.pk:
        return True
    return application.organisation_id is not None and user_scope(actor).may_work_for(
        application.organisation_id
    )


def seat_of(actor: Actor, commission: Commission) -> CommissionMember | None:
    if not actor.is_authenticated:
        return None
    return CommissionMember.objects.filter(commission=commission, user_id=actor.pk).first()


def organisations_of(member_ids: Iterable[int]) -> dict[int, set[int]]:
    """The organisations each member holds a role in, read once for `connected`."""
    held: dict[int, set[int]] = {}
    for user_id, organisation_id in RoleAssignment.objects.filter(
        user_id__in=list(member_ids), organisation__isnull=False
    ).values_list("user_id", "organisation_id"):
        held.setdefault(user_id, set()).add(organisation_id)
    return held


def connected(
    member_id: int, applicant_id: int, organisation_id: int | None, organisations: Mapping[int, set[int]]
) -> bool:
    """The conflict rule: a member is connected to an application they made, or one made by
    an organisation they hold a role in — whether or not they declared it."""
    return applicant_id == member_id or (
        organisation_id is not None and organisation_id in organisations.get(member_id, set())
    )


def is_connected(member_id: int, application: Application) -> bool:
    return connected(
        member_id, application.applicant_id, application.organisation_id, organisations_of([member_id])
    )


def commission_for_application(application: Application, level: str | None = None) -> Commission | None:
    """The commission that reviews an application at its current (or the given) level."""
    if application.call_id is not None:
        return Commission.objects.filter(call_id=application.call_id, level=Commission.Level.GRANT).first()
    level = level or Commission.Level.REGIONAL
    if level == Commission.Level.REPUBLICAN:
        return Commission.objects.filter(contest=application.contest, level=level).first()
    return Commission.objects.filter(
        contest=application.contest, level=Commission.Level.REGIONAL, region_id=application.region_id
    ).first()


def reviews(commission: Commission, application: Application) -> bool:
    """The commission reviews this application: its region's, the republican stage's
    advanced ones, or its call's."""
    if commission.level == Commission.Level.GRANT:
        return application.call_id == commission.call_id
    if application.contest_id != commission.contest_id:
        return False
    if commission.level == Commission.Level.REPUBLICAN:
        return application.advanced
    return application.region_id == commission.region_id


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


def may_see_commission(user: Actor, commission: Commission) -> bool:
    if seat_of(user, commission) is not None:
        return True
    return may_set_up_commission(user, commission.level, commission.region_id, commission.call)
