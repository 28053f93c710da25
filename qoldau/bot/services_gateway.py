"""The bot's way into the public directory of social services and the wait lists' public
lookup: the catalogue's needs, the active services for a need nearest to a shared location
or in a named district, and a person's place on a wait list by reference and birth date.
Nothing personal is kept. Each call runs the synchronous selectors in Django's thread, as
in `jobs_gateway.py`."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.urls import reverse

from qoldau.core import selectors as core_selectors
from qoldau.core.errors import ApplicationError
from qoldau.core.models import Place
from qoldau.core.ratelimit import Bucket, rate_limit_take
from qoldau.services import selectors
from qoldau.services.models import CatalogueTerm, Location, Service, ServiceAtLocation
from qoldau.services.selectors import flow as flow_selectors

# At most this many services in one answer.
SERVICES_SHOWN = 5
# Locations farther than this (in degrees of latitude and longitude) from a shared
# location are not "near"; the box keeps the distance sort to a few rows.
NEAR_DEGREES = 1.0
# At most this many service-location links are measured for one answer.
NEAR_LINKS = 2000
# The web lookup's limit, counted per chat instead of per address.
LOOKUP_LIMIT = "wait_list_lookup_address"


@dataclass(frozen=True)
class Need:
    code: str
    name: str


@dataclass(frozen=True)
class Found:
    """One active service as the bot shows it, in the active language."""

    name: str
    provider: str
    address: str
    free: bool
    path: str
    metres: float | None = None


@dataclass(frozen=True)
class Lookup:
    """The answer to a wait-list lookup: the place and status, or why there is none."""

    status_label: str = ""
    position: int | None = None
    refused: str = ""


def _needs() -> list[Need]:
    terms = selectors.catalogue(CatalogueTerm.Taxonomy.NEED).order_by("sort_order", "pk")
    return [Need(code=term.code, name=term.name) for term in terms]


def _found(service: Service, location: Location | None, metres: float | None = None) -> Found:
    address = ""
    if location is not None:
        address = ", ".join(part for part in (location.address, location.name) if part)
    return Found(
        name=service.name,
        provider=service.provider.organisation.name,
        address=address,
        free=service.free,
        path=reverse("services:service", args=[service.public_id]),
        metres=metres,
    )


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance (haversine), enough for "nearest first"."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def _near(need: str, latitude: float, longitude: float) -> list[Found]:
    """The services for the need whose nearest location is closest, one line each."""
    services = selectors.services_search(selectors.DirectoryFilter(need=need)).order_by()
    links = (
        ServiceAtLocation.objects.filter(
            service__in=services.values("pk"),
            location__latitude__range=(latitude - NEAR_DEGREES, latitude + NEAR_DEGREES),
            location__longitude__range=(longitude - NEAR_DEGREES, longitude + NEAR_DEGREES),
        )
        .select_related("location")
        .order_by("pk")[:NEAR_LINKS]
    )
    nearest: dict[int, tuple[float, Location]] = {}
    for link in links:
        location = link.location
        if location.latitude is None or location.longitude is None:
            continue
        metres = _metres(latitude, longitude, float(location.latitude), float(location.longitude))
        if link.service_id not in nearest or metres < nearest[link.service_id][0]:
            nearest[link.service_id] = (metres, location)
    chosen = sorted(nearest, key=lambda pk: (nearest[pk][0], pk))[:SERVICES_SHOWN]
    by_pk = Service.objects.select_related("provider__organisation").in_bulk(chosen)
    return [_found(by_pk[pk], nearest[pk][1], nearest[pk][0]) for pk in chosen if pk in by_pk]


def _in(need: str, district: Place) -> list[Found]:
    def search(flt: selectors.DirectoryFilter) -> list[Found]:
        found = selectors.services_search(flt).select_related("provider__organisation")[:SERVICES_SHOWN]
        rows: list[Found] = []
        for service in found:
            location = (
                service.locations.filter(district=district).order_by("pk").first()
                or service.locations.order_by("pk").first()
            )
            rows.append(_found(service, location))
        return rows

    rows = search(selectors.DirectoryFilter(need=need, district_id=district.pk))
    if not rows and district.parent_id is not None:
        # Nothing in the district: the region's, which is still near.
        rows = search(selectors.DirectoryFilter(need=need, region_id=district.parent_id))
    return rows


def _named(need: str, text: str) -> list[Found] | None:
    """None when no district has that name."""
    district = core_selectors.district_named(text)
    if district is None:
        return None
    return _in(need, district)


def _lookup(chat_id: int, reference: str, birth_date: dt.date) -> Lookup:
    try:
        # Counted before the answer, right or wrong: guessing references is what is limited.
        rate_limit_take([Bucket(LOOKUP_LIMIT, f"chat:{chat_id}")])
        place = flow_selectors.wait_list_position(reference, birth_date)
    except ApplicationError as error:
        return Lookup(refused=error.render())
    return Lookup(status_label=place.status_label, position=place.position)


class ServicesGateway:
    """Async access to the directory and the wait lists for the handlers (dispatcher data
    `services`)."""

    async def needs(self) -> list[Need]:
        return await sync_to_async(_needs, thread_sensitive=True)()

    async def near(self, need: str, latitude: float, longitude: float) -> list[Found]:
        return await sync_to_async(_near, thread_sensitive=True)(need, latitude, longitude)

    async def in_district(self, need: str, text: str) -> list[Found] | None:
        return await sync_to_async(_named, thread_sensitive=True)(need, text)

    async def wait_list_place(self, chat_id: int, reference: str, birth_date: dt.date) -> Lookup:
        return await sync_to_async(_lookup, thread_sensitive=True)(chat_id, reference, birth_date)
