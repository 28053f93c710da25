"""The public map's data: objects with their public status for one category, as GeoJSON.

Everything here is public: names, addresses, kinds, coordinates and statuses of objects,
never passports' drafts, measures or barrier reports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qoldau.access.models import (
    CATEGORY_ALIASES,
    STATUS_FIELD,
    AccessObject,
    ObjectKind,
    PeopleCategory,
    PublicStatus,
)
from qoldau.core.errors import ValidationFailed


@dataclass(frozen=True)
class MapFilter:
    category: str = PeopleCategory.WHEELCHAIR
    # west, south, east, north
    bbox: tuple[float, float, float, float] | None = None
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    query: str = ""


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
            code="invalid_category",
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
            _("The bounding box is four numbers: west,south,east,north."), field="bbox", code="invalid_bbox"
        ) from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationFailed(
            _("The bounding box is four numbers: west,south,east,north."), field="bbox", code="invalid_bbox"
        )
    return west, south, east, north


def parse_choices(raw: list[str] | str | None, allowed: list[str], field: str) -> tuple[str, ...]:
    values = [raw] if isinstance(raw, str) else list(raw or [])
    chosen = tuple(v for part in values for v in part.split(",") if v)
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise ValidationFailed(
            _("Unknown value %(value)s."), field=field, code="invalid_choice", params={"value": unknown[0]}
        )
    return chosen


def map_objects(flt: MapFilter) -> list[tuple[int, str, str, str, str, float, float, str, str]]:
    """Rows (id, name_kk, name_ru, name_en, address, latitude, longitude, kind, status) of
    the objects the filter selects."""
    status_field = STATUS_FIELD[PeopleCategory(flt.category)]
    qs = AccessObject.objects.all()
    if flt.bbox is not None:
        west, south, east, north = flt.bbox
        qs = qs.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)
    if flt.kinds:
        qs = qs.filter(kind__in=flt.kinds)
    if flt.statuses:
        qs = qs.filter(**{f"{status_field}__in": flt.statuses})
    if flt.query:
        words = flt.query.split()
        for word in words[:5]:
            qs = qs.filter(
                Q(name_kk__icontains=word)
                | Q(name_ru__icontains=word)
                | Q(name_en__icontains=word)
                | Q(address__icontains=word)
            )
    return list(
        qs.order_by("pk").values_list(
            "pk", "name_kk", "name_ru", "name_en", "address", "latitude", "longitude", "kind", status_field
        )
    )


def objects_geojson(flt: MapFilter, language: str = "kk") -> bytes:
    """A GeoJSON FeatureCollection of the selected objects, each with its name in the
    language asked for (falling back to Kazakh), address, kind and public status."""
    name_at = {"kk": 1, "ru": 2, "en": 3}.get(language, 1)
    features = []
    for row in map_objects(flt):
        features.append(
            {
                "type": "Feature",
                "id": row[0],
                "geometry": {"type": "Point", "coordinates": [row[6], row[5]]},
                "properties": {
                    "name": row[name_at] or row[1],
                    "address": row[4],
                    "kind": row[7],
                    "status": row[8],
                },
            }
        )
    payload = {"type": "FeatureCollection", "category": flt.category, "features": features}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


KIND_VALUES = list(ObjectKind.values)
STATUS_VALUES = list(PublicStatus.values)
