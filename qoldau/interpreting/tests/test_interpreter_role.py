"""The interpreter role: only its holders at the service's organisation are made the
service's interpreters and reach the desk; a staff role there makes no one an interpreter,
and the role shows none of the organisation's people."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import translation

from qoldau.core import services as core_services
from qoldau.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from qoldau.core.models import Role, RoleAssignment
from qoldau.core.tests import factories as core_factories
from qoldau.interpreting import selectors, services
from qoldau.interpreting.errors import InterpretingErrorCode
from qoldau.interpreting.models import Interpreter
from qoldau.interpreting.tests import factories

pytestmark = pytest.mark.django_db


def _client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["qoldau_language"] = language
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_interpreter_role_needs_an_organisation():
    user = User.objects.create_user("lone.interpreter")
    with pytest.raises(ValidationFailed) as refused:
        core_services.role_assign(actor=None, user=user, role=Role.INTERPRETER)
    assert refused.value.field == "organisation"
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.INTERPRETER)


def test_the_roles_label_is_translated():
    for language, english in (("kk", False), ("ru", False), ("en", True)):
        with translation.override(language):
            label = str(Role.INTERPRETER.label)
        assert (label == "Sign-language interpreter") is english


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_only_a_holder_of_the_interpreter_role_is_made_an_interpreter(language):
    s = factories.scene(interpreters=0)
    other = factories.scene(interpreters=0)
    elsewhere = core_factories.user(f"interp.elsewhere.{language}", "interpreter", org=other.organisation)
    for user_id in (s.staff.pk, elsewhere.pk):
        with pytest.raises(ValidationFailed) as refused:
            services.interpreter_add(actor=s.admin, service=s.service, user_id=user_id, display_name="X")
        assert refused.value.code == InterpretingErrorCode.NOT_AN_INTERPRETER
        assert refused.value.field == "user"
        with translation.override(language):
            message = str(refused.value.message)
        assert ("interpreter role" in message) is (language == "en")
    assert not Interpreter.objects.filter(service=s.service).exists()
    made = factories.interpreter(s)
    assert made.user.role_assignments.get().role == Role.INTERPRETER


def test_a_staff_member_is_no_interpreter_and_an_interpreter_whose_role_ends_is_none_any_more():
    s = factories.scene(interpreters=1)
    (interpreter,) = s.interpreters
    assert _client(interpreter.user).get("/interpreting/desk/").status_code == 200
    assert _client(s.staff).get("/interpreting/desk/").status_code == 403
    assert _client(s.staff).get("/api/v1/interpreting/state").status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.interpreter_set_state(actor=s.staff, state="available")
    RoleAssignment.objects.filter(user=interpreter.user).delete()
    with pytest.raises(ApplicationError):
        services.interpreter_set_state(actor=interpreter.user, state="available")
    assert selectors.desk_if_interpreter(interpreter.user) is None


def test_a_dispatching_interpreter_keeps_the_console():
    s = factories.scene(interpreters=2)
    assert _client(s.dispatcher).get(f"/interpreting/console/{s.service.pk}/").status_code == 200
    plain = s.interpreters[1].user
    assert _client(plain).get(f"/interpreting/console/{s.service.pk}/").status_code == 404


def test_an_interpreter_sees_none_of_the_organisations_people():
    s = factories.scene(interpreters=1)
    (interpreter,) = s.interpreters
    _citizen, person = factories.deaf_citizen(s)
    staff = _client(s.staff)
    assert staff.get(f"/people/{person.pk}/").status_code == 200
    assert person.last_name in staff.get("/people/").content.decode()
    c = _client(interpreter.user)
    record = c.get(f"/people/{person.pk}/")
    assert record.status_code in (403, 404)
    assert person.last_name not in record.content.decode()
    listing = c.get("/people/")
    assert listing.status_code in (403, 404)
    assert person.last_name not in listing.content.decode()
    api = c.get(f"/api/v1/people/{person.pk}")
    assert api.status_code in (403, 404)
    assert person.last_name not in c.get("/api/v1/people").content.decode()
