"""Hostile import files, built small: a sheet that declares or holds a far-away cell, a
deflate bomb (a deflate stream of one block repeated, so a megabyte of zip unpacks to a
gigabyte without the test ever holding the gigabyte), a zip of many parts, and XLSX
parts rewritten by hand."""

import struct
import zipfile
import zlib

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>IIN</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Service</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Date</t></is></c></row>'
)


def sheet_xml(rows_xml, dimension=None):
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{declared}'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    )


def workbook_with_sheet(path, sheet, shared_strings=None):
    """A minimal workbook whose first sheet is `sheet` (its XML as text), with the shared
    strings' <si> elements given as text."""
    rels = WORKBOOK_RELS
    if shared_strings is not None:
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{shared_strings}</sst>')
    return path


def xlsx_with_far_cell(path, header, rows, reference="Z1000000"):
    """A workbook as openpyxl writes it (with its <dimension>) with one more cell far away."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    sheet[reference] = "x"
    book.save(path)
    return path


def rewrite_part(path, name, change):
    """Rewrite one part of a zip (its text through `change`), keeping the others."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == name:
                data = change(data.decode()).encode()
            archive.writestr(info.filename, data)
    return path


def _raw_zip(path, members):
    """A zip of (name, raw deflate bytes, crc, unpacked size) written by hand, so that a
    part can be a deflate stream the test never inflates."""
    directory = b""
    offset = 0
    with path.open("wb") as handle:
        for name, data, crc, size in members:
            encoded = name.encode()
            local = struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0
            )
            handle.write(local + encoded + data)
            directory += struct.pack(
                "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size,
                len(encoded), 0, 0, 0, 0, 0, offset,
            ) + encoded  # fmt: skip
            offset += len(local) + len(encoded) + len(data)
        handle.write(directory)
        handle.write(
            struct.pack(
                "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0
            )
        )
    return path


def _deflated(text):
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = text.encode()
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def deflate_bomb(path, unpacked_mb=1000):
    """A workbook whose sheet unpacks to `unpacked_mb` MB of rows from about a
    thousandth of that: one megabyte of rows deflated once and its blocks repeated."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{HEADER_ROW}'
    tail = "</sheetData></worksheet>"
    row = '<row><c t="inlineStr"><is><t>bomb</t></is></c></row>'
    block = (row * (1_048_576 // len(row) + 1))[:1_048_576]
    block = block[: block.rfind("</row>") + len("</row>")]
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    # A full flush ends the block stream on a byte with nothing referring back across it,
    # so the same bytes can follow themselves.
    first = packer.compress(head.encode()) + packer.flush(zlib.Z_FULL_FLUSH)
    middle = packer.compress(block.encode()) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail.encode()) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head.encode())
    encoded_block = block.encode()
    for _ in range(unpacked_mb):
        crc = zlib.crc32(encoded_block, crc)
    crc = zlib.crc32(tail.encode(), crc)
    size = len(head.encode()) + unpacked_mb * len(encoded_block) + len(tail.encode())
    sheet = (first + middle * unpacked_mb + last, crc, size)
    return _raw_zip(
        path,
        [
            ("[Content_Types].xml", *_deflated(CONTENT_TYPES)),
            ("_rels/.rels", *_deflated(PACKAGE_RELS)),
            ("xl/workbook.xml", *_deflated(WORKBOOK)),
            ("xl/_rels/workbook.xml.rels", *_deflated(WORKBOOK_RELS)),
            ("xl/worksheets/sheet1.xml", *sheet),
        ],
    )


def renamed_pdf(path):
    """A PDF document saved under a spreadsheet's name."""
    path.write_bytes(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return path


def ole2_file(path, streams=("Workbook",)):
    """An OLE2 compound file as far as its first sector and directory go: its signature
    and its streams' names (UTF-16), which is all a reader looks at to tell a workbook
    protected by a password ("EncryptionInfo", "EncryptedPackage") from an Excel 97–2003
    one ("Workbook")."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HH", 0x3E, 3) + b"\0" * 482
    directory = b"".join(
        name.encode("utf-16-le").ljust(64, b"\0") + struct.pack("<H", 2 * len(name) + 2) + b"\0" * 62
        for name in ("Root Entry", *streams)
    )
    path.write_bytes(header + directory.ljust(512, b"\0") + b"\0" * 1024)
    return path


def _inline_row(number, values):
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def empty_formatted_rows(path, data, rows=1_000_000, columns="ABCDEFGH", after=None):
    """A workbook of the header (IIN, Service, Date) and the `data` rows, then formatted
    rows with no value down to row `rows` (a border put on the whole sheet), each cell
    written as Excel writes an empty formatted cell; and `after`, a row of values below
    them, when given."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="A1:H{rows}"/>'
        f"<sheetData>{HEADER_ROW}" + "".join(_inline_row(n, values) for n, values in enumerate(data, 2))
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head.encode())
            batch = []
            for number in range(len(data) + 2, rows + 1):
                cells = "".join(f'<c r="{letter}{number}" s="1"/>' for letter in columns)
                batch.append(f'<row r="{number}" spans="1:8" s="1" customFormat="1">{cells}</row>')
                if len(batch) == 20_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            if after is not None:
                batch.append(_inline_row(rows + 1, after))
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    return path
