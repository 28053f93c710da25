"""The upload step every kind of import shares, whichever app's page receives the file
(the imports app's own pages, the access app's objects): keep the file, remember it in the
session for the column-mapping page, and start the dry run as a background job."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from qoldau.core.addresses import client_address
from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.core.jobs import job_start
from qoldau.imports.readers import Head, check_file_name_and_size, match_columns, read_head
from qoldau.imports.tasks import import_dry_run, upload_path, upload_remove, uploads_remove_stale

SESSION_UPLOADS = "qoldau_import_uploads"
JOB_DRY_RUN = "imports.dry_run"
JOB_WRITE = "imports.write"


def _save_upload(upload: UploadedFile) -> tuple[str, str]:
    # Beat removes them on its schedule; here too, for a set-up that runs no beat.
    uploads_remove_stale()
    token = uuid.uuid4().hex
    name = (upload.name or "upload").replace("/", "_").replace("\\", "_")
    path = upload_path(token, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token, path.name


def receive_upload(
    request: HttpRequest, form: forms.Form, kind: str, target: dict[str, Any]
) -> HttpResponse | None:
    """Keep the valid form's uploaded file for an import of `kind` into `target` (the
    project, organisation or region it goes to) and go on: straight to the dry run when
    every column is recognised, else to the column-mapping step. A file that cannot be read
    puts its reason on the form, keeps nothing and returns None. Every kind of import,
    the access app's objects too, comes through here."""
    upload_file: UploadedFile = form.cleaned_data["file"]
    try:
        check_file_name_and_size(upload_file.name or "", upload_file.size or 0)
    except ApplicationError as exc:
        add_service_error(form, exc)
        return None
    token, name = _save_upload(upload_file)
    try:
        head = read_head(upload_path(token, name), kind=kind)
    except ApplicationError as exc:
        upload_remove(token)
        add_service_error(form, exc)
        return None
    upload: dict[str, Any] = {"kind": kind, "upload": token, "file_name": name, **upload_head(head), **target}
    uploads = request.session.get(SESSION_UPLOADS, {})
    uploads[token] = upload
    request.session[SESSION_UPLOADS] = uploads
    if match_columns(kind, head.header).complete:
        return start_dry_run(request, upload, None)
    return redirect("imports:columns", token=token)


def upload_head(head: Head) -> dict[str, Any]:
    """What the session keeps of an upload's header: the column-mapping page shows it, and
    the dry run reads the same sheet."""
    return {"header": head.header, "header_row": head.header_row, "sheet": head.sheet, "sheets": head.sheets}


def start_dry_run(request: HttpRequest, upload: dict[str, Any], mapping: list[str] | None) -> HttpResponse:
    params = {
        **upload,
        "mapping": mapping,
        "channel": "web",
        "ip_address": client_address(request),
    }
    for shown_only in ("header", "header_row", "sheets"):
        params.pop(shown_only, None)
    job = job_start(
        actor=request.user,
        kind=JOB_DRY_RUN,
        task=import_dry_run,
        params=params,
        language=request.LANGUAGE_CODE,
    )
    return redirect("core:job", job_id=job.pk)
