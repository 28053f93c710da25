"""The social services' figures in the dashboard's exports (`qoldau.services.service_figures`,
the services app's seam): the figures with their labels and the table by place, in the
active language, as the dashboard's "Social services" section shows them. Kept apart from
`exports.py` so that each file format (the XLSX sheet here, the PDF) reads the same lines."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext
from openpyxl import Workbook

from qoldau.core.documents import append_row, fit_columns, sheet_title
from qoldau.services import service_figures as services_figures


def has_services(found: services_figures.ServiceFigures) -> bool:
    """Whether the scope has any provider (an organisation that provides no social service
    gets no empty sheet)."""
    return found.providers_total > 0


def _number(value: Decimal | None) -> str:
    return "—" if value is None else formats.number_format(value, 1)


def services_figures_lines(found: services_figures.ServiceFigures) -> list[tuple[str, int | str | None]]:
    labels = dict(services_figures.KIND_CHOICES)
    lines: list[tuple[str, int | str | None]] = [
        (gettext("Providers"), found.providers_total),
        *((str(labels[code]), n) for code, n in found.providers.items()),
        (gettext("Places on %(day)s") % {"day": found.as_of.isoformat()}, found.places),
        (gettext("Free places on %(day)s") % {"day": found.as_of.isoformat()}, found.free_places),
        (gettext("People waiting on %(day)s") % {"day": found.as_of.isoformat()}, found.waiting),
        (gettext("Places planned"), found.planned_places),
        (gettext("People served in the period"), found.recipients),
        (gettext("Referrals made"), found.referrals),
        (gettext("Referrals closed"), found.referrals_closed),
        (gettext("Referrals served"), found.referrals_served),
        (gettext("Share of closed referrals served, %"), _number(found.served_share)),
        (gettext("Median days from referral to first service"), _number(found.median_days_to_first_service)),
        (gettext("Referrals unanswered past their due time, now"), found.unanswered_past_due),
    ]
    return lines


def services_place_table(found: services_figures.ServiceFigures) -> tuple[list[str], list[list[object]]]:
    header = [
        gettext("District") if found.place_dimension == "district" else gettext("Region"),
        gettext("Providers"),
        gettext("Places"),
        gettext("Free places"),
        gettext("People waiting"),
        gettext("People served in the period"),
    ]
    rows: list[list[object]] = [
        [r.label, r.providers, r.places, r.free_places, r.waiting, r.recipients] for r in found.by_place
    ]
    return header, rows


def services_sheet(workbook: Workbook, found: services_figures.ServiceFigures) -> None:
    """The "Social services" sheet of the XLSX report."""
    sheet = workbook.create_sheet(sheet_title(gettext("Social services")))
    for label, value in services_figures_lines(found):
        append_row(sheet, [label, value], bold_first=True)
    sheet.append([])
    header, rows = services_place_table(found)
    append_row(sheet, header, header=True)
    for values in rows:
        append_row(sheet, values)
    fit_columns(sheet)
