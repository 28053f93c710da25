"""Who may import what, stated once here on top of the projects' and core's rules: people
are imported into an organisation the user works for, deliveries into a project of such
an organisation, and the imports already made are shown to those who work for the
organisation they went into (every one to a system administrator). Officers import
nothing: their role works with figures.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core import policy as core_policy
from qoldau.core.access import Actor, user_scope
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.models import Organisation
from qoldau.imports.models import ImportRun
from qoldau.projects import policy as projects_policy
from qoldau.projects.models import Project


def may_import(user: Actor) -> bool:
    """The staff of an organisation (and system administrators) import people and
    deliveries."""
    return core_policy.may_work_for_some_organisation(user)


def check_may_import(user: Actor) -> None:
    if not may_import(user):
        raise PermissionDenied(_("Only the staff of an organisation can import people and deliveries."))


def may_download_template(user: Actor) -> bool:
    """A template holds an import's columns and the lists of the catalogue (services,
    categories, kinds of object), nothing about anyone: every signed-in user may take one."""
    return bool(user.is_authenticated)


def check_may_download_template(user: Actor) -> None:
    if not may_download_template(user):
        raise PermissionDenied(_("Sign in to download the template."))


# Deliveries, into a project ---------------------------------------------------------------


def projects_importable(user: Actor) -> QuerySet[Project]:
    """The projects a user may import deliveries into: those they record deliveries for."""
    return projects_policy.projects_worked_for(user)


def may_import_into_project(user: Actor, project: Project) -> bool:
    """The check form of `projects_importable`."""
    return projects_policy.may_work_for_project(user, project)


def check_may_import_into_project(user: Actor, project: Project) -> None:
    """Refused (not hidden) for a project the user sees but does not work for."""
    projects_policy.check_may_work_for_project(user, project)


def check_may_import_deliveries(user: Actor) -> None:
    """The page that imports deliveries needs a project to import them into."""
    if not projects_importable(user).exists():
        raise PermissionDenied(_("Your organisation has no project to import deliveries into yet."))


# People, into an organisation ---------------------------------------------------------


def organisations_importable(user: Actor) -> QuerySet[Organisation]:
    """The organisations a user may import people into: those they work for."""
    return core_policy.organisations_worked_for(user)


def may_import_into_organisation(user: Actor, organisation: Organisation) -> bool:
    """The check form of `organisations_importable`."""
    return core_policy.may_work_for_organisation(user, organisation)


def check_may_import_into_organisation(user: Actor, organisation: Organisation) -> None:
    core_policy.check_may_work_for_organisation(user, organisation)


def check_may_name_organisation_to_import(user: Actor, organisation: Organisation | None) -> None:
    """An organisation named by id or BIN for an import is looked for only among those the
    user works for: any other is not found, as is one that does not exist (`None`)."""
    if organisation is None or not may_import_into_organisation(user, organisation):
        raise NotFound(_("There is no such organisation among those you work for."))


# The imports already made -----------------------------------------------------------------


def import_runs_visible(user: Actor) -> QuerySet[ImportRun]:
    """The imports a user may see: those into the organisations they work for; every one
    for a system administrator (the imports of objects into a region included)."""
    return ImportRun.objects.filter(core_policy.worked_for_q(user, "organisation"))


def may_see_import_run(user: Actor, run: ImportRun) -> bool:
    """The check form of `import_runs_visible`."""
    scope = user_scope(user)
    return scope.system_admin or (run.organisation_id is not None and scope.may_work_for(run.organisation_id))
