"""Reads of imports: what a user may import into, the history list, and an earlier run of
the same file."""

from __future__ import annotations

from django.db.models import QuerySet

from qoldau.core.identifiers import is_ascii_digits, normalise_digits
from qoldau.core.models import Organisation
from qoldau.core.services import Actor
from qoldau.imports import policy
from qoldau.imports.models import ImportRun
from qoldau.projects.models import Project
from qoldau.projects.selectors import project_get_for_user


def projects_importable(user: Actor) -> QuerySet[Project]:
    """Projects whose deliveries the user may import (the rule:
    `policy.projects_importable`)."""
    return (
        policy.projects_importable(user)
        .select_related("organisation")
        .order_by("organisation__name_kk", "title_kk")
    )


def organisations_importable(user: Actor) -> QuerySet[Organisation]:
    """Organisations whose people the user may import (the rule:
    `policy.organisations_importable`)."""
    return policy.organisations_importable(user).order_by("name_kk")


def project_for_import(user: Actor, project_id: int) -> Project:
    """A project the user may import deliveries into: not found when they may not see
    it, refused when they see it but do not work for its organisation."""
    project = project_get_for_user(user, project_id)
    policy.check_may_import_into_project(user, project)
    return project


def organisation_for_import(user: Actor, reference: str | int) -> Organisation:
    """An organisation (by id or BIN) whose people the user may import."""
    text = normalise_digits(str(reference).strip())
    organisations = policy.organisations_importable(user)
    found = None
    if is_ascii_digits(text, 12):
        found = organisations.filter(bin=text).first()
    if found is None and is_ascii_digits(text) and len(text) < 19:
        found = organisations.filter(pk=int(text)).first()
    policy.check_may_name_organisation_to_import(user, found)
    assert found is not None  # the check refuses None  # noqa: S101
    return found


def import_runs_for_user(user: Actor) -> QuerySet[ImportRun]:
    """Imports the user may see (the rule: `policy.import_runs_visible`), newest first."""
    return policy.import_runs_visible(user).select_related("organisation", "project", "region", "user")


def import_run_of_file(
    *, kind: str, file_sha256: str, organisation_id: int, project_id: int | None
) -> ImportRun | None:
    """The first import of the same file (same bytes) into the same place, if any."""
    runs = ImportRun.objects.filter(kind=kind, file_sha256=file_sha256, organisation_id=organisation_id)
    runs = runs.filter(project_id=project_id) if project_id is not None else runs.filter(project__isnull=True)
    return runs.order_by("created_at", "pk").first()
