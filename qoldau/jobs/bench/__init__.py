"""Workloads of `qoldau bench jobs` (issue 14): matching 10,000 seekers against 5,000
vacancies (the top 20 of every seeker at once, and one seeker's matches as a coach asks for
them), the quota compliance of 1,000 employers, and the hard rules of matching on a
generated set with known traps.

The data is benchmark data, written straight into the tables with `bulk_create` (no
services, audit rows or notifications), under an organisation of its own (`BENCH_ORG`)
whose people, employers (named `EMPLOYER_PREFIX` …) and users (`USER_PREFIX` …) never mix
with real ones. The workplaces are the region's buildings, read through the access app's
seam (the command generates them first with the access demo's generator when a region has
too few). The data is kept between runs (a second run with the same sizes generates
nothing) unless `bench_remove` deletes it.

Known traps: for every twentieth vacancy, a seeker who needs the category К (a wheelchair
user) whose ИПАР rules out night work is given two vacancies made for them (their
occupation, district, pay and hours): a trap that breaks one hard rule and its twin that
breaks none. A trap has night work; or a building not accessible for К, offering only an
accommodation that covers another category; or no building named, not remote; or a
building whose status for К is partial or unknown, with nothing offered. Every trap would
rank among the seeker's best without the rules; the run fails if one is proposed, and
reports how many twins are.

The baselines, measured in the same run:
- matching: the same ranking (`matching.rank_vacancies`), each vacancy read for the
  seeker by its own query (the workplace's statuses by one more where the seeker needs a
  category): on a sample of seekers, against every open vacancy, and the time extrapolated
  linearly to all of them (each seeker's work is the same and independent);
- the quota: a reference calculation written apart from `quota.py` and `figures.py`, a few
  queries per employer, whose figures must equal the selector's for every employer.
"""

from qoldau.jobs.bench.common import (
    BUILDINGS,
    EMPLOYERS,
    REGIONS,
    SEEKERS,
    VACANCIES,
    BenchData,
    Figure,
    report_table,
)
from qoldau.jobs.bench.data import bench_generate, bench_remove
from qoldau.jobs.bench.matches import bench_matching, check_hard_rules, match_all, naive_matches
from qoldau.jobs.bench.quota import bench_quota, reference_compliance

__all__ = [
    "BUILDINGS",
    "EMPLOYERS",
    "REGIONS",
    "SEEKERS",
    "VACANCIES",
    "BenchData",
    "Figure",
    "bench_generate",
    "bench_matching",
    "bench_quota",
    "bench_remove",
    "check_hard_rules",
    "match_all",
    "naive_matches",
    "reference_compliance",
    "report_table",
]
