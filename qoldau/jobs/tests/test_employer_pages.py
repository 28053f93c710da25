"""The employer's pages: its vacancies, posted and changed through the services with the
services' refusals beside the fields, and for each vacancy the seekers a coach sent to it,
never the pool: a seeker not sent, or another employer's vacancy, is not found."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from qoldau.jobs import services
from qoldau.jobs.models import Proposal, Vacancy
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return f.scene()


@pytest.fixture
def pipeline(s):
    job = f.vacancy(s["employer.a"], s.employer_a, workplace=s.clinic, title="Емхана тіркеушісі")
    sent_person = f.seeker(s["centre.coach"], s.centre)
    pool_person = f.seeker(s["centre.coach"], s.centre)
    sent = f.sent_proposal(s, sent_person, job)
    proposed = services.proposal_create(actor=s["centre.coach"], seeker=pool_person, vacancy=job)
    return {
        "job": job,
        "sent": sent,
        "proposed": proposed,
        "sent_person": sent_person,
        "pool_person": pool_person,
    }


def _client(user=None, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


VACANCY = {
    "title_kk": "Жаңа оператор",
    "occupation_code": "4110",
    "weekly_hours": "40",
    "pay_from": "150000",
    "positions": "1",
    "conditions": ["prolonged_standing"],
    "accommodations": ["seated_work"],
    "quota": "on",
    "experience_months_required": "0",
    "opens_on": "2025-03-03",
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_employers_staff_see_their_vacancies(s, pipeline, language):
    client = _client(s["employer.a"], language)
    response = client.get("/employment/employer/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert f'<html lang="{language}">' in text
    assert "Емхана тіркеушісі" in text
    assert 'href="/employment/employer/"' in text  # the menu's entry
    heading = {
        "kk": "Осы бос жұмыс орнына жіберілген іздеушілер",
        "ru": "Соискатели, направленные на эту вакансию",
        "en": "Seekers sent to this vacancy",
    }[language]
    seekers = client.get(f"/employment/employer/vacancies/{pipeline['job'].pk}/")
    assert seekers.status_code == 200
    assert heading in seekers.content.decode()


def test_a_vacancy_is_posted_and_changed_through_the_form(s):
    client = _client(s["employer.a"])
    response = client.post(f"/employment/employer/{s.employer_a.pk}/vacancies/new/", VACANCY)
    assert response.status_code == 302, response.context["form"].errors
    vacancy = Vacancy.objects.get(title_kk="Жаңа оператор")
    assert vacancy.quota
    assert [c.code for c in vacancy.conditions.all()] == ["prolonged_standing"]
    form = client.get(f"/employment/employer/vacancies/{vacancy.pk}/edit/").context["form"]
    assert form.initial["title_kk"] == "Жаңа оператор"
    changed = {**VACANCY, "title_kk": "Өзгерген", "version": vacancy.version}
    assert client.post(f"/employment/employer/vacancies/{vacancy.pk}/edit/", changed).status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title_kk == "Өзгерген"


def test_the_services_refusals_show_beside_the_fields(s):
    client = _client(s["employer.a"])
    low = client.post(
        f"/employment/employer/{s.employer_a.pk}/vacancies/new/", {**VACANCY, "pay_from": "1000"}
    )
    assert low.status_code == 400
    assert "below the minimum wage" in low.context["form"].errors["pay_from"][0]
    assert 'id="id_pay_from-error"' in low.content.decode()
    unknown = client.post(
        f"/employment/employer/{s.employer_a.pk}/vacancies/new/", {**VACANCY, "occupation_code": "9999-9"}
    )
    assert unknown.status_code == 400
    assert unknown.context["form"].errors["occupation_code"]
    assert not Vacancy.objects.exists()


def test_the_employer_sees_only_the_seekers_sent_to_it(s, pipeline):
    response = _client(s["employer.a"]).get(f"/employment/employer/vacancies/{pipeline['job'].pk}/")
    page = response.content.decode()
    assert pipeline["sent_person"].person.full_name in page
    assert pipeline["pool_person"].person.full_name not in page
    assert [line.proposal for line, _form in response.context["rows"]] == [pipeline["sent"]]


def test_a_proposal_not_sent_and_another_employers_vacancy_are_not_found(s, pipeline):
    a, b = _client(s["employer.a"]), _client(s["employer.b"])
    assert a.post(f"/employment/employer/proposals/{pipeline['proposed'].pk}/interview/").status_code == 404
    assert b.get(f"/employment/employer/vacancies/{pipeline['job'].pk}/").status_code == 404
    assert b.post(f"/employment/employer/proposals/{pipeline['sent'].pk}/interview/").status_code == 404
    assert b.get(f"/employment/employer/{s.employer_a.pk}/").status_code == 404
    coach = _client(s["centre.coach"])
    assert coach.get(f"/employment/employer/vacancies/{pipeline['job'].pk}/").status_code == 404


def test_the_employer_advances_and_declines(s, pipeline):
    client = _client(s["employer.a"])
    sent = pipeline["sent"]
    for step in ("interview", "offer", "hired"):
        assert client.post(f"/employment/employer/proposals/{sent.pk}/{step}/").status_code == 302
        sent.refresh_from_db()
        assert sent.state == step
    other = f.sent_proposal(s, f.seeker(s["centre.coach"], s.centre), pipeline["job"])
    client.post(f"/employment/employer/proposals/{other.pk}/decline/", {"reason": ""})
    other.refresh_from_db()
    assert other.state == Proposal.State.SENT
    client.post(f"/employment/employer/proposals/{other.pk}/decline/", {"reason": "skills"})
    other.refresh_from_db()
    assert (other.state, other.declined_by, other.decline_reason) == ("declined", "employer", "skills")


def test_the_employer_closes_the_vacancy(s, pipeline):
    client = _client(s["employer.a"])
    client.post(f"/employment/employer/vacancies/{pipeline['job'].pk}/status/", {"status": "closed"})
    pipeline["job"].refresh_from_db()
    assert pipeline["job"].status == "closed"
