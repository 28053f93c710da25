"""Who may see and do what: the scope a user's roles give them.

NGO roles give an organisation; an akimat officer a region (organisations and aggregates
there, never individual people); a ministry officer the whole country's aggregates; a
system administrator everything, with every read of a person audited. A consultant answers
the consultations of their organisation and sees none of its people. A job coach works for
their organisation as its staff do; an employer's staff member is tied to the employer and
sees none of its people (the jobs app's policy says what they see). A sign-language
interpreter serves their organisation's interpreting service and sees none of its people
but those of the sessions they serve (the interpreting app's policy).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from qoldau.core.models import ORGANISATION_ROLES, Role, RoleAssignment

# Whoever acts: a signed-in user, or an anonymous visitor (whose scope is empty).
Actor = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Scope:
    organisation_ids: frozenset[int] = frozenset()
    admin_organisation_ids: frozenset[int] = frozenset()
    # Consultants answer their organisation's conversations; they see no people.
    consultant_organisation_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()
    # A job coach works for their organisation (in `organisation_ids`) and coaches there.
    job_coach_organisation_ids: frozenset[int] = frozenset()
    # An employer's staff post its vacancies; they see none of its people (the jobs app).
    employer_organisation_ids: frozenset[int] = frozenset()
    # A sign-language interpreter serves their organisation's interpreting service; they
    # see none of its people (the interpreting app's policy says what they see).
    interpreter_organisation_ids: frozenset[int] = frozenset()
    national: bool = False
    # A surveyor's objects are those assigned to them (the access app keeps the assignments).
    surveyor: bool = False
    system_admin: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def sees_people(self) -> bool:
        return self.system_admin or bool(self.organisation_ids)

    @property
    def sees_all_organisations(self) -> bool:
        return self.system_admin or self.national

    def organisations_counted(self) -> Q | None:
        """Which rows of an organisation (an `organisation` field) a dashboard's aggregate
        figures count for this scope: None for every one (the ministry, system
        administrators), else their region's organisations and their own organisations'."""
        if self.sees_all_organisations:
            return None
        return Q(organisation__region_id__in=self.region_ids) | Q(organisation_id__in=self.organisation_ids)

    def may_work_for(self, organisation_id: int) -> bool:
        """Record people, deliveries and events for this organisation."""
        return self.system_admin or organisation_id in self.organisation_ids

    def may_consult_for(self, organisation_id: int | None) -> bool:
        """Take and answer the organisation's consultations."""
        return organisation_id is not None and organisation_id in self.consultant_organisation_ids

    def may_administer(self, organisation_id: int) -> bool:
        """Edit the organisation's profile and projects."""
        return self.system_admin or organisation_id in self.admin_organisation_ids


def user_scope(user: Actor) -> Scope:
    """The scope of a signed-in user's role assignments; empty for anyone else.

    Only the apps' `policy` modules read it: each rule of who may see or do what is
    stated there, once, on top of this computation."""
    if not user.is_authenticated:
        return Scope()
    cached: Scope | None = getattr(user, "_qoldau_scope", None)
    if cached is not None:
        return cached
    orgs: set[int] = set()
    admin_orgs: set[int] = set()
    consultant_orgs: set[int] = set()
    coach_orgs: set[int] = set()
    employer_orgs: set[int] = set()
    interpreter_orgs: set[int] = set()
    regions: set[int] = set()
    roles: set[str] = set()
    for role, organisation_id, region_id in RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role", "organisation_id", "region_id"
    ):
        roles.add(role)
        if role in ORGANISATION_ROLES and organisation_id:
            orgs.add(organisation_id)
            if role == Role.NGO_ADMIN:
                admin_orgs.add(organisation_id)
            elif role == Role.JOB_COACH:
                coach_orgs.add(organisation_id)
        elif role == Role.EMPLOYER_STAFF and organisation_id:
            employer_orgs.add(organisation_id)
        elif role == Role.INTERPRETER and organisation_id:
            interpreter_orgs.add(organisation_id)
        elif role == Role.CONSULTANT and organisation_id:
            consultant_orgs.add(organisation_id)
        elif role == Role.AKIMAT_OFFICER and region_id:
            regions.add(region_id)
    is_superuser = bool(getattr(user, "is_superuser", False))
    scope = Scope(
        organisation_ids=frozenset(orgs),
        admin_organisation_ids=frozenset(admin_orgs),
        consultant_organisation_ids=frozenset(consultant_orgs),
        job_coach_organisation_ids=frozenset(coach_orgs),
        employer_organisation_ids=frozenset(employer_orgs),
        interpreter_organisation_ids=frozenset(interpreter_orgs),
        region_ids=frozenset(regions),
        national=Role.MINISTRY_OFFICER in roles,
        surveyor=Role.SURVEYOR in roles,
        system_admin=Role.SYSTEM_ADMIN in roles or is_superuser,
        roles=frozenset(roles),
    )
    # Cached on the request's user object: one query per request, not per check.
    user.__dict__["_qoldau_scope"] = scope
    return scope
