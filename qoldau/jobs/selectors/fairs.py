"""Reads of job fairs: a fair, its funnel (registered → attended → interviewed → referred →
hired, counted by identity) and its registrations, each through `qoldau.jobs.policy`."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from qoldau.core.access import Actor
from qoldau.core.audit import audit_record_person_reads
from qoldau.jobs import policy
from qoldau.jobs.models import (
    FAIR_STAGES,
    FairEmployer,
    FairSeeker,
    InterviewSlot,
    JobFair,
)
from qoldau.projects.models import Project

# Job fairs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FairFunnel:
    """How far the people registered for one or more fairs went (each stage counts everyone
    who reached it or went further; people by identity, once each across fairs), the
    employers registered and those that came, and the interview slots."""

    registered: int
    attended: int
    interviewed: int
    referred: int
    hired: int
    employers_registered: int
    employers_attended: int
    slots: int
    slots_booked: int
    interviews_held: int

    def stages(self) -> list[tuple[str, int]]:
        """The funnel's stages in order, each with its count."""
        return [(stage, getattr(self, stage)) for stage in FAIR_STAGES]


def _grouped(qs: QuerySet[Any], key: str | None, **counts: Any) -> list[dict[str, Any]]:
    """The counts of a query in one row per `key` (with the key), or in one row for it all."""
    if key is None:
        return [qs.aggregate(**counts)]
    return list(qs.values(key).annotate(**counts).order_by())


def _funnels(fairs: QuerySet[JobFair], by_fair: bool) -> dict[int, FairFunnel]:
    """The funnel of the fairs together (key 0) or of each (by its id): three queries,
    whatever the number of fairs and people."""
    people = _grouped(
        FairSeeker.objects.filter(fair__in=fairs),
        "fair_id" if by_fair else None,
        **{
            stage: Count("person__identity_id", distinct=True, filter=Q(stage__in=FAIR_STAGES[index:]))
            for index, stage in enumerate(FAIR_STAGES)
        },
    )
    employers = _grouped(
        FairEmployer.objects.filter(fair__in=fairs),
        "fair_id" if by_fair else None,
        employers_registered=Count("employer_id", distinct=True),
        employers_attended=Count("employer_id", distinct=True, filter=Q(attended=True)),
    )
    slots = _grouped(
        InterviewSlot.objects.filter(fair_employer__fair__in=fairs),
        "fair_employer__fair_id" if by_fair else None,
        slots=Count("pk"),
        slots_booked=Count("pk", filter=Q(booked_by__isnull=False)),
        interviews_held=Count("pk", filter=Q(outcome=InterviewSlot.Outcome.HELD)),
    )
    found: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in [*people, *employers, *slots]:
        fair_id = row.pop("fair_id", None) or row.pop("fair_employer__fair_id", None) or 0
        found[fair_id].update({name: value or 0 for name, value in row.items()})
    fields = [f.name for f in dataclasses.fields(FairFunnel)]
    return {key: FairFunnel(**{name: counts[name] for name in fields}) for key, counts in found.items()}


EMPTY_FUNNEL = FairFunnel(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def fair_get_for_user(user: Actor, fair_id: int) -> JobFair:
    """One fair the user may see, with its event."""
    fair = (
        policy.fairs_visible(user)
        .select_related("event__project__organisation", "event__place")
        .filter(pk=fair_id)
        .first()
    )
    if fair is None:
        raise policy.fair_not_found()
    return fair


def fair_funnel(user: Actor, fair: JobFair) -> FairFunnel:
    """One fair's funnel, for those who see the fair (counts only, no names)."""
    policy.check_may_see_fair(user, fair)
    return _funnels(JobFair.objects.filter(pk=fair.pk), by_fair=False).get(0, EMPTY_FUNNEL)


@dataclass(frozen=True)
class FairLine:
    fair: JobFair
    funnel: FairFunnel


@dataclass(frozen=True)
class FairsFunnel:
    fairs: list[FairLine]
    total: FairFunnel


def fairs_funnel(user: Actor, project: Project | None = None) -> FairsFunnel:
    """The funnel of each fair the user sees (of one project, if given), oldest first,
    and of all of them together, in which a person who came to two fairs counts once."""
    fairs = policy.fairs_visible(user)
    if project is not None:
        fairs = fairs.filter(event__project=project)
    fairs = fairs.select_related("event__place").order_by("event__held_on", "pk")
    each = _funnels(fairs, by_fair=True)
    lines = [FairLine(fair, each.get(fair.pk, EMPTY_FUNNEL)) for fair in fairs]
    return FairsFunnel(fairs=lines, total=_funnels(fairs, by_fair=False).get(0, EMPTY_FUNNEL))


def fair_registrations(user: Actor, fair: JobFair) -> list[FairSeeker]:
    """The people registered for a fair and how far each went, for its organisers (and
    only those whose consent holds); the read is audited."""
    policy.check_may_organise_fair(user, fair)
    registrations = list(
        FairSeeker.objects.filter(fair=fair, person__in=policy.people_registrable_as_seekers(user))
        .select_related("person")
        .order_by("pk")
    )
    audit_record_person_reads(user, "fair.registrations", [r.person_id for r in registrations])
    return registrations
