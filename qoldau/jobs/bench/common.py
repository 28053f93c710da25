"""What the parts of `qoldau bench jobs` share: its sizes and targets, the bench's
records, a figure and its table, and how timings are taken."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet

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


class Writer(Protocol):
    def write(self, msg: str) -> Any: ...


@dataclass(frozen=True)
class Figure:
    """One measured figure in milliseconds, against its target (if it has one)."""

    name: str
    p50_ms: float | None
    p95_ms: float | None
    target_ms: float | None
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if self.p95_ms is None or self.target_ms is None:
            return None
        return self.p95_ms < self.target_ms


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


def percentiles(samples_s: Iterable[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of timings in seconds (nearest rank)."""
    ordered = sorted(samples_s)
    if not ordered:
        raise ValueError("No samples.")
    p95_index = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return statistics.median(ordered) * 1000, ordered[p95_index] * 1000


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    count = [0]

    def wrapper(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def bench_org() -> Organisation | None:
    return Organisation.objects.filter(name_kk=BENCH_ORG).first()


def bench_employers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(name_kk__startswith=EMPLOYER_PREFIX)


def bench_seekers(organisation: Organisation) -> QuerySet[Seeker]:
    return Seeker.objects.filter(person__organisation=organisation)


def bench_vacancies() -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(employer__in=bench_employers())


def report_table(figures_: list[Figure]) -> list[str]:
    """The figures as a Markdown table with their targets."""
    lines = ["| figure | p50 | p95 | target | result |", "| --- | ---: | ---: | ---: | --- |"]
    for f in figures_:
        p50 = "—" if f.p50_ms is None else f"{f.p50_ms:,.1f} ms"
        p95 = "—" if f.p95_ms is None else f"{f.p95_ms:,.1f} ms"
        target = "—" if f.target_ms is None else f"< {f.target_ms:,.0f} ms"
        result = {True: "pass", False: "FAIL", None: "—"}[f.passed]
        if f.note:
            result += f" ({f.note})"
        lines.append(f"| {f.name} | {p50} | {p95} | {target} | {result} |")
    return lines
