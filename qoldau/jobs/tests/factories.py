"""Employment test data, made through the real services: a career centre in Almaty and an
NGO in Turkistan that serve seekers, two Almaty employers, officers, and the buildings of
the workplaces with their accessibility passports."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from qoldau.access.models import AccessObject
from qoldau.access.tests.factories import make_object, passport
from qoldau.core import services as core_services
from qoldau.core.models import Organisation, Place
from qoldau.core.tests import factories
from qoldau.jobs import services
from qoldau.jobs.models import CoachingCase, Placement, Seeker, Vacancy
from qoldau.projects import services as project_services
from qoldau.projects.models import Project

ALMATY, TURKISTAN = factories.ALMATY, factories.TURKISTAN
PAST = dt.date(2025, 3, 3)
_names = itertools.count(1)


def almaty_district(name_en: str = "Almaly District") -> Place:
    return Place.objects.get(level=Place.Level.DISTRICT, name_en=name_en)


def project(admin: User, organisation: Organisation, kato: str = ALMATY) -> Project:
    return project_services.project_create(
        actor=admin,
        organisation=organisation,
        data=project_services.ProjectInput(
            title_kk="JOBCOACH: жұмысқа орналасуға сүйемелдеу",
            starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2027, 12, 31),
            funding_source="state_social_order",
            region_ids=[factories.region(kato).pk],
        ),
    )


def seeker(
    actor: User,
    organisation: Organisation,
    *,
    occupations: tuple[str, ...] = ("4110",),
    contraindications: tuple[str, ...] = (),
    accommodations: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    district: str | None = "Almaly District",
    region_kato: str | None = None,
    remote_ok: bool = False,
    pay_wanted: Decimal | None = None,
    hours: int | None = 40,
    education: str = "vocational",
    experience_months: int = 24,
    sex: str = "F",
) -> Seeker:
    """A person the organisation registers with consent, and as a seeker."""
    n = next(_names)
    region_id = factories.region(region_kato).pk if region_kato else None
    return services.seeker_register_person(
        actor=actor,
        organisation=organisation,
        person_data=core_services.PersonInput(
            last_name=f"Іздеуші{n}", first_name="Айгүл", iin=factories.valid_iin(sex=sex)
        ),
        consent_given_on=dt.date(2025, 1, 10),
        data=services.SeekerInput(
            education=education,
            region_id=region_id,
            district_id=almaty_district(district).pk if district and not region_kato else None,
            occupation_codes=occupations,
            experience_months=experience_months,
            weekly_hours_wanted=hours,
            pay_wanted=pay_wanted,
            remote_ok=remote_ok,
            contraindication_codes=contraindications,
            accommodation_codes=accommodations,
            categories_needed=categories,
        ),
    )


def vacancy(
    actor: User,
    employer: Organisation,
    *,
    occupation: str = "4110",
    conditions: tuple[str, ...] = (),
    accommodations: tuple[str, ...] = (),
    workplace: AccessObject | None = None,
    pay_from: Decimal = Decimal(150_000),
    pay_to: Decimal | None = None,
    hours: int = 40,
    opens_on: dt.date = PAST,
    remote: bool = False,
    quota: bool = False,
    district: str | None = "Almaly District",
    region_kato: str | None = None,
    draft: bool = False,
    title: str = "Кеңсе қызметкері",
) -> Vacancy:
    return services.vacancy_post(
        actor=actor,
        employer=employer,
        draft=draft,
        data=services.VacancyInput(
            occupation_code=occupation,
            title_kk=title,
            weekly_hours=hours,
            pay_from=pay_from,
            pay_to=pay_to,
            opens_on=opens_on,
            condition_codes=conditions,
            accommodation_codes=accommodations,
            workplace_id=workplace.pk if workplace else None,
            remote=remote,
            quota=quota,
            region_id=factories.region(region_kato).pk if region_kato else None,
            district_id=almaty_district(district).pk if district and not region_kato else None,
        ),
    )


@dataclass
class Scene:
    """Who is who, and the buildings: `clinic` accessible for every category, `school`
    without a ramp (not accessible for К and О), `library` not surveyed."""

    centre: Organisation
    turkistan_ngo: Organisation
    employer_a: Organisation
    employer_b: Organisation
    project: Project
    turkistan_project: Project
    users: dict[str, Any] = field(default_factory=dict)
    clinic: AccessObject | None = None
    school: AccessObject | None = None
    library: AccessObject | None = None

    def __getitem__(self, name: str) -> Any:
        return self.users[name]


def scene(*, buildings: bool = True) -> Scene:
    centre = factories.organisation(
        kato=ALMATY, name="Алматы қаласының Мансап орталығы", kind="state_institution"
    )
    turkistan_ngo = factories.organisation(
        kato=TURKISTAN, name="«Түркістан көмек» қоры", kind="public_foundation"
    )
    employer_a = factories.organisation(kato=ALMATY, name="«Алма Логистика» ЖШС", kind="company")
    employer_b = factories.organisation(kato=ALMATY, name="«Тау Сервис» ЖШС", kind="company")
    u: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "nobody": User.objects.create_user("nobody", password=factories.PASSWORD),
        "centre.staff": factories.user("centre.staff", "ngo_staff", org=centre),
        "centre.admin": factories.user("centre.admin", "ngo_admin", org=centre),
        "centre.coach": factories.user("centre.coach", "job_coach", org=centre),
        "centre.coach2": factories.user("centre.coach2", "job_coach", org=centre),
        "turkistan.coach": factories.user("turkistan.coach", "job_coach", org=turkistan_ngo),
        "turkistan.admin": factories.user("turkistan.admin", "ngo_admin", org=turkistan_ngo),
        "employer.a": factories.user("employer.a", "employer_staff", org=employer_a),
        "employer.b": factories.user("employer.b", "employer_staff", org=employer_b),
        "akimat.almaty": factories.user("akimat.almaty", "akimat_officer", kato=ALMATY),
        "akimat.turkistan": factories.user("akimat.turkistan", "akimat_officer", kato=TURKISTAN),
        "ministry": factories.user("ministry", "ministry_officer"),
        "sysadmin": factories.user("sysadmin", "system_admin"),
    }
    s = Scene(
        centre=centre,
        turkistan_ngo=turkistan_ngo,
        employer_a=employer_a,
        employer_b=employer_b,
        project=project(u["centre.admin"], centre),
        turkistan_project=project(u["turkistan.admin"], turkistan_ngo, TURKISTAN),
        users=u,
    )
    if buildings:
        officer = u["akimat.almaty"]
        surveyor = factories.user("surveyor", "surveyor")
        s.clinic = make_object(officer, name="Қалалық емхана №5")
        s.school = make_object(officer, name="Мектеп №12", kind="education", latitude=43.23, longitude=76.95)
        s.library = make_object(officer, name="Кітапхана", kind="culture", longitude=76.85)
        passport(officer, surveyor, s.clinic)
        passport(officer, surveyor, s.school, not_met={"ramp"})
        s.clinic.refresh_from_db()
        s.school.refresh_from_db()
    return s


def case(s: Scene, person: Seeker, coach: str = "centre.coach", opened_on: dt.date = PAST) -> CoachingCase:
    return services.case_open(actor=s["centre.staff"], seeker=person, coach=s[coach], opened_on=opened_on)


def placement(
    s: Scene,
    coaching: CoachingCase,
    *,
    employer: Organisation | None = None,
    vacancy: Vacancy | None = None,
    start: dt.date = dt.date(2025, 4, 1),
    pay: Decimal = Decimal(150_000),
    quota: bool | None = None,
    actor: str = "centre.coach",
) -> Placement:
    return services.placement_record(
        actor=s[actor],
        case=coaching,
        project=s.project,
        data=services.PlacementInput(
            employer_id=(employer or s.employer_a).pk,
            vacancy_id=vacancy.pk if vacancy else None,
            start_date=start,
            pay=pay,
            weekly_hours=40,
            contract_kind="open_ended",
            quota=quota,
        ),
    )


def sent_proposal(s: Scene, person: Seeker, job: Vacancy, actor: str = "centre.coach") -> Any:
    proposal = services.proposal_create(actor=s[actor], seeker=person, vacancy=job)
    proposal = services.proposal_agree(actor=s[actor], proposal=proposal)
    return services.proposal_send(actor=s[actor], proposal=proposal)


def fair(s: Scene, held_on: dt.date = dt.date(2025, 5, 20), actor: str = "centre.staff") -> Any:
    """A job fair of the career centre's project, in Almaly District."""
    return services.fair_create(
        actor=s[actor],
        project=s.project,
        data=services.FairInput(
            title_kk="Бос жұмыс орындары жәрмеңкесі",
            title_en="Job fair",
            held_on=held_on,
            place_id=almaty_district().pk,
            venue="Мансап орталығы",
        ),
    )


def person(s: Scene, organisation: Organisation | None = None, actor: str = "centre.staff") -> Any:
    """A person the organisation (the career centre) serves, with consent."""
    return factories.person(s[actor], organisation or s.centre, last_name=f"Келуші{next(_names)}")


def self_registered(
    citizen: User,
    organisation: Organisation,
    *,
    occupations: tuple[str, ...] = ("4110",),
    categories: tuple[str, ...] = (),
    accommodations: tuple[str, ...] = (),
    iin: str | None = None,
) -> Seeker:
    """A citizen registers themselves as a seeker with the organisation, through the service."""
    return services.seeker_self_register(
        actor=citizen,
        organisation=organisation,
        person_data=core_services.PersonInput(
            last_name="Өзім", first_name="Тіркелдім", iin=iin or factories.valid_iin(sex="F")
        ),
        consent_given_on=timezone.localdate(),
        data=services.SeekerInput(
            education="vocational",
            district_id=almaty_district().pk,
            region_id=almaty_district().parent_id,
            occupation_codes=occupations,
            experience_months=24,
            weekly_hours_wanted=40,
            accommodation_codes=accommodations,
            categories_needed=categories,
        ),
    )
