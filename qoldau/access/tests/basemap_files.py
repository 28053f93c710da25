"""A small PMTiles file for the base-layer tests: at each zoom, the one tile around a point
holds land ("earth", the first layer protomaps-leaflet paints) covering the whole tile.

The vector tile is encoded here by hand (Mapbox Vector Tile 2.1, a few protobuf fields),
so the tests need no encoder beyond the `pmtiles` writer."""

from __future__ import annotations

import math
from pathlib import Path

from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

# The light flavour's colour of land, as protomaps-leaflet paints it (@protomaps/basemaps).
EARTH_RGB = (0xE2, 0xDF, 0xDA)
EXTENT = 4096


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 31)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _uint(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _packed(values: list[int]) -> bytes:
    return b"".join(_varint(v) for v in values)


def _layer(name: str, geometry_type: int, geometry: list[int], props: dict[str, str]) -> bytes:
    """A layer of one feature (type 1 point, 2 line, 3 polygon) with string properties."""
    keys = list(props)
    # Key i takes value i: each property has its own entry in both tables.
    tags = [index for index in range(len(keys)) for _key_then_value in (0, 1)]
    feature = _uint(1, 1) + _field(2, _packed(tags)) + _uint(3, geometry_type) + _field(4, _packed(geometry))
    layer = _uint(15, 2) + _field(1, name.encode()) + _field(2, feature)
    layer += b"".join(_field(3, key.encode()) for key in keys)
    layer += b"".join(_field(4, _field(1, props[key].encode())) for key in keys)
    return _field(3, layer + _uint(5, EXTENT))


def land_tile() -> bytes:
    """Land ("earth") a little larger than the tile, a main road across it and a town's
    name at its centre: what the light flavour paints and labels."""
    low, high = -64, EXTENT + 64
    corners = [(low, low), (high, low), (high, high), (low, high)]
    ring = [1 | 1 << 3, _zigzag(low), _zigzag(low), 2 | 3 << 3]
    x, y = corners[0]
    for cx, cy in corners[1:]:
        ring += [_zigzag(cx - x), _zigzag(cy - y)]
        x, y = cx, cy
    ring.append(7 | 1 << 3)
    road = [1 | 1 << 3, _zigzag(0), _zigzag(EXTENT // 3), 2 | 1 << 3, _zigzag(EXTENT), _zigzag(0)]
    town = [1 | 1 << 3, _zigzag(EXTENT // 2), _zigzag(EXTENT // 2)]
    return (
        _layer("earth", 3, ring, {})
        + _layer("roads", 2, road, {"kind": "major_road"})
        + _layer("places", 1, town, {"kind": "locality", "name": "Алматы", "min_zoom": "1"})
    )


def tile_of(latitude: float, longitude: float, zoom: int) -> tuple[int, int]:
    n = 2**zoom
    x = int((longitude + 180) / 360 * n)
    lat = math.radians(latitude)
    y = int((1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * n)
    return min(x, n - 1), min(y, n - 1)


def write_basemap(path: Path, latitude: float, longitude: float, max_zoom: int = 15) -> Path:
    """A PMTiles archive of land tiles around (latitude, longitude), zooms 0 to max_zoom,
    with the 3×3 tiles around the point at each zoom so a map's view is covered."""
    tile = land_tile()
    ids: set[int] = set()
    for zoom in range(max_zoom + 1):
        x, y = tile_of(latitude, longitude, zoom)
        n = 2**zoom
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if 0 <= x + dx < n and 0 <= y + dy < n:
                    ids.add(zxy_to_tileid(zoom, x + dx, y + dy))
    with path.open("wb") as out:
        writer = Writer(out)
        for tile_id in sorted(ids):
            writer.write_tile(tile_id, tile)
        writer.finalize(
            {
                "tile_compression": Compression.NONE,
                "tile_type": TileType.MVT,
                "min_lon_e7": int((longitude - 1) * 10_000_000),
                "min_lat_e7": int((latitude - 1) * 10_000_000),
                "max_lon_e7": int((longitude + 1) * 10_000_000),
                "max_lat_e7": int((latitude + 1) * 10_000_000),
                "center_zoom": 10,
                "center_lon_e7": int(longitude * 10_000_000),
                "center_lat_e7": int(latitude * 10_000_000),
            },
            {
                "vector_layers": [{"id": name, "fields": {}} for name in ("earth", "roads", "places")],
                "attribution": "test",
            },
        )
    return path
