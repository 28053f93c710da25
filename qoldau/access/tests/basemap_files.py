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


def land_tile() -> bytes:
    """One layer "earth" with one polygon a little larger than the tile."""
    low, high = -64, EXTENT + 64
    corners = [(low, low), (high, low), (high, high), (low, high)]
    geometry = [1 | 1 << 3, _zigzag(corners[0][0]), _zigzag(corners[0][1]), 2 | 3 << 3]
    x, y = corners[0]
    for cx, cy in corners[1:]:
        geometry += [_zigzag(cx - x), _zigzag(cy - y)]
        x, y = cx, cy
    geometry.append(7 | 1 << 3)
    packed = b"".join(_varint(v) for v in geometry)
    feature = _uint(1, 1) + _uint(3, 3) + _field(4, packed)  # id, type POLYGON, geometry
    layer = _uint(15, 2) + _field(1, b"earth") + _field(2, feature) + _uint(5, EXTENT)
    return _field(3, layer)


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
            {"vector_layers": [{"id": "earth", "fields": {}}], "attribution": "test"},
        )
    return path
