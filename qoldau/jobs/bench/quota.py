"""The quota measured: a region's compliance through the akimat officer's selector,
against a reference calculation that must agree with it for every employer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from qoldau.jobs import selectors
from qoldau.jobs.bench.common import (
    TARGET_QUOTA_MS,
    YEAR,
    BenchData,
    Figure,
    bench_employers,
    counting_queries,
    percentiles,
    timed_once,
)
from qoldau.jobs.models import (
    Placement,
    QuotaBand,
    QuotaExemption,
    QuotaSanction,
    StaffReport,
)


def reference_compliance(
    employer_ids: Iterable[int], year: int
) -> dict[int, tuple[int, int, int, str, int, int]]:
    """The quota worked out apart from `quota.py` and `figures.py`: each employer's latest
    report of the year, its band's rate of the headcount without hazardous jobs rounded by
    the setting, plus the quota placements since the report still in post at the year's
    end; (required, filled, shortfall, exemption, warnings, fines) by employer."""
    rounding = {"down": ROUND_FLOOR, "nearest": ROUND_HALF_UP, "up": ROUND_CEILING}[
        settings.QOLDAU_JOBS_QUOTA_ROUNDING
    ]
    bands = list(
        QuotaBand.objects.values_list("valid_from", "min_headcount", "max_headcount", "rate_percent")
    )
    end = min(dt.date(year, 12, 31), timezone.localdate())
    result = {}
    for employer_id in employer_ids:
        report = (
            StaffReport.objects.filter(employer_id=employer_id, as_of__year=year).order_by("-as_of").first()
        )
        if report is None:
            continue
        in_force = max((b[0] for b in bands if b[0] <= report.as_of), default=None)
        rate = next(
            (
                b[3]
                for b in bands
                if b[0] == in_force
                and b[1] <= report.headcount
                and (b[2] is None or report.headcount <= b[2])
            ),
            None,
        )
        base = max(report.headcount - report.hazardous_jobs, 0)
        required = (
            int((Decimal(base) * rate / 100).quantize(Decimal(1), rounding=rounding))
            if rate is not None
            else 0
        )
        placements = 0
        for start, ended in Placement.objects.filter(employer_id=employer_id, quota=True).values_list(
            "start_date", "ended_on"
        ):
            if report.as_of < start <= end and start.year == year and (ended is None or ended > end):
                placements += 1
        filled = report.employees_with_disabilities + placements
        exemption = (
            QuotaExemption.objects.filter(employer_id=employer_id, year=year)
            .values_list("reason", flat=True)
            .first()
            or ""
        )
        kinds = list(
            QuotaSanction.objects.filter(employer_id=employer_id, year=year).values_list("kind", flat=True)
        )
        shortfall = 0 if exemption else max(required - filled, 0)
        result[employer_id] = (
            required,
            filled,
            shortfall,
            exemption,
            kinds.count("warning"),
            kinds.count("fine"),
        )
    return result


def bench_quota(data: BenchData, *, samples: int) -> list[Figure]:
    lines = selectors.quota_compliance_of_region(data.officer, data.region, YEAR)
    ours = {
        line.employer.pk: (
            line.compliance.required,
            line.compliance.filled,
            line.compliance.shortfall,
            line.compliance.exemption,
            line.compliance.warnings,
            line.compliance.fines,
        )
        for line in lines
    }
    employer_ids = list(bench_employers().values_list("pk", flat=True))
    with counting_queries() as reference_queries:
        reference_s, reference = timed_once(lambda: reference_compliance(employer_ids, YEAR))
    bench = set(employer_ids)
    mine = {pk: line for pk, line in ours.items() if pk in bench}
    if mine != reference:
        wrong = sorted(pk for pk in set(mine) | set(reference) if mine.get(pk) != reference.get(pk))
        raise RuntimeError(
            f"The quota differs from the reference for {len(wrong)} employers, e.g. {wrong[:5]}."
        )
    with counting_queries() as queries:
        selectors.quota_compliance_of_region(data.officer, data.region, YEAR)
    runs = [
        timed_once(lambda: selectors.quota_compliance_of_region(data.officer, data.region, YEAR))[0]
        for _ in range(max(samples, 1))
    ]
    p50, p95 = percentiles(runs)
    reported = len(reference)
    return [
        Figure(
            f"quota compliance of a region's {len(lines):,} employers that reported for {YEAR} "
            f"(of {len(employer_ids):,}), `selectors.quota_compliance_of_region`",
            p50,
            p95,
            TARGET_QUOTA_MS,
            f"{queries[0]} queries; equal to the reference for all {reported:,}",
        ),
        Figure(
            "reference: the quota worked out apart, a few queries per employer",
            reference_s * 1000,
            reference_s * 1000,
            None,
            f"one run, {reference_queries[0]:,} queries; {reference_s * 1000 / p50:,.0f}× the selector's p50",
        ),
    ]
