"""A public service is the outermost transaction: it opens `transaction.atomic(durable=True)`.
A service that joins its caller's transaction says so: it is private, or named
`<service>_in_transaction` and begins with `check_in_transaction()` (CONTRIBUTING.md, "Where
code goes"; `qoldau/core/transactions.py`)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from qoldau.contests import services as contests_services
from qoldau.contests.tests import factories as contests_factories
from qoldau.core import services as core_services
from qoldau.core.models import Organisation
from qoldau.core.tests import factories
from qoldau.core.transactions import check_in_transaction
from qoldau.projects import services as projects_services
from qoldau.projects.tests import factories as projects_factories

ROOT = Path(settings.BASE_DIR, "qoldau")
# Apps whose services this test does not check yet, each with its reason (none now: the
# imports app's services open durable transactions too).
NOT_CHECKED_YET: dict[str, str] = {}


def _is_atomic(node: ast.expr) -> bool:
    called = node.func if isinstance(node, ast.Call) else node
    return isinstance(called, ast.Attribute) and called.attr == "atomic"


def _is_durable(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and any(
        keyword.arg == "durable" and isinstance(keyword.value, ast.Constant) and keyword.value.value is True
        for keyword in node.keywords
    )


def _outermost_atomics(nodes: list[ast.stmt]) -> list[ast.expr]:
    """The `transaction.atomic(...)` of each `with` not inside another one (those inside
    are savepoints), in a function's own body (not in functions defined within it)."""
    found: list[ast.expr] = []
    for node in nodes:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if isinstance(node, ast.With):
            atomics = [item.context_expr for item in node.items if _is_atomic(item.context_expr)]
            if atomics:
                found.extend(atomics)
                continue
        found.extend(_outermost_atomics([c for c in ast.iter_child_nodes(node) if isinstance(c, ast.stmt)]))
    return found


def _first_statement(function: ast.FunctionDef) -> ast.stmt | None:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return body[0] if body else None


def transaction_problems(source: str, where: str) -> list[str]:
    """What breaks the rule in one module's source."""
    problems = []
    for function in ast.parse(source).body:
        if not isinstance(function, ast.FunctionDef) or function.name.startswith("_"):
            continue
        at = f"{where}:{function.lineno} {function.name}"
        if function.name.endswith("_in_transaction"):
            first = _first_statement(function)
            if not (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Call)
                and ast.unparse(first.value.func) == "check_in_transaction"
            ):
                problems.append(f"{at}: begin with check_in_transaction()")
            continue
        decorators = [d for d in function.decorator_list if _is_atomic(d)]
        if decorators:
            problems.extend(
                f"{at}: @transaction.atomic(durable=True)" for d in decorators if not _is_durable(d)
            )
            continue  # every `with transaction.atomic()` inside is a savepoint
        problems.extend(
            f"{at}: transaction.atomic(durable=True), or join the caller's transaction in "
            f"{function.name}_in_transaction"
            for atomic in _outermost_atomics(function.body)
            if not _is_durable(atomic)
        )
    return problems


def services_modules() -> list[Path]:
    """Every services module (`services.py`, or a module of a `services` package) of the
    apps, but for those not checked yet."""
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if (path.name == "services.py" or path.parent.name == "services")
        and not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
        and path.relative_to(ROOT).parts[0] not in NOT_CHECKED_YET
    ]


def test_every_public_service_opens_a_durable_transaction():
    modules = services_modules()
    assert len(modules) >= 10, modules
    problems = [
        problem
        for path in modules
        for problem in transaction_problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert problems == [], "\n".join(problems)


def test_the_scan_tells_a_durable_service_from_one_that_is_not():
    source = '''
@transaction.atomic
def decorated(): ...

@transaction.atomic(durable=True)
def decorated_durable():
    with transaction.atomic():  # a savepoint
        pass

def plain():
    if True:
        with transaction.atomic():
            pass

def durable_with_a_savepoint():
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                pass
        except IntegrityError:
            pass

def plain_in_transaction():
    """Joins the caller's."""
    audit_record()

def checked_in_transaction():
    """Joins the caller's."""
    check_in_transaction()
    with transaction.atomic():
        pass

def _private():
    with transaction.atomic():
        pass
'''
    found = [problem.split(" ", 1)[1].split(":", 1)[0] for problem in transaction_problems(source, "x.py")]
    assert found == ["decorated", "plain", "plain_in_transaction"]


def test_an_in_transaction_service_refuses_to_run_outside_a_transaction():
    # No database here: outside a test's transaction nothing is in an atomic block, and
    # the check refuses before any query.
    with pytest.raises(RuntimeError, match="_in_transaction joins its caller's transaction"):
        check_in_transaction()
    with pytest.raises(RuntimeError, match="_in_transaction joins its caller's transaction"):
        core_services.organisation_create_in_transaction(
            actor=None, bin=None, kind="initiative_group", name_kk="Бастама", region_id=1
        )


@pytest.mark.django_db
def test_a_public_service_inside_another_transaction_is_refused_and_writes_nothing():
    region = factories.region(factories.ALMATY)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        core_services.organisation_create(
            actor=None, bin=None, kind="initiative_group", name_kk="Бастама", region_id=region.pk
        )
    assert not Organisation.objects.filter(name_kk="Бастама").exists()


class CallerFailed(Exception):
    pass


@pytest.mark.django_db
def test_in_transaction_services_join_the_callers_transaction_and_roll_back_with_it():
    region = factories.region(factories.ALMATY)

    def caller() -> None:
        with transaction.atomic():
            core_services.organisation_create_in_transaction(
                actor=None, bin=None, kind="initiative_group", name_kk="Бастама", region_id=region.pk
            )
            assert Organisation.objects.filter(name_kk="Бастама").exists()
            raise CallerFailed  # after the service wrote: its write goes with the caller's

    with pytest.raises(CallerFailed):
        caller()
    assert not Organisation.objects.filter(name_kk="Бастама").exists()


@pytest.mark.django_db
def test_people_projects_and_contests_refuse_a_callers_transaction_but_join_it_by_name():
    world = factories.world()
    project = projects_factories.project(world.almaty_admin, world.almaty_ngo)
    data = core_services.PersonInput(last_name="Сейтқали", first_name="Дана", iin=factories.valid_iin())
    consent = dt.date(2025, 1, 10)
    delivery = {
        "actor": world.almaty_staff,
        "project": project,
        "person_id": world.almaty_people[0].pk,
        "service": projects_factories.service(),
        "delivered_on": dt.date(2025, 3, 3),
    }
    ministry = contests_factories.ministry()
    contest = contests_services.ContestInput(
        year=2027, title_kk="Үздік жобалар", title_ru="Лучшие проекты", title_en="Best projects"
    )

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        core_services.person_register(
            actor=world.almaty_staff, organisation=world.almaty_ngo, data=data, consent_given_on=consent
        )
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        projects_services.delivery_record(**delivery)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        contests_services.contest_create(actor=ministry, data=contest)

    with transaction.atomic():
        registered = core_services.person_register_in_transaction(
            actor=world.almaty_staff, organisation=world.almaty_ngo, data=data, consent_given_on=consent
        )
        recorded = projects_services.delivery_record_in_transaction(**delivery)
        created = contests_services.contest_create_in_transaction(actor=ministry, data=contest)
    assert registered.created
    assert recorded.pk is not None
    assert created.pk is not None
