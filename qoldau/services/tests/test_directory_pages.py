"""The directory's pages: the public search, map, service and provider pages with no
sign-in, in Kazakh, Russian and English (active services only, no person's data), and the
pages provider staff keep their entry with (server-side validation: a permit that ends
before it starts is shown beside its field, translated, and nothing is saved)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from qoldau.core.tests.markup import inline_code
from qoldau.services import services
from qoldau.services.models import Location, Permit, Service
from qoldau.services.tests import directory_factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> f.Scene:
    return f.scene()


def client(language: str = "kk", user: object = None) -> Client:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        c.force_login(user)  # type: ignore[arg-type]
    return c


@pytest.mark.parametrize(
    ("language", "heading", "name"),
    [
        ("kk", "Әлеуметтік қызметтер анықтамалығы", "Күндізгі оңалту орталығы"),
        ("ru", "Справочник социальных услуг", "Дневной реабилитационный центр"),
        ("en", "Directory of social services", "Day rehabilitation centre"),
    ],
)
def test_the_public_search_in_each_language(s, language, heading, name):
    response = client(language).get("/services/")
    assert response.status_code == 200
    text = response.content.decode()
    assert heading in text
    assert name in text
    assert inline_code(text) == []


def test_the_search_page_filters_and_drops_unknown_values(s):
    text = client().get("/services/", {"need": "home_care"}).content.decode()
    assert ">Үйде күтім</a>" in text
    assert ">Күндізгі оңалту орталығы</a>" not in text
    text = client().get("/services/", {"need": "no-such-need", "district": "99999999"}).content.decode()
    assert ">Үйде күтім</a>" in text
    assert ">Күндізгі оңалту орталығы</a>" in text
    text = client("ru").get("/services/", {"q": "реабилитационный", "age": "7"}).content.decode()
    assert ">Дневной реабилитационный центр</a>" in text
    assert ">Уход на дому</a>" not in text


def test_a_services_page_says_what_to_bring_and_how_accessible_the_building_is(s):
    response = client("ru").get(f"/services/s/{s.day_care.public_id}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Что взять с собой" in text
    assert "Удостоверение личности" in text
    assert "Пн–Пт 9:00–18:00" in text
    assert f'href="/access/objects/{s.building.pk}/"' in text
    # No person's data, and no database key of the service in its address.
    assert f"/services/s/{s.day_care.pk}/" not in text


def test_an_inactive_service_and_an_unknown_address_are_not_found(s):
    services.service_set_status(actor=s["almaty.staff"], service=s.day_care, status="defunct")
    assert client().get(f"/services/s/{s.day_care.public_id}/").status_code == 404
    assert client().get(f"/services/p/{s.almaty.public_id}/").status_code == 404
    assert client().get("/services/s/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert "Күндізгі оңалту орталығы" not in client().get("/services/").content.decode()


def test_the_providers_page_lists_its_active_services(s):
    response = client("en").get(f"/services/p/{s.almaty.public_id}/")
    assert response.status_code == 200
    assert "Day rehabilitation centre" in response.content.decode()


def test_the_map_page_and_its_points(s):
    response = client().get("/services/map/", {"need": "rehabilitation"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="services-map-config"' in text
    assert "vendor/leaflet/leaflet.js" in text
    assert text.index('id="map-list-link"') < text.index('id="services-map"')
    points = client().get("/services/map/points/", {"need": "rehabilitation"}).json()["points"]
    assert [p["id"] for p in points] == [str(s.centre.public_id)]
    assert points[0]["provider"] == str(s.almaty.public_id)
    assert client().get("/services/map/points/", {"need": "home_care"}).json()["points"] == []


def test_the_map_uses_the_access_maps_local_base_layer_when_set(s, settings, tmp_path):
    tiles = tmp_path / "base.pmtiles"
    header = bytearray(127)
    header[:8] = b"PMTiles\x03"
    header[101] = 14
    tiles.write_bytes(bytes(header))
    settings.QOLDAU_MAP_PMTILES = str(tiles)
    text = client().get("/services/map/").content.decode()
    assert "/access/map/basemap.pmtiles" in text
    assert "vendor/protomaps-leaflet.js" in text
    settings.QOLDAU_MAP_PMTILES = ""
    text = client().get("/services/map/").content.decode()
    assert "vendor/protomaps-leaflet.js" not in text


# Provider staff ----------------------------------------------------------------------------


def test_staff_pages_need_sign_in_and_show_only_their_provider(s):
    assert client().get("/services/manage/").status_code == 302
    page = client(user=s["almaty.staff"]).get("/services/manage/")
    assert page.status_code == 200
    assert s.almaty_org.name in page.content.decode()
    assert s.turkistan_org.name not in page.content.decode()
    assert client(user=s["almaty.staff"]).get(f"/services/manage/{s.almaty.pk}/").status_code == 200
    assert client(user=s["almaty.staff"]).get(f"/services/manage/{s.turkistan.pk}/").status_code == 404
    assert (
        client(user=s["almaty.staff"]).get(f"/services/manage/services/{s.home_care.pk}/").status_code == 404
    )


def test_a_permit_that_ends_before_it_starts_is_shown_beside_its_field_and_nothing_is_saved(s):
    response = client("ru", s["almaty.admin"]).post(
        f"/services/manage/{s.almaty.pk}/",
        {
            "action": "permit",
            "permit-issuer": "Управление",
            "permit-number": "L-1",
            "permit-activity": "Услуги",
            "permit-valid_from": "2025-06-01",
            "permit-valid_to": "2025-05-01",
            "permit-status": "valid",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Разрешение заканчивается (2025-05-01) раньше, чем начинается (2025-06-01)." in text
    assert not Permit.objects.exists()
    ok = client("ru", s["almaty.admin"]).post(
        f"/services/manage/{s.almaty.pk}/",
        {
            "action": "permit",
            "permit-issuer": "Управление",
            "permit-number": "L-1",
            "permit-activity": "Услуги",
            "permit-valid_from": "2025-06-01",
            "permit-valid_to": "2026-05-01",
            "permit-status": "valid",
        },
    )
    assert ok.status_code == 302
    assert Permit.objects.get().number == "L-1"


def test_staff_may_not_record_permits_but_may_record_locations_and_services(s):
    response = client(user=s["almaty.staff"]).post(
        f"/services/manage/{s.almaty.pk}/",
        {
            "action": "permit",
            "permit-issuer": "x",
            "permit-number": "1",
            "permit-activity": "x",
            "permit-valid_from": "2025-01-01",
            "permit-status": "valid",
        },
    )
    assert response.status_code == 403
    response = client(user=s["almaty.staff"]).post(
        f"/services/manage/{s.almaty.pk}/",
        {
            "action": "location",
            "location-kind": "physical",
            "location-name_kk": "Екінші орталық",
            "location-address": "Төле би, 5",
            "location-region": str(s.centre.region_id),
            "location-building": str(s.building.pk),
        },
    )
    assert response.status_code == 302
    assert Location.objects.filter(name_kk="Екінші орталық", building=s.building).exists()
    response = client("en", s["almaty.staff"]).post(
        f"/services/manage/{s.almaty.pk}/services/new/",
        {
            "name_kk": "Заң кеңесі",
            "name_ru": "Юридическая консультация",
            "setting": "semi_residential",
            "kind": "legal",
            "needs": ["legal_help"],
            "languages": ["kk", "ru"],
            "free": "on",
            "offer_days": "3",
            "minimum_age": "18",
            "maximum_age": "10",
            "locations": [str(s.centre.pk)],
        },
    )
    assert response.status_code == 400
    assert "The upper age (10) is below the lower one (18)." in response.content.decode()
    assert not Service.objects.filter(name_kk="Заң кеңесі").exists()


def test_a_service_is_edited_and_its_documents_kept(s):
    staff = client(user=s["almaty.staff"])
    page = staff.get(f"/services/manage/services/{s.day_care.pk}/")
    assert page.status_code == 200
    response = staff.post(
        f"/services/manage/services/{s.day_care.pk}/",
        {"action": "document", "document-name_kk": "Анықтама", "document-name_ru": "Справка"},
    )
    assert response.status_code == 302
    assert s.day_care.documents.filter(name_ru="Справка").exists()
    document = s.day_care.documents.get(name_ru="Справка")
    assert (
        client(user=s["turkistan.staff"])
        .post(f"/services/manage/documents/{document.pk}/remove/")
        .status_code
        == 404
    )
    assert staff.post(f"/services/manage/documents/{document.pk}/remove/").status_code == 302
    assert not s.day_care.documents.filter(name_ru="Справка").exists()
