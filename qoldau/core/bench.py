"""What every `qoldau bench ...` shares: where it writes, a measured figure against its
target, p50/p95 of repeated runs, counting the queries a run makes, and the Markdown
table the figures go into `docs/PERFORMANCE.md` as."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection


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


def percentiles(samples_s: Iterable[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of timings in seconds (nearest rank)."""
    ordered = sorted(samples_s)
    if not ordered:
        raise ValueError("No samples.")
    p95_index = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return statistics.median(ordered) * 1000, ordered[p95_index] * 1000


def timed(work: Callable[[], Any], samples: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of `samples` runs of `work`, after one run that warms
    the caches and the connection."""
    work()
    runs = []
    for _ in range(max(samples, 1)):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return percentiles(runs)


def timed_once(work: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one run of `work` took, and what it returned."""
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    """Counts the queries run inside the block (also inside a test client's request, whose
    start clears Django's own query log)."""
    count = [0]

    def wrapper(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def report_table(figures: list[Figure]) -> list[str]:
    """The figures as a Markdown table with their targets and whether each is met."""
    lines = ["| figure | p50 | p95 | target | result |", "| --- | ---: | ---: | ---: | --- |"]
    for f in figures:
        p50 = "—" if f.p50_ms is None else f"{f.p50_ms:,.1f} ms"
        p95 = "—" if f.p95_ms is None else f"{f.p95_ms:,.1f} ms"
        target = "—" if f.target_ms is None else f"< {f.target_ms:,.0f} ms"
        result = {True: "pass", False: "FAIL", None: "—"}[f.passed]
        if f.note:
            result += f" ({f.note})"
        lines.append(f"| {f.name} | {p50} | {p95} | {target} | {result} |")
    return lines
