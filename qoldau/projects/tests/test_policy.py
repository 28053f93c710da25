"""projects.policy: every rule's check form, query form and refusal against one table of
the cast's users × projects (or events), and each refusal's message."""

from __future__ import annotations

import datetime as dt

import pytest

from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.tests import factories
from qoldau.core.tests.policy_cases import (
    EVERYONE,
    Refusal,
    cast,
    nobody_but,
    refusal,
    rule_mismatches,
    user_mismatches,
)
from qoldau.projects import policy, services
from qoldau.projects.policy import CountableFigures
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    return cast()


@pytest.fixture
def projects(c):
    """A project of each NGO in its own region, one of the Turkistan NGO that also works in
    Almaty, and one of an Almaty organisation nobody in the cast works for."""
    w = c.world
    in_almaty_too = services.project_create(
        actor=w.turkistan_admin,
        organisation=w.turkistan_ngo,
        data=services.ProjectInput(
            title_kk="Алматыдағы жоба",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 12, 31),
            funding_source="state_grant",
            region_ids=[w.turkistan_ngo.region_id, w.almaty_ngo.region_id],
        ),
    )
    return {
        "almaty_project": project_factories.project(w.almaty_admin, w.almaty_ngo),
        "turkistan_project": project_factories.project(w.turkistan_admin, w.turkistan_ngo),
        "turkistan_in_almaty": in_almaty_too,
        "other_project": project_factories.project(w.sysadmin, c.almaty_other),
    }


ALL_PROJECTS = {"almaty_project", "turkistan_project", "turkistan_in_almaty", "other_project"}
TURKISTAN_PROJECTS = {"turkistan_project", "turkistan_in_almaty"}

SEEN = nobody_but(
    almaty_staff={"almaty_project"},
    almaty_admin={"almaty_project"},
    turkistan_staff=TURKISTAN_PROJECTS,
    turkistan_admin=TURKISTAN_PROJECTS,
    akimat_almaty={"almaty_project", "turkistan_in_almaty", "other_project"},
    akimat_turkistan=TURKISTAN_PROJECTS,
    ministry=ALL_PROJECTS,
    sysadmin=ALL_PROJECTS,
)


def test_who_sees_which_project(c, projects):
    assert (
        rule_mismatches(
            c.users,
            projects,
            SEEN,
            check=policy.may_see_project,
            query=policy.projects_visible,
            refuse=policy.check_may_see_project,
        )
        == []
    )


def test_the_check_reads_the_projects_regions_without_a_prefetch(c, projects):
    """An akimat officer sees a project of another region's NGO that works in theirs, also
    when the project was read without its regions."""
    from qoldau.projects.models import Project

    project = Project.objects.get(pk=projects["turkistan_in_almaty"].pk)
    assert policy.may_see_project(c.world.akimat_almaty, project)


def test_a_project_outside_the_scope_is_not_found_as_is_none(c, projects):
    expected = Refusal(NotFound, 404, "There is no such project, or it is outside your scope.")
    assert refusal(
        lambda: policy.check_may_see_project(c.world.almaty_staff, projects["turkistan_project"])
    ) == (expected)
    assert refusal(lambda: policy.check_may_see_project(c.world.ministry, None)) == expected


def test_who_sees_which_event(c, projects):
    events = {
        f"event_of_{name}": services.event_record(
            actor=c.world.sysadmin,
            project=project,
            data=services.EventInput(kind="training", title_kk="Оқыту", held_on=dt.date(2025, 3, 1)),
        )
        for name, project in projects.items()
    }
    table = {user: {f"event_of_{name}" for name in seen} for user, seen in SEEN.items()}
    assert (
        rule_mismatches(
            c.users,
            events,
            table,
            check=policy.may_see_event,
            query=policy.events_visible,
            refuse=policy.check_may_see_event,
        )
        == []
    )
    assert refusal(
        lambda: policy.check_may_see_event(c.world.akimat_turkistan, events["event_of_almaty_project"])
    ) == Refusal(NotFound, 404, "There is no such event, or it is outside your scope.")
    assert refusal(lambda: policy.check_may_see_event(c.world.sysadmin, None)) == Refusal(
        NotFound, 404, "There is no such event, or it is outside your scope."
    )


def test_who_records_for_which_project(c, projects):
    table = nobody_but(
        almaty_staff={"almaty_project"},
        almaty_admin={"almaty_project"},
        turkistan_staff=TURKISTAN_PROJECTS,
        turkistan_admin=TURKISTAN_PROJECTS,
        sysadmin=ALL_PROJECTS,
    )
    assert (
        rule_mismatches(
            c.users,
            projects,
            table,
            check=policy.may_work_for_project,
            query=policy.projects_worked_for,
            refuse=policy.check_may_work_for_project,
        )
        == []
    )


def test_recording_for_a_project_one_only_sees_is_refused_with_its_reason(c, projects):
    assert refusal(
        lambda: policy.check_may_work_for_project(c.world.akimat_almaty, projects["almaty_project"])
    ) == Refusal(PermissionDenied, 403, "You do not work for this project's organisation.")


def test_recording_needs_a_project_to_record_for(c, projects):
    staff = {"almaty.staff", "almaty.admin", "turkistan.staff", "turkistan.admin", "sysadmin"}
    assert (
        user_mismatches(
            c.users,
            staff,
            check=lambda user: policy.projects_worked_for(user).exists(),
            refuse=policy.check_may_record_for_some_project,
        )
        == []
    )
    without_projects = factories.organisation(name="«Жобасыз» бірлестігі")
    newcomer = factories.user("newcomer.staff", "ngo_staff", org=without_projects)
    assert refusal(lambda: policy.check_may_record_for_some_project(newcomer)) == Refusal(
        PermissionDenied, 403, "Only the staff of an organisation with projects can record this."
    )


def test_who_changes_which_project(c, projects):
    table = nobody_but(
        almaty_admin={"almaty_project"}, turkistan_admin=TURKISTAN_PROJECTS, sysadmin=ALL_PROJECTS
    )
    assert (
        rule_mismatches(
            c.users,
            projects,
            table,
            check=policy.may_administer_project,
            query=policy.projects_administered,
            refuse=policy.check_may_administer_project,
        )
        == []
    )
    assert refusal(
        lambda: policy.check_may_administer_project(c.world.almaty_staff, projects["almaty_project"])
    ) == Refusal(PermissionDenied, 403, "Only the organisation's administrators can change projects.")


def test_who_creates_projects_for_which_organisation(c):
    w = c.world
    organisations = {
        "almaty_ngo": w.almaty_ngo,
        "almaty_other": c.almaty_other,
        "turkistan_ngo": w.turkistan_ngo,
    }
    table = nobody_but(
        almaty_admin={"almaty_ngo"},
        turkistan_admin={"turkistan_ngo"},
        sysadmin={"almaty_ngo", "almaty_other", "turkistan_ngo"},
    )
    assert (
        rule_mismatches(
            c.users,
            organisations,
            table,
            check=policy.may_create_project,
            query=policy.organisations_for_new_projects,
            refuse=policy.check_may_create_project,
        )
        == []
    )
    admins = {"almaty.admin", "turkistan.admin", "sysadmin"}
    assert (
        user_mismatches(
            c.users, admins, check=policy.may_create_projects, refuse=policy.check_may_create_projects
        )
        == []
    )
    expected = Refusal(PermissionDenied, 403, "Only the organisation's administrators can create projects.")
    assert refusal(lambda: policy.check_may_create_project(w.almaty_staff, w.almaty_ngo)) == expected
    assert refusal(lambda: policy.check_may_create_projects(w.ministry)) == expected


def test_who_records_consultations_for_which_project(c, projects):
    table = nobody_but(
        almaty_consultant={"almaty_project"},
        almaty_staff={"almaty_project"},
        almaty_admin={"almaty_project"},
        turkistan_staff=TURKISTAN_PROJECTS,
        turkistan_admin=TURKISTAN_PROJECTS,
        sysadmin=ALL_PROJECTS,
    )
    assert (
        rule_mismatches(
            c.users,
            projects,
            table,
            check=policy.may_record_consultation,
            query=policy.projects_for_consultations,
            refuse=policy.check_may_record_consultation,
        )
        == []
    )
    consultant = c.users["almaty.consultant"]
    assert refusal(
        lambda: policy.check_may_record_consultation(consultant, projects["turkistan_project"])
    ) == (Refusal(PermissionDenied, 403, "You do not answer consultations for this project's organisation."))


def test_what_each_users_figures_count(c):
    w = c.world
    nothing = CountableFigures()
    expected = {name: nothing for name in EVERYONE} | {
        "almaty.staff": CountableFigures(organisation_ids=frozenset({w.almaty_ngo.pk})),
        "almaty.admin": CountableFigures(organisation_ids=frozenset({w.almaty_ngo.pk})),
        "turkistan.staff": CountableFigures(organisation_ids=frozenset({w.turkistan_ngo.pk})),
        "turkistan.admin": CountableFigures(organisation_ids=frozenset({w.turkistan_ngo.pk})),
        "akimat.almaty": CountableFigures(region_ids=frozenset({w.almaty_ngo.region_id})),
        "akimat.turkistan": CountableFigures(region_ids=frozenset({w.turkistan_ngo.region_id})),
        "ministry": CountableFigures(everything=True),
        "sysadmin": CountableFigures(everything=True),
    }
    assert {name: policy.figures_countable_by(user) for name, user in c.users.items()} == expected
    # The public (no user) counts the country; its figures are rounded and suppressed.
    assert policy.figures_countable_by(None) == CountableFigures(everything=True)


def test_only_signed_in_users_export_the_figures(c):
    assert (
        user_mismatches(
            c.users,
            EVERYONE - {"anonymous"},
            check=policy.may_export_figures,
            refuse=policy.check_may_export_figures,
        )
        == []
    )
    assert refusal(lambda: policy.check_may_export_figures(c.users["anonymous"])) == Refusal(
        PermissionDenied, 403, "Sign in to export the report."
    )
