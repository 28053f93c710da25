"""The interpreting demo (issue 16, item 8): the Almaty online sign-language interpreting
service that won the 2016 republican contest (article 003: four interpreter-dispatchers
served 300+ people), made through the app's services where one exists:

* the service's organisation, its project (2016 on) and its four interpreter-dispatchers
  (`interp.aigerim`, `interp.dana`, `interp.erlan`, `interp.saule`), its dispatcher
  (`interp.dispatcher`, the organisation's administrator) and a deaf citizen with confirmed
  hours (`deaf.citizen`), so that a newcomer can make a call between two browser windows;
* 320 people served in 2016, each registered with consent and their hours confirmed, and
  their 2016 sessions as the service's records kept them: a call, its answer after a
  generated wait, a session of a generated length, debited from the year's hours and
  recorded as a delivery of the project. The article gives only the number of people:
  waits, lengths and purposes are generated (fixed seed).

Loading twice changes nothing (`interpreting_demo_is_loaded`).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import transaction

from qoldau.core import demo_data as d
from qoldau.core import services as core_services
from qoldau.core.identifiers import make_bin, make_iin
from qoldau.core.models import Organisation, Person, Place
from qoldau.interpreting import services
from qoldau.interpreting.models import (
    SERVICE_CODE,
    Call,
    CallStatus,
    Entitlement,
    Interpreter,
    InterpreterState,
    InterpretingService,
    LedgerEntry,
    LedgerKind,
    Purpose,
    Session,
)
from qoldau.projects import services as projects_services
from qoldau.projects.models import ServiceType

SEED = 16
PEOPLE_2016 = 320
INTERPRETERS = [
    ("interp.aigerim", "Әйгерім"),
    ("interp.dana", "Дана"),
    ("interp.erlan", "Ерлан"),
    ("interp.saule", "Сәуле"),
]
DEMO_USERS: list[d.UserSpec] = [
    *(
        d.UserSpec(
            username, "interpreter", what_kk="Ымдау тілі аудармашысы-диспетчері / interpreter-dispatcher"
        )
        for username, _name in INTERPRETERS
    ),
    d.UserSpec("interp.dispatcher", "ngo_admin", what_kk="Аударма қызметінің диспетчері / dispatcher"),
    d.UserSpec("deaf.citizen", "", what_kk="Есту қабілеті бұзылған азамат, 60 сағат / deaf citizen, 60 h"),
]
CITIZEN_PHONE = "+77010016016"
ALMATY_TZ = ZoneInfo("Asia/Almaty")
PURPOSE_WEIGHTS = [
    (Purpose.MEDICAL, 40),
    (Purpose.PUBLIC_SERVICE, 25),
    (Purpose.LEGAL, 10),
    (Purpose.EMPLOYMENT, 10),
    (Purpose.EDUCATION, 10),
    (Purpose.OTHER, 5),
]


def interpreting_demo_is_loaded() -> bool:
    # The citizen is made last: a load stopped before it is not taken for a whole one.
    return User.objects.filter(username="deaf.citizen").exists()


def load_interpreting_demo() -> None:
    rng = random.Random(SEED)
    almaty = Place.objects.get(kato=d.ALMATY, level=Place.Level.REGION)
    with transaction.atomic(durable=True):
        service, admin, interpreters = _service(almaty)
    _history_2016(rng, service, admin, interpreters, almaty)
    _citizen(service, admin, almaty)


def _service(almaty: Place) -> tuple[InterpretingService, User, list[Interpreter]]:
    organisation = core_services.organisation_create_in_transaction(
        actor=None,
        bin=make_bin(2015, 9, 1616),
        kind=Organisation.Kind.PUBLIC_ASSOCIATION,
        name_kk="«Сурдо-онлайн Қазақстан» қоғамдық бірлестігі",
        name_ru="Общественное объединение «Сурдо-онлайн Казахстан»",
        name_en="Surdo-OnLine Kazakhstan",
        region_id=almaty.pk,
    )
    admin = User.objects.create_user("interp.dispatcher", password=d.DEMO_PASSWORD)
    core_services.role_assign_in_transaction(
        actor=None, user=admin, role="ngo_admin", organisation=organisation
    )
    project = projects_services.project_create_in_transaction(
        actor=admin,
        organisation=organisation,
        data=projects_services.ProjectInput(
            title_kk="Ымдау тілінде онлайн аударма",
            title_ru="Онлайн-сурдоперевод",
            title_en="Online sign-language interpreting",
            starts_on=dt.date(2016, 1, 1),
            ends_on=dt.date(2030, 12, 31),
            funding_source="state_grant",
            region_ids=[almaty.pk],
            budget=Decimal(0),
        ),
    )
    service = InterpretingService.objects.create(organisation=organisation, project=project)
    interpreters = []
    for username, name in INTERPRETERS:
        user = User.objects.create_user(username, password=d.DEMO_PASSWORD)
        core_services.role_assign_in_transaction(
            actor=None, user=user, role="interpreter", organisation=organisation
        )
        interpreters.append(
            services.interpreter_add_in_transaction(
                actor=admin, service=service, user_id=user.pk, display_name=name, is_dispatcher=True
            )
        )
    return service, admin, interpreters


def _person(
    service: InterpretingService, admin: User, almaty: Place, serial: int, birth: dt.date, sex: str
) -> Person:
    return core_services.person_register(
        actor=admin,
        organisation=service.organisation,
        data=core_services.PersonInput(
            last_name=f"Естімейтін-{serial}",
            first_name="Демо",
            iin=_iin(birth, sex, serial),
            region_id=almaty.pk,
        ),
        consent_given_on=dt.date(2016, 1, 15),
    ).person


def _iin(birth: dt.date, sex: str, serial: int) -> str:
    """A valid IIN: some serials give no valid check digit, the next ones do."""
    for attempt in range(10):
        iin = make_iin(birth, sex, 1000 + serial * 10 + attempt)
        if iin is not None:
            return iin
    raise ValueError("no valid IIN")  # pragma: no cover - one of ten serials always fits


def _history_2016(
    rng: random.Random,
    service: InterpretingService,
    admin: User,
    interpreters: list[Interpreter],
    almaty: Place,
) -> None:
    """The 2016 records: each person's calls, answered after a wait, and their sessions,
    debited and delivered. Written as the records were kept (the dispatch of that year is
    history); the debit and the delivery go through the same rules as today's sessions."""
    kind = ServiceType.objects.get(code=SERVICE_CODE)
    purposes = [p for p, _ in PURPOSE_WEIGHTS]
    weights = [w for _, w in PURPOSE_WEIGHTS]
    for serial in range(PEOPLE_2016):
        birth = dt.date(1950 + rng.randrange(50), 1 + rng.randrange(12), 1 + rng.randrange(28))
        person = _person(service, admin, almaty, serial, birth, rng.choice("MF"))
        entitlement = services.entitlement_confirm(
            actor=admin, service=service, person_id=person.pk, hours_per_year=60
        )
        with transaction.atomic(durable=True):
            for _ in range(1 + rng.randrange(4)):
                day = dt.date(2016, 1, 1) + dt.timedelta(days=14 + rng.randrange(350))
                called = dt.datetime(
                    2016, day.month, day.day, 9 + rng.randrange(9), rng.randrange(60), tzinfo=ALMATY_TZ
                )
                wait = dt.timedelta(seconds=int(rng.expovariate(1 / 45)))
                length = 3 + int(rng.expovariate(1 / 12))
                interpreter = rng.choice(interpreters)
                answered = called + wait
                call = Call.objects.create(
                    service=service,
                    person=person,
                    place="Алматы",
                    purpose=rng.choices(purposes, weights)[0],
                    status=CallStatus.CONNECTED,
                    created_at=called,
                    answered_at=answered,
                    closed_at=answered + dt.timedelta(minutes=length),
                )
                session = Session.objects.create(
                    call=call,
                    interpreter=interpreter,
                    person=person,
                    started_at=answered,
                    ended_at=answered + dt.timedelta(minutes=length),
                    minutes=length,
                )
                LedgerEntry.objects.create(
                    entitlement=entitlement, kind=LedgerKind.DEBIT, year=2016, minutes=length, session=session
                )
                delivery = projects_services.delivery_accumulate_in_transaction(
                    actor=interpreter.user,
                    project=service.project,
                    person_id=person.pk,
                    service=kind,
                    delivered_on=day,
                    quantity=length,
                    note="Ымдау тілінде аударма",
                )
                Session.objects.filter(pk=session.pk).update(delivery_id=delivery.pk)
    Interpreter.objects.filter(service=service).update(state=InterpreterState.AWAY)


def _citizen(service: InterpretingService, admin: User, almaty: Place) -> None:
    """`deaf.citizen`: a record the staff registered, linked to the citizen's own account,
    with 60 hours confirmed."""
    person = _person(service, admin, almaty, 999, dt.date(1988, 4, 12), "F")
    services.entitlement_confirm(actor=admin, service=service, person_id=person.pk, hours_per_year=60)
    account = core_services.citizen_sign_up(
        phone=CITIZEN_PHONE, password=d.DEMO_PASSWORD, name="Айгүл", username="deaf.citizen"
    )
    with transaction.atomic(durable=True):
        core_services.citizen_record_link_in_transaction(actor=admin, person=person, account=account)


def people_served_2016() -> int:
    return Entitlement.objects.filter(person__interpreting_sessions__started_at__year=2016).distinct().count()
