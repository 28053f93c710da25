"""The demo of contests and small grants, made through the services the pages use:

- the 2017 contest "Best social projects implemented in Kazakhstan" (article 003) during
  its regional stage: commissions in Almaty, Astana and three regions, 13 registered
  participants, some found eligible, some scored, no result approved;
- Qorgan-M's call for small grants in Turkistan region, Karaganda region and Shymkent
  (article 000), opened in March 2024: 40 short-term grants awarded within the budget, with
  tranches, grantee reports and grantee projects whose deliveries the call's dashboard counts.

The applicants are generated regional NGOs. Each part is loaded once: loading again
changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from qoldau.contests import selectors, services
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    Commission,
    CommissionMember,
    Contest,
    GrantBandKind,
    GrantCall,
    GranteeReport,
)
from qoldau.core import demo_data as d
from qoldau.core import demo_names as names
from qoldau.core import services as core
from qoldau.core.identifiers import make_bin, make_iin
from qoldau.core.models import Organisation, Place, Role, VulnerabilityCategory
from qoldau.projects import services as projects
from qoldau.projects.models import Project, ServiceType

ASTANA_TIME = ZoneInfo("Asia/Almaty")
CONTEST_TITLE_KK = "Қазақстанда іске асырылып жатқан үздік әлеуметтік жобалар"
CALL_TITLE_KK = "Өңірлік ҮЕҰ мен бастамашыл топтарға арналған шағын гранттар"
SEED = 2017
QORGAN_NAME_KK = next(spec.name_kk for spec in d.ORGANISATIONS if spec.key == "qorgan")


def _at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ASTANA_TIME)


# The 2017 contest -----------------------------------------------------------------------

CONTEST_CRITERIA = [
    ("Әлеуметтік маңызы", "Социальная значимость", "Social significance", "3"),
    ("Қол жеткізілген нәтижелер", "Достигнутые результаты", "Results achieved", "3"),
    ("Қамту (көмек алған адамдар саны)", "Охват (число получивших помощь)", "Reach (people helped)", "2"),
    ("Тұрақтылығы", "Устойчивость", "Sustainability", "1"),
    ("Инновациялығы", "Инновационность", "Innovation", "1"),
]
# Who sits on a regional commission (article 003): the akim's adviser on disability issues
# chairs; NGOs, the party branch and the regional chamber of entrepreneurs are members; the
# employment and social programmes department keeps the record.
AFFILIATIONS: dict[str, str] = {
    CommissionMember.Role.CHAIR: "Әкімнің мүгедектік мәселелері жөніндегі кеңесшісі",
    CommissionMember.Role.SECRETARY: "Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
}
MEMBER_AFFILIATIONS = [
    "Мүгедектігі бар адамдардың қоғамдық бірлестігі (ҮЕҰ)",
    "«Nur Otan» партиясының өңірлік филиалы",
    "«Атамекен» өңірлік кәсіпкерлер палатасы",
]
# region → participants: (kind, title kk, ru, en, people declared)
PARTICIPANTS: dict[str, list[tuple[str, str, str, str, int]]] = {
    d.ALMATY: [
        (
            ApplicantKind.DISABILITY_ORGANISATION,
            "Көру қабілеті бұзылған жастарға арналған компьютерлік сауаттылық мектебі",
            "Школа компьютерной грамотности для незрячей молодёжи",
            "Computer literacy school for blind young people",
            140,
        ),
        (
            ApplicantKind.NGO,
            "Ерекше балаларға арналған инклюзивті театр студиясы",
            "Инклюзивная театральная студия для особенных детей",
            "Inclusive theatre studio for children with special needs",
            85,
        ),
        (
            ApplicantKind.PUBLIC_ASSOCIATION,
            "Мүгедектігі бар әйелдерге арналған тігін шеберханасы",
            "Швейная мастерская для женщин с инвалидностью",
            "Sewing workshop for women with disabilities",
            60,
        ),
        (
            ApplicantKind.NGO,
            "Аутизм спектрі бар балалардың ата-аналарына арналған кеңес орталығы",
            "Консультационный центр для родителей детей с аутизмом",
            "Counselling centre for parents of autistic children",
            310,
        ),
    ],
    d.ASTANA: [
        (
            ApplicantKind.PUBLIC_ASSOCIATION,
            "Арбаға таңылған адамдарға арналған әлеуметтік такси",
            "Социальное такси для людей на колясках",
            "Social taxi for wheelchair users",
            420,
        ),
        (
            ApplicantKind.DISABILITY_ORGANISATION,
            "Естімейтін адамдарға арналған ым тілі курстары",
            "Курсы жестового языка для неслышащих",
            "Sign-language courses for deaf people",
            95,
        ),
        (
            ApplicantKind.NGO,
            "Қарттарға үйде әлеуметтік көмек",
            "Социальная помощь пожилым на дому",
            "Social care at home for older people",
            180,
        ),
    ],
    d.SHYMKENT: [
        (
            ApplicantKind.NGO,
            "Көп балалы отбасыларға арналған кәсіптік бағдар беру",
            "Профориентация для многодетных семей",
            "Career guidance for large families",
            230,
        ),
        (
            ApplicantKind.PUBLIC_ASSOCIATION,
            "Мүгедектігі бар жасөспірімдерге арналған спорт секциялары",
            "Спортивные секции для подростков с инвалидностью",
            "Sports clubs for teenagers with disabilities",
            70,
        ),
    ],
    d.TURKISTAN: [
        (
            ApplicantKind.DISABILITY_ORGANISATION,
            "Ауылдағы мүгедектігі бар адамдарға заң кеңесі",
            "Юридические консультации для людей с инвалидностью на селе",
            "Legal advice for rural people with disabilities",
            350,
        ),
        (
            ApplicantKind.INDIVIDUAL,
            "Ерекше балаларға арналған ертегі терапиясы",
            "Сказкотерапия для особенных детей",
            "Fairy-tale therapy for children with special needs",
            45,
        ),
    ],
    d.KARAGANDA: [
        (
            ApplicantKind.NGO,
            "Шахтер отбасыларының мүгедек балаларына оңалту",
            "Реабилитация детей с инвалидностью из шахтёрских семей",
            "Rehabilitation for disabled children of miners' families",
            120,
        ),
        (
            ApplicantKind.PUBLIC_ASSOCIATION,
            "Мүгедектігі бар адамдарды жұмысқа орналастыру клубы",
            "Клуб трудоустройства людей с инвалидностью",
            "Job club for people with disabilities",
            160,
        ),
    ],
}
NGO_NAMES = [
    "Жол ашық",
    "Мейірім",
    "Шапағат",
    "Жарқын жол",
    "Үміт",
    "Қамқор",
    "Асар",
    "Нұрлы болашақ",
    "Бірлік",
    "Сенім",
    "Шұғыла",
    "Ақ ниет",
    "Жаңа қадам",
    "Көмек қолы",
    "Тірек",
    "Құрақ",
    "Самға",
    "Береке",
    "Ырыс",
    "Дәнекер",
    "Арман",
    "Таза бұлақ",
]


class ContestsDemo:
    def __init__(self) -> None:
        self.random = random.Random(SEED)  # noqa: S311 - reproducible demo data, not a secret
        self.places = {p.kato: p for p in Place.objects.filter(level=Place.Level.REGION)}
        self.serial = 0

    # People who are not in the base demo -----------------------------------------------

    def seat_user(self, username: str, *, password: bool) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=d.DEMO_PASSWORD if password else None)
        elif password and not user.has_usable_password():
            # A demo loaded before this user signed in (contest.almaty.member2 had no
            # password, so its chair could never approve): the next load lets them in.
            user.set_password(d.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def ngo(self, region: str, kind: str, prefix: str) -> tuple[Organisation, User]:
        """A generated NGO of the region (in the state NGO database) and its administrator."""
        self.serial += 1
        base = NGO_NAMES[self.serial % len(NGO_NAMES)]
        kinds: dict[str, str] = {
            ApplicantKind.PUBLIC_ASSOCIATION: Organisation.Kind.PUBLIC_ASSOCIATION,
            ApplicantKind.DISABILITY_ORGANISATION: Organisation.Kind.PUBLIC_ASSOCIATION,
        }
        org_kind = kinds.get(kind, Organisation.Kind.NGO)
        serial = 30000 + self.serial * 41
        number = None
        while number is None:
            number = make_bin(2010 + self.serial % 12, 1 + self.serial % 12, serial)
            serial += 1
        place = self.places[region]
        organisation = core.organisation_create_in_transaction(
            actor=None,
            bin=number,
            kind=org_kind,
            name_kk=f"«{base}-{self.serial}» қоғамдық бірлестігі ({place.name_kk})",
            name_ru=f"Общественное объединение «{base}-{self.serial}» ({place.name_ru})",
            name_en=f'"{base}-{self.serial}" public association ({place.name_en})',
            region_id=place.pk,
            in_state_ngo_database=True,
        )
        admin = User.objects.create_user(f"{prefix}.{self.serial:02d}")
        core.role_assign_in_transaction(
            actor=None, user=admin, role=Role.NGO_ADMIN, organisation=organisation
        )
        return organisation, admin

    # The contest -------------------------------------------------------------------------

    def load_contest(self) -> Contest:
        ministry = User.objects.get(username="ministry")
        contest = services.contest_create_in_transaction(
            actor=ministry,
            data=services.ContestInput(
                year=2017,
                title_kk=CONTEST_TITLE_KK,
                title_ru="Лучшие социальные проекты, реализуемые в Казахстане",
                title_en="Best social projects implemented in Kazakhstan",
                description_kk=(
                    "Республикалық байқау бесінші рет өтіп отыр. Алдымен өңірлік кезең: әр облыста, "
                    "Астана мен Алматы қалаларында комиссия өтінімдерді қабылдап, жеңімпаздарды анықтайды. "
                    "Өңірлердің бірінші орын алған жобалары министрліктегі республикалық комиссияға "
                    "жіберіледі; жүлдегерлерді марапаттау қыркүйекте Астанада өтеді."
                ),
                description_ru=(
                    "Республиканский конкурс проводится в пятый раз. Сначала региональный этап: в каждой "
                    "области, в Астане и Алматы комиссия принимает заявки и определяет победителей. Первые "
                    "места регионов выходят на республиканскую комиссию при министерстве; награждение "
                    "лауреатов — в сентябре в Астане."
                ),
                description_en=(
                    "The republican contest is held for the fifth time. The regional stage comes first: "
                    "in every region, Astana and Almaty a commission takes applications and selects the "
                    "winners. "
                    "The regions' first places go to the republican commission at the Ministry; the "
                    "laureates are presented and awarded in Astana in September."
                ),
                eligible_kinds=list(ApplicantKind.values),
                places_awarded=3,
                advance_per_region=1,
            ),
        )
        services.stage_set_in_transaction(
            actor=ministry,
            contest=contest,
            level="regional",
            opens_at=_at(2017, 4, 3, 9),
            deadline=_at(2017, 6, 30, 23, 59),
        )
        services.stage_set_in_transaction(
            actor=ministry,
            contest=contest,
            level="republican",
            opens_at=_at(2017, 7, 10, 9),
            deadline=_at(2017, 9, 15, 18),
            results_on=dt.date(2017, 9, 22),
            venue="Астана",
        )
        services.criteria_set_in_transaction(
            actor=ministry,
            contest=contest,
            criteria=[
                services.CriterionInput(name_kk=kk, name_ru=ru, name_en=en, weight=Decimal(weight))
                for kk, ru, en, weight in CONTEST_CRITERIA
            ],
        )
        commissions: dict[str, tuple[Commission, dict[str, User]]] = {}
        for region in PARTICIPANTS:
            commission = services.commission_create_in_transaction(
                actor=ministry, level="regional", contest=contest, region=self.places[region]
            )
            if region == d.ALMATY:
                seats = {
                    "chair": self.seat_user("contest.chair", password=True),
                    "member": self.seat_user("contest.member", password=True),
                    "secretary": self.seat_user("contest.secretary", password=True),
                    "member2": self.seat_user("contest.almaty.member2", password=True),
                }
            else:
                code = region[:2]
                seats = {
                    "chair": self.seat_user(f"contest.{code}.chair", password=False),
                    "member": self.seat_user(f"contest.{code}.member", password=False),
                    "secretary": self.seat_user(f"contest.{code}.secretary", password=False),
                }
            for index, (key, user) in enumerate(seats.items()):
                role: str = key if key in ("chair", "secretary") else CommissionMember.Role.MEMBER
                affiliation = AFFILIATIONS.get(role, MEMBER_AFFILIATIONS[index % len(MEMBER_AFFILIATIONS)])
                services.commission_member_add_in_transaction(
                    actor=ministry, commission=commission, user=user, role=role, affiliation=affiliation
                )
            commissions[region] = (commission, seats)

        day = 0
        for region, rows in PARTICIPANTS.items():
            commission, seats = commissions[region]
            for index, (kind, kk, ru, en, people) in enumerate(rows):
                day += 1
                moment = _at(2017, 5, 2 + day * 2, 11)
                if kind == ApplicantKind.INDIVIDUAL:
                    applicant = User.objects.create_user(f"contest.applicant.{region[:2]}.{index}")
                    organisation_id = None
                    applicant_name = "Бастамашыл жоба жетекшісі"
                else:
                    organisation, applicant = self.ngo(region, kind, "contest.ngo")
                    organisation_id = organisation.pk
                    applicant_name = organisation.name_kk
                draft = services.application_start_in_transaction(
                    actor=applicant,
                    contest=contest,
                    now=moment,
                    data=services.ApplicationInput(
                        applicant_kind=kind,
                        region_id=self.places[region].pk,
                        organisation_id=organisation_id,
                        applicant_name=applicant_name,
                        title_kk=kk,
                        title_ru=ru,
                        title_en=en,
                        description_kk=f"{kk}: жоба 2016 жылдан бері жұмыс істейді.",
                        description_ru=f"{ru}: проект работает с 2016 года.",
                        description_en=f"{en}: the project has been running since 2016.",
                        results=f"{people} адамға көмек көрсетілді.",
                        people_reached_declared=people,
                    ),
                )
                application = services.application_submit_in_transaction(
                    actor=applicant, application=draft, now=moment + dt.timedelta(hours=3)
                )
                # The secretaries of Almaty and Astana have checked the first applications;
                # the members have begun to score. No commission has approved its result.
                if region in (d.ALMATY, d.ASTANA) and index < len(rows) - 1:
                    services.eligibility_decide_in_transaction(
                        actor=seats["secretary"], application=application, eligible=True
                    )
                    if index == 0 or region == d.ALMATY:
                        self.score(commission, application, [seats["chair"], seats["member"]])
        return contest

    def score(self, commission: Commission, application: Application, members: list[User]) -> None:
        criteria = selectors.criteria_of(commission)
        for member in members:
            services.scores_record_in_transaction(
                actor=member,
                commission=commission,
                application=application,
                scores=[
                    services.ScoreInput(
                        c.pk, Decimal(self.random.randint(5, 10)), "Жоба нәтижелері құжатпен расталған."
                    )
                    for c in criteria
                ],
            )

    # The grant call ----------------------------------------------------------------------

    def load_call(self) -> GrantCall:
        # Its NGOs' numbers never meet the contest's, whichever part is loaded first.
        self.serial = max(self.serial, 100)
        operator_admin = User.objects.get(username="qorgan.admin")
        operator = Organisation.objects.get(name_kk=QORGAN_NAME_KK)
        regions = [d.TURKISTAN, d.KARAGANDA, d.SHYMKENT]
        disability = VulnerabilityCategory.objects.filter(code__in=d.DISABILITY)
        call = services.grant_call_create_in_transaction(
            actor=operator_admin,
            operator=operator,
            data=services.GrantCallInput(
                title_kk=CALL_TITLE_KK,
                title_ru="Малые гранты региональным НПО и инициативным группам",
                title_en="Small grants to regional NGOs and initiative groups",
                description_kk=(
                    "«Инклюзивті қоғамды дамыту» жобасы аясында ерекше қажеттілігі бар азаматтардың өзін-өзі "
                    "жұмыспен қамтуына және жұмыс практикасына арналған шағын гранттар."
                ),
                description_ru=(
                    "Малые гранты в рамках проекта «Развитие инклюзивного общества» на самозанятость и "
                    "трудовую практику граждан с особыми потребностями."
                ),
                description_en=(
                    "Small grants under the Inclusive Society Development project for the self-employment "
                    "and work practice of citizens with special needs."
                ),
                budget=Decimal(d.GRANT_CALL_BUDGET),
                opens_at=_at(2024, 3, 1, 9),
                deadline=_at(2024, 4, 15, 23, 59),
                bands=[GrantBandKind.SHORT],
                region_ids=[self.places[r].pk for r in regions],
                category_ids=[c.pk for c in disability],
            ),
        )
        services.criteria_set_in_transaction(
            actor=operator_admin,
            call=call,
            criteria=[
                services.CriterionInput(
                    name_kk="Жұмыспен қамтуға әсері",
                    name_ru="Влияние на занятость",
                    name_en="Effect on employment",
                    weight=Decimal(3),
                ),
                services.CriterionInput(
                    name_kk="Бюджеттің негізділігі",
                    name_ru="Обоснованность бюджета",
                    name_en="Soundness of the budget",
                    weight=Decimal(2),
                ),
                services.CriterionInput(
                    name_kk="Ұйымның тәжірибесі",
                    name_ru="Опыт организации",
                    name_en="The organisation's experience",
                    weight=Decimal(1),
                ),
            ],
        )
        commission = services.commission_create_in_transaction(actor=operator_admin, level="grant", call=call)
        chair = self.seat_user("grants.chair", password=True)
        member = self.seat_user("grants.member", password=True)
        secretary = self.seat_user("grants.secretary", password=True)
        for user, role, affiliation in (
            (chair, CommissionMember.Role.CHAIR, "«Қорған-М» РҚБ"),
            (member, CommissionMember.Role.MEMBER, "Азаматтық бастамаларды қолдау орталығы"),
            (secretary, CommissionMember.Role.SECRETARY, "«Қорған-М» РҚБ"),
        ):
            services.commission_member_add_in_transaction(
                actor=operator_admin, commission=commission, user=user, role=role, affiliation=affiliation
            )

        mci_2024 = Decimal(3692)
        work_practice = ServiceType.objects.get(code="work_practice")
        training = ServiceType.objects.get(code="training_course")
        applicants: list[tuple[Application, User]] = []
        # 44 applications: 17 from Turkistan region, 15 from Karaganda region, 12 from Shymkent.
        spread = [d.TURKISTAN] * 17 + [d.KARAGANDA] * 15 + [d.SHYMKENT] * 12
        for number, region in enumerate(spread, start=1):
            organisation, admin = self.ngo(region, ApplicantKind.NGO, "grantee")
            place = self.places[region]
            project = projects.project_create_in_transaction(
                actor=admin,
                organisation=organisation,
                data=projects.ProjectInput(
                    title_kk=f"Өзін-өзі жұмыспен қамту және жұмыс практикасы №{number}, {place.name_kk}",
                    title_ru=f"Самозанятость и трудовая практика №{number}, {place.name_ru}",
                    title_en=f"Self-employment and work practice No. {number}, {place.name_en}",
                    starts_on=dt.date(2024, 5, 1),
                    ends_on=dt.date(2024, 12, 31),
                    funding_source="state_grant",
                    funder=operator.name_kk,
                    region_ids=[place.pk],
                    target_category_ids=[c.pk for c in disability],
                ),
            )
            # From 550 to 1,000 MCI: well inside the short-term band (500-3,000 MCI).
            amount = mci_2024 * (550 + (number * 37) % 450)
            moment = _at(2024, 3, 4, 15) + dt.timedelta(days=number % 40)
            draft = services.application_start_in_transaction(
                actor=admin,
                call=call,
                now=moment,
                data=services.ApplicationInput(
                    applicant_kind=ApplicantKind.NGO,
                    region_id=place.pk,
                    organisation_id=organisation.pk,
                    applicant_name=organisation.name_kk,
                    project_id=project.pk,
                    description_kk="Ерекше қажеттілігі бар адамдарға кәсіп үйрету және жұмыс практикасы.",
                    description_ru=(
                        "Обучение профессии и трудовая практика для людей с особыми потребностями."
                    ),
                    description_en="Vocational training and work practice for people with special needs.",
                    category_ids=[c.pk for c in disability],
                    requested_amount=amount,
                    duration_months=8,
                    band=GrantBandKind.SHORT,
                ),
            )
            services.budget_lines_set_in_transaction(
                actor=admin,
                application=draft,
                lines=[
                    services.BudgetLineInput("Тренерлер мен тәлімгерлердің еңбекақысы", amount * 6 / 10),
                    services.BudgetLineInput("Материалдар мен құралдар", amount * 3 / 10),
                    services.BudgetLineInput("Әкімшілік шығыстар", amount / 10),
                ],
            )
            application = services.application_submit_in_transaction(
                actor=admin, application=draft, now=moment + dt.timedelta(hours=2)
            )
            applicants.append((application, admin))

        for number, (application, _admin) in enumerate(applicants, start=1):
            if number in (7, 29):
                services.eligibility_decide_in_transaction(
                    actor=secretary,
                    application=application,
                    eligible=False,
                    reason="Жоба мүгедектігі бар адамдарды жұмыспен қамтуға бағытталмаған.",
                )
                continue
            services.eligibility_decide_in_transaction(
                actor=secretary, application=application, eligible=True
            )
            criteria = selectors.criteria_of(commission)
            for scorer, shift in ((chair, 0), (member, 1)):
                services.scores_record_in_transaction(
                    actor=scorer,
                    commission=commission,
                    application=application,
                    scores=[
                        services.ScoreInput(c.pk, Decimal(4 + (number * (i + 3) + shift) % 7))
                        for i, c in enumerate(criteria)
                    ],
                )
        ranked = services.commission_approve_in_transaction(actor=chair, commission=commission)
        by_id = {a.pk: (a, admin) for a, admin in applicants}
        awarded = 0
        for row in sorted(ranked, key=lambda r: r.rank)[: d.GRANTS_AWARDED]:
            application, admin = by_id[row.application_id]
            award = services.grant_award_in_transaction(
                actor=operator_admin,
                application=application,
                amount=application.requested_amount or Decimal(0),
            )
            awarded += 1
            first = services.tranche_plan_in_transaction(
                actor=operator_admin, award=award, amount=award.amount * 6 / 10, due_on=dt.date(2024, 5, 15)
            )
            second = services.tranche_plan_in_transaction(
                actor=operator_admin, award=award, amount=award.amount * 4 / 10, due_on=dt.date(2024, 11, 15)
            )
            services.tranche_pay_in_transaction(
                actor=operator_admin, tranche=first, paid_on=dt.date(2024, 5, 20)
            )
            if awarded <= 25:
                services.tranche_pay_in_transaction(
                    actor=operator_admin, tranche=second, paid_on=dt.date(2024, 11, 22)
                )
            progress = services.report_schedule_in_transaction(
                actor=operator_admin,
                award=award,
                kind=GranteeReport.Kind.PROGRESS,
                period_start=dt.date(2024, 5, 1),
                period_end=dt.date(2024, 10, 31),
                due_on=dt.date(2024, 11, 10),
            )
            financial = services.report_schedule_in_transaction(
                actor=operator_admin,
                award=award,
                kind=GranteeReport.Kind.FINANCIAL,
                period_start=dt.date(2024, 5, 1),
                period_end=dt.date(2024, 12, 31),
                due_on=dt.date(2025, 1, 20),
            )
            if awarded <= 30:
                services.report_submit_in_transaction(
                    actor=admin,
                    report=progress,
                    narrative="Қатысушылар кәсіп үйренді және жұмыс практикасынан өтті.",
                )
            if awarded <= 15:
                services.report_submit_in_transaction(
                    actor=admin,
                    report=financial,
                    narrative="Грант қаражаты бюджет жолдары бойынша жұмсалды.",
                    spent_amount=award.amount,
                )
            if awarded <= 12 and award.project is not None:
                self.deliveries(
                    award.project, admin, region=application.region, kinds=(work_practice, training)
                )
        return call

    def deliveries(
        self, project: Project, actor: User, *, region: Place, kinds: tuple[ServiceType, ServiceType]
    ) -> None:
        """Three people of the grantee's region, each given work practice and a training."""
        organisation = project.organisation
        for _ in range(3):
            sex = "F" if self.random.random() < 0.5 else "M"
            birth = dt.date(
                1980 + self.random.randint(0, 20), self.random.randint(1, 12), self.random.randint(1, 28)
            )
            iin = None
            while iin is None:
                self.serial += 1
                iin = make_iin(birth, sex, 9000 + self.serial % 1000)
            surname = self.random.choice(names.KAZAKH_SURNAMES)
            first = self.random.choice(names.KAZAKH_FEMALE if sex == "F" else names.KAZAKH_MALE)
            registration = core.person_register_in_transaction(
                actor=actor,
                organisation=organisation,
                data=core.PersonInput(
                    last_name=names.feminine_surname(surname) if sex == "F" else surname,
                    first_name=first,
                    iin=iin,
                    region_id=region.pk,
                ),
                consent_given_on=dt.date(2024, 5, 6),
            )
            for service, day in zip(kinds, (dt.date(2024, 6, 12), dt.date(2024, 9, 18)), strict=True):
                projects.delivery_record_in_transaction(
                    actor=actor,
                    project=project,
                    person_id=registration.person.pk,
                    service=service,
                    delivered_on=day,
                )


def contest_demo_is_loaded() -> bool:
    return Contest.objects.filter(year=2017, title_kk=CONTEST_TITLE_KK).exists()


def call_demo_is_loaded() -> bool:
    return GrantCall.objects.filter(title_kk=CALL_TITLE_KK, operator__name_kk=QORGAN_NAME_KK).exists()


def load_contests_demo() -> bool:
    """Load the 2017 contest and Qorgan-M's call, each unless it is there already; the base
    demo (organisations, users such as "ministry" and "qorgan.admin") must be loaded. Returns
    whether anything was loaded. The caller holds the transaction."""
    loaded = False
    builder = ContestsDemo()
    if not contest_demo_is_loaded():
        builder.load_contest()
        loaded = True
    if not call_demo_is_loaded():
        builder.load_call()
        loaded = True
    return loaded
