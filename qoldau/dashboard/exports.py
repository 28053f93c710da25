"""The impact report as a file: XLSX (openpyxl) and PDF with charts (ReportLab), written
in the active language, and the background job that builds either for a user.

Interfaces (the dashboard's pages, the API, the CLI) call `export_job_start`; the Celery
task `qoldau.dashboard.tasks.build_report_export` runs `report_export_build` in the job's
user's language and scope. `report_xlsx`, `report_pdf` and `report_charts` only render a
report that `qoldau.projects.impact.impact_report` has already computed and scoped: they
read no personal data and check no permissions.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
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
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from qoldau.core.errors import PermissionDenied, ValidationFailed
from qoldau.core.jobs import ProgressCallback, job_attach_file, job_start
from qoldau.core.models import BackgroundJob, Organisation, Place
from qoldau.core.services import Actor
from qoldau.projects.impact import (
    ImpactFilter,
    ImpactReport,
    dimension_label,
    dimension_values,
    impact_report,
    impact_request_check,
)

FORMATS = ("xlsx", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
JOB_KIND = "dashboard.export"
JOB_STEPS = 4

FONT_REGULAR = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

# The ten largest projects make a readable chart; the table under it lists them all.
TOP_PROJECTS = 10
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


# --- the job -------------------------------------------------------------------------


def check_export_request(fmt: str, language: str) -> None:
    """An export is XLSX or PDF in one of the site's languages; anything else is refused
    with a clear message before a job exists (and again when the job runs)."""
    if fmt not in FORMATS:
        raise ValidationFailed(
            _("Unknown export format “%(name)s”. Choose XLSX or PDF.") % {"name": fmt},
            field="format",
            code="invalid_choice",
        )
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationFailed(
            _("Unknown language “%(name)s”.") % {"name": language}, field="language", code="invalid_choice"
        )


def impact_filter_to_params(report_filter: ImpactFilter) -> dict[str, Any]:
    """The filter as JSON for a job's params: dates as ISO strings, tuples as lists.
    `impact_filter_from_params` turns it back into an equal filter."""
    return {
        "date_from": report_filter.date_from.isoformat(),
        "date_to": report_filter.date_to.isoformat(),
        "region_ids": list(report_filter.region_ids),
        "district_ids": list(report_filter.district_ids),
        "organisation_ids": list(report_filter.organisation_ids),
        "project_ids": list(report_filter.project_ids),
        "category_id": report_filter.category_id,
        "funding_source": report_filter.funding_source,
    }


def impact_filter_from_params(params: Mapping[str, Any]) -> ImpactFilter:
    """The filter a job's params describe; ValidationFailed when they do not describe one
    (a job's params may have been written by an older release)."""
    try:
        date_from = dt.date.fromisoformat(str(params["date_from"]))
        date_to = dt.date.fromisoformat(str(params["date_to"]))
        ids = {
            name: tuple(int(value) for value in params.get(name) or ())
            for name in ("region_ids", "district_ids", "organisation_ids", "project_ids")
        }
        category: Any = params.get("category_id")
        category_id = None if category is None or category == "" else int(category)
    except (KeyError, TypeError, ValueError):
        raise ValidationFailed(_("The export's filter is not valid."), field="filter") from None
    return ImpactFilter(
        date_from=date_from,
        date_to=date_to,
        category_id=category_id,
        funding_source=str(params.get("funding_source") or ""),
        **ids,
    )


def export_job_start(
    *, actor: Actor, report_filter: ImpactFilter, by: Sequence[str], fmt: str, language: str
) -> BackgroundJob:
    """Queue the export of the impact report as `fmt` ("xlsx" or "pdf"), broken down by
    `by`, for the actor, in `language`. Bad input raises ValidationFailed and creates no
    job; the report is computed later in the actor's scope as it stands then."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to export the report."))
    check_export_request(fmt, language)
    # Refused before a job exists, with the report's own rules and messages.
    impact_request_check(report_filter, by)
    # The task module imports this one (its body lives here), so import it when needed.
    from qoldau.dashboard.tasks import build_report_export

    return job_start(
        actor=actor,
        kind=JOB_KIND,
        task=build_report_export,
        params={"format": fmt, "filter": impact_filter_to_params(report_filter), "by": list(by)},
        language=language,
    )


def report_export_build(job: BackgroundJob, progress: ProgressCallback) -> None:
    """The body of an export job (run inside `job_run`, in the job's language): computes
    the report in the scope of the job's user, builds the file, attaches it to the job and
    stores `{"total", "format", "filename"}` as the job's result. Progress: 1/4 report
    computed, 2/4 charts, 3/4 file built, 4/4 file kept."""
    fmt = str(job.params.get("format", ""))
    check_export_request(fmt, job.language)
    user = job.user
    if user is None:
        # Without its user the report would be counted as for the public; refuse instead.
        raise PermissionDenied(_("The account that asked for this export no longer exists."))
    report_filter = impact_filter_from_params(job.params.get("filter") or {})
    by = [str(d) for d in job.params.get("by") or []]
    report = impact_report(user, report_filter, by)
    progress(1, JOB_STEPS)
    charts: list[ChartData] = []
    if fmt == "pdf":
        by_region = "district" if len(report.filter.region_ids) == 1 else "region"
        charts = report_charts(
            impact_report(user, report_filter, ["category"], with_projects=False),
            impact_report(user, report_filter, ["month"], with_projects=False),
            impact_report(user, report_filter, [by_region], with_projects=False),
            report_with_projects=report,
        )
    progress(2, JOB_STEPS)
    title = export_title(report)
    content = (
        report_xlsx(report, title=title) if fmt == "xlsx" else report_pdf(report, title=title, charts=charts)
    )
    progress(3, JOB_STEPS)
    filename = export_filename(fmt, report)
    job_attach_file(job, name=filename, content=content)
    job.result = {"total": JOB_STEPS, "format": fmt, "filename": filename}
    progress(4, JOB_STEPS)


# --- words for the report --------------------------------------------------------------


def export_title(report: ImpactReport) -> str:
    """The export's title in the active language, naming its period."""
    return gettext("Impact report for %(period)s") % {"period": period_text(report.filter)}


def period_text(report_filter: ImpactFilter) -> str:
    """The period in words: the year alone when it is one calendar year."""
    if report_filter.single_year is not None:
        return str(report_filter.single_year)
    return gettext("%(start)s to %(end)s") % {
        "start": formats.date_format(report_filter.date_from, "DATE_FORMAT"),
        "end": formats.date_format(report_filter.date_to, "DATE_FORMAT"),
    }


def filter_description(report_filter: ImpactFilter) -> list[tuple[str, str]]:
    """The filter in words, as (label, value) lines in the active language: the period,
    then each restriction the filter has (after scoping, so an NGO's export names its
    organisation). Ids that name nothing (a scope with no access) read as a dash."""
    lines = [(gettext("Period"), period_text(report_filter))]
    restrictions: list[tuple[str, str, Sequence[Any]]] = [
        (gettext("Regions"), "region", report_filter.region_ids),
        (gettext("Districts"), "district", report_filter.district_ids),
        (gettext("Organisations"), "organisation", report_filter.organisation_ids),
        (gettext("Projects"), "project", report_filter.project_ids),
        (
            gettext("Category"),
            "category",
            () if report_filter.category_id is None else (report_filter.category_id,),
        ),
        (
            gettext("Funding source"),
            "funding_source",
            (report_filter.funding_source,) if report_filter.funding_source else (),
        ),
    ]
    for label, dimension, keys in restrictions:
        if keys:
            names = dimension_values(dimension, keys)
            lines.append((label, ", ".join(sorted(names.values(), key=str.casefold)) or "—"))
    return lines


def report_figures(report: ImpactReport) -> list[tuple[str, int]]:
    """The report's figures with their labels in the active language, in reading order."""
    return [
        (gettext("People reached"), report.people_reached),
        (gettext("Participations"), report.participations),
        (gettext("Service deliveries"), report.deliveries),
        (gettext("Event attendances"), report.attendances),
        (gettext("Anonymous participants"), report.anonymous_participants),
        (gettext("Events"), report.events),
        (gettext("Volunteers"), report.volunteers),
        (gettext("Experts"), report.experts),
    ]


def _figures_note() -> str:
    return gettext(
        "People reached counts each person once, however many services and events they "
        "took part in; participations count every service delivery and every event attendance."
    )


def _breakdown_note() -> str:
    return gettext(
        "A person counted in several rows of a breakdown (two regions, two categories) is "
        "counted once in the total, so the rows may add up to more than the total."
    )


def export_filename(kind: str, report: ImpactReport) -> str:
    """A safe ASCII file name for the export, such as `impact-2025-almaty.xlsx`: the
    period, then the single region or district, organisation and project it is limited to."""
    if kind not in FORMATS:
        raise ValueError(f"Unknown export format {kind!r}")
    report_filter = report.filter
    year = report_filter.single_year
    parts = [
        "impact",
        str(year) if year is not None else f"{report_filter.date_from:%Y%m%d}-{report_filter.date_to:%Y%m%d}",
    ]
    place_ids = report_filter.district_ids or report_filter.region_ids
    if len(place_ids) == 1:
        place = Place.objects.filter(pk=place_ids[0]).first()
        if place is not None:
            parts.append(slugify(place.name_en) or place.kato or f"place-{place.pk}")
    if len(report_filter.organisation_ids) == 1:
        organisation = Organisation.objects.filter(pk=report_filter.organisation_ids[0]).first()
        if organisation is not None:
            parts.append(slugify(organisation.name_en)[:40].strip("-") or f"organisation-{organisation.pk}")
    if len(report_filter.project_ids) == 1:
        parts.append(f"project-{report_filter.project_ids[0]}")
    stem = re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")
    return f"{stem}.{kind}"


# --- charts ---------------------------------------------------------------------------

_CHART_TITLES = {
    "region": _("People reached by region"),
    "district": _("People reached by district"),
    "organisation": _("People reached by organisation"),
    "project": _("People reached by project"),
    "category": _("People reached by category"),
    "funding_source": _("People reached by funding source"),
    "month": _("People reached by month"),
}


def report_charts(
    report_by_category: ImpactReport | None,
    report_by_month: ImpactReport | None,
    report_by_region: ImpactReport | None,
    *,
    report_with_projects: ImpactReport | None = None,
) -> list[ChartData]:
    """Charts of people reached from one-dimension breakdown reports (any dimension: a
    report "by region" may be broken down by district instead), in that order, then the
    largest projects of `report_with_projects`. Bars run from the largest; months run in
    order and include the months of the period with nobody reached. A report that reached
    nobody gives no chart."""
    charts = []
    for report in (report_by_category, report_by_month, report_by_region):
        if report is None or not report.breakdown:
            continue
        if len(report.breakdown_by) != 1:
            raise ValueError("A chart needs a report broken down by exactly one dimension.")
        dimension = report.breakdown_by[0]
        if dimension == "month":
            labels, values = _months_of(report)
            charts.append(
                ChartData(
                    title=str(_CHART_TITLES["month"]),
                    kind="months",
                    labels=labels,
                    values=values,
                    label_heading=dimension_label("month"),
                )
            )
            continue
        rows = sorted(report.breakdown, key=lambda r: (-r.people, r.labels[0].casefold()))
        charts.append(
            ChartData(
                title=str(_CHART_TITLES[dimension]),
                kind="bars",
                labels=[row.labels[0] for row in rows],
                values=[row.people for row in rows],
                label_heading=dimension_label(dimension),
            )
        )
    if report_with_projects is not None and report_with_projects.projects:
        largest = sorted(report_with_projects.projects, key=lambda p: (-p.people_reached, p.title.casefold()))
        largest = largest[:TOP_PROJECTS]
        charts.append(
            ChartData(
                title=gettext("People reached by the %(count)s largest projects") % {"count": len(largest)},
                kind="bars",
                labels=[p.title for p in largest],
                values=[p.people_reached for p in largest],
                label_heading=dimension_label("project"),
            )
        )
    return charts


def _months_of(report: ImpactReport) -> tuple[list[str], list[int]]:
    people = {int(row.keys[0]): row.people for row in report.breakdown if row.keys[0] is not None}
    start = report.filter.date_from.year * 12 + report.filter.date_from.month - 1
    end = report.filter.date_to.year * 12 + report.filter.date_to.month - 1
    labels, values = [], []
    for index in range(start, end + 1):
        year, month = divmod(index, 12)
        labels.append(f"{year}-{month + 1:02d}")
        values.append(people.get(year * 100 + month + 1, 0))
    return labels, values


# --- XLSX -----------------------------------------------------------------------------

_BOLD = Font(bold=True)
_MAX_COLUMN_WIDTH = 60


def report_xlsx(report: ImpactReport, *, title: str) -> bytes:
    """The report as an XLSX workbook in the active language: "Summary" (the title, the
    filter in words, each figure with its label), "Projects" and, when the report is
    broken down, "Breakdown". Figures are numbers, header rows bold and frozen."""
    workbook = Workbook()
    workbook.properties.title = title
    workbook.properties.creator = gettext("Qoldau")
    workbook.properties.language = translation.get_language() or settings.LANGUAGE_CODE

    summary = workbook.active
    assert summary is not None  # a new workbook always has its first sheet  # noqa: S101
    summary.title = _sheet_title(gettext("Summary"))
    summary.append([title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    for label, value in filter_description(report.filter):
        _append(summary, [label, value], bold_first=True)
    summary.append([])
    for label, number in report_figures(report):
        _append(summary, [label, number], bold_first=True)
    summary.append([])
    _append(summary, [_figures_note()])
    summary.freeze_panes = "A2"
    _fit_columns(summary, skip_rows={1, summary.max_row})

    projects = workbook.create_sheet(_sheet_title(gettext("Projects")))
    _append(
        projects,
        [gettext("Title"), gettext("Organisation"), gettext("People reached"), gettext("Participations")],
        header=True,
    )
    for project in report.projects:
        _append(
            projects, [project.title, project.organisation, project.people_reached, project.participations]
        )
    _finish_table(projects)

    if report.breakdown_by:
        breakdown = workbook.create_sheet(_sheet_title(gettext("Breakdown")))
        _append(
            breakdown,
            [
                *(dimension_label(d) for d in report.breakdown_by),
                gettext("People reached"),
                gettext("Participations"),
            ],
            header=True,
        )
        for row in report.breakdown:
            _append(breakdown, [*row.labels, row.people, row.participations])
        _finish_table(breakdown)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    # Excel refuses these characters and names longer than 31 characters.
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip() or "Sheet"


def _append(
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
            cell.font = _BOLD
    if header:
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _finish_table(sheet: Worksheet) -> None:
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet)


def _fit_columns(sheet: Worksheet, *, skip_rows: set[int] | None = None) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or (skip_rows and cell.row in skip_rows):
                continue
            text = f"{cell.value:,}" if isinstance(cell.value, int) else str(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), len(text))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(_MAX_COLUMN_WIDTH, width + 2)


# --- PDF ------------------------------------------------------------------------------

_INK = colors.HexColor("#1a1a1a")
_BAR = colors.HexColor("#1f4e79")  # 8.6:1 against white
_RULE = colors.HexColor("#9a9a9a")
_HEADER_FILL = colors.HexColor("#e8e8e8")


@functools.cache
def _pdf_fonts() -> tuple[str, str]:
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
class _Styles:
    title: Any
    heading: Any
    body: Any
    cell: Any
    cell_bold: Any
    note: Any


def _styles() -> _Styles:
    regular, bold = _pdf_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13, textColor=_INK, spaceAfter=4)
    return _Styles(
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


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def pdf_document(out: io.BytesIO, *, title: str, subject: str, compress: bool = True) -> SimpleDocTemplate:
    """An A4 document in the active language, with its title, author and language (`/Lang`)
    set and DejaVu Sans as the starting font. `compress=False` leaves the page streams
    readable, for tests."""
    regular, _bold = _pdf_fonts()
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


def report_pdf(report: ImpactReport, *, title: str, charts: list[ChartData], compress: bool = True) -> bytes:
    """The report as an A4 PDF in the active language, in DejaVu Sans only: the title, the
    filter in words, the figures, each chart followed by a table of its data, the
    breakdown (if any) and the projects; long tables repeat their header row on each
    page. The document's title, author and language (`/Lang`) are set.
    `compress=False` leaves the page streams readable, for tests."""
    styles = _styles()
    regular, _bold = _pdf_fonts()
    width = A4[0] - 4 * cm
    out = io.BytesIO()
    document = pdf_document(out, title=title, subject=gettext("Impact report"), compress=compress)
    story: list[Any] = [Paragraph(escape(title), styles.title)]
    story.append(_pairs_table(filter_description(report.filter), styles, width, numbers=False))
    story.append(Paragraph(escape(gettext("Figures")), styles.heading))
    story.append(
        _pairs_table(
            [(label, _number(n)) for label, n in report_figures(report)], styles, width, numbers=True
        )
    )
    story.append(Spacer(1, 4))
    story.append(Paragraph(escape(_figures_note()), styles.note))

    for chart in charts:
        story.append(
            KeepTogether(
                [Paragraph(escape(chart.title), styles.heading), _chart_drawing(chart, width, regular)]
            )
        )
        if chart.kind == "bars" and len(chart.values) > MAX_BARS:
            shown = gettext("The chart shows the first %(count)s rows; the table lists them all.")
            story.append(Paragraph(escape(shown % {"count": MAX_BARS}), styles.note))
        story.append(Spacer(1, 6))
        story.append(
            _grid_table(
                [chart.label_heading or "—", gettext("People reached")],
                [[label, _number(value)] for label, value in zip(chart.labels, chart.values, strict=True)],
                styles,
                col_widths=[width * 0.75, width * 0.25],
                numeric_from=1,
            )
        )

    if report.breakdown_by:
        story.append(Paragraph(escape(gettext("Breakdown")), styles.heading))
        label_share = 0.6 / len(report.breakdown_by)
        story.append(
            _grid_table(
                [
                    *(dimension_label(d) for d in report.breakdown_by),
                    gettext("People reached"),
                    gettext("Participations"),
                ],
                [[*row.labels, _number(row.people), _number(row.participations)] for row in report.breakdown],
                styles,
                col_widths=[*(width * label_share for _d in report.breakdown_by), width * 0.2, width * 0.2],
                numeric_from=len(report.breakdown_by),
            )
        )
        story.append(Paragraph(escape(_breakdown_note()), styles.note))

    story.append(Paragraph(escape(gettext("Projects")), styles.heading))
    if report.projects:
        story.append(
            _grid_table(
                [
                    gettext("Title"),
                    gettext("Organisation"),
                    gettext("People reached"),
                    gettext("Participations"),
                ],
                [
                    [p.title, p.organisation, _number(p.people_reached), _number(p.participations)]
                    for p in report.projects
                ],
                styles,
                col_widths=[width * 0.38, width * 0.32, width * 0.15, width * 0.15],
                numeric_from=2,
            )
        )
    else:
        nothing = gettext("No project recorded participations in this period.")
        story.append(Paragraph(escape(nothing), styles.body))

    document.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer_font=regular))
    return out.getvalue()


def _pairs_table(pairs: Sequence[tuple[str, str]], styles: _Styles, width: float, *, numbers: bool) -> Any:
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
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, _RULE),
            ]
        )
    )
    return table


def _grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: _Styles,
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
                ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.25, _RULE),
            ]
        )
    )
    return table


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _chart_drawing(chart: ChartData, width: float, font: str) -> Any:
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
    plot.bars[0].fillColor = _BAR
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
        labels.fillColor = _INK
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


class _NumberedCanvas(Canvas):
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
            self.setFillColor(_INK)
            self.drawRightString(
                A4[0] - 2 * cm,
                1.2 * cm,
                gettext("Page %(number)s of %(total)s") % {"number": self._pageNumber, "total": total},
            )
            super().showPage()
        super().save()
