"""The operator's grant pages: a call's dashboard with the approved ranking and the awards
made from it, and one award's tranches and grantee reports. Only the call's operator
(its organisation's administrators, or the ministry) sees them; every write is one service,
which keeps the budget and the grant never overspent."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from qoldau.contests import policy, selectors, services
from qoldau.contests.forms_grants import (
    ACCEPT,
    AwardForm,
    ReportReviewForm,
    ReportScheduleForm,
    TranchePayForm,
    TranchePlanForm,
)
from qoldau.contests.models import GranteeReport
from qoldau.core.errors import ApplicationError, NotFound
from qoldau.core.forms import add_service_error


def _award_form(application: Any, data: Any = None) -> AwardForm:
    return AwardForm(
        data,
        auto_id=f"award-{application.pk}-%s",
        initial={"application": application.pk, "amount": application.requested_amount},
    )


# Sent by the confirmation page's form only: a grant is awarded on the second step.
AWARD_CONFIRMED = "award"


@login_required
def call_manage(request: HttpRequest, call_id: int) -> HttpResponse:
    call = selectors.call_get(call_id)
    awards = selectors.call_awards(request.user, call)  # the operator's only: others get 404
    commission = selectors.call_commission(call)
    ranking = (
        selectors.commission_result(request.user, commission)
        if commission is not None and commission.approved_at is not None
        else None
    )
    awarded = {a.application_id: a for a in awards}
    rows = [
        (
            row,
            awarded.get(row.application.pk),
            None if row.application.pk in awarded else _award_form(row.application),
        )
        for row in (ranking.rows if ranking is not None else [])
    ]
    status = 200
    if request.method == "POST":
        wanted = request.POST.get("application", "")
        index = next((i for i, (row, _a, _f) in enumerate(rows) if str(row.application.pk) == wanted), None)
        if index is None or rows[index][2] is None:
            raise NotFound(_("This application is not in the approved ranking, or it already has a grant."))
        row, _none, _form = rows[index]
        form = _award_form(row.application, request.POST)
        if form.is_valid() and request.POST.get("confirmed") != AWARD_CONFIRMED:
            # The first step: say what awarding records and whom it tells, and ask again.
            figures = selectors.call_dashboard(call)
            return render(
                request,
                "contests/grants/award_confirm.html",
                {
                    "call": call,
                    "application": row.application,
                    "amount": form.cleaned_data["amount"],
                    "left_after": figures.left - form.cleaned_data["amount"],
                    "confirmed": AWARD_CONFIRMED,
                },
            )
        if form.is_valid():
            try:
                services.grant_award(
                    actor=request.user, application=row.application, amount=form.cleaned_data["amount"]
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("A grant of %(amount)s tenge is awarded to application %(number)s.")
                    % {
                        "amount": number_format(form.cleaned_data["amount"], 2, force_grouping=True),
                        "number": row.application.number,
                    },
                )
                return redirect("contests:call_manage", call_id=call.pk)
        rows[index] = (row, None, form)
        status = 400
    return render(
        request,
        "contests/grants/call_manage.html",
        {
            "call": call,
            "figures": selectors.call_dashboard(call),
            "commission": commission,
            "ranking": ranking,
            "rows": rows,
            "awards": awards,
        },
        status=status,
    )


@login_required
def award_manage(request: HttpRequest, award_id: int) -> HttpResponse:
    award = selectors.award_get_for_user(request.user, award_id)
    policy.check_may_run_call(request.user, award.call, task="manage")
    reports = selectors.award_reports(award)
    tranches = list(award.tranches.all())
    plan_form = TranchePlanForm(auto_id="tranche_%s")
    schedule_form = ReportScheduleForm(auto_id="report_%s")
    pay_forms = {
        t.pk: TranchePayForm(auto_id=f"pay-{t.pk}-%s", initial={"tranche": t.pk})
        for t in tranches
        if t.paid_on is None
    }
    review_forms = {
        r.pk: ReportReviewForm(auto_id=f"review-{r.pk}-%s", initial={"report": r.pk})
        for r in reports
        if r.status == GranteeReport.Status.SUBMITTED
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        form: Any
        if action == "tranche":
            form = plan_form = TranchePlanForm(request.POST, auto_id="tranche_%s")
        elif action == "report":
            form = schedule_form = ReportScheduleForm(request.POST, auto_id="report_%s")
        elif (
            action == "pay"
            and request.POST.get("tranche", "").isdigit()
            and int(request.POST["tranche"]) in pay_forms
        ):
            pk = int(request.POST["tranche"])
            form = pay_forms[pk] = TranchePayForm(request.POST, auto_id=f"pay-{pk}-%s")
        elif (
            action == "review"
            and request.POST.get("report", "").isdigit()
            and int(request.POST["report"]) in review_forms
        ):
            pk = int(request.POST["report"])
            form = review_forms[pk] = ReportReviewForm(request.POST, auto_id=f"review-{pk}-%s")
        else:
            raise NotFound(_("This tranche or report cannot be changed here."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "tranche":
                    services.tranche_plan(
                        actor=request.user, award=award, amount=data["amount"], due_on=data["due_on"]
                    )
                    done = _("The tranche is planned.")
                elif action == "report":
                    services.report_schedule(
                        actor=request.user,
                        award=award,
                        kind=data["kind"],
                        period_start=data["period_start"],
                        period_end=data["period_end"],
                        due_on=data["due_on"],
                    )
                    done = _("The report is scheduled.")
                elif action == "pay":
                    tranche = next(t for t in tranches if t.pk == data["tranche"])
                    services.tranche_pay(actor=request.user, tranche=tranche, paid_on=data["paid_on"])
                    done = _("The payment is recorded.")
                else:
                    report = next(r for r in reports if r.pk == data["report"])
                    services.report_review(
                        actor=request.user,
                        report=report,
                        accept=data["decision"] == ACCEPT,
                        comment=data["comment"],
                    )
                    done = (
                        _("The report is accepted.")
                        if data["decision"] == ACCEPT
                        else _("The report is returned to the grantee.")
                    )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, done)
                return redirect("contests:award_manage", award_id=award.pk)
        status = 400
    return render(
        request,
        "contests/grants/award_manage.html",
        {
            "award": award,
            "application": award.application,
            "tranches": [(t, pay_forms.get(t.pk)) for t in tranches],
            "reports": [(r, review_forms.get(r.pk)) for r in reports],
            "planned": sum((t.amount for t in tranches), start=award.amount * 0),
            "paid": sum((t.amount for t in tranches if t.paid_on is not None), start=award.amount * 0),
            "plan_form": plan_form,
            "schedule_form": schedule_form,
        },
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("grants/<id:call_id>/manage/", call_manage, name="call_manage"),
    path("awards/<id:award_id>/manage/", award_manage, name="award_manage"),
]
