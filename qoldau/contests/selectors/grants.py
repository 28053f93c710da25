"""Small grants: a call's dashboard, its awards with their tranches and reports for the
operator, the grants a user's side received, and the indicators a report gives values for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.models import Application, GrantAward, GrantCall, GranteeReport, Tranche
from qoldau.core.errors import NotFound
from qoldau.core.i18n import in_language
from qoldau.core.services import Actor

if TYPE_CHECKING:
    from qoldau.projects.models import Indicator


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
    policy.check_may_see_call_awards(user, call)
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
    return list(
        GrantAward.objects.filter(
            Q(application__applicant_id=user.pk)
            | Q(application__organisation_id__in=policy.own_organisation_ids(user))
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
    if award is None:
        raise NotFound(policy.AWARD_HIDDEN)
    policy.check_may_see_award(user, award)
    return award


def award_reports(award: GrantAward) -> list[GranteeReport]:
    """An award's reports with the indicator values the grantee reported (and their
    indicators), for the operator's review."""
    return list(
        GranteeReport.objects.filter(award=award)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related("indicator_values__indicator")
        .order_by("due_on", "kind", "pk")
    )


def report_get_for_user(user: Actor, report_id: int) -> GranteeReport:
    report = (
        GranteeReport.objects.select_related("award__call", "award__application").filter(pk=report_id).first()
    )
    if report is None:
        raise NotFound(_("There is no such report."))
    award_get_for_user(user, report.award_id)
    return report


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


def tranche_get_for_user(user: Actor, tranche_id: int) -> Tranche:
    tranche = Tranche.objects.select_related("award__call").filter(pk=tranche_id).first()
    if tranche is None:
        raise NotFound(_("There is no such tranche."))
    award_get_for_user(user, tranche.award_id)
    return tranche
