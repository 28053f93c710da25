"""The impact report as a file: XLSX (openpyxl) and a tagged PDF with charts (WeasyPrint,
from `dashboard/exports/report.html`), written in the active language, and the
background job that builds either for a user.

Interfaces (the dashboard's pages, the API, the CLI) call `export_job_start`; the Celery
task `qoldau.dashboard.tasks.build_report_export` runs `report_export_build` in the job's
user's language and scope. `report_xlsx`, `report_pdf` and `report_charts` only render a
report that `qoldau.projects.impact.impact_report` has already computed and scoped: they
read no personal data and check no permissions. When the scope has employment figures
(`qoldau.jobs.employment_figures`, the jobs app's seam), both files carry them too, as the
dashboard's Employment section shows them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from qoldau.core.documents import (
    FORMATS,
    MAX_BARS,
    ChartData,
    append_row,
    chart_image,
    check_export_request,
    file_name,
    finish_table,
    fit_columns,
    grouped_number,
    render_pdf,
    sheet_title,
)
from qoldau.core.errors import PermissionDenied, ValidationFailed
from qoldau.core.jobs import ProgressCallback, job_attach_file, job_start
from qoldau.core.models import BackgroundJob, Organisation, Place
from qoldau.core.services import Actor
from qoldau.dashboard.interpreting_export import has_interpreting, interpreting_sheet
from qoldau.dashboard.services_export import has_services, services_sheet
from qoldau.interpreting import interpreting_figures as interp_figures
from qoldau.jobs import employment_figures as jobs_figures
from qoldau.projects import policy as projects_policy
from qoldau.projects.impact import (
    ImpactFilter,
    ImpactReport,
    dimension_label,
    dimension_values,
    impact_report,
    impact_request_check,
)
from qoldau.services import service_figures as services_figures

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
JOB_KIND = "dashboard.export"
JOB_STEPS = 4


# The ten largest projects make a readable chart; the table under it lists them all.
TOP_PROJECTS = 10


# --- the job -------------------------------------------------------------------------


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
    *,
    actor: Actor,
    report_filter: ImpactFilter,
    by: Sequence[str],
    fmt: str,
    language: str,
    need: str = "",
) -> BackgroundJob:
    """Queue the export of the impact report as `fmt` ("xlsx" or "pdf"), broken down by
    `by`, for the actor, in `language`, with the employment figures of the seekers who
    need the accessibility category `need` (all when empty). Bad input raises
    ValidationFailed and creates no job; the report is computed later in the actor's scope
    as it stands then."""
    projects_policy.check_may_export_figures(actor)
    check_export_request(fmt, language)
    # Refused before a job exists, with the report's own rules and messages.
    impact_request_check(report_filter, by)
    # The task module imports this one (its body lives here), so import it when needed.
    from qoldau.dashboard.tasks import build_report_export

    return job_start(
        actor=actor,
        kind=JOB_KIND,
        task=build_report_export,
        params={
            "format": fmt,
            "filter": impact_filter_to_params(report_filter),
            "by": list(by),
            "need": need if need in dict(jobs_figures.NEED_CHOICES) else "",
        },
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
    employment = jobs_figures.employment_figures(user, report_filter, need=str(job.params.get("need") or ""))
    services = services_figures.service_figures(user, report_filter)
    interpreting = interp_figures.interpreting_figures(user, report_filter)
    progress(2, JOB_STEPS)
    title = export_title(report)
    content = (
        report_xlsx(report, title=title, employment=employment, services=services, interpreting=interpreting)
        if fmt == "xlsx"
        else report_pdf(report, title=title, charts=charts, employment=employment)
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
    """A file name in the active language, such as
    `әлеуметтік-әсер-туралы-есеп-2025-алматы-қаласы.xlsx`: the report, the period, then
    the single region or district, organisation and project it is limited to. Letters of
    any script are kept (browsers save them); punctuation and spaces become hyphens."""
    if kind not in FORMATS:
        raise ValueError(f"Unknown export format {kind!r}")
    report_filter = report.filter
    year = report_filter.single_year
    parts = [
        gettext("Impact report"),
        str(year) if year is not None else f"{report_filter.date_from:%Y%m%d}-{report_filter.date_to:%Y%m%d}",
    ]
    place_ids = report_filter.district_ids or report_filter.region_ids
    if len(place_ids) == 1:
        place = Place.objects.filter(pk=place_ids[0]).first()
        if place is not None:
            parts.append(place.name or place.kato or "")
    if len(report_filter.organisation_ids) == 1:
        organisation = Organisation.objects.filter(pk=report_filter.organisation_ids[0]).first()
        if organisation is not None:
            parts.append(organisation.name[:40])
    if len(report_filter.project_ids) == 1:
        parts.append(f"{report_filter.project_ids[0]}")
    return file_name(parts, kind)


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


def report_xlsx(
    report: ImpactReport,
    *,
    title: str,
    employment: jobs_figures.EmploymentFigures | None = None,
    services: services_figures.ServiceFigures | None = None,
    interpreting: interp_figures.InterpretingFigures | None = None,
) -> bytes:
    """The report as an XLSX workbook in the active language: "Summary" (the title, the
    filter in words, each figure with its label), "Projects", when the report is broken
    down, "Breakdown", when there are employment figures, "Employment", when the
    scope has providers of social services, "Social services", and when it has an
    interpreting service, "Sign-language interpreting". Figures are numbers, header rows
    bold and frozen."""
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
    for label, value in filter_description(report.filter):
        append_row(summary, [label, value], bold_first=True)
    summary.append([])
    for label, number in report_figures(report):
        append_row(summary, [label, number], bold_first=True)
    summary.append([])
    append_row(summary, [_figures_note()])
    summary.freeze_panes = "A2"
    fit_columns(summary, skip_rows={1, summary.max_row})

    projects = workbook.create_sheet(sheet_title(gettext("Projects")))
    append_row(
        projects,
        [gettext("Title"), gettext("Organisation"), gettext("People reached"), gettext("Participations")],
        header=True,
    )
    for project in report.projects:
        append_row(
            projects, [project.title, project.organisation, project.people_reached, project.participations]
        )
    finish_table(projects)

    if report.breakdown_by:
        breakdown = workbook.create_sheet(sheet_title(gettext("Breakdown")))
        append_row(
            breakdown,
            [
                *(dimension_label(d) for d in report.breakdown_by),
                gettext("People reached"),
                gettext("Participations"),
            ],
            header=True,
        )
        for row in report.breakdown:
            append_row(breakdown, [*row.labels, row.people, row.participations])
        finish_table(breakdown)

    if employment is not None and has_employment(employment):
        sheet = workbook.create_sheet(sheet_title(gettext("Employment")))
        for label, number in employment_figures_lines(employment):
            append_row(sheet, [label, number], bold_first=True)
        append_row(sheet, [_retention_note(employment)])
        for header, rows in employment_tables(employment):
            sheet.append([])
            append_row(sheet, header, header=True)
            for values in rows:
                append_row(sheet, values)
        append_row(sheet, [_employment_rows_note()])
        fit_columns(sheet)

    if services is not None and has_services(services):
        services_sheet(workbook, services)

    if interpreting is not None and has_interpreting(interpreting):
        interpreting_sheet(workbook, interpreting)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------


def report_pdf(
    report: ImpactReport,
    *,
    title: str,
    charts: list[ChartData],
    employment: jobs_figures.EmploymentFigures | None = None,
) -> bytes:
    """The report as a tagged A4 PDF in the active language (template
    `dashboard/exports/report.html`): the title, the filter in words, the figures, each
    chart followed by a table of its data, the breakdown (if any), the projects and the
    employment figures (if any); long tables repeat their header row on each page."""
    context: dict[str, Any] = {
        "filter_lines": filter_description(report.filter),
        "figures": [(label, grouped_number(n)) for label, n in report_figures(report)],
        "figures_note": _figures_note(),
        "charts": [
            {
                "image": chart_image(chart),
                "cut": chart.kind == "bars" and len(chart.values) > MAX_BARS,
                "header": [chart.label_heading or "—", gettext("People reached")],
                "rows": [
                    [label, grouped_number(value)]
                    for label, value in zip(chart.labels, chart.values, strict=True)
                ],
            }
            for chart in charts
        ],
        "max_bars": MAX_BARS,
        "projects_header": [
            gettext("Title"),
            gettext("Organisation"),
            gettext("People reached"),
            gettext("Participations"),
        ],
        "projects": [
            [p.title, p.organisation, grouped_number(p.people_reached), grouped_number(p.participations)]
            for p in report.projects
        ],
    }
    if report.breakdown_by:
        context["breakdown"] = {
            "header": [
                *(dimension_label(d) for d in report.breakdown_by),
                gettext("People reached"),
                gettext("Participations"),
            ],
            "rows": [
                [*row.labels, grouped_number(row.people), grouped_number(row.participations)]
                for row in report.breakdown
            ],
            "numeric_from": len(report.breakdown_by),
            "note": _breakdown_note(),
        }
    if employment is not None and has_employment(employment):
        context["employment"] = {
            "lines": [(label, grouped_number(n)) for label, n in employment_figures_lines(employment)],
            "note": _retention_note(employment),
            "tables": [
                {
                    "header": header,
                    "rows": [[v if isinstance(v, str) else grouped_number(v) for v in row] for row in rows],
                }
                for header, rows in employment_tables(employment)
            ],
            "rows_note": _employment_rows_note(),
        }
    return render_pdf("dashboard/exports/report.html", context, title=title, subject=gettext("Impact report"))


# --- employment ------------------------------------------------------------------------


def has_employment(found: jobs_figures.EmploymentFigures) -> bool:
    """Whether the scope has any employment figure to export (an organisation that
    registers no seeker and reports no staff gets no empty sheet)."""
    return bool(found.seekers or found.coached or found.placed or found.quota_employers)


def employment_figures_lines(found: jobs_figures.EmploymentFigures) -> list[tuple[str, int]]:
    """The employment figures with their labels in the active language, as the
    dashboard's Employment section lists them."""
    lines = [
        (gettext("Job seekers registered"), found.seekers),
        (gettext("People coached"), found.coached),
        (gettext("People placed in work"), found.placed),
    ]
    for months, figure in found.retention.items():
        lines.append(
            (gettext("Placements retained at %(months)s months") % {"months": months}, figure.retained)
        )
    lines += [
        (gettext("Quota jobs required in %(year)s") % {"year": found.quota_year}, found.quota_required),
        (gettext("Quota jobs filled in %(year)s") % {"year": found.quota_year}, found.quota_filled),
    ]
    return lines


def _rate(figure: jobs_figures.Retention) -> str:
    rate = figure.rate
    return "—" if rate is None else gettext("%(rate)s %%") % {"rate": formats.number_format(rate, 1)}


def employment_tables(
    found: jobs_figures.EmploymentFigures,
) -> list[tuple[list[str], list[list[Any]]]]:
    """The employment section's tables, each a header and its rows: retention at each
    milestone by placement cohort (with all the placements of the period last), then the
    breakdowns by month, by region or district, and by accessibility category needed."""
    tables: list[tuple[list[str], list[list[Any]]]] = []
    for months in jobs_figures.MILESTONES:
        header = [
            gettext("At %(months)s months") % {"months": months},
            gettext("Placements"),
            gettext("Still employed"),
            gettext("Left the job"),
            gettext("Follow-up not recorded yet"),
            gettext("Too recent to judge"),
            gettext("Retention rate"),
        ]
        lines = [(c.cohort, c.milestones[months]) for c in found.cohorts]
        lines.append((gettext("All placements of the period"), found.retention[months]))
        tables.append(
            (
                header,
                [
                    [label, r.placements, r.retained, r.left, r.unknown, r.censored, _rate(r)]
                    for label, r in lines
                ],
            )
        )
    place = gettext("District") if found.place_dimension == "district" else gettext("Region")
    for first, rows in (
        (gettext("Month"), found.by_month),
        (place, found.by_place),
        (gettext("Category"), found.by_need),
    ):
        header = [
            first,
            gettext("Job seekers registered"),
            gettext("People coached"),
            gettext("People placed in work"),
            gettext("Placements retained at 6 months"),
            gettext("Placements retained at 12 months"),
        ]
        tables.append(
            (
                header,
                [
                    [r.label, r.seekers, r.coached, r.placed, r.retained_6_months, r.retained_12_months]
                    for r in rows
                ],
            )
        )
    return tables


def _retention_note(found: jobs_figures.EmploymentFigures) -> str:
    return gettext(
        "The placements that started in the period, by the month they started, judged on "
        "%(day)s. The rate is the share still employed of those whose outcome is known. A "
        "placement whose milestone has not come yet is too recent to judge, and one whose "
        "follow-up is due but not recorded is not known yet: both are left out of the rate, "
        "not counted as failures."
    ) % {"day": found.as_of.isoformat()}


def _employment_rows_note() -> str:
    return gettext(
        "A person counted in several rows (coached in two months, needing two categories) is "
        "counted once in the total, so the rows may add up to more than the total. Coached "
        "counts a person in each month their case was open; retained counts the placements "
        "of the row by the month they started."
    )
