"""Reads of imports: what a user may import into, the history list, and an earlier run of
the same file."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qoldau.core.access import user_scope
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.identifiers import is_ascii_digits, normalise_digits
from qoldau.core.models import Organisation
from qoldau.core.selectors import organisations_worked_for
from qoldau.core.services import Actor
from qoldau.imports.models import ImportRun
from qoldau.projects.models import Project
from qoldau.projects.selectors import project_get_for_user, projects_recordable


def projects_importable(user: Actor) -> QuerySet[Project]:
    """Projects whose deliveries the user may import: their organisations' projects."""
    return projects_recordable(user).order_by("organisation__name_kk", "title_kk")


def organisations_importable(user: Actor) -> QuerySet[Organisation]:
    """Organisations whose people the user may import."""
    return organisations_worked_for(user).order_by("name_kk")


def project_for_import(user: Actor, project_id: int) -> Project:
    """A project the user may import deliveries into: not found when they may not see
    it, refused when they see it but do not work for its organisation."""
    project = project_get_for_user(user, project_id)
    if not user_scope(user).may_work_for(project.organisation_id):
        raise PermissionDenied(_("You do not work for this project's organisation."))
    return project


def organisation_for_import(user: Actor, reference: str | int) -> Organisation:
    """An organisation (by id or BIN) whose people the user may import."""
    text = normalise_digits(str(reference).strip())
    organisations = organisations_worked_for(user)
    found = None
    if is_ascii_digits(text, 12):
        found = organisations.filter(bin=text).first()
    if found is None and is_ascii_digits(text) and len(text) < 19:
        found = organisations.filter(pk=int(text)).first()
    if found is None:
        raise NotFound(_("There is no such organisation among those you work for."))
    return found


def import_runs_for_user(user: Actor) -> QuerySet[ImportRun]:
    """Imports into the organisations the user works for, newest first."""
    scope = user_scope(user)
    runs = ImportRun.objects.select_related("organisation", "project", "region", "user")
    if scope.system_admin:
        return runs
    return runs.filter(organisation_id__in=scope.organisation_ids)


def import_run_of_file(
    *, kind: str, file_sha256: str, organisation_id: int, project_id: int | None
) -> ImportRun | None:
    """The first import of the same file (same bytes) into the same place, if any."""
    runs = ImportRun.objects.filter(kind=kind, file_sha256=file_sha256, organisation_id=organisation_id)
    runs = runs.filter(project_id=project_id) if project_id is not None else runs.filter(project__isnull=True)
    return runs.order_by("created_at", "pk").first()
