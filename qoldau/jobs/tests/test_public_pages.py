"""The public vacancy pages, no sign-in: the search with its filters (region and district,
occupation, category of accessibility, quota jobs, remote work), a page at a time, open
vacancies only; a vacancy's page with the workplace's accessibility for each category and
its schema.org JobPosting, which parses as JSON and stays data whatever the employer typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qoldau.core.tests.markup import INJECTED, inline_code, json_data
from qoldau.jobs import services
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db

SEARCH = "/employment/vacancies/"
OPEN = {"Емхана тіркеушісі", "Мектеп кітапханашысы", "Мектеп хатшысы", "Қашықтан оператор"}


@pytest.fixture
def s():
    return f.scene()


@pytest.fixture
def jobs(s):
    staff = s["employer.a"]
    return {
        "clinic": f.vacancy(staff, s.employer_a, workplace=s.clinic, title="Емхана тіркеушісі", quota=True),
        "school": f.vacancy(staff, s.employer_a, workplace=s.school, title="Мектеп кітапханашысы"),
        "ramped": f.vacancy(
            staff,
            s.employer_a,
            workplace=s.school,
            accommodations=("step_free_workplace",),
            title="Мектеп хатшысы",
            occupation="4132",
        ),
        "remote": f.vacancy(
            s["employer.b"], s.employer_b, remote=True, title="Қашықтан оператор", region_kato=f.TURKISTAN
        ),
        "draft": f.vacancy(staff, s.employer_a, draft=True, title="Жоба вакансия"),
        "later": f.vacancy(
            staff,
            s.employer_a,
            title="Кейінгі вакансия",
            opens_on=timezone.localdate() + dt.timedelta(days=5),
        ),
    }


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _titles(response) -> set[str]:
    return {v.title_kk for v in response.context["page"].object_list}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_search_shows_open_vacancies_only_in_every_language(jobs, language):
    response = _client(language).get(SEARCH)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert _titles(response) == OPEN
    heading = {"kk": "Бос жұмыс орындары", "ru": "Вакансии", "en": "Vacancies"}[language]
    assert f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Wheelchair users: the clinic is accessible, the school is not but for the ramped
        # vacancy's step-free route, and remote work needs no building.
        ("category=К", {"Емхана тіркеушісі", "Мектеп хатшысы", "Қашықтан оператор"}),
        # The Latin look-alike a person types means the same category.
        ("category=K", {"Емхана тіркеушісі", "Мектеп хатшысы", "Қашықтан оператор"}),
        ("quota=on", {"Емхана тіркеушісі"}),
        ("remote=on", {"Қашықтан оператор"}),
        ("region=750000000", {"Емхана тіркеушісі", "Мектеп кітапханашысы", "Мектеп хатшысы"}),
        ("occupation=4132", {"Мектеп хатшысы"}),
        ("occupation=0000&region=nowhere", OPEN),
    ],
)
def test_the_search_filters(jobs, query, expected):
    response = _client("en").get(f"{SEARCH}?{query}")
    assert response.status_code == 200
    assert _titles(response) == expected


def test_the_search_filters_by_district(s, jobs):
    other = f.vacancy(s["employer.a"], s.employer_a, title="Басқа аудан", district="Bostandyq District")
    district = f.almaty_district("Bostandyq District")
    response = _client("en").get(f"{SEARCH}?district={district.pk}")
    assert _titles(response) == {other.title_kk}


def test_the_search_goes_a_page_at_a_time_in_a_fixed_number_of_queries(s):
    for n in range(25):
        f.vacancy(s["employer.a"], s.employer_a, title=f"Вакансия {n}")
    client = _client("en")
    with CaptureQueriesContext(connection) as queries:
        first = client.get(SEARCH)
    assert len(first.context["page"].object_list) == 20
    assert 'rel="next"' in first.content.decode()
    second = client.get(f"{SEARCH}?page=2")
    assert len(second.context["page"].object_list) == 5
    assert len(queries) <= 12, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_vacancy_page_shows_the_job_and_its_accessibility(s, jobs, language):
    response = _client(language).get(f"/employment/vacancies/{jobs['ramped'].pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Мектеп хатшысы" in page
    access = {row.category: row.how for row in response.context["detail"].access}
    assert access["К"] == "accommodation"
    assert access["О"] == "accommodation"
    assert access["С"] == "building"
    assert f"/access/objects/{s.school.pk}/" in page
    assert inline_code(page) == []


def test_a_vacancy_page_in_english_words_its_accessibility(s, jobs):
    page = _client("en").get(f"/employment/vacancies/{jobs['ramped'].pk}/").content.decode()
    assert "Yes, with: A step-free route to the workplace, an adapted toilet and desk" in page
    assert "Yes: the building is accessible" in page


def test_a_draft_is_not_public(jobs):
    assert _client("en").get(f"/employment/vacancies/{jobs['draft'].pk}/").status_code == 404
    assert _client("en").get("/employment/vacancies/99999999/").status_code == 404


def test_the_employers_staff_see_their_draft_without_a_job_posting(s, jobs):
    client = _client("en")
    client.force_login(s["employer.a"])
    response = client.get(f"/employment/vacancies/{jobs['draft'].pk}/")
    assert response.status_code == 200
    assert "application/ld+json" not in response.content.decode()


def test_the_job_posting_parses_and_has_the_fields(s, jobs):
    page = _client("en").get(f"/employment/vacancies/{jobs['clinic'].pk}/").content.decode()
    posting = json_data(page, "job-posting")
    assert posting["@context"] == "https://schema.org"
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == "Емхана тіркеушісі"
    assert posting["datePosted"] == f.PAST.isoformat()
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": f"en {s.employer_a.name_kk}",  # the factory's English name
        "identifier": s.employer_a.bin,
    }
    assert posting["jobLocation"]["address"]["addressCountry"] == "KZ"
    assert posting["jobLocation"]["address"]["streetAddress"] == s.clinic.address
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "KZT",
        "value": {"@type": "QuantitativeValue", "unitText": "MONTH", "value": 150000.0},
    }
    assert posting["employmentType"] == "FULL_TIME"
    assert posting["occupationalCategory"] == "4110"
    assert posting["url"].endswith(f"/employment/vacancies/{jobs['clinic'].pk}/")
    assert posting["inLanguage"] == "en"


def test_a_remote_job_posting_says_telecommute(jobs):
    page = _client("ru").get(f"/employment/vacancies/{jobs['remote'].pk}/").content.decode()
    posting = json_data(page, "job-posting")
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["applicantLocationRequirements"] == {"@type": "Country", "name": "KZ"}


def test_text_typed_into_a_vacancy_stays_data_in_the_job_posting(s):
    job = f.vacancy(s["employer.a"], s.employer_a, title=f"Оператор {INJECTED}")
    services.vacancy_update(
        actor=s["employer.a"],
        vacancy=job,
        expected_version=job.version,
        data=services.VacancyInput(
            occupation_code="4110",
            title_kk=f"Оператор {INJECTED}",
            duties=f"Құжаттар & {INJECTED}",
            weekly_hours=40,
            pay_from=job.pay_from,
            opens_on=job.opens_on,
            district_id=job.district_id,
        ),
    )
    page = _client("kk").get(f"/employment/vacancies/{job.pk}/").content.decode()
    assert inline_code(page) == []
    posting = json_data(page, "job-posting")
    assert posting["title"] == f"Оператор {INJECTED}"
    assert posting["description"] == f"Құжаттар & {INJECTED}"
    assert "</script><script>" not in page.split('id="job-posting"')[1].split("</script>")[0]


def test_the_site_links_to_the_vacancies(jobs):
    page = _client("en").get("/").content.decode()
    assert 'href="/employment/vacancies/"' in page
