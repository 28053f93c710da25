"""Reading the text of the PDFs the exports write, for the export tests: every string a
page shows, decoded through each font's ToUnicode map, and the document's title."""

from __future__ import annotations

import base64
import re
import zlib


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object's dictionary and decoded stream (ReportLab writes plain object syntax;
    streams are ASCII85 and/or Flate encoded, both in the standard library)."""
    objects = {}
    for match in re.finditer(rb"(\d+) 0 obj\r?\n(.*?)endobj", pdf, re.DOTALL):
        body = match.group(2)
        head, _, rest = body.partition(b"stream\n")
        data = rest.rsplit(b"endstream", 1)[0] if rest else b""
        filters = re.search(rb"/Filter \[([^\]]*)\]", head)
        for name in filters.group(1).split() if filters else []:
            if name == b"/ASCII85Decode":
                data = base64.a85decode(data.strip().removesuffix(b"~>"))
            elif name == b"/FlateDecode":
                data = zlib.decompress(data)
        objects[int(match.group(1))] = (head, data)
    return objects


def pdf_unescape(literal: bytes) -> bytes:
    def one(match):
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.DOTALL)


def pdf_text(pdf: bytes) -> list[str]:
    """Every string the pages show, in drawing order, decoded through each font's
    ToUnicode map: what a screen reader or copy-and-paste gets from the PDF."""
    objects = pdf_objects(pdf)
    maps = {}
    for head, _data in objects.values():
        name = re.search(rb"/Name /(\S+)", head)
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if b"/Type /Font" in head and name and to_unicode:
            cmap = objects[int(to_unicode.group(1))][1]
            maps[name.group(1)] = {
                int(code, 16): chr(int(char, 16))
                for code, char in re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", cmap)
            }
    texts = []
    token = re.compile(rb"/(\S+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", re.DOTALL)
    for head, data in objects.values():
        if b"/Length1" in head or b"/Type" in head or b"CMapName" in data:
            continue  # fonts, font maps and dictionaries are not page content
        font = None
        for match in token.finditer(data):
            if match.group(1):
                font = match.group(1)
            elif font in maps:
                texts.append("".join(maps[font].get(b, "") for b in pdf_unescape(match.group(2))))
    return texts


def pdf_info_title(pdf: bytes) -> str:
    found = re.search(rb"/Title \(((?:\\.|[^\\)])*)\)", pdf)
    assert found, "the PDF has no title"
    literal = found.group(1)
    raw = pdf_unescape(literal)
    # PDF text strings are UTF-16 with a byte-order mark, or PDFDocEncoding (ASCII here).
    return raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("ascii")
