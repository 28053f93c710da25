"""Small grants after the ranking: awards within the call's budget, the grantee's project,
tranches, grantee reports and their reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.grants import check_fits_band
from qoldau.contests.models import (
    Application,
    Commission,
    GrantAward,
    GrantCall,
    GranteeReport,
    RankedApplication,
    ReportIndicatorValue,
    Tranche,
)
from qoldau.contests.services.applications import notify_applicant
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ValidationFailed
from qoldau.core.services import Actor, acting_user, require_text


def grant_award(*, actor: Actor, application: Application, amount: Decimal) -> GrantAward:
    """Award a grant to an application the call's commission ranked. The call's budget is
    never overspent: awards of one call are made one at a time under a lock on the call."""
    # Who may award is asked first: a refusal tells nothing about the application.
    call = policy.check_may_award_grant(actor, application)
    if amount <= 0:
        raise ValidationFailed(_("The amount must be above zero."), field="amount")
    with transaction.atomic():
        call = GrantCall.objects.select_for_update().get(pk=call.pk)
        application = Application.objects.get(pk=application.pk)
        commission = Commission.objects.filter(call=call, level=Commission.Level.GRANT).first()
        if commission is None or commission.approved_at is None:
            raise Conflict(
                _("Grants are awarded after the commission approves its ranking."),
                code=ContestErrorCode.NOT_APPROVED,
            )
        if not RankedApplication.objects.filter(commission=commission, application=application).exists():
            raise Conflict(
                _("The application is not in the commission's approved ranking."),
                code=ContestErrorCode.NOT_RANKED,
            )
        if GrantAward.objects.filter(application=application).exists():
            raise Conflict(_("This application already has a grant."), code=ContestErrorCode.ALREADY_AWARDED)
        if application.requested_amount is not None and amount > application.requested_amount:
            raise ValidationFailed(
                _("The grant cannot exceed the %(requested)s tenge requested."),
                field="amount",
                params={"requested": application.requested_amount},
            )
        check_fits_band(
            kind=application.band,
            amount=amount,
            months=application.duration_months or 0,
            day=timezone.localdate(call.opens_at),
            field="amount",
        )
        awarded = call.awards.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if awarded + amount > call.budget:
            raise Conflict(
                _(
                    "The award would overspend the call: %(awarded)s of %(budget)s tenge is awarded, "
                    "%(left)s tenge is left and %(amount)s was asked."
                ),
                code=ContestErrorCode.OVER_BUDGET,
                params={
                    "awarded": awarded,
                    "budget": call.budget,
                    "left": call.budget - awarded,
                    "amount": amount,
                },
            )
        award = GrantAward.objects.create(
            application=application,
            call=call,
            amount=amount,
            project=application.project,
            awarded_by=acting_user(actor),
        )
        audit_record(
            actor,
            "grant.award",
            object_type="application",
            object_id=application.pk,
            organisation_id=application.organisation_id,
            details={"amount": str(amount)},
        )
        notify_applicant(
            application,
            kind="grant.awarded",
            subject=_("Grant awarded to application %(number)s"),
            body=_('A grant of %(amount)s tenge is awarded to your application %(number)s "%(title)s".'),
            amount=amount,
        )
    return award


def grant_project_link(*, actor: Actor, award: GrantAward, project_id: int) -> GrantAward:
    """The grantee names its project the grant funds: its indicators are reported on and its
    deliveries counted in the call's people reached."""
    application = award.application
    policy.check_may_link_grant_project(actor, award)
    from qoldau.projects.selectors import project_get_for_user

    project = project_get_for_user(actor, project_id)
    if project.organisation_id != application.organisation_id:
        raise ValidationFailed(_("The project must be the grantee's own."), field="project_id")
    with transaction.atomic():
        GrantAward.objects.filter(pk=award.pk).update(project=project)
        award.project = project
        audit_record(
            actor,
            "grant.project_link",
            object_type="grant_award",
            object_id=award.pk,
            details={"project": project.pk},
        )
    return award


def tranche_plan(*, actor: Actor, award: GrantAward, amount: Decimal, due_on: dt.date) -> Tranche:
    """Plan the next tranche; all tranches together never exceed the grant."""
    policy.check_may_run_call(actor, award.call, task="plan_tranche")
    if amount <= 0:
        raise ValidationFailed(_("The amount must be above zero."), field="amount")
    with transaction.atomic():
        award = GrantAward.objects.select_for_update().get(pk=award.pk)
        planned = award.tranches.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if planned + amount > award.amount:
            raise Conflict(
                _("Tranches would exceed the grant: %(planned)s of %(total)s tenge is planned already."),
                code=ContestErrorCode.OVER_AWARD,
                params={"planned": planned, "total": award.amount},
            )
        number = award.tranches.count() + 1
        tranche = Tranche.objects.create(award=award, number=number, amount=amount, due_on=due_on)
        audit_record(
            actor,
            "grant.tranche_plan",
            object_type="grant_award",
            object_id=award.pk,
            details={"number": number, "amount": str(amount), "due_on": due_on.isoformat()},
        )
    return tranche


def tranche_pay(*, actor: Actor, tranche: Tranche, paid_on: dt.date) -> Tranche:
    policy.check_may_run_call(actor, tranche.award.call, task="pay_tranche")
    if paid_on > timezone.localdate():
        raise ValidationFailed(_("A payment cannot be dated in the future."), field="paid_on")
    with transaction.atomic():
        updated = Tranche.objects.filter(pk=tranche.pk, paid_on__isnull=True).update(
            paid_on=paid_on, paid_by=acting_user(actor)
        )
        if not updated:
            raise Conflict(_("This tranche is already paid."), code=ContestErrorCode.ALREADY_PAID)
        tranche.paid_on = paid_on
        audit_record(
            actor,
            "grant.tranche_pay",
            object_type="grant_award",
            object_id=tranche.award_id,
            details={"number": tranche.number, "amount": str(tranche.amount), "paid_on": paid_on.isoformat()},
        )
    return tranche


def report_schedule(
    *, actor: Actor, award: GrantAward, kind: str, period_start: dt.date, period_end: dt.date, due_on: dt.date
) -> GranteeReport:
    policy.check_may_run_call(actor, award.call, task="schedule_report")
    if kind not in GranteeReport.Kind.values:
        raise ValidationFailed(_("Unknown kind of report."), field="kind")
    if period_end < period_start:
        raise ValidationFailed(_("The period must end after it starts."), field="period_end")
    if due_on < period_end:
        raise ValidationFailed(_("A report falls due after its period ends."), field="due_on")
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = GranteeReport.objects.create(
                    award=award, kind=kind, period_start=period_start, period_end=period_end, due_on=due_on
                )
        except IntegrityError as exc:
            raise Conflict(_("This report is already scheduled."), code=ContestErrorCode.EXISTS) from exc
        audit_record(
            actor,
            "grant.report_schedule",
            object_type="grant_award",
            object_id=award.pk,
            details={"kind": kind, "due_on": due_on.isoformat()},
        )
    return report


def report_submit(
    *,
    actor: Actor,
    report: GranteeReport,
    narrative: str,
    spent_amount: Decimal | None = None,
    indicator_values: dict[int, Decimal] | None = None,
) -> GranteeReport:
    """The grantee submits a report: a financial one says what was spent (never more than
    the grant), and indicator values belong to the grantee's project."""
    award = report.award
    application = award.application
    policy.check_may_submit_report(actor, report)
    if report.status not in (GranteeReport.Status.DUE, GranteeReport.Status.RETURNED):
        raise Conflict(_("This report has been submitted already."), code=ContestErrorCode.SUBMITTED)
    narrative = require_text(narrative, "narrative", message=_("Say what was done in the period."))
    if report.kind == GranteeReport.Kind.FINANCIAL:
        if spent_amount is None or spent_amount < 0:
            raise ValidationFailed(_("A financial report says how much was spent."), field="spent_amount")
        if spent_amount > award.amount:
            raise ValidationFailed(
                _("The amount spent cannot exceed the grant of %(amount)s tenge."),
                field="spent_amount",
                params={"amount": award.amount},
            )
    values = indicator_values or {}
    if values:
        if award.project_id is None:
            raise ValidationFailed(
                _("Link the grant's project before reporting its indicators."), field="indicators"
            )
        from qoldau.projects.models import Indicator

        own = set(Indicator.objects.filter(project_id=award.project_id).values_list("pk", flat=True))
        foreign = [pk for pk in values if pk not in own]
        if foreign:
            raise ValidationFailed(
                _("Report only the indicators of the grant's project."), field="indicators"
            )
        if any(v < 0 for v in values.values()):
            raise ValidationFailed(_("An indicator's value cannot be negative."), field="indicators")
    with transaction.atomic():
        report.narrative = narrative
        report.spent_amount = spent_amount if report.kind == GranteeReport.Kind.FINANCIAL else None
        report.status = GranteeReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = acting_user(actor)
        report.save()
        ReportIndicatorValue.objects.filter(report=report).delete()
        ReportIndicatorValue.objects.bulk_create(
            [ReportIndicatorValue(report=report, indicator_id=pk, value=v) for pk, v in values.items()]
        )
        audit_record(
            actor,
            "grant.report_submit",
            object_type="grantee_report",
            object_id=report.pk,
            organisation_id=application.organisation_id,
        )
    return report


def report_review(*, actor: Actor, report: GranteeReport, accept: bool, comment: str = "") -> GranteeReport:
    policy.check_may_run_call(actor, report.award.call, task="review_report")
    if report.status != GranteeReport.Status.SUBMITTED:
        raise Conflict(_("Only a submitted report is reviewed."), code=ContestErrorCode.NOT_SUBMITTED)
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationFailed(_("Say what must change in the report."), field="comment")
    with transaction.atomic():
        report.status = GranteeReport.Status.ACCEPTED if accept else GranteeReport.Status.RETURNED
        report.review_comment = comment
        report.reviewed_by = acting_user(actor)
        report.save(update_fields=["status", "review_comment", "reviewed_by"])
        audit_record(
            actor,
            "grant.report_review",
            object_type="grantee_report",
            object_id=report.pk,
            details={"accepted": accept},
        )
        if not accept:
            notify_applicant(
                report.award.application,
                kind="grant.report_returned",
                subject=_("Report for grant %(number)s returned"),
                body=_('Your report for the grant to %(number)s "%(title)s" was returned: %(comment)s'),
                comment=comment,
            )
    return report


def remind_report_deadlines(*, today: dt.date | None = None) -> int:
    """Remind grantees of reports due within the reminder window (or overdue) that they
    have not submitted; each report is reminded once. Returns how many were sent."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.QOLDAU_GRANT_REPORT_REMINDER_DAYS)
    sent = 0
    due = GranteeReport.objects.filter(
        Q(status=GranteeReport.Status.DUE) | Q(status=GranteeReport.Status.RETURNED),
        due_on__lte=horizon,
        reminded_on__isnull=True,
    ).select_related("award__application__applicant__preference", "award__application__project")
    for report in due:
        with transaction.atomic():
            if not GranteeReport.objects.filter(pk=report.pk, reminded_on__isnull=True).update(
                reminded_on=today
            ):
                continue
            notify_applicant(
                report.award.application,
                kind="grant.report_due",
                subject=_("Grant report due on %(due)s"),
                body=_(
                    'The report (%(report_kind)s) for the grant to %(number)s "%(title)s" '
                    "(%(start)s to %(end)s) is due on %(due)s."
                ),
                report_kind=GranteeReport.Kind(report.kind).label,
                due=report.due_on.isoformat(),
                start=report.period_start.isoformat(),
                end=report.period_end.isoformat(),
            )
            sent += 1
    return sent
