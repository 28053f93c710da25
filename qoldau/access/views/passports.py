"""Pages of surveyors and officers: the survey worklist, the passport form and page, and
remediation measures (list, plan, complete)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.access import checklist, policy, selectors, services
from qoldau.access.forms_passports import (
    MeasureCompleteForm,
    MeasureFilterForm,
    MeasurePlanForm,
    PassportForm,
    photo_field,
)
from qoldau.access.models import (
    AccessObject,
    Measure,
    ObjectPhoto,
    Passport,
    PeopleCategory,
    PublicStatus,
    Zone,
    ZoneStatus,
)
from qoldau.core import bounds
from qoldau.core.errors import ApplicationError, EditConflict, PermissionDenied
from qoldau.core.forms import add_service_error
from qoldau.core.models import Place

# The worklist -----------------------------------------------------------------------------


@login_required
def survey(request: HttpRequest) -> HttpResponse:
    objects = selectors.survey_worklist(request.user)
    page = Paginator(objects, 50).get_page(request.GET.get("page"))
    return render(request, "access/passports/worklist.html", {"page": page})


# The passport form ------------------------------------------------------------------------


class _Incomplete(Exception):
    """Raised inside the save-and-submit transaction to undo the save as well."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("incomplete")


def _checklist_data() -> dict[str, Any]:
    # For the live suggestion (passport.js): which items matter to whom, which are
    # critical, and the statuses' labels in the page's language.
    return {
        "items": {
            item.code: {
                "zone": item.zone.value,
                "categories": list(item.categories),
                "critical": item.critical,
            }
            for item in checklist.CHECKLIST
        },
        "labels": {value: str(label) for value, label in ZoneStatus.choices},
    }


def _saved_differences(form: PassportForm, passport: Passport) -> list[tuple[str, str, str]]:
    """(what, saved by someone else, yours) where the draft saved meanwhile differs from the
    input that was refused, so the surveyor can see what to redo."""
    saved = PassportForm(initial=PassportForm.initial_for(passport))
    differences = []
    for name in form.fields:
        if name in ("version", "passport") or name.startswith("photo-"):
            continue
        mine = form[name].value() or ""
        theirs = saved[name].value() or ""
        if str(mine).strip() != str(theirs).strip():
            label = str(form.fields[name].label)
            if name.startswith("zone-"):
                zone = name.split("-")[1]
                label = _("%(zone)s, %(what)s") % {"zone": Zone(zone).label, "what": label}
            differences.append((label, _display(form, name, theirs), _display(form, name, mine)))
    return differences


def _display(form: PassportForm, name: str, value: Any) -> str:
    choices = dict(getattr(form.fields[name], "choices", []) or [])
    if value in ("", None):
        return "—"
    return str(choices.get(value, value))


@login_required
def passport_edit(request: HttpRequest, object_id: int) -> HttpResponse:
    obj = selectors.object_get_managed(request.user, object_id)
    problems: list[str] = []
    differences: list[tuple[str, str, str]] = []
    if request.method == "POST":
        form = PassportForm(request.POST, request.FILES)
        passport = _posted_draft(request, obj)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            confirmed = request.POST.get("confirmed") == PASSPORT_CONFIRMED
            try:
                for zone, upload, _caption in form.photos():
                    # Checked before anything is written, so a bad photo refuses it all.
                    services.check_photo(upload, field_name=photo_field(zone))
                # One transaction over the save, the photos and the submission: a refused
                # photo or an incomplete passport leaves the draft as it was.
                with transaction.atomic(durable=True):
                    services.passport_save_in_transaction(
                        actor=request.user,
                        passport=passport,
                        expected_version=form.cleaned_data["version"],
                        data=form.passport_input(),
                    )
                    for zone, upload, caption in form.photos():
                        services.photo_add_in_transaction(
                            actor=request.user,
                            obj=obj,
                            upload=upload,
                            caption=caption,
                            zone=zone,
                            passport=passport,
                        )
                    if submit:
                        found = services.passport_problems(passport)
                        if found:
                            raise _Incomplete(found)
                        if confirmed:
                            services.passport_submit_in_transaction(
                                actor=request.user, passport=passport, expected_version=passport.version
                            )
            except _Incomplete as exc:
                problems = exc.problems
            except EditConflict as exc:
                add_service_error(form, exc)
                fresh = Passport.objects.filter(pk=passport.pk).first()
                if fresh is not None:
                    differences = _saved_differences(form, fresh)
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                if submit and not confirmed:
                    # The draft is saved and complete: the second step says what submitting
                    # freezes, with the statuses the public will see, and submits.
                    return _submit_confirmation(request, obj, passport)
                if submit:
                    messages.success(
                        request, _("The passport is submitted. The object's statuses are updated.")
                    )
                    return redirect("access:passport", passport_id=passport.pk)
                messages.success(request, _("The draft is saved."))
                return redirect("access:passport_edit", object_id=obj.pk)
    else:
        passport = services.passport_open(actor=request.user, obj=obj)
        form = PassportForm(initial=PassportForm.initial_for(passport))
    photos: dict[str, list[ObjectPhoto]] = {}
    for photo in passport.photos.order_by("pk"):
        photos.setdefault(photo.zone, []).append(photo)
    zones = list(form.zones())
    for section in zones:
        section.existing_photos = photos.get(section.zone.value, [])
    context = {
        "obj": obj,
        "passport": passport,
        "form": form,
        "zones": zones,
        "problems": problems,
        "differences": differences,
        "previous": selectors.latest_passport(obj),
        "checklist_data": _checklist_data(),
    }
    status = 409 if differences else (400 if (form.errors or problems) else 200)
    return render(request, "access/passports/passport_form.html", context, status=status)


# Sent by the confirmation step's form only: a passport is submitted on the second step.
PASSPORT_CONFIRMED = "submit"


def _submit_confirmation(request: HttpRequest, obj: AccessObject, passport: Passport) -> HttpResponse:
    passport.refresh_from_db()
    rows = passport.zone_statuses.values_list("zone", "category", "status")
    statuses = checklist.public_statuses(rows)
    return render(
        request,
        "access/passports/submit_confirm.html",
        {
            "obj": obj,
            "passport": passport,
            "statuses": [(PeopleCategory(c).label, PublicStatus(v).label) for c, v in statuses.items()],
            "confirmed": PASSPORT_CONFIRMED,
        },
    )


@login_required
@require_POST
def passport_submit(request: HttpRequest, passport_id: int) -> HttpResponse:
    """The confirmation step's form: submit the saved draft it was shown for (its version,
    so that a draft changed since is not submitted unseen)."""
    passport = selectors.passport_get_for_user(request.user, passport_id)
    version = bounds.parse_id(request.POST.get("version"))
    if request.POST.get("confirmed") != PASSPORT_CONFIRMED or version is None:
        return redirect("access:passport_edit", object_id=passport.object_id)
    try:
        services.passport_submit(actor=request.user, passport=passport, expected_version=version)
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.render())
        return redirect("access:passport_edit", object_id=passport.object_id)
    messages.success(request, _("The passport is submitted. The object's statuses are updated."))
    return redirect("access:passport", passport_id=passport.pk)


def _posted_draft(request: HttpRequest, obj: AccessObject) -> Passport:
    """The draft the form was opened on; a stale or foreign id is not found."""
    passport_id = bounds.parse_id(request.POST.get("passport"))
    if passport_id is None:
        raise policy.passport_not_found()
    passport = selectors.passport_get_for_user(request.user, passport_id)
    if passport.object_id != obj.pk:
        raise policy.passport_not_found()
    return passport


# The passport's page ----------------------------------------------------------------------


@login_required
def passport_detail(request: HttpRequest, passport_id: int) -> HttpResponse:
    passport = selectors.passport_get_for_user(request.user, passport_id)
    obj = passport.object
    statuses = {(z, c): s for z, c, s in passport.zone_statuses.values_list("zone", "category", "status")}
    comments = {
        (z, c): m for z, c, m in passport.zone_statuses.values_list("zone", "category", "comment") if m
    }
    items = {row.code: row for row in passport.items.all()}
    photos: dict[str, list[ObjectPhoto]] = {}
    for photo in passport.photos.order_by("pk"):
        photos.setdefault(photo.zone, []).append(photo)
    status_labels = dict(ZoneStatus.choices)
    zones = [
        {
            "zone": zone,
            "cells": [
                {
                    "category": category,
                    "status": statuses.get((zone.value, category.value), ""),
                    "label": status_labels.get(statuses.get((zone.value, category.value), ""), ""),
                    "comment": comments.get((zone.value, category.value), ""),
                }
                for category in PeopleCategory
            ],
            "items": [(item, items.get(item.code)) for item in checklist.items_of_zone(zone.value)],
            "photos": photos.get(zone.value, []),
        }
        for zone in Zone
    ]
    public = checklist.public_statuses((z, c, s) for (z, c), s in statuses.items())
    changes = [
        {
            "zone": Zone(zone).label,
            "category": PeopleCategory(category).label,
            "before": status_labels.get(before, "—"),
            "after": status_labels.get(after, "—"),
        }
        for zone, category, before, after in selectors.passport_status_changes(passport)
    ]
    history = list(selectors.passports_of_object(request.user, obj))
    previous_number = next(
        (p.number for p in history if p.number < passport.number and p.state == Passport.State.SUBMITTED),
        None,
    )
    context = {
        "passport": passport,
        "obj": obj,
        "zones": zones,
        "categories": list(PeopleCategory),
        "public": [(PeopleCategory(c), PublicStatus(s)) for c, s in public.items()],
        "changes": changes,
        "previous_number": previous_number,
        "history": history,
        "may_edit": (
            passport.state == Passport.State.DRAFT and policy.may_fill_passport(request.user, passport)
        ),
        "measures": [
            (m, checklist.ITEMS[m.item_code].label if m.item_code in checklist.ITEMS else m.item_code)
            for m in selectors.measures_visible(request.user)
            .filter(passport=passport)
            .order_by("zone", "item_code")
        ],
    }
    return render(request, "access/passports/passport_detail.html", context)


@login_required
def passport_photo(request: HttpRequest, photo_id: int) -> FileResponse:
    photo = selectors.passport_photo_get_for_user(request.user, photo_id)
    return FileResponse(photo.image.open("rb"))


# Measures -------------------------------------------------------------------------------


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    visible = selectors.measures_visible(request.user)
    district_ids = visible.values("object__district_id")
    districts = [(p.pk, p.name) for p in Place.objects.filter(pk__in=district_ids).order_by("name_kk")]
    form = MeasureFilterForm(request.GET or None, districts=districts)
    overdue = False
    rows = visible.order_by("deadline", "pk")
    if form.is_valid():
        data = form.cleaned_data
        overdue = bool(data["overdue"])
        if overdue:
            rows = selectors.measures_overdue(request.user)
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["district"]:
            rows = rows.filter(object__district_id=data["district"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    labels = {item.code: item.label for item in checklist.CHECKLIST}
    entries = [
        {
            "measure": m,
            "item": labels.get(m.item_code, m.item_code),
            "days_overdue": (today - m.deadline).days
            if m.state == Measure.State.PLANNED and m.deadline and m.deadline < today
            else None,
        }
        for m in page
    ]
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return render(
        request,
        "access/passports/measure_list.html",
        {"form": form, "page": page, "entries": entries, "overdue": overdue, "query": query},
    )


def _plan_form(measure: Measure, data: Any = None) -> MeasurePlanForm:
    organisations = list(selectors.responsible_organisations(measure.object))
    return MeasurePlanForm(
        data, organisations=organisations, initial=MeasurePlanForm.initial_for(measure), auto_id="plan_%s"
    )


def _complete_form(measure: Measure, data: Any = None) -> MeasureCompleteForm:
    surveyors = [(u.pk, u.get_full_name() or u.get_username()) for u in selectors.surveyors()]
    return MeasureCompleteForm(
        data,
        surveyors=surveyors,
        initial={"completed_on": timezone.localdate(), "version": measure.version},
        auto_id="complete_%s",
    )


@login_required
def measure_detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = selectors.measure_get_for_user(request.user, measure_id)
    may_manage = policy.may_manage_object(request.user, measure.object)
    plan_form = _plan_form(measure)
    complete_form = _complete_form(measure)
    status = 200
    if request.method == "POST":
        policy.check_may_manage_object(request.user, measure.object)
        action = request.POST.get("action")
        if action == "plan":
            plan_form = _plan_form(measure, request.POST)
            if plan_form.is_valid():
                try:
                    services.measure_plan(
                        actor=request.user,
                        measure=measure,
                        expected_version=plan_form.cleaned_data["version"],
                        plan=plan_form.plan(),
                    )
                except EditConflict as exc:
                    add_service_error(plan_form, exc)
                    status = 409
                except ApplicationError as exc:
                    add_service_error(plan_form, exc)
                else:
                    messages.success(request, _("The measure is planned."))
                    return redirect("access:measure", measure_id=measure.pk)
            status = max(status, 400)
        elif action == "complete":
            complete_form = _complete_form(measure, request.POST)
            if complete_form.is_valid():
                data = complete_form.cleaned_data
                try:
                    surveyor = None
                    if data["resurvey_by"] is not None:
                        surveyor = selectors.surveyors().filter(pk=data["resurvey_by"]).first()
                        if surveyor is None:
                            raise policy.not_a_surveyor(field="resurvey_by")
                    services.measure_complete(
                        actor=request.user,
                        measure=measure,
                        expected_version=data["version"],
                        completed_on=data["completed_on"],
                        resurvey_by=surveyor,
                    )
                except EditConflict as exc:
                    add_service_error(complete_form, exc)
                    status = 409
                except ApplicationError as exc:
                    add_service_error(complete_form, exc)
                else:
                    messages.success(request, _("The measure is marked done."))
                    return redirect("access:measure", measure_id=measure.pk)
            status = max(status, 400)
    today = timezone.localdate()
    context = {
        "measure": measure,
        "item": checklist.ITEMS[measure.item_code].label
        if measure.item_code in checklist.ITEMS
        else measure.item_code,
        "may_manage": may_manage,
        "plan_form": plan_form,
        "complete_form": complete_form,
        "days_overdue": (today - measure.deadline).days
        if measure.state == Measure.State.PLANNED and measure.deadline and measure.deadline < today
        else None,
        "today": today,
    }
    return render(request, "access/passports/measure_detail.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("survey/", survey, name="survey"),
    path("objects/<id:object_id>/passport/", passport_edit, name="passport_edit"),
    path("passports/<id:passport_id>/", passport_detail, name="passport"),
    path("passports/<id:passport_id>/submit/", passport_submit, name="passport_submit"),
    path("passports/photos/<id:photo_id>/", passport_photo, name="passport_photo"),
    path("measures/", measures, name="measures"),
    path("measures/<id:measure_id>/", measure_detail, name="measure"),
]
