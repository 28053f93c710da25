"""Matching seekers and vacancies: pure functions over profiles the selectors load in a few
queries, so that one seeker, one vacancy or ten thousand seekers at once are ranked the
same way.

Two rules are hard: a vacancy that breaks one is never proposed, whatever else fits.

1. **Contraindications.** A vacancy with a working condition the seeker's ИПАР
   contraindicates (night work for a person whose programme rules it out) is never
   proposed.
2. **Accessibility.** For every category of accessibility the seeker needs (К, О, С, Г,
   У), the job must be accessible, which means one of:

   - the vacancy is remote work (there is no building to get into), or
   - its workplace building's passport gives the category the status "accessible", or
   - the employer offers an accommodation that covers the category (the catalogue says
     which accommodations do: a step-free route with an adapted toilet and desk covers К
     and О; tactile markings and audible signs cover С).

   A partially accessible building, one not assessed yet, and a vacancy with no building
   named are not accessible: the seeker is not sent to find out.

Everything else is weighed into a fit from 0 to 100 (the occupation wanted, the place,
pay, hours, the accommodations needed that the employer offers, education and
experience), and every fit says why, and which accommodations the job needs: those the
employer offers, those still to arrange with it, and those that make the workplace
accessible for each category.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# The public status that makes a building accessible for a category (`access` app).
ACCESSIBLE = "accessible"

# The most each part of the fit weighs; they add up to 100.
OCCUPATION_POINTS = 40
PLACE_POINTS = 20
PAY_POINTS = 15
HOURS_POINTS = 10
ACCOMMODATION_POINTS = 10
QUALIFICATION_POINTS = 5


@dataclass(frozen=True)
class SeekerProfile:
    id: int
    region_id: int
    district_id: int | None
    # Occupations wanted, and their ISCO-08 groups (unit group codes or shorter).
    occupations: frozenset[int]
    occupation_groups: frozenset[str]
    contraindications: frozenset[int]
    accommodations_needed: frozenset[int]
    categories_needed: frozenset[str]
    pay_wanted: Decimal | None = None
    weekly_hours_wanted: int | None = None
    remote_ok: bool = False
    # The position of the seeker's education in `EducationLevel`, lowest first.
    education_rank: int = 0
    experience_months: int = 0


@dataclass(frozen=True)
class VacancyProfile:
    id: int
    region_id: int
    district_id: int | None
    occupation_id: int
    isco_code: str
    conditions: frozenset[int]
    accommodations_offered: frozenset[int]
    # The workplace's public status for each category; empty without a workplace.
    statuses: Mapping[str, str]
    remote: bool = False
    pay_from: Decimal = Decimal(0)
    pay_to: Decimal | None = None
    weekly_hours: int = 40
    quota: bool = False
    # The position of the education required in `EducationLevel`; -1 for none.
    education_rank: int = -1
    experience_months_required: int = 0


# Which categories each accommodation (by id) makes a workplace accessible for.
Coverage = Mapping[int, frozenset[str]]


@dataclass(frozen=True)
class Reason:
    """One reason a job fits, as a code and the values its sentence names
    (`selectors.reason_text` words it in the reader's language)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Barriers:
    """Why a vacancy is never proposed to a seeker: the vacancy's conditions the ИПАР
    contraindicates, and the categories the job is not accessible for."""

    contraindicated: frozenset[int]
    inaccessible: frozenset[str]


@dataclass(frozen=True)
class Fit:
    seeker_id: int
    vacancy_id: int
    score: int
    reasons: tuple[Reason, ...]
    # The accommodations the seeker needs that the employer offers, and those still to
    # arrange with it; and, for each category needed, how the job is accessible: by the
    # building or remote work (an empty set), or by these accommodations offered.
    offered: frozenset[int]
    to_arrange: frozenset[int]
    covering: Mapping[str, frozenset[int]]
    quota: bool = False

    def needs_json(self) -> dict[str, Any]:
        return {
            "offered": sorted(self.offered),
            "to_arrange": sorted(self.to_arrange),
            "covering": {category: sorted(ids) for category, ids in sorted(self.covering.items())},
        }


# The hard rules -----------------------------------------------------------------------------


def access_for(vacancy: VacancyProfile, category: str, coverage: Coverage) -> frozenset[int] | None:
    """How the job is accessible for a category: an empty set when by itself (remote work,
    or a building accessible for it), the accommodations offered that cover it otherwise,
    and None when it is not accessible."""
    if vacancy.remote or vacancy.statuses.get(category) == ACCESSIBLE:
        return frozenset()
    covering = frozenset(
        a for a in vacancy.accommodations_offered if category in coverage.get(a, frozenset())
    )
    return covering or None


def barriers(seeker: SeekerProfile, vacancy: VacancyProfile, coverage: Coverage) -> Barriers | None:
    """What keeps the vacancy from ever being proposed to the seeker; None when nothing."""
    contraindicated = seeker.contraindications & vacancy.conditions
    inaccessible = frozenset(c for c in seeker.categories_needed if access_for(vacancy, c, coverage) is None)
    if contraindicated or inaccessible:
        return Barriers(contraindicated=contraindicated, inaccessible=inaccessible)
    return None


def in_reach(seeker: SeekerProfile, vacancy: VacancyProfile) -> bool:
    """Whether the job is where the seeker could work: in their region, or remote work for
    a seeker who would work remotely. Rankings look at these vacancies only; a coach may
    still propose another one, within the hard rules."""
    if vacancy.remote:
        return seeker.remote_ok or vacancy.region_id == seeker.region_id
    return vacancy.region_id == seeker.region_id


# The fit --------------------------------------------------------------------------------------


def _occupation(seeker: SeekerProfile, vacancy: VacancyProfile) -> tuple[int, Reason | None]:
    if vacancy.occupation_id in seeker.occupations:
        return OCCUPATION_POINTS, Reason("occupation_wanted", {"occupation": vacancy.occupation_id})
    if not seeker.occupations:
        return OCCUPATION_POINTS // 4, None
    # The longest ISCO-08 group the vacancy shares with an occupation wanted.
    shared = max((_common_prefix(vacancy.isco_code, group) for group in seeker.occupation_groups), default=0)
    points = {4: 30, 3: 20, 2: 10}.get(shared, 0)
    if points:
        return points, Reason("occupation_related", {"group": vacancy.isco_code[:shared]})
    return 0, None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _place(seeker: SeekerProfile, vacancy: VacancyProfile) -> tuple[int, Reason | None]:
    if vacancy.remote:
        return (PLACE_POINTS if seeker.remote_ok else PLACE_POINTS // 2), Reason("remote")
    if seeker.district_id is not None and vacancy.district_id == seeker.district_id:
        return PLACE_POINTS, Reason("same_district", {"district": seeker.district_id})
    if vacancy.region_id == seeker.region_id:
        return PLACE_POINTS // 2, Reason("same_region", {"region": seeker.region_id})
    return 0, None


def _pay(seeker: SeekerProfile, vacancy: VacancyProfile) -> tuple[int, Reason | None]:
    best = vacancy.pay_to if vacancy.pay_to is not None else vacancy.pay_from
    if seeker.pay_wanted is None:
        return PAY_POINTS * 2 // 3, None
    if best >= seeker.pay_wanted:
        return PAY_POINTS, Reason("pay_meets", {"pay": str(best), "wanted": str(seeker.pay_wanted)})
    if best * 10 >= seeker.pay_wanted * 9:
        return PAY_POINTS // 2, Reason("pay_close", {"pay": str(best), "wanted": str(seeker.pay_wanted)})
    return 0, None


def _hours(seeker: SeekerProfile, vacancy: VacancyProfile) -> tuple[int, Reason | None]:
    if seeker.weekly_hours_wanted is None:
        return HOURS_POINTS // 2, None
    gap = abs(vacancy.weekly_hours - seeker.weekly_hours_wanted)
    if gap <= 4:
        return HOURS_POINTS, Reason("hours_fit", {"hours": vacancy.weekly_hours})
    if gap <= 10:
        return HOURS_POINTS // 2, None
    return 0, None


def _qualifications(seeker: SeekerProfile, vacancy: VacancyProfile) -> tuple[int, Reason | None]:
    education = seeker.education_rank >= vacancy.education_rank
    experience = seeker.experience_months >= vacancy.experience_months_required
    if education and experience:
        return QUALIFICATION_POINTS, Reason("qualifications_fit")
    return (QUALIFICATION_POINTS // 2 if education or experience else 0), None


def assess(seeker: SeekerProfile, vacancy: VacancyProfile, coverage: Coverage) -> Fit | Barriers:
    """The fit of a vacancy for a seeker, or the barriers that keep it from them."""
    blocked = barriers(seeker, vacancy, coverage)
    if blocked is not None:
        return blocked
    reasons: list[Reason] = []
    score = 0
    for part in (_occupation, _place, _pay, _hours, _qualifications):
        points, reason = part(seeker, vacancy)
        score += points
        if reason is not None:
            reasons.append(reason)
    offered = seeker.accommodations_needed & vacancy.accommodations_offered
    to_arrange = seeker.accommodations_needed - vacancy.accommodations_offered
    if seeker.accommodations_needed:
        score += ACCOMMODATION_POINTS * len(offered) // len(seeker.accommodations_needed)
        if offered:
            reasons.append(Reason("accommodations_offered", {"accommodations": sorted(offered)}))
    else:
        score += ACCOMMODATION_POINTS
    covering: dict[str, frozenset[int]] = {}
    for category in sorted(seeker.categories_needed):
        how = access_for(vacancy, category, coverage)
        covering[category] = how if how is not None else frozenset()
        if how:
            reasons.append(Reason("accessible_with", {"category": category, "accommodations": sorted(how)}))
        elif not vacancy.remote:
            reasons.append(Reason("accessible", {"category": category}))
    if vacancy.quota:
        reasons.append(Reason("quota_job"))
    return Fit(
        seeker_id=seeker.id,
        vacancy_id=vacancy.id,
        score=score,
        reasons=tuple(reasons),
        offered=offered,
        to_arrange=to_arrange,
        covering=covering,
        quota=vacancy.quota,
    )


# Ranking many pairs ---------------------------------------------------------------------------
# Ranking weighs every pair in reach by `score`, which gives `assess`'s score (or None for a
# pair a hard rule forbids) without building the reasons, and keeps the best in a bounded
# heap; only the pairs kept are assessed in full. `test_matching` holds `score` and
# `assess` to the same answer.

# Points for the longest ISCO-08 group a vacancy shares with an occupation wanted.
PREFIX_POINTS = {4: 30, 3: 20, 2: 10}
# The most a pair gets besides the occupation.
REST_MAX = PLACE_POINTS + PAY_POINTS + HOURS_POINTS + QUALIFICATION_POINTS + ACCOMMODATION_POINTS


def _blocked(seeker: SeekerProfile, vacancy: VacancyProfile, coverage: Coverage) -> bool:
    """`barriers` as a yes or no."""
    if not seeker.contraindications.isdisjoint(vacancy.conditions):
        return True
    if vacancy.remote:
        return False
    for category in seeker.categories_needed:
        if vacancy.statuses.get(category) == ACCESSIBLE:
            continue
        if not any(category in coverage.get(a, ()) for a in vacancy.accommodations_offered):
            return True
    return False


def _occupation_points(seeker: SeekerProfile, vacancy: VacancyProfile) -> int:
    if vacancy.occupation_id in seeker.occupations:
        return OCCUPATION_POINTS
    if not seeker.occupations:
        return OCCUPATION_POINTS // 4
    shared = max((_common_prefix(vacancy.isco_code, group) for group in seeker.occupation_groups), default=0)
    return PREFIX_POINTS.get(shared, 0)


def _rest_points(seeker: SeekerProfile, vacancy: VacancyProfile) -> int:
    """The points of the place, pay, hours, qualifications and accommodations (the parts
    of `assess` other than the occupation)."""
    if vacancy.remote:
        points = PLACE_POINTS if seeker.remote_ok else PLACE_POINTS // 2
    elif seeker.district_id is not None and vacancy.district_id == seeker.district_id:
        points = PLACE_POINTS
    elif vacancy.region_id == seeker.region_id:
        points = PLACE_POINTS // 2
    else:
        points = 0
    if seeker.pay_wanted is None:
        points += PAY_POINTS * 2 // 3
    else:
        best = vacancy.pay_to if vacancy.pay_to is not None else vacancy.pay_from
        if best >= seeker.pay_wanted:
            points += PAY_POINTS
        elif best * 10 >= seeker.pay_wanted * 9:
            points += PAY_POINTS // 2
    if seeker.weekly_hours_wanted is None:
        points += HOURS_POINTS // 2
    else:
        gap = abs(vacancy.weekly_hours - seeker.weekly_hours_wanted)
        points += HOURS_POINTS if gap <= 4 else HOURS_POINTS // 2 if gap <= 10 else 0
    education = seeker.education_rank >= vacancy.education_rank
    experience = seeker.experience_months >= vacancy.experience_months_required
    if education and experience:
        points += QUALIFICATION_POINTS
    elif education or experience:
        points += QUALIFICATION_POINTS // 2
    if seeker.accommodations_needed:
        offered = len(seeker.accommodations_needed & vacancy.accommodations_offered)
        points += ACCOMMODATION_POINTS * offered // len(seeker.accommodations_needed)
    else:
        points += ACCOMMODATION_POINTS
    return points


def score(seeker: SeekerProfile, vacancy: VacancyProfile, coverage: Coverage) -> int | None:
    """The fit's score alone, or None when a hard rule keeps the vacancy from the seeker."""
    if _blocked(seeker, vacancy, coverage):
        return None
    return _occupation_points(seeker, vacancy) + _rest_points(seeker, vacancy)


# What a ranking keeps, compared as `_order` compares fits: the score, a quota job, the
# older record; with the vacancy's and the seeker's ids.
_Kept = tuple[int, bool, int, int, int]


def _keep(heap: list[_Kept], limit: int, entry: _Kept) -> None:
    if len(heap) < limit:
        heapq.heappush(heap, entry)
    elif entry > heap[0]:
        heapq.heapreplace(heap, entry)


def _entry(points: int, seeker: SeekerProfile, vacancy: VacancyProfile) -> _Kept:
    return (points, vacancy.quota, -vacancy.id - seeker.id, vacancy.id, seeker.id)


def _order(fit: Fit) -> tuple[int, bool, int]:
    # The best fit first; among equals a quota job (kept for people with disabilities),
    # then the older record, so that the order is stable.
    return (fit.score, fit.quota, -fit.vacancy_id - fit.seeker_id)


def _fits(
    heap: list[_Kept],
    seekers: Mapping[int, SeekerProfile],
    vacancies: Mapping[int, VacancyProfile],
    coverage: Coverage,
) -> list[Fit]:
    """The pairs kept, best first, assessed in full (with their reasons)."""
    fits = []
    for *_key, vacancy_id, seeker_id in sorted(heap, reverse=True):
        fit = assess(seekers[seeker_id], vacancies[vacancy_id], coverage)
        if isinstance(fit, Fit):
            fits.append(fit)
    return fits


def rank_vacancies(
    seeker: SeekerProfile, vacancies: Iterable[VacancyProfile], coverage: Coverage, limit: int
) -> list[Fit]:
    """The vacancies in the seeker's reach that fit them, best first; never one a hard rule
    keeps from them."""
    heap: list[_Kept] = []
    kept: dict[int, VacancyProfile] = {}
    for vacancy in vacancies:
        if not in_reach(seeker, vacancy):
            continue
        points = score(seeker, vacancy, coverage)
        if points is not None:
            kept[vacancy.id] = vacancy
            _keep(heap, limit, _entry(points, seeker, vacancy))
    return _fits(heap, {seeker.id: seeker}, kept, coverage)


def rank_seekers(
    vacancy: VacancyProfile, seekers: Iterable[SeekerProfile], coverage: Coverage, limit: int
) -> list[Fit]:
    """The seekers in the vacancy's reach it fits, best first; never one a hard rule keeps
    it from."""
    heap: list[_Kept] = []
    kept: dict[int, SeekerProfile] = {}
    for seeker in seekers:
        if not in_reach(seeker, vacancy):
            continue
        points = score(seeker, vacancy, coverage)
        if points is not None:
            kept[seeker.id] = seeker
            _keep(heap, limit, _entry(points, seeker, vacancy))
    return _fits(heap, kept, {vacancy.id: vacancy}, coverage)


@dataclass
class _Pool:
    """The vacancies in reach of a region's seekers (the region's, and remote ones), indexed
    by occupation and by the prefixes of their ISCO-08 group."""

    vacancies: list[VacancyProfile]
    by_occupation: dict[int, list[VacancyProfile]] = field(default_factory=lambda: defaultdict(list))
    by_prefix: dict[str, list[VacancyProfile]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for vacancy in self.vacancies:
            self.by_occupation[vacancy.occupation_id].append(vacancy)
            for length in PREFIX_POINTS:
                if len(vacancy.isco_code) >= length:
                    self.by_prefix[vacancy.isco_code[:length]].append(vacancy)

    def tiers(self, seeker: SeekerProfile) -> list[tuple[int, Iterable[VacancyProfile]]]:
        """The vacancies by the most occupation points they can get, most first; each
        vacancy's true points are its first tier's (the ranking skips it after that)."""
        if not seeker.occupations:
            return [(OCCUPATION_POINTS // 4, self.vacancies)]
        tiers: list[tuple[int, Iterable[VacancyProfile]]] = [
            (
                OCCUPATION_POINTS,
                [v for o in sorted(seeker.occupations) for v in self.by_occupation.get(o, ())],
            )
        ]
        for length, points in sorted(PREFIX_POINTS.items(), reverse=True):
            groups = sorted({g[:length] for g in seeker.occupation_groups if len(g) >= length})
            tiers.append((points, [v for g in groups for v in self.by_prefix.get(g, ())]))
        tiers.append((0, self.vacancies))
        return tiers


def rank_all(
    seekers: Iterable[SeekerProfile], vacancies: Iterable[VacancyProfile], coverage: Coverage, limit: int
) -> dict[int, list[Fit]]:
    """Each seeker's best vacancies at once (for many seekers). The vacancies in reach of
    each region are indexed by occupation and ISCO-08 group; a seeker is weighed against
    them tier by tier, the occupations they want first, and the ranking stops where no
    vacancy left could beat the last one kept (its occupation's points and the most the
    rest can give are below it): the same top as weighing every vacancy in reach."""
    by_id: dict[int, VacancyProfile] = {}
    by_region: dict[int, list[VacancyProfile]] = defaultdict(list)
    remote: list[VacancyProfile] = []
    for vacancy in vacancies:
        by_id[vacancy.id] = vacancy
        (remote if vacancy.remote else by_region[vacancy.region_id]).append(vacancy)
    pools: dict[int, _Pool] = {}
    result: dict[int, list[Fit]] = {}
    for seeker in seekers:
        pool = pools.get(seeker.region_id)
        if pool is None:
            pool = pools[seeker.region_id] = _Pool([*by_region.get(seeker.region_id, ()), *remote])
        heap: list[_Kept] = []
        seen: set[int] = set()
        for occupation_points, tier in pool.tiers(seeker):
            if len(heap) == limit and heap[0][0] > occupation_points + REST_MAX:
                break
            for vacancy in tier:
                if vacancy.id in seen:
                    continue
                seen.add(vacancy.id)
                if not in_reach(seeker, vacancy) or _blocked(seeker, vacancy, coverage):
                    continue
                _keep(heap, limit, _entry(occupation_points + _rest_points(seeker, vacancy), seeker, vacancy))
        result[seeker.id] = _fits(heap, {seeker.id: seeker}, by_id, coverage)
    return result
