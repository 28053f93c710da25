"""Domain errors and their codes. Every interface turns an ApplicationError into its own kind
of answer (JSON with `code` and `message`, a form error, a bot reply) in one place.

Every code an answer can carry is declared once, as a member of an `ErrorCodeEnum`: the
codes any app may return (`ErrorCode`) and core's own (`CoreErrorCode`) here, each
capability's own in `<app>/errors.py`. An app reuses core's members instead of declaring
a code again; the API's OpenAPI document lists them all (`qoldau/api.py`), and
`core/tests/test_error_codes.py` fails on a code written as a string literal."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise


class ErrorCodeEnum(StrEnum):
    """The base of every app's enum of error codes (it has no members itself). A member is
    its code: it compares, hashes and serialises as the string clients see."""


class ErrorCode(ErrorCodeEnum):
    """Codes any app returns: the shapes of refusal every domain has."""

    INVALID = "invalid"  # a domain rule refused the input (`ApplicationError`'s default)
    VALIDATION_ERROR = "validation_error"  # the request does not fit the operation's schema (422)
    REQUIRED = "required"
    INVALID_CHOICE = "invalid_choice"  # not one of the values offered
    TOO_LONG = "too_long"
    # The rest of the bounds of `core.bounds` (a service that checks a value by its bound
    # answers with the bound's code).
    OUT_OF_RANGE = "out_of_range"
    NOT_A_NUMBER = "not_a_number"
    TOO_MANY_DECIMALS = "too_many_decimals"
    TOO_MANY = "too_many"
    CONTROL_CHARACTER = "control_character"
    UNPAIRED_SURROGATE = "unpaired_surrogate"
    DUPLICATE = "duplicate"  # the record being created exists already
    FILE_TYPE = "file_type"  # an uploaded file is not of a kind taken there
    UNAUTHORIZED = "unauthorized"  # no session and no valid API token (401)
    FORBIDDEN = "forbidden"  # the user may not do this (403)
    NOT_FOUND = "not_found"  # nothing there, or nothing the user may see (404)
    CONFLICT = "conflict"  # the record's state does not allow it now (409)
    EDIT_CONFLICT = "edit_conflict"  # someone saved the record after this editor loaded it (409)
    RATE_LIMITED = "rate_limited"  # too many requests; the Retry-After header says when (429)
    REQUEST_TOO_LARGE = "request_too_large"  # the body is over Django's limits (400)
    FORBIDDEN_CHARACTERS = "forbidden_characters"  # a NUL or a lone surrogate anywhere in the request
    HTTP_ERROR = "http_error"  # any other HTTP error django-ninja raises (a wrong content type, ...)


class CoreErrorCode(ErrorCodeEnum):
    """Codes of core's domain: identifiers, places, organisations, people, images, jobs.
    The apps that refer to core's records return these too."""

    # Kazakh identifiers (IIN, BIN) and other numbers people type.
    INVALID_FORMAT = "invalid_format"  # an IIN or BIN that is not 12 digits
    INVALID_CHECK_DIGIT = "invalid_check_digit"
    INVALID_CENTURY = "invalid_century"  # an IIN's 7th digit names no century and sex
    INVALID_BIRTH_DATE = "invalid_birth_date"  # an IIN that does not start with a real date
    INVALID_STRUCTURE = "invalid_structure"  # a BIN without its registration month and entity type
    INVALID_PHONE = "invalid_phone"
    INVALID_KATO = "invalid_kato"  # a KATO code that is not 9 digits
    # References to core's records that do not exist (or do not fit together).
    UNKNOWN_PLACE = "unknown_place"  # a region or district not in the classifier, or not in its region
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_CATEGORY = "unknown_category"  # a vulnerability category
    UNKNOWN_ORGANISATION = "unknown_organisation"
    # People.
    IIN_OR_REASON_REQUIRED = "iin_or_reason_required"  # neither an IIN nor why the person has none
    CONSENT_REQUIRED = "consent_required"  # a person is registered only with their consent
    ALREADY_ENDED = "already_ended"  # a person's category that has ended already
    # Citizens' own accounts.
    WEAK_PASSWORD = "weak_password"  # noqa: S105 - an error code, not a password; a password Django's password validators refuse
    # The organisation keeps a record of the IIN a citizen typed: it registers them itself.
    REGISTER_IN_PERSON = "register_in_person"
    IIN_CONFIRMED_ALREADY = "iin_confirmed_already"  # staff confirm a citizen's IIN once
    # Uploads, imports and background jobs.
    NOT_AN_IMAGE = "not_an_image"
    IMAGE_TOO_MANY_PIXELS = "image_too_many_pixels"
    IMPORT_REJECTED = "import_rejected"  # some rows of a file are bad, so nothing was written
    JOB_NOT_FAILED = "job_not_failed"  # only a failed job is run again
    JOB_NOT_REPEATABLE = "job_not_repeatable"  # a job started elsewhere is run again there


class ApplicationError(Exception):
    """A rule of the domain refused the request; nothing was changed.

    `message` is a lazily translated sentence, rendered in the language active where the
    error is shown. `field` names the input at fault, where there is one. `code` is a
    member of an app's `ErrorCodeEnum`, never a string literal.
    """

    code: ErrorCodeEnum = ErrorCode.INVALID
    status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        field: str | None = None,
        code: ErrorCodeEnum | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        self.message = message
        self.field = field
        self.params = params or {}
        if code:
            self.code = code
        super().__init__(str(message))

    def render(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class ValidationFailed(ApplicationError):
    code: ErrorCodeEnum = ErrorCode.VALIDATION_ERROR


class NotFound(ApplicationError):
    code: ErrorCodeEnum = ErrorCode.NOT_FOUND
    status = 404


class PermissionDenied(ApplicationError):
    code: ErrorCodeEnum = ErrorCode.FORBIDDEN
    status = 403


class Conflict(ApplicationError):
    code: ErrorCodeEnum = ErrorCode.CONFLICT
    status = 409


class EditConflict(Conflict):
    """Someone saved the record after this editor loaded it."""

    code: ErrorCodeEnum = ErrorCode.EDIT_CONFLICT


class RateLimited(ApplicationError):
    """Too many requests from one session or address; nothing was done. `retry_after`: the
    seconds until the next one would be let through (the HTTP Retry-After header)."""

    code: ErrorCodeEnum = ErrorCode.RATE_LIMITED
    status = 429

    def __init__(self, message: str | Promise, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
