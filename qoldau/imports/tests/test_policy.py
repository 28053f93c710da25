"""imports.policy: who imports at all, into which project and organisation, and which
imports they see; each rule's check form, query form and refusal against one table of the
cast's users × records, and each refusal's message."""

from __future__ import annotations

import pytest

from qoldau.access.imports import import_objects
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.models import Place
from qoldau.core.tests import factories
from qoldau.core.tests.policy_cases import (
    Refusal,
    cast,
    nobody_but,
    refusal,
    rule_mismatches,
    user_mismatches,
)
from qoldau.imports import policy
from qoldau.imports.models import ImportRun
from qoldau.imports.services import ImportSource, import_people
from qoldau.imports.tests.files import write_csv
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db

STAFF = {"almaty.staff", "almaty.admin", "turkistan.staff", "turkistan.admin", "sysadmin"}


@pytest.fixture
def c():
    return cast()


@pytest.fixture
def projects(c):
    w = c.world
    return {
        "almaty_project": project_factories.project(w.almaty_admin, w.almaty_ngo),
        "turkistan_project": project_factories.project(w.turkistan_admin, w.turkistan_ngo),
        "other_project": project_factories.project(w.sysadmin, c.almaty_other),
    }


def test_only_the_staff_of_an_organisation_import(c):
    assert user_mismatches(c.users, STAFF, check=policy.may_import, refuse=policy.check_may_import) == []
    assert refusal(lambda: policy.check_may_import(c.world.akimat_almaty)) == Refusal(
        PermissionDenied, 403, "Only the staff of an organisation can import people and deliveries."
    )


def test_who_imports_deliveries_into_which_project(c, projects):
    table = nobody_but(
        almaty_staff={"almaty_project"},
        almaty_admin={"almaty_project"},
        turkistan_staff={"turkistan_project"},
        turkistan_admin={"turkistan_project"},
        sysadmin={"almaty_project", "turkistan_project", "other_project"},
    )
    assert (
        rule_mismatches(
            c.users,
            projects,
            table,
            check=policy.may_import_into_project,
            query=policy.projects_importable,
            refuse=policy.check_may_import_into_project,
        )
        == []
    )
    assert refusal(
        lambda: policy.check_may_import_into_project(c.world.akimat_almaty, projects["almaty_project"])
    ) == Refusal(PermissionDenied, 403, "You do not work for this project's organisation.")


def test_importing_deliveries_needs_a_project(c, projects):
    assert (
        user_mismatches(
            c.users,
            STAFF,
            check=lambda user: policy.projects_importable(user).exists(),
            refuse=policy.check_may_import_deliveries,
        )
        == []
    )
    newcomer = factories.user(
        "newcomer.staff", "ngo_staff", org=factories.organisation(name="«Жобасыз» бірлестігі")
    )
    assert refusal(lambda: policy.check_may_import_deliveries(newcomer)) == Refusal(
        PermissionDenied, 403, "Your organisation has no project to import deliveries into yet."
    )


def test_who_imports_people_into_which_organisation(c):
    w = c.world
    organisations = {
        "almaty_ngo": w.almaty_ngo,
        "almaty_other": c.almaty_other,
        "turkistan_ngo": w.turkistan_ngo,
    }
    table = nobody_but(
        almaty_staff={"almaty_ngo"},
        almaty_admin={"almaty_ngo"},
        turkistan_staff={"turkistan_ngo"},
        turkistan_admin={"turkistan_ngo"},
        sysadmin={"almaty_ngo", "almaty_other", "turkistan_ngo"},
    )
    for refuse in (policy.check_may_import_into_organisation, policy.check_may_name_organisation_to_import):
        assert (
            rule_mismatches(
                c.users,
                organisations,
                table,
                check=policy.may_import_into_organisation,
                query=policy.organisations_importable,
                refuse=refuse,
            )
            == []
        )
    assert refusal(
        lambda: policy.check_may_import_into_organisation(w.almaty_staff, w.turkistan_ngo)
    ) == Refusal(PermissionDenied, 403, "You do not work for this organisation.")
    # Named by id or BIN, an organisation the user does not work for is not found, as is none.
    not_found = Refusal(NotFound, 404, "There is no such organisation among those you work for.")
    assert (
        refusal(lambda: policy.check_may_name_organisation_to_import(w.almaty_staff, w.turkistan_ngo))
        == not_found
    )
    assert refusal(lambda: policy.check_may_name_organisation_to_import(w.almaty_staff, None)) == not_found


def test_who_sees_which_import(c, tmp_path):
    w = c.world
    for actor, organisation, name in (
        (w.almaty_staff, w.almaty_ngo, "almaty.csv"),
        (w.turkistan_staff, w.turkistan_ngo, "turkistan.csv"),
    ):
        path = write_csv(
            tmp_path / name,
            ["IIN", "Last name", "First name", "Region (KATO)", "Consent date"],
            [[factories.valid_iin(), "Жұмабаева", "Гүлнар", "750000000", "2025-02-01"]],
        )
        import_people(actor=actor, organisation=organisation, source=ImportSource(path, path.name))
    objects = tmp_path / "objects.csv"
    objects.write_text(
        "Номер в реестре;Атауы;Наименование;Адрес;Район;Вид объекта;Собственник;Широта;Долгота\n"
        "A-1;Қалалық емхана №5;Поликлиника №5;Абай даңғылы, 10;Алмалинский район;health;;43.2389;76.8897\n",
        encoding="utf-8",
    )
    import_objects(
        actor=w.akimat_almaty,
        region=Place.objects.get(kato=factories.ALMATY),
        source=ImportSource(objects, objects.name),
    )
    runs = {
        "into_almaty_ngo": ImportRun.objects.get(file_name="almaty.csv"),
        "into_turkistan_ngo": ImportRun.objects.get(file_name="turkistan.csv"),
        "objects_of_almaty": ImportRun.objects.get(file_name="objects.csv"),
    }
    assert runs["objects_of_almaty"].organisation_id is None
    table = nobody_but(
        almaty_staff={"into_almaty_ngo"},
        almaty_admin={"into_almaty_ngo"},
        turkistan_staff={"into_turkistan_ngo"},
        turkistan_admin={"into_turkistan_ngo"},
        sysadmin=set(runs),
    )
    assert (
        rule_mismatches(
            c.users, runs, table, check=policy.may_see_import_run, query=policy.import_runs_visible
        )
        == []
    )
