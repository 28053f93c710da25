"""Every error code is declared once: a member of an `ErrorCodeEnum` in `<app>/errors.py`
(the shared ones and core's own in `core/errors.py`), never a string literal where an error
is raised or answered; no two enums declare one code; the OpenAPI document's `Error` lists
exactly the declared codes; and real answers carry them."""

import ast
import datetime as dt
import importlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from jsonschema_rs import Draft202012Validator, meta
from schemathesis.specs.openapi.definitions import OPENAPI_31

from qoldau.access.errors import AccessErrorCode
from qoldau.api import ERROR_CODES
from qoldau.contests.tests import factories as contest_factories
from qoldau.core.errors import ApplicationError, CoreErrorCode, ErrorCode, ErrorCodeEnum
from qoldau.core.tests import factories
from qoldau.imports.errors import ImportErrorCode
from qoldau.imports.limits import ReadLimits
from qoldau.imports.readers import open_table
from qoldau.imports.validation import REASONS
from qoldau.projects.errors import ProjectErrorCode
from qoldau.projects.tests import factories as project_factories

PACKAGE = Path(settings.BASE_DIR, "qoldau")
# A `code` keyword of the ORM's lookups is a catalogue's key (`ServiceType.objects.get(code=...)`).
ORM_LOOKUPS = {"get", "filter", "exclude", "get_or_create", "update_or_create"}


def production_modules() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py") if "tests" not in path.parts and "migrations" not in path.parts
    )


def _is_text(node: ast.expr | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def literal_codes(source: str) -> Iterator[tuple[int, str]]:
    """Each place in a module's source where a code is written as a string: a `code=`
    argument to anything but an ORM lookup, a "code" key of a dict literal (an answer's
    body), and a `code = "..."` in a class (an error class's own code)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in ORM_LOOKUPS and any(k.arg == "code" and _is_text(k.value) for k in node.keywords):
                yield node.lineno, f"code= to {name}()"
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code" and _is_text(value):
                    yield node.lineno, 'a "code" key'
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                targets: list[ast.expr]
                assigned: ast.expr | None
                if isinstance(statement, ast.Assign):
                    targets, assigned = statement.targets, statement.value
                elif isinstance(statement, ast.AnnAssign):
                    targets, assigned = [statement.target], statement.value
                else:
                    continue
                if any(isinstance(t, ast.Name) and t.id == "code" for t in targets) and _is_text(assigned):
                    yield statement.lineno, f"code = in class {node.name}"


def test_no_module_writes_an_error_code_as_a_string():
    modules = production_modules()
    assert len(modules) > 100  # the walk reaches the whole package
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}"
        for path in modules
        for line, what in literal_codes(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use a member of the app's ErrorCodeEnum (CONTRIBUTING.md):\n" + "\n".join(
        offenders
    )


def test_the_scan_finds_a_planted_literal():
    planted = """
raise ValidationFailed(_("No."), field="x", code="made_up")
raise Conflict(_("No."), code=f"made_{up}")
answer = JsonResponse({"code": "made_up", "message": "No."})
class MadeUp(ApplicationError):
    code = "made_up"
class Annotated(ApplicationError):
    code: str = "made_up"
"""
    assert sorted(line for line, _what in literal_codes(planted)) == [2, 3, 4, 6, 8]
    declared = """
raise ValidationFailed(_("No."), field="x", code=AccessErrorCode.INVALID_BBOX)
answer = JsonResponse({"code": ErrorCode.NOT_FOUND, "message": "No."})
class Found(ApplicationError):
    code = CoreErrorCode.NOT_AN_IMAGE
service = ServiceType.objects.get(code="legal_consultation")
"""
    assert list(literal_codes(declared)) == []


def declared_enums() -> list[type[ErrorCodeEnum]]:
    """Every app's enum of codes, found by importing each `<app>/errors.py` there is."""
    for path in sorted(PACKAGE.glob("*/errors.py")):
        importlib.import_module(f"qoldau.{path.parent.name}.errors")
    found: list[type[ErrorCodeEnum]] = []
    pending = list(ErrorCodeEnum.__subclasses__())
    while pending:
        enum = pending.pop()
        found.append(enum)
        pending.extend(enum.__subclasses__())
    return sorted(found, key=lambda e: e.__name__)


def declared_codes() -> set[str]:
    return {code.value for enum in declared_enums() for code in enum}


def test_each_app_declares_its_codes_in_its_errors_module():
    enums = declared_enums()
    assert len(enums) >= 7
    for enum in enums:
        assert enum.__module__ == f"qoldau.{enum.__module__.split('.')[1]}.errors", enum
        for code in enum:
            assert code.name == code.value.upper(), f"{enum.__name__}.{code.name} = {code.value!r}"


def test_no_two_enums_declare_one_code() -> None:
    # An app that needs a code another app declares reuses core's member; a code used by
    # more than one app lives in core (`ErrorCode`, or `CoreErrorCode` for core's records).
    seen: dict[str, str] = {}
    clashes: list[str] = []
    for enum in declared_enums():
        for code in enum:
            if code.value in seen:
                clashes.append(f"{code.value}: {seen[code.value]} and {enum.__name__}")
            seen[code.value] = enum.__name__
    assert clashes == []


def test_the_api_lists_every_declared_enum_under_its_app():
    assert set(ERROR_CODES.values()) == set(declared_enums())
    for app, enum in ERROR_CODES.items():
        assert app == "shared" if enum is ErrorCode else enum.__module__ == f"qoldau.{app}.errors"


def test_the_openapi_document_lists_exactly_the_declared_codes():
    document = Client().get("/api/v1/openapi.json").json()
    error = document["components"]["schemas"]["Error"]
    assert set(error["properties"]["code"]["enum"]) == declared_codes()
    assert {"code", "message", "field"} <= set(error["required"])
    by_app = document["x-error-codes"]
    assert set(by_app) == {
        "shared",
        "core",
        "projects",
        "imports",
        "consult",
        "contests",
        "access",
        "jobs",
        "services",
        "interpreting",
    }
    assert sorted(code for codes in by_app.values() for code in codes) == sorted(declared_codes())
    assert "invalid_bbox" in by_app["access"]
    defaults = [
        operation["responses"]["default"]["content"]["application/json"]["schema"]
        for operations in document["paths"].values()
        for operation in operations.values()
    ]
    assert len(defaults) > 50
    assert all(schema == {"$ref": "#/components/schemas/Error"} for schema in defaults)


def test_the_openapi_document_is_valid_openapi_3_1():
    # The meta-schema schemathesis (`make fuzz`) checks the document with.
    document = Client().get("/api/v1/openapi.json").json()
    validator = Draft202012Validator(OPENAPI_31)
    assert [str(e) for e in validator.iter_errors(document)] == []
    # The document's meta-schema leaves its schemas to JSON Schema's own.
    schemas = document["components"]["schemas"]
    assert [name for name, schema in schemas.items() if not meta.is_valid(schema)] == []
    # Both checks can fail.
    broken = json.loads(json.dumps(document))
    del broken["paths"]["/api/v1/people"]["post"]["responses"]["default"]["description"]
    assert not validator.is_valid(broken)
    assert not meta.is_valid({**schemas["Error"], "required": "code"})


# --- real answers carry declared codes ---------------------------------------------------


def answer_code(response, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert {"code", "message", "field"} <= set(body)
    assert body["code"] in declared_codes()
    return str(body["code"])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, url: str, payload: object):
    return client.post(url, json.dumps(payload), content_type="application/json")


@pytest.mark.django_db
def test_core_answers_with_its_codes():
    world = factories.world()
    client = signed_in(world.almaty_staff)
    person = {
        "organisation_id": world.almaty_ngo.pk,
        "consent_given_on": "2025-03-01",
        "last_name": "Сейітова",
        "first_name": "Дана",
    }
    assert (
        answer_code(post_json(client, "/api/v1/people", person), 400) == CoreErrorCode.IIN_OR_REASON_REQUIRED
    )
    assert answer_code(Client().get("/api/v1/people"), 401) == ErrorCode.UNAUTHORIZED
    assert answer_code(client.get("/api/v1/people/987654321"), 404) == ErrorCode.NOT_FOUND
    assert answer_code(post_json(client, "/api/v1/people", {}), 422) == ErrorCode.VALIDATION_ERROR


@pytest.mark.django_db
def test_projects_answers_with_its_codes():
    world = factories.world()
    project = project_factories.project(world.almaty_admin, world.almaty_ngo)
    delivery = {
        "person_id": world.almaty_people[0].pk,
        "service": "legal_consultation",
        "delivered_on": "2026-01-01",  # after the project's end
        "quantity": "1",
    }
    response = post_json(signed_in(world.almaty_staff), f"/api/v1/projects/{project.pk}/deliveries", delivery)
    assert answer_code(response, 400) == ProjectErrorCode.OUTSIDE_PROJECT_PERIOD


@pytest.mark.django_db
def test_access_answers_with_its_codes():
    assert (
        answer_code(Client().get("/api/v1/access/objects", {"bbox": "a,b,c,d"}), 400)
        == AccessErrorCode.INVALID_BBOX
    )


@pytest.mark.django_db
def test_contests_answers_with_its_codes():
    world = factories.world()
    now = dt.datetime.now(tz=dt.UTC)
    call = {
        "operator_id": world.almaty_ngo.pk,
        "title_kk": "Гранттар",
        "budget": "1000",
        "regions": ["999999999"],
        "opens_at": now.isoformat(),
        "deadline": (now + dt.timedelta(days=3)).isoformat(),
    }
    response = post_json(signed_in(contest_factories.ministry()), "/api/v1/grants", call)
    assert answer_code(response, 400) == CoreErrorCode.UNKNOWN_REGION


@pytest.mark.django_db
def test_consult_answers_with_the_shared_codes():
    # The consult API only answers questions; what it refuses is refused with shared codes
    # (its own codes come from its conversations' pages).
    response = post_json(Client(), "/api/v1/consult/ask", {"text": "\x01\x02binary"})
    assert answer_code(response, 422) == ErrorCode.VALIDATION_ERROR


def test_imports_refuses_a_file_with_its_codes(tmp_path):
    # The imports app has no API; its pages and jobs show the same errors.
    empty = tmp_path / "people.csv"
    empty.write_text("", encoding="utf-8")
    limits = ReadLimits(max_rows=10, max_cells=100, max_unpacked_bytes=1 << 20, max_compression_ratio=100)
    with pytest.raises(ApplicationError) as refused, open_table(empty, limits=limits) as table:
        list(table.rows)
    assert refused.value.code == ImportErrorCode.FILE_EMPTY
    assert refused.value.code in declared_codes()


# --- the reasons of an import's cells ------------------------------------------------------


def literal_reasons(source: str) -> Iterator[tuple[int, str]]:
    """Reason codes written where a bad cell is recorded: `errors.add(row, column, "...")`
    and `CellProblem("...")`."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        position = {"add": 2, "CellProblem": 0}.get(name)
        if position is not None and len(node.args) > position:
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                yield node.lineno, argument.value


def test_every_reason_an_import_records_is_declared():
    # A cell's reason is not an API code: it is kept in the import's report and rendered
    # from `validation.REASONS` (each importer registers its own). One not declared there
    # would be shown as "A value is required here.".
    recorded = {
        f"{path.relative_to(settings.BASE_DIR)}:{line}": reason
        for path in production_modules()
        for line, reason in literal_reasons(path.read_text(encoding="utf-8"))
    }
    assert len(recorded) > 20
    assert {where: reason for where, reason in recorded.items() if reason not in REASONS} == {}
    assert list(literal_reasons('errors.add(1, "A", "made_up")\nCellProblem("made_up")')) == [
        (1, "made_up"),
        (2, "made_up"),
    ]
