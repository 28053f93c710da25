"""The job fair pages. For the organiser (the staff of the organisation whose project
holds the fair): the fairs with their funnels, a new fair, and one fair's page with its
funnel, its people and employers, and the forms that register them and record the fair's
day (attendance, interview slots, bookings, interviews, referrals and their outcomes),
each through one service, its refusal beside the field and nothing changed. Officers who
follow the fair read its counts only. For an employer's staff: their table at a fair, its
slots and referrals, never the people registered for the fair."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.jobs import policy, selectors, services
from qoldau.jobs.forms_fairs import (
    AttendanceForm,
    BookForm,
    EmployerRegisterForm,
    EmployersAttendedForm,
    FairForm,
    InterviewForm,
    OutcomeForm,
    ReferralForm,
    SeekerRegisterForm,
    SlotsForm,
)
from qoldau.jobs.models import JobFair
from qoldau.jobs.selectors import FairRecords

# Each form of the fair page: its name in the page's context and the section it is in.
FORM_SECTIONS = {
    "seeker_form": "people",
    "attendance_form": "people",
    "employer_form": "employers",
    "employers_attended_form": "employers",
    "slots_form": "slots",
    "book_form": "slots",
    "interview_form": "slots",
    "referral_form": "referrals",
    "outcome_form": "referrals",
}


@login_required
def fairs(request: HttpRequest) -> HttpResponse:
    """The fairs the user sees, each with its funnel, and all of them together."""
    context = {
        "funnel": selectors.fairs_funnel(request.user),
        "may_create": bool(selectors.projects_for_fairs(request.user)),
    }
    return render(request, "jobs/fairs/fairs.html", context)


@login_required
def fair_create(request: HttpRequest) -> HttpResponse:
    projects = selectors.projects_for_fairs(request.user)
    if not projects:
        policy.check_may_hold_some_fair(request.user)
    form = FairForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        try:
            fair = services.fair_create(
                actor=request.user, project=form.chosen_project(), data=form.fair_input()
            )
        except ApplicationError as exc:
            add_service_error(form, exc, field_names={"place_id": "place"})
        else:
            messages.success(request, _("The job fair is created."))
            return redirect("jobs:fair", fair_id=fair.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "jobs/fairs/fair_form.html", {"form": form}, status=status)


def _forms(records: FairRecords, tables: list[Any], bound: dict[str, Any]) -> dict[str, Any]:
    """Every form of the fair page, a bound one (with its errors) in place of its blank."""
    people = records.registrations
    blank: dict[str, Any] = {
        "seeker_form": SeekerRegisterForm(auto_id="seeker-%s"),
        "attendance_form": AttendanceForm(registrations=people, auto_id="attendance-%s"),
        "employer_form": EmployerRegisterForm(auto_id="employer-%s"),
        "employers_attended_form": EmployersAttendedForm(tables=tables, auto_id="came-%s"),
        "slots_form": SlotsForm(tables=tables, auto_id="slots-%s"),
        "book_form": BookForm(slots=records.slots, registrations=people, auto_id="book-%s"),
        "interview_form": InterviewForm(slots=records.slots, auto_id="interview-%s"),
        "referral_form": ReferralForm(registrations=people, tables=tables, auto_id="referral-%s"),
        "outcome_form": OutcomeForm(referrals=records.referrals, auto_id="outcome-%s"),
    }
    return blank | bound


def _fair_page(request: HttpRequest, fair: JobFair, bound: dict[str, Any] | None = None) -> HttpResponse:
    tables = selectors.fair_tables(request.user, fair)
    context: dict[str, Any] = {
        "fair": fair,
        "funnel": selectors.fair_funnel(request.user, fair),
        "tables": tables,
        "organiser": policy.may_organise_fair(request.user, fair),
    }
    if context["organiser"]:
        records = selectors.fair_records(request.user, fair)
        context["records"] = records
        context |= _forms(records, tables, bound or {})
    return render(request, "jobs/fairs/fair.html", context, status=400 if bound else 200)


@login_required
def fair_page(request: HttpRequest, fair_id: int) -> HttpResponse:
    return _fair_page(request, selectors.fair_get_for_user(request.user, fair_id))


def _done(request: HttpRequest, fair: JobFair, message: str, section: str) -> HttpResponse:
    messages.success(request, message)
    response = redirect("jobs:fair", fair_id=fair.pk)
    response["Location"] += f"#{section}"
    return response


def _refused(request: HttpRequest, fair: JobFair, name: str, form: Any) -> HttpResponse:
    """The fair page again, the form with its errors in place of its blank."""
    return _fair_page(request, fair, {name: form})


def _submit(
    request: HttpRequest,
    fair: JobFair,
    name: str,
    form: Any,
    write: Callable[[dict[str, Any]], object],
    done: str,
    section: str,
    field_names: dict[str, str] | None = None,
) -> HttpResponse:
    """One form of the fair page: a valid form goes to its service (`write`), and the page
    comes back at its section with `done`; a refusal, the form's or the service's, shows
    the fair page again with the form and its errors."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc, field_names=field_names or {})
        else:
            return _done(request, fair, done, section)
    return _refused(request, fair, name, form)


@login_required
@require_POST
def fair_register_seeker(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    form = SeekerRegisterForm(request.POST, auto_id="seeker-%s")

    def write(data: dict[str, Any]) -> None:
        person = selectors.fair_person_get(request.user, fair, data["person"])
        services.fair_register_seeker(
            actor=request.user,
            fair=fair,
            person=person,
            registered_on=data["registered_on"],
        )

    return _submit(
        request,
        fair,
        "seeker_form",
        form,
        write,
        _("The person is registered for the job fair."),
        "people",
        {"": "person"},
    )


@login_required
@require_POST
def fair_register_employer(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    form = EmployerRegisterForm(request.POST, auto_id="employer-%s")

    def write(data: dict[str, Any]) -> None:
        employer = selectors.fair_employer_by_bin(data["employer"])
        services.fair_register_employer(
            actor=request.user,
            fair=fair,
            employer=employer,
            vacancy_ids=data["vacancies"],
            registered_on=data["registered_on"],
        )

    return _submit(
        request,
        fair,
        "employer_form",
        form,
        write,
        _("The employer is registered for the job fair."),
        "employers",
        {"bin": "employer", "": "employer", "vacancy_ids": "vacancies"},
    )


@login_required
@require_POST
def fair_attendance(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    people = selectors.fair_registrations(request.user, fair)
    form = AttendanceForm(request.POST, registrations=people, auto_id="attendance-%s")

    def write(data: dict[str, Any]) -> None:
        services.fair_attendance_record(actor=request.user, fair=fair, person_ids=data["people"])

    return _submit(
        request,
        fair,
        "attendance_form",
        form,
        write,
        _("The attendance is recorded."),
        "people",
        {"person_ids": "people", "fair": "people"},
    )


@login_required
@require_POST
def fair_employers_attended(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    tables = selectors.fair_tables(request.user, fair)
    form = EmployersAttendedForm(request.POST, tables=tables, auto_id="came-%s")

    def write(data: dict[str, Any]) -> None:
        services.fair_employers_attended(actor=request.user, fair=fair, employer_ids=data["employers"])

    return _submit(
        request,
        fair,
        "employers_attended_form",
        form,
        write,
        _("The employers that came are recorded."),
        "employers",
        {"employer_ids": "employers", "fair": "employers"},
    )


@login_required
@require_POST
def fair_slots_add(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    tables = selectors.fair_tables(request.user, fair)
    form = SlotsForm(request.POST, tables=tables, auto_id="slots-%s")

    def write(data: dict[str, Any]) -> None:
        table = selectors.fair_employer_get(request.user, fair, data["employer"])
        services.interview_slots_add(actor=request.user, fair_employer=table, starts_at=data["starts_at"])

    return _submit(request, fair, "slots_form", form, write, _("The interview slots are added."), "slots")


@login_required
@require_POST
def fair_slot_book(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    records = selectors.fair_records(request.user, fair)
    form = BookForm(request.POST, slots=records.slots, registrations=records.registrations, auto_id="book-%s")

    def write(data: dict[str, Any]) -> None:
        slot = selectors.fair_slot_get(request.user, fair, data["slot"])
        registration = selectors.fair_registration_get(request.user, fair, data["person"])
        services.interview_slot_book(actor=request.user, slot=slot, registration=registration)

    return _submit(
        request,
        fair,
        "book_form",
        form,
        write,
        _("The interview slot is booked."),
        "slots",
        {"registration": "person"},
    )


@login_required
@require_POST
def fair_interview(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    records = selectors.fair_records(request.user, fair)
    form = InterviewForm(request.POST, slots=records.slots, auto_id="interview-%s")

    def write(data: dict[str, Any]) -> None:
        slot = selectors.fair_slot_get(request.user, fair, data["slot"])
        services.interview_record(actor=request.user, slot=slot, outcome=data["outcome"])

    return _submit(
        request,
        fair,
        "interview_form",
        form,
        write,
        _("The interview is recorded."),
        "slots",
        {"fair": "slot"},
    )


@login_required
@require_POST
def fair_referral(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    records = selectors.fair_records(request.user, fair)
    tables = selectors.fair_tables(request.user, fair)
    form = ReferralForm(
        request.POST, registrations=records.registrations, tables=tables, auto_id="referral-%s"
    )

    def write(data: dict[str, Any]) -> None:
        registration = selectors.fair_registration_get(request.user, fair, data["person"])
        table = selectors.fair_employer_get(request.user, fair, data["employer"])
        vacancy = selectors.vacancy_get_for_user(request.user, data["vacancy"]) if data["vacancy"] else None
        services.referral_record(
            actor=request.user,
            registration=registration,
            fair_employer=table,
            referred_on=data["referred_on"],
            vacancy=vacancy,
        )

    return _submit(
        request,
        fair,
        "referral_form",
        form,
        write,
        _("The referral is recorded."),
        "referrals",
        {"fair_employer": "employer", "registration": "person", "": "vacancy"},
    )


@login_required
@require_POST
def fair_referral_outcome(request: HttpRequest, fair_id: int) -> HttpResponse:
    fair = selectors.fair_get_for_organiser(request.user, fair_id)
    records = selectors.fair_records(request.user, fair)
    form = OutcomeForm(request.POST, referrals=records.referrals, auto_id="outcome-%s")

    def write(data: dict[str, Any]) -> None:
        referral = selectors.fair_referral_get(request.user, fair, data["referral"])
        services.referral_outcome_record(
            actor=request.user, referral=referral, outcome=data["outcome"], outcome_on=data["outcome_on"]
        )

    return _submit(
        request, fair, "outcome_form", form, write, _("The referral's outcome is recorded."), "referrals"
    )


@login_required
def employer_fair(request: HttpRequest, table_id: int) -> HttpResponse:
    """An employer's table at a fair, for its staff: times and outcomes, no people."""
    table = selectors.fair_table_get_for_staff(request.user, table_id)
    return render(request, "jobs/fairs/employer_fair.html", {"table": table, "fair": table.fair})


urlpatterns: list[URLPattern] = [
    path("fairs/", fairs, name="fairs"),
    path("fairs/new/", fair_create, name="fair_create"),
    path("fairs/<id:fair_id>/", fair_page, name="fair"),
    path("fairs/<id:fair_id>/seekers/", fair_register_seeker, name="fair_register_seeker"),
    path("fairs/<id:fair_id>/employers/", fair_register_employer, name="fair_register_employer"),
    path("fairs/<id:fair_id>/attendance/", fair_attendance, name="fair_attendance"),
    path("fairs/<id:fair_id>/employers/came/", fair_employers_attended, name="fair_employers_attended"),
    path("fairs/<id:fair_id>/slots/", fair_slots_add, name="fair_slots_add"),
    path("fairs/<id:fair_id>/slots/book/", fair_slot_book, name="fair_slot_book"),
    path("fairs/<id:fair_id>/interviews/", fair_interview, name="fair_interview"),
    path("fairs/<id:fair_id>/referrals/", fair_referral, name="fair_referral"),
    path("fairs/<id:fair_id>/referrals/outcome/", fair_referral_outcome, name="fair_referral_outcome"),
    path("employer/fairs/<id:table_id>/", employer_fair, name="employer_fair"),
]
