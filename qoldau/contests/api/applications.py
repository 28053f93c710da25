"""Applications to contests and grant calls: drafts, changes, documents, submission with its
receipt, withdrawal; a grant application's budget."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from qoldau.contests import selectors, services
from qoldau.contests.api.grant_schemas import BudgetIn
from qoldau.contests.api.routing import Router
from qoldau.contests.api.schemas import (
    NULLABLE_FIELDS,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    ApplicationSummaryOut,
    BudgetLineOut,
    DocumentOut,
    ReceiptOut,
    category_ids_of,
    region_of,
)
from qoldau.contests.models import Application, BudgetLine
from qoldau.core import bounds
from qoldau.core.api import BoundedPagination, patched_fields

router = Router()
# The grant application's own endpoints, under the grants tag.
grants_router = Router()


def _application_input(payload: ApplicationIn) -> services.ApplicationInput:
    data = payload.dict(exclude={"region", "categories"})
    return services.ApplicationInput(
        region_id=region_of(payload.region, "region").pk,
        category_ids=category_ids_of(payload.categories, "categories"),
        **data,
    )


def _patched_input(application: Application, payload: ApplicationPatch) -> services.ApplicationInput:
    """The draft as it is, with the fields the PATCH gives."""
    given = patched_fields(payload, nullable=NULLABLE_FIELDS)
    given.pop("version", None)
    current = ApplicationIn(
        applicant_kind=application.applicant_kind,
        region=application.region.kato or "",
        applicant_name=application.applicant_name,
        organisation_id=application.organisation_id,
        project_id=application.project_id,
        title_kk=application.title_kk,
        title_ru=application.title_ru,
        title_en=application.title_en,
        description_kk=application.description_kk,
        description_ru=application.description_ru,
        description_en=application.description_en,
        results=application.results,
        people_reached_declared=application.people_reached_declared,
        contact_email=application.contact_email,
        categories=[c.code for c in application.categories.all()],
        requested_amount=application.requested_amount,
        duration_months=application.duration_months,
        band=application.band,
    )
    return _application_input(current.model_copy(update=given))


@router.post(
    "/contests/{int:contest_id}/applications",
    response={201: ApplicationOut},
    summary="Start a draft application to a contest",
)
def start_contest_application(
    request: HttpRequest, contest_id: bounds.Id, payload: ApplicationIn
) -> Status[Any]:
    contest = selectors.contest_get(contest_id)
    application = services.application_start(
        actor=request.user, contest=contest, data=_application_input(payload)
    )
    return Status(201, selectors.application_get_for_user(request.user, application.pk))


@router.get(
    "/contests/applications",
    response=list[ApplicationSummaryOut],
    summary="Your applications (and your organisations'), to contests and grant calls",
)
@paginate(BoundedPagination)
def my_applications(request: HttpRequest) -> object:
    return selectors.applications_of_user(request.user)


@router.get("/contests/applications/{int:application_id}", response=ApplicationOut, summary="An application")
def get_application(request: HttpRequest, application_id: bounds.Id) -> Application:
    return selectors.application_get_for_user(request.user, application_id)


@router.patch(
    "/contests/applications/{int:application_id}",
    response=ApplicationOut,
    summary="Change a draft (send the version you read)",
)
def update_application(
    request: HttpRequest, application_id: bounds.Id, payload: ApplicationPatch
) -> Application:
    application = selectors.application_get_for_user(request.user, application_id)
    services.application_update(
        actor=request.user,
        application=application,
        expected_version=payload.version,
        data=_patched_input(application, payload),
    )
    return selectors.application_get_for_user(request.user, application_id)


@router.post(
    "/contests/applications/{int:application_id}/submit",
    response=ReceiptOut,
    summary="Submit a draft before the deadline (Astana time): returns the receipt",
)
def submit_application(request: HttpRequest, application_id: bounds.Id) -> Application:
    """Late: 409 `deadline_passed`; incomplete: 400 `incomplete`; nothing changes."""
    application = selectors.application_get_for_user(request.user, application_id)
    return services.application_submit(actor=request.user, application=application)


@router.post(
    "/contests/applications/{int:application_id}/withdraw",
    response=ApplicationSummaryOut,
    summary="Withdraw an application (before scoring)",
)
def withdraw_application(request: HttpRequest, application_id: bounds.Id) -> Application:
    application = selectors.application_get_for_user(request.user, application_id)
    return services.application_withdraw(actor=request.user, application=application)


@router.post(
    "/contests/applications/{int:application_id}/documents",
    response={201: DocumentOut},
    summary="Attach a document to a draft (multipart: title, file)",
)
def add_document(
    request: HttpRequest,
    application_id: bounds.Id,
    title: Form[bounds.Label],
    file: File[UploadedFile],
) -> Status[Any]:
    application = selectors.application_get_for_user(request.user, application_id)
    document = services.document_add(actor=request.user, application=application, title=title, upload=file)
    return Status(201, document)


@grants_router.post(
    "/grants/{int:call_id}/applications",
    response={201: ApplicationOut},
    summary="Start a draft grant application; submit it at /contests/applications/{id}/submit",
)
def start_grant_application(request: HttpRequest, call_id: bounds.Id, payload: ApplicationIn) -> Status[Any]:
    call = selectors.call_get(call_id)
    application = services.application_start(actor=request.user, call=call, data=_application_input(payload))
    return Status(201, selectors.application_get_for_user(request.user, application.pk))


@grants_router.put(
    "/grants/applications/{int:application_id}/budget",
    response=list[BudgetLineOut],
    summary="Replace a draft grant application's budget lines",
)
def set_budget(request: HttpRequest, application_id: bounds.Id, payload: BudgetIn) -> list[BudgetLine]:
    application = selectors.application_get_for_user(request.user, application_id)
    return services.budget_lines_set(
        actor=request.user,
        application=application,
        lines=[services.BudgetLineInput(line.item, line.amount) for line in payload.lines],
    )
