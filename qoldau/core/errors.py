"""Domain errors. Every interface turns an ApplicationError into its own kind of answer
(JSON with `code` and `message`, a form error, a bot reply) in one place."""

from __future__ import annotations

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A rule of the domain refused the request; nothing was changed.

    `message` is a lazily translated sentence, rendered in the language active where the
    error is shown. `field` names the input at fault, where there is one.
    """

    code = "invalid"
    status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        field: str | None = None,
        code: str | None = None,
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
    code = "validation_error"


class NotFound(ApplicationError):
    code = "not_found"
    status = 404


class PermissionDenied(ApplicationError):
    code = "forbidden"
    status = 403


class Conflict(ApplicationError):
    code = "conflict"
    status = 409


class EditConflict(Conflict):
    """Someone saved the record after this editor loaded it."""

    code = "edit_conflict"


class RateLimited(ApplicationError):
    """Too many requests from one session or address; nothing was done. `retry_after`: the
    seconds until the next one would be let through (the HTTP Retry-After header)."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str | Promise, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
