"""The JSON API under /api/v1: one NinjaAPI, one router per app, and the one place where
domain errors and validation errors become JSON with a stable `code` and a translated
`message`."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger

from qoldau.access.api import router as access_router
from qoldau.consult.api import router as consult_router
from qoldau.contests.api import contests_router, grants_router
from qoldau.core.api import BearerToken, SignedInSession
from qoldau.core.api import router as core_router
from qoldau.core.errors import ApplicationError, RateLimited
from qoldau.jobs.api import router as jobs_router
from qoldau.projects.api import router as projects_router

api = NinjaAPI(
    title="Qoldau API",
    version="1",
    description="Inclusive social support in Kazakhstan: organisations, people, projects, deliveries.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # No online validator: its badge would load an image from swagger.io, which the
    # Content-Security-Policy refuses (and which would tell swagger.io the spec's address).
    docs=Swagger(settings={"validatorUrl": None}),
    auth=[BearerToken(), SignedInSession()],
)
api.add_router("/", core_router)
api.add_router("/", projects_router)
api.add_router("/", consult_router)
api.add_router("/", access_router)
api.add_router("/", contests_router)
api.add_router("/", grants_router)
api.add_router("/", jobs_router)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    response = _error(request, exc.status, exc.code, exc.render(), field=exc.field)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in err.get("loc", [])[2:] or err.get("loc", [])[-1:]),
            "reason": str(err.get("msg", "")),
        }
        for err in exc.errors
    ]
    fields = ", ".join(e["field"] for e in errors if e["field"])
    return _error(
        request,
        422,
        "validation_error",
        _("The request has invalid or missing fields: %(fields)s.") % {"fields": fields or "-"},
        field=errors[0]["field"] if errors else None,
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthorized", _("Sign in or send a valid API token."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Nothing was found at this address."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))
