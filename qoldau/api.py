"""The JSON API under /api/v1: one NinjaAPI, one router per app, and the one place where
domain errors and validation errors become JSON with a stable `code` and a translated
`message`. The OpenAPI document describes that answer once (`Error`), with every code an
app declares (`<app>/errors.py`)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from qoldau.access.api import router as access_router
from qoldau.access.errors import AccessErrorCode
from qoldau.consult.api import router as consult_router
from qoldau.consult.errors import ConsultErrorCode
from qoldau.contests.api import contests_router, grants_router
from qoldau.contests.errors import ContestErrorCode
from qoldau.core.api import BearerToken, SignedInSession
from qoldau.core.api import router as core_router
from qoldau.core.errors import ApplicationError, CoreErrorCode, ErrorCode, ErrorCodeEnum, RateLimited
from qoldau.imports.errors import ImportErrorCode
from qoldau.interpreting.api import router as interpreting_router
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.jobs.api import router as jobs_router
from qoldau.jobs.errors import JobsErrorCode
from qoldau.projects.api import router as projects_router
from qoldau.projects.errors import ProjectErrorCode
from qoldau.services.api import router as services_router
from qoldau.services.errors import ServicesErrorCode

# Who declares which code: "shared" codes come from any app, the others from their app
# (and from the apps above it that reuse them). `test_error_codes.py` checks that this
# lists every `ErrorCodeEnum` there is.
ERROR_CODES: dict[str, type[ErrorCodeEnum]] = {
    "shared": ErrorCode,
    "core": CoreErrorCode,
    "projects": ProjectErrorCode,
    "imports": ImportErrorCode,
    "consult": ConsultErrorCode,
    "contests": ContestErrorCode,
    "access": AccessErrorCode,
    "jobs": JobsErrorCode,
    "services": ServicesErrorCode,
    "interpreting": InterpretingErrorCode,
}
ERROR_SCHEMA = "Error"
ERRORS_DESCRIPTION = (
    "\n\nEvery refusal answers with an `Error` (the `default` answer of each operation): a stable"
    " `code`, a `message` in the request's language, the `field` at fault (or null) and, for"
    " `validation_error`, the `errors` of each field. `x-error-codes` says which app declares each"
    " code; the `shared` ones may come from any operation."
)


def error_schema() -> dict[str, Any]:
    """The JSON schema of every error answer, with the codes as an enum."""
    codes = sorted(code.value for enum in ERROR_CODES.values() for code in enum)
    nullable_text: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    return {
        "title": ERROR_SCHEMA,
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": codes, "description": "Why, for programs: never changes."},
            "message": {"type": "string", "description": "Why, for people, in the request's language."},
            "field": {**nullable_text, "description": "The input at fault, where there is one."},
            "errors": {
                "type": "array",
                "description": "With `validation_error`: each field the request got wrong.",
                "items": {
                    "type": "object",
                    "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
                    "required": ["field", "reason"],
                },
            },
        },
        "required": ["code", "message", "field"],
    }


class QoldauAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """django-ninja's document, with the error answer every operation may give."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["info"]["description"] += ERRORS_DESCRIPTION
        schema["components"]["schemas"][ERROR_SCHEMA] = error_schema()
        refusal = {
            "description": "Refused; the `code` says why.",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}},
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault("default", refusal)
        schema["x-error-codes"] = {app: [code.value for code in enum] for app, enum in ERROR_CODES.items()}
        return schema


api = QoldauAPI(
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
api.add_router("/", services_router)
api.add_router("/", interpreting_router)


def _error(
    request: HttpRequest, status: int, code: ErrorCodeEnum, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "field": None, **extra}, status=status
    )


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
        ErrorCode.VALIDATION_ERROR,
        _("The request has invalid or missing fields: %(fields)s.") % {"fields": fields or "-"},
        field=errors[0]["field"] if errors else None,
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, ErrorCode.UNAUTHORIZED, _("Sign in or send a valid API token."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, ErrorCode.NOT_FOUND, _("Nothing was found at this address."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, ErrorCode.HTTP_ERROR, str(exc))
