"""Pages that compose several apps: the start page, an organisation's page (its profile,
staff and projects) and a person's page (the organisation's record and what the person
received from its projects). They live above the apps they compose, so that `core` never
imports an app built on it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from qoldau.core import policy as core_policy
from qoldau.core import selectors
from qoldau.core.forms import ConsentWithdrawForm, PersonCategoryForm
from qoldau.portal.design import design_context
from qoldau.portal.work import work_of
from qoldau.projects.selectors import person_participation, projects_visible


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "portal/welcome.html")
    if core_policy.menu(request.user).job_search:
        # A citizen's start is their own job search: nothing of the staff's is theirs.
        return redirect("jobs:me")
    context = {
        "organisations": list(selectors.organisations_visible(request.user)[:10]),
        "projects": list(projects_visible(request.user)[:10]),
        "sees_people": core_policy.may_see_people(request.user),
        "work": work_of(request.user),
    }
    return render(request, "portal/home.html", context)


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(request.user, organisation_id)
    projects = projects_visible(request.user).filter(organisation=organisation)
    return render(
        request,
        "portal/organisation_detail.html",
        {
            "organisation": organisation,
            "projects": projects,
            "staff": selectors.organisation_staff(request.user, organisation),
            "may_edit": core_policy.may_administer_organisation(request.user, organisation),
        },
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get_for_user(request.user, person_id)
    organisations = list(selectors.organisations_worked_for(request.user))
    active_org_ids = {c.organisation_id for c in person.consents.all() if c.withdrawn_on is None}
    return render(
        request,
        "portal/person_detail.html",
        {
            "person": person,
            "category_form": PersonCategoryForm(initial={"since": timezone.localdate()}),
            "withdraw_form": ConsentWithdrawForm(
                organisations=[o for o in organisations if o.pk in active_org_ids],
                initial={"withdrawn_on": timezone.localdate()},
            ),
            "participation": person_participation(request.user, person),
            # The person registered themselves; their IIN waits for the staff's check.
            "iin_to_confirm": bool(selectors.iin_to_confirm([person.pk])),
        },
    )


@login_required
def design(request: HttpRequest) -> HttpResponse:
    """The design system's components, live (system administrators only; others are told
    the page is not there)."""
    if not core_policy.menu(request.user).administration:
        raise Http404
    return render(request, "portal/design.html", design_context())
