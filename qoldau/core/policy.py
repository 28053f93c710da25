"""Who may see and do what with core's records: organisations, people, the audit log,
background jobs and notifications. Each rule is stated once here, in the forms that
cannot drift: a query of the records a user may see or act on, a yes/no check for one
record, and, where a refusal is raised, `check_*` with its message. Views, API handlers,
selectors, services and other apps' policies ask these; none reads the raw scope.

The roles, in the domain's words: an NGO's staff work for their organisation (record its
people, deliveries and events) and see the people who gave it consent; its administrators
also edit its profile and projects and see who works there; an akimat officer sees the
organisations of their region and its figures, never a person; a ministry officer sees
every organisation and the country's figures, never a person; a consultant answers their
organisation's consultations and sees none of its people; a system administrator sees and
does everything, every read of a person audited. A citizen signed in with their own
account (`CitizenAccount`) holds no role: they see and act on their own records only, the
ones they made with an organisation through the account and whose consent holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import Actor, user_scope
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.models import (
    BackgroundJob,
    CitizenAccount,
    CitizenRecord,
    Consent,
    Notification,
    Organisation,
    Person,
)

# A filter that keeps every row, and stays so when combined with others (`Q()` does not:
# `Q(a) | Q()` is `Q(a)`). The database sees no condition at all.
EVERYTHING = ~Q(pk__in=[])

# Organisations a user may see ---------------------------------------------------------


def organisations_visible(user: Actor) -> QuerySet[Organisation]:
    """Organisations a user may see: every one for the ministry and system administrators,
    their region's for an akimat officer, their own for an NGO's staff; none for anyone
    else."""
    scope = user_scope(user)
    if scope.sees_all_organisations:
        return Organisation.objects.all()
    if not scope.organisation_ids and not scope.region_ids:
        return Organisation.objects.none()
    return Organisation.objects.filter(Q(pk__in=scope.organisation_ids) | Q(region_id__in=scope.region_ids))


def may_see_organisation(user: Actor, organisation: Organisation) -> bool:
    """The check form of `organisations_visible`."""
    scope = user_scope(user)
    return (
        scope.sees_all_organisations
        or organisation.pk in scope.organisation_ids
        or organisation.region_id in scope.region_ids
    )


def check_may_see_organisation(user: Actor, organisation: Organisation | None) -> None:
    """Not found for an organisation outside the user's scope, and the same answer for
    none at all (`None`), so that the answer tells nothing about what exists."""
    if organisation is None or not may_see_organisation(user, organisation):
        raise NotFound(_("There is no such organisation, or it is outside your scope."))


# Organisations a user works for -------------------------------------------------------


def worked_for_q(user: Actor, organisation_field: str = "pk") -> Q:
    """A filter for records whose organisation (at `organisation_field`) the user works
    for: an NGO's staff and administrators work for their organisation, a system
    administrator for every one. Working for an organisation is recording its people,
    deliveries and events."""
    scope = user_scope(user)
    if scope.system_admin:
        return EVERYTHING
    return Q(**{f"{organisation_field}__in": scope.organisation_ids})


def organisations_worked_for(user: Actor) -> QuerySet[Organisation]:
    """The organisations a user records people, deliveries and events for."""
    return Organisation.objects.filter(worked_for_q(user))


def may_work_for_organisation(user: Actor, organisation: Organisation) -> bool:
    """The check form of `organisations_worked_for`."""
    return user_scope(user).may_work_for(organisation.pk)


def check_may_work_for_organisation(user: Actor, organisation: Organisation) -> None:
    """Refuse an actor who does not work for the organisation."""
    if not may_work_for_organisation(user, organisation):
        raise PermissionDenied(_("You do not work for this organisation."))


def may_work_for_some_organisation(user: Actor) -> bool:
    """Whether the user is on an organisation's staff (or a system administrator): those
    who record people at all."""
    scope = user_scope(user)
    return scope.system_admin or bool(scope.organisation_ids)


def check_may_register_people(user: Actor) -> None:
    """Only the staff of an organisation register people: there must be one they work for."""
    if not organisations_worked_for(user).exists():
        raise PermissionDenied(_("Only the staff of an organisation can register people."))


# Organisations a user administers -----------------------------------------------------


def administered_q(user: Actor, organisation_field: str = "pk") -> Q:
    """A filter for records whose organisation (at `organisation_field`) the user
    administers: edits its profile and projects. An NGO administrator administers their
    organisation, a system administrator every one."""
    scope = user_scope(user)
    if scope.system_admin:
        return EVERYTHING
    return Q(**{f"{organisation_field}__in": scope.admin_organisation_ids})


def organisations_administered(user: Actor) -> QuerySet[Organisation]:
    """The organisations whose profile and projects a user edits."""
    return Organisation.objects.filter(administered_q(user))


def may_administer_organisation(user: Actor, organisation: Organisation) -> bool:
    """The check form of `organisations_administered`."""
    return user_scope(user).may_administer(organisation.pk)


def check_may_administer_organisation(user: Actor, organisation: Organisation) -> None:
    if not may_administer_organisation(user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can change its profile."))


def organisations_with_staff_visible(user: Actor) -> QuerySet[Organisation]:
    """The organisations whose staff (who works there, in which role) a user may see:
    those they administer. Nobody else is shown who works where."""
    return organisations_administered(user)


def may_see_organisation_staff(user: Actor, organisation: Organisation) -> bool:
    """The check form of `organisations_with_staff_visible`."""
    return may_administer_organisation(user, organisation)


def may_register_organisations(user: Actor) -> bool:
    """Organisations are registered by system administrators."""
    return user_scope(user).system_admin


def check_may_register_organisations(user: Actor) -> None:
    if not may_register_organisations(user):
        raise PermissionDenied(_("Only system administrators can register organisations."))


# Organisations a user answers consultations for -----------------------------------------


def consulted_for_q(user: Actor, organisation_field: str = "pk") -> Q:
    """A filter for records whose organisation (at `organisation_field`) the user answers
    consultations for: a consultant's own organisations. Nobody else's role makes them
    one, a system administrator's included."""
    return Q(**{f"{organisation_field}__in": user_scope(user).consultant_organisation_ids})


def organisations_consulted_for(user: Actor) -> QuerySet[Organisation]:
    """The organisations whose consultations a user takes and answers."""
    return Organisation.objects.filter(consulted_for_q(user))


def may_consult_for_organisation(user: Actor, organisation: Organisation) -> bool:
    """The check form of `organisations_consulted_for`."""
    return user_scope(user).may_consult_for(organisation.pk)


def may_consult_for_some_organisation(user: Actor) -> bool:
    """Whether the user is a consultant of any organisation."""
    return bool(user_scope(user).consultant_organisation_ids)


# People ------------------------------------------------------------------------------


def may_see_people(user: Actor) -> bool:
    """Whether the user's role works with people at all: an organisation's staff and
    system administrators do; officers work with aggregate figures only, consultants with
    their conversations."""
    return user_scope(user).sees_people


def check_may_see_people(user: Actor) -> None:
    if not may_see_people(user):
        raise PermissionDenied(_("Your role works with aggregate figures, not with people."))


def people_visible(user: Actor) -> QuerySet[Person]:
    """People a user may see: the records of the user's organisations whose consent is not
    withdrawn; every record for a system administrator; nobody for officers, who work with
    aggregates only. Every page, export and API answer that names people reads them
    through this (or `people_visible_among` for ids it already holds)."""
    scope = user_scope(user)
    if scope.system_admin:
        return Person.objects.all()
    if not scope.organisation_ids:
        return Person.objects.none()
    served = Consent.objects.filter(person=OuterRef("pk"), withdrawn_on__isnull=True)
    return Person.objects.filter(Exists(served), organisation_id__in=scope.organisation_ids)


def people_visible_among(user: Actor, person_ids: Iterable[int]) -> set[int]:
    """Which of these people the user may see (for pages that list deliveries or
    attendance: a person who withdrew consent is shown without a name)."""
    wanted = set(person_ids)
    if not wanted:
        return set()
    return set(people_visible(user).filter(pk__in=wanted).values_list("pk", flat=True))


def may_see_person(user: Actor, person: Person) -> bool:
    """The check form of `people_visible`."""
    scope = user_scope(user)
    if scope.system_admin:
        return True
    return (
        person.organisation_id in scope.organisation_ids
        and Consent.objects.filter(person=person, withdrawn_on__isnull=True).exists()
    )


def person_not_found() -> NotFound:
    """The one answer for a person who does not exist and one the user may not see."""
    return NotFound(_("There is no such person among the people you serve."))


def check_may_see_person(user: Actor, person: Person | None) -> None:
    """Not found for a person the user may not see, the same as for none (`None`)."""
    if person is None or not may_see_person(user, person):
        raise person_not_found()


def may_edit_person(user: Actor, person: Person) -> bool:
    """The people a user edits (their record, categories) are the people they see."""
    return may_see_person(user, person)


def check_may_edit_person(user: Actor, person: Person) -> None:
    """A person the user may not edit is one they may not see: not found."""
    check_may_see_person(user, person)


# Citizens' own accounts ----------------------------------------------------------------


def citizen_account_of(user: Actor) -> CitizenAccount | None:
    """The citizen account a user signs in with; None for staff and for anyone signed out.
    Being a citizen is having one: it is not a role, and gives no organisation's scope."""
    if not user.is_authenticated:
        return None
    # Cached on the request's user object, as the scope is: one query per request.
    if "_qoldau_citizen" not in user.__dict__:
        user.__dict__["_qoldau_citizen"] = CitizenAccount.objects.filter(user_id=user.pk).first()
    account: CitizenAccount | None = user.__dict__["_qoldau_citizen"]
    return account


def is_citizen(user: Actor) -> bool:
    return citizen_account_of(user) is not None


def check_is_citizen(user: Actor) -> CitizenAccount:
    """The user's citizen account, or the refusal of a page or service that only a citizen
    uses for themselves."""
    account = citizen_account_of(user)
    if account is None:
        raise PermissionDenied(_("Only a citizen signed in with their own account can do this."))
    return account


def people_of_citizen(user: Actor) -> QuerySet[Person]:
    """The records a citizen made of themselves through their account, with the
    organisations whose consent holds: what they act on as themselves. Nobody's for anyone
    else (staff see people through `people_visible`)."""
    account = citizen_account_of(user)
    if account is None:
        return Person.objects.none()
    served = Consent.objects.filter(person=OuterRef("pk"), withdrawn_on__isnull=True)
    return Person.objects.filter(Exists(served), citizen_record__account=account)


def is_own_person(user: Actor, person: Person) -> bool:
    """The check form of `people_of_citizen`."""
    account = citizen_account_of(user)
    return (
        account is not None
        and CitizenRecord.objects.filter(account=account, person=person).exists()
        and Consent.objects.filter(person=person, withdrawn_on__isnull=True).exists()
    )


def citizen_records_confirmable_by(user: Actor) -> QuerySet[CitizenRecord]:
    """The records citizens made whose IIN a user confirms against a document: those of
    the people they serve (their organisation's staff)."""
    return CitizenRecord.objects.filter(person__in=people_visible(user))


def may_confirm_iin(user: Actor, record: CitizenRecord) -> bool:
    """The check form of `citizen_records_confirmable_by`."""
    return may_see_person(user, record.person)


def check_may_confirm_iin(user: Actor, record: CitizenRecord | None) -> None:
    """Someone who does not serve the person is answered as for a person not there."""
    if record is None or not may_confirm_iin(user, record):
        raise person_not_found()


# The audit log ------------------------------------------------------------------------


def may_read_audit_log(user: Actor) -> bool:
    """The audit log is read by system administrators only."""
    return user_scope(user).system_admin


def check_may_read_audit_log(user: Actor) -> None:
    if not may_read_audit_log(user):
        raise PermissionDenied(_("Only system administrators can read the audit log."))


# Background jobs ----------------------------------------------------------------------


def jobs_visible(user: Actor) -> QuerySet[BackgroundJob]:
    """The jobs a user may follow: the ones they started; every one for a system
    administrator."""
    if not user.is_authenticated:
        return BackgroundJob.objects.none()
    if user_scope(user).system_admin:
        return BackgroundJob.objects.all()
    return BackgroundJob.objects.filter(user_id=user.pk)


def may_see_job(user: Actor, job: BackgroundJob) -> bool:
    """The check form of `jobs_visible`."""
    if not user.is_authenticated:
        return False
    return job.user_id == user.pk or user_scope(user).system_admin


def check_may_see_job(user: Actor, job: BackgroundJob | None) -> None:
    """Not found for someone else's job, the same as for none (`None`)."""
    if job is None or not may_see_job(user, job):
        raise NotFound(_("There is no such job, or it is not yours."))


def jobs_runnable_again_by(user: Actor) -> QuerySet[BackgroundJob]:
    """The jobs a user may run again (when they failed): only the ones they started, in
    whose scope the job runs; a system administrator follows others' jobs but does not run
    them as the other person."""
    if not user.is_authenticated:
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.filter(user_id=user.pk)


def may_run_job_again(user: Actor, job: BackgroundJob) -> bool:
    """The check form of `jobs_runnable_again_by`."""
    return user.is_authenticated and job.user_id == user.pk


def check_may_run_job_again(user: Actor, job: BackgroundJob) -> None:
    if not may_run_job_again(user, job):
        raise PermissionDenied(_("Only the person who started a job can run it again."))


# Notifications ------------------------------------------------------------------------


def notifications_visible(user: Actor) -> QuerySet[Notification]:
    """A user's own notifications; a system administrator sees the whole outbox."""
    if not user.is_authenticated:
        return Notification.objects.none()
    if may_read_every_notification(user):
        return Notification.objects.all()
    return Notification.objects.filter(user_id=user.pk)


def may_read_notification(user: Actor, notification: Notification) -> bool:
    """The check form of `notifications_visible`."""
    if not user.is_authenticated:
        return False
    return notification.user_id == user.pk or may_read_every_notification(user)


def may_read_every_notification(user: Actor) -> bool:
    return user.is_authenticated and user_scope(user).system_admin


# What a user is shown of their own scope, and the menu ------------------------------------


@dataclass(frozen=True)
class ScopeSummary:
    """What the API tells a signed-in user about their own roles."""

    roles: list[str]
    organisation_ids: list[int]
    region_ids: list[int]


def scope_summary(user: Actor) -> ScopeSummary:
    """The user's own roles, the organisations they work for and the regions they oversee
    (it tells them nothing about anyone else)."""
    scope = user_scope(user)
    return ScopeSummary(
        roles=sorted(scope.roles),
        organisation_ids=sorted(scope.organisation_ids),
        region_ids=sorted(scope.region_ids),
    )


@dataclass(frozen=True)
class Menu:
    """The sections of the main menu a user's roles open. The pages behind each entry
    still ask their own rule; the menu only leaves out what would be refused."""

    people: bool = False
    accessibility: bool = False
    survey: bool = False
    consultations: bool = False
    caseload: bool = False
    employer_vacancies: bool = False
    quota: bool = False
    audit_log: bool = False
    administration: bool = False
    # A citizen's own job search (and none of the staff's sections).
    job_search: bool = False


def menu(user: Actor) -> Menu:
    """People, deliveries, events and imports for those who work with people; the
    accessibility of objects for anyone with an organisation, a region or the country in
    their scope; the objects to survey for surveyors; the consultations' queue for
    consultants; the caseload for job coaches; their
    vacancies for employers' staff; the employment quota for akimat officers and the
    ministry; the audit log and the administration for
    system administrators; their own job search for citizens, who hold no role."""
    if not user.is_authenticated:
        return Menu()
    scope = user_scope(user)
    return Menu(
        people=scope.sees_people,
        accessibility=bool(
            scope.system_admin or scope.national or scope.region_ids or scope.organisation_ids
        ),
        survey=scope.surveyor,
        # A system administrator oversees every organisation's queue (consult.policy).
        consultations=bool(scope.consultant_organisation_ids) or scope.system_admin,
        caseload=bool(scope.job_coach_organisation_ids),
        employer_vacancies=bool(scope.employer_organisation_ids),
        quota=bool(scope.system_admin or scope.national or scope.region_ids),
        audit_log=scope.system_admin,
        administration=scope.system_admin,
        # Only a user with no role can be a citizen: the staff's menus cost no query more.
        job_search=not scope.roles and not scope.system_admin and is_citizen(user),
    )


def may_export(user: Actor) -> bool:
    """An export (XLSX, PDF) is a job kept for the user who asked, so only a signed-in user
    may have one; every app's exports follow this rule."""
    return bool(user.is_authenticated)


def check_may_export(user: Actor) -> None:
    if not may_export(user):
        raise PermissionDenied(_("Sign in to export the report."))
