"""Seekers and vacancies read as matching's profiles (`matching.py`), many at a time in a
fixed handful of queries: the rows, then each many-to-many table once, then the
workplaces' statuses through the access app's seam. One seeker or ten thousand cost the
same number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from django.db.models import QuerySet

from qoldau.access import accessibility
from qoldau.jobs.matching import Coverage, SeekerProfile, VacancyProfile
from qoldau.jobs.models import Accommodation, EducationLevel, Seeker, Vacancy

EDUCATION_RANK = {level: rank for rank, level in enumerate(EducationLevel.values)}
# Shared by the profiles without conditions, accommodations or a building: thousands of
# vacancies are read for one seeker's matches.
NONE: frozenset[int] = frozenset()
NO_STATUSES: Mapping[str, str] = MappingProxyType({})


def coverage() -> Coverage:
    """Which categories each accommodation of the catalogue covers (those that cover any)."""
    return {
        pk: frozenset(letters)
        for pk, letters in Accommodation.objects.exclude(covers_categories="").values_list(
            "pk", "covers_categories"
        )
    }


def seeker_profiles(seekers: QuerySet[Seeker]) -> dict[int, SeekerProfile]:
    """The profiles of the seekers of a query, by id (four queries)."""
    occupations: dict[int, set[int]] = defaultdict(set)
    groups: dict[int, set[str]] = defaultdict(set)
    for seeker_id, occupation_id, isco in Seeker.occupations.through.objects.filter(
        seeker__in=seekers.values("pk")
    ).values_list("seeker_id", "occupation_id", "occupation__isco_code"):
        occupations[seeker_id].add(occupation_id)
        groups[seeker_id].add(isco)
    contraindications: dict[int, set[int]] = defaultdict(set)
    for seeker_id, condition_id in Seeker.contraindications.through.objects.filter(
        seeker__in=seekers.values("pk")
    ).values_list("seeker_id", "workingcondition_id"):
        contraindications[seeker_id].add(condition_id)
    needed: dict[int, set[int]] = defaultdict(set)
    for seeker_id, accommodation_id in Seeker.accommodations_needed.through.objects.filter(
        seeker__in=seekers.values("pk")
    ).values_list("seeker_id", "accommodation_id"):
        needed[seeker_id].add(accommodation_id)
    profiles = {}
    for (
        pk,
        region_id,
        district_id,
        pay,
        hours,
        remote_ok,
        education,
        experience,
        categories,
    ) in seekers.values_list(
        "pk",
        "region_id",
        "district_id",
        "pay_wanted",
        "weekly_hours_wanted",
        "remote_ok",
        "education",
        "experience_months",
        "categories_needed",
    ):
        profiles[pk] = SeekerProfile(
            id=pk,
            region_id=region_id,
            district_id=district_id,
            occupations=frozenset(occupations[pk]),
            occupation_groups=frozenset(groups[pk]),
            contraindications=frozenset(contraindications[pk]),
            accommodations_needed=frozenset(needed[pk]),
            categories_needed=frozenset(categories),
            pay_wanted=Decimal(pay) if pay is not None else None,
            weekly_hours_wanted=hours,
            remote_ok=remote_ok,
            education_rank=EDUCATION_RANK.get(education, 0),
            experience_months=experience,
        )
    return profiles


def vacancy_profiles(vacancies: QuerySet[Vacancy]) -> dict[int, VacancyProfile]:
    """The profiles of the vacancies of a query, by id (four queries)."""
    conditions: dict[int, set[int]] = defaultdict(set)
    for vacancy_id, condition_id in Vacancy.conditions.through.objects.filter(
        vacancy__in=vacancies.values("pk")
    ).values_list("vacancy_id", "workingcondition_id"):
        conditions[vacancy_id].add(condition_id)
    offered: dict[int, set[int]] = defaultdict(set)
    for vacancy_id, accommodation_id in Vacancy.accommodations_offered.through.objects.filter(
        vacancy__in=vacancies.values("pk")
    ).values_list("vacancy_id", "accommodation_id"):
        offered[vacancy_id].add(accommodation_id)
    rows = list(
        vacancies.values_list(
            "pk",
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
        )
    )
    statuses = accessibility.statuses_of(vacancies.filter(workplace__isnull=False).values("workplace_id"))
    profiles = {}
    for (
        pk,
        region_id,
        district_id,
        occupation_id,
        isco,
        remote,
        pay_from,
        pay_to,
        hours,
        quota,
        education,
        experience,
        workplace_id,
    ) in rows:
        profiles[pk] = VacancyProfile(
            id=pk,
            region_id=region_id,
            district_id=district_id,
            occupation_id=occupation_id,
            isco_code=isco,
            conditions=frozenset(conditions[pk]) if pk in conditions else NONE,
            accommodations_offered=frozenset(offered[pk]) if pk in offered else NONE,
            statuses=statuses.get(workplace_id, NO_STATUSES),
            remote=remote,
            # A DecimalField's values are Decimals already.
            pay_from=pay_from,
            pay_to=pay_to,
            weekly_hours=hours,
            quota=quota,
            education_rank=EDUCATION_RANK.get(education, -1) if education else -1,
            experience_months_required=experience,
        )
    return profiles
