"""Contest and grant test data, made through the real services, and signed-in clients."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from qoldau.contests import selectors, services
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    Commission,
    CommissionMember,
    Contest,
    GrantAward,
    GrantBandKind,
    GrantCall,
    GranteeReport,
)
from qoldau.core.models import Organisation, Person
from qoldau.core.services import organisation_update
from qoldau.core.tests.factories import ALMATY, ASTANA, organisation, region, user
from qoldau.core.tests.factories import person as make_person
from qoldau.projects import services as project_services
from qoldau.projects.tests import factories as project_factories

_names = itertools.count(1)


def ministry() -> User:
    return user(f"ministry{next(_names)}", "ministry_officer")


def plain_user(prefix: str = "member") -> User:
    return User.objects.create_user(f"{prefix}{next(_names)}", password="correct-horse-battery-staple")


def contest(
    *,
    actor: User | None = None,
    opens_at: dt.datetime | None = None,
    deadline: dt.datetime | None = None,
    criteria: Sequence[tuple[str, str, int, int]] = (
        ("Әлеуметтік маңызы", "3", 0, 10),
        ("Нәтижелері", "2", 0, 10),
        ("Тұрақтылығы", "1", 0, 10),
    ),
    year: int = 2026,
    kinds: Sequence[str] = tuple(ApplicantKind.values),
) -> Contest:
    """A contest taking applications now (a week ago until a month ahead), with criteria."""
    actor = actor or ministry()
    now = timezone.now()
    item = services.contest_create(
        actor=actor,
        data=services.ContestInput(
            year=year,
            title_kk="Қазақстандағы үздік әлеуметтік жобалар",
            title_ru="Лучшие социальные проекты Казахстана",
            title_en="Best social projects implemented in Kazakhstan",
            eligible_kinds=kinds,
        ),
    )
    services.stage_set(
        actor=actor,
        contest=item,
        level="regional",
        opens_at=opens_at or now - dt.timedelta(days=7),
        deadline=deadline or now + dt.timedelta(days=30),
    )
    services.criteria_set(
        actor=actor,
        contest=item,
        criteria=[
            services.CriterionInput(name_kk=name, weight=Decimal(weight), scale_min=low, scale_max=high)
            for name, weight, low, high in criteria
        ],
    )
    return item


@dataclass
class Panel:
    commission: Commission
    chair: User
    members: list[User]
    secretary: User

    @property
    def scorers(self) -> list[User]:
        return [self.chair, *self.members]


def panel(commission: Commission, actor: User, *, members: int = 2) -> Panel:
    chair = plain_user("chair")
    secretary = plain_user("secretary")
    services.commission_member_add(
        actor=actor, commission=commission, user=chair, role=CommissionMember.Role.CHAIR
    )
    services.commission_member_add(
        actor=actor, commission=commission, user=secretary, role=CommissionMember.Role.SECRETARY
    )
    others = []
    for _ in range(members):
        member = plain_user()
        services.commission_member_add(actor=actor, commission=commission, user=member, role="member")
        others.append(member)
    return Panel(commission=commission, chair=chair, members=others, secretary=secretary)


def regional_panel(
    item: Contest, *, kato: str = ALMATY, actor: User | None = None, members: int = 2
) -> Panel:
    actor = actor or ministry()
    commission = services.commission_create(actor=actor, level="regional", contest=item, region=region(kato))
    return panel(commission, actor, members=members)


def applicant(kato: str = ALMATY, *, in_ngo_database: bool = True) -> tuple[User, Organisation]:
    """An NGO of the region (in the state NGO database unless told) and its administrator."""
    org = organisation(kato=kato, name=f"«Қолдау-{next(_names)}» қоғамдық бірлестігі")
    staff = user(f"ngo{next(_names)}", "ngo_admin", org=org)
    if in_ngo_database:
        organisation_update(
            actor=staff, organisation=org, expected_version=org.version, in_state_ngo_database=True
        )
        org.refresh_from_db()
    return staff, org


def contest_application(
    item: Contest,
    *,
    kato: str = ALMATY,
    staff: User | None = None,
    org: Organisation | None = None,
    title: str = "",
) -> Application:
    """A submitted application to a contest from an NGO of the region."""
    if staff is None or org is None:
        staff, org = applicant(kato)
    draft = services.application_start(
        actor=staff,
        contest=item,
        data=services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(kato).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk=title or f"Жоба {next(_names)}",
            description_kk="Мүгедектігі бар адамдарға көмек.",
            results="120 адамға қызмет көрсетілді.",
            people_reached_declared=120,
        ),
    )
    return services.application_submit(actor=staff, application=draft)


def eligible(application: Application, secretary: User) -> Application:
    return services.eligibility_decide(actor=secretary, application=application, eligible=True)


def score_all(panel_: Panel, application: Application, values: Sequence[Decimal | int]) -> None:
    """Every scorer gives the same values to the application's criteria, in order."""
    criteria = selectors.criteria_of(panel_.commission)
    for member in panel_.scorers:
        services.scores_record(
            actor=member,
            commission=panel_.commission,
            application=application,
            scores=[services.ScoreInput(c.pk, Decimal(v)) for c, v in zip(criteria, values, strict=True)],
        )


def grant_call(
    *,
    operator: Organisation | None = None,
    actor: User | None = None,
    budget: Decimal = Decimal("10000000"),
    regions: Sequence[str] = (ALMATY, ASTANA),
) -> GrantCall:
    """A call taking applications now, short-term grants only, with two criteria."""
    actor = actor or ministry()
    if operator is None:
        operator = organisation(name=f"«Қорған-М {next(_names)}» республикалық қоғамдық бірлестігі")
    now = timezone.now()
    call = services.grant_call_create(
        actor=actor,
        operator=operator,
        data=services.GrantCallInput(
            title_kk="Шағын гранттар",
            title_en="Small grants",
            budget=budget,
            opens_at=now - dt.timedelta(days=3),
            deadline=now + dt.timedelta(days=20),
            bands=[GrantBandKind.SHORT],
            region_ids=[region(k).pk for k in regions],
        ),
    )
    services.criteria_set(
        actor=actor,
        call=call,
        criteria=[
            services.CriterionInput(name_kk="Маңызы", weight=Decimal(2)),
            services.CriterionInput(name_kk="Бюджеті", weight=Decimal(1)),
        ],
    )
    return call


def grant_application(
    call: GrantCall, *, kato: str = ALMATY, amount: Decimal | None = None, months: int = 6
) -> Application:
    """A submitted grant application: the amount defaults to 600 MCI at the call's MCI."""
    from qoldau.contests.grants import mci_on

    staff, org = applicant(kato)
    amount = amount if amount is not None else mci_on(timezone.localdate(call.opens_at)) * 600
    draft = services.application_start(
        actor=staff,
        call=call,
        data=services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(kato).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk=f"Өзін-өзі жұмыспен қамту {next(_names)}",
            description_kk="Мүгедектігі бар жастарға кәсіп үйрету.",
            requested_amount=amount,
            duration_months=months,
            band=GrantBandKind.SHORT,
        ),
    )
    services.budget_lines_set(
        actor=staff,
        application=draft,
        lines=[
            services.BudgetLineInput("Тренерлер", amount - Decimal(100000)),
            services.BudgetLineInput("Материалдар", Decimal(100000)),
        ],
    )
    return services.application_submit(actor=staff, application=draft)


def awarded_grant(*, actor: User | None = None, budget: Decimal = Decimal("10000000")) -> GrantAward:
    """A grant awarded (for the amount requested) to the one application of a new call whose
    commission approved its ranking; `actor` (the ministry by default) runs the call."""
    actor = actor or ministry()
    call = grant_call(actor=actor, budget=budget)
    commission = services.commission_create(actor=actor, level="grant", call=call)
    board = panel(commission, actor, members=0)
    application = eligible(grant_application(call), board.secretary)
    score_all(board, application, [8, 6])
    services.commission_approve(actor=board.chair, commission=commission)
    application.refresh_from_db()
    return services.grant_award(
        actor=actor, application=application, amount=application.requested_amount or Decimal(0)
    )


def grantee_report(
    award: GrantAward, *, actor: User, due_on: dt.date, kind: str = GranteeReport.Kind.PROGRESS
) -> GranteeReport:
    """A report of the award scheduled for the 90 days before it falls due."""
    return services.report_schedule(
        actor=actor,
        award=award,
        kind=kind,
        period_start=due_on - dt.timedelta(days=90),
        period_end=due_on,
        due_on=due_on,
    )


def client_for(user: User, language: str = "en") -> Client:
    """A signed-in client reading `language` (English by default, so that the messages
    checked stay the same)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


# Scenes ---------------------------------------------------------------------------------


@dataclass
class Ranked:
    minister: User
    call: GrantCall
    first: Application
    second: Application


def ranked_call(*, budget: Decimal = Decimal("10000000")) -> Ranked:
    """A call whose commission approved a ranking of two applications (Almaty, Astana)."""
    minister = ministry()
    call = grant_call(actor=minister, budget=budget)
    commission = services.commission_create(actor=minister, level="grant", call=call)
    board = panel(commission, minister)
    first = grant_application(call)
    second = grant_application(call, kato=ASTANA)
    for application, marks in ((first, [9, 8]), (second, [6, 5])):
        eligible(application, board.secretary)
        score_all(board, application, marks)
    services.commission_approve(actor=board.chair, commission=commission)
    first.refresh_from_db()
    second.refresh_from_db()
    return Ranked(minister, call, first, second)


@dataclass
class Granted:
    minister: User
    award: GrantAward
    report: GranteeReport


def granted() -> Granted:
    """An award with a submitted progress report carrying an indicator of the grantee's
    project."""
    r = ranked_call()
    award = services.grant_award(
        actor=r.minister, application=r.first, amount=r.first.requested_amount or Decimal(0)
    )
    staff = r.first.applicant
    org = r.first.organisation
    assert org is not None
    funded = project_factories.project(staff, org, title="Кәсіп үйрену")
    indicator = project_services.indicator_add(
        actor=staff, project=funded, name_kk="Оқытылған жастар", name_en="Young people trained", unit="адам"
    )
    services.grant_project_link(actor=staff, award=award, project_id=funded.pk)
    today = timezone.localdate()
    report = services.report_schedule(
        actor=r.minister,
        award=award,
        kind=GranteeReport.Kind.PROGRESS,
        period_start=today - dt.timedelta(days=60),
        period_end=today - dt.timedelta(days=1),
        due_on=today + dt.timedelta(days=10),
    )
    services.report_submit(
        actor=staff,
        report=report,
        narrative="Жиырма жас тігін ісін үйренді.",
        indicator_values={indicator.pk: Decimal(20)},
    )
    award.refresh_from_db()
    return Granted(r.minister, award, report)


APPROVED_TITLE = "Арбаға таңылғандарға такси"
UNAPPROVED_TITLE = "Бекітілмеген астаналық жоба"


@dataclass
class PublicScene:
    contest: Contest
    call: GrantCall
    winner: Application
    unapproved: Application
    people: list[Person]


def public_scene() -> PublicScene:
    """A contest whose Almaty commission approved its result and whose Astana commission has
    not; a call with one grant whose project reached two people."""
    minister = ministry()
    published = contest(actor=minister)
    almaty = regional_panel(published, kato=ALMATY, actor=minister)
    astana = regional_panel(published, kato=ASTANA, actor=minister)
    winner = contest_application(published, kato=ALMATY, title=APPROVED_TITLE)
    second = contest_application(published, kato=ALMATY)
    unapproved = contest_application(published, kato=ASTANA, title=UNAPPROVED_TITLE)
    for application in (winner, second):
        eligible(application, almaty.secretary)
    eligible(unapproved, astana.secretary)
    score_all(almaty, winner, [9, 9, 8])
    score_all(almaty, second, [6, 5, 7])
    score_all(astana, unapproved, [7, 7, 7])
    services.commission_approve(actor=almaty.chair, commission=almaty.commission)

    call = grant_call(actor=minister)
    commission = services.commission_create(actor=minister, level="grant", call=call)
    board = panel(commission, minister)
    application = grant_application(call)
    eligible(application, board.secretary)
    score_all(board, application, [8, 6])
    services.commission_approve(actor=board.chair, commission=commission)
    award = services.grant_award(
        actor=minister, application=application, amount=application.requested_amount or Decimal(0)
    )
    grantee = application.applicant
    grantee_org = application.organisation
    assert grantee_org is not None
    today = timezone.localdate()
    grant_project = project_factories.project(
        grantee,
        grantee_org,
        title="Кәсіп үйрету",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
    )
    services.grant_project_link(actor=grantee, award=award, project_id=grant_project.pk)
    people = [
        make_person(grantee, grantee_org, last_name="Жұмабекова", first_name="Ботагөз"),
        make_person(
            grantee, grantee_org, last_name="Сейітов", first_name="Ерлан", sex="M", birth=dt.date(1985, 2, 3)
        ),
    ]
    for person in people:
        project_services.delivery_record(
            actor=grantee,
            project=grant_project,
            person_id=person.pk,
            service=project_factories.service("work_practice"),
            delivered_on=today,
        )
    return PublicScene(contest=published, call=call, winner=winner, unapproved=unapproved, people=people)
