"""Pages of imports: choose what to import and upload the file; say what each column
holds when the headers are not all recognised; follow the dry run on the job page; then
write the file. The dry run and the write run as background jobs (`tasks.py`)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core import bounds
from qoldau.core.addresses import client_address
from qoldau.core.errors import ApplicationError, NotFound
from qoldau.core.forms import add_service_error
from qoldau.core.jobs import job_get_for_user, job_start
from qoldau.core.models import BackgroundJob
from qoldau.imports import policy, selectors
from qoldau.imports.forms import ColumnMappingForm, DeliveriesUploadForm, PeopleUploadForm
from qoldau.imports.models import ImportKind
from qoldau.imports.readers import (
    FIELDS,
    field_label,
    match_columns,
    read_head,
    read_sample,
)
from qoldau.imports.tasks import (
    import_write,
    upload_path,
    upload_remove,
)
from qoldau.imports.template import XLSX_CONTENT_TYPE, template_file_name, template_workbook
from qoldau.imports.uploads import (
    JOB_DRY_RUN,
    JOB_WRITE,
    SESSION_UPLOADS,
    receive_upload,
    start_dry_run,
    upload_head,
)


@login_required
def import_home(request: HttpRequest) -> HttpResponse:
    """What can be imported, and the imports already made into the user's organisations."""
    policy.check_may_import(request.user)
    page = Paginator(selectors.import_runs_for_user(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "imports/import_home.html", {"page": page})


def _target_from_post(request: HttpRequest, kind: str, allowed: set[int]) -> None:
    """A project or organisation posted that is not among the user's gets the answer of
    its selector (not found, or refused), not a form error naming a valid choice."""
    name = "project" if kind == ImportKind.DELIVERIES else "organisation"
    chosen = bounds.parse_id(request.POST.get(name))
    if chosen is not None and chosen not in allowed:
        if kind == ImportKind.DELIVERIES:
            selectors.project_for_import(request.user, chosen)
        else:
            selectors.organisation_for_import(request.user, chosen)


@login_required
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload a file of people or deliveries; its dry run starts at once when every column
    is recognised, else the column-mapping step comes first."""
    policy.check_may_import(request.user)
    form: DeliveriesUploadForm | PeopleUploadForm
    if kind == ImportKind.DELIVERIES:
        policy.check_may_import_deliveries(request.user)
        projects = list(selectors.projects_importable(request.user))
        if request.method == "POST":
            _target_from_post(request, kind, {p.pk for p in projects})
        form = DeliveriesUploadForm(request.POST or None, request.FILES or None, projects=projects)
    elif kind == ImportKind.PEOPLE:
        organisations = list(selectors.organisations_importable(request.user))
        if request.method == "POST":
            _target_from_post(request, kind, {o.pk for o in organisations})
        form = PeopleUploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    else:
        raise Http404
    if request.method == "POST" and form.is_valid():
        target = (
            {"project_id": form.cleaned_data["project"]}
            if kind == ImportKind.DELIVERIES
            else {"organisation_id": form.cleaned_data["organisation"]}
        )
        started = receive_upload(request, form, kind, target)
        if started is not None:
            return started
    return render(
        request,
        "imports/upload.html",
        {"form": form, "kind": kind},
        status=400 if form.errors else 200,
    )


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The .xlsx template of a kind of import, in the reader's language."""
    policy.check_may_download_template(request.user)
    if kind not in FIELDS:
        raise Http404
    response = HttpResponse(template_workbook(kind), content_type=XLSX_CONTENT_TYPE)
    name = template_file_name(kind, request.LANGUAGE_CODE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_columns(request: HttpRequest, token: str) -> HttpResponse:
    """Say what each column of an uploaded file holds (and, in a workbook of several
    sheets, which sheet to read), then start its dry run."""
    uploads = request.session.get(SESSION_UPLOADS, {})
    upload = uploads.get(token)
    if upload is None:
        raise NotFound(_("There is no such upload, or it is not yours."))
    path = upload_path(upload["upload"], upload["file_name"])
    if not path.exists():
        raise NotFound(_("This upload is no longer kept; upload the file again."))
    sheet_error = ""
    wanted = request.GET.get("sheet")
    if request.method == "GET" and wanted in upload.get("sheets", []) and wanted != upload.get("sheet"):
        try:
            head = read_head(path, upload["file_name"], kind=upload["kind"], sheet=wanted)
        except ApplicationError as exc:
            sheet_error = exc.render()
        else:
            upload.update(upload_head(head))
            uploads[token] = upload
            request.session[SESSION_UPLOADS] = uploads
    header_row = upload.get("header_row", 0)
    columns = match_columns(upload["kind"], upload["header"], header_row=header_row)
    sample = read_sample(path, upload["file_name"], kind=upload["kind"], sheet=upload.get("sheet") or None)
    form = ColumnMappingForm(request.POST or None, columns=columns, sample=sample)
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        chosen = match_columns(upload["kind"], upload["header"], mapping, header_row=header_row)
        try:
            chosen.check()
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return start_dry_run(request, upload, mapping)
    return render(
        request,
        "imports/columns.html",
        {
            "form": form,
            "columns": columns,
            "upload": upload,
            "sheet_error": sheet_error,
            "missing_labels": [field_label(upload["kind"], name) for name in columns.missing],
            "repeated": [
                {"field": field_label(upload["kind"], name), "columns": columns.columns_holding(name)}
                for name in columns.repeated
            ],
        },
        status=400 if form.errors or sheet_error else 200,
    )


@login_required
@require_POST
def import_write_start(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Write the file a finished dry run found good."""
    dry_run = job_get_for_user(request.user, job_id)
    if (
        dry_run.kind != JOB_DRY_RUN
        or dry_run.status != BackgroundJob.Status.SUCCEEDED
        or dry_run.result.get("errors_total")
    ):
        messages.error(request, _("Only a file whose dry run found no errors can be written."))
        return redirect("core:job", job_id=dry_run.pk)
    job = job_start(
        actor=request.user,
        kind=JOB_WRITE,
        task=import_write,
        params={
            **dry_run.params,
            "dry_run_job": str(dry_run.pk),
            "ip_address": client_address(request),
        },
        language=request.LANGUAGE_CODE,
    )
    return redirect("core:job", job_id=job.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Leave a dry run unwritten: its upload (personal data in clear) is removed now."""
    dry_run = job_get_for_user(request.user, job_id)
    if dry_run.kind == JOB_DRY_RUN:
        upload_remove(dry_run.params["upload"])
    return redirect("imports:start")
