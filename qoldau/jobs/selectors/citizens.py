"""A citizen's own job search, read through their own account: their seeker, the vacancies
that fit them and why, and the proposals made to them. Each read asks `jobs.policy` for
the citizen's own records: anyone else's answer as not there."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from qoldau.core import policy as core_policy
from qoldau.core import selectors as core_selectors
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record_person_reads
from qoldau.core.models import Organisation
from qoldau.jobs import policy
from qoldau.jobs.models import (
    Accommodation,
    CoachingCase,
    FairSeeker,
    Occupation,
    Proposal,
    Seeker,
    WorkingCondition,
)
from qoldau.jobs.selectors.employment import (
    MatchLine,
    ProposalLine,
    explain,
    explain_fit,
    ranked_vacancies_for,
)

OWN_MATCHES = 20


def own_seeker(user: Actor) -> Seeker | None:
    """The seeker a citizen is (one per account), or None before they register."""
    return (
        policy.seekers_of_citizen(user)
        .select_related("person__organisation", "region", "district")
        .order_by("-pk")
        .first()
    )


def own_seeker_get(user: Actor) -> Seeker:
    seeker = own_seeker(user)
    if seeker is None:
        raise policy.seeker_not_found()
    return seeker


@dataclass(frozen=True)
class OwnProfile:
    seeker: Seeker
    occupations: list[Occupation]
    contraindications: list[WorkingCondition]
    accommodations_needed: list[Accommodation]
    # The IIN the citizen typed waits for the organisation's staff to confirm it.
    iin_to_confirm: bool


def own_profile(user: Actor) -> OwnProfile | None:
    seeker = own_seeker(user)
    if seeker is None:
        return None
    return OwnProfile(
        seeker=seeker,
        occupations=list(seeker.occupations.all()),
        contraindications=list(seeker.contraindications.all()),
        accommodations_needed=list(seeker.accommodations_needed.all()),
        iin_to_confirm=bool(core_selectors.iin_to_confirm([seeker.person_id])),
    )


def own_fair_registrations(user: Actor) -> list[FairSeeker]:
    """The job fairs the citizen's organisations registered them for, the latest first,
    with the furthest stage they reached."""
    return list(
        FairSeeker.objects.filter(person__in=core_policy.people_of_citizen(user))
        .select_related("fair__event")
        .order_by("-fair__event__held_on", "-pk")[:50]
    )


def own_matches(user: Actor) -> list[MatchLine]:
    """The open vacancies that fit the citizen, best first, each with why it fits and what
    accommodation it needs (the coach's ranking, never one a hard rule keeps from them);
    none while they are not looking for work."""
    seeker = own_seeker_get(user)
    if seeker.status != Seeker.Status.ACTIVE:
        return []
    proposed = set(
        Proposal.objects.filter(seeker=seeker)
        .exclude(state=Proposal.State.DECLINED)
        .values_list("vacancy_id", flat=True)
    )
    return [
        MatchLine(match, explain_fit(match.fit), match.vacancy.pk in proposed)
        for match in ranked_vacancies_for(seeker, OWN_MATCHES)
    ]


def own_proposals(user: Actor) -> list[ProposalLine]:
    """The proposals made to the citizen, newest first, with where each stands."""
    proposals = policy.proposals_of_citizen(user).select_related("vacancy__employer", "vacancy__district")
    return [ProposalLine(p, explain(p.reasons, p.needs)) for p in proposals]


def own_proposal_get(user: Actor, proposal_id: int) -> Proposal:
    proposal = (
        policy.proposals_of_citizen(user)
        .select_related("seeker__person", "vacancy")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise policy.proposal_not_found()
    return proposal


def organisations_for_self_registration() -> QuerySet[Organisation]:
    """The organisations a citizen may register with as a job seeker, by region and name."""
    return (
        policy.organisations_offering_employment_support()
        .select_related("region")
        .order_by("region__kato", "name_kk", "pk")
    )


# What the organisation's staff see of the seekers who registered themselves -------------


@dataclass(frozen=True)
class SelfRegistered:
    seeker: Seeker
    iin_to_confirm: bool


def self_registered_waiting(user: Actor) -> list[SelfRegistered]:
    """The seekers of the user's pool who registered themselves and have no open coaching
    case yet, oldest first, each saying whether their IIN waits for confirmation. The
    people shown are audited."""
    seekers = list(
        policy.seekers_in_pool(user)
        .filter(person__citizen_record__isnull=False)
        .exclude(Exists(CoachingCase.objects.filter(seeker=OuterRef("pk"), closed_on__isnull=True)))
        .select_related("person", "region", "district")
        .order_by("registered_on", "pk")[:100]
    )
    to_confirm = core_selectors.iin_to_confirm(s.person_id for s in seekers)
    audit_record_person_reads(user, "seeker.list_self_registered", [s.person_id for s in seekers])
    return [SelfRegistered(s, s.person_id in to_confirm) for s in seekers]
