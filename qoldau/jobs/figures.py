"""The figures the quota and retention are computed from, loaded for many employers or
placements in a fixed handful of queries and handed to the pure functions of `quota.py`
and `retention.py`. No access check here: the selectors (and the services that need a
figure to decide) ask the policy first."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from qoldau.core.models import Organisation
from qoldau.jobs import quota
from qoldau.jobs.models import (
    Placement,
    QuotaBand,
    QuotaExemption,
    QuotaSanction,
    RetentionFollowUp,
    StaffReport,
)
from qoldau.jobs.retention import PlacementOutcome


def bands_on(day: dt.date, all_bands: list[QuotaBand] | None = None) -> list[quota.Band]:
    """The quota's headcount bands in force on a day (those of the latest date not after
    it); none before the first."""
    rows = all_bands if all_bands is not None else list(QuotaBand.objects.all())
    dates = sorted({b.valid_from for b in rows if b.valid_from <= day})
    if not dates:
        return []
    return [
        quota.Band(b.min_headcount, b.max_headcount, b.rate_percent)
        for b in sorted(rows, key=lambda b: b.min_headcount)
        if b.valid_from == dates[-1]
    ]


def year_end(year: int) -> dt.date:
    """The day a year's quota is judged on: its last day, or today for the current year."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def compliance_of(employers: QuerySet[Organisation], year: int) -> list[quota.Compliance]:
    """The quota of each employer of the query that reported its staff in the year (its
    latest report of the year counts), in six queries whatever their number. Placements
    count when they are on quota jobs, started after the report and by the year's end, and
    were still going on at its end."""
    reports: dict[int, StaffReport] = {}
    for report in StaffReport.objects.filter(employer__in=employers.values("pk"), as_of__year=year).order_by(
        "employer_id", "-as_of"
    ):
        reports.setdefault(report.employer_id, report)
    if not reports:
        return []
    end = year_end(year)
    placed: dict[int, int] = defaultdict(int)
    for employer_id, start, ended in Placement.objects.filter(
        employer_id__in=list(reports), quota=True, start_date__year=year, start_date__lte=end
    ).values_list("employer_id", "start_date", "ended_on"):
        if start > reports[employer_id].as_of and (ended is None or ended > end):
            placed[employer_id] += 1
    exemptions = dict(
        QuotaExemption.objects.filter(employer_id__in=list(reports), year=year).values_list(
            "employer_id", "reason"
        )
    )
    warnings: dict[int, int] = defaultdict(int)
    fines: dict[int, list[int]] = defaultdict(list)
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    for employer_id, kind, mci, amount in QuotaSanction.objects.filter(
        employer_id__in=list(reports), year=year
    ).values_list("employer_id", "kind", "fine_mci", "fine_amount"):
        if kind == QuotaSanction.Kind.FINE:
            fines[employer_id].append(mci or 0)
            amounts[employer_id] += amount or Decimal(0)
        else:
            warnings[employer_id] += 1
    all_bands = list(QuotaBand.objects.all())
    return [
        quota.compliance(
            employer_id=employer_id,
            year=year,
            headcount=report.headcount,
            hazardous_jobs=report.hazardous_jobs,
            employees_with_disabilities=report.employees_with_disabilities,
            placements=placed[employer_id],
            bands=bands_on(report.as_of, all_bands),
            rounding=settings.QOLDAU_JOBS_QUOTA_ROUNDING,
            exemption=exemptions.get(employer_id, ""),
            warnings=warnings[employer_id],
            fines_mci=fines[employer_id],
            fines_amount=amounts[employer_id],
        )
        for employer_id, report in reports.items()
    ]


def retention_outcomes(placements: QuerySet[Placement], cohort: str = "month") -> list[PlacementOutcome]:
    """Each placement of the query with its recorded follow-ups (two queries), in cohorts
    of its start month (`2025-03`), quarter (`2025-Q1`) or year (`2025`)."""
    rows = list(placements.values_list("pk", "start_date", "ended_on"))
    recorded: dict[int, dict[int, str]] = defaultdict(dict)
    for placement_id, months, outcome in (
        RetentionFollowUp.objects.filter(placement__in=placements.values("pk"))
        .exclude(outcome="")
        .values_list("placement_id", "months", "outcome")
    ):
        recorded[placement_id][months] = outcome
    return [
        PlacementOutcome(
            cohort=_cohort(start, cohort), start_date=start, ended_on=ended, follow_ups=recorded.get(pk, {})
        )
        for pk, start, ended in rows
    ]


def _cohort(day: dt.date, kind: str) -> str:
    if kind == "year":
        return f"{day.year}"
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"
