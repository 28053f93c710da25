"""Per-request context: the language, and the address and channel the audit log records;
and the safety net that refuses characters no field accepts before any view sees them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

from qoldau.core.addresses import client_address
from qoldau.core.audit import audit_context
from qoldau.core.bounds import has_forbidden_characters
from qoldau.core.errors import ErrorCode
from qoldau.core.models import UserPreference

SUPPORTED = {code for code, _name in settings.LANGUAGES}
SESSION_KEY = "qoldau_language"
API_PREFIX = "/api/"


def _accepted_language(request: HttpRequest) -> str | None:
    """The supported language the client's Accept-Language prefers (q-values honoured,
    ru-RU read as ru, q=0 as "not this one"), or None when none of them fits."""
    header = request.headers.get("Accept-Language", "")
    for code, quality in parse_accept_lang_header(header):
        if code == "*" or quality <= 0:
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def request_language(request: HttpRequest) -> str:
    """The language chosen on this device (cookie), else the signed-in user's remembered
    choice, else, for the API only, the client's Accept-Language, else Kazakh.

    Pages ignore Accept-Language: Kazakh is what a person sees first, whatever the browser
    asks for, and every page offers the switch. An API client has no switch, so its header
    is its choice; the cookie and the account's choice still win, as on the pages."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in SUPPORTED:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        session = request.session
        # Signed in on the pages: looked up once per session. Token requests have no
        # session to keep it in (writing one would create a session per API call).
        remembered = session.get(SESSION_KEY) if session.session_key else None
        if remembered is None:
            remembered = (
                UserPreference.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
                or ""
            )
            if session.session_key:
                session[SESSION_KEY] = remembered
        if remembered in SUPPORTED:
            return str(remembered)
    if request.path.startswith(API_PREFIX):
        accepted = _accepted_language(request)
        if accepted is not None:
            return accepted
    return str(settings.LANGUAGE_CODE)


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        api = request.path.startswith(API_PREFIX)
        channel = "api" if api else "web"
        with audit_context(channel, client_address(request)):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or language)
        # The API's answer also depends on Accept-Language; a shared cache must not hand a
        # Russian error to an English client.
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        return response


class ApplicationErrorMiddleware:
    """Pages: a domain error that escapes a view (not found, forbidden) becomes a page
    with the translated message and the error's status. The API has its own handler."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from qoldau.core.errors import ApplicationError
        from qoldau.core.views import error_page

        if isinstance(exception, ApplicationError) and not request.path.startswith(API_PREFIX):
            return error_page(request, exception)
        return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
REQUEST_TOO_LARGE = _("The request is too large or has too many fields.")
FORBIDDEN_INPUT = _(
    "The request holds a character no field accepts (a NUL or an unpaired surrogate) in "
    "%(field)s. Remove it and send the request again."
)


class ForbiddenCharactersMiddleware:
    """The safety net under every field's bounds (`core.bounds`): a NUL character or an
    unpaired surrogate anywhere in the path, the query string or the body (a form's
    fields, or any string or key of a JSON document) is refused with 400 before a view or
    an API handler runs. No database stores them, and on their way to one they fail with
    a server error; no field of Qoldau accepts them, so nothing is lost by refusing them
    here. The API answers with its error shape, a page with the error page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith("/api/")
        try:
            where = forbidden_input(request)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            if not api:
                raise  # Django's own 400 page
            # Reading the body here is where a request over Django's limits is found: the
            # API says so in its own shape, as it says everything else.
            return JsonResponse(
                {"code": ErrorCode.REQUEST_TOO_LARGE, "message": str(REQUEST_TOO_LARGE), "field": None},
                status=400,
            )
        if where is None:
            return self.get_response(request)
        message = FORBIDDEN_INPUT % {"field": where}
        if api:
            return JsonResponse(
                {"code": ErrorCode.FORBIDDEN_CHARACTERS, "message": str(message), "field": where}, status=400
            )
        from qoldau.core.errors import ValidationFailed
        from qoldau.core.views import error_page

        return error_page(
            request, ValidationFailed(message, field=where, code=ErrorCode.FORBIDDEN_CHARACTERS)
        )


def forbidden_input(request: HttpRequest) -> str | None:
    """Where the request holds a forbidden character ("path", a parameter's name, a JSON
    path such as "lines.2.item", or "body"), or None when it holds none."""
    if has_forbidden_characters(request.path_info):
        return "path"
    found = _first_bad_pair(request.GET.lists())
    if found is not None:
        return found
    if request.content_type in FORM_TYPES:
        return _first_bad_pair(request.POST.lists())
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0  # Django reads no body then either
    if length <= 0:
        return None
    body = request.body
    if b"\x00" in body:
        return "body"
    # JSON writes a NUL or a lone surrogate only as a \u escape: without one, nothing to find.
    if b"\\u" not in body:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None  # not JSON: the API refuses it as unreadable
    return next(_bad_json_paths(document, ""), None)


def _printable(name: str) -> str:
    # A parameter's name is shown back: never with the very characters refused.
    return "".join("\ufffd" if has_forbidden_characters(c) else c for c in name) or "-"


def _first_bad_pair(pairs: Iterable[tuple[str, list[Any]]]) -> str | None:
    for key, values in pairs:
        if has_forbidden_characters(key) or any(
            isinstance(v, str) and has_forbidden_characters(v) for v in values
        ):
            return _printable(key)
    return None


def _bad_json_paths(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if has_forbidden_characters(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{_printable(key)}" if path else _printable(key)
            if has_forbidden_characters(key):
                yield inner
            yield from _bad_json_paths(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_json_paths(item, f"{path}.{index}" if path else str(index))
