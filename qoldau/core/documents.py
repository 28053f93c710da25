"""Building blocks of the files Qoldau exports: XLSX sheets (openpyxl) and A4 PDFs with
tables and bar charts (ReportLab) in the active language, with DejaVu Sans for Kazakh
letters. Every app's export (the impact report, the accessibility progress, ...) writes
its own content with these; none of them reads data or checks permissions."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.graphics.charts.barcharts import (  # type: ignore[import-untyped]
    HorizontalBarChart,
    VerticalBarChart,
)
from reportlab.graphics.shapes import Drawing  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from qoldau.core.errors import ErrorCode, ValidationFailed

FORMATS = ("xlsx", "pdf")


FONT_REGULAR = "DejaVuSans"


FONT_BOLD = "DejaVuSans-Bold"


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


INK = colors.HexColor("#1a1a1a")


BAR = colors.HexColor("#1f4e79")  # 8.6:1 against white


RULE = colors.HexColor("#9a9a9a")


HEADER_FILL = colors.HexColor("#e8e8e8")


@functools.cache
def pdf_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with ReportLab once per process. ReportLab's
    built-in fonts have no Kazakh letters (ә ғ қ ң ө ұ ү һ і), so there is no fallback."""
    fonts_dir = Path(settings.BASE_DIR) / "static" / "vendor" / "fonts"
    for name, file in ((FONT_REGULAR, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        path = fonts_dir / file
        if not path.exists():
            raise ImproperlyConfigured(f"{path} is missing: run 'make assets' to build the fonts.")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT_REGULAR, normal=FONT_REGULAR, bold=FONT_BOLD, italic=FONT_REGULAR, boldItalic=FONT_BOLD
    )
    return FONT_REGULAR, FONT_BOLD


@dataclass(frozen=True)
class Styles:
    title: Any
    heading: Any
    body: Any
    cell: Any
    cell_bold: Any
    note: Any


def pdf_styles() -> Styles:
    regular, bold = pdf_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13, textColor=INK, spaceAfter=4)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=22, spaceAfter=10),
        heading=ParagraphStyle(
            "heading", parent=body, fontName=bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=6
        ),
        body=body,
        cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=11, spaceAfter=0),
        cell_bold=ParagraphStyle(
            "cell_bold", parent=body, fontName=bold, fontSize=9, leading=11, spaceAfter=0
        ),
        note=ParagraphStyle("note", parent=body, fontSize=8, leading=10),
    )


def grouped_number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def pdf_document(out: io.BytesIO, *, title: str, subject: str, compress: bool = True) -> SimpleDocTemplate:
    """An A4 document in the active language, with its title, author and language (`/Lang`)
    set and DejaVu Sans as the starting font. `compress=False` leaves the page streams
    readable, for tests."""
    regular, _bold = pdf_fonts()
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        author=gettext("Qoldau"),
        subject=subject,
        creator=gettext("Qoldau"),
        lang=translation.get_language() or settings.LANGUAGE_CODE,
        displayDocTitle=1,
        # Without this the canvas starts in Helvetica, which has no Kazakh letters.
        initialFontName=regular,
        pageCompression=1 if compress else 0,
    )


def pairs_table(pairs: Sequence[tuple[str, str]], styles: Styles, width: float, *, numbers: bool) -> Any:
    """Label and value lines (the filter, the figures) as a two-column table."""
    rows = [
        [
            Paragraph(escape(label), styles.cell_bold),
            Paragraph(escape(value), styles.cell) if not numbers else value,
        ]
        for label, value in pairs
    ]
    table = Table(rows, colWidths=[width * 0.45, width * 0.55] if not numbers else [width * 0.6, width * 0.2])
    table.hAlign = "LEFT"
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, -1), "RIGHT" if numbers else "LEFT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ]
        )
    )
    return table


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: Styles,
    *,
    col_widths: Sequence[float],
    numeric_from: int,
) -> Any:
    """A data table with a bold header row that repeats on every page it runs onto."""
    data: list[list[Any]] = [[Paragraph(escape(text), styles.cell_bold) for text in header]]
    for row in rows:
        data.append(
            [
                Paragraph(escape(text), styles.cell) if column < numeric_from else text
                for column, text in enumerate(row)
            ]
        )
    table = Table(data, colWidths=list(col_widths), repeatRows=1)
    table.hAlign = "LEFT"
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.25, RULE),
            ]
        )
    )
    return table


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def chart_drawing(chart: ChartData, width: float, font: str) -> Any:
    """The chart as a ReportLab drawing: horizontal bars (at most `MAX_BARS`, the first
    ones, so the drawing fits a page) or vertical bars over months, each bar with its value
    printed at its end, so no value depends on reading the axis."""
    if chart.kind == "bars":
        labels, values = chart.labels[:MAX_BARS], chart.values[:MAX_BARS]
        label_width = 170.0
        bar_height = 16.0
        height = bar_height * len(values) + 40
        drawing = Drawing(width, height, initialFontName=font, initialFontSize=7)
        plot: Any = HorizontalBarChart()
        plot.x, plot.y = label_width, 25
        plot.width, plot.height = width - label_width - 40, bar_height * len(values)
        plot.categoryAxis.categoryNames = [_short(label, 34) for label in labels]
        # The first (largest) bar at the top, as the table below reads.
        plot.categoryAxis.reverseDirection = 1
        plot.categoryAxis.labels.boxAnchor = "e"
        plot.categoryAxis.labels.dx = -6
    else:
        labels, values = chart.labels, chart.values
        height = 200.0
        drawing = Drawing(width, height, initialFontName=font, initialFontSize=7)
        plot = VerticalBarChart()
        plot.x, plot.y = 40, 55
        plot.width, plot.height = width - 60, height - 70
        # Over a long period only every n-th month is named; the table names them all.
        every = -(-len(labels) // 24)
        plot.categoryAxis.categoryNames = [label if i % every == 0 else "" for i, label in enumerate(labels)]
        many = len(labels) > 12
        plot.categoryAxis.labels.boxAnchor = "ne" if many else "n"
        plot.categoryAxis.labels.angle = 45 if many else 0
        plot.categoryAxis.labels.dy = -4
    top = max(values, default=0)
    plot.data = [list(values)]
    plot.bars[0].fillColor = BAR
    plot.bars[0].strokeColor = None
    # Whole people: an axis of 0, 0.5, 1 would suggest halves of a person.
    plot.valueAxis.valueMin = 0
    plot.valueAxis.valueMax, plot.valueAxis.valueStep = _value_scale(top)
    if len(labels) <= 36:
        plot.barLabelFormat = "%d"
    plot.barLabels.nudge = 8
    for labels in (plot.categoryAxis.labels, plot.valueAxis.labels, plot.barLabels):
        labels.fontName = font
        labels.fontSize = 7
        labels.fillColor = INK
    drawing.add(plot)
    return drawing


def _value_scale(top: int) -> tuple[int, int]:
    """The axis maximum and a 1-2-5 step of whole numbers giving at most about six ticks."""
    step = 1
    while top / step > 6:
        for factor in (2, 5 / 2, 2):
            step = round(step * factor)
            if top / step <= 6:
                break
    return max(step, -(-top // step) * step), step


class NumberedCanvas(Canvas):
    """A canvas that writes "Page N of M" at the foot of each page once the page count
    is known (the pages are kept until the document is saved)."""

    def __init__(self, *args: Any, footer_font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer_font = footer_font
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(self._footer_font, 8)
            self.setFillColor(INK)
            self.drawRightString(
                A4[0] - 2 * cm,
                1.2 * cm,
                gettext("Page %(number)s of %(total)s") % {"number": self._pageNumber, "total": total},
            )
            super().showPage()
        super().save()
