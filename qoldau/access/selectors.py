"""Reads of objects, passports, measures and barrier reports, each with its access check.

Objects and their public statuses are public (the map shows them to anyone); who may see
passports' working drafts, measures and barrier reports follows `services.may_manage_object`
and the surveyor's assignments.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.access.models import AccessObject, BarrierReport, Measure, Passport, SurveyAssignment
from qoldau.core.access import user_scope
from qoldau.core.errors import NotFound
from qoldau.core.services import Actor


def _managed_condition(user: Actor, prefix: str = "") -> Q | None:
    """The objects a user manages as a Q over `prefix` (e.g. "object__"); None for all."""
    scope = user_scope(user)
    if scope.system_admin or scope.national:
        return None
    return Q(**{f"{prefix}region_id__in": scope.region_ids}) | Q(
        **{f"{prefix}owner_id__in": scope.organisation_ids}
    )


def objects_managed(user: Actor) -> QuerySet[AccessObject]:
    """Objects a user works on: all for administrators and the ministry (the ministry only
    reads), their region's for akimat officers, their organisations' for owners' staff,
    and the assigned ones for surveyors."""
    scope = user_scope(user)
    qs = AccessObject.objects.select_related("region", "district", "owner")
    condition = _managed_condition(user)
    if condition is None:
        return qs
    if scope.surveyor:
        condition |= Q(
            pk__in=SurveyAssignment.objects.filter(surveyor_id=user.pk, active=True).values("object_id")
        )
    return qs.filter(condition)


def object_get_managed(user: Actor, object_id: int) -> AccessObject:
    obj = objects_managed(user).filter(pk=object_id).first()
    if obj is None:
        raise NotFound(_("There is no such object, or it is outside your scope."))
    return obj


def object_get_public(object_id: int) -> AccessObject:
    obj = AccessObject.objects.select_related("region", "district").filter(pk=object_id).first()
    if obj is None:
        raise NotFound(_("There is no such object."))
    return obj


def objects_assigned(user: Actor) -> QuerySet[AccessObject]:
    """A surveyor's worklist: the objects assigned to them and not yet passported since."""
    return (
        AccessObject.objects.select_related("region", "district")
        .filter(assignments__surveyor_id=user.pk, assignments__active=True)
        .distinct()
    )


def passports_of_object(user: Actor, obj: AccessObject) -> QuerySet[Passport]:
    """Every passport of an object, newest first; drafts only to those who manage or survey it."""
    qs = Passport.objects.filter(object=obj).select_related("surveyor").order_by("-number")
    if objects_managed(user).filter(pk=obj.pk).exists():
        return qs
    return qs.filter(state=Passport.State.SUBMITTED)


def latest_passport(obj: AccessObject) -> Passport | None:
    return Passport.objects.filter(object=obj, state=Passport.State.SUBMITTED).order_by("-number").first()


def measures_visible(user: Actor) -> QuerySet[Measure]:
    qs = Measure.objects.select_related("object", "object__district", "responsible")
    condition = _managed_condition(user, "object__")
    return qs if condition is None else qs.filter(condition)


def measures_overdue(user: Actor, today: dt.date | None = None) -> QuerySet[Measure]:
    """Planned measures past their deadline, oldest deadline first."""
    today = today or timezone.localdate()
    return (
        measures_visible(user)
        .filter(state=Measure.State.PLANNED, deadline__lt=today)
        .order_by("deadline", "pk")
    )


def barrier_reports_visible(user: Actor) -> QuerySet[BarrierReport]:
    """Barrier reports are tasks of the object's owner and its region's officers."""
    qs = BarrierReport.objects.select_related("object", "object__district")
    condition = _managed_condition(user, "object__")
    return qs if condition is None else qs.filter(condition)


def barrier_reports_open(user: Actor) -> QuerySet[BarrierReport]:
    return barrier_reports_visible(user).filter(
        state__in=[BarrierReport.State.NEW, BarrierReport.State.IN_PROGRESS]
    )
