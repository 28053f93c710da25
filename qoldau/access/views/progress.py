"""Progress to the target year: the officers' page (with exports), the public page with the
same figures, and the export's start. Each parses the filter, calls one selector, renders."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from qoldau.access import policy
from qoldau.access.exports import export_job_start, pace_verdict, progress_charts
from qoldau.access.forms_progress import ProgressExportForm, ProgressFilterForm
from qoldau.access.models import PeopleCategory, PublicStatus
from qoldau.access.progress import ProgressRow, ProgressSummary, progress_report


@dataclass(frozen=True)
class TableRow:
    label: str
    figures: ProgressSummary
    # Objects per public status (PublicStatus order) for the category the tables show.
    statuses: list[int]


def _table(rows: list[ProgressRow], category: str) -> list[TableRow]:
    return [
        TableRow(r.label, r.figures, [r.figures.by_status[category][s] for s in PublicStatus.values])
        for r in rows
    ]


def _render(request: HttpRequest, form: ProgressFilterForm, *, public: bool) -> HttpResponse:
    report = progress_report(form.chosen_region())
    category = form.chosen_category()
    return render(
        request,
        "access/progress/progress.html",
        {
            "form": form,
            "report": report,
            "public": public,
            "category_label": PeopleCategory(category).label,
            "statuses": PublicStatus.labels,
            "area_rows": _table(report.by_area, category),
            "kind_rows": _table(report.by_kind, category),
            "pace_verdict": pace_verdict(report),
            "charts": progress_charts(report),
        },
    )


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    if not policy.may_follow_progress(request.user):
        return redirect("access:progress_public")
    data: QueryDict = request.GET
    if "region" not in data:
        own = policy.progress_home_region(request.user)
        if own is not None and own.kato:
            data = data.copy()
            data["region"] = own.kato
    return _render(request, ProgressFilterForm(data), public=False)


def progress_public(request: HttpRequest) -> HttpResponse:
    return _render(request, ProgressFilterForm(request.GET), public=True)


@login_required
@require_POST
def progress_export(request: HttpRequest) -> HttpResponse:
    form = ProgressExportForm(request.POST)
    if not form.is_valid() or not policy.may_follow_progress(request.user):
        return _render(request, form, public=not policy.may_follow_progress(request.user))
    job = export_job_start(
        actor=request.user,
        region=form.chosen_region(),
        fmt=form.cleaned_data["format"],
        language=get_language() or "kk",
    )
    return redirect("core:job", job_id=job.pk)


urlpatterns: list[URLPattern] = [
    path("progress/", progress, name="progress"),
    path("progress/public/", progress_public, name="progress_public"),
    path("progress/export/", progress_export, name="progress_export"),
]
