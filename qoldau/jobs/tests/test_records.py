"""The catalogues every database starts with and the loader of the classifier of
occupations; seekers registered through core's person service; vacancies; and every bad
input refused with a clear sentence and nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from qoldau.core import services as core_services
from qoldau.core.errors import ApplicationError, PermissionDenied
from qoldau.core.models import AuditEntry, Identity, Person
from qoldau.core.tests import factories as core_factories
from qoldau.jobs import services
from qoldau.jobs.models import (
    Accommodation,
    MinimumWage,
    Occupation,
    QuotaBand,
    Seeker,
    SubsidisedProgramme,
    Vacancy,
    WorkingCondition,
)
from qoldau.jobs.tests import factories as f
from qoldau.projects.models import ServiceType

pytestmark = pytest.mark.django_db


def en(error: ApplicationError) -> str:
    with translation.override("en"):
        return error.render()


def refused(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


# The catalogues -----------------------------------------------------------------------------


def test_every_database_starts_with_the_catalogues():
    majors = Occupation.objects.filter(level="major")
    assert sorted(majors.values_list("code", flat=True)) == [str(n) for n in range(10)]
    clerk = Occupation.objects.get(code="4110")
    assert (clerk.level, clerk.isco_code, clerk.parent.code, clerk.parent.parent.code) == (
        "unit",
        "4110",
        "41",
        "4",
    )
    assert Occupation.objects.get(code="2512").parent.code == "25"
    assert Occupation.objects.get(code="9112").parent.code == "9"  # no sub-major seeded: the major group
    assert {
        "heavy_physical_work",
        "night_work",
        "work_at_height",
        "prolonged_standing",
        "noise",
        "driving",
    } <= set(WorkingCondition.objects.values_list("code", flat=True))
    step_free = Accommodation.objects.select_related("limitation__impairment").get(code="step_free_workplace")
    assert (step_free.limitation.code, step_free.limitation.impairment.code, step_free.covers_categories) == (
        "wheelchair_use",
        "mobility",
        "КО",
    )
    assert set(
        Accommodation.objects.exclude(covers_categories="").values_list("covers_categories", flat=True)
    ) == {"КО", "С", "Г", "У"}
    assert list(MinimumWage.objects.order_by("valid_from").values_list("valid_from", "amount")) == [
        (dt.date(2024, 1, 1), Decimal(85_000)),
        (dt.date(2025, 1, 1), Decimal(85_000)),
        (dt.date(2026, 1, 1), Decimal(85_000)),
    ]
    assert list(
        QuotaBand.objects.order_by("min_headcount").values_list(
            "min_headcount", "max_headcount", "rate_percent"
        )
    ) == [
        (50, 100, Decimal(2)),
        (101, 250, Decimal(3)),
        (251, None, Decimal(4)),
    ]
    assert set(SubsidisedProgramme.objects.values_list("kind", flat=True)) == {
        "social_workplace",
        "special_workplace",
        "adaptation",
    }
    assert "UNVERIFIED" in SubsidisedProgramme.objects.get(code="social_workplace").note
    assert {"employment_support", "job_placement", "retention_follow_up"} <= set(
        ServiceType.objects.values_list("code", flat=True)
    )


def _rows(*rows):
    return [services.OccupationRow(i + 2, *row) for i, row in enumerate(rows)]


def test_the_classifier_of_occupations_loads_all_or_nothing_and_twice_changes_nothing():
    rows = _rows(
        ("411", "Жалпы кеңсе қызметкерлері", "Офисные служащие общего профиля"),
        ("4110-9", "Кеңсе қызметкері", "Офисный служащий", "Office clerk"),
        ("2512-1-001", "Бағдарламашы", "Программист", "Programmer"),
    )
    result = services.occupations_import(actor=None, rows=rows)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    clerk = Occupation.objects.get(code="4110-9")
    assert (clerk.level, clerk.parent.code, clerk.isco_code) == ("occupation", "4110", "4110")
    # A unit already in the classifier keeps its group until its own row is loaded again.
    assert Occupation.objects.get(code="4110").parent.code == "41"
    assert Occupation.objects.get(code="2512-1-001").parent.code == "2512"
    again = services.occupations_import(actor=None, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    before = Occupation.objects.count()
    bad = _rows(
        ("7777", "Жақсы", "Хорошо"),
        ("12a", "Қате", "Ошибка"),
        ("5999", "", ""),
        ("999-1", "Қате", "Ошибка"),
    )
    # Each row's reason is written in the language of whoever imports.
    with translation.override("en"):
        error = refused(lambda: services.occupations_import(actor=None, rows=bad))
    assert en(error).splitlines() == [
        "Row 3: 12a is not a code of the classifier of occupations.",
        "Row 4: the occupation has no name.",
        "Row 5: 999-1 is not a code of the classifier of occupations.",
    ]
    assert Occupation.objects.count() == before
    staff = core_factories.user("someone", "ngo_staff", org=core_factories.organisation())
    error = refused(lambda: services.occupations_import(actor=staff, rows=rows))
    assert isinstance(error, PermissionDenied)
    assert AuditEntry.objects.filter(action="occupations.import").count() == 2


def test_the_import_command_loads_the_classifier(tmp_path: Path):
    path = tmp_path / "nkz.csv"
    path.write_text(
        "Код;Атауы;Наименование\n"
        "4110-1;Іс жүргізуші;Делопроизводитель\n"
        "8322-2;Такси жүргізушісі;Водитель такси\n",
        encoding="utf-8",
    )
    out = StringIO()
    with translation.override("en"):
        call_command("import", "occupations", str(path), stdout=out)
    assert "Occupations: 2 created, 0 updated, 0 unchanged." in out.getvalue()
    assert Occupation.objects.get(code="8322-2").name_ru == "Водитель такси"
    path.write_text("Код;Атауы;Наименование\n12-x;Қате;Ошибка\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("import", "occupations", str(path), stdout=StringIO())
    assert "Row 2: 12-x is not a code of the classifier of occupations." in str(caught.value)


# Seekers ------------------------------------------------------------------------------------


@pytest.fixture
def s():
    return f.scene(buildings=False)


def _seeker_input(**changes):
    data = {
        "education": "vocational",
        "occupation_codes": ("4110",),
        "district_id": f.almaty_district().pk,
        "categories_needed": ("K", "С"),
        "contraindication_codes": ("night_work",),
        "accommodation_codes": ("screen_reader",),
        "ipar_note": "Түнгі жұмыс пен ауыр жүк көтеруге болмайды.",
    } | changes
    return services.SeekerInput(**data)


def _people() -> tuple[int, int, int]:
    return Person.objects.count(), Seeker.objects.count(), Identity.objects.count()


def test_a_seeker_is_the_organisations_person_registered_with_consent(s):
    coach = s["centre.coach"]
    seeker = services.seeker_register_person(
        actor=coach,
        organisation=s.centre,
        person_data=core_services.PersonInput(
            last_name="Сейтқали", first_name="Дана", iin=core_factories.valid_iin()
        ),
        consent_given_on=dt.date(2025, 1, 10),
        data=_seeker_input(),
    )
    assert seeker.person.organisation == s.centre
    assert seeker.person.consents.filter(withdrawn_on__isnull=True).count() == 1
    assert seeker.categories_needed == "КС"  # the Latin K read as the Cyrillic К, in the forms' order
    assert seeker.region.kato == f.ALMATY
    assert [c.code for c in seeker.contraindications.all()] == ["night_work"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT ipar_note FROM jobs_seeker WHERE id = %s", [seeker.pk])
        [(stored,)] = cursor.fetchall()
    assert "Түнгі" not in stored
    # The same person registered again is refused.
    error = refused(lambda: services.seeker_register(actor=coach, person=seeker.person, data=_seeker_input()))
    assert en(error) == "This person is already registered as a job seeker."
    # Another organisation's person is not found.
    other = core_factories.person(s["turkistan.admin"], s.turkistan_ngo)
    error = refused(lambda: services.seeker_register(actor=coach, person=other, data=_seeker_input()))
    assert (error.status, en(error)) == (404, "There is no such person among the people you serve.")


def test_bad_seekers_are_refused_and_leave_no_person_behind(s):
    coach = s["centre.coach"]
    before = _people()

    def register(iin=None, consent=dt.date(2025, 1, 10), **changes):
        return lambda: services.seeker_register_person(
            actor=coach,
            organisation=s.centre,
            person_data=core_services.PersonInput(
                last_name="Сейтқали", first_name="Дана", iin=iin or core_factories.valid_iin()
            ),
            consent_given_on=consent,
            data=_seeker_input(**changes),
        )

    iin = core_factories.valid_iin()
    wrong_iin = iin[:11] + str((int(iin[11]) + 1) % 10)
    cases = [
        (
            register(iin=wrong_iin),
            "iin",
            f"IIN {wrong_iin} has a wrong check digit: please check it for typos.",
        ),
        (
            register(consent=None),
            "consent_given_on",
            "Record the person's consent to the processing of their data first.",
        ),
        (
            register(occupation_codes=("4110", "9999")),
            "occupations",
            "There is no occupation 9999 in the classifier.",
        ),
        (
            register(contraindication_codes=("flying",)),
            "contraindication_codes",
            "There is no working condition flying in the catalogue.",
        ),
        (
            register(categories_needed=("Z",)),
            "categories_needed",
            "There is no accessibility category Z; the categories are К, О, С, Г and У.",
        ),
        (register(education="phd"), "education", "Unknown level of education."),
        (register(weekly_hours_wanted=200), "weekly_hours_wanted", "Give a number from 1 to 168."),
        (register(pay_wanted=Decimal("-1")), "pay_wanted", "Give a number from 0 to 999999999.99."),
        (register(skills="x" * 4001), "skills", "The text is longer than 4000 characters."),
        (
            register(occupation_codes=tuple(str(n) for n in range(101))),
            "occupation_codes",
            "Give at most 100 items.",
        ),
    ]
    for call, field, message in cases:
        with translation.override("en"):
            error = refused(call)
            assert (error.field, error.render()) == (field, message)
    assert _people() == before
    # An employer's staff register nobody.
    error = refused(
        lambda: services.seeker_register_person(
            actor=s["employer.a"],
            organisation=s.employer_a,
            person_data=core_services.PersonInput(
                last_name="А", first_name="Б", iin=core_factories.valid_iin()
            ),
            consent_given_on=dt.date(2025, 1, 10),
            data=_seeker_input(),
        )
    )
    assert error.status == 403
    assert _people() == before


def test_a_seeker_is_updated_with_a_version_and_set_aside(s):
    coach = s["centre.coach"]
    seeker = f.seeker(coach, s.centre)
    seeker = services.seeker_update(
        actor=coach, seeker=seeker, expected_version=seeker.version, data=_seeker_input(remote_ok=True)
    )
    assert seeker.remote_ok
    error = refused(
        lambda: services.seeker_update(actor=coach, seeker=seeker, expected_version=1, data=_seeker_input())
    )
    assert error.code == "edit_conflict"
    services.seeker_set_status(actor=coach, seeker=seeker, status="paused")
    job = f.vacancy(s["employer.a"], s.employer_a)
    error = refused(lambda: services.proposal_create(actor=coach, seeker=seeker, vacancy=job))
    assert en(error) == "The person is not looking for work now: mark them as looking first."


# Vacancies ----------------------------------------------------------------------------------


def test_bad_vacancies_are_refused_and_change_nothing(s):
    employer = s["employer.a"]
    before = Vacancy.objects.count()

    def post(**changes):
        data = {
            "occupation_code": "4110",
            "title_kk": "Кеңсе қызметкері",
            "weekly_hours": 40,
            "pay_from": Decimal(150_000),
            "opens_on": dt.date(2025, 3, 1),
        } | changes
        return lambda: services.vacancy_post(
            actor=employer, employer=s.employer_a, data=services.VacancyInput(**data)
        )

    cases = [
        (
            post(occupation_code="0000-0"),
            "occupation_code",
            "There is no occupation 0000-0 in the classifier.",
        ),
        (
            post(pay_from=Decimal(84_999)),
            "pay_from",
            "The pay of 84999 tenge a month is below the minimum wage in force on 2025-03-01: "
            "at least 85000.00 tenge for 40 hours a week.",
        ),
        (
            post(opens_on=dt.date(2019, 1, 1)),
            None,
            "There is no minimum wage for 2019-01-01. An administrator must add it first.",
        ),
        (post(pay_to=Decimal(100_000)), "pay_to", "The pay's upper end is below its lower end."),
        (post(closes_on=dt.date(2025, 2, 1)), "closes_on", "The vacancy closes before it opens."),
        (
            post(workplace_id=999_999),
            "workplace_id",
            "There is no such building among the objects of the accessibility map.",
        ),
        (post(title_kk="  "), "title_kk", "Title in Kazakh is required."),
        (
            post(condition_codes=("night_work", "zero_g")),
            "condition_codes",
            "There is no working condition zero_g in the catalogue.",
        ),
        (post(education_required="wizard"), "education_required", "Unknown level of education."),
        (post(positions=0), "positions", "Give a number from 1 to 10000."),
    ]
    for call, field, message in cases:
        with translation.override("en"):
            error = refused(call)
            assert (error.field, error.render()) == (field, message)
    # Part-time pay is measured against the minimum wage in proportion to the hours.
    services.vacancy_post(
        actor=employer,
        employer=s.employer_a,
        data=services.VacancyInput(
            occupation_code="4110",
            title_kk="Жарты күн",
            weekly_hours=20,
            pay_from=Decimal(42_500),
            opens_on=dt.date(2025, 3, 1),
        ),
    )
    with translation.override("en"):
        error = refused(post(pay_from=Decimal(42_499), weekly_hours=20))
        assert error.render() == (
            "The pay of 42499 tenge a month is below the minimum wage in force on 2025-03-01: "
            "at least 42500.00 tenge for 20 hours a week."
        )
    error = refused(
        lambda: services.vacancy_post(
            actor=s["employer.b"],
            employer=s.employer_a,
            data=services.VacancyInput(
                occupation_code="4110",
                title_kk="Х",
                weekly_hours=40,
                pay_from=Decimal(150_000),
                opens_on=f.PAST,
            ),
        )
    )
    assert isinstance(error, PermissionDenied)
    assert Vacancy.objects.count() == before + 1


def test_a_vacancy_opens_closes_and_is_filled_in_order(s):
    employer = s["employer.a"]
    job = f.vacancy(employer, s.employer_a, draft=True)
    job = services.vacancy_set_status(actor=employer, vacancy=job, status="open")
    job = services.vacancy_set_status(actor=employer, vacancy=job, status="filled", on=dt.date(2025, 6, 1))
    assert (job.status, job.closes_on) == ("filled", dt.date(2025, 6, 1))
    error = refused(lambda: services.vacancy_set_status(actor=employer, vacancy=job, status="draft"))
    assert en(error) == "A vacancy that is Filled cannot become Draft."
    job = services.vacancy_set_status(actor=employer, vacancy=job, status="open")
    assert job.closes_on is None
