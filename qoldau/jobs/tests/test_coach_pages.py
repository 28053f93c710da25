"""The job coach's pages: the caseload and one case, in every language; the case's forms
call the services, and what a service refuses comes back beside the field; nobody but the
case's coaches opens it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from qoldau.jobs.models import CoachingSession, Proposal, RetentionFollowUp
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return f.scene()


@pytest.fixture
def case(s):
    person = f.seeker(
        s["centre.coach"],
        s.centre,
        categories=("К",),
        accommodations=("step_free_workplace",),
        contraindications=("night_work",),
    )
    return f.case(s, person)


@pytest.fixture
def jobs(s):
    staff = s["employer.a"]
    return {
        "fits": f.vacancy(staff, s.employer_a, workplace=s.clinic, title="Емхана тіркеушісі"),
        "night": f.vacancy(
            staff, s.employer_a, workplace=s.clinic, conditions=("night_work",), title="Түнгі күзет"
        ),
        "steps": f.vacancy(staff, s.employer_a, workplace=s.school, title="Мектеп кітапханашысы"),
    }


def _client(user=None, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _url(case, tail: str = "") -> str:
    return f"/employment/cases/{case.pk}/{tail}"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_caseload_shows_the_coachs_cases(s, case, language):
    response = _client(s["centre.coach"], language).get("/employment/coach/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert case.seeker.person.full_name in page
    heading = {"kk": "Менің істерім", "ru": "Мои случаи", "en": "My caseload"}[language]
    assert f"<h1>{heading}</h1>" in page
    assert 'href="/employment/coach/"' in page  # the menu's entry


def test_the_caseload_counts_overdue_follow_ups(s, case):
    f.placement(s, case, start=dt.date(2025, 4, 1))
    line = _client(s["centre.coach"]).get("/employment/coach/").context["lines"][0]
    assert line.follow_ups_overdue >= 2  # 1 and 3 months after April 2025 are long past


def test_another_coach_sees_neither_the_case_nor_the_person(s, case):
    for name in ("centre.coach2", "turkistan.coach", "employer.a", "akimat.almaty"):
        client = _client(s[name])
        assert case.seeker.person.full_name not in client.get("/employment/coach/").content.decode()
        assert client.get(_url(case)).status_code == 404, name
    assert _client().get(_url(case)).status_code == 302  # to sign in


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_case_page_shows_the_profile_and_the_vacancies_that_fit(s, case, jobs, language):
    response = _client(s["centre.coach"], language).get(_url(case))
    assert response.status_code == 200
    overview = response.context["overview"]
    # Night work is ruled out by the ИПАР; the school has steps and no accommodation.
    assert [line.match.vacancy for line in overview.matches] == [jobs["fits"]]
    page = response.content.decode()
    assert case.seeker.person.full_name in page
    assert "Емхана тіркеушісі" in page
    assert "Түнгі күзет" not in page


def test_why_it_fits_is_said_in_words(s, case, jobs):
    page = _client(s["centre.coach"]).get(_url(case)).content.decode()
    assert "The workplace is accessible for category К." in page
    assert "To arrange with the employer: A step-free route to the workplace" in page


def test_the_coach_proposes_the_person_agrees_and_is_sent(s, case, jobs):
    client = _client(s["centre.coach"])
    response = client.post(_url(case, "proposals/"), {"vacancy": jobs["fits"].pk})
    assert response.status_code == 302
    proposal = Proposal.objects.get(seeker=case.seeker, vacancy=jobs["fits"])
    assert client.post(_url(case, f"proposals/{proposal.pk}/agree/")).status_code == 302
    assert client.post(_url(case, f"proposals/{proposal.pk}/send/")).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.SENT
    page = client.get(_url(case)).content.decode()
    assert "Sent to the employer" in page


def test_a_vacancy_the_ipar_rules_out_is_refused_beside_the_field(s, case, jobs):
    response = _client(s["centre.coach"]).post(_url(case, "proposals/"), {"vacancy": jobs["night"].pk})
    assert response.status_code == 400
    form = response.context["propose_form"]
    assert "the person's ИПАР rules out: Night work" in form.errors["vacancy"][0]
    assert 'id="propose-vacancy-error"' in response.content.decode()
    assert not Proposal.objects.exists()


def test_declining_needs_a_reason(s, case, jobs):
    client = _client(s["centre.coach"])
    client.post(_url(case, "proposals/"), {"vacancy": jobs["fits"].pk})
    proposal = Proposal.objects.get()
    response = client.post(_url(case, f"proposals/{proposal.pk}/decline/"), {"reason": ""})
    assert response.status_code == 400
    assert f'id="decline-{proposal.pk}-reason-error"' in response.content.decode()
    response = client.post(_url(case, f"proposals/{proposal.pk}/decline/"), {"reason": "pay"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DECLINED
    assert client.post(_url(case, f"proposals/{proposal.pk}/unknown/")).status_code == 404


def test_a_session_is_recorded_and_a_future_one_refused(s, case):
    client = _client(s["centre.coach"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(_url(case, "sessions/"), {"project": s.project.pk, "held_on": tomorrow})
    assert response.status_code == 400
    assert response.context["session_form"].errors["held_on"] == ["The date is in the future."]
    response = client.post(
        _url(case, "sessions/"), {"project": s.project.pk, "held_on": "2025-05-05", "note": "Резюме жазылды."}
    )
    assert response.status_code == 302
    assert CoachingSession.objects.filter(case=case).count() == 1
    assert "Резюме жазылды." in client.get(_url(case)).content.decode()


def test_a_placement_and_its_follow_up_are_recorded(s, case, jobs):
    client = _client(s["centre.coach"])
    client.post(_url(case, "proposals/"), {"vacancy": jobs["fits"].pk})
    bad = client.post(
        _url(case, "placements/"),
        {
            "vacancy": jobs["fits"].pk,
            "project": s.project.pk,
            "start_date": "2025-01-02",  # before the vacancy opened
            "pay": "150000",
            "weekly_hours": "40",
            "contract_kind": "open_ended",
        },
    )
    assert bad.status_code == 400
    assert "before the vacancy opened" in bad.context["placement_form"].errors["start_date"][0]
    good = client.post(
        _url(case, "placements/"),
        {
            "vacancy": jobs["fits"].pk,
            "project": s.project.pk,
            "start_date": "2025-04-01",
            "pay": "150000",
            "weekly_hours": "40",
            "contract_kind": "open_ended",
            "accommodations": ["step_free_workplace"],
        },
    )
    assert good.status_code == 302
    first = RetentionFollowUp.objects.get(months=1)
    response = client.post(
        _url(case, f"follow-ups/{first.pk}/"),
        {"project": s.project.pk, "recorded_on": "2025-05-02", "outcome": "employed"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.outcome == "employed"
    again = client.post(
        _url(case, f"follow-ups/{first.pk}/"),
        {"project": s.project.pk, "recorded_on": "2025-05-03", "outcome": "employed"},
    )
    assert again.status_code == 400
    assert "already recorded" in again.context["placement_rows"][0][1][0][1].errors["outcome"][0]
