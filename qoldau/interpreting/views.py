"""Pages of interpreting under /interpreting/: the citizen's "Call an interpreter" page (with
their hours, their place in the queue and the expected wait, refreshed without reloading),
the session page (the video call and its text chat), bookings, the interpreter's desk, the
dispatcher's console and the report. Every page asks the selectors, which ask the policy;
every form posts to a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core import policy as core_policy
from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.interpreting import policy, selectors, services
from qoldau.interpreting.forms import BookingForm, CallbackForm, CallForm, OverrideForm


def _htmx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Follow `url`: htmx by its header (a swap cannot redirect the page), a form by a redirect."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


# The citizen -----------------------------------------------------------------------------


def _call_page(
    request: HttpRequest, form: CallForm | None = None, callback_form: CallbackForm | None = None
) -> HttpResponse:
    page = selectors.own_page(request.user)
    return render(
        request,
        "interpreting/call.html",
        {
            "page": page,
            "form": form or CallForm(),
            "callback_form": callback_form or CallbackForm(),
            "balance_hours": None if page.balance_minutes is None else page.balance_minutes // 60,
            "balance_rest": None if page.balance_minutes is None else page.balance_minutes % 60,
        },
    )


@login_required
def call(request: HttpRequest) -> HttpResponse:
    """Call an interpreter: the hours left, the form, or the open call's place in the queue."""
    core_policy.check_is_citizen(request.user)
    page = selectors.own_page(request.user)
    if page.session is not None:
        return redirect("interpreting:session", page.session.pk)
    return _call_page(request)


@login_required
@require_POST
def call_create(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST)
    if form.is_valid():
        try:
            services.call_create(
                actor=request.user,
                place=form.cleaned_data["place"],
                purpose=form.cleaned_data["purpose"],
                emergency=form.cleaned_data["emergency"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("interpreting:call")
    return _call_page(request, form=form)


@login_required
def call_status(request: HttpRequest) -> HttpResponse:
    """The open call's place and expected wait, polled by the call page; on to the session
    once an interpreter has taken it."""
    page = selectors.own_page(request.user)
    if page.session is not None:
        return _htmx_redirect(request, reverse("interpreting:session", args=[page.session.pk]))
    return render(request, "interpreting/_call_status.html", {"page": page})


@login_required
@require_POST
def call_cancel(request: HttpRequest, call_id: int) -> HttpResponse:
    try:
        services.call_cancel(actor=request.user, call_id=call_id)
    except ApplicationError as exc:
        messages.error(request, exc.render())
    else:
        messages.success(request, _("Your call is cancelled."))
    return redirect("interpreting:call")


@login_required
@require_POST
def callback_leave(request: HttpRequest) -> HttpResponse:
    form = CallbackForm(request.POST)
    page = selectors.own_page(request.user)
    if form.is_valid():
        try:
            services.callback_leave(
                actor=request.user,
                text=form.cleaned_data["text"],
                call_id=page.call.pk if page.call else None,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Your message is left. An interpreter will call you back."))
            return redirect("interpreting:call")
    return _call_page(request, callback_form=form)


# The session -------------------------------------------------------------------------------


@login_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session: the two videos and the text chat (core's real-time call), and its end."""
    found = selectors.session_for(request.user, session_id)
    return render(
        request,
        "interpreting/session.html",
        {"session": found, "room_id": str(found.pk), "rejoin_minutes": selectors.rejoin_window_minutes()},
    )


@login_required
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        ended = services.session_end(actor=request.user, session_id=session_id)
    except ApplicationError as exc:
        messages.error(request, exc.render())
        return redirect("interpreting:session", session_id)
    messages.success(request, _("The session has ended: %(minutes)s minutes.") % {"minutes": ended.minutes})
    if policy.own_interpreter(request.user) is not None:
        return redirect("interpreting:desk")
    return redirect("interpreting:call")


# Bookings ------------------------------------------------------------------------------------


@login_required
def bookings(request: HttpRequest, form: BookingForm | None = None) -> HttpResponse:
    core_policy.check_is_citizen(request.user)
    page = selectors.own_page(request.user)
    return render(request, "interpreting/bookings.html", {"page": page, "form": form or BookingForm()})


@login_required
@require_POST
def booking_create(request: HttpRequest) -> HttpResponse:
    form = BookingForm(request.POST)
    if form.is_valid():
        try:
            services.booking_create(
                actor=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                place=form.cleaned_data["place"],
                purpose=form.cleaned_data["purpose"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The interpreter is booked. You will be reminded the day before."))
            return redirect("interpreting:bookings")
    return bookings(request, form=form)


@login_required
@require_POST
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    try:
        services.booking_cancel(actor=request.user, booking_id=booking_id)
    except ApplicationError as exc:
        messages.error(request, exc.render())
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("interpreting:desk" if request.POST.get("next") == "desk" else "interpreting:bookings")


@login_required
@require_POST
def booking_open(request: HttpRequest, booking_id: int) -> HttpResponse:
    try:
        opened = services.booking_open(actor=request.user, booking_id=booking_id)
    except ApplicationError as exc:
        messages.error(request, exc.render())
        return redirect(
            "interpreting:desk" if policy.own_interpreter(request.user) else "interpreting:bookings"
        )
    return redirect("interpreting:session", opened.pk)


# The interpreter's desk -----------------------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    return render(request, "interpreting/desk.html", {"desk": selectors.desk(request.user)})


@login_required
def desk_offer(request: HttpRequest) -> HttpResponse:
    """The interpreter's offer and state, polled by the desk."""
    found = selectors.desk(request.user)
    if found.session is not None and request.headers.get("HX-Request"):
        return _htmx_redirect(request, reverse("interpreting:session", args=[found.session.pk]))
    return render(request, "interpreting/_desk_offer.html", {"desk": found})


@login_required
@require_POST
def state(request: HttpRequest) -> HttpResponse:
    try:
        services.interpreter_set_state(actor=request.user, state=request.POST.get("state", ""))
    except ApplicationError as exc:
        messages.error(request, exc.render())
    return redirect("interpreting:desk")


@login_required
@require_POST
def offer_accept(request: HttpRequest, offer_id: int) -> HttpResponse:
    try:
        started = services.offer_accept(actor=request.user, offer_id=offer_id)
    except ApplicationError as exc:
        messages.error(request, exc.render())
        return redirect("interpreting:desk")
    return redirect("interpreting:session", started.pk)


@login_required
@require_POST
def offer_decline(request: HttpRequest, offer_id: int) -> HttpResponse:
    try:
        services.offer_decline(actor=request.user, offer_id=offer_id)
    except ApplicationError as exc:
        messages.error(request, exc.render())
    return redirect("interpreting:desk")


# The dispatcher's console and the report ----------------------------------------------------


@login_required
def console_home(request: HttpRequest) -> HttpResponse:
    service = selectors.services_for_console(request.user).first()
    if service is None:
        raise policy.service_not_found()
    return redirect("interpreting:console", service.pk)


@login_required
def console(request: HttpRequest, service_id: int) -> HttpResponse:
    return render(
        request,
        "interpreting/console.html",
        {"console": selectors.console(request.user, service_id), "override_form": OverrideForm()},
    )


@login_required
def console_live(request: HttpRequest, service_id: int) -> HttpResponse:
    return render(
        request,
        "interpreting/_console_live.html",
        {"console": selectors.console(request.user, service_id), "override_form": OverrideForm()},
    )


@login_required
@require_POST
def override(request: HttpRequest, service_id: int, call_id: int) -> HttpResponse:
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.call_override(actor=request.user, call_id=call_id, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            messages.error(request, exc.render())
        else:
            messages.success(request, _("The call joins the queue in its place."))
    else:
        messages.error(request, _("Write why the call may go on without hours left."))
    return redirect("interpreting:console", service_id)


@login_required
@require_POST
def callback_done(request: HttpRequest, service_id: int, callback_id: int) -> HttpResponse:
    try:
        services.callback_done(actor=request.user, callback_id=callback_id)
    except ApplicationError as exc:
        messages.error(request, exc.render())
    return redirect("interpreting:console", service_id)


@login_required
def report(request: HttpRequest, service_id: int) -> HttpResponse:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), timezone.localdate().year + 1)
    found = selectors.report(request.user, service_id, year)
    return render(
        request,
        "interpreting/report.html",
        {
            "report": found,
            "years": list(range(timezone.localdate().year, 2015, -1)),
            "target": selectors.ANSWER_TARGET_SECONDS,
        },
    )


urlpatterns: list[URLPattern] = [
    path("", call, name="call"),
    path("call/", call_create, name="call_create"),
    path("call/status/", call_status, name="call_status"),
    path("call/<int:call_id>/cancel/", call_cancel, name="call_cancel"),
    path("callback/", callback_leave, name="callback_leave"),
    path("session/<int:session_id>/", session, name="session"),
    path("session/<int:session_id>/end/", session_end, name="session_end"),
    path("bookings/", bookings, name="bookings"),
    path("bookings/new/", booking_create, name="booking_create"),
    path("bookings/<int:booking_id>/cancel/", booking_cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/open/", booking_open, name="booking_open"),
    path("desk/", desk, name="desk"),
    path("desk/offer/", desk_offer, name="desk_offer"),
    path("desk/state/", state, name="state"),
    path("offers/<int:offer_id>/accept/", offer_accept, name="offer_accept"),
    path("offers/<int:offer_id>/decline/", offer_decline, name="offer_decline"),
    path("console/", console_home, name="console_home"),
    path("console/<int:service_id>/", console, name="console"),
    path("console/<int:service_id>/live/", console_live, name="console_live"),
    path("console/<int:service_id>/calls/<int:call_id>/override/", override, name="override"),
    path("console/<int:service_id>/callbacks/<int:callback_id>/done/", callback_done, name="callback_done"),
    path("report/<int:service_id>/", report, name="report"),
]
