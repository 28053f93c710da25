"""Pages of core: sign-in, language, organisations, people, audit log, health.

Each view parses input, calls one service or selector, and renders; domain errors are
shown beside the field they name."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from qoldau.core import policy, selectors, services
from qoldau.core.errors import ApplicationError, NotFound, PermissionDenied, RateLimited
from qoldau.core.forms import (
    AuditFilterForm,
    ConsentWithdrawForm,
    OrganisationCreateForm,
    OrganisationForm,
    PersonCategoryEndForm,
    PersonCategoryForm,
    PersonCreateForm,
    PersonEditForm,
    SignInForm,
    add_service_error,
)
from qoldau.core.jobs import job_get_for_user, job_may_run_again, job_progress, job_run_again, job_settle
from qoldau.core.middleware import SESSION_KEY
from qoldau.core.models import BackgroundJob


def health(request: HttpRequest) -> JsonResponse:
    """200 with the database's status, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "degraded", "database": database}, status=status
    )


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and, when signed in, on the
    user's account for their other devices."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in {code for code, _name in settings.LANGUAGES}:
        services.user_set_language(user=request.user, language=language)
        if request.user.is_authenticated:
            request.session[SESSION_KEY] = language
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.organisations_visible(request.user), 50)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "may_register": policy.may_register_organisations(request.user)}
    return render(request, "core/organisation_list.html", context)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Register an organisation (system administrators): BIN checked, audited."""
    policy.check_may_register_organisations(request.user)
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            organisation = services.organisation_create(
                actor=request.user,
                bin=data.pop("bin") or None,
                region_id=data.pop("region"),
                district_id=data.pop("district"),
                **data,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The organisation is registered."))
            return redirect("portal:organisation", organisation_id=organisation.pk)
    return render(request, "core/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(request.user, organisation_id)
    policy.check_may_administer_organisation(request.user, organisation)
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.organisation_update(
                    actor=request.user,
                    organisation=organisation,
                    expected_version=version,
                    region_id=data.pop("region"),
                    district_id=data.pop("district"),
                    **data,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The organisation's profile is saved."))
                return redirect("portal:organisation", organisation_id=organisation.pk)
    else:
        form = OrganisationForm(
            initial={
                **{f: getattr(organisation, f) for f in services.ORGANISATION_EDITABLE},
                "region": organisation.region_id,
                "district": organisation.district_id,
                "version": organisation.version,
            }
        )
    return render(request, "core/organisation_form.html", {"form": form, "organisation": organisation})


# People -------------------------------------------------------------------------------


@login_required
def people_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    result = selectors.people_search(request.user, query=query, page=page_number)
    template = "core/_people_results.html" if request.htmx else "core/people_search.html"  # type: ignore[attr-defined]
    return render(request, template, {"result": result, "query": query})


def _person_input(data: dict[str, object]) -> services.PersonInput:
    return services.PersonInput(
        last_name=str(data["last_name"]),
        first_name=str(data["first_name"]),
        patronymic=str(data.get("patronymic") or ""),
        iin=str(data.get("iin") or "") or None,
        no_iin_reason=str(data.get("no_iin_reason") or ""),
        no_iin_note=str(data.get("no_iin_note") or ""),
        birth_date=data.get("birth_date"),  # type: ignore[arg-type]
        sex=str(data.get("sex") or ""),
        phone=str(data.get("phone") or ""),
        region_id=data.get("region"),  # type: ignore[arg-type]
        district_id=data.get("district"),  # type: ignore[arg-type]
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    policy.check_may_register_people(request.user)
    organisations = list(selectors.organisations_worked_for(request.user))
    form = PersonCreateForm(
        request.POST or None,
        organisations=organisations,
        initial={"consent_given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        try:
            registration = services.person_register(
                actor=request.user,
                organisation=organisation,
                data=_person_input(form.cleaned_data),
                consent_given_on=form.cleaned_data["consent_given_on"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            if registration.created:
                messages.success(request, _("The person is registered."))
            else:
                messages.info(
                    request,
                    _(
                        "This IIN was already on the platform: "
                        "the existing record is now linked to your organisation."
                    ),
                )
            return redirect("portal:person", person_id=registration.person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get_for_user(request.user, person_id)
    if request.method == "POST":
        form = PersonEditForm(request.POST)
        if form.is_valid():
            try:
                services.person_update(
                    actor=request.user,
                    person=person,
                    expected_version=form.cleaned_data["version"],
                    data=_person_input(form.cleaned_data),
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("portal:person", person_id=person.pk)
    else:
        form = PersonEditForm(
            initial={
                "iin": person.iin or "",
                "no_iin_reason": person.no_iin_reason,
                "no_iin_note": person.no_iin_note,
                "last_name": person.last_name,
                "first_name": person.first_name,
                "patronymic": person.patronymic,
                "birth_date": person.birth_date if not person.iin else None,
                "sex": person.sex if not person.iin else "",
                "phone": person.phone,
                "region": person.region_id,
                "district": person.district_id,
                "version": person.version,
            }
        )
    return render(request, "core/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_iin_confirm(request: HttpRequest, person_id: int) -> HttpResponse:
    """The staff confirm the IIN of a person who registered themselves, having seen their
    identity document; then back to the page the button was on."""
    person = selectors.person_get_for_user(request.user, person_id)
    try:
        services.citizen_iin_confirm(actor=request.user, person=person)
    except ApplicationError as exc:
        if isinstance(exc, (NotFound, PermissionDenied)):
            raise
        messages.error(request, exc.render())
    else:
        messages.success(request, _("The IIN is confirmed."))
    next_url = request.POST.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(next_url)
    return redirect("portal:person", person_id=person.pk)


@login_required
@require_POST
def person_category_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get_for_user(request.user, person_id)
    form = PersonCategoryForm(request.POST)
    if form.is_valid():
        try:
            services.person_category_add(actor=request.user, person=person, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The category is added."))
            return redirect("portal:person", person_id=person.pk)
    return render(request, "core/person_category_form.html", {"form": form, "person": person}, status=400)


@login_required
@require_POST
def person_category_end(request: HttpRequest, person_id: int, membership_id: int) -> HttpResponse:
    person = selectors.person_get_for_user(request.user, person_id)
    membership = selectors.person_category_get(person, membership_id)
    form = PersonCategoryEndForm(request.POST, auto_id=f"end{membership.pk}_%s")
    if form.is_valid():
        try:
            services.person_category_end(
                actor=request.user, membership=membership, until=form.cleaned_data["until"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.render())
        else:
            messages.success(request, _("The category's end date is saved."))
    else:
        messages.error(request, _("Enter the date the category ended."))
    return redirect("portal:person", person_id=person.pk)


# Sent by the confirmation page's form only: a withdrawal is recorded on the second step.
CONSENT_WITHDRAWAL_CONFIRMED = "withdraw"


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, person_id: int) -> HttpResponse:
    """Withdrawing consent in two steps: the form on the person's page leads to a page that
    says what the withdrawal ends (the organisation no longer sees the person; it cannot be
    undone), whose own form records it."""
    person = selectors.person_get_for_user(request.user, person_id)
    organisations = list(selectors.organisations_worked_for(request.user))
    form = ConsentWithdrawForm(request.POST, organisations=organisations)
    if form.is_valid():
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        if request.POST.get("confirmed") != CONSENT_WITHDRAWAL_CONFIRMED:
            # The first step: say what the withdrawal ends, and ask again.
            return render(
                request,
                "core/consent_withdraw_confirm.html",
                {
                    "person": person,
                    "organisation": organisation,
                    "withdrawn_on": form.cleaned_data["withdrawn_on"],
                    "confirmed": CONSENT_WITHDRAWAL_CONFIRMED,
                },
            )
        try:
            services.consent_withdraw(
                actor=request.user,
                person=person,
                organisation=organisation,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.render())
            return redirect("portal:person", person_id=person.pk)
        messages.success(request, _("The withdrawal of consent is recorded."))
        return redirect("core:people")
    messages.error(request, _("Choose the organisation and the date of withdrawal."))
    return redirect("portal:person", person_id=person.pk)


# Audit log ----------------------------------------------------------------------------

AUDIT_COLUMNS = (
    "at",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "channel",
    "ip_address",
)


def _audit_headers() -> list[str]:
    return [
        _("Time"),
        _("User"),
        _("Action"),
        _("Object type"),
        _("Object"),
        _("Person"),
        _("Channel"),
        _("Address"),
    ]


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = selectors.AuditFilter()
    if form.is_valid():
        filters = selectors.AuditFilter(**form.cleaned_data)
    try:
        entries = selectors.audit_entries(request.user, filters)
    except ApplicationError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        add_service_error(form, exc)
        entries = selectors.audit_entries(request.user, selectors.AuditFilter())
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return _audit_export(entries, export)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


def _attachment(name: str) -> str:
    # Django quotes a name that is not ASCII (a Kazakh or Russian one) as RFC 6266 says.
    return content_disposition_header(True, name) or "attachment"


def _audit_file_name(stamp: str) -> str:
    """The export's file name in the reader's language (a browser saves it as sent)."""
    return _("qoldau-audit-log-%(stamp)s") % {"stamp": stamp}


def _audit_moment(moment: dt.datetime) -> str:
    """A CSV's time as text in the reader's format (qoldau/formats), to the second, Astana
    time: 07.12.2026 09:37:05."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M:%S}"


def _audit_export(entries: object, kind: str) -> HttpResponse:
    rows = (
        [getattr(e, c) for c in AUDIT_COLUMNS]
        for e in entries.iterator(chunk_size=2000)  # type: ignore[attr-defined]
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_audit_headers())
        for row in rows:
            writer.writerow([_audit_moment(row[0]), *row[1:]])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = _attachment(f"{_audit_file_name(stamp)}.csv")
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log"))
    sheet.append(_audit_headers())
    for row in rows:
        sheet.append([timezone.localtime(row[0]).replace(tzinfo=None), *row[1:]])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _attachment(f"{_audit_file_name(stamp)}.xlsx")
    return response


def error_page(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    """The one place a domain error raised in a page becomes a page."""
    status = 404 if isinstance(exc, NotFound) else exc.status
    response = render(request, "core/error.html", {"message": exc.render()}, status=status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@login_required
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """A background job's page: its progress while it runs (polled by htmx), then its
    result or its error."""
    job = job_settle(job_get_for_user(request.user, job_id))
    context = {
        "job": job,
        "progress": job_progress(job),
        "result_template": _job_result_template(job),
        "may_run_again": job_may_run_again(request.user, job),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "core/_job_status.html", context)
    return render(request, "core/job_detail.html", context)


def _job_result_template(job: BackgroundJob) -> str:
    # Each app that starts jobs may show their result its own way.
    app = job.kind.split(".", 1)[0]
    template = select_template([f"{app}/_job_result.html", "core/_job_result.html"])
    return str(template.template.name)


@login_required
@require_POST
def job_again(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Run a failed job again (a new job, with the same parameters)."""
    job = job_get_for_user(request.user, job_id)
    try:
        again = job_run_again(actor=request.user, job=job)
    except ApplicationError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        messages.error(request, exc.render())
        return redirect("core:job", job_id=job.pk)
    return redirect("core:job", job_id=again.pk)


@login_required
def job_download(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    job = job_get_for_user(request.user, job_id)
    if not job.result_file:
        raise NotFound(_("This job has no file to download."))
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=job.result_file.name.split("/")[-1]
    )
