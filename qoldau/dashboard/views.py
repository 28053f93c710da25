"""Dashboard pages: the officers' and NGOs' dashboard within their scope, the public one,
and the report's exports. Each parses the filter, calls one selector, renders."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from qoldau.dashboard.exports import export_job_start
from qoldau.dashboard.forms import DashboardFilterForm, PublicFilterForm
from qoldau.dashboard.selectors import Dashboard, dashboard


def _charts(board: Dashboard) -> dict[str, Any]:
    # The template prints it with json_script, which escapes what could close the script
    # element (a category or project name is typed by people).
    return {
        "month": board.by_month.chart(),
        "category": board.by_category.chart(),
        "services_kinds": board.services.chart_kinds(),
        "services_places": board.services.chart_places(),
        "interpreting_calls": board.interpreting.chart_calls(),
        "interpreting_purpose": board.interpreting.chart_purpose(),
        "interpreting_region": board.interpreting.chart_region(),
    }


@login_required
def internal(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None, user=request.user)
    report_filter = form.impact_filter()
    board = dashboard(request.user, report_filter, need=form.employment_need())
    return render(
        request,
        "dashboard/dashboard.html",
        {"form": form, "board": board, "charts": _charts(board), "query": request.GET.urlencode()},
    )


def public(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None)
    board = dashboard(None, form.impact_filter())
    return render(
        request, "dashboard/dashboard.html", {"form": form, "board": board, "charts": _charts(board)}
    )


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.POST, user=request.user)
    job = export_job_start(
        actor=request.user,
        report_filter=form.impact_filter(),
        by=[],
        fmt=request.POST.get("format", ""),
        language=get_language() or "kk",
        need=form.employment_need(),
    )
    return redirect("core:job", job_id=job.pk)
