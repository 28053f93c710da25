"""The map's own base layer through Django's test client: the configured PMTiles file is
served whole (200) or by byte range (206 with its Content-Range, 416 with the size when the
range cannot be served), with Accept-Ranges, a strong ETag and caching headers; nothing
when no file is configured; never another file, whatever the request says; and the map
page draws the PMTiles layer when set (winning over a tile server), the tiles else, and
with neither says so and offers the list first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pmtiles.reader import MemorySource, Reader

from qoldau.access import basemap
from qoldau.access.tests.basemap_files import write_basemap

URL = "/access/map/basemap.pmtiles"


@pytest.fixture
def archive(tmp_path: Path, settings: Any) -> bytes:
    path = write_basemap(tmp_path / "kazakhstan.pmtiles", 43.24, 76.9, max_zoom=6)
    settings.QOLDAU_MAP_PMTILES = str(path)
    return path.read_bytes()


def body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    content: bytes = response.content
    return content


def test_the_url_is_the_one_the_map_uses():
    assert reverse("access:map_basemap") == URL


def test_without_a_range_the_whole_file_is_sent(archive: bytes):
    response = Client().get(URL)
    assert response.status_code == 200
    assert body(response) == archive
    assert response["Content-Length"] == str(len(archive))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/vnd.pmtiles"
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', response["ETag"])
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["Last-Modified"].endswith("GMT")
    # The generated file is a PMTiles archive a reader can use.
    reader = Reader(MemorySource(archive))
    assert reader.header()["tile_type"].value == 1  # MVT


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-16383", 0, None),  # the reader's first request, past the end of a small file
        ("bytes=0-126", 0, 126),  # the header
        ("bytes=10-19", 10, 19),
        ("bytes=-5", -5, None),
        ("bytes=100-", 100, None),
    ],
)
def test_a_range_is_sent_as_partial_content(archive: bytes, header: str, first: int, last: int | None):
    response = Client().get(URL, headers={"Range": header})
    assert response.status_code == 206
    size = len(archive)
    start = first if first >= 0 else size + first
    end = size - 1 if last is None else last
    assert body(response) == archive[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == Client().get(URL)["ETag"]
    assert response["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize(
    "header",
    [
        "bytes={size}-",  # starts at the end
        "bytes={size}-{size}",
        "bytes=20-10",  # backwards
        "bytes=-0",
        "bytes=0-1,5-6",  # several ranges
        "bytes=a-b",
        "items=0-10",
        "bytes=-",
        f"bytes=0-{basemap.MAX_RANGE_BYTES}",  # longer than any map reader's request
        "bytes=99999999999999999999-",
    ],
)
def test_a_range_that_cannot_be_served_is_416_with_the_size(archive: bytes, header: str, settings: Any):
    size = len(archive)
    if "MAX" not in header and str(basemap.MAX_RANGE_BYTES) in header:
        # A file larger than the bound, so only the bound refuses the range.
        Path(settings.QOLDAU_MAP_PMTILES).write_bytes(archive + bytes(basemap.MAX_RANGE_BYTES))
        size = len(archive) + basemap.MAX_RANGE_BYTES
    response = Client().get(URL, headers={"Range": header.format(size=size)})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert body(response) == b""


def test_a_range_of_exactly_the_bound_is_served(archive: bytes, settings: Any):
    Path(settings.QOLDAU_MAP_PMTILES).write_bytes(archive + bytes(basemap.MAX_RANGE_BYTES))
    response = Client().get(URL, headers={"Range": f"bytes=0-{basemap.MAX_RANGE_BYTES - 1}"})
    assert response.status_code == 206
    assert len(body(response)) == basemap.MAX_RANGE_BYTES


def test_if_range_for_another_version_gets_the_whole_file(archive: bytes):
    etag = Client().get(URL)["ETag"]
    same = Client().get(URL, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206
    other = Client().get(URL, headers={"Range": "bytes=0-9", "If-Range": '"0-0"'})
    assert other.status_code == 200
    assert body(other) == archive


def test_head_answers_the_headers_only(archive: bytes):
    response = Client().head(URL, headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-9/{len(archive)}"
    assert response.content == b""


def test_only_get_and_head(archive: bytes):
    assert Client().post(URL).status_code == 405


@pytest.mark.django_db
def test_a_file_that_is_not_pmtiles_is_no_base_layer(settings: Any, tmp_path: Path):
    other = tmp_path / "map.pmtiles"
    other.write_bytes(b"PMTiles\x02" + bytes(200))  # version 2: protomaps-leaflet 5 reads v3
    settings.QOLDAU_MAP_PMTILES = str(other)
    settings.QOLDAU_MAP_TILE_URL = ""
    assert Client().get(URL).status_code == 404
    response = Client().get(reverse("access:map"))
    assert _config(response)["pmtilesUrl"] == ""
    assert 'id="map-no-base"' in response.content.decode()


def test_nothing_is_served_when_no_file_is_configured(settings: Any, tmp_path: Path):
    settings.QOLDAU_MAP_PMTILES = ""
    assert Client().get(URL).status_code == 404
    assert Client().get(URL, headers={"Range": "bytes=0-9"}).status_code == 404
    # A missing file, or a directory, is no base layer either.
    settings.QOLDAU_MAP_PMTILES = str(tmp_path / "missing.pmtiles")
    assert Client().get(URL).status_code == 404
    settings.QOLDAU_MAP_PMTILES = str(tmp_path)
    assert Client().get(URL).status_code == 404
    # Nor is a file that is not a PMTiles archive: it is never served.
    other = tmp_path / "secrets.txt"
    other.write_bytes(b"SECRET_KEY=" + bytes(200))
    settings.QOLDAU_MAP_PMTILES = str(other)
    assert Client().get(URL).status_code == 404
    assert Client().get(URL, headers={"Range": "bytes=0-9"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/access/map/basemap.pmtiles/../../../settings.py",
        "/access/map/basemap.pmtiles?path=/etc/passwd",
        "/access/map/other.pmtiles",
        "/access/map/%2e%2e/basemap.pmtiles",
        "/access/map/basemap.pmtiles/",
    ],
)
def test_no_other_file_is_ever_served(archive: bytes, path: str):
    response = Client().get(path)
    if response.status_code == 200:
        # Only the configured file, whatever the query string says.
        assert body(response) == archive
    else:
        assert response.status_code in (301, 404)
        assert b"passwd" not in body(response)
        assert b"SECRET" not in body(response)


def _config(response: Any) -> dict[str, Any]:
    config: dict[str, Any] = response.context["config"]
    return config


@pytest.mark.django_db
def test_the_map_page_draws_the_pmtiles_layer_when_set(archive: bytes, settings: Any):
    settings.QOLDAU_MAP_TILE_URL = "https://tiles.example.invalid/{z}/{x}/{y}.png"
    response = Client().get(reverse("access:map"))
    config = _config(response)
    # Qoldau's own file wins over a tile server.
    assert config["pmtilesUrl"] == URL
    assert config["tileUrl"] == ""
    # The browser draws deeper zooms from the file's deepest (max_zoom=6 above).
    assert config["pmtilesMaxZoom"] == 6
    html = response.content.decode()
    assert "/static/vendor/protomaps-leaflet.js" in html
    assert 'id="map-no-base"' not in html
    assert 'id="map-skip-link"' in html


@pytest.mark.django_db
def test_with_no_base_layer_the_page_says_so_and_offers_the_list_first(settings: Any):
    settings.QOLDAU_MAP_PMTILES = ""
    settings.QOLDAU_MAP_TILE_URL = ""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("access:map"))
    config = _config(response)
    assert config["pmtilesUrl"] == ""
    assert config["tileUrl"] == ""
    html = response.content.decode()
    assert "protomaps-leaflet.js" not in html
    notice = html.index('id="map-no-base"')
    assert "No base map is configured here" in html[notice:]
    # The list link in the notice comes before the filters and the map.
    list_link = html.index('href="/access/map/list/', notice)
    assert list_link < html.index('id="map-filters"') < html.index('id="access-map"')
    skip = html.index('id="map-skip-link"')
    assert skip < html.index('id="access-map"')
    assert "Skip the map: the same places as a list" in html[skip : skip + 200]


@pytest.mark.django_db
def test_with_only_a_tile_server_the_tiles_are_used(settings: Any):
    settings.QOLDAU_MAP_PMTILES = ""
    settings.QOLDAU_MAP_TILE_URL = "https://tiles.example.invalid/{z}/{x}/{y}.png"
    response = Client().get(reverse("access:map"))
    config = _config(response)
    assert config["tileUrl"] == settings.QOLDAU_MAP_TILE_URL
    assert config["pmtilesUrl"] == ""
    assert 'id="map-no-base"' not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "separator"), [("kk", "\u202f"), ("ru", "\u202f"), ("en", ",")])
def test_the_map_groups_its_counts_as_the_pages_do(settings: Any, language: str, separator: str):
    """The script groups "Objects on the map: 1 500." with the language's separator from
    Django's formats, not Chromium's Intl (which has no Kazakh and would write 1,500)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert _config(client.get(reverse("access:map")))["thousandSeparator"] == separator
