"""The job coach's pages: the caseload (stage, next step, overdue follow-ups) and one case
(the seeker's profile, the vacancies that fit and why, the pipeline of proposals, and
forms that record a session, a placement and a follow-up through the services). A form
that the service refuses comes back with the error beside its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.jobs import selectors, services
from qoldau.jobs.forms_coaching import (
    CaseStageForm,
    DeclineForm,
    FollowUpForm,
    PlacementForm,
    ProposeForm,
    SessionForm,
)
from qoldau.jobs.models import Proposal
from qoldau.jobs.selectors import CaseOverview
from qoldau.jobs.services.coaching import FOLLOW_UP_EARLY_DAYS

PROPOSAL_STEPS = {
    "agree": gettext_lazy("The person's agreement is recorded."),
    "send": gettext_lazy("The person is sent to the employer."),
    "decline": gettext_lazy("The proposal is declined."),
}


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "jobs/coach/caseload.html",
        {
            "lines": selectors.caseload(request.user),
            "waiting": selectors.self_registered_waiting(request.user),
        },
    )


@login_required
@require_POST
def seeker_case_open(request: HttpRequest, seeker_id: int) -> HttpResponse:
    """A coach takes on a seeker who registered themselves: a case with them as its coach."""
    seeker = selectors.seeker_get_for_user(request.user, seeker_id)
    try:
        case = services.case_open(actor=request.user, seeker=seeker, coach=request.user)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, exc.render())
        return redirect("jobs:caseload")
    messages.success(request, _("The case is open, with you as its job coach."))
    return redirect("jobs:case", case_id=case.pk)


def _forms(overview: CaseOverview, bound: dict[str, Any]) -> dict[str, Any]:
    """Every form of the case page, a bound one (with its errors) in place of its blank:
    `bound` is keyed by the form's name, with the record's id for those of one proposal
    (`decline:12`) or follow-up (`follow_up:34`)."""
    case = overview.case
    projects = overview.projects
    today = timezone.localdate()
    forms: dict[str, Any] = {
        "stage_form": CaseStageForm(
            initial={
                "stage": case.stage,
                "next_step": case.next_step,
                "next_step_due": case.next_step_due,
                "version": case.version,
            },
            auto_id="stage-%s",
        ),
        "session_form": SessionForm(projects=projects, auto_id="session-%s"),
        "propose_form": ProposeForm(auto_id="propose-%s"),
        "placement_form": PlacementForm(
            projects=projects,
            proposals=[line.proposal for line in overview.proposals],
            accommodations=overview.accommodations_needed,
            auto_id="placement-%s",
        ),
    }
    forms |= {name: form for name, form in bound.items() if ":" not in name}
    forms["proposal_rows"] = [
        (
            line,
            bound.get(f"decline:{line.proposal.pk}") or DeclineForm(auto_id=f"decline-{line.proposal.pk}-%s"),
        )
        for line in overview.proposals
    ]
    # A follow-up is recorded from a fortnight before it is due (the service's rule).
    soon = today + dt.timedelta(days=FOLLOW_UP_EARLY_DAYS)
    forms["placement_rows"] = [
        (
            placement,
            [
                (
                    follow_up,
                    bound.get(f"follow_up:{follow_up.pk}")
                    or (
                        FollowUpForm(projects=projects, auto_id=f"follow-up-{follow_up.pk}-%s")
                        if placement.ended_on is None and not follow_up.outcome and follow_up.due_on <= soon
                        else None
                    ),
                )
                for follow_up in placement.follow_ups.all()
            ],
        )
        for placement in overview.placements
    ]
    return forms


def _case_page(request: HttpRequest, case_id: int, bound: dict[str, Any] | None = None) -> HttpResponse:
    overview = selectors.case_overview(request.user, case_id)
    context = {"overview": overview, "case": overview.case, "seeker": overview.case.seeker}
    context |= _forms(overview, bound or {})
    return render(request, "jobs/coach/case.html", context, status=400 if bound else 200)


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, case_id)


def _done(request: HttpRequest, case_id: int, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    response = redirect("jobs:case", case_id=case_id)
    response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def case_stage(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_coach(request.user, case_id)
    form = CaseStageForm(request.POST, auto_id="stage-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                actor=request.user,
                case=case,
                expected_version=data["version"],
                stage=data["stage"],
                next_step=data["next_step"],
                next_step_due=data["next_step_due"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, case_id, _("The stage and the next step are saved."), "stage")
    return _case_page(request, case_id, {"stage_form": form})


@login_required
@require_POST
def case_session(request: HttpRequest, case_id: int) -> HttpResponse:
    overview = selectors.case_overview(request.user, case_id)
    form = SessionForm(request.POST, projects=overview.projects, auto_id="session-%s")
    if form.is_valid():
        try:
            services.coaching_session_record(
                actor=request.user,
                case=overview.case,
                project=form.chosen_project(),
                held_on=form.cleaned_data["held_on"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, case_id, _("The session is recorded."), "sessions")
    return _case_page(request, case_id, {"session_form": form})


@login_required
@require_POST
def case_propose(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_coach(request.user, case_id)
    form = ProposeForm(request.POST, auto_id="propose-%s")
    if form.is_valid():
        try:
            vacancy = selectors.vacancy_get_for_user(request.user, form.cleaned_data["vacancy"])
            services.proposal_create(actor=request.user, seeker=case.seeker, vacancy=vacancy)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return _done(request, case_id, _("The vacancy is proposed to the person."), "proposals")
    return _case_page(request, case_id, {"propose_form": form})


@login_required
@require_POST
def proposal_step(request: HttpRequest, case_id: int, proposal_id: int, step: str) -> HttpResponse:
    """The coach's steps of a proposal: the person agrees, is sent to the employer, or
    declines (with a reason)."""
    if step not in PROPOSAL_STEPS:
        raise Http404
    case = selectors.case_get_for_coach(request.user, case_id)
    proposal = selectors.proposal_get_for_coach(request.user, case.seeker, proposal_id)
    form = DeclineForm(request.POST, auto_id=f"decline-{proposal.pk}-%s")
    if step == "decline" and not form.is_valid():
        return _case_page(request, case_id, {f"decline:{proposal.pk}": form})
    try:
        if step == "agree":
            services.proposal_agree(actor=request.user, proposal=proposal)
        elif step == "send":
            services.proposal_send(actor=request.user, proposal=proposal)
        else:
            services.proposal_decline(
                actor=request.user,
                proposal=proposal,
                side=Proposal.Side.SEEKER,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
    except ApplicationError as exc:
        # A step of the pipeline is a button: its refusal is said above the page.
        add_service_error(form, exc)
        messages.error(request, exc.render())
        return redirect("jobs:case", case_id=case_id)
    return _done(request, case_id, str(PROPOSAL_STEPS[step]), "proposals")


@login_required
@require_POST
def case_placement(request: HttpRequest, case_id: int) -> HttpResponse:
    overview = selectors.case_overview(request.user, case_id)
    form = PlacementForm(
        request.POST,
        projects=overview.projects,
        proposals=[line.proposal for line in overview.proposals],
        accommodations=overview.accommodations_needed,
        auto_id="placement-%s",
    )
    if form.is_valid():
        data = form.cleaned_data
        vacancy = form.vacancies[data["vacancy"]]
        try:
            services.placement_record(
                actor=request.user,
                case=overview.case,
                project=form.chosen_project(),
                data=services.PlacementInput(
                    employer_id=vacancy.employer_id,
                    vacancy_id=vacancy.pk,
                    start_date=data["start_date"],
                    pay=data["pay"],
                    weekly_hours=data["weekly_hours"],
                    contract_kind=data["contract_kind"],
                    programme_code=data["programme"],
                    accommodation_codes=data["accommodations"],
                ),
            )
        except ApplicationError as exc:
            add_service_error(
                form,
                exc,
                field_names={
                    "vacancy_id": "vacancy",
                    "programme_code": "programme",
                    "employer_id": "vacancy",
                },
            )
        else:
            return _done(
                request, case_id, _("The placement is recorded, and its follow-ups scheduled."), "placements"
            )
    return _case_page(request, case_id, {"placement_form": form})


@login_required
@require_POST
def case_follow_up(request: HttpRequest, case_id: int, follow_up_id: int) -> HttpResponse:
    overview = selectors.case_overview(request.user, case_id)
    follow_up = selectors.follow_up_get_for_coach(request.user, overview.case, follow_up_id)
    form = FollowUpForm(request.POST, projects=overview.projects, auto_id=f"follow-up-{follow_up.pk}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.follow_up_record(
                actor=request.user,
                follow_up=follow_up,
                project=form.chosen_project(),
                recorded_on=data["recorded_on"],
                outcome=data["outcome"],
                left_on=data["left_on"],
                left_reason=data["left_reason"],
                note=data["note"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc, field_names={"follow_up": "outcome"})
        else:
            return _done(request, case_id, _("The follow-up is recorded."), "placements")
    return _case_page(request, case_id, {f"follow_up:{follow_up.pk}": form})


urlpatterns: list[URLPattern] = [
    path("coach/", caseload, name="caseload"),
    path("coach/seekers/<id:seeker_id>/open-case/", seeker_case_open, name="seeker_case_open"),
    path("cases/<id:case_id>/", case_page, name="case"),
    path("cases/<id:case_id>/stage/", case_stage, name="case_stage"),
    path("cases/<id:case_id>/sessions/", case_session, name="case_session"),
    path("cases/<id:case_id>/proposals/", case_propose, name="case_propose"),
    path(
        "cases/<id:case_id>/proposals/<id:proposal_id>/<slug:step>/",
        proposal_step,
        name="proposal_step",
    ),
    path("cases/<id:case_id>/placements/", case_placement, name="case_placement"),
    path("cases/<id:case_id>/follow-ups/<id:follow_up_id>/", case_follow_up, name="case_follow_up"),
]
