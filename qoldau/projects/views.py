"""Pages of projects: list, page, create, edit; record a delivery; record an event."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core import bounds
from qoldau.core import selectors as core_selectors
from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.projects import policy, selectors, services
from qoldau.projects.forms import (
    AttendanceForm,
    DeliveryForm,
    EventForm,
    IndicatorForm,
    IndicatorPeriodForm,
    ProjectForm,
)
from qoldau.projects.models import Project


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.projects_visible(request.user), 25).get_page(request.GET.get("page"))
    may_create = policy.may_create_projects(request.user)
    return render(request, "projects/project_list.html", {"page": page, "may_create": may_create})


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, project_id)
    context = {
        "project": project,
        "figures": selectors.project_figures(project),
        "indicators": project.indicators.prefetch_related("periods"),
        "events": selectors.project_events(project)[:20],
        "deliveries": selectors.project_deliveries(request.user, project, limit=20),
        "may_edit": policy.may_administer_project(request.user, project),
        "may_record": policy.may_work_for_project(request.user, project),
        "indicator_form": IndicatorForm(auto_id="indicator_%s"),
        "period_form": IndicatorPeriodForm(
            project=project,
            auto_id="period_%s",
            initial={"starts_on": project.starts_on, "ends_on": project.ends_on},
        ),
    }
    return render(request, "projects/project_detail.html", context)


def _project_input(data: dict[str, Any]) -> services.ProjectInput:
    return services.ProjectInput(
        title_kk=data["title_kk"],
        title_ru=data["title_ru"],
        title_en=data["title_en"],
        description_kk=data["description_kk"],
        description_ru=data["description_ru"],
        description_en=data["description_en"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        funding_source=data["funding_source"],
        funder=data["funder"],
        budget=data["budget"],
        region_ids=data["regions"],
        district_ids=data["districts"],
        target_category_ids=[c.pk for c in data["target_categories"]],
        volunteers=data["volunteers"],
        experts=data["experts"],
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    policy.check_may_create_projects(request.user)
    organisations = list(policy.organisations_for_new_projects(request.user))
    form = ProjectForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        try:
            project = services.project_create(
                actor=request.user,
                organisation=organisation,
                data=_project_input(form.cleaned_data),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The project is created."))
            return redirect("projects:project", project_id=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, project_id)
    policy.check_may_administer_project(request.user, project)
    organisations = [project.organisation]
    if request.method == "POST":
        form = ProjectForm(request.POST, organisations=organisations)
        if form.is_valid():
            try:
                services.project_update(
                    actor=request.user,
                    project=project,
                    expected_version=form.cleaned_data["version"] or 0,
                    data=_project_input(form.cleaned_data),
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("projects:project", project_id=project.pk)
    else:
        form = ProjectForm(initial=ProjectForm.initial_for(project), organisations=organisations)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


def _recordable_projects(request: HttpRequest) -> list[Project]:
    policy.check_may_record_for_some_project(request.user)
    return list(selectors.projects_recordable(request.user))


@login_required
def delivery_record(request: HttpRequest) -> HttpResponse:
    projects = _recordable_projects(request)
    person = None
    person_id = bounds.parse_id(request.GET.get("person") or request.POST.get("person_id"))
    if person_id is not None:
        person = core_selectors.person_get_for_user(request.user, person_id)
    initial = {
        "delivered_on": timezone.localdate(),
        "project": request.GET.get("project"),
        "person_id": person.pk if person else None,
    }
    # The project chosen (by the link from its page, or on the form sent) narrows the
    # services offered to its own and the default date to its period.
    chosen_id = bounds.parse_id(request.POST.get("project") or request.GET.get("project"))
    chosen = next((p for p in projects if p.pk == chosen_id), None)
    whole_catalogue = request.GET.get("services") == "all"
    if chosen is not None:
        initial["delivered_on"] = selectors.day_within_period(chosen, timezone.localdate())
    form = DeliveryForm(request.POST or None, projects=projects, initial=initial)
    narrowed = chosen is not None and not whole_catalogue
    if narrowed and chosen is not None:
        form.fields["service"].queryset = selectors.project_services(chosen)  # type: ignore[attr-defined]
    if person is not None:
        del form.fields["iin"]  # the person is chosen already
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = next(p for p in projects if p.pk == data["project"])
        try:
            if person is None:
                if not data.get("iin"):
                    raise ApplicationError(_("Enter the person's IIN."), field="iin")
                person = core_selectors.person_find_by_iin(request.user, data["iin"])
                if person is None:
                    raise ApplicationError(
                        _("No person with this IIN is among the people you serve. Register them first."),
                        field="iin",
                    )
            services.delivery_record(
                actor=request.user,
                project=project,
                person_id=person.pk,
                service=data["service"],
                delivered_on=data["delivered_on"],
                quantity=data["quantity"],
                note=data["note"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The delivery is recorded."))
            return redirect("projects:project", project_id=project.pk)
    catalogue_url = ""
    if narrowed and chosen is not None:
        query = {"project": chosen.pk, "services": "all"}
        if person is not None:
            query["person"] = person.pk
        catalogue_url = f"{request.path}?{urlencode(query)}"
    return render(
        request,
        "projects/delivery_form.html",
        {"form": form, "person": person, "project": chosen, "catalogue_url": catalogue_url},
    )


def _people_by_iin(request: HttpRequest, iins: list[str]) -> list[int]:
    """The ids of the people with these IINs among those the user serves; the first one
    not found (or not a valid IIN) is an error naming the attendees field."""
    ids = []
    for number in iins:
        try:
            person = core_selectors.person_find_by_iin(request.user, number)
        except ApplicationError as exc:
            raise ApplicationError(exc.message, field="attendee_iins", params=exc.params) from exc
        if person is None:
            raise ApplicationError(
                _("No person with IIN %(iin)s is among the people you serve."),
                field="attendee_iins",
                params={"iin": number},
            )
        ids.append(person.pk)
    return ids


@login_required
def event_record(request: HttpRequest) -> HttpResponse:
    projects = _recordable_projects(request)
    form = EventForm(
        request.POST or None,
        projects=projects,
        initial={"held_on": timezone.localdate(), "project": request.GET.get("project")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = next(p for p in projects if p.pk == data["project"])
        try:
            attendee_ids = _people_by_iin(request, data["attendee_iins"])
            event = services.event_record(
                actor=request.user,
                project=project,
                data=services.EventInput(
                    kind=data["kind"],
                    title_kk=data["title_kk"],
                    title_ru=data["title_ru"],
                    title_en=data["title_en"],
                    held_on=data["held_on"],
                    place_id=data["place"],
                    venue=data["venue"],
                    anonymous_participants=data["anonymous_participants"],
                    volunteers=data["volunteers"],
                    experts=data["experts"],
                    employers=data["employers"],
                    attendee_ids=attendee_ids,
                ),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The event is recorded with %(count)s attendees.") % {"count": len(attendee_ids)},
            )
            return redirect("projects:project", project_id=event.project_id)
    return render(request, "projects/event_form.html", {"form": form})


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    """An event with its attendance; the organisation's staff add attendees by IIN."""
    event = selectors.event_get_for_user(request.user, event_id)
    may_record = policy.may_work_for_project(request.user, event.project)
    form = AttendanceForm(request.POST or None)
    if request.method == "POST":
        policy.check_may_work_for_project(request.user, event.project)
        if form.is_valid():
            try:
                ids = _people_by_iin(request, form.cleaned_data["attendee_iins"])
                added = services.attendance_add(actor=request.user, event=event, person_ids=ids)
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("%(count)s attendees added.") % {"count": added})
                return redirect("projects:event", event_id=event.pk)
    context = {
        "event": event,
        "attendees": selectors.event_attendees(request.user, event),
        "attendee_count": event.attendance.count(),
        "organisations": event.organisations.all(),
        "may_record": may_record,
        "form": form,
    }
    return render(request, "projects/event_detail.html", context)


@login_required
@require_POST
def indicator_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, project_id)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            services.indicator_add(actor=request.user, project=project, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The indicator is added."))
            return redirect("projects:project", project_id=project.pk)
    return render(
        request,
        "projects/indicator_form.html",
        {"form": form, "project": project, "action": "add"},
        status=400,
    )


@login_required
@require_POST
def indicator_period_set(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, project_id)
    form = IndicatorPeriodForm(request.POST, project=project)
    if form.is_valid():
        data = dict(form.cleaned_data)
        indicator = project.indicators.get(pk=data.pop("indicator"))
        try:
            services.indicator_period_set(actor=request.user, indicator=indicator, **data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The target and actual value are saved."))
            return redirect("projects:project", project_id=project.pk)
    return render(
        request,
        "projects/indicator_form.html",
        {"form": form, "project": project, "action": "period"},
        status=400,
    )
