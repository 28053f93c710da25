"""The akimat's quota page: its region's employers sorted by shortfall, each with its
history; another region's officer and those without a region are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from qoldau.jobs import services
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    s = f.scene(buildings=False)
    officer = s["akimat.almaty"]
    # A: 200 staff at 3 % → 6 quota jobs, 5 filled; B: 300 at 3 % → 9, 1 filled.
    for employer, headcount, disabled in ((s.employer_a, 200, 5), (s.employer_b, 300, 1)):
        for year in (2024, 2025):
            services.staff_report_record(
                actor=officer,
                employer=employer,
                as_of=dt.date(year, 1, 15),
                headcount=headcount,
                employees_with_disabilities=disabled,
            )
    return s


def _client(user, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_officer_sees_the_regions_employers_largest_shortfall_first(s, language):
    response = _client(s["akimat.almaty"], language).get("/employment/quota/?region=750000000&year=2025")
    assert response.status_code == 200
    rows = [row for row, _exemption in response.context["rows"]]
    assert [row.employer for row in rows] == [s.employer_b, s.employer_a]
    assert rows[0].compliance.shortfall > rows[1].compliance.shortfall
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert 'href="/employment/quota/"' in page  # the menu's entry
    heading = {"kk": "Жұмыспен қамту квотасы", "ru": "Квота рабочих мест", "en": "Employment quota"}[language]
    assert f"<h1>{heading}</h1>" in page


def test_the_history_shows_every_year_reported(s):
    response = _client(s["akimat.almaty"]).get(f"/employment/quota/employers/{s.employer_b.pk}/")
    assert response.status_code == 200
    assert [c.year for c, _exemption in response.context["rows"]] == [2025, 2024]


def test_a_bad_choice_falls_back_to_the_default(s):
    response = _client(s["akimat.almaty"]).get("/employment/quota/?region=nowhere&year=1700")
    assert response.status_code == 200
    assert response.context["region"].kato == f.ALMATY


def test_others_are_refused(s):
    assert _client(s["akimat.turkistan"]).get("/employment/quota/?region=750000000").context[
        "region"
    ].kato == (f.TURKISTAN)
    assert (
        _client(s["akimat.turkistan"]).get(f"/employment/quota/employers/{s.employer_a.pk}/").status_code
        == 404
    )
    assert _client(s["centre.coach"]).get("/employment/quota/").status_code == 403
    assert _client(s["ministry"]).get("/employment/quota/?region=750000000&year=2025").status_code == 200
