"""Pages of applicants and grantees: my applications and grants, the application form
(contests and grant calls), an application's page with its documents, budget, submission
and withdrawal, a grant's page and the grantee's reports.

Each view parses input, checks permission, calls one service or selector and renders;
a service's refusal is shown beside the input at fault, or above the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.contests import grants, policy, selectors, services
from qoldau.contests.forms_applications import (
    SERVICE_FIELDS,
    ApplicationForm,
    BudgetFormSet,
    DocumentForm,
    ProjectLinkForm,
    ReportForm,
    budget_lines,
)
from qoldau.contests.models import Application, GrantBandKind, GrantCall
from qoldau.core.errors import ApplicationError, EditConflict, NotFound, PermissionDenied
from qoldau.core.forms import add_service_error

# Mine -----------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    overview = selectors.applicant_overview(request.user)
    return render(request, "contests/applications/mine.html", {"overview": overview})


# Applying -------------------------------------------------------------------------------


def _closed_message(deadline: Any) -> str:
    local = timezone.localtime(deadline)
    return _(
        "Applications closed on %(day)s at %(time)s (Astana time). A late application cannot be accepted."
    ) % {"day": date_format(local, "DATE_FORMAT"), "time": local.strftime("%H:%M")}


def _band_help(call: GrantCall) -> str:
    """The admitted grant sizes with their limits in tenge at the call's MCI."""
    parts = []
    day = timezone.localdate(call.opens_at)
    for kind in call.bands:
        try:
            limits = grants.band_limits(kind, day)
        except ApplicationError:
            continue
        band = limits.band
        values = {
            "band": GrantBandKind(kind).label,
            "low": number_format(limits.min_amount, 0, force_grouping=True),
            "high": number_format(limits.max_amount, 0, force_grouping=True)
            if limits.max_amount is not None
            else "",
            "low_months": band.min_months,
            "high_months": band.max_months,
        }
        if limits.max_amount is None:
            parts.append(
                _("%(band)s: at least %(low)s tenge, %(low_months)s to %(high_months)s months.") % values
            )
        else:
            parts.append(
                _("%(band)s: %(low)s to %(high)s tenge, %(low_months)s to %(high_months)s months.") % values
            )
    return " ".join(parts)


def _application_form(
    request: HttpRequest, target: Any, data: Any = None, initial: dict[str, Any] | None = None
) -> ApplicationForm:
    return ApplicationForm(
        data,
        target=target,
        user=request.user,  # type: ignore[arg-type]
        organisations=selectors.applicant_organisations(request.user),
        projects=selectors.applicant_projects(request.user),
        band_help=_band_help(target) if isinstance(target, GrantCall) else "",
        initial=initial,
    )


def _apply(request: HttpRequest, target: Any, deadline: Any, taking: bool) -> HttpResponse:
    is_call = isinstance(target, GrantCall)
    closed = ""
    status = 200
    if request.method == "POST":
        form = _application_form(request, target, request.POST)
        if form.is_valid():
            try:
                application = services.application_start(
                    actor=request.user,
                    data=form.application_input(),
                    contest=None if is_call else target,
                    call=target if is_call else None,
                )
            except ApplicationError as exc:
                if getattr(exc, "code", "") in ("deadline_passed", "not_open"):
                    closed = exc.render()
                    status = 409
                else:
                    add_service_error(form, exc, field_names=SERVICE_FIELDS)
            else:
                messages.success(
                    request, _("The draft is saved. Add the documents, then submit the application.")
                )
                return redirect("contests:application", application_id=application.pk)
        status = max(status, 400)
    else:
        form = _application_form(request, target, initial={"contact_email": request.user.email})  # type: ignore[union-attr]
        if not taking and deadline is not None and timezone.now() > deadline:
            closed = _closed_message(deadline)
    context = {
        "form": form,
        "target": target,
        "is_call": is_call,
        "deadline": deadline,
        "closed": closed,
        "taking": taking,
    }
    return render(request, "contests/applications/apply.html", context, status=status)


@login_required
def apply_contest(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = selectors.contest_get(contest_id)
    stage = selectors.contest_stage(contest, "regional")
    return _apply(
        request,
        contest,
        stage.deadline if stage is not None else None,
        selectors.contest_taking_applications(contest),
    )


@login_required
def apply_call(request: HttpRequest, call_id: int) -> HttpResponse:
    call = selectors.call_get(call_id)
    return _apply(request, call, call.deadline, selectors.call_taking_applications(call))


# The application's page -----------------------------------------------------------------


def _application_page(
    request: HttpRequest,
    application: Application,
    *,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_act = policy.may_act_for_application(request.user, application)
    if not may_act:
        selectors.audit_application_read(request.user, application)
    draft = application.status == Application.Status.DRAFT
    context = {
        "application": application,
        "may_act": may_act,
        "draft": draft,
        "problems": selectors.application_problems(application) if draft and may_act else [],
        "deadline": selectors.application_deadline(application),
        "document_form": document_form or DocumentForm(),
        "results": selectors.application_results(application),
        "award": selectors.application_award(application),
        "budget_total": sum((line.amount for line in application.budget_lines.all()), start=0),
        "may_withdraw": may_act
        and application.status
        in (Application.Status.DRAFT, Application.Status.SUBMITTED, Application.Status.ELIGIBLE),
    }
    return render(request, "contests/applications/application.html", context, status=status)


@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, application_id)
    return _application_page(request, application)


def _own_application(request: HttpRequest, application_id: int) -> Application:
    """The application, for its applicant's side only; others get not-found or forbidden."""
    application = selectors.application_get_for_user(request.user, application_id)
    policy.check_may_change_application(request.user, application)
    return application


@login_required
def application_edit(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    target = application.contest or application.call
    status = 200
    if request.method == "POST":
        form = _application_form(request, target, request.POST)
        if form.is_valid():
            try:
                services.application_update(
                    actor=request.user,
                    application=application,
                    expected_version=form.cleaned_data["version"] or 0,
                    data=form.application_input(),
                )
            except EditConflict as exc:
                add_service_error(form, exc, field_names=SERVICE_FIELDS)
                status = 409
            except ApplicationError as exc:
                add_service_error(form, exc, field_names=SERVICE_FIELDS)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("contests:application", application_id=application.pk)
        status = max(status, 400)
    else:
        form = _application_form(request, target, initial=ApplicationForm.initial_for(application))
    context = {"form": form, "application": application, "draft": application.status == "draft"}
    return render(request, "contests/applications/edit.html", context, status=status)


@login_required
def application_submit(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            application = services.application_submit(actor=request.user, application=application)
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            error = exc.render()
            status = exc.status
        else:
            messages.success(
                request,
                _("The application is submitted. Its receipt number is %(number)s.")
                % {"number": application.number},
            )
            return redirect("contests:application", application_id=application.pk)
    context = {
        "application": application,
        "action": "submit",
        "error": error,
        "problems": selectors.application_problems(application)
        if application.status == Application.Status.DRAFT
        else [],
        "deadline": selectors.application_deadline(application),
    }
    return render(request, "contests/applications/confirm.html", context, status=status)


@login_required
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.application_withdraw(actor=request.user, application=application)
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            error = exc.render()
            status = exc.status
        else:
            messages.success(request, _("The application is withdrawn."))
            return redirect("contests:application", application_id=application.pk)
    context = {"application": application, "action": "withdraw", "error": error, "problems": []}
    return render(request, "contests/applications/confirm.html", context, status=status)


@login_required
@require_POST
def document_add(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                application=application,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc, field_names=SERVICE_FIELDS)
        else:
            messages.success(request, _("The document is added."))
            return redirect("contests:application", application_id=application.pk)
    application = selectors.application_get_for_user(request.user, application_id)
    return _application_page(request, application, document_form=form, status=400)


@login_required
def document_download(request: HttpRequest, application_id: int, document_id: int) -> FileResponse:
    document = selectors.document_get_for_user(request.user, application_id, document_id)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def document_remove(request: HttpRequest, application_id: int, document_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    document = next((d for d in application.documents.all() if d.pk == document_id), None)
    if document is None:
        raise NotFound(_("There is no such document."))
    try:
        services.document_remove(actor=request.user, document=document)
    except ApplicationError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.render())
    else:
        messages.success(request, _("The document is removed."))
    return redirect("contests:application", application_id=application.pk)


@login_required
def budget(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    if application.call_id is None:
        raise NotFound(_("Only grant applications have a budget."))
    status = 200
    error = ""
    if request.method == "POST":
        formset = BudgetFormSet(request.POST, prefix="lines")
        if formset.is_valid():
            try:
                services.budget_lines_set(
                    actor=request.user, application=application, lines=budget_lines(formset)
                )
            except ApplicationError as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                # lines.<n>.<field> names the n-th filled line.
                parts = (exc.field or "").split(".")
                filled = [
                    f for f in formset.forms if f.cleaned_data.get("item") or f.cleaned_data.get("amount")
                ]
                if len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(filled):
                    filled[int(parts[1]) - 1].add_error(
                        parts[2] if parts[2] in ("item", "amount") else None, exc.render()
                    )
                else:
                    error = exc.render()
            else:
                messages.success(request, _("The budget is saved."))
                return redirect("contests:budget", application_id=application.pk)
        status = 400
    else:
        formset = BudgetFormSet(
            prefix="lines",
            initial=[{"item": line.item, "amount": line.amount} for line in application.budget_lines.all()],
        )
    total = sum((line.amount for line in application.budget_lines.all()), start=0)
    context = {
        "application": application,
        "formset": formset,
        "error": error,
        "total": total,
        "problems": selectors.application_problems(application)
        if application.status == Application.Status.DRAFT
        else [],
        "draft": application.status == Application.Status.DRAFT,
    }
    return render(request, "contests/applications/budget.html", context, status=status)


# Grants and reports ---------------------------------------------------------------------


@login_required
def award(request: HttpRequest, award_id: int) -> HttpResponse:
    grant = selectors.award_get_for_user(request.user, award_id)
    application = grant.application
    may_link = application.organisation_id is not None and policy.may_act_for_application(
        request.user, application
    )
    projects = [
        p
        for p in selectors.applicant_projects(request.user)
        if p.organisation_id == application.organisation_id
    ]
    form = ProjectLinkForm(initial={"project": grant.project_id}, projects=projects, auto_id="link_%s")
    status = 200
    if request.method == "POST":
        form = ProjectLinkForm(request.POST, projects=projects, auto_id="link_%s")
        if form.is_valid():
            try:
                services.grant_project_link(
                    actor=request.user, award=grant, project_id=form.cleaned_data["project"]
                )
            except ApplicationError as exc:
                add_service_error(form, exc, field_names=SERVICE_FIELDS)
            else:
                messages.success(request, _("The grant's project is linked."))
                return redirect("contests:award", award_id=grant.pk)
        status = 400
    tranches = list(grant.tranches.all())
    context = {
        "award": grant,
        "application": application,
        "tranches": tranches,
        "reports": sorted(grant.reports.all(), key=lambda r: (r.due_on, r.kind)),
        "paid": sum((t.amount for t in tranches if t.paid_on is not None), start=0),
        "form": form,
        "may_link": may_link and bool(projects),
        "today": timezone.localdate(),
    }
    return render(request, "contests/applications/award.html", context, status=status)


@login_required
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    item = selectors.report_get_for_user(request.user, report_id)
    indicators = selectors.report_indicators(item)
    may_submit = policy.may_submit_report_now(request.user, item)
    status = 200
    if request.method == "POST":
        policy.check_may_submit_report_now(request.user, item)
        form = ReportForm(request.POST, report=item, indicators=indicators)
        if form.is_valid():
            try:
                services.report_submit(
                    actor=request.user,
                    report=item,
                    narrative=form.cleaned_data["narrative"],
                    spent_amount=form.cleaned_data.get("spent_amount"),
                    indicator_values=form.indicator_values(),
                )
            except ApplicationError as exc:
                add_service_error(form, exc, field_names=SERVICE_FIELDS)
            else:
                messages.success(request, _("The report is submitted."))
                return redirect("contests:award", award_id=item.award_id)
        status = 400
    else:
        form = ReportForm(
            report=item, indicators=indicators, initial=ReportForm.initial_for(item, indicators)
        )
    context = {
        "report": item,
        "award": item.award,
        "indicators": indicators,
        "form": form,
        "may_submit": may_submit,
    }
    return render(request, "contests/applications/report.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("mine/", mine, name="mine"),
    path("<id:contest_id>/apply/", apply_contest, name="apply_contest"),
    path("grants/<id:call_id>/apply/", apply_call, name="apply_call"),
    path("applications/<id:application_id>/", application_detail, name="application"),
    path("applications/<id:application_id>/edit/", application_edit, name="application_edit"),
    path("applications/<id:application_id>/submit/", application_submit, name="application_submit"),
    path("applications/<id:application_id>/withdraw/", application_withdraw, name="application_withdraw"),
    path("applications/<id:application_id>/documents/", document_add, name="document_add"),
    path(
        "applications/<id:application_id>/documents/<id:document_id>/remove/",
        document_remove,
        name="document_remove",
    ),
    path(
        "applications/<id:application_id>/documents/<id:document_id>/",
        document_download,
        name="document",
    ),
    path("applications/<id:application_id>/budget/", budget, name="budget"),
    path("awards/<id:award_id>/", award, name="award"),
    path("reports/<id:report_id>/", report, name="report"),
]
