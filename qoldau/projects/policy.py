"""Who may see and do what with projects, their events, deliveries and figures. Each rule
is stated once here: a query of the projects a user may see or act on, a yes/no check
for one project, and `check_*` with the refusal's message. Views, API handlers,
selectors, services and the apps above ask these; the organisation's own rules (who works
for it, who administers it) are asked of `qoldau.core.policy`.

In the domain's words: a project is seen by the ministry and system administrators
everywhere, by an akimat officer when its organisation is in their region or it works
there, and by its organisation's staff. Its organisation's staff record its deliveries,
events and attendance; its organisation's administrators create and change it; its
organisation's consultants (and staff) record the consultations they answered as its
deliveries. Figures are counted within the same bounds, and never name a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor, user_scope
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.models import Organisation
from qoldau.projects.models import Event, Project

# Projects a user may see ----------------------------------------------------------------


def projects_visible(user: Actor) -> QuerySet[Project]:
    """Projects a user may see: every one for the ministry and system administrators;
    those whose organisation is in their region, or that work in it, for an akimat
    officer; their organisations' for an NGO's staff; none for anyone else."""
    scope = user_scope(user)
    if scope.sees_all_organisations:
        return Project.objects.all()
    condition = Q(organisation_id__in=scope.organisation_ids)
    if scope.region_ids:
        condition |= Q(organisation__region_id__in=scope.region_ids) | Q(regions__in=scope.region_ids)
    return Project.objects.filter(condition).distinct()


def may_see_project(user: Actor, project: Project) -> bool:
    """The check form of `projects_visible`."""
    scope = user_scope(user)
    if scope.sees_all_organisations or project.organisation_id in scope.organisation_ids:
        return True
    if not scope.region_ids:
        return False
    if project.organisation.region_id in scope.region_ids:
        return True
    # `all()` reads the regions a selector prefetched, else asks once.
    return any(region.pk in scope.region_ids for region in project.regions.all())


def check_may_see_project(user: Actor, project: Project | None) -> None:
    """Not found for a project outside the user's scope, the same as for none (`None`)."""
    if project is None or not may_see_project(user, project):
        raise NotFound(_("There is no such project, or it is outside your scope."))


def events_visible(user: Actor) -> QuerySet[Event]:
    """Events a user may see: those of the projects they see."""
    return Event.objects.filter(project__in=projects_visible(user))


def may_see_event(user: Actor, event: Event) -> bool:
    """The check form of `events_visible`."""
    return may_see_project(user, event.project)


def check_may_see_event(user: Actor, event: Event | None) -> None:
    """Not found for an event outside the user's scope, the same as for none (`None`)."""
    if event is None or not may_see_event(user, event):
        raise NotFound(_("There is no such event, or it is outside your scope."))


# Projects a user works for: records deliveries, events and attendance ---------------------


def projects_worked_for(user: Actor) -> QuerySet[Project]:
    """The projects whose deliveries, events and attendance a user records (and whose
    people they are shown): those of the organisations they work for."""
    return Project.objects.filter(core_policy.worked_for_q(user, "organisation"))


def may_work_for_project(user: Actor, project: Project) -> bool:
    """The check form of `projects_worked_for`."""
    return user_scope(user).may_work_for(project.organisation_id)


def check_may_work_for_project(user: Actor, project: Project) -> None:
    if not may_work_for_project(user, project):
        raise PermissionDenied(_("You do not work for this project's organisation."))


def may_record_served_quantity(user: Actor, project: Project) -> bool:
    """Who records a quantity served to a person (the minutes of a session interpreted):
    those who work for the project's organisation, and its sign-language interpreters, for
    the sessions they served. Recording it shows them no one."""
    return (
        may_work_for_project(user, project)
        or project.organisation_id in user_scope(user).interpreter_organisation_ids
    )


def check_may_record_served_quantity(user: Actor, project: Project) -> None:
    if not may_record_served_quantity(user, project):
        raise PermissionDenied(_("You do not work for this project's organisation."))


def check_may_record_for_some_project(user: Actor) -> None:
    """The pages that record a delivery or an event need a project to record it for."""
    if not projects_worked_for(user).exists():
        raise PermissionDenied(_("Only the staff of an organisation with projects can record this."))


# Projects a user administers: creates and changes ----------------------------------------


def projects_administered(user: Actor) -> QuerySet[Project]:
    """The projects a user changes (their period, indicators): those of the organisations
    they administer."""
    return Project.objects.filter(core_policy.administered_q(user, "organisation"))


def may_administer_project(user: Actor, project: Project) -> bool:
    """The check form of `projects_administered`."""
    return user_scope(user).may_administer(project.organisation_id)


def check_may_administer_project(user: Actor, project: Project) -> None:
    if not may_administer_project(user, project):
        raise PermissionDenied(_("Only the organisation's administrators can change projects."))


def organisations_for_new_projects(user: Actor) -> QuerySet[Organisation]:
    """The organisations a user may create projects for: those they administer."""
    return core_policy.organisations_administered(user)


def may_create_project(user: Actor, organisation: Organisation) -> bool:
    """The check form of `organisations_for_new_projects`."""
    return core_policy.may_administer_organisation(user, organisation)


def _refuse_creating_projects() -> PermissionDenied:
    return PermissionDenied(_("Only the organisation's administrators can create projects."))


def check_may_create_project(user: Actor, organisation: Organisation) -> None:
    if not may_create_project(user, organisation):
        raise _refuse_creating_projects()


def may_create_projects(user: Actor) -> bool:
    """Whether there is an organisation the user may create a project for."""
    return organisations_for_new_projects(user).exists()


def check_may_create_projects(user: Actor) -> None:
    """The page that creates a project needs an organisation to create it for."""
    if not may_create_projects(user):
        raise _refuse_creating_projects()


# Consultations recorded as deliveries --------------------------------------------------------


def projects_for_consultations(user: Actor) -> QuerySet[Project]:
    """The projects a user may record an answered consultation for: those of the
    organisations they answer consultations for, or work for. A consultant never sees the
    person's record: the consultation is matched by the IIN's keyed hash."""
    return Project.objects.filter(
        core_policy.consulted_for_q(user, "organisation") | core_policy.worked_for_q(user, "organisation")
    )


def may_record_consultation(user: Actor, project: Project) -> bool:
    """The check form of `projects_for_consultations`."""
    scope = user_scope(user)
    return scope.may_consult_for(project.organisation_id) or scope.may_work_for(project.organisation_id)


def check_may_record_consultation(user: Actor, project: Project) -> None:
    if not may_record_consultation(user, project):
        raise PermissionDenied(_("You do not answer consultations for this project's organisation."))


# Figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountableFigures:
    """The bounds within which a user's figures are counted: the whole country
    (`everything`), else the regions, else the organisations named (none: nothing)."""

    everything: bool = False
    region_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()


def figures_countable_by(user: Actor | None) -> CountableFigures:
    """What a user's impact figures count: the country for the ministry, system
    administrators and the public (user None; the public figures are rounded and
    suppressed elsewhere); their regions for an akimat officer; their organisations'
    projects for an NGO's staff; nothing for anyone else. Aggregates only, never people."""
    if user is None:
        return CountableFigures(everything=True)
    scope = user_scope(user)
    if scope.sees_all_organisations:
        return CountableFigures(everything=True)
    if scope.region_ids:
        return CountableFigures(region_ids=scope.region_ids)
    return CountableFigures(organisation_ids=scope.organisation_ids)


def may_export_figures(user: Actor) -> bool:
    """Exports of the impact report (XLSX, PDF) are for signed-in users (core's rule for
    every export), counted within their scope; the public reads the public dashboard's
    rounded figures instead."""
    return core_policy.may_export(user)


def check_may_export_figures(user: Actor) -> None:
    core_policy.check_may_export(user)
