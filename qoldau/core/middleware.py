"""Per-request context: the language, and the address and channel the audit log records."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from qoldau.core.addresses import client_address
from qoldau.core.audit import audit_context
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
