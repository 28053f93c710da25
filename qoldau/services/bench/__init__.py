"""Workloads of `qoldau bench services` (issue 15), one module per part: the wait lists'
concurrency and replay (`flow`); the directory's searches are another module's."""

from qoldau.services.bench.flow import FlowBenchResult, run_flow_bench

__all__ = ["FlowBenchResult", "run_flow_bench"]
