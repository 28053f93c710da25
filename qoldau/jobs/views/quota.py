"""The akimat's page of the employment quota: its region's employers that reported their
staff for a year, the largest shortfall first, and each employer's quota year by year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from qoldau.jobs import selectors
from qoldau.jobs.forms_quota import QuotaFilterForm
from qoldau.jobs.models import QuotaExemption


@login_required
def quota(request: HttpRequest) -> HttpResponse:
    form = QuotaFilterForm(request.GET or None, regions=selectors.quota_regions(request.user))
    region, year = form.chosen()
    rows = [
        (row, _exemption(row.compliance.exemption))
        for row in selectors.quota_compliance_of_region(request.user, region, year)
    ]
    context = {"form": form, "region": region, "year": year, "rows": rows}
    return render(request, "jobs/quota/region.html", context)


@login_required
def quota_history(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer, history = selectors.employer_quota_history(request.user, employer_id)
    rows = [(compliance, _exemption(compliance.exemption)) for compliance in history]
    return render(request, "jobs/quota/history.html", {"employer": employer, "rows": rows})


def _exemption(reason: str) -> str:
    return str(QuotaExemption.Reason(reason).label) if reason in QuotaExemption.Reason.values else ""


urlpatterns: list[URLPattern] = [
    path("quota/", quota, name="quota"),
    path("quota/employers/<id:employer_id>/", quota_history, name="quota_history"),
]
