"""Reads of job fairs: a fair, its funnel (registered → attended → interviewed → referred →
hired, counted by identity) and its registrations, each through `qoldau.jobs.policy`."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record_person_reads
from qoldau.core.errors import NotFound
from qoldau.core.identifiers import validate_bin
from qoldau.core.models import Organisation, Person
from qoldau.jobs import policy
from qoldau.jobs.models import (
    FAIR_STAGES,
    FairEmployer,
    FairReferral,
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


# The organiser's records of one fair ------------------------------------------------------
# Each read below starts from a fair already read through `fair_get_for_organiser`: a
# record of another fair is not found, as one that is not there.


def fair_get_for_organiser(user: Actor, fair_id: int) -> JobFair:
    """One fair the user organises; any other (another organisation's, or one they only
    follow as an officer) is not found, as one that is not there."""
    fair = (
        policy.fairs_organised_by(user)
        .select_related("event__project__organisation", "event__place")
        .filter(pk=fair_id)
        .first()
    )
    if fair is None:
        raise policy.fair_not_found()
    return fair


def projects_for_fairs(user: Actor) -> list[Project]:
    """The projects a user may hold a job fair for."""
    return list(policy.projects_holding_fairs(user).order_by("-starts_on", "pk"))


def fair_person_get(user: Actor, fair: JobFair, person_id: int) -> Person:
    """A person the organiser may register for the fair: one of the organising
    organisation's people whom the user sees (with consent)."""
    person = (
        policy.people_registrable_as_seekers(user)
        .filter(pk=person_id, organisation_id=fair.event.project.organisation_id)
        .first()
    )
    if person is None:
        raise core_policy.person_not_found()
    return person


def fair_employer_by_bin(bin_number: str) -> Organisation:
    """The organisation a BIN names, to register it for a fair (organisations are public
    records); a BIN that fails its check digit is refused as such."""
    employer = Organisation.objects.filter(bin=validate_bin(bin_number, "employer")).first()
    if employer is None:
        raise NotFound(_("There is no organisation with this BIN."), field="employer")
    return employer


def fair_registration_get(user: Actor, fair: JobFair, person_id: int) -> FairSeeker:
    """A person's registration for the fair (the person still seen, with consent)."""
    policy.check_may_organise_fair(user, fair)
    registration = (
        FairSeeker.objects.filter(
            fair=fair, person_id=person_id, person__in=policy.people_registrable_as_seekers(user)
        )
        .select_related("fair__event__project")
        .first()
    )
    if registration is None:
        raise NotFound(_("The person is not registered for this job fair."), field="person")
    return registration


def fair_employer_get(user: Actor, fair: JobFair, employer_id: int) -> FairEmployer:
    """An employer's registration for the fair."""
    policy.check_may_organise_fair(user, fair)
    table = (
        FairEmployer.objects.filter(fair=fair, employer_id=employer_id)
        .select_related("employer", "fair__event__project")
        .first()
    )
    if table is None:
        raise NotFound(_("The employer is not registered for this job fair."), field="employer")
    return table


def fair_slot_get(user: Actor, fair: JobFair, slot_id: int) -> InterviewSlot:
    """An interview slot at one of the fair's tables."""
    policy.check_may_organise_fair(user, fair)
    slot = (
        InterviewSlot.objects.filter(fair_employer__fair=fair, pk=slot_id)
        .select_related("fair_employer__fair__event__project")
        .first()
    )
    if slot is None:
        raise NotFound(_("There is no such interview slot at this job fair."), field="slot")
    return slot


def fair_referral_get(user: Actor, fair: JobFair, referral_id: int) -> FairReferral:
    """A referral made at the fair."""
    policy.check_may_organise_fair(user, fair)
    referral = (
        FairReferral.objects.filter(registration__fair=fair, pk=referral_id)
        .select_related("registration__fair__event__project")
        .first()
    )
    if referral is None:
        raise NotFound(_("There is no such referral from this job fair."), field="referral")
    return referral


def fair_tables(user: Actor, fair: JobFair) -> list[FairEmployer]:
    """The employers registered for a fair (organisations, no people), with their slots,
    for those who see the fair."""
    policy.check_may_see_fair(user, fair)
    return list(
        FairEmployer.objects.filter(fair=fair)
        .select_related("employer")
        .prefetch_related("slots", "vacancies")
        .order_by("pk")
    )


@dataclass(frozen=True)
class FairRecords:
    """What the organiser reads of one fair: the people registered (those whose consent
    holds), the interview slots at each table and the referrals, each with the person's
    registration where the organiser still sees them."""

    registrations: list[FairSeeker]
    slots: list[InterviewSlot]
    referrals: list[FairReferral]

    def registration_of(self, registration_id: int | None) -> FairSeeker | None:
        return next((r for r in self.registrations if r.pk == registration_id), None)


def fair_records(user: Actor, fair: JobFair) -> FairRecords:
    """The organiser's records of a fair; the read of the people is audited (once, by
    `fair_registrations`)."""
    registrations = fair_registrations(user, fair)
    seen = {r.pk: r for r in registrations}
    slots = list(
        InterviewSlot.objects.filter(fair_employer__fair=fair)
        .select_related("fair_employer__employer")
        .order_by("fair_employer_id", "starts_at")
    )
    referrals = list(
        FairReferral.objects.filter(registration__fair=fair)
        .select_related("fair_employer__employer", "vacancy")
        .order_by("pk")
    )
    # A person whose consent was withdrawn stays counted but is shown by nobody's name.
    for slot in slots:
        slot.booked_registration = seen.get(slot.booked_by_id) if slot.booked_by_id else None  # type: ignore[attr-defined]
    for referral in referrals:
        referral.seen_registration = seen.get(referral.registration_id)  # type: ignore[attr-defined]
    return FairRecords(registrations=registrations, slots=slots, referrals=referrals)


# An employer's staff: their tables at fairs ------------------------------------------------


def fair_tables_of_employer(user: Actor, employer: Organisation) -> list[FairEmployer]:
    """The fairs an employer is registered for, the newest first, with how many slots it
    has and how many are booked (never who booked them)."""
    return list(
        policy.fair_tables_staffed_by(user)
        .filter(employer=employer)
        .select_related("fair__event__place")
        .annotate(
            slot_count=Count("slots", distinct=True),
            booked_count=Count("slots", distinct=True, filter=Q(slots__booked_by__isnull=False)),
            referral_count=Count("referrals", distinct=True),
        )
        .order_by("-fair__event__held_on", "-pk")
    )


def fair_table_get_for_staff(user: Actor, table_id: int) -> FairEmployer:
    """An employer's table at a fair, for its staff: the fair, the slots (times, booked or
    not, held or not) and the referrals it made (their vacancy and outcome), without the
    people, whom only the organiser reads."""
    table = (
        policy.fair_tables_staffed_by(user)
        .filter(pk=table_id)
        .select_related("employer", "fair__event__place")
        .prefetch_related(
            "slots",
            "vacancies",
            Prefetch("referrals", queryset=FairReferral.objects.select_related("vacancy").order_by("pk")),
        )
        .first()
    )
    policy.check_may_staff_fair_table(user, table)
    assert table is not None  # the check refuses None  # noqa: S101
    return table
