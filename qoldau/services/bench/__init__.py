"""`qoldau bench services` (issue 15): its workloads, one module each, and the command's
wiring (`run`). `directory`: the public directory's search and the HSDS `/services` page
over 300,000 services nationally, against their targets and a baseline measured in the
same run (qoldau.services.bench.directory)."""

from __future__ import annotations

from typing import Any

from qoldau.core.bench import Figure, Writer
from qoldau.services.bench.directory import (
    BENCH_PREFIX,
    SERVICES,
    bench_directory,
    bench_generate,
    bench_providers,
    bench_remove,
)

__all__ = [
    "BENCH_PREFIX",
    "SERVICES",
    "bench_directory",
    "bench_generate",
    "bench_providers",
    "bench_remove",
    "run",
]


def run(options: dict[str, Any], out: Writer) -> list[Figure]:
    """The directory's figures: generate (or keep) the services, measure, and remove the
    generated data when asked."""
    bench_generate(services=options["services"], out=out)
    try:
        return bench_directory(samples=options["samples"], out=out)
    finally:
        if options["remove"]:
            bench_remove()
            out.write("removed the generated providers and services")
