"""The pages that upload a file of vacancies (an employer's staff, from the employer's
page) or of staff reports (an employer's staff and akimat officers, from the quota's
pages); the imports app's jobs and pages then check it and write it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from qoldau.imports.uploads import receive_upload
from qoldau.jobs import policy, selectors
from qoldau.jobs.forms_imports import JobsUploadForm
from qoldau.jobs.imports import STAFF_REPORTS, VACANCIES


@login_required
def vacancies_import(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get_for_staff(request.user, employer_id)
    form = JobsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        started = receive_upload(request, form, VACANCIES, {"employer_id": employer.pk})
        if started is not None:
            return started
    context = {
        "form": form,
        "kind": VACANCIES,
        "employer": employer,
        "title": _("Import the vacancies of %(name)s") % {"name": employer.name},
    }
    return render(request, "jobs/imports/upload.html", context, status=400 if form.errors else 200)


@login_required
def staff_reports_import(request: HttpRequest) -> HttpResponse:
    policy.check_may_report_some_staff(request.user)
    form = JobsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        started = receive_upload(request, form, STAFF_REPORTS, {})
        if started is not None:
            return started
    context = {"form": form, "kind": STAFF_REPORTS, "title": _("Import staff reports")}
    return render(request, "jobs/imports/upload.html", context, status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("employer/<id:employer_id>/vacancies/import/", vacancies_import, name="vacancies_import"),
    path("quota/import/", staff_reports_import, name="staff_reports_import"),
]
