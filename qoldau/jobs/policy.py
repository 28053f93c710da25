"""Who may see and do what in employment: each rule once, as a query for lists beside a
check for one record, and, where the rule refuses, `check_may_...` raising the refusal
written next to it. Only this module asks `qoldau.core.access.user_scope` in the jobs app.

The roles, in the words of the rules below:

- the staff of an organisation that serves people (its NGO staff and administrators, its
  job coaches) work with its seekers: the people it serves whose consent holds (core's
  `people_visible`). They propose vacancies to them and open coaching cases;
- a job coach coaches the cases assigned to them; the organisation's administrators
  oversee every case of the organisation;
- an employer's staff (the employer's staff role, or an organisation's own staff for the
  vacancies it posts itself) post and manage its vacancies, report its staff for the
  quota, and see the seekers a coach sent to one of its vacancies, from the day they were
  sent and while the seeker's consent holds. They never see the pool of seekers;
- an akimat officer oversees the quota of their region's employers and records their
  exemptions, warnings and fines; the ministry reads the whole country's;
- the staff of the organisation holding a job fair (an event of its project) register
  people and employers for it and record what happened there; an employer's staff may
  register their own employer for a fair;
- a system administrator does everything and keeps the catalogues;
- a citizen signed in with their own account registers themselves as a seeker with an
  organisation that offers employment support (one with job coaches), and then sees their
  own seeker, matches and proposals, and agrees to or declines the proposals, as the
  coach records it for a seeker in person. Nobody else's.

Open vacancies are public: anyone, signed in or not, reads them.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor, Scope, user_scope
from qoldau.core.errors import NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import Consent, Organisation, Person, Place, Role, RoleAssignment
from qoldau.jobs.errors import JobsErrorCode
from qoldau.jobs.models import (
    CaseNote,
    CoachingCase,
    FairEmployer,
    JobFair,
    Placement,
    Proposal,
    Seeker,
    Vacancy,
)
from qoldau.projects import policy as projects_policy
from qoldau.projects.models import Project

# The building blocks ----------------------------------------------------------------------


def _employer_ids(scope: Scope) -> frozenset[int]:
    """The employers a user is staff of: those of the employer's staff role, and the
    organisations they work for (which post their own vacancies)."""
    return scope.employer_organisation_ids | scope.organisation_ids


def _pool_q(user: Actor, prefix: str = "") -> Q:
    """Seekers (at `prefix`) whose person the user sees: the pool they work with."""
    return Q(**{f"{prefix}person__in": core_policy.people_visible(user)})


def _consent_holds(person_field: str) -> Exists:
    """The person (at `person_field`) has not withdrawn consent from the organisation that
    serves them: a seeker who did is no longer shown to the employers they were sent to."""
    return Exists(Consent.objects.filter(person=OuterRef(person_field), withdrawn_on__isnull=True))


def _sent_to_q(scope: Scope, prefix: str = "") -> Q:
    """Proposals (at `prefix`) sent to one of the employers of the scope, whose seeker's
    consent holds."""
    return Q(
        _consent_holds(f"{prefix}seeker__person"),
        **{f"{prefix}sent_on__isnull": False, f"{prefix}vacancy__employer_id__in": _employer_ids(scope)},
    )


def _was_sent_to(scope: Scope, proposal: Proposal) -> bool:
    """`_sent_to_q`, for one proposal."""
    return (
        proposal.sent_on is not None
        and proposal.vacancy.employer_id in _employer_ids(scope)
        and Consent.objects.filter(person_id=proposal.seeker.person_id, withdrawn_on__isnull=True).exists()
    )


# Refusals ---------------------------------------------------------------------------------
# Not found: for what the user may not see, worded so that a record that is not there and
# one outside the user's scope look the same. Refused: for what they see but may not do.


def seeker_not_found() -> NotFound:
    return NotFound(_("There is no such job seeker among the people you serve."))


def vacancy_not_found() -> NotFound:
    return NotFound(_("There is no such vacancy, or it is outside your scope."))


def proposal_not_found() -> NotFound:
    return NotFound(_("There is no such proposal, or it is outside your scope."))


def case_not_found() -> NotFound:
    return NotFound(_("There is no such coaching case among the people you serve."))


def placement_not_found() -> NotFound:
    return NotFound(_("There is no such placement among the people you serve."))


def employer_not_found() -> NotFound:
    return NotFound(_("There is no such employer, or it is outside your scope."))


def fair_not_found() -> NotFound:
    return NotFound(_("There is no such job fair, or it is outside your scope."))


# Seekers: the pool -------------------------------------------------------------------------


def seekers_in_pool(user: Actor) -> QuerySet[Seeker]:
    """Seekers a user works with (edits, matches, proposes vacancies to, coaches): the
    seekers of the people they see. Nobody else's: not an employer's staff, not an
    officer, not a consultant."""
    return Seeker.objects.filter(_pool_q(user))


def may_work_with_seeker(user: Actor, seeker: Seeker) -> bool:
    """`seekers_in_pool`, for one seeker."""
    return core_policy.may_see_person(user, seeker.person)


def check_may_work_with_seeker(user: Actor, seeker: Seeker | None) -> None:
    if seeker is None or not may_work_with_seeker(user, seeker):
        raise seeker_not_found()


def people_registrable_as_seekers(user: Actor) -> QuerySet[Person]:
    """People a user may register as job seekers: the people they see (core's rule)."""
    return core_policy.people_visible(user)


def may_register_seeker(user: Actor, person: Person) -> bool:
    """`people_registrable_as_seekers`, for one person."""
    return core_policy.may_see_person(user, person)


def check_may_register_seeker(user: Actor, person: Person) -> None:
    if not may_register_seeker(user, person):
        raise core_policy.person_not_found()


def seekers_visible(user: Actor) -> QuerySet[Seeker]:
    """Seekers a user may read: the pool they work with, and the seekers a coach sent to
    one of their employers' vacancies (while their consent holds)."""
    scope = user_scope(user)
    if not _employer_ids(scope):
        return seekers_in_pool(user)
    sent = Exists(Proposal.objects.filter(_sent_to_q(scope), seeker=OuterRef("pk")))
    return Seeker.objects.filter(_pool_q(user) | Q(sent))


def may_see_seeker(user: Actor, seeker: Seeker) -> bool:
    """`seekers_visible`, for one seeker."""
    if may_work_with_seeker(user, seeker):
        return True
    scope = user_scope(user)
    return bool(_employer_ids(scope)) and seeker.proposals.filter(_sent_to_q(scope)).exists()


def check_may_see_seeker(user: Actor, seeker: Seeker | None) -> None:
    if seeker is None or not may_see_seeker(user, seeker):
        raise seeker_not_found()


# Citizens: their own seeker ---------------------------------------------------------------


def organisations_offering_employment_support() -> QuerySet[Organisation]:
    """Organisations a citizen may register with as a job seeker: those with job coaches,
    who support seekers into work."""
    return Organisation.objects.filter(
        Exists(RoleAssignment.objects.filter(organisation=OuterRef("pk"), role=Role.JOB_COACH))
    )


def offers_employment_support(organisation: Organisation) -> bool:
    """`organisations_offering_employment_support`, for one organisation."""
    return RoleAssignment.objects.filter(organisation=organisation, role=Role.JOB_COACH).exists()


def check_offers_employment_support(organisation: Organisation | None) -> None:
    if organisation is None or not offers_employment_support(organisation):
        raise ValidationFailed(
            _("Choose an organisation that offers employment support."),
            field="organisation",
            code=JobsErrorCode.NO_EMPLOYMENT_SUPPORT,
        )


def seekers_of_citizen(user: Actor) -> QuerySet[Seeker]:
    """The seekers a citizen is, through their own account (core's `people_of_citizen`:
    their own records whose consent holds)."""
    return Seeker.objects.filter(person__in=core_policy.people_of_citizen(user))


def is_own_seeker(user: Actor, seeker: Seeker) -> bool:
    """`seekers_of_citizen`, for one seeker."""
    return core_policy.is_own_person(user, seeker.person)


def check_is_own_seeker(user: Actor, seeker: Seeker | None) -> None:
    if seeker is None or not is_own_seeker(user, seeker):
        raise seeker_not_found()


def proposals_of_citizen(user: Actor) -> QuerySet[Proposal]:
    """The proposals made to a citizen's own seekers."""
    return Proposal.objects.filter(seeker__in=seekers_of_citizen(user))


def proposals_answerable_for_seeker(user: Actor) -> QuerySet[Proposal]:
    """Proposals a user agrees to or declines on the seeker's side: the seeker themselves,
    through their account, and the staff who work with the seeker, who record it for them."""
    return Proposal.objects.filter(_pool_q(user, "seeker__") | Q(seeker__in=seekers_of_citizen(user)))


def may_answer_for_seeker(user: Actor, proposal: Proposal) -> bool:
    """`proposals_answerable_for_seeker`, for one proposal."""
    return may_coach_proposal(user, proposal) or is_own_seeker(user, proposal.seeker)


def check_may_answer_for_seeker(user: Actor, proposal: Proposal) -> None:
    if not may_answer_for_seeker(user, proposal):
        raise PermissionDenied(
            _("Only the seeker or the staff of the organisation serving them may answer for the seeker.")
        )


# Vacancies and employers -------------------------------------------------------------------


def vacancies_visible(user: Actor) -> QuerySet[Vacancy]:
    """Vacancies a user reads: every open vacancy (they are public), every vacancy of the
    employers they are staff of, and of their region for akimat officers; every one for
    the ministry and administrators."""
    scope = user_scope(user)
    if scope.system_admin or scope.national:
        return Vacancy.objects.all()
    return Vacancy.objects.filter(
        Q(status=Vacancy.Status.OPEN)
        | Q(employer_id__in=_employer_ids(scope))
        | Q(region_id__in=scope.region_ids)
    )


def may_see_vacancy(user: Actor, vacancy: Vacancy) -> bool:
    """`vacancies_visible`, for one vacancy."""
    scope = user_scope(user)
    return (
        scope.system_admin
        or scope.national
        or vacancy.status == Vacancy.Status.OPEN
        or vacancy.employer_id in _employer_ids(scope)
        or vacancy.region_id in scope.region_ids
    )


def check_may_see_vacancy(user: Actor, vacancy: Vacancy | None) -> None:
    if vacancy is None or not may_see_vacancy(user, vacancy):
        raise vacancy_not_found()


def employers_staffed_by(user: Actor) -> QuerySet[Organisation]:
    """Employers whose vacancies a user posts and manages: those they are staff of; every
    one for administrators."""
    scope = user_scope(user)
    if scope.system_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=_employer_ids(scope))


def may_staff_employer(user: Actor, employer: Organisation) -> bool:
    """`employers_staffed_by`, for one employer."""
    scope = user_scope(user)
    return scope.system_admin or employer.pk in _employer_ids(scope)


def check_may_post_vacancies_for(user: Actor, employer: Organisation) -> None:
    if not may_staff_employer(user, employer):
        raise PermissionDenied(_("Only the employer's staff post its vacancies."))


def vacancies_managed_by(user: Actor) -> QuerySet[Vacancy]:
    """Vacancies a user changes, opens and closes: their employers'."""
    scope = user_scope(user)
    if scope.system_admin:
        return Vacancy.objects.all()
    return Vacancy.objects.filter(employer_id__in=_employer_ids(scope))


def may_manage_vacancy(user: Actor, vacancy: Vacancy) -> bool:
    """`vacancies_managed_by`, for one vacancy."""
    scope = user_scope(user)
    return scope.system_admin or vacancy.employer_id in _employer_ids(scope)


def check_may_manage_vacancy(user: Actor, vacancy: Vacancy) -> None:
    if not may_manage_vacancy(user, vacancy):
        raise PermissionDenied(_("Only the employer's staff may change its vacancies."))


# Proposals ---------------------------------------------------------------------------------


def proposals_visible(user: Actor) -> QuerySet[Proposal]:
    """Proposals a user reads: those of the seekers they work with, and, from the day a
    proposal was sent, those of their employers' vacancies."""
    scope = user_scope(user)
    if scope.system_admin:
        return Proposal.objects.all()
    return Proposal.objects.filter(_pool_q(user, "seeker__") | _sent_to_q(scope))


def may_see_proposal(user: Actor, proposal: Proposal) -> bool:
    """`proposals_visible`, for one proposal."""
    return may_work_with_seeker(user, proposal.seeker) or may_answer_proposal(user, proposal)


def check_may_see_proposal(user: Actor, proposal: Proposal | None) -> None:
    if proposal is None or not may_see_proposal(user, proposal):
        raise proposal_not_found()


def proposals_coached_by(user: Actor) -> QuerySet[Proposal]:
    """Proposals a user acts on for the seeker (records their agreement, sends them to the
    employer, declines for them): those of the seekers they work with."""
    return Proposal.objects.filter(_pool_q(user, "seeker__"))


def may_coach_proposal(user: Actor, proposal: Proposal) -> bool:
    """`proposals_coached_by`, for one proposal."""
    return may_work_with_seeker(user, proposal.seeker)


def check_may_coach_proposal(user: Actor, proposal: Proposal) -> None:
    if not may_coach_proposal(user, proposal):
        raise PermissionDenied(_("Only the staff of the organisation serving the seeker may do this."))


def proposals_answered_by(user: Actor) -> QuerySet[Proposal]:
    """Proposals a user answers for the employer (the interview, the offer, hired or
    declined): those sent to the vacancies they manage."""
    scope = user_scope(user)
    if scope.system_admin:
        return Proposal.objects.filter(sent_on__isnull=False)
    return Proposal.objects.filter(_sent_to_q(scope))


def may_answer_proposal(user: Actor, proposal: Proposal) -> bool:
    """`proposals_answered_by`, for one proposal."""
    scope = user_scope(user)
    if scope.system_admin:
        return proposal.sent_on is not None
    return _was_sent_to(scope, proposal)


def check_may_answer_proposal(user: Actor, proposal: Proposal) -> None:
    if not may_answer_proposal(user, proposal):
        raise PermissionDenied(
            _("Only the employer's staff answer for its vacancies, once a seeker is sent.")
        )


# Job coaching ------------------------------------------------------------------------------


def coaches_of(organisation: Organisation) -> QuerySet[User]:
    """Users who coach for an organisation: those holding its job coach role."""
    return User.objects.filter(
        role_assignments__role=Role.JOB_COACH, role_assignments__organisation=organisation
    ).distinct()


def may_coach_for(user: Actor, organisation: Organisation) -> bool:
    """`coaches_of`, for one user."""
    return organisation.pk in user_scope(user).job_coach_organisation_ids


def check_may_coach_for(user: Actor, organisation: Organisation, *, field: str = "coach") -> None:
    if not may_coach_for(user, organisation):
        raise ValidationFailed(
            _("This user is not a job coach of the organisation."),
            field=field,
            code=JobsErrorCode.NOT_A_JOB_COACH,
        )


def cases_visible(user: Actor) -> QuerySet[CoachingCase]:
    """Coaching cases a user reads (stage, next step, sessions; not the notes): those of
    the seekers they work with."""
    return CoachingCase.objects.filter(_pool_q(user, "seeker__"))


def may_see_case(user: Actor, case: CoachingCase) -> bool:
    """`cases_visible`, for one case."""
    return may_work_with_seeker(user, case.seeker)


def check_may_see_case(user: Actor, case: CoachingCase | None) -> None:
    if case is None or not may_see_case(user, case):
        raise case_not_found()


def cases_coached_by(user: Actor) -> QuerySet[CoachingCase]:
    """Cases a user coaches (moves through the stages, writes and reads notes, records
    sessions, placements and follow-ups): their own cases, and every case of the
    organisations they administer."""
    scope = user_scope(user)
    if scope.system_admin:
        return CoachingCase.objects.all()
    own_or_overseen = Q(coach_id=user.pk) | Q(
        seeker__person__organisation_id__in=scope.admin_organisation_ids
    )
    return CoachingCase.objects.filter(_pool_q(user, "seeker__"), own_or_overseen)


def may_coach_case(user: Actor, case: CoachingCase) -> bool:
    """`cases_coached_by`, for one case."""
    scope = user_scope(user)
    if scope.system_admin:
        return True
    seeker = case.seeker
    own_or_overseen = (
        case.coach_id == user.pk or seeker.person.organisation_id in scope.admin_organisation_ids
    )
    return own_or_overseen and may_work_with_seeker(user, seeker)


def check_may_coach_case(user: Actor, case: CoachingCase) -> None:
    if not may_coach_case(user, case):
        raise PermissionDenied(
            _("Only the case's job coach or the organisation's administrators may do this.")
        )


def case_notes_visible(user: Actor) -> QuerySet[CaseNote]:
    """Case notes (health and personal details, encrypted) a user reads: those of the
    cases they coach, nobody else's."""
    return CaseNote.objects.filter(case__in=cases_coached_by(user))


def may_read_case_note(user: Actor, note: CaseNote) -> bool:
    """`case_notes_visible`, for one note."""
    return may_coach_case(user, note.case)


def placements_visible(user: Actor) -> QuerySet[Placement]:
    """Placements a user reads: those of the seekers they work with."""
    return Placement.objects.filter(_pool_q(user, "seeker__"))


def may_see_placement(user: Actor, placement: Placement) -> bool:
    """`placements_visible`, for one placement."""
    return may_work_with_seeker(user, placement.seeker)


def check_may_see_placement(user: Actor, placement: Placement | None) -> None:
    if placement is None or not may_see_placement(user, placement):
        raise placement_not_found()


# The quota ---------------------------------------------------------------------------------


def employers_quota_visible(user: Actor) -> QuerySet[Organisation]:
    """Employers whose quota (reports, compliance, exemptions and sanctions) a user reads:
    their own employers, their region's for akimat officers, every one for the ministry
    and administrators."""
    scope = user_scope(user)
    if scope.system_admin or scope.national:
        return Organisation.objects.all()
    return Organisation.objects.filter(Q(pk__in=_employer_ids(scope)) | Q(region_id__in=scope.region_ids))


def may_see_quota_of(user: Actor, employer: Organisation) -> bool:
    """`employers_quota_visible`, for one employer."""
    scope = user_scope(user)
    return (
        scope.system_admin
        or scope.national
        or employer.pk in _employer_ids(scope)
        or employer.region_id in scope.region_ids
    )


def check_may_see_quota_of(user: Actor, employer: Organisation | None) -> None:
    if employer is None or not may_see_quota_of(user, employer):
        raise employer_not_found()


def employers_reportable_by(user: Actor) -> QuerySet[Organisation]:
    """Employers whose staff a user reports (headcount, hazardous jobs, employees with
    disabilities): their own employers, and their region's for akimat officers, who key
    in reports made on paper."""
    scope = user_scope(user)
    if scope.system_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(Q(pk__in=_employer_ids(scope)) | Q(region_id__in=scope.region_ids))


def may_report_staff_of(user: Actor, employer: Organisation) -> bool:
    """`employers_reportable_by`, for one employer."""
    scope = user_scope(user)
    return scope.system_admin or employer.pk in _employer_ids(scope) or employer.region_id in scope.region_ids


def _staff_reporting_refused() -> PermissionDenied:
    return PermissionDenied(
        _("Only the employer's staff or the akimat officers of its region report its staff.")
    )


def check_may_report_staff_of(user: Actor, employer: Organisation) -> None:
    if not may_report_staff_of(user, employer):
        raise _staff_reporting_refused()


def may_report_some_staff(user: Actor) -> bool:
    """Whether `employers_reportable_by` holds any employer: those who report staff of
    some employer may import a list of staff reports (each row's employer is then checked
    by `may_report_staff_of`)."""
    return employers_reportable_by(user).exists()


def check_may_report_some_staff(user: Actor) -> None:
    if not may_report_some_staff(user):
        raise _staff_reporting_refused()


def employers_enforceable_by(user: Actor) -> QuerySet[Organisation]:
    """Employers whose quota a user enforces (exemptions, warnings, fines): their region's
    for akimat officers; every one for administrators; never the ministry, which follows."""
    scope = user_scope(user)
    if scope.system_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(region_id__in=scope.region_ids)


def may_enforce_quota_of(user: Actor, employer: Organisation) -> bool:
    """`employers_enforceable_by`, for one employer."""
    scope = user_scope(user)
    return scope.system_admin or employer.region_id in scope.region_ids


def check_may_enforce_quota_of(user: Actor, employer: Organisation) -> None:
    if not may_enforce_quota_of(user, employer):
        raise PermissionDenied(
            _(
                "Only the akimat officers of the employer's region record the quota's "
                "exemptions and sanctions."
            )
        )


def regions_quota_followed_by(user: Actor) -> QuerySet[Place]:
    """Regions whose employers' compliance a user follows: their own for akimat officers,
    every region for the ministry and administrators."""
    scope = user_scope(user)
    regions = Place.objects.filter(level=Place.Level.REGION)
    if scope.system_admin or scope.national:
        return regions
    return regions.filter(pk__in=scope.region_ids)


def may_follow_quota_in(user: Actor, region: Place) -> bool:
    """`regions_quota_followed_by`, for one region."""
    scope = user_scope(user)
    if region.level != Place.Level.REGION:
        return False
    return scope.system_admin or scope.national or region.pk in scope.region_ids


def check_may_follow_quota_in(user: Actor, region: Place | None) -> None:
    if region is None or not may_follow_quota_in(user, region):
        raise PermissionDenied(_("Only the akimat officers of a region and the ministry follow its quota."))


# Job fairs ---------------------------------------------------------------------------------


def fairs_visible(user: Actor) -> QuerySet[JobFair]:
    """Fairs whose funnel (counts, never names) a user reads: those of the events they see
    (projects' rule: the organiser's staff, the akimat officers of its region, the
    ministry)."""
    return JobFair.objects.filter(event__in=projects_policy.events_visible(user))


def may_see_fair(user: Actor, fair: JobFair) -> bool:
    """`fairs_visible`, for one fair."""
    return projects_policy.may_see_event(user, fair.event)


def check_may_see_fair(user: Actor, fair: JobFair | None) -> None:
    if fair is None or not may_see_fair(user, fair):
        raise fair_not_found()


def projects_holding_fairs(user: Actor) -> QuerySet[Project]:
    """Projects a user holds job fairs for: those they record events for."""
    return projects_policy.projects_worked_for(user)


def check_may_hold_fair_for(user: Actor, project: Project) -> None:
    projects_policy.check_may_work_for_project(user, project)


def check_may_hold_some_fair(user: Actor) -> None:
    """The page that creates a fair needs a project to hold it for."""
    projects_policy.check_may_record_for_some_project(user)


def fairs_organised_by(user: Actor) -> QuerySet[JobFair]:
    """Fairs a user organises (registers people and employers, records attendance,
    interviews, referrals and hires, and reads who registered): those of the projects they
    record events for."""
    return JobFair.objects.filter(event__project__in=projects_policy.projects_worked_for(user))


def may_organise_fair(user: Actor, fair: JobFair) -> bool:
    """`fairs_organised_by`, for one fair."""
    return projects_policy.may_work_for_project(user, fair.event.project)


def check_may_organise_fair(user: Actor, fair: JobFair) -> None:
    if not may_organise_fair(user, fair):
        raise PermissionDenied(_("Only the staff of the organisation holding the job fair may do this."))


def may_register_employer_for_fair(user: Actor, fair: JobFair, employer: Organisation) -> bool:
    """The fair's organisers register any employer; an employer's staff their own."""
    return may_organise_fair(user, fair) or may_staff_employer(user, employer)


def check_may_register_employer_for_fair(user: Actor, fair: JobFair, employer: Organisation) -> None:
    if not may_register_employer_for_fair(user, fair, employer):
        raise PermissionDenied(
            _("Only the job fair's organisers or the employer's own staff register the employer for it.")
        )


def fair_tables_staffed_by(user: Actor) -> QuerySet[FairEmployer]:
    """An employer's registrations for job fairs (its table: the fair, the interview slots
    at it and the referrals it made, their times and outcomes) that its staff read: those of
    the employers they are staff of; every one for administrators. Who registered for the
    fair is the organiser's: an employer's staff never read the people at the fair."""
    scope = user_scope(user)
    if scope.system_admin:
        return FairEmployer.objects.all()
    return FairEmployer.objects.filter(employer_id__in=_employer_ids(scope))


def may_staff_fair_table(user: Actor, table: FairEmployer) -> bool:
    """`fair_tables_staffed_by`, for one registration."""
    scope = user_scope(user)
    return scope.system_admin or table.employer_id in _employer_ids(scope)


def check_may_staff_fair_table(user: Actor, table: FairEmployer | None) -> None:
    if table is None or not may_staff_fair_table(user, table):
        raise fair_not_found()


# Catalogues --------------------------------------------------------------------------------


def may_keep_catalogues(user: Actor | None) -> bool:
    """The classifier of occupations and the other catalogues are kept by system
    administrators (and the command line, which acts as no user)."""
    return user is None or user_scope(user).system_admin


def check_may_keep_catalogues(user: Actor | None) -> None:
    if not may_keep_catalogues(user):
        raise PermissionDenied(_("Only system administrators keep the employment catalogues."))
