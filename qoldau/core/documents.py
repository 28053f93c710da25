"""Building blocks of the files Qoldau exports: XLSX sheets (openpyxl) and tagged A4 PDFs
(PDF/UA-1) that WeasyPrint renders from HTML templates, with real headings, tables and
bar charts in the active language, in DejaVu Sans for the Kazakh letters. Every app's
export (the impact report, the accessibility progress, ...) writes its own content with
these; none of them reads data or checks permissions."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # type: ignore[import-untyped]

from qoldau.core.errors import ErrorCode, ValidationFailed

FORMATS = ("xlsx", "pdf")


# More bars than this would not fit one page; the table under the chart lists them all.
MAX_BARS = 40


@dataclass(frozen=True)
class ChartData:
    """One chart of people reached: bars by a dimension, or bars over months.
    `label_heading` heads the label column of the table printed beside the chart."""

    title: str
    kind: Literal["bars", "months"]
    labels: list[str]
    values: list[int]
    label_heading: str = ""


def check_export_request(fmt: str, language: str) -> None:
    """An export is XLSX or PDF in one of the site's languages; anything else is refused
    with a clear message before a job exists (and again when the job runs)."""
    if fmt not in FORMATS:
        raise ValidationFailed(
            _("Unknown export format “%(name)s”. Choose XLSX or PDF.") % {"name": fmt},
            field="format",
            code=ErrorCode.INVALID_CHOICE,
        )
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationFailed(
            _("Unknown language “%(name)s”.") % {"name": language},
            field="language",
            code=ErrorCode.INVALID_CHOICE,
        )


BOLD = Font(bold=True)


_MAX_COLUMN_WIDTH = 60


def sheet_title(name: str) -> str:
    # Excel refuses these characters and names longer than 31 characters.
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip() or "Sheet"


def append_row(
    sheet: Worksheet, values: Sequence[Any], *, header: bool = False, bold_first: bool = False
) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            # A title typed as "=..." is text, never a formula run in the reader's Excel.
            cell.data_type = "s"
        if isinstance(cell.value, int):
            cell.number_format = "#,##0"
        if header or (bold_first and cell.column == 1):
            cell.font = BOLD
    if header:
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def finish_table(sheet: Worksheet) -> None:
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    fit_columns(sheet)


def fit_columns(sheet: Worksheet, *, skip_rows: set[int] | None = None) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or (skip_rows and cell.row in skip_rows):
                continue
            text = f"{cell.value:,}" if isinstance(cell.value, int) else str(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), len(text))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(_MAX_COLUMN_WIDTH, width + 2)


FONT_FAMILY = "Qoldau Sans"


FONT_FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}


BAR = "#1f4e79"  # 8.6:1 against white


INK = "#1a1a1a"


# A job's file is kept as "jobs/<uuid>/<name>" in a FileField of 100 characters; a longer
# name would be cut by storage and given a random suffix, unlike the name the job reports.
MAX_FILE_STEM = 50


def file_name(words: Sequence[str], fmt: str) -> str:
    """A file name in the active language from `words` (the report's name, its period,
    place...): letters of any script kept, as browsers save them, punctuation and spaces as
    hyphens, at most `MAX_FILE_STEM` characters before the extension."""
    stem = slugify(" ".join(words), allow_unicode=True)[:MAX_FILE_STEM].strip("-_")
    return f"{stem or 'qoldau'}.{fmt}"


def grouped_number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def fonts_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "vendor" / "fonts"


def pdf_fonts() -> dict[str, Path]:
    """DejaVu Sans, regular and bold, from `make assets` (the npm package dejavu-fonts-ttf).
    They are embedded in every PDF: a font the reader's machine lacks, or one with no
    Kazakh letters (ә ғ қ ң ө ұ ү һ і), would show boxes, so there is no fallback."""
    found = {weight: fonts_dir() / file for weight, file in FONT_FILES.items()}
    for path in found.values():
        if not path.exists():
            raise ImproperlyConfigured(f"{path} is missing: run 'make assets' to build the fonts.")
    return found


class LocalFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to our fonts and `data:` URLs (the charts): a document
    never waits on the network, and no text in it can make the renderer open another file."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self._root = fonts_dir().resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self._root):
                raise FatalURLFetchingError(f"A document may load only Qoldau's fonts, not {url}")
        return super().fetch(url, headers)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_stylesheet() -> str:
    """The fonts and the "Page N of M" footer in the active language. Built here rather
    than in the template because a CSS string cannot pass through HTML escaping."""
    rules = [
        f"@font-face {{ font-family: {_css_string(FONT_FAMILY)}; font-weight: {weight}; "
        f"src: url({_css_string(path.as_uri())}); }}"
        for weight, path in pdf_fonts().items()
    ]
    words = re.split(r"(%\(number\)s|%\(total\)s)", gettext("Page %(number)s of %(total)s"))
    counters = {"%(number)s": "counter(page)", "%(total)s": "counter(pages)"}
    footer = " ".join(counters.get(part) or _css_string(part) for part in words if part)
    rules.append(f"@page {{ @bottom-right {{ content: {footer}; }} }}")
    rules.append(f"html {{ font-family: {_css_string(FONT_FAMILY)}; }}")
    return "\n".join(rules)


# A file rather than a <style> element: templates carry no inline styles (CONTRIBUTING.md).
DOCUMENT_STYLESHEET = Path(__file__).with_name("documents.css")


def render_pdf(template_name: str, context: dict[str, Any], *, title: str, subject: str) -> bytes:
    """An A4 tagged PDF (PDF/UA-1) of an HTML template that extends
    `core/documents/base.html`, in the active language: its headings, lists and tables
    become the PDF's structure (H1, H2, Table, TH, TD), and the document carries its title,
    subject and language (`/Lang`) for screen readers. Fonts: DejaVu Sans only, embedded."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    html = render_to_string(
        template_name,
        {**context, "title": title, "subject": subject, "lang": language, "author": gettext("Qoldau")},
    )
    fetcher = LocalFetcher()
    document = HTML(string=html, base_url=fonts_dir().as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        stylesheets=[
            CSS(filename=str(DOCUMENT_STYLESHEET), url_fetcher=fetcher),
            CSS(string=page_stylesheet(), url_fetcher=fetcher),
        ],
        pdf_variant="pdf/ua-1",
    )
    return pdf


@dataclass(frozen=True)
class ChartImage:
    """A chart ready for a document's `<img>`: an SVG data URL and the text alternative
    that tells a screen reader what it shows and that the table after it has the figures."""

    title: str
    src: str
    alt: str


def chart_image(chart: ChartData) -> ChartImage:
    svg = chart_svg(chart)
    alt = gettext("Bar chart: %(title)s. The table after it lists the same figures.") % {"title": chart.title}
    return ChartImage(
        title=chart.title,
        src="data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
        alt=alt,
    )


_WIDTH = 640


def chart_svg(chart: ChartData) -> str:
    """The chart as SVG: horizontal bars (at most `MAX_BARS`, the first ones, so it fits a
    page) or vertical bars over months, each bar with its value printed at its end, so no
    value depends on reading an axis."""
    parts: list[str] = []
    font = f'font-family="{escape(FONT_FAMILY)}" font-size="9" fill="{INK}"'
    if chart.kind == "bars":
        labels, values = chart.labels[:MAX_BARS], chart.values[:MAX_BARS]
        label_width, row, top_value = 200, 18, max(values, default=0) or 1
        plot = _WIDTH - label_width - 50
        height = row * len(values) + 4
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            y = i * row + 2
            bar = round(plot * value / top_value, 1)
            parts.append(
                f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end" {font}>'
                f"{escape(_short(label, 34))}</text>"
                f'<rect x="{label_width}" y="{y + 2}" width="{bar}" height="{row - 5}" fill="{BAR}"/>'
                f'<text x="{label_width + bar + 4}" y="{y + 12}" {font}>'
                f"{escape(grouped_number(value))}</text>"
            )
    else:
        labels, values = chart.labels, chart.values
        height, base, top_value = 220, 190, max(values, default=0) or 1
        slot = (_WIDTH - 20) / max(len(values), 1)
        # Over a long period only every n-th month is named; the table names them all.
        every = -(-len(labels) // 12)
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            x = 10 + i * slot
            bar = round(160 * value / top_value, 1)
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{base - bar}" width="{slot * 0.7:.1f}" '
                f'height="{bar}" fill="{BAR}"/>'
            )
            if len(values) <= 36:
                parts.append(
                    f'<text x="{x + slot / 2:.1f}" y="{base - bar - 3}" text-anchor="middle" {font}>'
                    f"{escape(grouped_number(value))}</text>"
                )
            if i % every == 0:
                parts.append(
                    f'<text x="{x + slot / 2:.1f}" y="{base + 14}" text-anchor="middle" {font}>'
                    f"{escape(label)}</text>"
                )
        parts.append(f'<line x1="10" x2="{_WIDTH - 10}" y1="{base}" y2="{base}" stroke="{INK}"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}">{"".join(parts)}</svg>'
    )


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
