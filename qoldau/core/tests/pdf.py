"""Reading the tagged PDFs the exports write, as a screen reader would: the structure tree
(headings, tables and their cells, figures with their text alternatives) with the text
each element marks, the document's language, title and fonts. Built on pypdf: the text of
each marked-content sequence (MCID) of each page is collected while pypdf walks the page,
then hung on the structure elements that point at it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")


@dataclass
class Element:
    """A structure element: its type (H1, Table, TH, ...), the text it marks (its own and
    its descendants', spaces normalised), its children, and its text alternative."""

    tag: str
    children: list[Element] = field(default_factory=list)
    own_text: list[str] = field(default_factory=list)
    alt: str = ""

    @property
    def text(self) -> str:
        parts = [*self.own_text, *(child.text for child in self.children)]
        # A line wrapped after a hyphen ("опорно-" / "двигательного") is one word.
        return re.sub(r"(?<=\w-) (?=\w)", "", " ".join(" ".join(parts).split()))

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all(self, tag: str) -> list[Element]:
        return [element for element in self.walk() if element.tag == tag]


@dataclass
class TaggedPdf:
    catalog: Any
    info_title: str
    root: Element | None
    pages: int
    fonts: dict[str, bool]  # base font name -> embedded

    @property
    def lang(self) -> str:
        return str(self.catalog.get("/Lang", ""))

    @property
    def marked(self) -> bool:
        mark_info = self.catalog.get("/MarkInfo")
        return bool(mark_info is not None and mark_info.get("/Marked"))

    def headings(self, tag: str) -> list[str]:
        assert self.root is not None
        return [element.text for element in self.root.all(tag)]

    def _table_groups(self) -> list[tuple[Element, list[list[tuple[str, str]]]]]:
        # A table that runs onto another page is tagged as one Table per page, each with
        # its header row: the parts are joined back into one table, its header row once.
        assert self.root is not None
        groups: list[tuple[Element, list[list[tuple[str, str]]]]] = []
        continued = False
        for element in self.root.walk():
            if element.tag in {"H1", "H2", "H3", "P", "Figure"}:
                continued = False
            elif element.tag == "Table":
                rows = [
                    _cells(row)
                    for section in element.children
                    if not (continued and section.tag == "THead")
                    for row in ([section] if section.tag == "TR" else section.all("TR"))
                ]
                if continued:
                    groups[-1][1].extend(rows)
                else:
                    groups.append((element, rows))
                continued = True
        return groups

    def tables(self) -> list[list[list[tuple[str, str]]]]:
        """Every table as rows of (cell tag, text), header rows included."""
        return [rows for _first, rows in self._table_groups()]

    def table_after(self, heading: str) -> list[list[tuple[str, str]]]:
        """The first table after the heading whose text is `heading`, in reading order."""
        assert self.root is not None
        starts = {id(first): rows for first, rows in self._table_groups()}
        seen = False
        for element in self.root.walk():
            if element.tag in {"H1", "H2", "H3"} and element.text == heading:
                seen = True
            elif seen and id(element) in starts:
                return starts[id(element)]
        raise AssertionError(f"no table after the heading {heading!r}")

    def row_values(self) -> dict[str, list[str]]:
        """Each body row of every table, keyed by its row-header text: the figures beside it."""
        found: dict[str, list[str]] = {}
        for table in self.tables():
            for row in table:
                if row and row[0][0] == "TH" and any(tag == "TD" for tag, _t in row):
                    found.setdefault(row[0][1], [text for _tag, text in row[1:]])
        return found


def _cells(row: Element) -> list[tuple[str, str]]:
    return [(cell.tag, cell.text) for cell in row.children if cell.tag in {"TH", "TD"}]


def _marked_text(reader: PdfReader) -> dict[tuple[int, int], list[str]]:
    found: dict[tuple[int, int], list[str]] = {}
    for page in reader.pages:
        page_id = page.indirect_reference.idnum if page.indirect_reference else -1
        stack: list[int | None] = []

        def before(
            operator: bytes, operands: Any, _cm: Any, _tm: Any, stack: list[int | None] = stack
        ) -> None:
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                mcid = properties.get("/MCID") if isinstance(properties, dict) else None
                stack.append(int(mcid) if mcid is not None else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(shown: str, *_args: Any, stack: list[int | None] = stack, page_id: int = page_id) -> None:
            current = next((mcid for mcid in reversed(stack) if mcid is not None), None)
            if current is not None and shown.strip():
                found.setdefault((page_id, current), []).append(shown)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return found


def _element(node: Any, marked: dict[tuple[int, int], list[str]], page_id: int) -> Element | None:
    node = node.get_object() if isinstance(node, IndirectObject) else node
    if not isinstance(node, DictionaryObject) or "/S" not in node:
        return None
    if "/Pg" in node:
        page_id = node.raw_get("/Pg").idnum
    element = Element(tag=str(node["/S"]).lstrip("/"), alt=str(node.get("/Alt", "")))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]:
        kid_object = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if isinstance(kid_object, NumberObject) or isinstance(kid_object, int):
            element.own_text.extend(marked.get((page_id, int(kid_object)), []))
        elif isinstance(kid_object, DictionaryObject) and kid_object.get("/Type") == "/MCR":
            mcr_page = kid_object.raw_get("/Pg").idnum if "/Pg" in kid_object else page_id
            mcid = kid_object["/MCID"]
            assert isinstance(mcid, NumberObject | int)
            element.own_text.extend(marked.get((mcr_page, int(mcid)), []))
        else:
            child = _element(kid, marked, page_id)
            if child is not None:
                element.children.append(child)
    return element


def read_pdf(pdf: bytes) -> TaggedPdf:
    reader = PdfReader(io.BytesIO(pdf))
    catalog: Any = reader.trailer["/Root"]
    marked = _marked_text(reader)
    root = None
    tree = catalog.get("/StructTreeRoot")
    if tree is not None:
        root = Element(tag="StructTreeRoot")
        kids = tree.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            child = _element(kid, marked, -1)
            if child is not None:
                root.children.append(child)
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        _collect_fonts(page.get("/Resources"), fonts)
    metadata = reader.metadata
    return TaggedPdf(
        catalog=catalog,
        info_title=str(metadata.title) if metadata and metadata.title else "",
        root=root,
        pages=len(reader.pages),
        fonts=fonts,
    )


def _collect_fonts(resources: Any, fonts: dict[str, bool]) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor_holder = descendants[0].get_object() if descendants else font
        descriptor = descriptor_holder.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        # "ABCDEF+Name": a subset of the font, named after it.
        fonts[str(font["/BaseFont"]).lstrip("/").split("+")[-1]] = embedded
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if "/Resources" in xobject:
            _collect_fonts(xobject["/Resources"], fonts)


def assert_accessible(pdf: bytes, *, language: str, title: str) -> TaggedPdf:
    """The checks every export's PDF must pass, whatever it reports: tagged (a structure
    tree and MarkInfo Marked true), in `language`, titled `title` (shown as the window's
    title), one H1 with the title, H2 sections, tables with header and data cells, only
    DejaVu Sans embedded, and headings in the script of the language."""
    found = read_pdf(pdf)
    assert found.root is not None, "the PDF has no structure tree (StructTreeRoot)"
    assert found.marked, "MarkInfo /Marked is not true"
    assert found.lang == language
    assert found.info_title == title
    preferences = found.catalog.get("/ViewerPreferences")
    assert preferences is not None
    assert preferences.get("/DisplayDocTitle")
    assert found.headings("H1") == [title]
    assert found.headings("H2"), "no H2 section headings"
    tags = {element.tag for element in found.root.walk()}
    assert {"Table", "TR", "TH", "TD"} <= tags, tags
    assert found.fonts, "no font"
    assert set(found.fonts) <= {"DejaVu-Sans", "DejaVu-Sans-Bold"}, found.fonts
    assert all(found.fonts.values()), f"a font is not embedded: {found.fonts}"
    for figure in found.root.all("Figure"):
        assert figure.alt, "a chart without a text alternative"
    headings = " ".join(found.headings("H2"))
    assert_script(headings, language)
    return found


def assert_script(text: str, language: str) -> None:
    """Kazakh: Cyrillic with Kazakh letters; Russian: Cyrillic without them; English: Latin
    letters and no Cyrillic at all. The one-letter codes of the accessibility categories
    (К, О, С, Г, У: the law's own Cyrillic letters) are codes, not words, in every language."""
    text = re.sub(r"(?<!\w)[КОСГУ]:", "", text)
    if language == "kk":
        assert CYRILLIC.search(text), text
        assert KAZAKH_LETTERS.search(text), text
        assert not LATIN.search(text), text
    elif language == "ru":
        assert CYRILLIC.search(text), text
        assert not KAZAKH_LETTERS.search(text), text
        assert not LATIN.search(text), text
    else:
        assert LATIN.search(text), text
        assert not CYRILLIC.search(text), text
