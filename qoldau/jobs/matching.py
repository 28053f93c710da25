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


def _order(fit: Fit) -> tuple[int, bool, int]:
    # The best fit first; among equals a quota job (kept for people with disabilities),
    # then the older record, so that the order is stable.
    return (fit.score, fit.quota, -fit.vacancy_id - fit.seeker_id)


def rank_vacancies(
    seeker: SeekerProfile, vacancies: Iterable[VacancyProfile], coverage: Coverage, limit: int
) -> list[Fit]:
    """The vacancies in the seeker's reach that fit them, best first; never one a hard rule
    keeps from them."""
    fits = (assess(seeker, v, coverage) for v in vacancies if in_reach(seeker, v))
    return heapq.nlargest(limit, (f for f in fits if isinstance(f, Fit)), key=_order)


def rank_seekers(
    vacancy: VacancyProfile, seekers: Iterable[SeekerProfile], coverage: Coverage, limit: int
) -> list[Fit]:
    """The seekers in the vacancy's reach it fits, best first; never one a hard rule keeps
    it from."""
    fits = (assess(s, vacancy, coverage) for s in seekers if in_reach(s, vacancy))
    return heapq.nlargest(limit, (f for f in fits if isinstance(f, Fit)), key=_order)


def rank_all(
    seekers: Iterable[SeekerProfile], vacancies: Iterable[VacancyProfile], coverage: Coverage, limit: int
) -> dict[int, list[Fit]]:
    """Each seeker's best vacancies at once (for many seekers): the vacancies are indexed
    by region and by their conditions first, so that a seeker is weighed only against the
    vacancies in their reach that their ИПАР leaves open."""
    by_region: dict[int, list[VacancyProfile]] = defaultdict(list)
    remote: list[VacancyProfile] = []
    for vacancy in vacancies:
        (remote if vacancy.remote else by_region[vacancy.region_id]).append(vacancy)
    with_condition: dict[int, set[int]] = defaultdict(set)
    for vacancy in [*remote, *(v for group in by_region.values() for v in group)]:
        for condition in vacancy.conditions:
            with_condition[condition].add(vacancy.id)
    result: dict[int, list[Fit]] = {}
    for seeker in seekers:
        ruled_out: set[int] = set()
        for condition in seeker.contraindications:
            ruled_out |= with_condition.get(condition, set())
        candidates = (
            v
            for v in (*by_region.get(seeker.region_id, ()), *remote)
            if v.id not in ruled_out and in_reach(seeker, v)
        )
        fits = (assess(seeker, v, coverage) for v in candidates)
        result[seeker.id] = heapq.nlargest(limit, (f for f in fits if isinstance(f, Fit)), key=_order)
    return result
