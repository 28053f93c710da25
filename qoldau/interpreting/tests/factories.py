"""An interpreting service for tests, made through the real services: the organisation, its
project, administrator, interpreters (one a dispatcher) and a deaf citizen with hours."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from qoldau.core import services as core_services
from qoldau.core.models import Organisation, Person
from qoldau.core.tests import factories
from qoldau.interpreting import services
from qoldau.interpreting.models import Entitlement, Interpreter, InterpretingService
from qoldau.projects.tests import factories as projects_factories

_numbers = itertools.count(1)


@dataclass
class Scene:
    organisation: Organisation
    service: InterpretingService
    admin: User
    staff: User
    interpreters: list[Interpreter] = field(default_factory=list)

    @property
    def dispatcher(self) -> User:
        return next(i.user for i in self.interpreters if i.is_dispatcher)


def scene(*, interpreters: int = 2, kato: str = factories.ALMATY) -> Scene:
    org = factories.organisation(kato=kato, name=f"«Сурдо-онлайн {next(_numbers)}» қоры")
    n = next(_numbers)
    admin = factories.user(f"interp.admin{n}", "ngo_admin", org=org)
    staff = factories.user(f"interp.staff{n}", "ngo_staff", org=org)
    project = projects_factories.project(
        admin, org, title="Онлайн сурдоаударма", starts_on=dt.date(2016, 1, 1), ends_on=dt.date(2035, 12, 31)
    )
    service = InterpretingService.objects.create(organisation=org, project=project)
    s = Scene(organisation=org, service=service, admin=admin, staff=staff)
    for i in range(interpreters):
        s.interpreters.append(interpreter(s, dispatcher=i == 0))
    return s


def interpreter(s: Scene, *, dispatcher: bool = False) -> Interpreter:
    n = next(_numbers)
    user = factories.user(f"interpreter{n}", "interpreter", org=s.organisation)
    return services.interpreter_add(
        actor=s.admin,
        service=s.service,
        user_id=user.pk,
        display_name=f"Аудармашы {n}",
        is_dispatcher=dispatcher,
    )


def deaf_citizen(
    s: Scene, *, hours: int | None = None, valid_until: dt.date | None = None
) -> tuple[User, Person]:
    """A citizen whose record the staff registered and linked to their account, with a
    confirmed entitlement."""
    person = unentitled_citizen(s)
    services.entitlement_confirm(
        actor=s.staff,
        service=s.service,
        person_id=person[1].pk,
        hours_per_year=hours,
        valid_until=valid_until,
    )
    return person


def unentitled_citizen(s: Scene) -> tuple[User, Person]:
    citizen = factories.citizen()
    person = factories.person(s.staff, s.organisation, last_name=f"Естімейтін{next(_numbers)}")
    with transaction.atomic():
        core_services.citizen_record_link_in_transaction(
            actor=s.staff, person=person, account=citizen.citizen_account
        )
    return citizen, person


def available(*interpreters: Interpreter, at: dt.datetime | None = None) -> None:
    for interpreter in interpreters:
        services.interpreter_set_state(actor=interpreter.user, state="available", at=at)


def entitlement(person: Person) -> Entitlement:
    return Entitlement.objects.get(person=person)
