"""The public pages through Django's test client, with no sign-in: the map page, the list
equivalent to it (same filters, paged), an object's page with its statuses and public
photos, and reporting a barrier (good, not an image, too large, empty, too many: a clear
message and nothing saved)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation
from PIL import Image

from qoldau.access import services
from qoldau.access.models import BarrierReport, ObjectPhoto
from qoldau.access.tests.factories import Objects, make_object
from qoldau.access.views import public
from qoldau.core.models import AuditEntry
from qoldau.core.tests.images import png_declaring

LANGUAGES = ("kk", "ru", "en")


def client_in(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def objects(db: None) -> Objects:
    return Objects()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # The local-memory cache outlives a test: the report counter must start at zero.
    cache.clear()


def listed(response: Any) -> list[int]:
    return [row["object"].pk for row in response.context["rows"]]


# The map and the list -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_page_opens_without_sign_in_in_each_language(objects: Objects, language: str):
    response = client_in(language).get(reverse("access:map"), {"category": "С"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert response["Content-Language"] == language
    config = response.context["config"]
    assert config["category"] == "С"
    assert config["dataUrl"].startswith("/access/map/points/?category=%D0%A1")
    assert f"lang={language}" in config["dataUrl"]
    # No tile server is set: the page asks for none and loads nothing from outside.
    assert config["tileUrl"] == ""
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", html.split("<footer")[0])
    # Every category is a labelled radio button, the chosen one checked.
    assert html.count('type="radio" name="category"') == 5
    assert re.search(r'<input type="radio" name="category" value="С"[^>]*checked', html)
    # The list equivalent is linked with the same filters.
    # (the map opens on the region with the most objects: one city at a time)
    assert re.search(r'href="/access/map/list/\?region=\d{9}&amp;category=%D0%A1"', html)


def test_the_tile_layer_is_used_only_when_set(objects: Objects, settings: Any):
    settings.QOLDAU_MAP_TILE_URL = "https://tiles.example.invalid/{z}/{x}/{y}.png"
    settings.QOLDAU_MAP_TILE_ATTRIBUTION = "© Example"
    config = client_in().get(reverse("access:map")).context["config"]
    assert config["tileUrl"] == settings.QOLDAU_MAP_TILE_URL
    assert config["tileAttribution"] == "© Example"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_shows_the_same_objects_as_the_map_with_their_status(objects: Objects, language: str):
    response = client_in(language).get(reverse("access:map_list"), {"category": "K"})
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    # One region at a time: the one with the most objects (Almaty) unless another is chosen.
    assert set(listed(response)) == {
        o.pk for o in (objects.clinic, objects.school, objects.shop, objects.library)
    }
    astana = client_in(language).get(reverse("access:map_list"), {"region": str(objects.astana.region.kato)})
    assert listed(astana) == [objects.astana.pk]
    statuses = {row["object"].pk: row["status"] for row in response.context["rows"]}
    assert statuses[objects.school.pk] == "not_accessible"
    html = response.content.decode()
    assert reverse("access:object_public", args=[objects.school.pk]) in html


def test_the_list_filters_like_the_map(objects: Objects):
    client = client_in()
    vision_partial = client.get(reverse("access:map_list"), {"category": "С", "status": "partial"})
    assert listed(vision_partial) == [objects.shop.pk]
    assert "Partially accessible" in vision_partial.content.decode()
    by_kind = client.get(reverse("access:map_list"), {"kind": ["education", "culture"]})
    assert set(listed(by_kind)) == {objects.school.pk, objects.library.pk}
    searched = client.get(reverse("access:map_list"), {"q": "достық"})
    assert listed(searched) == [objects.school.pk]
    # A stale value in a shared link is dropped, not an error.
    odd = client.get(reverse("access:map_list"), {"category": "Z", "kind": "castle"})
    assert odd.status_code == 200
    assert len(listed(odd)) == 4


def test_the_list_is_paged_in_a_fixed_number_of_queries(objects: Objects, monkeypatch: Any):
    monkeypatch.setattr(public, "LIST_PAGE_SIZE", 3)
    client = client_in()
    client.get(reverse("access:map_list"))
    with CaptureQueriesContext(connection) as few:
        first = client.get(reverse("access:map_list"))
    for index in range(6):
        make_object(objects.officer, name=f"Нысан {index}")
    # (the regions' order is counted once per change of the data, then kept)
    client.get(reverse("access:map_list"), {"page": 2})
    with CaptureQueriesContext(connection) as many:
        second = client.get(reverse("access:map_list"), {"page": 2})
    assert len(listed(first)) == len(listed(second)) == 3
    assert len(many) == len(few)
    html = second.content.decode()
    assert "page=3" in html
    assert "page=1" in html


# An object's page -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_object_page_shows_the_status_for_each_category_as_text(objects: Objects, language: str):
    response = client_in(language).get(reverse("access:object_public", args=[objects.school.pk]))
    assert response.status_code == 200
    rows = {row["category"]: row["status"] for row in response.context["statuses"]}
    assert list(rows.values()) == [
        "not_accessible",
        "not_accessible",
        "accessible",
        "accessible",
        "accessible",
    ]
    html = response.content.decode()
    assert objects.school.passported_on is None  # the instance predates the passport
    objects.school.refresh_from_db()
    assert objects.school.passported_on is not None
    with translation.override(language):  # the day in the reader's format (qoldau/formats)
        assert formats.date_format(objects.school.passported_on, "SHORT_DATE_FORMAT") in html
    assert reverse("access:object_report", args=[objects.school.pk]) in html


def test_an_unknown_object_is_not_found(objects: Objects):
    assert client_in().get(reverse("access:object_public", args=[999_999])).status_code == 404
    assert client_in().get(reverse("access:object_report", args=[999_999])).status_code == 404


def test_only_public_photos_are_served(objects: Objects):
    photo = services.photo_add(
        actor=objects.officer,
        obj=objects.clinic,
        upload=SimpleUploadedFile("front.png", png(), "image/png"),
        caption="Кіреберіс",
    )
    page = client_in().get(reverse("access:object_public", args=[objects.clinic.pk]))
    url = reverse("access:object_public_photo", args=[objects.clinic.pk, photo.pk])
    assert url in page.content.decode()
    assert 'alt="Кіреберіс"' in page.content.decode()
    served = client_in().get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served.getvalue() == png()
    # Another object's address for the photo is not found.
    assert (
        client_in().get(reverse("access:object_public_photo", args=[objects.shop.pk, photo.pk])).status_code
        == 404
    )
    # A barrier report's photo is never served by the public pages.
    report = services.barrier_report_submit(
        actor=None,
        object_id=objects.clinic.pk,
        description="Пандус жоқ",
        photo=SimpleUploadedFile("barrier.png", png(), "image/png"),
    )
    assert report.photo
    assert not ObjectPhoto.objects.filter(image=report.photo.name).exists()
    page = client_in().get(reverse("access:object_public", args=[objects.clinic.pk]))
    assert report.photo.name not in page.content.decode()
    assert client_in().get("/media/" + report.photo.name).status_code == 404


# Reporting a barrier --------------------------------------------------------------------


def report(client: Client, obj_pk: int, **fields: Any) -> Any:
    data = {"description": "Кіреберісте пандус жоқ.", "category": "", "zone": "", "contact": "", **fields}
    return client.post(reverse("access:object_report", args=[obj_pk]), data)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_form_opens_without_sign_in(objects: Objects, language: str):
    response = client_in(language).get(reverse("access:object_report", args=[objects.clinic.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    for name in ("description", "category", "zone", "photo", "contact"):
        assert f'for="id_{name}"' in html


def test_a_barrier_report_with_a_photo_becomes_a_task(objects: Objects):
    client = Client(enforce_csrf_checks=False)
    response = report(
        client,
        objects.school.pk,
        category="К",
        zone="entrance",
        contact="+7 701 000 0000",
        photo=SimpleUploadedFile("ramp.png", png(), "image/png"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("access:object_report_thanks", args=[objects.school.pk])
    saved = BarrierReport.objects.get()
    assert saved.object_id == objects.school.pk
    assert (saved.category, saved.zone, saved.channel, saved.state) == ("К", "entrance", "web", "new")
    assert saved.contact == "+7 701 000 0000"
    assert saved.photo.name.endswith(".png")
    thanks = client_in().get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you for the report" in thanks.content.decode()


def test_a_report_without_a_photo_is_accepted(objects: Objects):
    assert report(client_in(), objects.clinic.pk).status_code == 302
    assert BarrierReport.objects.get().photo.name == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": "   "}, "This field is required."),
        (
            {"photo": SimpleUploadedFile("notes.png", b"not an image at all", "image/png")},
            "The file is not a photo. Send a JPEG, PNG or WebP image.",
        ),
        (
            {"photo": SimpleUploadedFile("scan.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")},
            "The file is not a photo. Send a JPEG, PNG or WebP image.",
        ),
        ({"category": "X"}, "Select a valid choice. X is not one of the available choices."),
    ],
)
def test_bad_reports_get_a_clear_message_and_save_nothing(
    objects: Objects, fields: dict[str, Any], message: str
):
    response = report(client_in(), objects.clinic.pk, **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert message in html
    assert BarrierReport.objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / "access" / "barriers").exists()


def test_a_photo_too_large_is_refused_and_nothing_is_saved(objects: Objects, settings: Any):
    settings.QOLDAU_ACCESS_PHOTO_MAX_MB = 1
    big = png((1400, 1400))
    padding = b"\0" * (1024 * 1024 + 1 - len(big)) if len(big) < 1024 * 1024 + 1 else b""
    response = report(
        client_in(), objects.clinic.pk, photo=SimpleUploadedFile("big.png", big + padding, "image/png")
    )
    assert response.status_code == 200
    assert "The photo is larger than 1 MB. Send a smaller one." in response.content.decode()
    assert BarrierReport.objects.count() == 0


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (12_000, 12_000)])
def test_a_photo_declaring_too_many_pixels_is_refused_before_it_is_decoded(
    objects: Objects, width: int, height: int
):
    # 400 and 144 megapixels in a file of a few dozen bytes: refused from its header.
    photo = SimpleUploadedFile("huge.png", png_declaring(width, height), "image/png")
    response = report(client_in(), objects.clinic.pk, photo=photo)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "The image is larger than 50 megapixels; send a smaller one." in html
    assert BarrierReport.objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / "access" / "barriers").exists()


def test_the_report_form_needs_the_csrf_token(objects: Objects):
    client = Client(enforce_csrf_checks=True)
    assert report(client, objects.clinic.pk).status_code == 403
    assert BarrierReport.objects.count() == 0


def test_a_flood_of_reports_from_one_address_is_stopped(objects: Objects, settings: Any):
    settings.QOLDAU_RATE_LIMITS = {**settings.QOLDAU_RATE_LIMITS, "barrier_report_address": (20 / 3600, 3)}
    client = client_in()
    for _ in range(3):
        assert report(client, objects.clinic.pk).status_code == 302
    refused = report(client, objects.clinic.pk)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many reports were sent from your connection. Try again later." in refused.content.decode()
    assert BarrierReport.objects.count() == 3


def behind_proxy(forwarded: str | None = None) -> Client:
    """A browser whose connection arrives from the proxy (10.0.0.5)."""
    client = Client(REMOTE_ADDR="10.0.0.5")
    if forwarded:
        client.defaults["HTTP_X_FORWARDED_FOR"] = forwarded
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_without_a_trusted_proxy_a_spoofed_forwarded_header_does_not_escape_the_limit(
    objects: Objects, settings: Any
):
    settings.QOLDAU_TRUSTED_PROXY_COUNT = 0
    settings.QOLDAU_RATE_LIMITS = {**settings.QOLDAU_RATE_LIMITS, "barrier_report_address": (20 / 3600, 2)}
    assert report(behind_proxy("203.0.113.1"), objects.clinic.pk).status_code == 302
    assert report(behind_proxy("203.0.113.2"), objects.clinic.pk).status_code == 302
    assert report(behind_proxy("203.0.113.3"), objects.clinic.pk).status_code == 429
    assert BarrierReport.objects.count() == 2
    # The audit log records the connection's address, not what the header claims.
    rows = AuditEntry.objects.filter(action="access.barrier_report")
    assert set(rows.values_list("ip_address", flat=True)) == {"10.0.0.5"}


def test_behind_one_trusted_proxy_each_client_has_its_own_bucket(objects: Objects, settings: Any):
    settings.QOLDAU_TRUSTED_PROXY_COUNT = 1
    settings.QOLDAU_RATE_LIMITS = {**settings.QOLDAU_RATE_LIMITS, "barrier_report_address": (20 / 3600, 2)}
    for _ in range(2):
        assert report(behind_proxy("203.0.113.1"), objects.clinic.pk).status_code == 302
    assert report(behind_proxy("203.0.113.1"), objects.clinic.pk).status_code == 429
    # A made-up entry on the left is the client's own text: the same bucket.
    assert report(behind_proxy("198.51.100.9, 203.0.113.1"), objects.clinic.pk).status_code == 429
    # Another client behind the same proxy is not held back.
    assert report(behind_proxy("203.0.113.2"), objects.clinic.pk).status_code == 302
    assert BarrierReport.objects.count() == 3
    rows = AuditEntry.objects.filter(action="access.barrier_report")
    assert sorted(str(ip) for ip in rows.values_list("ip_address", flat=True)) == [
        "203.0.113.1",
        "203.0.113.1",
        "203.0.113.2",
    ]
