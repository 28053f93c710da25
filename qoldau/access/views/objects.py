"""Pages of objects for the officers of a region and the staff of owners (and, read only,
the ministry; surveyors see the objects assigned to them): the list, an object's page with
its passports, photos and surveyors, registering and editing an object, importing a list
of objects, and barrier reports as tasks. Every page reads through `selectors` and writes
through `services` (or `imports.import_objects`, by way of the imports app's jobs)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.access import policy, selectors, services
from qoldau.access.forms_objects import (
    OPEN,
    BarrierFilterForm,
    BarrierHandleForm,
    ObjectFilterForm,
    ObjectForm,
    ObjectsImportForm,
    PhotoForm,
    SurveyorAssignForm,
)
from qoldau.access.imports import objects_import_runs
from qoldau.access.models import AccessObject, BarrierReport, PeopleCategory, PublicStatus
from qoldau.core.errors import ApplicationError, NotFound
from qoldau.core.forms import add_service_error
from qoldau.core.identifiers import is_ascii_digits, normalise_digits
from qoldau.core.models import Organisation, Place
from qoldau.imports.models import ImportKind

# The upload step is the imports app's own: the same folder (cleaned the same way), the
# same session entry read by its column-mapping page, the same dry-run job.
from qoldau.imports.uploads import receive_upload

PAGE_SIZE = 50


def _regions_for_writing(request: HttpRequest) -> list[Place]:
    return list(policy.regions_registrable_by(request.user).order_by("kato"))


def _query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page" and v])


# Objects ----------------------------------------------------------------------------------


@login_required
def object_list(request: HttpRequest) -> HttpResponse:
    policy.check_may_work_with_objects(request.user)
    form = ObjectFilterForm(request.GET or None)
    flt = selectors.ObjectFilter()
    category = PeopleCategory.WHEELCHAIR
    if form.is_valid():
        data = form.cleaned_data
        category = data["category"] or PeopleCategory.WHEELCHAIR
        flt = selectors.ObjectFilter(
            district_id=data["district"],
            kind=data["kind"],
            category=category,
            status=data["status"],
            passported={"yes": True, "no": False}.get(data["passported"]),
            query=data["q"].strip(),
        )
    page = Paginator(selectors.objects_managed_filtered(request.user, flt), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(obj, PublicStatus(obj.public_status(category))) for obj in page]
    return render(
        request,
        "access/objects/object_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "category_label": PeopleCategory(category).label,
            "query": _query_without_page(request),
            "may_create": policy.may_register_objects(request.user),
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


def _passport_links(
    request: HttpRequest, obj: AccessObject
) -> tuple[list[tuple[Any, str | None]], str | None]:
    """The object's passports with a link to each, and the link to survey it (for its
    surveyor); links to pages not built yet are left out rather than breaking the page."""
    rows: list[tuple[Any, str | None]] = []
    for passport in selectors.passports_of_object(request.user, obj):
        try:
            url: str | None = reverse("access:passport", args=[passport.pk])
        except NoReverseMatch:
            url = None
        rows.append((passport, url))
    survey_url = None
    if policy.may_survey_object(request.user, obj):
        try:
            survey_url = reverse("access:passport_edit", args=[obj.pk])
        except NoReverseMatch:
            survey_url = None
    return rows, survey_url


def _object_page(
    request: HttpRequest,
    obj: AccessObject,
    *,
    photo_form: PhotoForm | None = None,
    surveyor_form: SurveyorAssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_manage = policy.may_manage_object(request.user, obj)
    passports, survey_url = _passport_links(request, obj)
    statuses = [(category, PublicStatus(obj.public_status(category))) for category in PeopleCategory]
    context = {
        "obj": obj,
        "statuses": statuses,
        "passports": passports,
        "survey_url": survey_url,
        "photos": selectors.object_photos(obj)[:24],
        "assignments": selectors.survey_assignments_active(obj),
        "open_reports": selectors.barrier_reports_open(request.user).filter(object=obj).count(),
        "may_manage": may_manage,
        "may_add_photo": policy.may_add_object_photo(request.user, obj),
        "photo_form": photo_form or PhotoForm(auto_id="photo_%s"),
        "surveyor_form": (
            surveyor_form or SurveyorAssignForm(auto_id="surveyor_%s", surveyors=list(selectors.surveyors()))
        )
        if may_manage
        else None,
    }
    return render(request, "access/objects/object_detail.html", context, status=status)


@login_required
def object_detail(request: HttpRequest, object_id: int) -> HttpResponse:
    obj = selectors.object_get_managed(request.user, object_id)
    return _object_page(request, obj)


def _owner_id(form: ObjectForm) -> int | None:
    """The owner named by BIN, or a form error on the BIN field (None either way when
    there is none)."""
    number = normalise_digits(form.cleaned_data.get("owner_bin") or "")
    if not number:
        return None
    if not is_ascii_digits(number, 12):
        form.add_error("owner_bin", _("A BIN has exactly 12 digits."))
        return None
    owner = Organisation.objects.filter(bin=number).only("pk").first()
    if owner is None:
        form.add_error("owner_bin", _("No organisation with this BIN is registered on the platform."))
        return None
    return int(owner.pk)


def _object_input(form: ObjectForm, owner_id: int | None) -> services.ObjectInput:
    data = form.cleaned_data
    return services.ObjectInput(
        name_kk=data["name_kk"],
        name_ru=data["name_ru"],
        name_en=data["name_en"],
        address=data["address"],
        region_id=data["region"],
        district_id=data["district"],
        kind=data["kind"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        owner_id=owner_id,
        owner_name=data["owner_name"],
        external_id=data["external_id"],
    )


@login_required
def object_create(request: HttpRequest) -> HttpResponse:
    policy.check_may_register_objects(request.user)
    regions = _regions_for_writing(request)
    initial: dict[str, Any] = {}
    own = policy.owner_proposed_for_new_object(request.user)
    if own is not None:
        initial = {"owner_bin": own.bin}
    form = ObjectForm(request.POST or None, regions=regions, initial=initial)
    if request.method == "POST" and form.is_valid():
        owner_id = _owner_id(form)
        if not form.errors:
            try:
                obj = services.object_create(actor=request.user, data=_object_input(form, owner_id))
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The object is registered."))
                return redirect("access:object", object_id=obj.pk)
    return render(
        request,
        "access/objects/object_form.html",
        {"form": form, "obj": None},
        status=400 if form.errors else 200,
    )


@login_required
def object_edit(request: HttpRequest, object_id: int) -> HttpResponse:
    obj = selectors.object_get_managed(request.user, object_id)
    policy.check_may_manage_object(request.user, obj)
    regions = _regions_for_writing(request)
    if obj.region not in regions:
        regions = [obj.region, *regions]
    if request.method == "POST":
        form = ObjectForm(request.POST, regions=regions)
        if form.is_valid():
            owner_id = _owner_id(form)
            if not form.errors:
                try:
                    services.object_update(
                        actor=request.user,
                        obj=obj,
                        expected_version=form.cleaned_data["version"] or 0,
                        data=_object_input(form, owner_id),
                    )
                except ApplicationError as exc:
                    add_service_error(form, exc)
                else:
                    messages.success(request, _("The changes are saved."))
                    return redirect("access:object", object_id=obj.pk)
    else:
        form = ObjectForm(initial=ObjectForm.initial_for(obj), regions=regions)
    return render(
        request,
        "access/objects/object_form.html",
        {"form": form, "obj": obj},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def object_photo_add(request: HttpRequest, object_id: int) -> HttpResponse:
    obj = selectors.object_get_managed(request.user, object_id)
    form = PhotoForm(request.POST, request.FILES, auto_id="photo_%s")
    if form.is_valid():
        try:
            services.photo_add(
                actor=request.user,
                obj=obj,
                upload=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The photo is added."))
            return redirect("access:object", object_id=obj.pk)
    return _object_page(request, obj, photo_form=form, status=400)


@login_required
def object_photo(request: HttpRequest, photo_id: int) -> FileResponse:
    photo = selectors.object_photo_get_for_user(request.user, photo_id)
    return FileResponse(photo.image.open("rb"))


@login_required
@require_POST
def object_surveyor_assign(request: HttpRequest, object_id: int) -> HttpResponse:
    obj = selectors.object_get_managed(request.user, object_id)
    candidates = list(selectors.surveyors())
    form = SurveyorAssignForm(request.POST, auto_id="surveyor_%s", surveyors=candidates)
    if form.is_valid():
        surveyor = next(u for u in candidates if u.pk == form.cleaned_data["surveyor"])
        try:
            services.surveyor_assign(actor=request.user, obj=obj, surveyor=surveyor)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The object is assigned to %(name)s.")
                % {"name": surveyor.get_full_name() or surveyor.username},
            )
            return redirect("access:object", object_id=obj.pk)
    return _object_page(request, obj, surveyor_form=form, status=400)


@login_required
@require_POST
def object_surveyor_unassign(request: HttpRequest, object_id: int, assignment_id: int) -> HttpResponse:
    obj = selectors.object_get_managed(request.user, object_id)
    assignment = selectors.survey_assignments_active(obj).filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound(_("This surveyor is no longer assigned to the object."))
    services.surveyor_unassign(actor=request.user, assignment=assignment)
    messages.success(request, _("The surveyor is no longer assigned to the object."))
    return redirect("access:object", object_id=obj.pk)


# Import -----------------------------------------------------------------------------------


@login_required
def objects_import(request: HttpRequest) -> HttpResponse:
    """Upload a list of objects for a region; its dry run starts at once when every column
    is recognised, else the imports app's column-mapping step comes first."""
    policy.check_may_import_objects(request.user)
    regions = _regions_for_writing(request)
    form = ObjectsImportForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        started = receive_upload(
            request, form, ImportKind.OBJECTS.value, {"region_id": form.cleaned_data["region"]}
        )
        if started is not None:
            return started
    runs = objects_import_runs(request.user)[:10]
    return render(
        request,
        "access/objects/import.html",
        {"form": form, "runs": runs},
        status=400 if form.errors else 200,
    )


# Barrier reports --------------------------------------------------------------------------


@login_required
def barrier_reports(request: HttpRequest) -> HttpResponse:
    policy.check_may_work_with_objects(request.user)
    form = BarrierFilterForm(request.GET or {"state": OPEN})
    state = form.cleaned_data["state"] if form.is_valid() else OPEN
    if state == OPEN:
        reports = selectors.barrier_reports_open(request.user)
    else:
        reports = selectors.barrier_reports_visible(request.user)
        if state:
            reports = reports.filter(state=state)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "access/objects/barrier_list.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@login_required
def barrier_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.barrier_report_get_for_user(request.user, report_id)
    may_handle = policy.may_handle_barrier_report(request.user, report)
    form = BarrierHandleForm(request.POST or None, initial={"resolution": report.resolution})
    if request.method == "POST":
        policy.check_may_handle_barrier_report(request.user, report)
        if form.is_valid():
            try:
                services.barrier_report_handle(
                    actor=request.user,
                    report=report,
                    state=form.cleaned_data["state"],
                    resolution=form.cleaned_data["resolution"],
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The report is updated."))
                return redirect("access:barrier_report", report_id=report.pk)
    return render(
        request,
        "access/objects/barrier_detail.html",
        {
            "report": report,
            "contact": selectors.barrier_report_contact(request.user, report),
            "form": form if may_handle else None,
            "is_open": report.state in (BarrierReport.State.NEW, BarrierReport.State.IN_PROGRESS),
        },
        status=400 if form.errors else 200,
    )


@login_required
def barrier_report_photo(request: HttpRequest, report_id: int) -> FileResponse:
    report = selectors.barrier_reports_visible(request.user).filter(pk=report_id).first()
    if report is None or not report.photo:
        raise policy.photo_not_found()
    return FileResponse(report.photo.open("rb"))


urlpatterns: list[URLPattern] = [
    path("manage/objects/", object_list, name="objects"),
    path("manage/objects/new/", object_create, name="object_create"),
    path("manage/objects/import/", objects_import, name="objects_import"),
    path("manage/objects/<id:object_id>/", object_detail, name="object"),
    path("manage/objects/<id:object_id>/edit/", object_edit, name="object_edit"),
    path("manage/objects/<id:object_id>/photos/", object_photo_add, name="object_photo_add"),
    path("manage/objects/<id:object_id>/surveyors/", object_surveyor_assign, name="object_surveyor_assign"),
    path(
        "manage/objects/<id:object_id>/surveyors/<id:assignment_id>/end/",
        object_surveyor_unassign,
        name="object_surveyor_unassign",
    ),
    path("manage/photos/<id:photo_id>/", object_photo, name="object_photo"),
    path("manage/barriers/", barrier_reports, name="barrier_reports"),
    path("manage/barriers/<id:report_id>/", barrier_report, name="barrier_report"),
    path("manage/barriers/<id:report_id>/photo/", barrier_report_photo, name="barrier_report_photo"),
]
