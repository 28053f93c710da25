"""Commissions: those a user sits on or sets up, their members, and who may be seated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.models import Commission, CommissionMember, Contest, GrantCall
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
    """The regions whose contest commissions a user may set up, by their KATO code."""
    return list(policy.commission_regions(user).order_by("kato"))


def call_operators(user: Actor) -> list[Organisation]:
    """The organisations a user may open a grant call for, by name."""
    return list(policy.call_operators(user).order_by("name_kk"))


def commissions_of_contest(contest: Contest) -> list[Commission]:
    return list(
        Commission.objects.filter(contest=contest)
        .select_related("region")
        .annotate(member_count=Count("members"))
        .order_by("level", "region__kato")
    )


def commission_with_seat(user: Actor, commission_id: int) -> tuple[Commission, CommissionMember | None]:
    """A commission the user sees, with their seat on it (None for those who only set it
    up): a page asks its other rules with this seat instead of reading it again."""
    commission = (
        Commission.objects.select_related("contest", "call", "region", "approved_by")
        .filter(pk=commission_id)
        .first()
    )
    if commission is None:
        raise NotFound(policy.NOT_ON_COMMISSION)
    seat = policy.seat_of(user, commission)
    policy.check_may_see_commission(user, commission, seat=seat)
    return commission, seat


def commission_get_for_user(user: Actor, commission_id: int) -> Commission:
    return commission_with_seat(user, commission_id)[0]


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
