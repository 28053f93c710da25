"""The public map's data: `GET /api/v1/access/objects` as GeoJSON (bbox, category in
Cyrillic and Latin letters, kind and status filters, search, bad input refused with a clear
message) and the page's compact form of the same objects. Objects and their statuses are
made through the real services: a surveyor's submitted passport sets the statuses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qoldau.access.tests.factories import Objects, make_object, passport
from qoldau.core.tests import factories

API = "/api/v1/access/objects"
POINTS = "/access/map/points/"
ALMATY_BBOX = "76.7,43.1,77.2,43.45"


# The data -------------------------------------------------------------------------------


@pytest.fixture
def objects(db: None) -> Objects:
    return Objects()


def features(response: Any) -> dict[int, dict[str, Any]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    return {f["id"]: f for f in data["features"]}


# The GeoJSON API ------------------------------------------------------------------------


def test_bbox_selects_the_objects_inside_it(objects: Objects):
    found = features(Client().get(API, {"bbox": ALMATY_BBOX}))
    assert set(found) == {objects.clinic.pk, objects.school.pk, objects.shop.pk, objects.library.pk}
    clinic = found[objects.clinic.pk]
    assert clinic["type"] == "Feature"
    assert clinic["geometry"] == {"type": "Point", "coordinates": [76.9, 43.25]}
    assert clinic["properties"] == {
        "name": "Қалалық емхана №5",
        "address": "Абай даңғылы, 10",
        "kind": "health",
        "status": "accessible",
    }
    everywhere = features(Client().get(API))
    assert objects.astana.pk in everywhere


def test_status_follows_the_category_in_cyrillic_or_latin_letters(objects: Objects):
    def status_of(category: str) -> dict[int, str]:
        found = features(Client().get(API, {"bbox": ALMATY_BBOX, "category": category}))
        return {pk: f["properties"]["status"] for pk, f in found.items()}

    wheelchair = status_of("К")
    assert status_of("K") == wheelchair == status_of("k")
    assert wheelchair[objects.school.pk] == "not_accessible"
    assert wheelchair[objects.shop.pk] == "accessible"
    assert wheelchair[objects.library.pk] == "unknown"
    vision = status_of("С")
    assert status_of("C") == vision == status_of("S")
    assert vision[objects.school.pk] == "accessible"
    assert vision[objects.shop.pk] == "partial"
    # Without a category the map is for wheelchair users.
    assert status_of("") == wheelchair


def test_kind_status_and_search_filters(objects: Objects):
    def ids(**params: str) -> set[int]:
        return set(features(Client().get(API, {"bbox": ALMATY_BBOX, **params})))

    assert ids(kind="education") == {objects.school.pk}
    assert ids(kind="education,culture") == {objects.school.pk, objects.library.pk}
    assert ids(status="not_accessible") == {objects.school.pk}
    assert ids(status="partial", category="С") == {objects.shop.pk}
    assert ids(status="accessible,unknown") == {objects.clinic.pk, objects.shop.pk, objects.library.pk}
    assert ids(q="береке") == {objects.shop.pk}
    assert ids(q="Достық") == {objects.school.pk}
    assert ids(q="clinic") == {objects.clinic.pk}
    assert ids(q="Мектеп Достық") == {objects.school.pk}
    assert ids(q="Мектеп Абай") == set()


def test_names_come_in_the_language_asked_for_with_kazakh_as_fallback(objects: Objects):
    found = features(Client().get(API, {"bbox": ALMATY_BBOX, "lang": "en"}))
    assert found[objects.clinic.pk]["properties"]["name"] == "City clinic No. 5"
    assert found[objects.school.pk]["properties"]["name"] == "Мектеп №12"
    russian = features(Client().get(API, {"bbox": ALMATY_BBOX, "lang": "ru"}))
    assert russian[objects.school.pk]["properties"]["name"] == "ru Мектеп №12"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"bbox": "76.7,43.1,77.2"}, "bbox", "The bounding box is four numbers: west,south,east,north."),
        ({"bbox": "a,b,c,d"}, "bbox", "The bounding box is four numbers: west,south,east,north."),
        (
            {"bbox": "76.7,43.45,77.2,43.1"},
            "bbox",
            "The bounding box is four numbers: west,south,east,north.",
        ),
        ({"category": "Z"}, "category", "Unknown category Z: use К, О, С, Г or У."),
        ({"kind": "castle"}, "kind", "Unknown value castle."),
        ({"status": "great"}, "status", "Unknown value great."),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(
    objects: Objects, params: dict[str, str], field: str, message: str
):
    client = Client()
    client.cookies["qoldau_language"] = "en"
    response = client.get(API, params)
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["field"] == field
    assert body["message"] == message
    page_data = client.get(POINTS, params)
    assert page_data.status_code == 400
    assert page_data.json()["message"] == message


def test_a_submitted_passport_shows_on_the_map_at_once(objects: Objects):
    """The GeoJSON is cached; a new passport must still show in the next answer."""
    before = features(Client().get(API, {"bbox": ALMATY_BBOX}))
    assert before[objects.library.pk]["properties"]["status"] == "unknown"
    passport(objects.officer, factories.user("surveyor.two", "surveyor"), objects.library, not_met={"ramp"})
    after = features(Client().get(API, {"bbox": ALMATY_BBOX}))
    assert after[objects.library.pk]["properties"]["status"] == "not_accessible"
    added = make_object(objects.officer, name="Жаңа нысан")
    assert added.pk in features(Client().get(API, {"bbox": ALMATY_BBOX}))


def test_the_pages_compact_data_holds_the_same_objects_in_columns(objects: Objects):
    response = Client().get(POINTS, {"category": "C", "lang": "en"})
    assert response.status_code == 200
    data = response.json()
    assert data["category"] == "С"
    rows = {
        pk: (name, address, lat, lon, kind, status)
        for pk, name, address, lat, lon, kind, status in zip(
            data["id"],
            data["name"],
            data["address"],
            data["lat"],
            data["lon"],
            data["kind"],
            data["status"],
            strict=True,
        )
    }
    assert rows[objects.shop.pk] == (
        "Дүкен «Береке»",
        "Абай даңғылы, 10",
        43_300_000,
        76_900_000,
        "trade_services",
        "partial",
    )
    assert rows[objects.clinic.pk][0] == "City clinic No. 5"
    assert len(rows) == 5


def test_the_api_reads_the_objects_in_a_fixed_number_of_queries(objects: Objects):
    Client().get(API)  # warm the session, language and cache paths
    with CaptureQueriesContext(connection) as first:
        features(Client().get(API, {"category": "О"}))
    for index in range(10):
        make_object(objects.officer, name=f"Нысан {index}")
    with CaptureQueriesContext(connection) as second:
        found = features(Client().get(API, {"category": "О"}))
    assert len(found) == 15
    assert len(second) == len(first) <= 3
