"""The employer's pages: its vacancies (posted and changed through the services), and for
each vacancy the seekers a coach sent to it, never the pool, with the employer's steps of
each proposal (interview, offer, hired, or declined with a reason); and the job fairs it is
registered for (its table there is `views.fairs.employer_fair`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.jobs import selectors, services
from qoldau.jobs.forms_employer import (
    EMPLOYER_STEPS,
    VACANCY_FIELD_NAMES,
    EmployerDeclineForm,
    VacancyForm,
    VacancyStatusForm,
)
from qoldau.jobs.models import Proposal, Vacancy

EMPLOYERS_PAGE_SIZE = 50


@login_required
def employers(request: HttpRequest) -> HttpResponse:
    """The employers whose vacancies the user posts: straight to the one, if one."""
    staffed = selectors.employers_of_staff(request.user)
    page = Paginator(staffed, EMPLOYERS_PAGE_SIZE).get_page(request.GET.get("page"))
    if page.paginator.count == 1:
        return redirect("jobs:employer_vacancies", employer_id=page[0].pk)
    return render(request, "jobs/employer/employers.html", {"page": page})


@login_required
def employer_vacancies(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get_for_staff(request.user, employer_id)
    vacancies = selectors.vacancies_of_employer(request.user, employer).order_by("-opens_on", "-pk")
    context = {
        "employer": employer,
        "vacancies": vacancies,
        "fair_tables": selectors.fair_tables_of_employer(request.user, employer),
    }
    return render(request, "jobs/employer/vacancies.html", context)


@login_required
def vacancy_create(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = selectors.employer_get_for_staff(request.user, employer_id)
    form = VacancyForm(request.POST or None, initial={"region": employer.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_post(actor=request.user, employer=employer, data=form.vacancy_input())
        except ApplicationError as exc:
            add_service_error(form, exc, field_names=VACANCY_FIELD_NAMES)
        else:
            messages.success(request, _("The vacancy is posted."))
            return redirect("jobs:vacancy_seekers", vacancy_id=vacancy.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "jobs/employer/vacancy_form.html", {"employer": employer, "form": form}, status=status
    )


@login_required
def vacancy_edit(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = selectors.vacancy_get_for_staff(request.user, vacancy_id)
    form = VacancyForm(request.POST or None, initial=VacancyForm.initial_of(vacancy))
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_update(
                actor=request.user,
                vacancy=vacancy,
                expected_version=form.cleaned_data["version"] or 0,
                data=form.vacancy_input(),
            )
        except ApplicationError as exc:
            add_service_error(form, exc, field_names=VACANCY_FIELD_NAMES)
        else:
            messages.success(request, _("The vacancy is saved."))
            return redirect("jobs:vacancy_seekers", vacancy_id=vacancy.pk)
    status = 400 if request.method == "POST" else 200
    context = {"employer": vacancy.employer, "vacancy": vacancy, "form": form}
    return render(request, "jobs/employer/vacancy_form.html", context, status=status)


@login_required
def vacancy_seekers(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """A vacancy the user manages, its status, and the seekers sent to it."""
    vacancy = selectors.vacancy_get_for_staff(request.user, vacancy_id)
    rows = [
        (line, EmployerDeclineForm(auto_id=f"decline-{line.proposal.pk}-%s"))
        for line in selectors.proposals_sent_for_vacancy(request.user, vacancy)
    ]
    context = {
        "vacancy": vacancy,
        "rows": rows,
        "status_form": VacancyStatusForm(initial={"status": vacancy.status}, auto_id="status-%s"),
        "steps": EMPLOYER_STEPS,
    }
    return render(request, "jobs/employer/vacancy_seekers.html", context)


@login_required
@require_POST
def vacancy_status(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = selectors.vacancy_get_for_staff(request.user, vacancy_id)
    form = VacancyStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise Http404
        services.vacancy_set_status(actor=request.user, vacancy=vacancy, status=form.cleaned_data["status"])
    except ApplicationError as exc:
        messages.error(request, exc.render())
    else:
        messages.success(
            request, _("The vacancy is now %(status)s.") % {"status": Vacancy.Status(vacancy.status).label}
        )
    return redirect("jobs:vacancy_seekers", vacancy_id=vacancy.pk)


@login_required
@require_POST
def proposal_answer(request: HttpRequest, proposal_id: int, step: str) -> HttpResponse:
    """The employer's step of a proposal sent to it; a proposal not sent is not found."""
    proposal = selectors.proposal_get_for_employer(request.user, proposal_id)
    if step != "decline" and step not in EMPLOYER_STEPS:
        raise Http404
    try:
        if step == "decline":
            form = EmployerDeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose why the employer declined."))
                return redirect("jobs:vacancy_seekers", vacancy_id=proposal.vacancy_id)
            services.proposal_decline(
                actor=request.user,
                proposal=proposal,
                side=Proposal.Side.EMPLOYER,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        else:
            services.proposal_advance(actor=request.user, proposal=proposal, state=step)
    except ApplicationError as exc:
        messages.error(request, exc.render())
    else:
        messages.success(request, _("The proposal is updated."))
    return redirect("jobs:vacancy_seekers", vacancy_id=proposal.vacancy_id)


urlpatterns: list[URLPattern] = [
    path("employer/", employers, name="employers"),
    path("employer/<id:employer_id>/", employer_vacancies, name="employer_vacancies"),
    path("employer/<id:employer_id>/vacancies/new/", vacancy_create, name="vacancy_create"),
    path("employer/vacancies/<id:vacancy_id>/", vacancy_seekers, name="vacancy_seekers"),
    path("employer/vacancies/<id:vacancy_id>/edit/", vacancy_edit, name="vacancy_edit"),
    path("employer/vacancies/<id:vacancy_id>/status/", vacancy_status, name="vacancy_status"),
    path("employer/proposals/<id:proposal_id>/<slug:step>/", proposal_answer, name="proposal_answer"),
]
