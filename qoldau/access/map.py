"""The public map's data: objects with their public status for one category, as GeoJSON.

Everything here is public: names, addresses, kinds, coordinates and statuses of objects,
never passports' drafts, measures or barrier reports.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import orjson
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from qoldau.access.errors import AccessErrorCode
from qoldau.access.models import (
    CATEGORY_ALIASES,
    STATUS_FIELD,
    AccessObject,
    ObjectKind,
    PeopleCategory,
    PublicStatus,
)
from qoldau.core.errors import CoreErrorCode, ErrorCode, ValidationFailed
from qoldau.core.models import Place
from qoldau.core.search import filter_words


@dataclass(frozen=True)
class MapFilter:
    category: str = PeopleCategory.WHEELCHAIR
    # west, south, east, north
    bbox: tuple[float, float, float, float] | None = None
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    query: str = ""
    # A region's KATO code: the map shows one city or region at a time, so that a national
    # register of 300,000 objects never reaches the browser at once.
    region: str = ""


def parse_category(raw: str | None) -> str:
    """A category letter, Cyrillic or its Latin look-alike; К when none is given."""
    text = (raw or "").strip().upper()
    if not text:
        return PeopleCategory.WHEELCHAIR
    text = CATEGORY_ALIASES.get(text, text)
    if text not in PeopleCategory.values:
        raise ValidationFailed(
            _("Unknown category %(category)s: use К, О, С, Г or У."),
            field="category",
            code=AccessErrorCode.INVALID_CATEGORY,
            params={"category": raw},
        )
    return text


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """`w,s,e,n` in degrees, or None when not given."""
    if not raw:
        return None
    try:
        west, south, east, north = (float(part) for part in raw.split(","))
    except ValueError:
        raise ValidationFailed(
            _("The bounding box is four numbers: west,south,east,north."),
            field="bbox",
            code=AccessErrorCode.INVALID_BBOX,
        ) from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationFailed(
            _("The bounding box is four numbers: west,south,east,north."),
            field="bbox",
            code=AccessErrorCode.INVALID_BBOX,
        )
    return west, south, east, north


def parse_choices(raw: list[str] | str | None, allowed: list[str], field: str) -> tuple[str, ...]:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    chosen = tuple(v for part in values for v in part.split(",") if v)
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise ValidationFailed(
            _("Unknown value %(value)s."),
            field=field,
            code=ErrorCode.INVALID_CHOICE,
            params={"value": unknown[0]},
        )
    return chosen


def objects_filtered(flt: MapFilter) -> QuerySet[AccessObject]:
    """The objects the filter selects, unordered: the map's and the list's one query shape."""
    status_field = STATUS_FIELD[PeopleCategory(flt.category)]
    qs = AccessObject.objects.all()
    if flt.region:
        qs = qs.filter(region__kato=flt.region)
    if flt.bbox is not None:
        west, south, east, north = flt.bbox
        qs = qs.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)
    if flt.kinds:
        qs = qs.filter(kind__in=flt.kinds)
    if flt.statuses:
        qs = qs.filter(**{f"{status_field}__in": flt.statuses})
    if flt.query:
        qs = filter_words(qs, ("name_kk", "name_ru", "name_en", "address"), flt.query)
    return qs.order_by()


def _name_in(language: str) -> Coalesce:
    """The name in the language asked for, else the Kazakh one (which every object has)."""
    if language == "kk" or language not in ("ru", "en"):
        return Coalesce(F("name_kk"), Value(""))
    return Coalesce(NullIf(F(f"name_{language}"), Value("")), F("name_kk"))


def map_objects(flt: MapFilter, language: str = "kk") -> list[tuple[int, str, str, float, float, str, str]]:
    """Rows (id, name in the language, address, latitude, longitude, kind, status) of the
    objects the filter selects, by id.

    Read through the cursor, not model instances or `values_list`: at 34,000 rows Django's
    per-row conversion costs more than the query itself."""
    status_field = STATUS_FIELD[PeopleCategory(flt.category)]
    qs = (
        objects_filtered(flt)
        .annotate(map_name=_name_in(language))
        .order_by("pk")
        .values_list("pk", "map_name", "address", "latitude", "longitude", "kind", status_field)
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[int, str, str, float, float, str, str]] = cursor.fetchall()
    return rows


def objects_listed(flt: MapFilter, language: str = "kk") -> QuerySet[AccessObject]:
    """The list view's objects: the same selection as the map, by name in the language."""
    return (
        objects_filtered(flt)
        .select_related("district")
        .annotate(list_name=_name_in(language))
        .order_by("list_name", "pk")
    )


DELETIONS_KEY = "access:objects-deleted"


def data_stamp() -> str:
    """Changes whenever an object is created, saved or deleted. Creating and saving move
    the highest id or `updated_at` (save() and bulk_create set it; a QuerySet.update() must
    set it too, as `services.passport_submit` does); both maxima are read from indexes, so
    the stamp costs two index look-ups, not a scan of every object. Deletions, which
    neither maximum shows, bump a counter in the cache (`object_deleted`)."""
    row = AccessObject.objects.aggregate(last_id=Max("pk"), changed=Max("updated_at"))
    changed = row["changed"].isoformat() if row["changed"] else "-"
    return f"{row['last_id']}:{changed}:{cache.get(DELETIONS_KEY, 0)}"


def object_deleted(**_kwargs: object) -> None:
    """post_delete receiver of AccessObject (connected in the app's ready())."""
    try:
        cache.incr(DELETIONS_KEY)
    except ValueError:
        cache.set(DELETIONS_KEY, 1, None)


# Bytes of one feature; %b slots take JSON-encoded strings. Six decimals are 0.1 m.
_FEATURE = (
    b'{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[%.6f,%.6f]},'
    b'"properties":{"name":%b,"address":%b,"kind":"%b","status":"%b"}}'
)
GEOJSON_CACHE_SECONDS = 3600


def build_geojson(flt: MapFilter, language: str) -> bytes:
    """`objects_geojson` without the cache: what the first request after a change pays."""
    dumps = orjson.dumps
    features = b",".join(
        _FEATURE % (pk, lon, lat, dumps(name), dumps(address), kind.encode(), status.encode())
        for pk, name, address, lat, lon, kind, status in map_objects(flt, language)
    )
    head = b'{"type":"FeatureCollection","category":%b,"features":[' % dumps(flt.category)
    return head + features + b"]}"


# The last few bodies this process served, so that a repeated view skips even the shared
# cache's unpickling of megabytes; keyed like the cache, so never stale either.
_RECENT: OrderedDict[str, bytes] = OrderedDict()
_RECENT_SIZE = 4
_RECENT_LOCK = threading.Lock()


def _cached(kind: str, flt: MapFilter, language: str, build: Callable[[MapFilter, str], bytes]) -> bytes:
    key_source = repr((kind, data_stamp(), flt, language)).encode()
    key = f"access:{kind}:" + hashlib.sha256(key_source).hexdigest()
    with _RECENT_LOCK:
        body = _RECENT.get(key)
        if body is not None:
            _RECENT.move_to_end(key)
            return body
    cached = cache.get(key)
    if isinstance(cached, bytes):
        body = cached
    else:
        body = build(flt, language)
        cache.set(key, body, GEOJSON_CACHE_SECONDS)
    with _RECENT_LOCK:
        _RECENT[key] = body
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
    return body


def objects_geojson(flt: MapFilter, language: str = "kk") -> bytes:
    """A GeoJSON FeatureCollection (RFC 7946) of the selected objects, each with its name in
    the language asked for (falling back to Kazakh), address, kind and public status.

    Guarantees the same bytes a fresh build would give: a build is cached under the
    filter, the language and `data_stamp()`, so any change to the objects is seen by the
    next request. A city's 34,000 objects take a few hundred milliseconds to build and a
    few to serve from the cache; the map's repeated views hit the cache."""
    language = language if language in ("kk", "ru", "en") else "kk"
    return _cached("geojson", flt, language, build_geojson)


def _build_compact(flt: MapFilter, language: str) -> bytes:
    rows = map_objects(flt, language)
    return orjson.dumps(
        {
            "category": flt.category,
            "id": [row[0] for row in rows],
            "name": [row[1] for row in rows],
            "address": [row[2] for row in rows],
            # Microdegrees (0.1 m) as integers: a third of the bytes of the floats.
            "lat": [round(row[3] * 1_000_000) for row in rows],
            "lon": [round(row[4] * 1_000_000) for row in rows],
            "kind": [row[5] for row in rows],
            "status": [row[6] for row in rows],
        }
    )


def objects_compact(flt: MapFilter, language: str = "kk") -> bytes:
    """The same objects and properties as `objects_geojson`, in columns (one array per
    property, coordinates in microdegrees) for the public map page: a fifth of the bytes,
    and the browser parses it in a fraction of the time. Cached the same way."""
    language = language if language in ("kk", "ru", "en") else "kk"
    return _cached("compact", flt, language, _build_compact)


KIND_VALUES = list(ObjectKind.values)
STATUS_VALUES = list(PublicStatus.values)


def parse_region(raw: str | None) -> str:
    """A region's KATO code, checked; "" when none is given."""
    code = (raw or "").strip()
    if not code:
        return ""
    if not Place.objects.filter(kato=code, level=Place.Level.REGION).exists():
        raise ValidationFailed(
            _("There is no region with this KATO code."), field="region", code=CoreErrorCode.UNKNOWN_REGION
        )
    return code


def regions_on_map() -> list[tuple[str, str]]:
    """(KATO, name) of the regions that have objects, the one with the most objects first."""
    # Counting every object on each page view would cost a scan; the order only changes
    # with the data, so it is kept under the data's stamp (names follow the language).
    key = "access:region-order:" + hashlib.sha256(data_stamp().encode()).hexdigest()
    order: list[int] | None = cache.get(key)
    if order is None:
        counts = AccessObject.objects.values("region_id").annotate(n=Count("pk")).order_by("-n", "region_id")
        order = [row["region_id"] for row in counts]
        cache.set(key, order, GEOJSON_CACHE_SECONDS)
    rank = {region_id: index for index, region_id in enumerate(order)}
    places = Place.objects.filter(pk__in=rank, kato__isnull=False)
    return [(str(p.kato), p.name) for p in sorted(places, key=lambda p: rank[p.pk])]
