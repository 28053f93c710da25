"""The sign-language interpreting figures in the dashboard's XLSX export
(`qoldau.interpreting.interpreting_figures`, the interpreting app's seam): the figures with
their labels, the calls by month and the minutes by purpose and by region, in the active
language, as the dashboard's "Sign-language interpreting" section shows them."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext
from openpyxl import Workbook

from qoldau.core.documents import append_row, fit_columns, sheet_title
from qoldau.interpreting import interpreting_figures as interp_figures


def has_interpreting(found: interp_figures.InterpretingFigures) -> bool:
    """Whether the scope has an interpreting service (none: no empty sheet)."""
    return found.services > 0


def _number(value: Decimal | None) -> str:
    return "—" if value is None else formats.number_format(value, 1)


def interpreting_figures_lines(
    found: interp_figures.InterpretingFigures,
) -> list[tuple[str, int | str | None]]:
    total = found.total
    seconds = interp_figures.TARGET_SECONDS
    return [
        (gettext("Calls"), total.calls),
        (gettext("Answered within %(seconds)s s") % {"seconds": seconds}, total.answered_in_time),
        (
            gettext("Answered within %(seconds)s s, per cent") % {"seconds": seconds},
            _number(total.in_time_share),
        ),
        (gettext("Median wait, seconds"), total.median_wait),
        (gettext("95th percentile wait, seconds"), total.p95_wait),
        (gettext("Missed calls"), total.missed),
        (gettext("People served"), found.people_served),
        (gettext("Minutes interpreted"), found.minutes_used),
        (gettext("Hours used"), _number(found.hours_used)),
        (gettext("Hours entitled"), found.hours_entitled),
    ]


def interpreting_tables(
    found: interp_figures.InterpretingFigures,
) -> list[tuple[list[str], list[list[object]]]]:
    seconds = interp_figures.TARGET_SECONDS
    months: tuple[list[str], list[list[object]]] = (
        [
            gettext("Month"),
            gettext("Calls"),
            gettext("Answered within %(seconds)s s") % {"seconds": seconds},
            gettext("Answered within %(seconds)s s, per cent") % {"seconds": seconds},
            gettext("Median wait, seconds"),
            gettext("95th percentile wait, seconds"),
            gettext("Missed calls"),
            gettext("Minutes interpreted"),
        ],
        [
            [
                m.month,
                m.calls,
                m.answered_in_time,
                _number(m.in_time_share),
                m.median_wait,
                m.p95_wait,
                m.missed,
                m.minutes,
            ]
            for m in found.months
        ],
    )
    minutes_header = [gettext("Minutes interpreted"), gettext("People served")]
    purpose: tuple[list[str], list[list[object]]] = (
        [gettext("Purpose"), *minutes_header],
        [[r.label, r.minutes, r.people] for r in found.by_purpose],
    )
    region: tuple[list[str], list[list[object]]] = (
        [gettext("Region"), *minutes_header],
        [[r.label, r.minutes, r.people] for r in found.by_region],
    )
    return [months, purpose, region]


def interpreting_sheet(workbook: Workbook, found: interp_figures.InterpretingFigures) -> None:
    """The "Sign-language interpreting" sheet of the XLSX report."""
    sheet = workbook.create_sheet(sheet_title(gettext("Sign-language interpreting")))
    for label, value in interpreting_figures_lines(found):
        append_row(sheet, [label, value], bold_first=True)
    for header, rows in interpreting_tables(found):
        sheet.append([])
        append_row(sheet, header, header=True)
        for values in rows:
            append_row(sheet, values)
    fit_columns(sheet)
