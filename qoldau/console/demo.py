"""The demo: the articles' organisations, projects and figures made into records through
the same services the pages use, with generated people (valid IINs, fitting ages and
categories, a fixed random seed). Loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from tqdm import tqdm

from qoldau.access import demo as access_demo
from qoldau.access import services as access_services
from qoldau.access.models import AccessObject
from qoldau.consult import demo as consult_demo
from qoldau.contests import demo as contests_demo
from qoldau.core import demo_data as d
from qoldau.core import demo_names as names
from qoldau.core import services as core
from qoldau.core.identifiers import make_bin, make_iin
from qoldau.core.models import Organisation, Place, Role, VulnerabilityCategory
from qoldau.interpreting import demo as interpreting_demo
from qoldau.jobs import demo as jobs_demo
from qoldau.projects import services as projects
from qoldau.projects.models import Event, Project, ServiceType
from qoldau.projects.services import reach_refresh
from qoldau.services import demo as services_demo

T = TypeVar("T")


class Progress(Protocol):
    def __call__(self, items: Iterable[T], label: str) -> Iterable[T]: ...


SEED = 2025
# Ages are reckoned on this day so that the demo is the same whenever it is loaded.
REFERENCE_DAY = dt.date(2025, 6, 30)


@dataclass
class DemoPerson:
    # The record of the organisation whose cohort this is (each organisation keeps its own
    # record of a person; `records` holds them all, by organisation id).
    person_id: int
    data: core.PersonInput
    age: int
    sex: str
    categories: set[str]
    records: dict[int, int]
    category_since: dt.date


@dataclass(frozen=True)
class DemoResult:
    loaded: bool
    users: list[d.UserSpec]


class DemoBuilder:
    def __init__(self, progress: Progress) -> None:
        self.random = random.Random(SEED)
        self.progress = progress
        self.used_iins: set[str] = set()
        self.next_serial = 1000
        self.places = {p.kato: p for p in Place.objects.filter(level=Place.Level.REGION)}
        self.categories = {c.code: c for c in VulnerabilityCategory.objects.all()}
        self.services = {s.code: s for s in ServiceType.objects.all()}
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.pools: dict[str, list[DemoPerson]] = {}

    # Organisations and users -----------------------------------------------------------

    def bin_for(self, year: int, month: int, serial: int) -> str:
        while True:
            number = make_bin(year, month, serial)
            if number is not None:
                return number
            serial += 1

    def create_organisations(self) -> None:
        for index, spec in enumerate(d.ORGANISATIONS):
            self.orgs[spec.key] = core.organisation_create_in_transaction(
                actor=None,
                bin=self.bin_for(*spec.registered, serial=10000 + index * 37),
                kind=spec.kind,
                name_kk=spec.name_kk,
                name_ru=spec.name_ru,
                name_en=spec.name_en,
                region_id=self.places[spec.region].pk,
                in_state_ngo_database=spec.kind not in {"state_institution", "akimat_department", "company"},
            )

    def create_users(self) -> None:
        for spec in d.USERS:
            user = User.objects.create_user(spec.username, password=d.DEMO_PASSWORD)
            if spec.role == "system_admin":
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            core.role_assign_in_transaction(
                actor=None,
                user=user,
                role=spec.role,
                organisation=self.orgs[spec.organisation] if spec.organisation else None,
                region=self.places[spec.region] if spec.region else None,
            )
            self.users[spec.username] = user

    # People -----------------------------------------------------------------------------

    def new_person_input(
        self, ages: tuple[int, int], women_only: bool, region: str
    ) -> tuple[core.PersonInput, int, str]:
        rnd = self.random
        sex = "F" if women_only or rnd.random() < 0.5 else "M"
        age = rnd.randint(*ages)
        birth = REFERENCE_DAY - dt.timedelta(days=age * 365 + rnd.randint(0, 364))
        while True:
            iin = make_iin(birth, sex, self.next_serial)
            self.next_serial += 1
            if iin is not None and iin not in self.used_iins:
                break
        self.used_iins.add(iin)
        kazakh = rnd.random() < 0.72
        female = sex == "F"
        if kazakh:
            first = rnd.choice(names.KAZAKH_FEMALE if female else names.KAZAKH_MALE)
            surname = rnd.choice(names.KAZAKH_SURNAMES)
            patronymic = names.kazakh_patronymic(rnd.choice(names.KAZAKH_MALE), female)
        else:
            first = rnd.choice(names.RUSSIAN_FEMALE if female else names.RUSSIAN_MALE)
            surname = rnd.choice(names.RUSSIAN_SURNAMES)
            patronymic = names.russian_patronymic(rnd.choice(names.RUSSIAN_MALE), female)
        phone = (
            f"+7 7{rnd.choice('0157')}{rnd.randint(0, 9)} {rnd.randint(100, 999)} {rnd.randint(1000, 9999)}"
        )
        data = core.PersonInput(
            last_name=names.feminine_surname(surname) if female else surname,
            first_name=first,
            patronymic=patronymic,
            iin=iin,
            phone=phone if age >= 16 else "",
            region_id=self.places[region].pk,
        )
        return data, age, sex

    def cohort(
        self,
        *,
        organisation: Organisation,
        actor: User,
        city: str,
        size: int,
        ages: tuple[int, int],
        categories: tuple[str, ...],
        women_only: bool,
        reuse: int,
        consent_on: Callable[[], dt.date],
        region: str,
    ) -> list[DemoPerson]:
        """`size` people: `reuse` of them already served by another project of the same
        city (and now also consenting to this organisation), the rest new."""
        pool = self.pools.setdefault(city, [])
        fitting = [
            p
            for p in pool
            if ages[0] <= p.age <= ages[1]
            and (not women_only or p.sex == "F")
            and p.categories & set(categories)
        ]
        chosen = self.random.sample(fitting, min(reuse, len(fitting)))
        people: list[DemoPerson] = []
        for person in chosen:
            if organisation.pk not in person.records:
                registration = core.person_register_in_transaction(
                    actor=actor,
                    organisation=organisation,
                    data=person.data,
                    consent_given_on=consent_on(),
                )
                for category in sorted(person.categories):
                    core.person_category_add_in_transaction(
                        actor=actor,
                        person=registration.person,
                        category=self.categories[category],
                        since=person.category_since,
                    )
                person.records[organisation.pk] = registration.person.pk
            people.append(replace(person, person_id=person.records[organisation.pk]))
        for _ in self.progress(range(size - len(chosen)), f"{organisation.name_en[:32]}: people"):
            data, age, sex = self.new_person_input(ages, women_only, region)
            registration = core.person_register_in_transaction(
                actor=actor, organisation=organisation, data=data, consent_given_on=consent_on()
            )
            category = self.random.choice(categories)
            since = max(REFERENCE_DAY - dt.timedelta(days=age * 365 - 400), dt.date(2000, 1, 1))
            since = since + dt.timedelta(
                days=self.random.randint(0, max(0, (REFERENCE_DAY - since).days - 200))
            )
            core.person_category_add_in_transaction(
                actor=actor,
                person=registration.person,
                category=self.categories[category],
                since=since,
                details="МСЭ анықтамасы / справка МСЭ" if category.startswith("disability") else "",
            )
            person = DemoPerson(
                registration.person.pk,
                data,
                age,
                sex,
                {category},
                {organisation.pk: registration.person.pk},
                since,
            )
            pool.append(person)
            people.append(person)
        return people

    def random_day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.random.randint(0, (end - start).days))

    # Projects ---------------------------------------------------------------------------

    def create_project(self, spec: d.CohortSpec, actor: User, categories: tuple[str, ...]) -> Project:
        return projects.project_create_in_transaction(
            actor=actor,
            organisation=self.orgs[spec.organisation],
            data=projects.ProjectInput(
                title_kk=spec.title_kk,
                title_ru=spec.title_ru,
                title_en=spec.title_en,
                description_kk=spec.description_kk,
                description_ru=spec.description_ru,
                description_en=spec.description_en,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                funding_source=spec.funding_source,
                funder=self.orgs["almaty_dept"].name_kk if spec.organisation != "almaty_dept" else "",
                region_ids=[self.places[r].pk for r in spec.regions],
                target_category_ids=[self.categories[c].pk for c in categories],
            ),
        )

    def add_indicator(
        self, project: Project, actor: User, kk: str, ru: str, en: str, target: int, actual: int
    ) -> None:
        indicator = projects.indicator_add_in_transaction(
            actor=actor, project=project, name_kk=kk, name_ru=ru, name_en=en
        )
        projects.indicator_period_set_in_transaction(
            actor=actor,
            indicator=indicator,
            starts_on=project.starts_on,
            ends_on=project.ends_on,
            target=target,
            actual=actual,
        )

    def load_cohort_project(self, spec: d.CohortSpec, staff: User, admin: User) -> Project:
        """A project where each of `participations` people received the service once."""
        project = self.create_project(spec, admin, spec.categories)
        organisation = self.orgs[spec.organisation]
        days: dict[int, dt.date] = {}

        def consent_on() -> dt.date:
            return self.random_day(spec.starts_on, spec.last_delivery)

        people = self.cohort(
            organisation=organisation,
            actor=staff,
            city=spec.regions[0],
            size=spec.participations,
            ages=spec.ages,
            categories=spec.categories,
            women_only=spec.women_only,
            reuse=spec.reuse,
            consent_on=consent_on,
            region=spec.regions[0],
        )
        for person in self.progress(people, f"{spec.title_en[:32]}: deliveries"):
            day = days.setdefault(person.person_id, self.random_day(spec.starts_on, spec.last_delivery))
            projects.delivery_record_in_transaction(
                actor=staff,
                project=project,
                person_id=person.person_id,
                service=self.services[spec.service],
                delivered_on=day,
            )
        self.add_indicator(
            project,
            admin,
            spec.indicator_kk,
            spec.indicator_ru,
            spec.indicator_en,
            spec.participations,
            spec.participations,
        )
        return project

    def load_qorgan(self) -> Project:
        staff, admin = self.users["qorgan.staff"], self.users["qorgan.admin"]
        organisation = self.orgs["qorgan"]
        project = projects.project_create_in_transaction(
            actor=admin,
            organisation=organisation,
            data=projects.ProjectInput(
                title_kk="Инклюзивті қоғамды дамыту",
                title_ru="Развитие инклюзивного общества",
                title_en="Inclusive Society Development",
                description_kk="Түркістан, Қарағанды облыстарында және Шымкент қаласында ерекше қажеттілігі бар азаматтарға кешенді қолдау: шағын гранттар, бос жұмыс орындары жәрмеңкелері, онлайн семинарлар, «Инклюзия дауысы» подкасттары және заң мен әлеуметтік мәселелер бойынша Telegram-бот.",
                description_ru="Комплексная поддержка граждан с особыми потребностями в Туркестанской и Карагандинской областях и в Шымкенте: малые гранты, ярмарки вакансий, онлайн-семинары, подкасты «Голос инклюзии» и Telegram-бот юридических и социальных консультаций.",
                description_en='Comprehensive support for citizens with special needs in Turkistan and Karaganda regions and Shymkent: small grants, job fairs, online seminars, the "Voice of Inclusion" podcasts and a Telegram bot for legal and social consultations.',
                starts_on=d.QORGAN_START,
                ends_on=d.QORGAN_END,
                funding_source="state_grant",
                funder=f"{self.orgs['cisc'].name_kk}; {self.orgs['mci'].name_kk}",
                region_ids=[self.places[r].pk for r, _share in d.QORGAN_REGION_SHARES],
                target_category_ids=[self.categories[c].pk for c in d.DISABILITY],
                volunteers=2000,
                experts=200,
            ),
        )
        people_by_region: dict[str, list[DemoPerson]] = {}
        remaining = d.QORGAN_PEOPLE
        for index, (region, share) in enumerate(d.QORGAN_REGION_SHARES):
            size = remaining if index == len(d.QORGAN_REGION_SHARES) - 1 else round(d.QORGAN_PEOPLE * share)
            remaining -= size
            people_by_region[region] = self.cohort(
                organisation=organisation,
                actor=staff,
                city=region,
                size=size,
                ages=(18, 62),
                categories=d.DISABILITY,
                women_only=False,
                reuse=0,
                consent_on=lambda: self.random_day(d.QORGAN_START, d.QORGAN_START + dt.timedelta(days=120)),
                region=region,
            )
        everyone = [p for group in people_by_region.values() for p in group]
        self.random.shuffle(everyone)
        consultations = everyone[: d.QORGAN_CONSULTATIONS]
        for person in self.progress(consultations, "Qorgan-M: consultations"):
            projects.delivery_record_in_transaction(
                actor=staff,
                project=project,
                person_id=person.person_id,
                service=self.services[
                    "legal_consultation" if self.random.random() < 0.6 else "social_consultation"
                ],
                delivered_on=self.random_day(dt.date(2024, 6, 1), d.QORGAN_END),
                note="@inkluzivtik_bastamalar_bot",
            )
        # Job fairs: two per region; 125 citizens and 65 employers in all.
        fair_days = [
            dt.date(2024, 5, 23),
            dt.date(2024, 9, 19),
            dt.date(2024, 11, 14),
            dt.date(2025, 3, 20),
            dt.date(2025, 5, 22),
            dt.date(2025, 9, 18),
        ]
        fair_regions = [r for r, _share in d.QORGAN_REGION_SHARES] * 2
        citizens = [21, 21, 21, 21, 21, 20]
        employers = [11, 11, 11, 11, 11, 10]
        attended: set[int] = set()
        for number, (day, region, n_citizens, n_employers) in enumerate(
            zip(fair_days, fair_regions, citizens, employers, strict=True), start=1
        ):
            candidates = [p for p in people_by_region[region] if p.person_id not in attended]
            chosen = self.random.sample(candidates, n_citizens)
            attended.update(p.person_id for p in chosen)
            place = self.places[region]
            projects.event_record_in_transaction(
                actor=staff,
                project=project,
                data=projects.EventInput(
                    kind=Event.Kind.JOB_FAIR,
                    title_kk=f"Бос жұмыс орындары жәрмеңкесі №{number}, {place.name_kk}",
                    title_ru=f"Ярмарка вакансий №{number}, {place.name_ru}",
                    title_en=f"Job fair No. {number}, {place.name_en}",
                    held_on=day,
                    place_id=place.pk,
                    employers=n_employers,
                    volunteers=15,
                    attendee_ids=[p.person_id for p in chosen],
                ),
            )
        # Everyone not yet reached received work practice or training (small grants).
        consulted = {p.person_id for p in consultations}
        for person in self.progress(everyone, "Qorgan-M: work practice and training"):
            if person.person_id in consulted or person.person_id in attended:
                continue
            projects.delivery_record_in_transaction(
                actor=staff,
                project=project,
                person_id=person.person_id,
                service=self.services["work_practice" if self.random.random() < 0.55 else "training_course"],
                delivered_on=self.random_day(dt.date(2024, 6, 1), dt.date(2025, 9, 30)),
            )
        seminar_days = [
            dt.date(2024, 4, 18),
            dt.date(2024, 7, 11),
            dt.date(2024, 10, 10),
            dt.date(2025, 2, 13),
            dt.date(2025, 4, 17),
            dt.date(2025, 8, 14),
        ]
        for number, day in enumerate(seminar_days, start=1):
            projects.event_record_in_transaction(
                actor=staff,
                project=project,
                data=projects.EventInput(
                    kind=Event.Kind.ONLINE_SEMINAR,
                    title_kk=f"Enbek.kz онлайн семинары №{number}",
                    title_ru=f"Онлайн-семинар на Enbek.kz №{number}",
                    title_en=f"Online seminar on Enbek.kz No. {number}",
                    held_on=day,
                    venue="Enbek.kz",
                    anonymous_participants=d.QORGAN_SEMINAR_PARTICIPANTS // 6,
                    experts=3,
                ),
            )
        for number in range(1, d.QORGAN_PODCASTS + 1):
            day = d.QORGAN_START + dt.timedelta(days=20 + (number - 1) * 29)
            projects.event_record_in_transaction(
                actor=staff,
                project=project,
                data=projects.EventInput(
                    kind=Event.Kind.PODCAST,
                    title_kk=f"«Инклюзия дауысы» подкасты, №{number} шығарылым",
                    title_ru=f"Подкаст «Голос инклюзии», выпуск №{number}",
                    title_en=f'"Voice of Inclusion" podcast, episode {number}',
                    held_on=day,
                    venue="Telegram: «Инклюзия дауысы»",
                    experts=1,
                ),
            )
        for kk, ru, en, target, actual in d.QORGAN_INDICATORS:
            self.add_indicator(project, admin, kk, ru, en, target, actual)
        return project

    def load_astana_forum(self) -> Project:
        admin = self.users["admin"]
        project = projects.project_create_in_transaction(
            actor=admin,
            organisation=self.orgs["mlsp"],
            data=projects.ProjectInput(
                title_kk="Әлеуметтік жобалар форум-көрмесі",
                title_ru="Форум-выставка социальных проектов",
                title_en="Forum-exhibition of social projects",
                description_kk="Әлеуметтік қорғау жүйесі қызметкерлерінің күніне орай Астанада өткен форум-көрме: 20 ҮЕҰ жобаларын көрсетті, 20 ҮЕҰ марапатталды.",
                description_ru="Форум-выставка в Астане ко Дню работников системы социальной защиты: 20 НПО представили проекты, 20 НПО награждены.",
                description_en="Forum-exhibition in Astana for Social Protection Workers' Day: 20 NGOs showed their projects and 20 NGOs received awards.",
                starts_on=dt.date(2025, 10, 1),
                ends_on=dt.date(2025, 10, 31),
                funding_source="own_funds",
                region_ids=[self.places[d.ASTANA].pk],
            ),
        )
        ngo_ids = [self.orgs[key].pk for key in d.FORUM_NGOS]
        # The article gives no date; the event is placed before Social Protection
        # Workers' Day (last Sunday of October 2025).
        day = dt.date(2025, 10, 24)
        astana = self.places[d.ASTANA].pk
        for kind, kk, ru, en, anonymous in (
            (
                Event.Kind.FORUM,
                "«Өмірді өзгертетін әлеуметтік жобалар» пленарлық отырысы",
                "Пленарное заседание «Социальные проекты, меняющие жизни»",
                'Plenary "Social projects that change lives"',
                150,
            ),
            (
                Event.Kind.EXHIBITION,
                "Астана ҮЕҰ әлеуметтік жобаларының көрмесі",
                "Выставка социальных проектов НПО Астаны",
                "Exhibition of Astana NGOs' social projects",
                0,
            ),
            (
                Event.Kind.AWARD_CEREMONY,
                "20 ҮЕҰ-ны марапаттау рәсімі",
                "Церемония награждения 20 НПО",
                "Award ceremony for 20 NGOs",
                0,
            ),
        ):
            projects.event_record_in_transaction(
                actor=admin,
                project=project,
                data=projects.EventInput(
                    kind=kind,
                    title_kk=kk,
                    title_ru=ru,
                    title_en=en,
                    held_on=day,
                    place_id=astana,
                    venue="Астана",
                    anonymous_participants=anonymous,
                    organisation_ids=ngo_ids,
                ),
            )
        return project

    def load(self) -> None:
        self.create_organisations()
        self.create_users()
        self.load_qorgan()
        for spec in d.ALMATY_2025:
            self.load_cohort_project(spec, self.users["almaty.staff"], self.users["almaty.admin"])
        self.load_cohort_project(d.JOBCOACH, self.users["jobcoach.staff"], self.users["admin"])
        self.load_astana_forum()


def demo_is_loaded() -> bool:
    return User.objects.filter(username="qorgan.admin").exists()


def access_demo_is_loaded() -> bool:
    return AccessObject.objects.filter(
        region__kato=d.ALMATY, external_id__startswith=f"{access_demo.REGISTER_PREFIX}-"
    ).exists()


def load_access_demo(progress: Progress, count: int) -> None:
    """Almaty's infrastructure objects with their passports and measures (issue 5), the
    owners of its schools and clinics, and a surveyor with a worklist given by the akimat
    officer. Runs on databases whose demo was loaded before issue 5 too."""
    builder = DemoBuilder(progress)
    owners: dict[str, int] = {}
    for index, (kind, spec) in enumerate(d.ACCESS_OWNERS):
        owner = Organisation.objects.filter(name_kk=spec.name_kk).first()
        if owner is None:
            owner = core.organisation_create_in_transaction(
                actor=None,
                bin=builder.bin_for(*spec.registered, serial=20000 + index * 37),
                kind=spec.kind,
                name_kk=spec.name_kk,
                name_ru=spec.name_ru,
                name_en=spec.name_en,
                region_id=builder.places[spec.region].pk,
                in_state_ngo_database=False,
            )
        owners[kind] = owner.pk
    surveyor = User.objects.filter(username="almaty.surveyor").first()
    if surveyor is None:
        surveyor = User.objects.create_user("almaty.surveyor", password=d.DEMO_PASSWORD)
        core.role_assign_in_transaction(actor=None, user=surveyor, role=Role.SURVEYOR)
    access_demo.generate_objects(
        region_kato=d.ALMATY, count=count, seed=1, owners=owners, surveyor=surveyor, progress=progress
    )
    officer = User.objects.get(username="akimat.almaty")
    worklist = AccessObject.objects.filter(
        region__kato=d.ALMATY, passported_on__isnull=True, district__name_en="Almaly District"
    ).order_by("pk")[: d.ACCESS_SURVEYOR_OBJECTS]
    for obj in worklist:
        access_services.surveyor_assign_in_transaction(actor=officer, obj=obj, surveyor=surveyor)


def load_demo(*, progress: bool = True, access_objects: int = d.ACCESS_OBJECTS) -> DemoResult:
    """Load the demo, each part in one transaction, unless it is loaded already (then
    nothing changes). `access_objects` is how many infrastructure objects Almaty gets."""

    def bar(items: Iterable[T], label: str) -> Iterable[T]:
        shown: Iterable[T] = tqdm(items, desc=label, unit=" rows", disable=not progress, leave=False)
        return shown

    loaded = False
    if not demo_is_loaded():
        with transaction.atomic(durable=True):
            DemoBuilder(bar).load()
        # The dashboards read the reach cells; fill them now rather than on the first visit.
        reach_refresh()
        loaded = True
    if demo_is_loaded() and not (
        contests_demo.contest_demo_is_loaded() and contests_demo.call_demo_is_loaded()
    ):
        # The 2017 contest and Qorgan-M's call with its 40 small grants (issue 6).
        with transaction.atomic(durable=True):
            contests_demo.load_contests_demo()
        reach_refresh()
        loaded = True
    if access_objects > 0 and not access_demo_is_loaded():
        with transaction.atomic(durable=True):
            load_access_demo(bar, access_objects)
        loaded = True
    if demo_is_loaded() and not jobs_demo.jobs_demo_is_loaded():
        # Employment (issue 14): JOBCOACH's caseload, Almaty's employers and their quota,
        # Qorgan-M's job fairs; the vacancies' workplaces are the access demo's buildings.
        # Each step is one of the jobs app's services, each its own durable transaction
        # (they have no _in_transaction variants yet): an interrupted load is not all or
        # nothing, and `jobs_demo_is_loaded` looks for the last thing it makes.
        jobs_demo.load_jobs_demo(bar)
        reach_refresh()
        loaded = True
    if demo_is_loaded() and not consult_demo.consult_demo_is_loaded():
        # Consultations (issue 17): Qorgan-M's and Almaty's consultants, conversations waiting
        # for them and Qorgan-M's answered ones. Each step is a service in its own durable
        # transaction, as in the jobs demo.
        consult_demo.load_consult_demo()
        loaded = True
    if demo_is_loaded() and not services_demo.services_demo_is_loaded():
        # Social services (issue 15): Almaty's network of article 002, its 7,000 recipients
        # of 2025, referrals, wait lists and the workforce; the access demo's buildings, if
        # loaded, are the providers' buildings. One transaction, then the reach cells.
        services_demo.load_services_demo(bar)
    if demo_is_loaded() and not interpreting_demo.interpreting_demo_is_loaded():
        # Sign-language interpreting (issue 16): the Almaty service of the 2016 contest, its
        # 320 people's sessions of 2016, today's interpreters, dispatcher and deaf citizen.
        interpreting_demo.load_interpreting_demo()
        reach_refresh()
        loaded = True
    return DemoResult(
        loaded=loaded,
        users=[
            *d.USERS,
            *d.CONTEST_USERS,
            *d.JOBS_USERS,
            *d.CONSULT_USERS,
            *services_demo.SERVICES_USERS,
            *interpreting_demo.DEMO_USERS,
        ],
    )
