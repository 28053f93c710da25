"""JSON API of the access app: the public map's GeoJSON and progress to the target year."""

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from qoldau.access.map import (
    KIND_VALUES,
    STATUS_VALUES,
    MapFilter,
    objects_geojson,
    parse_bbox,
    parse_category,
    parse_choices,
    parse_region,
)
from qoldau.access.progress import progress_summary
from qoldau.core import bounds
from qoldau.core.api import BearerToken, PublicAccess
from qoldau.core.errors import NotFound
from qoldau.core.models import Place

router = Router(tags=["access"])


class ObjectsQuery(Schema):
    bbox: bounds.SearchText | None = None
    category: bounds.Code | None = None
    kind: bounds.Label | None = None
    status: bounds.Label | None = None
    q: bounds.SearchText | None = None
    region: bounds.Code | None = None
    lang: bounds.Code | None = None


@router.get(
    "/access/objects",
    auth=[BearerToken(), PublicAccess()],
    summary="Objects on the map as GeoJSON",
    description=(
        "Public. `bbox=w,s,e,n` in degrees; `category` one of К, О, С, Г, У (Latin K, O, C/S, G, U "
        "accepted), default К; `kind` and `status` comma-separated; `q` searches name and address. "
        "`region` (a region's KATO code) limits it to one city or region. "
        "Each feature's `status` is the object's public status for the category."
    ),
)
def access_objects(request: HttpRequest, query: Query[ObjectsQuery]) -> HttpResponse:
    flt = MapFilter(
        category=parse_category(query.category),
        bbox=parse_bbox(query.bbox),
        kinds=parse_choices(query.kind, KIND_VALUES, "kind"),
        statuses=parse_choices(query.status, STATUS_VALUES, "status"),
        query=(query.q or "").strip()[:100],
        region=parse_region(query.region),
    )
    language = query.lang if query.lang in ("kk", "ru", "en") else translation.get_language() or "kk"
    return HttpResponse(objects_geojson(flt, language[:2]), content_type="application/geo+json")


class ProgressOut(Schema):
    region: str | None
    objects: int
    passported: int
    by_status: dict[str, dict[str, int]]
    measures: dict[str, int]
    target_objects: int | None
    target_year: int


@router.get(
    "/access/progress",
    auth=[BearerToken(), PublicAccess()],
    response=ProgressOut,
    summary="Progress of accessibility passports to the target year",
    description="Public. `region` is a region's KATO code; without it, the whole country.",
)
def access_progress(request: HttpRequest, region: bounds.Code | None = None) -> dict[str, object]:
    place = None
    if region:
        place = Place.objects.filter(kato=region.strip(), level=Place.Level.REGION).first()
        if place is None:
            raise NotFound(_("There is no region with this KATO code."))
    return {"region": place.kato if place else None, **progress_summary(place).as_api()}
