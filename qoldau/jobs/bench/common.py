"""What the parts of `qoldau bench jobs` share: its sizes and targets, the bench's
records; the figures, their table and the timings are every bench's (`core.bench`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import QuerySet

from qoldau.core.bench import Figure, Writer, counting_queries, percentiles, report_table, timed_once
from qoldau.core.models import Organisation, Place
from qoldau.jobs.models import (
    Seeker,
    Vacancy,
)

BENCH_ORG = "Qoldau bench: jobs"
EMPLOYER_PREFIX = "Qoldau bench: employer "
USER_PREFIX = "bench-jobs-"
SEED = 1414
YEAR = 2025
# The regions the seekers and vacancies are in, and their shares; the employers are in the
# first (the akimat officer who follows their quota is its).
REGIONS: tuple[tuple[str, float], ...] = (("750000000", 0.6), ("710000000", 0.4))

SEEKERS = 10_000
VACANCIES = 5_000
EMPLOYERS = 1_000
BUILDINGS = 3_000  # a region's buildings the command makes sure of
LIMIT = 20

TARGET_ALL_MS = 60_000.0
TARGET_ONE_MS = 200.0
TARGET_QUOTA_MS = 1_000.0

NIGHT_WORK = "night_work"
STEP_FREE = "step_free_workplace"  # covers К and О
TACTILE = "tactile_route"  # covers С only
TRAP_KINDS = ("contraindicated", "other_category", "no_building", "partial")


@dataclass(frozen=True)
class Trap:
    seeker_id: int
    trap_id: int
    twin_id: int
    kind: str


@dataclass
class BenchData:
    organisation: Organisation
    staff: User
    officer: User
    region: Place
    traps: list[Trap] = field(default_factory=list)


def bench_org() -> Organisation | None:
    return Organisation.objects.filter(name_kk=BENCH_ORG).first()


def bench_employers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(name_kk__startswith=EMPLOYER_PREFIX)


def bench_seekers(organisation: Organisation) -> QuerySet[Seeker]:
    return Seeker.objects.filter(person__organisation=organisation)


def bench_vacancies() -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(employer__in=bench_employers())


__all__ = ["Figure", "Writer", "counting_queries", "percentiles", "report_table", "timed_once"]
