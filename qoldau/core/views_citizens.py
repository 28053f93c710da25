"""A citizen signs up for their own account (phone and password), then signs in on the same
page as the staff do."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from qoldau.core import services
from qoldau.core.errors import ApplicationError
from qoldau.core.forms import CitizenSignUpForm, add_service_error
from qoldau.core.ratelimit import rate_limit_request


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return str(settings.LOGIN_REDIRECT_URL)


def citizen_sign_up(request: HttpRequest) -> HttpResponse:
    """The sign-up page; a new account is signed in at once and goes where it was going
    (registering as a job seeker, from a vacancy's page)."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = CitizenSignUpForm(request.POST or None)
    if request.method == "POST":
        # Each attempt costs a token, a refused one too: a script trying numbers is slowed.
        rate_limit_request(request, per_address="citizen_sign_up_address")
        if form.is_valid():
            try:
                account = services.citizen_sign_up(
                    phone=form.cleaned_data["phone"],
                    password=form.cleaned_data["password"],
                    name=form.cleaned_data["name"],
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                login(request, account.user, backend="qoldau.core.backends.CitizenPhoneBackend")
                messages.success(request, _("Your account is ready. You are signed in."))
                return redirect(_next_url(request))
    return render(request, "core/sign_up.html", {"form": form, "next": _next_url(request)})
