"""Reads of employment (seekers, vacancies, matching, the pipeline, job coaching, the quota
and the public figures), each with its access check through `qoldau.jobs.policy` (a record
the user may not see answers as one that is not there). A read that shows people writes the
audit rows of that read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.access import accessibility
from qoldau.core import selectors as core_selectors
from qoldau.core.access import Actor
from qoldau.core.audit import audit_record, audit_record_person_reads
from qoldau.core.errors import ErrorCode, NotFound, ValidationFailed
from qoldau.core.identifiers import validate_bin
from qoldau.core.models import Organisation, Place
from qoldau.jobs import figures, matching, policy, profiles, quota, retention, rules
from qoldau.jobs.models import (
    Accommodation,
    CaseNote,
    CoachingCase,
    CoachingSession,
    Occupation,
    Placement,
    Proposal,
    RetentionFollowUp,
    Seeker,
    StaffReport,
    Vacancy,
    WorkingCondition,
)
from qoldau.projects import selectors as project_selectors
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


@dataclass(frozen=True)
class VacancySearch:
    """The public search's filters: where (a region, a district), what (an occupation), a
    category of accessibility the job must be accessible for, quota jobs only, remote work
    only. Empty means any."""

    region: Place | None = None
    district: Place | None = None
    occupation: Occupation | None = None
    category: str = ""
    quota: bool = False
    remote: bool = False


def vacancies_open(user: Actor, search: VacancySearch) -> QuerySet[Vacancy]:
    """Open vacancies (opened, not past their closing day) that the search selects, the
    newest first. Accessible for a category means as matching's hard rule has it: remote
    work, a workplace whose passport says accessible, or an accommodation offered that
    covers the category."""
    today = timezone.localdate()
    vacancies = (
        policy.vacancies_visible(user)
        .filter(status=Vacancy.Status.OPEN, opens_on__lte=today)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
    )
    if search.region is not None:
        vacancies = vacancies.filter(region=search.region)
    if search.district is not None:
        vacancies = vacancies.filter(district=search.district)
    if search.occupation is not None:
        vacancies = vacancies.filter(occupation=search.occupation)
    if search.quota:
        vacancies = vacancies.filter(quota=True)
    if search.remote:
        vacancies = vacancies.filter(remote=True)
    if search.category:
        covered = Exists(
            Vacancy.accommodations_offered.through.objects.filter(
                vacancy_id=OuterRef("pk"), accommodation__covers_categories__contains=search.category
            )
        )
        vacancies = vacancies.filter(
            Q(remote=True)
            | Q(workplace_id__in=accessibility.accessible_object_ids(search.category))
            | covered
        )
    return vacancies.select_related("employer", "occupation", "region", "district").order_by(
        "-opens_on", "-pk"
    )


def vacancy_search(
    *,
    region_kato: str = "",
    district_id: int | None = None,
    occupation_code: str = "",
    category: str = "",
    quota: bool = False,
    remote: bool = False,
) -> VacancySearch:
    """The API's search filters resolved: a region by its KATO code, a district by its id,
    an occupation by its code, a category by its letter. One that names nothing is refused
    (the pages drop it instead, so that an old link still opens)."""
    region = core_selectors.region_by_kato(region_kato) if region_kato else None
    district = None
    if district_id is not None:
        district = Place.objects.filter(pk=district_id, level=Place.Level.DISTRICT).first()
        if district is None:
            raise NotFound(_("There is no district %(id)s."), field="district", params={"id": district_id})
    occupation = rules.occupation_by_code(occupation_code, "occupation") if occupation_code else None
    letter = ""
    if category:
        letter = accessibility.category_code(category) or ""
        if not letter:
            raise ValidationFailed(
                _("Unknown category %(category)s: use К, О, С, Г or У."),
                field="category",
                code=ErrorCode.INVALID_CHOICE,
                params={"category": category},
            )
    return VacancySearch(
        region=region, district=district, occupation=occupation, category=letter, quota=quota, remote=remote
    )


def occupations_with_open_vacancies() -> QuerySet[Occupation]:
    """The occupations of open vacancies: the search's choice of occupation."""
    return Occupation.objects.filter(
        vacancies__status=Vacancy.Status.OPEN, vacancies__opens_on__lte=timezone.localdate()
    ).distinct()


@dataclass(frozen=True)
class CategoryAccess:
    """How a job is accessible for one category: `how` is "remote", "building",
    "accommodation" or "" (not accessible); the building's public status beside it."""

    category: str
    label: str
    how: str
    building_status: str
    building_status_label: str
    accommodations: list[str]


@dataclass(frozen=True)
class VacancyDetail:
    vacancy: Vacancy
    conditions: list[WorkingCondition]
    accommodations: list[Accommodation]
    workplace: accessibility.PublicObject | None
    access: list[CategoryAccess]


def vacancy_detail(user: Actor, vacancy_id: int) -> VacancyDetail:
    """A vacancy's page: what the job is, its conditions and accommodations, and the
    workplace's accessibility for each category (the building's passport, remote work or an
    accommodation offered that covers the category)."""
    vacancy = vacancy_get_for_user(user, vacancy_id)
    conditions = list(vacancy.conditions.all())
    accommodations = list(vacancy.accommodations_offered.select_related("limitation__impairment"))
    workplace = (
        accessibility.object_public(vacancy.workplace_id) if vacancy.workplace_id is not None else None
    )
    statuses = dict(accessibility.STATUS_CHOICES)
    access = []
    for category, label in accessibility.CATEGORY_CHOICES:
        building = workplace.statuses[category] if workplace is not None else accessibility.UNKNOWN
        covering = [a.name for a in accommodations if category in a.covers_categories]
        if vacancy.remote:
            how = "remote"
        elif building == accessibility.ACCESSIBLE:
            how = "building"
        elif covering:
            how = "accommodation"
        else:
            how = ""
        access.append(
            CategoryAccess(
                category=category,
                label=str(label),
                how=how,
                building_status=building,
                building_status_label=str(statuses[building]),
                accommodations=covering if how == "accommodation" else [],
            )
        )
    return VacancyDetail(vacancy, conditions, accommodations, workplace, access)


def vacancies_of_employer(user: Actor, employer: Organisation) -> QuerySet[Vacancy]:
    """An employer's vacancies, for its staff (drafts and closed ones included)."""
    if not policy.may_staff_employer(user, employer):
        raise policy.employer_not_found()
    return policy.vacancies_managed_by(user).filter(employer=employer).select_related("occupation")


def employers_of_staff(user: Actor) -> QuerySet[Organisation]:
    """The employers whose vacancies the user posts (an administrator's many, in pages)."""
    return policy.employers_staffed_by(user).order_by("name_kk", "pk")


def employer_get_for_staff(user: Actor, employer_id: int) -> Organisation:
    employer = policy.employers_staffed_by(user).filter(pk=employer_id).first()
    if employer is None:
        raise policy.employer_not_found()
    return employer


def vacancy_get_for_staff(user: Actor, vacancy_id: int) -> Vacancy:
    """One vacancy the user manages (its employer's staff), with what its form shows."""
    vacancy = (
        policy.vacancies_managed_by(user)
        .select_related("employer", "occupation", "region", "district")
        .prefetch_related("conditions", "accommodations_offered")
        .filter(pk=vacancy_id)
        .first()
    )
    if vacancy is None:
        raise policy.vacancy_not_found()
    return vacancy


def proposals_sent_for_vacancy(user: Actor, vacancy: Vacancy) -> list[ProposalLine]:
    """The seekers a coach sent to a vacancy the user manages, with why the job fits them
    and what it needs: the employer's view, never the pool. The people shown are audited."""
    policy.check_may_manage_vacancy(user, vacancy)
    proposals = list(
        policy.proposals_answered_by(user)
        .filter(vacancy=vacancy)
        .select_related("seeker__person")
        .order_by("-sent_on", "-pk")
    )
    audit_record_person_reads(user, "seeker.sent_read", [p.seeker.person_id for p in proposals])
    return [ProposalLine(p, explain(p.reasons, p.needs)) for p in proposals]


def proposal_get_for_employer(user: Actor, proposal_id: int) -> Proposal:
    """A proposal sent to a vacancy the user answers for; one not sent yet is not found."""
    proposal = (
        policy.proposals_answered_by(user)
        .select_related("seeker__person", "vacancy")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise policy.proposal_not_found()
    return proposal


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
    return ranked_vacancies_for(seeker, limit)


def ranked_vacancies_for(seeker: Seeker, limit: int = DEFAULT_MATCHES) -> list[VacancyMatch]:
    """`matches_for_seeker` without its access check, for the callers that made their own
    (a citizen's own matches)."""
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


def case_get_for_coach(user: Actor, case_id: int) -> CoachingCase:
    """One case the user coaches, with its seeker's person; the read is audited."""
    case = (
        policy.cases_coached_by(user)
        .select_related("seeker__person", "seeker__region", "seeker__district", "coach")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise policy.case_not_found()
    audit_record(
        user,
        "case.read",
        object_type="coaching_case",
        object_id=case.pk,
        person_id=case.seeker.person_id,
        organisation_id=case.seeker.person.organisation_id,
    )
    return case


@dataclass(frozen=True)
class MatchLine:
    match: VacancyMatch
    explanation: Explanation
    proposed: bool


@dataclass(frozen=True)
class ProposalLine:
    proposal: Proposal
    explanation: Explanation


@dataclass(frozen=True)
class CaseOverview:
    """A job coach's page of one case: the seeker's profile, the vacancies that fit and
    why, the pipeline of proposals, the placements with their follow-ups, the sessions and
    the notes, and the projects the work is recorded for."""

    case: CoachingCase
    occupations: list[Occupation]
    contraindications: list[WorkingCondition]
    accommodations_needed: list[Accommodation]
    matches: list[MatchLine]
    proposals: list[ProposalLine]
    placements: list[Placement]
    sessions: list[CoachingSession]
    notes: list[CaseNote]
    projects: list[Project]
    # The person registered themselves and their IIN waits for the staff to confirm it.
    iin_to_confirm: bool = False


def case_overview(user: Actor, case_id: int) -> CaseOverview:
    case = case_get_for_coach(user, case_id)
    seeker = case.seeker
    proposals = list(proposals_of_seeker(user, seeker))
    proposed = {p.vacancy_id for p in proposals if p.state != Proposal.State.DECLINED}
    matches = (
        matches_for_seeker(user, seeker)
        if seeker.status == Seeker.Status.ACTIVE and case.closed_on is None
        else []
    )
    placements = list(
        policy.placements_visible(user)
        .filter(case=case)
        .select_related("employer", "vacancy", "programme")
        .prefetch_related("follow_ups")
    )
    return CaseOverview(
        case=case,
        occupations=list(seeker.occupations.all()),
        contraindications=list(seeker.contraindications.all()),
        accommodations_needed=list(seeker.accommodations_needed.all()),
        matches=[MatchLine(m, explain_fit(m.fit), m.vacancy.pk in proposed) for m in matches],
        proposals=[ProposalLine(p, explain(p.reasons, p.needs)) for p in proposals],
        placements=placements,
        sessions=list(case.sessions.all()[:20]),
        notes=list(case_notes(user, case)[:20]),
        projects=list(
            project_selectors.projects_recordable(user).filter(organisation_id=seeker.person.organisation_id)
        ),
        iin_to_confirm=bool(core_selectors.iin_to_confirm([seeker.person_id])),
    )


def proposal_get_for_coach(user: Actor, seeker: Seeker, proposal_id: int) -> Proposal:
    """One of a seeker's proposals, for the staff who work with them."""
    proposal = (
        policy.proposals_coached_by(user)
        .select_related("seeker__person", "vacancy")
        .filter(pk=proposal_id, seeker=seeker)
        .first()
    )
    if proposal is None:
        raise policy.proposal_not_found()
    return proposal


def proposal_get_for_user(user: Actor, proposal_id: int) -> Proposal:
    """A proposal the user reads: of a seeker they work with, or sent to their employer."""
    proposal = (
        policy.proposals_visible(user)
        .select_related("seeker__person", "vacancy")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise policy.proposal_not_found()
    return proposal


def follow_up_get_for_user(user: Actor, follow_up_id: int) -> RetentionFollowUp:
    """A follow-up of a case the user coaches."""
    follow_up = (
        RetentionFollowUp.objects.filter(pk=follow_up_id, placement__case__in=policy.cases_coached_by(user))
        .select_related("placement__case__seeker__person")
        .first()
    )
    if follow_up is None:
        raise policy.placement_not_found()
    return follow_up


def follow_up_get_for_coach(user: Actor, case: CoachingCase, follow_up_id: int) -> RetentionFollowUp:
    """One follow-up of a placement of a case the user coaches."""
    follow_up = (
        RetentionFollowUp.objects.filter(pk=follow_up_id, placement__case=case)
        .select_related("placement__case__seeker__person")
        .first()
    )
    if follow_up is None or not policy.may_coach_case(user, case):
        raise policy.case_not_found()
    return follow_up


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


def quota_regions(user: Actor) -> list[Place]:
    """The regions whose quota the user follows; refused when there is none."""
    regions = list(policy.regions_quota_followed_by(user).order_by("kato"))
    if not regions:
        policy.check_may_follow_quota_in(user, None)
    return regions


def employer_quota_history(user: Actor, employer_id: int) -> tuple[Organisation, list[quota.Compliance]]:
    """An employer whose quota the user reads, and its quota in every year it reported
    its staff, the latest first."""
    employer = policy.employers_quota_visible(user).filter(pk=employer_id).first()
    if employer is None:
        raise policy.employer_not_found()
    years = [day.year for day in StaffReport.objects.filter(employer=employer).dates("as_of", "year")]
    return employer, sorted(quota_history(user, employer, years), key=lambda c: -c.year)


def employer_get_for_staff_report(user: Actor, employer_id: int) -> Organisation:
    """An employer whose staff the user reports (its own staff, its region's akimat
    officers); any other answers as one that is not there."""
    employer = policy.employers_reportable_by(user).filter(pk=employer_id).first()
    if employer is None:
        raise policy.employer_not_found()
    return employer


def staff_reports_of(user: Actor, employer: Organisation) -> QuerySet[StaffReport]:
    """An employer's staff reports, the latest first, for those who report its staff."""
    if not policy.may_report_staff_of(user, employer):
        raise policy.employer_not_found()
    return (
        StaffReport.objects.filter(employer=employer).select_related("recorded_by").order_by("-as_of", "-pk")
    )


@dataclass(frozen=True)
class RegionCompliance:
    """A region's employers' quota for a year, added up: the employers that reported
    their staff, and the quota jobs required and filled by those not exempt (an exempt
    employer's jobs are no part of what the region must fill), the shortfall, the
    exemptions, warnings and fines."""

    region: Place
    employers: int
    required: int
    filled: int
    shortfall: int
    exemptions: int
    warnings: int
    fines: int
    fines_mci: int
    fines_amount: Decimal


def quota_by_region(user: Actor, year: int) -> list[RegionCompliance]:
    """The quota of each region the user follows (every region for the ministry), the
    largest shortfall first; a region none of whose employers reported is there with
    zeros. A fixed number of queries whatever the number of employers."""
    regions = quota_regions(user)
    found = figures.compliance_of(Organisation.objects.filter(region__in=regions), year)
    region_of = dict(
        Organisation.objects.filter(pk__in=[c.employer_id for c in found]).values_list("pk", "region_id")
    )
    by_region: dict[int, list[quota.Compliance]] = {region.pk: [] for region in regions}
    for compliance in found:
        by_region[region_of[compliance.employer_id]].append(compliance)
    lines = []
    for region in regions:
        rows = by_region[region.pk]
        counted = [c for c in rows if not c.exemption]
        lines.append(
            RegionCompliance(
                region=region,
                employers=len(rows),
                required=sum(c.required for c in counted),
                filled=sum(c.filled for c in counted),
                shortfall=sum(c.shortfall for c in rows),
                exemptions=len(rows) - len(counted),
                warnings=sum(c.warnings for c in rows),
                fines=sum(c.fines for c in rows),
                fines_mci=sum(c.fines_mci for c in rows),
                fines_amount=sum((c.fines_amount for c in rows), Decimal(0)),
            )
        )
    return sorted(lines, key=lambda line: (-line.shortfall, -line.required, line.region.kato))


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
