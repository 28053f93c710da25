"""Matching measured: every seeker's top 20 at once against the naive baseline on a
sample, one seeker's matches, and the hard rules checked on every proposal."""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from qoldau.access import accessibility
from qoldau.core.models import Organisation
from qoldau.jobs import matching, profiles, selectors
from qoldau.jobs.bench.common import (
    LIMIT,
    SEED,
    TARGET_ALL_MS,
    TARGET_ONE_MS,
    BenchData,
    Figure,
    bench_employers,
    bench_seekers,
    bench_vacancies,
    counting_queries,
    percentiles,
    timed_once,
)
from qoldau.jobs.models import (
    Accommodation,
    Seeker,
    Vacancy,
)


@dataclass(frozen=True)
class AllMatches:
    fits: dict[int, list[matching.Fit]]
    load_s: float
    rank_s: float


def match_all(organisation: Organisation) -> AllMatches:
    """The top 20 of every seeker among the open vacancies: what `selectors.matches_for_many`
    does, its two halves timed apart."""
    seekers = bench_seekers(organisation)
    vacancies = bench_vacancies().filter(status=Vacancy.Status.OPEN)
    started = time.perf_counter()
    seeker_profiles = profiles.seeker_profiles(seekers)
    vacancy_profiles = profiles.vacancy_profiles(vacancies)
    coverage = profiles.coverage()
    loaded = time.perf_counter()
    fits = matching.rank_all(seeker_profiles.values(), vacancy_profiles.values(), coverage, LIMIT)
    return AllMatches(fits, loaded - started, time.perf_counter() - loaded)


def naive_matches(
    seeker_id: int, vacancy_ids: Sequence[int], coverage: matching.Coverage
) -> list[matching.Fit]:
    """The baseline: the same ranking, each vacancy read for the seeker by a query of its
    own (and its workplace's statuses by one more where the seeker needs a category)."""
    seeker = profiles.seeker_profiles(Seeker.objects.filter(pk=seeker_id))[seeker_id]
    candidates = []
    for vacancy_id in vacancy_ids:
        rows = list(
            Vacancy.objects.filter(pk=vacancy_id).values_list(
                "region_id",
                "district_id",
                "occupation_id",
                "occupation__isco_code",
                "remote",
                "pay_from",
                "pay_to",
                "weekly_hours",
                "quota",
                "education_required",
                "experience_months_required",
                "workplace_id",
                "conditions",
                "accommodations_offered",
            )
        )
        first = rows[0]
        workplace = first[11]
        statuses = (
            accessibility.statuses_of([workplace]).get(workplace, {})
            if workplace is not None and seeker.categories_needed
            else {}
        )
        candidates.append(
            matching.VacancyProfile(
                id=vacancy_id,
                region_id=first[0],
                district_id=first[1],
                occupation_id=first[2],
                isco_code=first[3],
                conditions=frozenset(r[12] for r in rows if r[12] is not None),
                accommodations_offered=frozenset(r[13] for r in rows if r[13] is not None),
                statuses=statuses,
                remote=first[4],
                pay_from=Decimal(first[5]),
                pay_to=Decimal(first[6]) if first[6] is not None else None,
                weekly_hours=first[7],
                quota=first[8],
                education_rank=profiles.EDUCATION_RANK.get(first[9], -1) if first[9] else -1,
                experience_months_required=first[10],
            )
        )
    return matching.rank_vacancies(seeker, candidates, coverage, LIMIT)


@dataclass(frozen=True)
class Violations:
    proposals: int
    contraindicated: int
    inaccessible: int
    traps_proposed: int
    twins_proposed: int


def check_hard_rules(data: BenchData, fits: dict[int, list[matching.Fit]]) -> Violations:
    """Every proposal checked against the raw rows, apart from `matching`'s own rule: no
    condition the seeker's ИПАР rules out, and for each category they need a remote job, a
    building accessible for it, or an offered accommodation that covers it."""
    organisation = data.organisation
    ruled_out: dict[int, set[int]] = defaultdict(set)
    for seeker_id, condition_id in Seeker.contraindications.through.objects.filter(
        seeker__person__organisation=organisation
    ).values_list("seeker_id", "workingcondition_id"):
        ruled_out[seeker_id].add(condition_id)
    needs = dict(bench_seekers(organisation).values_list("pk", "categories_needed"))
    has: dict[int, set[int]] = defaultdict(set)
    for vacancy_id, condition_id in Vacancy.conditions.through.objects.filter(
        vacancy__employer__in=bench_employers()
    ).values_list("vacancy_id", "workingcondition_id"):
        has[vacancy_id].add(condition_id)
    covers = dict(Accommodation.objects.values_list("pk", "covers_categories"))
    covered: dict[int, set[str]] = defaultdict(set)
    for vacancy_id, accommodation_id in Vacancy.accommodations_offered.through.objects.filter(
        vacancy__employer__in=bench_employers()
    ).values_list("vacancy_id", "accommodation_id"):
        covered[vacancy_id].update(covers.get(accommodation_id, ""))
    rows = dict(
        (pk, (remote, workplace))
        for pk, remote, workplace in bench_vacancies().values_list("pk", "remote", "workplace_id")
    )
    statuses = accessibility.statuses_of({w for _r, w in rows.values() if w is not None})
    contraindicated = inaccessible = proposals = 0
    proposed: set[tuple[int, int]] = set()
    for seeker_id, seeker_fits in fits.items():
        for fit in seeker_fits:
            proposals += 1
            proposed.add((seeker_id, fit.vacancy_id))
            if ruled_out[seeker_id] & has[fit.vacancy_id]:
                contraindicated += 1
            remote, workplace = rows[fit.vacancy_id]
            building = statuses.get(workplace, {}) if workplace is not None else {}
            for category in needs[seeker_id]:
                if not (
                    remote
                    or building.get(category) == accessibility.ACCESSIBLE
                    or category in covered[fit.vacancy_id]
                ):
                    inaccessible += 1
                    break
    return Violations(
        proposals=proposals,
        contraindicated=contraindicated,
        inaccessible=inaccessible,
        traps_proposed=sum(1 for t in data.traps if (t.seeker_id, t.trap_id) in proposed),
        twins_proposed=sum(1 for t in data.traps if (t.seeker_id, t.twin_id) in proposed),
    )


def bench_matching(
    data: BenchData, *, samples: int, baseline_seekers: int
) -> tuple[list[Figure], Violations]:
    organisation = data.organisation
    seekers = bench_seekers(organisation).count()
    open_ids = list(
        bench_vacancies().filter(status=Vacancy.Status.OPEN).order_by("pk").values_list("pk", flat=True)
    )
    with counting_queries() as queries:
        found = match_all(organisation)
    total_s = found.load_s + found.rank_s
    violations = check_hard_rules(data, found.fits)
    if violations.contraindicated or violations.inaccessible or violations.traps_proposed:
        raise RuntimeError(f"A proposal breaks a hard rule: {violations}.")
    if len(found.fits) != seekers:
        raise RuntimeError("Not every seeker was matched.")

    # The baseline, on a sample of seekers; its rankings must be the same.
    rnd = random.Random(SEED + 1)  # noqa: S311 - bench sampling
    all_ids = sorted(found.fits)
    sample = rnd.sample(all_ids, min(baseline_seekers, len(all_ids)))
    coverage = profiles.coverage()
    naive_s: list[float] = []
    with counting_queries() as naive_queries:
        for seeker_id in sample:
            spent, naive = timed_once(partial(naive_matches, seeker_id, open_ids, coverage))
            naive_s.append(spent)
            ours = [(f.vacancy_id, f.score) for f in found.fits[seeker_id]]
            if [(f.vacancy_id, f.score) for f in naive] != ours:
                raise RuntimeError(f"The baseline ranks seeker {seeker_id} otherwise.")
    per_seeker = statistics.mean(naive_s)
    estimate_s = per_seeker * seekers

    # One seeker's matches, as a coach asks for them (policy, profiles, ranking).
    home = list(
        bench_seekers(organisation).filter(region=data.region).select_related("person").order_by("pk")
    )
    chosen = rnd.sample(home, min(samples, len(home)))
    selectors.matches_for_seeker(data.staff, chosen[0])  # warm the connection and caches
    with counting_queries() as one_queries:
        selectors.matches_for_seeker(data.staff, chosen[0])
    one_s = [timed_once(partial(selectors.matches_for_seeker, data.staff, s))[0] for s in chosen]
    candidates = bench_vacancies().filter(status=Vacancy.Status.OPEN, region=data.region).count()
    vacancies = len(open_ids)
    figures_ = [
        Figure(
            f"matching {seekers:,} seekers × {vacancies:,} open vacancies, the top {LIMIT} of every seeker",
            total_s * 1000,
            total_s * 1000,
            TARGET_ALL_MS,
            f"one run: profiles {found.load_s:.1f} s in {queries[0]} queries, ranking {found.rank_s:.1f} s",
        ),
        Figure(
            f"baseline: the same ranking, one query per seeker × vacancy ({len(sample)} seekers × "
            f"{vacancies:,} vacancies measured)",
            per_seeker * 1000,
            max(naive_s) * 1000,
            None,
            f"{naive_queries[0] / max(len(sample), 1):,.0f} queries a seeker; all {seekers:,} seekers "
            f"extrapolated: {estimate_s:,.0f} s = {estimate_s / total_s:,.0f}× the matching's",
        ),
        Figure(
            f"one seeker's matches, `selectors.matches_for_seeker` ({len(chosen)} seekers of a region with "
            f"{candidates:,} open vacancies)",
            *percentiles(one_s),
            TARGET_ONE_MS,
            f"{one_queries[0]} queries",
        ),
    ]
    return figures_, violations
