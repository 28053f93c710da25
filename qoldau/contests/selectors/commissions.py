"""Commissions: those a user sits on or sets up, their members, and who may be seated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from qoldau.contests.models import Commission, CommissionMember, Contest, GrantCall
from qoldau.contests.policy import may_see_commission
from qoldau.core.access import user_scope
from qoldau.core.errors import NotFound
from qoldau.core.models import Organisation, Place
from qoldau.core.services import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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


def user_by_username(username: str) -> User:
    """The active account with this user name, for seating on a commission."""
    from django.contrib.auth.models import User

    account = User.objects.filter(username=username.strip(), is_active=True).first()
    if account is None:
        raise NotFound(_("There is no user %(username)s.") % {"username": username.strip()}, field="username")
    return account


def call_commission(call: GrantCall) -> Commission | None:
    """The commission that reviews a grant call's applications, if it is set up."""
    return Commission.objects.filter(call=call, level=Commission.Level.GRANT).first()
