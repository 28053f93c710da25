"""Progress to the target year as a file: XLSX (openpyxl) and a tagged PDF with charts
(WeasyPrint, from `access/exports/progress.html`), written in the active language, and
the background job that builds either.

Interfaces (the progress page, the CLI) call `export_job_start`; the Celery task
`qoldau.access.tasks.build_progress_export` runs `progress_export_build` in the job's
user's language. The figures are public (objects and statuses, no person), so the export
shows what the public page shows. The PDF's building blocks (fonts, tables, bar charts,
page numbers) are `qoldau.core.documents`', so both reports look and read the same.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from qoldau.access import policy
from qoldau.access.models import PeopleCategory, PublicStatus
from qoldau.access.progress import ProgressReport, ProgressRow, progress_report, region_by_kato
from qoldau.core.documents import (
    ChartData,
    append_row,
    chart_image,
    check_export_request,
    file_name,
    finish_table,
    fit_columns,
    render_pdf,
    sheet_title,
)
from qoldau.core.errors import ErrorCode, ValidationFailed
from qoldau.core.jobs import ProgressCallback, job_attach_file, job_start
from qoldau.core.models import BackgroundJob, Place
from qoldau.core.services import Actor

FORMATS = ("xlsx", "pdf")
JOB_KIND = "access.progress_export"
JOB_STEPS = 3


# --- the job -------------------------------------------------------------------------


def export_job_start(*, actor: Actor, region: Place | None, fmt: str, language: str) -> BackgroundJob:
    """Queue the export of the progress report of `region` (None: the country) as `fmt`
    ("xlsx" or "pdf") in `language`. Bad input raises ValidationFailed and creates no job;
    the figures are those at the time the job runs."""
    policy.check_may_export_progress(actor)
    check_export_request(fmt, language)
    if region is not None and (region.level != Place.Level.REGION or not region.kato):
        raise ValidationFailed(_("Choose a region."), field="region", code=ErrorCode.INVALID_CHOICE)
    # The task module imports this one (its body lives here), so import it when needed.
    from qoldau.access.tasks import build_progress_export

    return job_start(
        actor=actor,
        kind=JOB_KIND,
        task=build_progress_export,
        params={"format": fmt, "region": region.kato if region else ""},
        language=language,
    )


def progress_export_build(job: BackgroundJob, progress: ProgressCallback) -> None:
    """The body of an export job (run inside `job_run`, in the job's language): computes the
    report, builds the file, attaches it to the job and stores `{"total", "format",
    "filename"}` as the job's result. Progress: 1/3 report computed, 2/3 file built, 3/3 kept."""
    fmt = str(job.params.get("format", ""))
    check_export_request(fmt, job.language)
    try:
        region = region_by_kato(str(job.params.get("region") or ""))
    except LookupError:
        raise ValidationFailed(_("There is no region with this KATO code."), field="region") from None
    report = progress_report(region)
    progress(1, JOB_STEPS)
    title = export_title(report)
    content = progress_xlsx(report, title=title) if fmt == "xlsx" else progress_pdf(report, title=title)
    progress(2, JOB_STEPS)
    filename = export_filename(fmt, report)
    job_attach_file(job, name=filename, content=content)
    job.result = {"total": JOB_STEPS, "format": fmt, "filename": filename}
    progress(3, JOB_STEPS)


# --- words and figures ------------------------------------------------------------------


def place_name(report: ProgressReport) -> str:
    return report.region.name if report.region is not None else gettext("Kazakhstan")


def export_title(report: ProgressReport) -> str:
    return gettext("Accessibility passports: progress to %(year)s, %(place)s") % {
        "year": report.pace.year,
        "place": place_name(report),
    }


def export_filename(fmt: str, report: ProgressReport) -> str:
    """A file name in the active language, such as
    `қолжетімділік-паспорттары-алматы-қаласы-2026-11-22.pdf`: the reader sees what it is
    in their own language. Letters are kept (browsers save them), punctuation is not."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    return file_name(
        [gettext("Accessibility passports"), place_name(report), f"{report.today:%Y-%m-%d}"], fmt
    )


def area_heading(report: ProgressReport) -> str:
    return gettext("District") if report.area_is_district else gettext("Region")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{formats.number_format(value, 1)} %"


def grouped_number(value: int | None) -> str:
    return "—" if value is None else formats.number_format(value, force_grouping=True)


def target_lines(report: ProgressReport) -> list[tuple[str, str]]:
    """The target and the pace to reach it, as (label, value) lines in the active language."""
    pace = report.pace
    lines = [
        (gettext("Objects"), grouped_number(report.totals.objects)),
        (gettext("Passported"), grouped_number(report.totals.passported)),
        (gettext("Passported, share of objects"), _percent(report.totals.passported_share)),
        (gettext("Target year"), str(pace.year)),
    ]
    if pace.target is None:
        lines.append((gettext("Target"), gettext("No target is set for this region.")))
        return lines
    lines += [
        (gettext("Objects to passport by the target year"), grouped_number(pace.target)),
        (gettext("Passported, share of the target"), _percent(pace.share)),
        (gettext("Still to passport"), grouped_number(pace.remaining)),
        (gettext("Years left, counting this one"), str(pace.years_left)),
        (gettext("Needed per year to reach the target"), grouped_number(pace.needed_per_year)),
        (gettext("Passported in the last 12 months"), grouped_number(pace.passported_recently)),
        (gettext("On track"), pace_verdict(report)),
    ]
    return lines


def pace_verdict(report: ProgressReport) -> str:
    """The pace in one sentence: reached, on track, or behind (never a colour alone)."""
    pace = report.pace
    if pace.target is None:
        return gettext("No target is set for this region.")
    if pace.reached:
        return gettext("The target is reached.")
    if pace.needed_per_year is None:
        return gettext("The target year is over and the target was not reached.")
    if pace.on_track:
        return gettext("Yes: the last 12 months' pace is enough to reach the target.")
    return gettext("No: at the last 12 months' pace the target will not be reached in time.")


def measure_lines(report: ProgressReport) -> list[tuple[str, str]]:
    totals = report.totals
    return [
        (gettext("Measures planned"), grouped_number(totals.measures_planned)),
        (gettext("Measures done"), grouped_number(totals.measures_done)),
        (gettext("Measures done, share of planned"), _percent(totals.measures_done_share)),
        (gettext("Measures overdue"), grouped_number(totals.measures_overdue)),
    ]


def status_labels() -> list[str]:
    return [str(label) for label in PublicStatus.labels]


def _row_figures(row: ProgressRow) -> list[int | float | None]:
    f = row.figures
    return [
        f.objects,
        f.passported,
        f.passported_share,
        f.measures_planned,
        f.measures_done,
        f.measures_overdue,
    ]


def _figure_headings() -> list[str]:
    return [
        gettext("Objects"),
        gettext("Passported"),
        gettext("Passported, %"),
        gettext("Measures planned"),
        gettext("Measures done"),
        gettext("Measures overdue"),
    ]


def progress_charts(report: ProgressReport) -> dict[str, Any]:
    """The page's charts as JSON-ready data: objects and passported by area and by kind,
    and public statuses by category. The page prints each as a table too."""

    def pairs(rows: Sequence[ProgressRow]) -> dict[str, Any]:
        return {
            "labels": [r.label for r in rows],
            "datasets": [
                {"label": gettext("Objects"), "values": [r.figures.objects for r in rows]},
                {"label": gettext("Passported"), "values": [r.figures.passported for r in rows]},
            ],
        }

    return {
        "area": pairs(report.by_area),
        "kind": pairs(report.by_kind),
        "status": {
            "labels": [str(c.label) for c in PeopleCategory],
            "stacked": True,
            "datasets": [
                {
                    "label": str(status.label),
                    "status": status.value,
                    "values": [report.totals.by_status[c.value][status.value] for c in PeopleCategory],
                }
                for status in PublicStatus
            ],
        },
    }


# --- XLSX -----------------------------------------------------------------------------


def progress_xlsx(report: ProgressReport, *, title: str) -> bytes:
    """The report as an XLSX workbook in the active language: "Summary" (the title, the
    target and pace, measures), "By category" (public statuses), and one sheet per
    breakdown (by region or district, by kind) with every figure and every category's
    statuses as numbers; header rows bold and frozen."""
    workbook = Workbook()
    workbook.properties.title = title
    workbook.properties.creator = gettext("Qoldau")
    workbook.properties.language = translation.get_language() or settings.LANGUAGE_CODE

    summary = workbook.active
    assert summary is not None  # a new workbook always has its first sheet  # noqa: S101
    summary.title = sheet_title(gettext("Summary"))
    summary.append([title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    for label, value in [*target_lines(report), *measure_lines(report)]:
        append_row(summary, [label, value], bold_first=True)
    summary.freeze_panes = "A2"
    fit_columns(summary, skip_rows={1})

    categories = workbook.create_sheet(sheet_title(gettext("By category")))
    append_row(categories, [gettext("Category"), *status_labels()], header=True)
    for _code, label, counts in report.totals.status_rows():
        append_row(categories, [label, *counts])
    finish_table(categories)

    for heading, rows, sheet_name in (
        (area_heading(report), report.by_area, _by_area_title(report)),
        (gettext("Kind of object"), report.by_kind, gettext("By kind of object")),
    ):
        sheet = workbook.create_sheet(sheet_title(sheet_name))
        status_headings = [
            gettext("%(category)s: %(status)s") % {"category": code, "status": status}
            for code in PeopleCategory.values
            for status in status_labels()
        ]
        append_row(sheet, [heading, *_figure_headings(), *status_headings], header=True)
        for row in rows:
            statuses = [count for _c, _l, counts in row.figures.status_rows() for count in counts]
            append_row(sheet, [row.label, *_row_figures(row), *statuses])
        finish_table(sheet)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------


def progress_pdf(report: ProgressReport, *, title: str) -> bytes:
    """The report as a tagged A4 PDF in the active language (template
    `access/exports/progress.html`): the target and pace, measures, each chart followed by
    a table of its figures, public statuses by category, and for each category the
    statuses by area and by kind."""
    sections = []
    for heading, rows, chart_title in (
        (area_heading(report), report.by_area, _area_chart_title(report)),
        (gettext("Kind of object"), report.by_kind, gettext("Passported objects by kind")),
    ):
        chart = ChartData(
            title=chart_title,
            kind="bars",
            labels=[r.label for r in rows],
            values=[r.figures.passported for r in rows],
            label_heading=heading,
        )
        sections.append(
            {
                "chart": chart_image(chart),
                "header": [heading, *_figure_headings()],
                "rows": [[r.label, *(_cell(v, i) for i, v in enumerate(_row_figures(r)))] for r in rows],
            }
        )
    by_category = []
    for category in PeopleCategory:
        for heading, rows, section in (
            (area_heading(report), report.by_area, _by_area_title(report)),
            (gettext("Kind of object"), report.by_kind, gettext("By kind of object")),
        ):
            by_category.append(
                {
                    "title": gettext("%(category)s. %(section)s")
                    % {"category": category.label, "section": section},
                    "header": [heading, *status_labels()],
                    "rows": [
                        [
                            r.label,
                            *(
                                grouped_number(r.figures.by_status[category.value][s])
                                for s in PublicStatus.values
                            ),
                        ]
                        for r in rows
                    ],
                }
            )
    context = {
        "target_lines": target_lines(report),
        "measure_lines": measure_lines(report),
        "sections": sections,
        "status_header": [gettext("Category"), *status_labels()],
        "status_rows": [
            [label, *(grouped_number(n) for n in counts)]
            for _code, label, counts in report.totals.status_rows()
        ],
        "by_category": by_category,
    }
    return render_pdf(
        "access/exports/progress.html", context, title=title, subject=gettext("Accessibility passports")
    )


def _by_area_title(report: ProgressReport) -> str:
    return gettext("By district") if report.area_is_district else gettext("By region")


def _area_chart_title(report: ProgressReport) -> str:
    if report.area_is_district:
        return gettext("Passported objects by district")
    return gettext("Passported objects by region")


def _cell(value: int | float | None, index: int) -> str:
    # The third figure of a row is a share; the others are counts.
    if index == 2:
        return _percent(value)
    return grouped_number(None if value is None else int(value))
