"""Pages of the directory: the public search, map, service and provider pages (no
sign-in), and the pages provider staff keep their directory entry with (the provider,
its permits, locations, services and their documents)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core.errors import ApplicationError, NotFound
from qoldau.core.forms import add_service_error
from qoldau.services import policy, selectors, services
from qoldau.services.forms_directory import (
    LOCATION_FIELDS,
    SERVICE_FIELDS,
    DirectorySearchForm,
    DocumentForm,
    LocationForm,
    PermitForm,
    ProviderForm,
    RegisterProviderForm,
    ServiceForm,
)
from qoldau.services.models import Provider, RequiredDocument, Service

PAGE_SIZE = 20
# The map shows at most this many places (a national search is narrowed by its filters).
MAP_POINTS = 5000
# PMTiles v3 begins so; its deepest zoom is the header's byte 101 (as the access map reads).
_PMTILES_MAGIC = b"PMTiles\x03"


# The public directory ----------------------------------------------------------------------


def _search_form(request: HttpRequest) -> DirectorySearchForm:
    return DirectorySearchForm(request.GET if request.GET else None)


def directory_search(request: HttpRequest) -> HttpResponse:
    form = _search_form(request)
    found = selectors.services_search(form.directory_filter()).select_related("provider__organisation")
    counted = selectors.count_capped(found)
    # Paged through the first COUNT_CAP results; a broader search is asked to narrow.
    paginator = Paginator(found[: selectors.COUNT_CAP], PAGE_SIZE)
    paginator.count = min(counted, selectors.COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    query = form.query()
    return render(
        request,
        "services/directory/search.html",
        {
            "form": form,
            "page": page,
            "more_than": selectors.COUNT_CAP if counted > selectors.COUNT_CAP else None,
            "query": query,
            "map_url": reverse("services:map") + (f"?{query}" if query else ""),
        },
    )


def _base_layer() -> dict[str, Any]:
    """The access map's base layer: the PMTiles file Qoldau serves at the access app's
    address when one is configured and readable, else the tile server, else none."""
    configured = str(getattr(settings, "QOLDAU_MAP_PMTILES", "") or "")
    if configured:
        try:
            with Path(configured).open("rb") as handle:
                header = handle.read(127)
        except OSError:
            header = b""
        if len(header) == 127 and header[:8] == _PMTILES_MAGIC:
            return {"kind": "pmtiles", "url": reverse("access:map_basemap"), "max_zoom": header[101]}
    if settings.QOLDAU_MAP_TILE_URL:
        return {"kind": "tiles", "url": settings.QOLDAU_MAP_TILE_URL}
    return {"kind": "none", "url": ""}


def directory_map(request: HttpRequest) -> HttpResponse:
    form = _search_form(request)
    query = form.query()
    base = _base_layer()
    language = selectors.reader_language()
    config = {
        "dataUrl": reverse("services:map_points") + "?" + urlencode([*form.data.items(), ("lang", language)])
        if form.is_bound
        else reverse("services:map_points") + f"?lang={language}",
        "serviceListUrl": reverse("services:search"),
        "providerUrl": reverse("services:provider", args=[uuid.UUID(int=0)]),
        "pmtilesUrl": base["url"] if base["kind"] == "pmtiles" else "",
        "pmtilesMaxZoom": base.get("max_zoom", 0),
        "tileUrl": base["url"] if base["kind"] == "tiles" else "",
        "tileAttribution": settings.QOLDAU_MAP_TILE_ATTRIBUTION,
        "language": language,
        "text": {
            "loading": _("Loading the places…"),
            "shown": _("Places on the map: %(count)s."),
            "none": _("No place matches the search."),
            "failed": _("The places could not be loaded. The list still works."),
            "provider": _("The provider and its services"),
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
        },
    }
    list_url = reverse("services:search") + (f"?{query}" if query else "")
    return render(
        request,
        "services/directory/map.html",
        {"form": form, "config": config, "list_url": list_url, "has_base_layer": base["kind"] != "none"},
    )


def directory_map_points(request: HttpRequest) -> JsonResponse:
    form = _search_form(request)
    lang = request.GET.get("lang", "")
    points = selectors.map_points(form.directory_filter(), language=lang or None, limit=MAP_POINTS)
    return JsonResponse({"points": points})


def service_public(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    detail = selectors.service_public_get(public_id)
    return render(request, "services/directory/service.html", {"detail": detail, "service": detail.service})


def provider_public(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    detail = selectors.provider_public_get(public_id)
    return render(
        request, "services/directory/provider.html", {"detail": detail, "provider": detail.provider}
    )


# What provider staff keep -------------------------------------------------------------------


def _write(
    request: HttpRequest,
    form: Any,
    write: Callable[[], object],
    done: str,
    field_names: dict[str, str] | None = None,
) -> bool:
    """Run a service for a valid form; its domain error goes beside the field it names."""
    if not form.is_valid():
        return False
    try:
        write()
    except ApplicationError as exc:
        add_service_error(form, exc, field_names=field_names or {})
        return False
    messages.success(request, done)
    return True


@login_required
def manage_home(request: HttpRequest) -> HttpResponse:
    providers = list(selectors.providers_for_user(request.user))
    organisations = list(policy.organisations_registrable_by(request.user).order_by("name_kk")[:200])
    form = None
    if organisations:
        form = RegisterProviderForm(request.POST or None, organisations=organisations)
        if request.method == "POST":
            chosen = {str(o.pk): o for o in organisations}.get(request.POST.get("organisation", ""))

            def register() -> Provider:
                if chosen is None:
                    raise NotFound(_("There is no such organisation among yours."), field="organisation")
                return services.provider_register(
                    actor=request.user, organisation=chosen, data=form.provider_input()
                )

            if _write(request, form, register, _("The organisation is now a provider in the directory.")):
                return redirect("services:manage")
    elif request.method == "POST":
        policy.check_may_register_provider(request.user, 0)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "services/directory/manage.html", {"providers": providers, "form": form}, status=status
    )


def _provider_page(request: HttpRequest, provider: Provider, bound: dict[str, Any]) -> HttpResponse:
    may_administer = policy.may_administer_provider(request.user, provider)
    context = {
        "provider": provider,
        "may_administer": may_administer,
        "permits": selectors.permits_of(provider),
        "locations": selectors.locations_of(provider),
        "services": selectors.services_of(provider),
        "profile_form": bound.get("profile")
        or ProviderForm(
            initial={
                "kind": provider.kind,
                "description_kk": provider.description_kk,
                "description_ru": provider.description_ru,
                "description_en": provider.description_en,
            }
        ),
        "permit_form": bound.get("permit") or PermitForm(prefix="permit"),
        "location_form": bound.get("location") or LocationForm(prefix="location"),
    }
    status = 400 if bound else 200
    return render(request, "services/directory/manage_provider.html", context, status=status)


@login_required
def manage_provider(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = selectors.provider_get_for_user(request.user, provider_id)
    if request.method != "POST":
        return _provider_page(request, provider, {})
    action = request.POST.get("action", "")
    here = reverse("services:manage_provider", args=[provider.pk])
    if action == "profile":
        profile = ProviderForm(request.POST)
        if _write(
            request,
            profile,
            lambda: services.provider_update(
                actor=request.user, provider=provider, data=profile.provider_input()
            ),
            _("The provider's profile is saved."),
        ):
            return redirect(here)
        return _provider_page(request, provider, {"profile": profile})
    if action == "permit":
        permit = PermitForm(request.POST, prefix="permit")
        if _write(
            request,
            permit,
            lambda: services.permit_add(actor=request.user, provider=provider, data=permit.permit_input()),
            _("The permit is recorded."),
        ):
            return redirect(here + "#permits")
        return _provider_page(request, provider, {"permit": permit})
    if action == "location":
        location = LocationForm(request.POST, prefix="location")
        if _write(
            request,
            location,
            lambda: services.location_add(
                actor=request.user, provider=provider, data=location.location_input()
            ),
            _("The location is recorded."),
            LOCATION_FIELDS,
        ):
            return redirect(here + "#locations")
        return _provider_page(request, provider, {"location": location})
    return redirect(here)


@login_required
def manage_permit(request: HttpRequest, permit_id: int) -> HttpResponse:
    permit = selectors.permit_get_for_user(request.user, permit_id)
    form = PermitForm(
        request.POST or None,
        initial={
            "issuer": permit.issuer,
            "number": permit.number,
            "activity": permit.activity,
            "valid_from": permit.valid_from,
            "valid_to": permit.valid_to,
            "status": permit.status,
        },
    )
    if request.method == "POST" and _write(
        request,
        form,
        lambda: services.permit_update(actor=request.user, permit=permit, data=form.permit_input()),
        _("The permit is saved."),
    ):
        return redirect(reverse("services:manage_provider", args=[permit.provider_id]) + "#permits")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "services/directory/manage_form.html",
        {
            "form": form,
            "provider": permit.provider,
            "title": _("Permit %(number)s") % {"number": permit.number},
        },
        status=status,
    )


@login_required
def manage_location(request: HttpRequest, location_id: int) -> HttpResponse:
    location = selectors.location_get_for_user(request.user, location_id)
    form = LocationForm(request.POST or None, initial=LocationForm.initial_of(location))
    if request.method == "POST" and _write(
        request,
        form,
        lambda: services.location_update(actor=request.user, location=location, data=form.location_input()),
        _("The location is saved."),
        LOCATION_FIELDS,
    ):
        return redirect(reverse("services:manage_provider", args=[location.provider_id]) + "#locations")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "services/directory/manage_form.html",
        {"form": form, "provider": location.provider, "title": location.name},
        status=status,
    )


@login_required
def manage_service_new(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = selectors.provider_get_for_user(request.user, provider_id)
    locations = list(selectors.locations_of(provider))
    form = ServiceForm(
        request.POST or None,
        locations=locations,
        initial={"languages": ["kk", "ru"], "free": True, "offer_days": 3},
    )
    made: list[Service] = []
    if request.method == "POST" and _write(
        request,
        form,
        lambda: made.append(
            services.service_add(actor=request.user, provider=provider, data=form.service_input())
        ),
        _("The service is added to the directory."),
        SERVICE_FIELDS,
    ):
        return redirect("services:manage_service", service_id=made[0].pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "services/directory/manage_form.html",
        {"form": form, "provider": provider, "title": _("A new service")},
        status=status,
    )


@login_required
def manage_service(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get_for_user(request.user, service_id)
    locations = list(selectors.locations_of(service.provider))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ServiceForm(
        request.POST if action == "service" else None,
        locations=locations,
        initial=ServiceForm.initial_of(service),
    )
    document_form = DocumentForm(request.POST if action == "document" else None, prefix="document")
    here = reverse("services:manage_service", args=[service.pk])
    if action == "service":
        version = service.version
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            pass
        if _write(
            request,
            form,
            lambda: services.service_update(
                actor=request.user, service=service, expected_version=version, data=form.service_input()
            ),
            _("The service is saved."),
            SERVICE_FIELDS,
        ):
            return redirect(here)
    elif action == "document":
        if _write(
            request,
            document_form,
            lambda: services.document_add(
                actor=request.user, service=service, data=document_form.document_input()
            ),
            _("The document is added to the list."),
        ):
            return redirect(here + "#documents")
    elif action == "status":
        try:
            services.service_set_status(
                actor=request.user, service=service, status=request.POST.get("status", "")
            )
        except ApplicationError as exc:
            messages.error(request, exc.render())
        else:
            messages.success(request, _("The service's status is saved."))
        return redirect(here)
    status = 400 if action else 200
    return render(
        request,
        "services/directory/manage_service.html",
        {
            "service": service,
            "form": form,
            "document_form": document_form,
            "documents": service.documents.all(),
            "statuses": Service.Status.choices,
        },
        status=status,
    )


@login_required
@require_POST
def manage_document_remove(request: HttpRequest, document_id: int) -> HttpResponse:
    document = RequiredDocument.objects.filter(
        pk=document_id, service__provider__in=policy.providers_managed_by(request.user)
    ).first()
    if document is None:
        raise NotFound(_("There is no such document among yours."))
    service_id = document.service_id
    services.document_remove(actor=request.user, document=document)
    messages.success(request, _("The document is removed from the list."))
    return redirect(reverse("services:manage_service", args=[service_id]) + "#documents")


urlpatterns: list[URLPattern] = [
    path("", directory_search, name="search"),
    path("map/", directory_map, name="map"),
    path("map/points/", directory_map_points, name="map_points"),
    path("s/<uuid:public_id>/", service_public, name="service"),
    path("p/<uuid:public_id>/", provider_public, name="provider"),
    path("manage/", manage_home, name="manage"),
    path("manage/<id:provider_id>/", manage_provider, name="manage_provider"),
    path("manage/<id:provider_id>/services/new/", manage_service_new, name="manage_service_new"),
    path("manage/permits/<id:permit_id>/", manage_permit, name="manage_permit"),
    path("manage/locations/<id:location_id>/", manage_location, name="manage_location"),
    path("manage/services/<id:service_id>/", manage_service, name="manage_service"),
    path("manage/documents/<id:document_id>/remove/", manage_document_remove, name="manage_document_remove"),
]
