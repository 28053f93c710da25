"""core.policy: every rule's check form, query form and refusal against one table of the
cast's users × records, each refusal's message, and the conventions that keep the rules
in the policy modules."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from qoldau.core import policy, services
from qoldau.core.errors import NotFound, PermissionDenied
from qoldau.core.jobs import job_start
from qoldau.core.notifications import notify
from qoldau.core.tests.policy_cases import (
    Refusal,
    cast,
    nobody_but,
    refusal,
    rule_mismatches,
    user_mismatches,
)
from qoldau.core.tests.worker_tasks import blocking_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    return cast()


@pytest.fixture
def organisations(c):
    w = c.world
    return {"almaty_ngo": w.almaty_ngo, "almaty_other": c.almaty_other, "turkistan_ngo": w.turkistan_ngo}


ALL_ORGANISATIONS = {"almaty_ngo", "almaty_other", "turkistan_ngo"}


# Organisations ---------------------------------------------------------------------------


def test_who_sees_which_organisation(c, organisations):
    table = nobody_but(
        almaty_staff={"almaty_ngo"},
        almaty_admin={"almaty_ngo"},
        turkistan_staff={"turkistan_ngo"},
        turkistan_admin={"turkistan_ngo"},
        akimat_almaty={"almaty_ngo", "almaty_other"},
        akimat_turkistan={"turkistan_ngo"},
        ministry=ALL_ORGANISATIONS,
        sysadmin=ALL_ORGANISATIONS,
    )
    assert (
        rule_mismatches(
            c.users,
            organisations,
            table,
            check=policy.may_see_organisation,
            query=policy.organisations_visible,
            refuse=policy.check_may_see_organisation,
        )
        == []
    )


def test_an_organisation_outside_the_scope_is_not_found_as_is_none(c):
    expected = Refusal(NotFound, 404, "There is no such organisation, or it is outside your scope.")
    assert (
        refusal(lambda: policy.check_may_see_organisation(c.world.almaty_staff, c.world.turkistan_ngo))
        == expected
    )
    assert refusal(lambda: policy.check_may_see_organisation(c.world.ministry, None)) == expected


def test_who_works_for_which_organisation(c, organisations):
    table = nobody_but(
        almaty_staff={"almaty_ngo"},
        almaty_admin={"almaty_ngo"},
        turkistan_staff={"turkistan_ngo"},
        turkistan_admin={"turkistan_ngo"},
        sysadmin=ALL_ORGANISATIONS,
    )
    assert (
        rule_mismatches(
            c.users,
            organisations,
            table,
            check=policy.may_work_for_organisation,
            query=policy.organisations_worked_for,
            refuse=policy.check_may_work_for_organisation,
        )
        == []
    )


def test_working_for_another_organisation_is_refused_with_its_reason(c):
    assert refusal(
        lambda: policy.check_may_work_for_organisation(c.world.akimat_almaty, c.world.almaty_ngo)
    ) == Refusal(PermissionDenied, 403, "You do not work for this organisation.")


def test_who_works_for_some_organisation_and_registers_people(c):
    staff = {"almaty.staff", "almaty.admin", "turkistan.staff", "turkistan.admin", "sysadmin"}
    assert user_mismatches(c.users, staff, check=policy.may_work_for_some_organisation) == []
    assert (
        user_mismatches(
            c.users,
            staff,
            check=lambda user: policy.organisations_worked_for(user).exists(),
            refuse=policy.check_may_register_people,
        )
        == []
    )
    assert refusal(lambda: policy.check_may_register_people(c.users["ministry"])) == Refusal(
        PermissionDenied, 403, "Only the staff of an organisation can register people."
    )


def test_who_administers_which_organisation_and_sees_its_staff(c, organisations):
    table = nobody_but(
        almaty_admin={"almaty_ngo"}, turkistan_admin={"turkistan_ngo"}, sysadmin=ALL_ORGANISATIONS
    )
    assert (
        rule_mismatches(
            c.users,
            organisations,
            table,
            check=policy.may_administer_organisation,
            query=policy.organisations_administered,
            refuse=policy.check_may_administer_organisation,
        )
        == []
    )
    assert (
        rule_mismatches(
            c.users,
            organisations,
            table,
            check=policy.may_see_organisation_staff,
            query=policy.organisations_with_staff_visible,
        )
        == []
    )


def test_changing_an_organisation_one_does_not_administer_is_refused_with_its_reason(c):
    assert refusal(
        lambda: policy.check_may_administer_organisation(c.world.almaty_staff, c.world.almaty_ngo)
    ) == Refusal(PermissionDenied, 403, "Only the organisation's administrators can change its profile.")


def test_who_answers_which_organisations_consultations(c, organisations):
    table = nobody_but(almaty_consultant={"almaty_ngo"})
    assert (
        rule_mismatches(
            c.users,
            organisations,
            table,
            check=policy.may_consult_for_organisation,
            query=policy.organisations_consulted_for,
        )
        == []
    )
    assert (
        user_mismatches(c.users, {"almaty.consultant"}, check=policy.may_consult_for_some_organisation) == []
    )


def test_only_system_administrators_register_organisations(c):
    assert (
        user_mismatches(
            c.users,
            {"sysadmin"},
            check=policy.may_register_organisations,
            refuse=policy.check_may_register_organisations,
        )
        == []
    )
    assert refusal(lambda: policy.check_may_register_organisations(c.world.ministry)) == Refusal(
        PermissionDenied, 403, "Only system administrators can register organisations."
    )


# People ----------------------------------------------------------------------------------


@pytest.fixture
def people(c):
    w = c.world
    withdrawn = w.almaty_people[1]
    services.consent_withdraw(
        actor=w.almaty_staff, person=withdrawn, organisation=w.almaty_ngo, withdrawn_on=dt.date(2025, 2, 1)
    )
    return {
        "almaty_person": w.almaty_people[0],
        "almaty_withdrawn": withdrawn,
        "turkistan_person": w.turkistan_people[0],
    }


def test_who_sees_which_person(c, people):
    table = nobody_but(
        almaty_staff={"almaty_person"},
        almaty_admin={"almaty_person"},
        turkistan_staff={"turkistan_person"},
        turkistan_admin={"turkistan_person"},
        sysadmin={"almaty_person", "almaty_withdrawn", "turkistan_person"},
    )
    for refuse in (policy.check_may_see_person, policy.check_may_edit_person):
        assert (
            rule_mismatches(
                c.users,
                people,
                table,
                check=policy.may_see_person,
                query=policy.people_visible,
                refuse=refuse,
            )
            == []
        )
    assert (
        rule_mismatches(
            c.users,
            people,
            table,
            check=policy.may_edit_person,
            query=lambda user: policy.people_visible(user),
        )
        == []
    )
    for name, user in c.users.items():
        shown = policy.people_visible_among(user, [p.pk for p in people.values()])
        assert shown == {people[record].pk for record in table[name]}, name


def test_a_person_one_may_not_see_is_not_found_as_is_none(c, people):
    expected = Refusal(NotFound, 404, "There is no such person among the people you serve.")
    assert (
        refusal(lambda: policy.check_may_see_person(c.world.almaty_staff, people["almaty_withdrawn"]))
        == expected
    )
    assert (
        refusal(lambda: policy.check_may_edit_person(c.world.akimat_almaty, people["almaty_person"]))
        == expected
    )
    assert refusal(lambda: policy.check_may_see_person(c.world.sysadmin, None)) == expected


def test_officers_and_consultants_work_with_figures_not_people(c):
    staff = {"almaty.staff", "almaty.admin", "turkistan.staff", "turkistan.admin", "sysadmin"}
    assert (
        user_mismatches(c.users, staff, check=policy.may_see_people, refuse=policy.check_may_see_people) == []
    )
    assert refusal(lambda: policy.check_may_see_people(c.world.akimat_almaty)) == Refusal(
        PermissionDenied, 403, "Your role works with aggregate figures, not with people."
    )


def test_only_system_administrators_read_the_audit_log(c):
    assert (
        user_mismatches(
            c.users, {"sysadmin"}, check=policy.may_read_audit_log, refuse=policy.check_may_read_audit_log
        )
        == []
    )
    assert refusal(lambda: policy.check_may_read_audit_log(c.world.ministry)) == Refusal(
        PermissionDenied, 403, "Only system administrators can read the audit log."
    )


# Jobs and notifications ----------------------------------------------------------------------


@pytest.fixture
def jobs(c):
    def started_by(user):
        return job_start(actor=user, kind="tests.policy", task=blocking_job, params={}, language="en")

    return {
        "almaty_job": started_by(c.world.almaty_staff),
        "turkistan_job": started_by(c.world.turkistan_staff),
    }


def test_who_follows_which_job(c, jobs):
    table = nobody_but(
        almaty_staff={"almaty_job"},
        turkistan_staff={"turkistan_job"},
        sysadmin={"almaty_job", "turkistan_job"},
    )
    assert (
        rule_mismatches(
            c.users,
            jobs,
            table,
            check=policy.may_see_job,
            query=policy.jobs_visible,
            refuse=policy.check_may_see_job,
        )
        == []
    )
    assert refusal(lambda: policy.check_may_see_job(c.world.turkistan_staff, jobs["almaty_job"])) == Refusal(
        NotFound, 404, "There is no such job, or it is not yours."
    )
    assert refusal(lambda: policy.check_may_see_job(c.world.sysadmin, None)) == Refusal(
        NotFound, 404, "There is no such job, or it is not yours."
    )


def test_only_who_started_a_job_runs_it_again(c, jobs):
    table = nobody_but(almaty_staff={"almaty_job"}, turkistan_staff={"turkistan_job"})
    assert (
        rule_mismatches(
            c.users,
            jobs,
            table,
            check=policy.may_run_job_again,
            query=policy.jobs_runnable_again_by,
            refuse=policy.check_may_run_job_again,
        )
        == []
    )
    assert refusal(lambda: policy.check_may_run_job_again(c.world.sysadmin, jobs["almaty_job"])) == Refusal(
        PermissionDenied, 403, "Only the person who started a job can run it again."
    )


def test_who_reads_which_notification(c):
    def note(user, email=""):
        return notify(user=user, kind="tests.policy", subject="Subject", body="Body", email=email)

    notes = {
        "to_almaty_staff": note(c.world.almaty_staff),
        "to_turkistan_staff": note(c.world.turkistan_staff),
        "to_an_address": note(None, email="someone@example.org"),
    }
    table = nobody_but(
        almaty_staff={"to_almaty_staff"},
        turkistan_staff={"to_turkistan_staff"},
        sysadmin={"to_almaty_staff", "to_turkistan_staff", "to_an_address"},
    )
    assert (
        rule_mismatches(
            c.users, notes, table, check=policy.may_read_notification, query=policy.notifications_visible
        )
        == []
    )
    assert user_mismatches(c.users, {"sysadmin"}, check=policy.may_read_every_notification) == []


# What a user is shown of their own scope ---------------------------------------------------


def test_the_menu_opens_the_sections_of_each_role(c):
    people_work = policy.Menu(people=True, accessibility=True)
    expected = {
        "anonymous": policy.Menu(),
        "nobody": policy.Menu(),
        "almaty.staff": people_work,
        "almaty.admin": people_work,
        "turkistan.staff": people_work,
        "turkistan.admin": people_work,
        "akimat.almaty": policy.Menu(accessibility=True, quota=True),
        "akimat.turkistan": policy.Menu(accessibility=True, quota=True),
        "ministry": policy.Menu(accessibility=True, quota=True),
        # A system administrator oversees every organisation's consultations queue.
        "sysadmin": policy.Menu(
            people=True,
            accessibility=True,
            consultations=True,
            quota=True,
            audit_log=True,
            administration=True,
        ),
        "almaty.consultant": policy.Menu(consultations=True),
        "surveyor": policy.Menu(survey=True),
    }
    assert {name: policy.menu(user) for name, user in c.users.items()} == expected
    # Each entry is open exactly to those its page lets in.
    assert {n for n, m in expected.items() if m.people} == {
        n for n, u in c.users.items() if policy.may_see_people(u)
    }
    assert {n for n, m in expected.items() if m.audit_log} == {
        n for n, u in c.users.items() if policy.may_read_audit_log(u)
    }


def test_a_user_is_told_their_own_scope_only(c):
    w = c.world
    assert policy.scope_summary(w.almaty_admin) == policy.ScopeSummary(
        roles=["ngo_admin"], organisation_ids=[w.almaty_ngo.pk], region_ids=[]
    )
    assert policy.scope_summary(w.akimat_almaty) == policy.ScopeSummary(
        roles=["akimat_officer"], organisation_ids=[], region_ids=[w.almaty_ngo.region_id]
    )
    assert policy.scope_summary(c.users["anonymous"]) == policy.ScopeSummary(
        roles=[], organisation_ids=[], region_ids=[]
    )


def _main_menu_links(client) -> set[str]:
    page = client.get("/").content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    return set(re.findall(r'href="([^"]+)"', nav))


def test_the_header_shows_the_entries_the_menu_opens(c):
    entries = {
        "people": reverse("core:people"),
        "accessibility": reverse("access:objects"),
        "survey": reverse("access:survey"),
        "consultations": reverse("consult:queue"),
        "audit_log": reverse("core:audit"),
        "administration": reverse("admin:index"),
    }
    for name, user in c.users.items():
        if not user.is_authenticated:
            continue
        client = Client()
        client.force_login(user)
        shown = _main_menu_links(client)
        menu = policy.menu(user)
        assert {entry for entry, link in entries.items() if link in shown} == {
            entry for entry in entries if getattr(menu, entry)
        }, name
        register = reverse("core:organisation_create")
        assert (
            register in client.get("/organisations/").content.decode()
        ) is policy.may_register_organisations(user), name


# Conventions: the rules live in the policy modules -------------------------------------------

# The apps whose rules are in a policy module; the others follow (the check then covers them).
APPS_WITH_POLICY = (
    "core",
    "projects",
    "imports",
    "consult",
    "dashboard",
    "portal",
    "access",
    "contests",
    "bot",
    "console",
)


def _modules(app: str) -> list[Path]:
    root = Path(settings.BASE_DIR) / "qoldau" / app
    return [m for m in root.rglob("*.py") if "tests" not in m.parts and "migrations" not in m.parts]


def test_only_policy_modules_read_the_raw_scope():
    allowed = {Path(settings.BASE_DIR) / "qoldau" / "core" / "access.py"}
    callers = [
        str(module.relative_to(settings.BASE_DIR))
        for app in APPS_WITH_POLICY
        for module in _modules(app)
        if module.name != "policy.py"
        and module not in allowed
        and re.search(r"\buser_scope\(", module.read_text(encoding="utf-8"))
    ]
    assert callers == []


def _translated_strings(module: Path) -> set[str]:
    """The sentences a module passes to gettext (`_`, `gettext`, `gettext_lazy`)."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"_", "gettext", "gettext_lazy"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def test_each_refusal_is_written_once_in_its_policy():
    """A policy's refusal sentences are written nowhere else in these apps: not in another
    of their policies, nor in any of their views, API handlers, selectors or services.
    (Another app may refuse its own action with the same words, in its own policy.)"""
    strings = {m: _translated_strings(m) for app in APPS_WITH_POLICY for m in _modules(app)}
    policies = [m for m in strings if m.name == "policy.py"]
    assert {m.parent.name for m in policies} == {
        "core",
        "projects",
        "imports",
        "consult",
        "access",
        "contests",
    }
    elsewhere = {}
    for policy_module in policies:
        refusals = strings[policy_module]
        assert refusals, policy_module
        for sentence in refusals:
            others = [
                str(m.relative_to(settings.BASE_DIR))
                for m, found in strings.items()
                if sentence in found and m != policy_module
            ]
            if others:
                elsewhere[sentence] = others
    assert elsewhere == {}
