"""`qoldau bench services` (issue 15): its workloads, one module each, and the command's
wiring (`run`). `directory`: the public directory's search and the HSDS `/services` page
over 300,000 services nationally, against their targets and a baseline measured in the
same run (qoldau.services.bench.directory); `flow`: 100 concurrent accepts of offers for 5
free places, two places freed at once, and the wait lists replayed from the audit
(qoldau.services.bench.flow)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from qoldau.core.bench import Figure, Writer
from qoldau.services.bench.directory import (
    BENCH_PREFIX,
    SERVICES,
    bench_directory,
    bench_generate,
    bench_providers,
    bench_remove,
)
from qoldau.services.bench.flow import FlowBenchResult, bench_flow_remove, run_flow_bench

__all__ = [
    "BENCH_PREFIX",
    "SERVICES",
    "FlowBenchResult",
    "bench_directory",
    "bench_flow_remove",
    "bench_generate",
    "bench_providers",
    "bench_remove",
    "run",
    "run_flow_bench",
]


def run(options: dict[str, Any], out: Writer) -> list[Figure]:
    """The directory's figures (generate or keep the services, measure, remove the generated
    data when asked), then the wait lists' correctness, which must hold exactly: a wrong
    count fails the command whatever the timings."""
    bench_generate(services=options["services"], out=out)
    try:
        figures = bench_directory(samples=options["samples"], out=out)
    finally:
        if options["remove"]:
            bench_remove()
            out.write("removed the generated providers and services")
    flow = run_flow_bench(out, table=False)
    if options["remove"]:
        bench_flow_remove()
    if not flow.passed:
        raise CommandError(
            f"The wait lists did not hold: {flow.enrolled} enrolments for {flow.places} places, "
            f"{flow.freed_offers} offers to {flow.freed_distinct_people} people for 2 freed places, "
            f"replay {'equal' if flow.replay_equal else 'different'}, errors {flow.other_errors}."
        )
    return [*figures, *flow.figures]
