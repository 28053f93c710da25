"""Pages of a person's way through services: the provider staff's services (capacity and
occupancy, enrolments with plans and attendance, the wait list with its offers), referrals
in (with the answers) and out (status and outcome, never the provider's notes), the
referral form, the akimat's network by district, and the public place on a wait list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms as forms_module
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qoldau.core.errors import ApplicationError, RateLimited
from qoldau.core.forms import add_service_error
from qoldau.core.models import Person, Place
from qoldau.core.ratelimit import rate_limit_request
from qoldau.services import policy
from qoldau.services.forms_flow import (
    AnswerForm,
    CapacityForm,
    DeclineForm,
    EndForm,
    EnrolForm,
    JoinForm,
    LookupForm,
    NetworkForm,
    PlannedCentreForm,
    ReferForm,
)
from qoldau.services.models import Service
from qoldau.services.selectors import flow as selectors
from qoldau.services.services import capacity, referrals, wait_lists


def _name(person: Person) -> str:
    return f"{person.last_name} {person.first_name}"


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def flow_home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "today": today,
        "services": selectors.services_kept(request.user, today),
        "referrals_in": selectors.referral_views(request.user, selectors.referrals_in(request.user), 100),
        "referrals_out": selectors.referral_views(request.user, selectors.referrals_out(request.user), 100),
        "may_oversee": policy.may_oversee_network(request.user),
    }
    return render(request, "services/flow/home.html", context)


def _provider_people(request: HttpRequest, service: Service) -> list[tuple[int, str]]:
    people = selectors.people_to_refer(request.user).filter(organisation_id=service.provider.organisation_id)[
        :500
    ]
    return [(p.pk, _name(p)) for p in people]


@login_required
@require_http_methods(["GET", "POST"])
def service_page(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_manager(request.user, service_id)
    on = _day(request)
    people = _provider_people(request, service)
    forms: dict[str, Any] = {
        "capacity": CapacityForm(auto_id="capacity-%s", initial={"since": on}),
        "enrol": EnrolForm(auto_id="enrol-%s", people=people, initial={"starts_on": on}),
        "join": JoinForm(auto_id="join-%s", people=people),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _service_action(request, service, action, people, forms)
        except ApplicationError as error:
            form = forms.get(action)
            if form is None:
                messages.error(request, error.render())
            else:
                add_service_error(form, error)
            done = False
        if done:
            messages.success(request, _("Saved."))
            return redirect("services:flow_service", service_id=service.pk)
        status = 400
    context = {
        "service": service,
        "on": on,
        "occupancy": selectors.occupancy(service, on),
        "enrolments": selectors.enrolments_of(request.user, service, on),
        "wait_list": selectors.wait_list_of(request.user, service),
        "forms": forms,
        "decline_reasons": DeclineForm.base_fields["reason"].choices,  # type: ignore[attr-defined]
        "end_reasons": EndForm.base_fields["reason"].choices,  # type: ignore[attr-defined]
        "today": timezone.localdate(),
    }
    return render(request, "services/flow/service.html", context, status=status)


def _service_action(
    request: HttpRequest, service: Service, action: str, people: list[tuple[int, str]], forms: dict[str, Any]
) -> bool:
    """Carry out one form of the service's page; False when a form has errors."""
    user = request.user
    post = request.POST
    form: forms_module.Form
    if action == "capacity":
        form = forms["capacity"] = CapacityForm(post, auto_id="capacity-%s")
        if not form.is_valid():
            return False
        capacity.capacity_record(actor=user, service=service, **form.cleaned_data)
    elif action in {"enrol", "join"}:
        form_class = EnrolForm if action == "enrol" else JoinForm
        form = forms[action] = form_class(post, auto_id=f"{action}-%s", people=people)
        if not form.is_valid():
            return False
        person = selectors.people_to_refer(user).get(pk=form.cleaned_data["person"])
        if action == "enrol":
            capacity.enrolment_create(
                actor=user,
                service=service,
                person=person,
                starts_on=form.cleaned_data["starts_on"],
                plan=form.cleaned_data["plan"],
            )
        else:
            wait_lists.wait_list_join(actor=user, service=service, person=person)
    elif action in {"present", "absent"}:
        enrolment = selectors.enrolment_get_for_manager(user, int(post.get("enrolment", "0") or 0))
        capacity.attendance_record(
            actor=user, enrolment=enrolment, on=timezone.localdate(), present=action == "present"
        )
    elif action == "end":
        enrolment = selectors.enrolment_get_for_manager(user, int(post.get("enrolment", "0") or 0))
        form = EndForm(post)
        if not form.is_valid():
            messages.error(request, _("Give the last day and the reason."))
            return False
        capacity.enrolment_end(
            actor=user,
            enrolment=enrolment,
            ends_on=form.cleaned_data["ends_on"],
            reason=form.cleaned_data["reason"],
        )
    elif action == "accept":
        offer = selectors.offer_get_for_manager(user, int(post.get("offer", "0") or 0))
        wait_lists.offer_accept(actor=user, offer=offer)
    elif action == "decline":
        offer = selectors.offer_get_for_manager(user, int(post.get("offer", "0") or 0))
        form = DeclineForm(post)
        if not form.is_valid():
            messages.error(request, _("Give the reason and the day the person returns to the list."))
            return False
        wait_lists.offer_decline(
            actor=user,
            offer=offer,
            reason=form.cleaned_data["reason"],
            return_on=form.cleaned_data["return_on"],
        )
    elif action == "leave":
        entry = selectors.entry_get_for_manager(user, int(post.get("entry", "0") or 0))
        wait_lists.wait_list_leave(actor=user, entry=entry)
    else:
        messages.error(request, _("Unknown action."))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def referral_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    view = selectors.referral_get_for_user(request.user, referral_id)
    form = AnswerForm(auto_id="answer-%s")
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST, auto_id="answer-%s")
        if form.is_valid():
            try:
                _answer(request, view.referral, request.POST.get("action", ""), form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error, field_names={"rejection_reason": "rejection_reason"})
            else:
                messages.success(request, _("Saved."))
                return redirect("services:flow_referral", referral_id=referral_id)
        status = 400
    context = {
        "view": view,
        "referral": view.referral,
        "form": form,
        "person": view.referral.receiver_person
        if view.received and view.referral.receiver_person
        else view.referral.person,
        "may_answer": view.received,
        "may_cancel": view.sent,
    }
    return render(request, "services/flow/referral.html", context, status=status)


def _answer(request: HttpRequest, referral: Any, action: str, data: dict[str, Any]) -> None:
    user = request.user
    notes = data["receiver_notes"]
    if action == "accept":
        referrals.referral_accept(actor=user, referral=referral, receiver_notes=notes)
    elif action == "reject":
        referrals.referral_reject(
            actor=user, referral=referral, reason=data["rejection_reason"], receiver_notes=notes
        )
    elif action == "wait_list":
        referrals.referral_wait_list(actor=user, referral=referral, receiver_notes=notes)
    elif action == "start":
        referrals.referral_start(actor=user, referral=referral, first_service_on=timezone.localdate())
    elif action == "complete":
        referrals.referral_complete(
            actor=user,
            referral=referral,
            outcome=data["outcome"],
            delivered_on=data["delivered_on"],
            receiver_notes=notes,
        )
    elif action == "cancel":
        referrals.referral_cancel(actor=user, referral=referral)


@login_required
@require_http_methods(["GET", "POST"])
def refer_page(request: HttpRequest) -> HttpResponse:
    people = [(p.pk, _name(p)) for p in selectors.people_to_refer(request.user)[:500]]
    services = [
        (s.pk, f"{s.name} — {s.provider.organisation.name}")
        for s in selectors.services_to_refer_to().order_by("name_kk", "pk")[:500]
    ]
    initial = {"consent_given_on": None}
    form = ReferForm(auto_id="refer-%s", people=people, services=services, initial=initial)
    status = 200
    if request.method == "POST":
        form = ReferForm(request.POST, auto_id="refer-%s", people=people, services=services)
        if form.is_valid():
            try:
                referral = referrals.referral_create(
                    actor=request.user,
                    service=selectors.service_to_refer_to(form.cleaned_data["service"]),
                    person=selectors.people_to_refer(request.user).get(pk=form.cleaned_data["person"]),
                    consent_given_on=form.cleaned_data["consent_given_on"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                add_service_error(form, error, field_names={"service_id": "service"})
            else:
                messages.success(request, _("The referral was sent."))
                return redirect("services:flow_referral", referral_id=referral.pk)
        status = 400
    return render(request, "services/flow/refer.html", {"form": form}, status=status)


@login_required
def network_page(request: HttpRequest) -> HttpResponse:
    policy.check_may_oversee_network(request.user)
    regions = list(selectors.regions_for_network(request.user))
    form = NetworkForm(request.GET or None, auto_id="network-%s", regions=[(r.pk, r.name) for r in regions])
    region = regions[0] if regions else None
    if form.is_valid():
        region = next((r for r in regions if r.pk == form.cleaned_data["region"]), region)
    on = _day(request)
    context: dict[str, Any] = {"form": form, "region": region, "on": on}
    if region is not None:
        context["network"] = selectors.network_of_region(request.user, region, on)
        context["unanswered"] = list(selectors.unanswered_referrals(request.user, region)[:100])
        context["now"] = timezone.now()
    return render(request, "services/flow/network.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def planned_centre_page(request: HttpRequest) -> HttpResponse:
    """An akimat officer records a centre planned or being built in a region they oversee;
    the network page counts its places by district."""
    policy.check_may_oversee_network(request.user)
    grouped = selectors.districts_for_network(request.user)
    regions = [(region.pk, region.name) for region, _districts in grouped]
    districts = [(region.name, [(d.pk, d.name) for d in found]) for region, found in grouped if found]
    initial = {"region": request.GET.get("region") or (regions[0][0] if regions else None)}
    form = PlannedCentreForm(
        request.POST or None, auto_id="plan-%s", initial=initial, regions=regions, districts=districts
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            region = Place.objects.get(pk=data["region"])
            district = Place.objects.get(pk=data["district"]) if data["district"] else None
            try:
                capacity.planned_centre_record(
                    actor=request.user,
                    name_kk=data["name_kk"],
                    name_ru=data["name_ru"],
                    name_en=data["name_en"],
                    region=region,
                    district=district,
                    unit=data["unit"],
                    places=data["places"],
                    opens_on=data["opens_on"],
                    stage=data["stage"],
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The planned centre was recorded."))
                return redirect(f"{reverse('services:flow_network')}?region={region.pk}")
    chosen = str(form["region"].value() or "")
    regions_shown = Place.objects.filter(level=Place.Level.REGION)
    shown = regions_shown.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    centres = list(selectors.planned_centres_of(request.user, shown)) if shown else []
    context = {"form": form, "region": shown, "centres": centres}
    return render(request, "services/flow/plan.html", context, status=status)


@require_http_methods(["GET", "POST"])
def wait_list_lookup(request: HttpRequest) -> HttpResponse:
    """Anyone's place on a wait list by the reference and the birth date: no sign-in, no
    name shown, the same answer for a wrong reference or a wrong date; limited per address."""
    form = LookupForm(auto_id="lookup-%s")
    place = None
    status = 200
    if request.method == "POST":
        form = LookupForm(request.POST, auto_id="lookup-%s")
        try:
            rate_limit_request(request, per_address="wait_list_lookup_address")
            if form.is_valid():
                place = selectors.wait_list_position(
                    form.cleaned_data["reference"], form.cleaned_data["birth_date"]
                )
            else:
                status = 400
        except ApplicationError as error:
            form.add_error(None, error.render())
            status = 429 if isinstance(error, RateLimited) else 404
    return render(request, "services/flow/lookup.html", {"form": form, "place": place}, status=status)


urlpatterns: list[URLPattern] = [
    path("flow/", flow_home, name="flow_home"),
    path("flow/services/<int:service_id>/", service_page, name="flow_service"),
    path("flow/referrals/<int:referral_id>/", referral_page, name="flow_referral"),
    path("flow/refer/", refer_page, name="flow_refer"),
    path("flow/network/", network_page, name="flow_network"),
    path("flow/network/plan/", planned_centre_page, name="flow_plan"),
    path("wait-list/", wait_list_lookup, name="wait_list_lookup"),
]
