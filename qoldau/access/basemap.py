"""The public map's base layer, served by Qoldau itself from one PMTiles file.

A PMTiles reader in the browser (protomaps-leaflet) asks for byte ranges of the one file
the operator named in `QOLDAU_MAP_PMTILES`: first its header and root directory, then a
directory or a tile at a time. Django's FileResponse sends whole files only, so the range
answer is built here: one range per request, never longer than `MAX_RANGE_BYTES`, and never
any file but the configured one (nothing of the request names a path).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

# A PMTiles client asks for 16 KiB first, then directories of a few hundred KiB and tiles
# under 1 MiB; anything longer is not a map reader's request.
MAX_RANGE_BYTES = 4 * 1024 * 1024
CACHE_SECONDS = 86400
CONTENT_TYPE = "application/vnd.pmtiles"
# `bytes=first-last`, `bytes=first-` or `bytes=-suffix`; one range only.
_RANGE = re.compile(r"^bytes=(?P<first>\d{0,19})-(?P<last>\d{0,19})$")


@dataclass(frozen=True)
class BaseMapFile:
    path: Path
    size: int
    etag: str
    last_modified: str
    # The deepest zoom the file holds: the browser draws deeper zooms from it (overzoom)
    # instead of asking for tiles an extract cut with --maxzoom does not have.
    max_zoom: int


# PMTiles v3 header: "PMTiles", version 3, ..., min zoom at byte 100, max zoom at 101.
_HEADER_LENGTH = 127
_MAX_ZOOM_AT = 101


@functools.lru_cache(maxsize=4)
def _max_zoom(path: Path, etag: str) -> int | None:
    """The file's deepest zoom from its header, or None when it is not PMTiles v3 (read
    once per version of the file: the ETag is part of the key)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER_LENGTH)
    except OSError:
        return None
    if len(header) < _HEADER_LENGTH or header[:8] != b"PMTiles\x03":
        return None
    return header[_MAX_ZOOM_AT]


def configured_file() -> BaseMapFile | None:
    """The configured PMTiles file, or None when none is set or it is not a readable
    PMTiles v3 file (the map then falls back to tiles or to no base layer)."""
    configured = str(getattr(settings, "QOLDAU_MAP_PMTILES", "") or "")
    if not configured:
        return None
    path = Path(configured)
    try:
        stat = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    # Strong: the reader compares it across requests and starts again if the file changed.
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    max_zoom = _max_zoom(path, etag)
    if max_zoom is None:
        return None
    return BaseMapFile(path, stat.st_size, etag, formatdate(stat.st_mtime, usegmt=True), max_zoom)


@dataclass(frozen=True)
class ByteRange:
    first: int
    last: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.last - self.first + 1


class Unsatisfiable(Exception):
    """The Range header cannot be served: answered with 416 and the file's size."""


def parse_range(header: str, size: int) -> ByteRange:
    """One byte range of a file of `size` bytes (RFC 9110 §14.1.2), a last position past
    the end cut to the end; several ranges, a malformed header, a range starting past the
    end or one longer than MAX_RANGE_BYTES are refused."""
    match = _RANGE.match(header.strip())
    if match is None:
        raise Unsatisfiable
    first_text, last_text = match["first"], match["last"]
    if not first_text and not last_text:
        raise Unsatisfiable
    if not first_text:
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        first, last = max(size - suffix, 0), size - 1
    else:
        first = int(first_text)
        last = int(last_text) if last_text else size - 1
        if last < first or first >= size:
            raise Unsatisfiable
        last = min(last, size - 1)
    result = ByteRange(first, last)
    if result.length > MAX_RANGE_BYTES:
        raise Unsatisfiable
    return result


def read_range(file: BaseMapFile, byte_range: ByteRange) -> bytes:
    with file.path.open("rb") as handle:
        handle.seek(byte_range.first)
        return handle.read(byte_range.length)


def open_whole(file: BaseMapFile) -> BinaryIO:
    # The caller's response closes it once sent.
    return file.path.open("rb")
