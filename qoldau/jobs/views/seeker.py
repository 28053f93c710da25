"""A citizen's own job search under /employment/me/: registering as a seeker with an
organisation that offers employment support, their profile, the vacancies that fit them,
and the proposals made to them, which they agree to or decline themselves. Every page asks
for the citizen's own records: another's answer as not there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core import policy as core_policy
from qoldau.core import services as core_services
from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.jobs import selectors, services
from qoldau.jobs.forms_seeker import OwnDeclineForm, SeekerProfileForm, SelfRegistrationForm
from qoldau.jobs.models import Proposal, Seeker

# The service's input names where the form's differ.
FIELD_NAMES = {
    "region_id": "region",
    "district_id": "district",
    "occupation_codes": "occupations",
    "accommodation_codes": "accommodations",
    "consent_given_on": "consent",
}


def _seeker_input(data: dict[str, Any]) -> services.SeekerInput:
    return services.SeekerInput(
        education=data["education"],
        region_id=data["region"],
        district_id=data["district"],
        occupation_codes=data["occupations"],
        skills=data["skills"] or "",
        experience_months=data["experience_months"] or 0,
        weekly_hours_wanted=data["weekly_hours_wanted"],
        pay_wanted=data["pay_wanted"],
        remote_ok=data["remote_ok"],
        accommodation_codes=data["accommodations"],
        categories_needed=data["categories_needed"],
    )


def _profile_initial(seeker: Seeker) -> dict[str, Any]:
    return {
        "occupations": [o.code for o in seeker.occupations.all()],
        "skills": seeker.skills,
        "education": seeker.education,
        "experience_months": seeker.experience_months,
        "region": seeker.region_id,
        "district": seeker.district_id,
        "weekly_hours_wanted": seeker.weekly_hours_wanted,
        "pay_wanted": seeker.pay_wanted,
        "remote_ok": seeker.remote_ok,
        "categories_needed": list(seeker.categories_needed),
        "accommodations": [a.code for a in seeker.accommodations_needed.all()],
        "version": seeker.version,
    }


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The citizen's profile as their organisation keeps it, or the way to register."""
    core_policy.check_is_citizen(request.user)
    profile = selectors.own_profile(request.user)
    fairs = selectors.own_fair_registrations(request.user) if profile is not None else []
    return render(request, "jobs/seeker/me.html", {"profile": profile, "fairs": fairs})


@login_required
def register(request: HttpRequest) -> HttpResponse:
    core_policy.check_is_citizen(request.user)
    if selectors.own_seeker(request.user) is not None:
        return redirect("jobs:me")
    organisations = list(selectors.organisations_for_self_registration())
    form = SelfRegistrationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The field's choices are these organisations: a valid form names one of them.
        organisation = next(o for o in organisations if o.pk == data["organisation"])
        try:
            services.seeker_self_register(
                actor=request.user,
                organisation=organisation,
                person_data=core_services.PersonInput(
                    last_name=data["last_name"],
                    first_name=data["first_name"],
                    patronymic=data["patronymic"] or "",
                    iin=data["iin"],
                    region_id=data["region"],
                    district_id=data["district"],
                    phone=core_policy.check_is_citizen(request.user).phone or "",
                ),
                data=_seeker_input(data),
                consent_given_on=timezone.localdate() if data["consent"] else None,
            )
        except ApplicationError as exc:
            add_service_error(form, exc, field_names=FIELD_NAMES)
        else:
            messages.success(
                request,
                _("You are registered as a job seeker. The organisation will confirm your IIN once."),
            )
            return redirect("jobs:me")
    return render(request, "jobs/seeker/register.html", {"form": form})


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    seeker = selectors.own_seeker_get(request.user)
    chosen = list(seeker.occupations.all())
    if request.method == "POST":
        form = SeekerProfileForm(request.POST, chosen_occupations=chosen)
        if form.is_valid():
            try:
                services.seeker_update_by_citizen(
                    actor=request.user,
                    seeker=seeker,
                    expected_version=form.cleaned_data["version"] or 0,
                    data=_seeker_input(form.cleaned_data),
                )
            except ApplicationError as exc:
                add_service_error(form, exc, field_names=FIELD_NAMES)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("jobs:me")
    else:
        form = SeekerProfileForm(initial=_profile_initial(seeker), chosen_occupations=chosen)
    return render(request, "jobs/seeker/edit.html", {"form": form, "seeker": seeker})


@login_required
def matches(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/seeker/matches.html", {"lines": selectors.own_matches(request.user)})


def _proposals_page(request: HttpRequest, bound: dict[int, OwnDeclineForm] | None = None) -> HttpResponse:
    lines = selectors.own_proposals(request.user)
    bound = bound or {}
    rows = [
        (line, bound.get(line.proposal.pk) or OwnDeclineForm(auto_id=f"decline-{line.proposal.pk}-%s"))
        for line in lines
    ]
    return render(request, "jobs/seeker/proposals.html", {"rows": rows}, status=400 if bound else 200)


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    selectors.own_seeker_get(request.user)
    return _proposals_page(request)


@login_required
@require_POST
def proposal_agree(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.own_proposal_get(request.user, proposal_id)
    try:
        services.proposal_agree(actor=request.user, proposal=proposal)
    except ApplicationError as exc:
        messages.error(request, exc.render())
    else:
        messages.success(request, _("You agreed. Your organisation will send you to the employer."))
    return redirect("jobs:my_proposals")


@login_required
@require_POST
def proposal_decline(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.own_proposal_get(request.user, proposal_id)
    form = OwnDeclineForm(request.POST, auto_id=f"decline-{proposal.pk}-%s")
    if form.is_valid():
        try:
            services.proposal_decline(
                actor=request.user,
                proposal=proposal,
                side=Proposal.Side.SEEKER,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"] or "",
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("You declined the vacancy."))
            return redirect("jobs:my_proposals")
    return _proposals_page(request, {proposal.pk: form})


urlpatterns: list[URLPattern] = [
    path("me/", me, name="me"),
    path("me/register/", register, name="me_register"),
    path("me/edit/", edit, name="me_edit"),
    path("me/matches/", matches, name="my_matches"),
    path("me/proposals/", proposals, name="my_proposals"),
    path("me/proposals/<id:proposal_id>/agree/", proposal_agree, name="my_proposal_agree"),
    path("me/proposals/<id:proposal_id>/decline/", proposal_decline, name="my_proposal_decline"),
]
