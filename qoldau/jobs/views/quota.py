"""The quota's pages: the akimat's page of its region's employers that reported their
staff for a year, the largest shortfall first, and each employer's quota year by year
(with the akimat officer's forms for its exemptions, warnings and fines); the ministry's
page of the regions; and the employer's page where its staff report their staff for a
year and see their quota."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.core.models import Organisation
from qoldau.jobs import policy, selectors, services
from qoldau.jobs.forms_quota import (
    QuotaExemptionForm,
    QuotaFilterForm,
    QuotaSanctionForm,
    QuotaYearForm,
    StaffReportForm,
)
from qoldau.jobs.models import QuotaExemption


@login_required
def quota(request: HttpRequest) -> HttpResponse:
    form = QuotaFilterForm(request.GET or None, regions=selectors.quota_regions(request.user))
    region, year = form.chosen()
    rows = [
        (row, _exemption(row.compliance.exemption))
        for row in selectors.quota_compliance_of_region(request.user, region, year)
    ]
    context = {
        "form": form,
        "region": region,
        "year": year,
        "rows": rows,
        "may_import_staff_reports": policy.may_report_some_staff(request.user),
    }
    return render(request, "jobs/quota/region.html", context)


@login_required
def quota_by_region(request: HttpRequest) -> HttpResponse:
    """Every region the user follows (each for the ministry), the largest shortfall first,
    each leading to its employers."""
    form = QuotaYearForm(request.GET or None)
    year = form.chosen()
    lines = selectors.quota_by_region(request.user, year)
    return render(request, "jobs/quota/regions.html", {"form": form, "year": year, "lines": lines})


def _history_page(
    request: HttpRequest,
    employer_id: int,
    *,
    exemption_form: QuotaExemptionForm | None = None,
    sanction_form: QuotaSanctionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    employer, history = selectors.employer_quota_history(request.user, employer_id)
    rows = [(compliance, _exemption(compliance.exemption)) for compliance in history]
    context: dict[str, Any] = {"employer": employer, "rows": rows}
    if policy.may_enforce_quota_of(request.user, employer):
        context["exemption_form"] = exemption_form or QuotaExemptionForm(auto_id="exemption-%s")
        context["sanction_form"] = sanction_form or QuotaSanctionForm(auto_id="sanction-%s")
    return render(request, "jobs/quota/history.html", context, status=status)


@login_required
def quota_history(request: HttpRequest, employer_id: int) -> HttpResponse:
    return _history_page(request, employer_id)


def _employer_to_enforce(request: HttpRequest, employer_id: int) -> Organisation:
    """The employer, seen (else not found) and enforced (else refused) by the user."""
    employer, _history = selectors.employer_quota_history(request.user, employer_id)
    policy.check_may_enforce_quota_of(request.user, employer)
    return employer


@login_required
@require_POST
def quota_exemption_add(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _employer_to_enforce(request, employer_id)
    form = QuotaExemptionForm(request.POST, auto_id="exemption-%s")
    if form.is_valid():
        try:
            services.quota_exemption_record(
                actor=request.user,
                employer=employer,
                year=form.cleaned_data["year"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The exemption is recorded."))
            return redirect("jobs:quota_history", employer_id=employer.pk)
    return _history_page(request, employer.pk, exemption_form=form, status=400)


@login_required
@require_POST
def quota_sanction_add(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _employer_to_enforce(request, employer_id)
    form = QuotaSanctionForm(request.POST, auto_id="sanction-%s")
    if form.is_valid():
        try:
            services.quota_sanction_record(
                actor=request.user,
                employer=employer,
                year=form.cleaned_data["year"],
                kind=form.cleaned_data["kind"],
                issued_on=form.cleaned_data["issued_on"],
                fine_mci=form.cleaned_data["fine_mci"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The warning or fine is recorded."))
            return redirect("jobs:quota_history", employer_id=employer.pk)
    return _history_page(request, employer.pk, sanction_form=form, status=400)


@login_required
def staff_reports(request: HttpRequest, employer_id: int) -> HttpResponse:
    """An employer's staff reports and its quota year by year; its staff report a year."""
    employer = selectors.employer_get_for_staff_report(request.user, employer_id)
    form = StaffReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_report_record_for_year(
                actor=request.user,
                employer=employer,
                year=data["year"],
                as_of=data["as_of"],
                headcount=data["headcount"],
                hazardous_jobs=data["hazardous_jobs"] or 0,
                employees_with_disabilities=data["employees_with_disabilities"] or 0,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The staff report is recorded."))
            return redirect("jobs:staff_reports", employer_id=employer.pk)
    reports = list(selectors.staff_reports_of(request.user, employer))
    years = {report.as_of.year for report in reports}
    history = sorted(selectors.quota_history(request.user, employer, years), key=lambda c: -c.year)
    context = {
        "employer": employer,
        "form": form,
        "reports": reports,
        "rows": [(compliance, _exemption(compliance.exemption)) for compliance in history],
    }
    return render(request, "jobs/quota/staff_reports.html", context, status=400 if form.errors else 200)


def _exemption(reason: str) -> str:
    return str(QuotaExemption.Reason(reason).label) if reason in QuotaExemption.Reason.values else ""


urlpatterns: list[URLPattern] = [
    path("quota/", quota, name="quota"),
    path("quota/regions/", quota_by_region, name="quota_regions"),
    path("quota/employers/<id:employer_id>/", quota_history, name="quota_history"),
    path("quota/employers/<id:employer_id>/exemptions/", quota_exemption_add, name="quota_exemption_add"),
    path("quota/employers/<id:employer_id>/sanctions/", quota_sanction_add, name="quota_sanction_add"),
    path("employer/<id:employer_id>/staff/", staff_reports, name="staff_reports"),
]
