"""Public pages, no sign-in: the map of objects with their accessibility for the category
a person chooses, the same as a list, an object's page with its photos, and reporting a
barrier. Nothing here shows a passport draft, a measure or a barrier report."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from qoldau.access import basemap, selectors, services
from qoldau.access.forms_map import QUERY_MAX_LENGTH, BarrierReportForm, BarrierStatusForm, MapFilterForm
from qoldau.access.map import (
    KIND_VALUES,
    STATUS_VALUES,
    MapFilter,
    objects_compact,
    objects_filtered,
    objects_listed,
    parse_bbox,
    parse_category,
    parse_choices,
    parse_region,
)
from qoldau.access.models import STATUS_FIELD, BarrierReport, ObjectKind, PeopleCategory, PublicStatus
from qoldau.core.errors import ApplicationError, RateLimited
from qoldau.core.forms import add_service_error
from qoldau.core.ratelimit import rate_limit_request

LIST_PAGE_SIZE = 50
# A person reporting a barrier may correct and resend a few times; a flood from one
# address is slowed to the rate of `QOLDAU_BARRIER_REPORT_RATE`.
_REFERENCE_KEY = "access.barrier_reference"
TOO_MANY_REPORTS = gettext_lazy("Too many reports were sent from your connection. Try again later.")

# Each public status has a symbol as well as a colour, so that it never depends on colour
# alone (the same symbols on the map, in its legend, the list and the object's page).
STATUS_SYMBOL = {
    PublicStatus.ACCESSIBLE: "✓",
    PublicStatus.PARTIAL: "◐",
    PublicStatus.NOT_ACCESSIBLE: "✕",
    PublicStatus.UNKNOWN: "?",
}
STATUS_HELP = {
    PublicStatus.ACCESSIBLE: gettext_lazy("Every zone of the building is fully accessible."),
    PublicStatus.PARTIAL: gettext_lazy("Some zones are accessible only in part or with help."),
    PublicStatus.NOT_ACCESSIBLE: gettext_lazy(
        "The territory, the entrance, the paths inside or the service zone is not accessible."
    ),
    PublicStatus.UNKNOWN: gettext_lazy("No passport has been submitted for this object yet."),
}


def _legend() -> list[dict[str, str]]:
    return [
        {
            "value": str(status.value),
            "label": str(status.label),
            "symbol": STATUS_SYMBOL[status],
            "help": str(STATUS_HELP[status]),
        }
        for status in PublicStatus
    ]


def _filter_query(flt: MapFilter) -> str:
    """The filter as a query string, for links between the map, the list and the API."""
    pairs: list[tuple[str, str]] = [("region", flt.region)] if flt.region else []
    pairs.append(("category", flt.category))
    pairs += [("kind", kind) for kind in flt.kinds]
    pairs += [("status", status) for status in flt.statuses]
    if flt.query:
        pairs.append(("q", flt.query))
    return urlencode(pairs)


def _language() -> str:
    return (translation.get_language() or "kk")[:2]


def _filter_form(request: HttpRequest) -> tuple[MapFilterForm, MapFilter]:
    form = MapFilterForm(request.GET if request.GET else None)
    return form, form.map_filter()


def _data_bounds(flt: MapFilter) -> list[list[float]] | None:
    """South-west and north-east corners of the objects the filter selects, for the map's
    first view (a search for one place opens the map on it)."""
    box = objects_filtered(flt).aggregate(
        south=Min("latitude"), north=Max("latitude"), west=Min("longitude"), east=Max("longitude")
    )
    if box["south"] is None:
        return None
    return [[box["south"], box["west"]], [box["north"], box["east"]]]


def _base_layer() -> dict[str, Any]:
    """What the map draws under the objects: the PMTiles file Qoldau serves itself when
    one is configured (it wins over a tile server), else the tile server, else nothing."""
    file = basemap.configured_file()
    if file is not None:
        return {"kind": "pmtiles", "url": reverse("access:map_basemap"), "max_zoom": file.max_zoom}
    if settings.QOLDAU_MAP_TILE_URL:
        return {"kind": "tiles", "url": settings.QOLDAU_MAP_TILE_URL}
    return {"kind": "none", "url": ""}


def map_page(request: HttpRequest) -> HttpResponse:
    form, flt = _filter_form(request)
    query = _filter_query(flt)
    base_layer = _base_layer()
    config: dict[str, Any] = {
        # Every object the filters select, in the compact form of `map_points`, clustered in
        # the browser (the bbox of the API is for clients that show one area only).
        "dataUrl": f"{reverse('access:map_points')}?{urlencode([*_api_params(flt), ('lang', _language())])}",
        "objectUrl": reverse("access:object_public", args=[0]),
        "pmtilesUrl": base_layer["url"] if base_layer["kind"] == "pmtiles" else "",
        "pmtilesMaxZoom": base_layer.get("max_zoom", 0),
        "tileUrl": base_layer["url"] if base_layer["kind"] == "tiles" else "",
        "tileAttribution": settings.QOLDAU_MAP_TILE_ATTRIBUTION,
        "language": _language(),
        # The page's own grouping: Chromium's Intl has no Kazakh data and would write 1,500.
        "thousandSeparator": get_format("THOUSAND_SEPARATOR"),
        "bounds": _data_bounds(flt),
        "category": flt.category,
        "categories": {str(category.value): str(category.label) for category in PeopleCategory},
        "headingTemplate": _("Accessibility for %(category)s"),
        "kinds": {str(kind.value): str(kind.label) for kind in ObjectKind},
        "statuses": {item["value"]: item for item in _legend()},
        "text": {
            "loading": _("Loading the objects…"),
            "shown": _("Objects on the map: %(count)s."),
            "none": _("No objects match the filters."),
            "failed": _("The objects could not be loaded. The list of objects still works."),
            # The name begins with the badge's own text (WCAG 2.5.3, label in name).
            "cluster": _("%(count)s objects here. Zoom in to see them."),
            "details": _("Details and reporting a barrier"),
            "kind": _("Kind"),
            "address": _("Address"),
            "status": _("Status"),
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
        },
    }
    context = {
        "form": form,
        "filter": flt,
        "category_label": PeopleCategory(flt.category).label,
        "legend": _legend(),
        "list_url": reverse("access:map_list") + "?" + query,
        "config": config,
        "has_base_layer": base_layer["kind"] != "none",
    }
    return render(request, "access/public/map.html", context)


@require_safe
def map_basemap(request: HttpRequest) -> HttpResponseBase:
    """The configured PMTiles file, whole (200) or one byte range of it (206, 416 when the
    range cannot be served); 404 when none is configured."""
    file = basemap.configured_file()
    if file is None:
        raise Http404
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": file.etag,
        "Last-Modified": file.last_modified,
        "Cache-Control": f"public, max-age={basemap.CACHE_SECONDS}",
    }
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    # A reader holding a copy of another version gets the whole current file instead.
    if header and (not if_range or if_range in (file.etag, file.last_modified)):
        try:
            byte_range = basemap.parse_range(header, file.size)
        except basemap.Unsatisfiable:
            refused = HttpResponse(status=416, headers=headers)
            refused["Content-Range"] = f"bytes */{file.size}"
            return refused
        body = b"" if request.method == "HEAD" else basemap.read_range(file, byte_range)
        partial = HttpResponse(body, status=206, content_type=basemap.CONTENT_TYPE, headers=headers)
        partial["Content-Range"] = f"bytes {byte_range.first}-{byte_range.last}/{file.size}"
        partial["Content-Length"] = str(byte_range.length)
        return partial
    whole = FileResponse(basemap.open_whole(file), content_type=basemap.CONTENT_TYPE, headers=headers)
    whole["Content-Length"] = str(file.size)
    return whole


def map_points(request: HttpRequest) -> HttpResponse:
    """The map page's data: the objects of `/api/v1/access/objects` in columns. Takes the
    API's parameters (bbox too) and refuses bad ones the same way, with a 400."""
    try:
        flt = MapFilter(
            category=parse_category(request.GET.get("category")),
            bbox=parse_bbox(request.GET.get("bbox")),
            kinds=parse_choices(request.GET.get("kind"), KIND_VALUES, "kind"),
            statuses=parse_choices(request.GET.get("status"), STATUS_VALUES, "status"),
            query=(request.GET.get("q") or "").strip()[:QUERY_MAX_LENGTH],
            region=parse_region(request.GET.get("region")),
        )
    except ApplicationError as exc:
        return JsonResponse({"code": exc.code, "message": exc.render(), "field": exc.field}, status=400)
    language = request.GET.get("lang") or _language()
    return HttpResponse(objects_compact(flt, language), content_type="application/json")


def _api_params(flt: MapFilter) -> list[tuple[str, str]]:
    params = [("category", flt.category)]
    if flt.region:
        params.append(("region", flt.region))
    if flt.kinds:
        params.append(("kind", ",".join(flt.kinds)))
    if flt.statuses:
        params.append(("status", ",".join(flt.statuses)))
    if flt.query:
        params.append(("q", flt.query))
    return params


def map_list(request: HttpRequest) -> HttpResponse:
    """The map as a list: the same filters and objects, a page at a time."""
    form, flt = _filter_form(request)
    objects = objects_listed(flt, _language()).only(
        "pk",
        "name_kk",
        "name_ru",
        "name_en",
        "address",
        "kind",
        "district__name_kk",
        "district__name_ru",
        "district__name_en",
        STATUS_FIELD[PeopleCategory(flt.category)],
    )
    page = Paginator(objects, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    symbols = {str(status.value): symbol for status, symbol in STATUS_SYMBOL.items()}
    rows = [
        {
            "object": obj,
            "status": obj.public_status(flt.category),
            "status_label": PublicStatus(obj.public_status(flt.category)).label,
            "symbol": symbols[obj.public_status(flt.category)],
        }
        for obj in page
    ]
    query = _filter_query(flt)
    context = {
        "form": form,
        "filter": flt,
        "category_label": PeopleCategory(flt.category).label,
        "legend": _legend(),
        "page": page,
        "rows": rows,
        "query": query,
        "map_url": reverse("access:map") + "?" + query,
    }
    return render(request, "access/public/list.html", context)


def object_public(request: HttpRequest, object_id: int) -> HttpResponse:
    obj = selectors.object_get_public(object_id)
    statuses = []
    for category in PeopleCategory:
        status = PublicStatus(obj.public_status(category))
        statuses.append(
            {
                "category": category.label,
                "status": status,
                "label": status.label,
                "symbol": STATUS_SYMBOL[status],
            }
        )
    context = {
        "object": obj,
        "statuses": statuses,
        "photos": list(selectors.object_photos_public(obj)[:24]),
        "shortfalls": selectors.object_shortfalls_public(obj),
        "legend": _legend(),
    }
    return render(request, "access/public/object.html", context)


def object_public_photo(request: HttpRequest, object_id: int, photo_id: int) -> FileResponse:
    """An object's public photo. Media files are not served otherwise, so a barrier
    report's photo or a draft's never leaks through a guessed address."""
    photo = selectors.object_photo_get_public(object_id, photo_id)
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    response = FileResponse(photo.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_http_methods(["GET", "POST"])
def object_report(request: HttpRequest, object_id: int) -> HttpResponse:
    obj = selectors.object_get_public(object_id)
    if request.method == "POST":
        form = BarrierReportForm(request.POST, request.FILES)
        try:
            rate_limit_request(request, per_address="barrier_report_address", message=TOO_MANY_REPORTS)
        except RateLimited as exc:
            form.is_valid()
            form.add_error(None, exc.render())
            response = render(request, "access/public/report.html", {"object": obj, "form": form}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.barrier_report_submit(
                    actor=request.user,
                    object_id=obj.pk,
                    description=data["description"],
                    category=data["category"],
                    zone=data["zone"],
                    photo=data["photo"] or None,
                    contact=data["contact"],
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                # The reference is shown once, on the next page, to the one who reported.
                request.session[_REFERENCE_KEY] = report.reference
                return redirect("access:object_report_thanks", object_id=obj.pk)
    else:
        form = BarrierReportForm()
    return render(request, "access/public/report.html", {"object": obj, "form": form})


def object_report_thanks(request: HttpRequest, object_id: int) -> HttpResponse:
    obj = selectors.object_get_public(object_id)
    reference = request.session.pop(_REFERENCE_KEY, "")
    return render(request, "access/public/report_thanks.html", {"object": obj, "reference": reference})


@require_safe
def barrier_status(request: HttpRequest) -> HttpResponse:
    """A barrier report's state, looked up by the reference its reporter was given; nothing
    else of the report (not its place, text or dates) is shown. A reference this site did
    not give takes a token from the address's barrier-report bucket, so that guessing is as
    slow as reporting."""
    form = BarrierStatusForm(request.GET or None)
    state_label = ""
    status = 200
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data["reference"]
        state = selectors.barrier_report_status_public(reference)
        if state is None:
            try:
                rate_limit_request(request, per_address="barrier_report_address", message=TOO_MANY_REPORTS)
            except RateLimited as exc:
                form.add_error("reference", exc.render())
                status = 429
            else:
                form.add_error(
                    "reference",
                    _("No report has this reference number. Check it against the one you were given."),
                )
                status = 404
        else:
            state_label = str(BarrierReport.State(state).label)
    return render(
        request,
        "access/public/barrier_status.html",
        {"form": form, "state_label": state_label},
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("map/", map_page, name="map"),
    path("map/list/", map_list, name="map_list"),
    path("map/points/", map_points, name="map_points"),
    path("map/basemap.pmtiles", map_basemap, name="map_basemap"),
    path("objects/<id:object_id>/", object_public, name="object_public"),
    path("objects/<id:object_id>/photos/<id:photo_id>/", object_public_photo, name="object_public_photo"),
    path("objects/<id:object_id>/report/", object_report, name="object_report"),
    path("objects/<id:object_id>/report/thanks/", object_report_thanks, name="object_report_thanks"),
    path("barrier-reports/status/", barrier_status, name="barrier_status"),
]
