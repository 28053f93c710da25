"""The applicant's side: drafts, documents, budget lines, submission with its receipt and
withdrawal; and the notifications an applicant receives."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from qoldau.contests import policy
from qoldau.contests.errors import ContestErrorCode
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    ApplicationDocument,
    BudgetLine,
    Contest,
    GrantCall,
    Score,
    Stage,
)
from qoldau.contests.selectors import application_problems
from qoldau.core.audit import audit_record
from qoldau.core.errors import Conflict, ErrorCode, ValidationFailed
from qoldau.core.images import NotAnImage, image_check
from qoldau.core.models import Organisation, Place, VulnerabilityCategory
from qoldau.core.notifications import notify
from qoldau.core.services import Actor, acting_user, require_text, save_versioned
from qoldau.core.transactions import check_in_transaction

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png")


# How each kind of document begins: PDF (its header may follow a little junk), the zip of
# Office Open XML and OpenDocument, and the compound file of the old Word and Excel.
_ZIP = b"PK\x03\x04"


_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


DOCUMENT_SIGNATURES = {
    ".doc": _COMPOUND_FILE,
    ".xls": _COMPOUND_FILE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
}


DOCUMENT_IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


@dataclass(frozen=True)
class ApplicationInput:
    applicant_kind: str
    region_id: int
    applicant_name: str
    organisation_id: int | None = None
    project_id: int | None = None
    title_kk: str = ""
    title_ru: str = ""
    title_en: str = ""
    description_kk: str = ""
    description_ru: str = ""
    description_en: str = ""
    results: str = ""
    people_reached_declared: int | None = None
    contact_email: str = ""
    category_ids: Sequence[int] = ()
    requested_amount: Decimal | None = None
    duration_months: int | None = None
    band: str = ""


def _deadline_of(application_or_target: Application | Contest | GrantCall) -> tuple[dt.datetime, dt.datetime]:
    """(opens, deadline) of where applications go."""
    if isinstance(application_or_target, Application):
        target: Contest | GrantCall = application_or_target.contest or application_or_target.call  # type: ignore[assignment]
    else:
        target = application_or_target
    if isinstance(target, GrantCall):
        return target.opens_at, target.deadline
    stage = target.stages.filter(level=Stage.Level.REGIONAL).first()
    if stage is None:
        raise Conflict(
            _("The contest's regional stage has no dates yet; applications are not open."),
            code=ContestErrorCode.NOT_OPEN,
        )
    return stage.opens_at, stage.deadline


def _check_open(target: Contest | GrantCall | Application, now: dt.datetime) -> None:
    opens_at, deadline = _deadline_of(target)
    local = timezone.localtime(deadline)
    if now < opens_at:
        raise Conflict(
            _("Applications open on %(day)s at %(time)s (Astana time)."),
            code=ContestErrorCode.NOT_OPEN,
            params={
                "day": date_format(timezone.localtime(opens_at), "DATE_FORMAT"),
                "time": timezone.localtime(opens_at).strftime("%H:%M"),
            },
        )
    if now > deadline:
        raise Conflict(
            _(
                "Applications closed on %(day)s at %(time)s (Astana time). "
                "A late application cannot be accepted."
            ),
            code=ContestErrorCode.DEADLINE_PASSED,
            params={"day": date_format(local, "DATE_FORMAT"), "time": local.strftime("%H:%M")},
        )


def _application_fields(
    actor: Actor, target: Contest | GrantCall, data: ApplicationInput
) -> tuple[dict[str, Any], list[VulnerabilityCategory]]:
    kinds = target.eligible_kinds
    if data.applicant_kind not in ApplicantKind.values:
        raise ValidationFailed(_("Unknown kind of applicant."), field="applicant_kind")
    if data.applicant_kind not in kinds:
        raise ValidationFailed(
            _("%(kind)s may not apply here. Who may apply: %(kinds)s."),
            field="applicant_kind",
            code=ContestErrorCode.NOT_ELIGIBLE_KIND,
            params={
                "kind": ApplicantKind(data.applicant_kind).label,
                "kinds": ", ".join(str(ApplicantKind(k).label) for k in kinds),
            },
        )
    region = Place.objects.filter(pk=data.region_id, level=Place.Level.REGION).first()
    if region is None:
        raise ValidationFailed(_("Choose the region where the project works."), field="region_id")
    organisation = None
    if data.applicant_kind != ApplicantKind.INDIVIDUAL:
        organisation = (
            Organisation.objects.filter(pk=data.organisation_id).first()
            if data.organisation_id is not None
            else None
        )
        if organisation is None:
            raise ValidationFailed(_("Choose the organisation that applies."), field="organisation_id")
        policy.check_may_apply_for(actor, organisation)
    project = None
    if data.project_id is not None:
        from qoldau.projects.selectors import project_get_for_user

        project = project_get_for_user(actor, data.project_id)
        if organisation is None or project.organisation_id != organisation.pk:
            raise ValidationFailed(
                _("The project must be one of the applying organisation's."), field="project_id"
            )
    categories = list(VulnerabilityCategory.objects.filter(pk__in=data.category_ids))
    if isinstance(target, GrantCall):
        if not target.eligible_regions.filter(pk=region.pk).exists():
            raise ValidationFailed(
                _("This call does not fund projects in %(region)s."),
                field="region_id",
                code=ContestErrorCode.REGION_NOT_ELIGIBLE,
                params={"region": region.name},
            )
        allowed = set(target.eligible_categories.values_list("pk", flat=True))
        if allowed and any(c.pk not in allowed for c in categories):
            raise ValidationFailed(
                _("The call funds projects only for the categories it lists."), field="category_ids"
            )
        if data.band and data.band not in target.bands:
            raise ValidationFailed(_("The call does not admit this grant size."), field="band")
    people = data.people_reached_declared
    if people is not None and people < 0:
        raise ValidationFailed(
            _("The number of people helped cannot be negative."), field="people_reached_declared"
        )
    amount = data.requested_amount
    if amount is not None and amount <= 0:
        raise ValidationFailed(_("The amount requested must be above zero."), field="requested_amount")
    return (
        {
            "applicant_kind": data.applicant_kind,
            "region": region,
            "organisation": organisation,
            "applicant_name": require_text(
                data.applicant_name, "applicant_name", message=_("Give the applicant's name.")
            ),
            "project": project,
            "title_kk": data.title_kk.strip(),
            "title_ru": data.title_ru.strip(),
            "title_en": data.title_en.strip(),
            "description_kk": data.description_kk.strip(),
            "description_ru": data.description_ru.strip(),
            "description_en": data.description_en.strip(),
            "results": data.results.strip(),
            "people_reached_declared": people,
            "contact_email": data.contact_email.strip(),
            "requested_amount": amount if isinstance(target, GrantCall) else None,
            "duration_months": data.duration_months if isinstance(target, GrantCall) else None,
            "band": data.band if isinstance(target, GrantCall) else "",
        },
        categories,
    )


def application_start(
    *,
    actor: Actor,
    data: ApplicationInput,
    contest: Contest | None = None,
    call: GrantCall | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """A draft application to a contest or a call, while it takes applications."""
    with transaction.atomic(durable=True):
        return application_start_in_transaction(actor=actor, data=data, contest=contest, call=call, now=now)


def application_start_in_transaction(
    *,
    actor: Actor,
    data: ApplicationInput,
    contest: Contest | None = None,
    call: GrantCall | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """`application_start` inside the caller's transaction."""
    check_in_transaction()
    policy.check_may_apply(actor)
    target = contest or call
    if target is None or (contest is not None and call is not None):
        raise ValidationFailed(_("Apply to one contest or one call."))
    _check_open(target, now or timezone.now())
    fields, categories = _application_fields(actor, target, data)
    application = Application.objects.create(contest=contest, call=call, applicant=actor, **fields)  # type: ignore[misc]
    application.categories.set(categories)
    audit_record(
        actor,
        "application.start",
        object_type="application",
        object_id=application.pk,
        organisation_id=application.organisation_id,
    )
    return application


def _check_draft(actor: Actor, application: Application) -> None:
    policy.check_may_change_application(actor, application)
    if application.status != Application.Status.DRAFT:
        raise Conflict(
            _("The application has been submitted; it can no longer change."), code=ContestErrorCode.SUBMITTED
        )


def application_update(
    *, actor: Actor, application: Application, expected_version: int, data: ApplicationInput
) -> Application:
    """Change a draft; refused after submission or when someone saved it meanwhile."""
    _check_draft(actor, application)
    target: Contest | GrantCall = application.contest or application.call  # type: ignore[assignment]
    fields, categories = _application_fields(actor, target, data)
    with transaction.atomic(durable=True):
        save_versioned(application, expected_version, fields)
        application.categories.set(categories)
        audit_record(
            actor,
            "application.update",
            object_type="application",
            object_id=application.pk,
            organisation_id=application.organisation_id,
        )
    return application


def document_add(
    *, actor: Actor, application: Application, title: str, upload: UploadedFile
) -> ApplicationDocument:
    _check_draft(actor, application)
    title = require_text(title, "title", message=_("Say what the document is."))
    name = upload.name or ""
    if not name.lower().endswith(DOCUMENT_EXTENSIONS):
        raise ValidationFailed(
            _("A document must be a PDF, Word, Excel, OpenDocument or image file."),
            field="file",
            code=ErrorCode.FILE_TYPE,
        )
    limit = settings.QOLDAU_CONTEST_DOCUMENT_MAX_MB
    if (upload.size or 0) > limit * 1024 * 1024:
        raise ValidationFailed(
            _("The document is larger than %(limit)s MB."),
            field="file",
            code=ContestErrorCode.FILE_SIZE,
            params={"limit": limit},
        )
    _check_document_content(upload, os.path.splitext(name.lower())[1])
    with transaction.atomic(durable=True):
        document = ApplicationDocument(
            application=application, title=title, size=upload.size or 0, uploaded_by=acting_user(actor)
        )
        document.file.save(os.path.basename(name), upload, save=False)
        document.save()
        audit_record(
            actor,
            "application.document_add",
            object_type="application",
            object_id=application.pk,
            details={"document": document.pk},
        )
    return document


def _check_document_content(upload: UploadedFile, extension: str) -> None:
    """The document is what its name says: a PDF, Office or OpenDocument file by how it
    begins, an image by its header, which also holds it to the pixels an upload may have
    (commission members open these documents)."""
    if extension in DOCUMENT_IMAGE_FORMATS:
        try:
            image_check(upload, field="file", formats=(DOCUMENT_IMAGE_FORMATS[extension],))
        except NotAnImage:
            fits = False
        else:
            fits = True
    else:
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        fits = b"%PDF-" in head if extension == ".pdf" else head.startswith(DOCUMENT_SIGNATURES[extension])
    if fits:
        return
    raise ValidationFailed(
        _("The file is not the %(extension)s document its name says; attach the document itself."),
        field="file",
        code=ErrorCode.FILE_TYPE,
        params={"extension": extension},
    )


def document_remove(*, actor: Actor, document: ApplicationDocument) -> None:
    application = document.application
    _check_draft(actor, application)
    with transaction.atomic(durable=True):
        audit_record(
            actor,
            "application.document_remove",
            object_type="application",
            object_id=application.pk,
            details={"document": document.pk},
        )
        document.file.delete(save=False)
        document.delete()


@dataclass(frozen=True)
class BudgetLineInput:
    item: str
    amount: Decimal


def budget_lines_set(
    *, actor: Actor, application: Application, lines: Sequence[BudgetLineInput]
) -> list[BudgetLine]:
    """Replace a grant application's budget."""
    with transaction.atomic(durable=True):
        return budget_lines_set_in_transaction(actor=actor, application=application, lines=lines)


def budget_lines_set_in_transaction(
    *, actor: Actor, application: Application, lines: Sequence[BudgetLineInput]
) -> list[BudgetLine]:
    """`budget_lines_set` inside the caller's transaction."""
    check_in_transaction()
    _check_draft(actor, application)
    if application.call_id is None:
        raise ValidationFailed(_("Only grant applications have a budget."))
    rows = []
    for number, line in enumerate(lines, start=1):
        item = require_text(
            line.item, f"lines.{number}.item", message=_("Every budget line needs a description.")
        )
        if line.amount <= 0:
            raise ValidationFailed(
                _("Budget line %(number)s: the amount must be above zero."),
                field=f"lines.{number}.amount",
                params={"number": number},
            )
        rows.append(BudgetLine(application=application, item=item, amount=line.amount, order=number))
    BudgetLine.objects.filter(application=application).delete()
    created = BudgetLine.objects.bulk_create(rows)
    audit_record(
        actor,
        "application.budget_set",
        object_type="application",
        object_id=application.pk,
        details={"lines": len(rows), "total": str(sum((r.amount for r in rows), Decimal(0)))},
    )
    return created


def _next_number(application: Application) -> str:
    """Receipt numbers: K-2017-75-0004 for a contest (year, region, order), G-12-0031 for a
    call (call, order)."""
    if application.contest_id is not None:
        contest = application.contest
        if contest is None:
            raise Conflict(_("The application belongs to no contest."))
        region_code = (application.region.kato or "00")[:2]
        prefix = f"K-{contest.year}-{region_code}-"
        taken = Application.objects.filter(contest=contest, number__startswith=prefix).count()
    else:
        prefix = f"G-{application.call_id}-"
        taken = Application.objects.filter(call_id=application.call_id, number__isnull=False).count()
    return f"{prefix}{taken + 1:04d}"


def application_submit(
    *, actor: Actor, application: Application, now: dt.datetime | None = None
) -> Application:
    """Submit a complete draft before the deadline (Asia/Almaty): it gets its receipt
    number, and the applicant a receipt by e-mail. Late or incomplete: refused, unchanged."""
    with transaction.atomic(durable=True):
        return application_submit_in_transaction(actor=actor, application=application, now=now)


def application_submit_in_transaction(
    *, actor: Actor, application: Application, now: dt.datetime | None = None
) -> Application:
    """`application_submit` inside the caller's transaction."""
    check_in_transaction()
    now = now or timezone.now()
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_draft(actor, application)
    _check_open(application, now)
    problems = application_problems(application)
    if problems:
        raise ValidationFailed(
            _("The application cannot be submitted yet: %(problems)s"),
            code=ContestErrorCode.INCOMPLETE,
            params={"problems": " ".join(str(p) for p in problems)},
        )
    # One receipt sequence per contest or call: its row is locked while the next number
    # is taken, so two submissions at the same moment never get the same number.
    if application.contest_id is not None:
        Contest.objects.select_for_update().filter(pk=application.contest_id or 0).first()
    else:
        GrantCall.objects.select_for_update().filter(pk=application.call_id or 0).first()
    application.number = _next_number(application)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.version += 1
    application.save(update_fields=["number", "status", "submitted_at", "version", "updated_at"])
    audit_record(
        actor,
        "application.submit",
        object_type="application",
        object_id=application.pk,
        organisation_id=application.organisation_id,
        details={"number": application.number},
    )
    notify_applicant(
        application,
        kind="application.received",
        subject=_("Application %(number)s received"),
        body=_(
            'Your application %(number)s "%(title)s" was received on %(when)s (Astana time). '
            "Keep this number: it is your receipt."
        ),
        when=now,
    )
    return application


def notify_applicant(
    application: Application, *, kind: str, subject: Any, body: Any, **params: object
) -> None:
    user = application.applicant
    notify(
        user=user,
        kind=kind,
        subject=subject,
        body=body,
        params={"number": application.number or "", "title": application.title, **params},
        email=application.contact_email or user.email,
        object_type="application",
        object_id=application.pk,
    )


def application_withdraw(*, actor: Actor, application: Application) -> Application:
    policy.check_may_withdraw_application(actor, application)
    with transaction.atomic(durable=True):
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status in (Application.Status.WITHDRAWN, Application.Status.INELIGIBLE):
            raise Conflict(
                _("The application is no longer in the contest."), code=ContestErrorCode.NOT_ACTIVE
            )
        if Score.objects.filter(application=application).exists() or hasattr(application, "award"):
            raise Conflict(
                _("The commission has started scoring; the application can no longer be withdrawn.")
            )
        application.status = Application.Status.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
        audit_record(actor, "application.withdraw", object_type="application", object_id=application.pk)
    return application
