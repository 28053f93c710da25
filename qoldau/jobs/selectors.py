"""Reads of employment, each with its access check through `qoldau.jobs.policy` (a record
the user may not see answers as one that is not there). A read that shows people writes the
audit rows of that read."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import Actor
from qoldau.core.audit import audit_record, audit_record_person_reads
from qoldau.core.identifiers import validate_bin
from qoldau.core.models import Organisation, Place
from qoldau.jobs import figures, matching, policy, profiles, quota, retention
from qoldau.jobs.models import (
    FAIR_STAGES,
    Accommodation,
    CaseNote,
    CoachingCase,
    FairEmployer,
    FairSeeker,
    InterviewSlot,
    JobFair,
    Occupation,
    Proposal,
    RetentionFollowUp,
    Seeker,
    Vacancy,
)
from qoldau.projects.models import Project

DEFAULT_MATCHES = 20


# Seekers ----------------------------------------------------------------------------------


def seeker_get_for_user(user: Actor, seeker_id: int) -> Seeker:
    """One seeker the user may read, with their person; the read is audited."""
    seeker = (
        policy.seekers_visible(user)
        .select_related("person", "region", "district")
        .filter(pk=seeker_id)
        .first()
    )
    if seeker is None:
        raise policy.seeker_not_found()
    audit_record(
        user,
        "seeker.read",
        object_type="seeker",
        object_id=seeker.pk,
        person_id=seeker.person_id,
        organisation_id=seeker.person.organisation_id,
    )
    return seeker


def seekers_sent_to_employer(user: Actor, employer: Organisation) -> QuerySet[Seeker]:
    """The seekers a coach sent to one of the employer's vacancies (its staff's view:
    never the pool)."""
    if not policy.may_staff_employer(user, employer):
        raise policy.employer_not_found()
    return (
        policy.seekers_visible(user)
        .filter(proposals__vacancy__employer=employer, proposals__sent_on__isnull=False)
        .distinct()
        .select_related("person")
    )


# Vacancies --------------------------------------------------------------------------------


def vacancy_get_for_user(user: Actor, vacancy_id: int) -> Vacancy:
    vacancy = (
        policy.vacancies_visible(user)
        .select_related("employer", "occupation", "region", "district")
        .filter(pk=vacancy_id)
        .first()
    )
    if vacancy is None:
        raise policy.vacancy_not_found()
    return vacancy


def vacancies_of_employer(user: Actor, employer: Organisation) -> QuerySet[Vacancy]:
    """An employer's vacancies, for its staff (drafts and closed ones included)."""
    if not policy.may_staff_employer(user, employer):
        raise policy.employer_not_found()
    return policy.vacancies_managed_by(user).filter(employer=employer).select_related("occupation")


def employer_by_bin(user: Actor, bin_number: str) -> Organisation:
    """The employer a BIN names, among those whose staff the user reports; a BIN that fails
    its check digit is refused as such."""
    number = validate_bin(bin_number)
    employer = policy.employers_reportable_by(user).filter(bin=number).first()
    if employer is None:
        raise policy.employer_not_found()
    return employer


def occupation_by_code(code: str) -> Occupation | None:
    return Occupation.objects.filter(code=code.strip(), active=True).first()


# Matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyMatch:
    vacancy: Vacancy
    fit: matching.Fit


@dataclass(frozen=True)
class SeekerMatch:
    seeker: Seeker
    fit: matching.Fit


def matches_for_seeker(user: Actor, seeker: Seeker, limit: int = DEFAULT_MATCHES) -> list[VacancyMatch]:
    """Open vacancies ranked by fit for a seeker the user works with: those in their region
    (and remote ones, if they would work remotely), never one a hard rule keeps from them
    (a contraindicated condition is left out by the database already). A fixed number of
    queries whatever the number of vacancies."""
    policy.check_may_work_with_seeker(user, seeker)
    profile = profiles.seeker_profiles(Seeker.objects.filter(pk=seeker.pk))[seeker.pk]
    where = Q(region_id=profile.region_id)
    if profile.remote_ok:
        where |= Q(remote=True)
    candidates = Vacancy.objects.filter(where, status=Vacancy.Status.OPEN)
    if profile.contraindications:
        candidates = candidates.exclude(conditions__in=profile.contraindications)
    fits = matching.rank_vacancies(
        profile, profiles.vacancy_profiles(candidates).values(), profiles.coverage(), limit
    )
    vacancies = Vacancy.objects.select_related("employer", "occupation").in_bulk([f.vacancy_id for f in fits])
    return [VacancyMatch(vacancies[f.vacancy_id], f) for f in fits]


def matches_for_vacancy(user: Actor, vacancy: Vacancy, limit: int = DEFAULT_MATCHES) -> list[SeekerMatch]:
    """Active seekers of the user's pool ranked by fit for a vacancy: only people the
    user's organisation serves (an employer's staff, who have no pool, get none), never one
    a hard rule keeps the vacancy from. The people shown are audited."""
    policy.check_may_see_vacancy(user, vacancy)
    vacancy_profile = profiles.vacancy_profiles(Vacancy.objects.filter(pk=vacancy.pk))[vacancy.pk]
    where = Q(region_id=vacancy_profile.region_id)
    if vacancy_profile.remote:
        where |= Q(remote_ok=True)
    candidates = policy.seekers_in_pool(user).filter(where, status=Seeker.Status.ACTIVE)
    if vacancy_profile.conditions:
        candidates = candidates.exclude(contraindications__in=vacancy_profile.conditions)
    fits = matching.rank_seekers(
        vacancy_profile, profiles.seeker_profiles(candidates).values(), profiles.coverage(), limit
    )
    seekers = Seeker.objects.select_related("person").in_bulk([f.seeker_id for f in fits])
    audit_record_person_reads(user, "seeker.match", [seekers[f.seeker_id].person_id for f in fits])
    return [SeekerMatch(seekers[f.seeker_id], f) for f in fits]


def matches_for_many(
    seekers: QuerySet[Seeker], vacancies: QuerySet[Vacancy], limit: int = DEFAULT_MATCHES
) -> dict[int, list[matching.Fit]]:
    """Each seeker's best vacancies, for many seekers at once (a background job or the
    benchmark; it asks no policy, so its callers must). Profiles load in eight queries."""
    return matching.rank_all(
        profiles.seeker_profiles(seekers).values(),
        profiles.vacancy_profiles(vacancies).values(),
        profiles.coverage(),
        limit,
    )


# Why a job fits, in words -----------------------------------------------------------------

REASON_SENTENCES: dict[str, Promise] = {
    "occupation_wanted": _("The occupation is one the person wants: %(occupation)s."),
    "occupation_related": _("The occupation is close to one the person wants (ISCO-08 group %(group)s)."),
    "same_district": _("The job is in the person's district."),
    "same_region": _("The job is in the person's region."),
    "remote": _("The work is remote."),
    "pay_meets": _("The pay, up to %(pay)s tenge, meets what the person wants (%(wanted)s tenge)."),
    "pay_close": _("The pay, up to %(pay)s tenge, is close to what the person wants (%(wanted)s tenge)."),
    "hours_fit": _("The hours, %(hours)s a week, fit what the person wants."),
    "qualifications_fit": _("The person's education and experience meet the requirements."),
    "accommodations_offered": _("The employer offers accommodations the person needs: %(accommodations)s."),
    "accessible": _("The workplace is accessible for category %(category)s."),
    "accessible_with": _(
        "The workplace is made accessible for category %(category)s by: %(accommodations)s."
    ),
    "quota_job": _("It is a quota job, kept for people with disabilities."),
}


@dataclass(frozen=True)
class Explanation:
    """Why a job fits and what it needs, in the reader's language."""

    reasons: list[str]
    offered: list[str]
    to_arrange: list[str]


def explain(reasons: Iterable[Mapping[str, Any]], needs: Mapping[str, Any]) -> Explanation:
    """A fit's reasons (`Fit.reasons` as JSON, or a proposal's) and needs as sentences, the
    names of occupations and accommodations looked up in two queries."""
    reasons = list(reasons)
    accommodation_ids: set[int] = set(needs.get("offered", [])) | set(needs.get("to_arrange", []))
    occupation_ids: set[int] = set()
    for reason in reasons:
        params = reason.get("params", {})
        accommodation_ids.update(params.get("accommodations", []))
        if "occupation" in params:
            occupation_ids.add(params["occupation"])
    accommodations = {a.pk: a.name for a in Accommodation.objects.filter(pk__in=accommodation_ids)}
    occupations = {o.pk: o.name for o in Occupation.objects.filter(pk__in=occupation_ids)}

    def names(ids: Iterable[int]) -> str:
        return ", ".join(accommodations.get(i, "?") for i in ids)

    sentences = []
    for reason in reasons:
        template = REASON_SENTENCES.get(reason.get("code", ""))
        if template is None:
            continue
        params = dict(reason.get("params", {}))
        if "accommodations" in params:
            params["accommodations"] = names(params["accommodations"])
        if "occupation" in params:
            params["occupation"] = occupations.get(params["occupation"], "?")
        sentences.append(str(template) % params if params else str(template))
    return Explanation(
        reasons=sentences,
        offered=[accommodations.get(i, "?") for i in needs.get("offered", [])],
        to_arrange=[accommodations.get(i, "?") for i in needs.get("to_arrange", [])],
    )


def explain_fit(fit: matching.Fit) -> Explanation:
    return explain([r.as_json() for r in fit.reasons], fit.needs_json())


# The pipeline -----------------------------------------------------------------------------


def proposals_of_vacancy(user: Actor, vacancy: Vacancy) -> QuerySet[Proposal]:
    """A vacancy's proposals the user may read (an employer's staff: those sent to it)."""
    policy.check_may_see_vacancy(user, vacancy)
    return policy.proposals_visible(user).filter(vacancy=vacancy).select_related("seeker__person")


def proposals_of_seeker(user: Actor, seeker: Seeker) -> QuerySet[Proposal]:
    policy.check_may_work_with_seeker(user, seeker)
    return Proposal.objects.filter(seeker=seeker).select_related("vacancy__employer")


# Job coaching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadLine:
    case: CoachingCase
    follow_ups_overdue: int


def caseload(user: Actor, today: dt.date | None = None) -> list[CaseloadLine]:
    """The open cases a user coaches, each with its stage, next step and overdue
    follow-ups (due, unrecorded, of a placement still going on), the next step due first."""
    day = today or timezone.localdate()
    cases = (
        policy.cases_coached_by(user)
        .filter(closed_on__isnull=True)
        .select_related("seeker__person")
        .annotate(
            overdue=Count(
                "placements__follow_ups",
                filter=Q(
                    placements__follow_ups__outcome="",
                    placements__follow_ups__due_on__lt=day,
                    placements__ended_on__isnull=True,
                ),
            )
        )
        .order_by("next_step_due", "opened_on", "pk")
    )
    lines = [CaseloadLine(case, case.overdue) for case in cases]
    audit_record_person_reads(user, "case.list", [line.case.seeker.person_id for line in lines])
    return lines


def follow_ups_due(user: Actor, until: dt.date) -> QuerySet[RetentionFollowUp]:
    """Follow-ups of the cases a user coaches, unrecorded, due by `until`, of placements
    still going on: the reminders' list."""
    return (
        RetentionFollowUp.objects.filter(
            placement__case__in=policy.cases_coached_by(user),
            outcome="",
            due_on__lte=until,
            placement__ended_on__isnull=True,
        )
        .select_related("placement__seeker__person", "placement__employer")
        .order_by("due_on", "pk")
    )


def case_notes(user: Actor, case: CoachingCase) -> QuerySet[CaseNote]:
    """A case's notes, for those who coach it; the read is audited."""
    policy.check_may_coach_case(user, case)
    audit_record(
        user,
        "case.notes_read",
        object_type="coaching_case",
        object_id=case.pk,
        person_id=case.seeker.person_id,
    )
    return policy.case_notes_visible(user).filter(case=case)


def retention_of_organisation(
    user: Actor, organisation: Organisation, months: int, as_of: dt.date | None = None, cohort: str = "month"
) -> list[retention.CohortRetention]:
    """Retention at `months` of the placements of the organisation's seekers, by placement
    cohort; placements too recent to judge are counted apart (censored), not as failures."""
    placements = policy.placements_visible(user).filter(seeker__person__organisation=organisation)
    return retention.retention_by_cohort(
        figures.retention_outcomes(placements, cohort), months, as_of or timezone.localdate()
    )


# The quota --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployerCompliance:
    employer: Organisation
    compliance: quota.Compliance


def quota_compliance_of_region(user: Actor, region: Place, year: int) -> list[EmployerCompliance]:
    """The quota of a region's employers that reported their staff for the year, the
    largest shortfall first (for the region's akimat officers and the ministry)."""
    policy.check_may_follow_quota_in(user, region)
    employers = Organisation.objects.filter(region=region)
    found = figures.compliance_of(employers, year)
    by_id = Organisation.objects.in_bulk([c.employer_id for c in found])
    ordered = sorted(found, key=lambda c: (-c.shortfall, -c.required, by_id[c.employer_id].name_kk))
    return [EmployerCompliance(by_id[c.employer_id], c) for c in ordered]


def quota_history(user: Actor, employer: Organisation, years: Iterable[int]) -> list[quota.Compliance]:
    """An employer's quota year by year (the years it reported its staff)."""
    policy.check_may_see_quota_of(user, employer)
    employers = Organisation.objects.filter(pk=employer.pk)
    history = [c for year in sorted(set(years)) for c in figures.compliance_of(employers, year)]
    return history


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


# Public figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EmploymentSummary:
    """A region's employment figures for a year, exact (the public answer rounds them and
    hides small ones). People are counted once each, by identity, across organisations."""

    seekers: int
    coached: int
    placed: int
    retained_6_months: int
    quota_required: int
    quota_filled: int


def employment_summary(region: Place, year: int) -> EmploymentSummary:
    """Seekers registered in the year; people coached (a case open at some time in the
    year); people placed (a job started in the year); people still employed at their
    six-month follow-up recorded in the year; and the quota of the region's employers that
    reported their staff for the year. Seven queries."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def people(seekers: QuerySet[Seeker]) -> int:
        return seekers.values("person__identity_id").distinct().count()

    in_region = Seeker.objects.filter(region=region)
    coached = in_region.filter(cases__opened_on__lte=last).filter(
        Q(cases__closed_on__isnull=True) | Q(cases__closed_on__gte=first)
    )
    placed = in_region.filter(placements__start_date__range=(first, last))
    retained = in_region.filter(
        placements__follow_ups__months=6,
        placements__follow_ups__outcome=RetentionFollowUp.Outcome.EMPLOYED,
        placements__follow_ups__due_on__range=(first, last),
    )
    employers = figures.compliance_of(Organisation.objects.filter(region=region), year)
    return EmploymentSummary(
        seekers=people(in_region.filter(registered_on__range=(first, last))),
        coached=people(coached),
        placed=people(placed),
        retained_6_months=people(retained),
        quota_required=sum(c.required for c in employers if not c.exemption),
        quota_filled=sum(c.filled for c in employers if not c.exemption),
    )
