"""The ministry's view of the quota: each region's employers that reported for a year,
their quota jobs required and filled, the shortfall, exemptions, warnings and fines, the
largest shortfall first, each region leading to its employers (which the ministry may
open); an akimat officer sees their own region only; others are refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qoldau.core.tests import factories
from qoldau.jobs import services
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


def _report(actor: Any, employer: Any, headcount: int, disabled: int, year: int = 2025) -> None:
    services.staff_report_record(
        actor=actor,
        employer=employer,
        as_of=dt.date(year, 1, 15),
        headcount=headcount,
        employees_with_disabilities=disabled,
    )


@pytest.fixture
def s() -> f.Scene:
    s = f.scene(buildings=False)
    # Almaty: A, 200 staff at 3 % → 6 jobs, 5 filled; B, 300 at 4 % → 12, 1 filled: short by 12.
    _report(s["akimat.almaty"], s.employer_a, 200, 5)
    _report(s["akimat.almaty"], s.employer_b, 300, 1)
    # Turkistan: one employer of 100 staff at 2 % → 2 jobs, none filled: short by 2.
    turkistan = factories.organisation(kato=f.TURKISTAN, name="«Оңтүстік Тоқыма» ЖШС", kind="company")
    _report(s["akimat.turkistan"], turkistan, 100, 0)
    s.users["turkistan.employer"] = turkistan
    return s


def _client(user: Any, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


URL = "/employment/quota/regions/?year=2025"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_ministry_sees_every_region_the_largest_shortfall_first(s: f.Scene, language: str):
    response = _client(s["ministry"], language).get(URL)
    assert response.status_code == 200
    lines = response.context["lines"]
    assert [line.region.kato for line in lines[:2]] == [f.ALMATY, f.TURKISTAN]
    almaty, turkistan = lines[0], lines[1]
    assert (almaty.employers, almaty.required, almaty.filled, almaty.shortfall, almaty.exemptions) == (
        2,
        18,
        6,
        12,
        0,
    )
    assert (turkistan.employers, turkistan.required, turkistan.filled, turkistan.shortfall) == (1, 2, 0, 2)
    assert all(line.employers == 0 and line.shortfall == 0 for line in lines[2:])
    shortfalls = [line.shortfall for line in lines]
    assert shortfalls == sorted(shortfalls, reverse=True)
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert f'href="/employment/quota/?region={f.ALMATY}&amp;year=2025"' in page


def test_the_ministry_opens_a_regions_employers_and_an_employers_history(s: f.Scene):
    client = _client(s["ministry"])
    region = client.get(f"/employment/quota/?region={f.ALMATY}&year=2025")
    assert region.status_code == 200
    assert [row.employer for row, _e in region.context["rows"]] == [s.employer_b, s.employer_a]
    assert client.get(f"/employment/quota/employers/{s.employer_b.pk}/").status_code == 200


def test_exempt_employers_jobs_are_left_out_and_sanctions_counted(s: f.Scene):
    officer = s["akimat.almaty"]
    services.quota_exemption_record(actor=officer, employer=s.employer_b, year=2025, reason="other")
    services.quota_sanction_record(
        actor=officer, employer=s.employer_a, year=2025, kind="warning", issued_on=dt.date(2025, 6, 1)
    )
    services.quota_sanction_record(
        actor=officer,
        employer=s.employer_a,
        year=2025,
        kind="fine",
        issued_on=dt.date(2025, 7, 1),
        fine_mci=5,
    )
    lines = _client(s["ministry"]).get(URL).context["lines"]
    almaty = next(line for line in lines if line.region.kato == f.ALMATY)
    # Only A counts: 200 staff → 6 jobs, 5 filled; B exempt.
    assert (almaty.employers, almaty.exemptions, almaty.required, almaty.filled) == (2, 1, 6, 5)
    assert (almaty.warnings, almaty.fines, almaty.fines_mci) == (1, 1, 5)
    assert almaty.fines_amount > 0
    assert almaty.shortfall == 1


def test_an_akimat_officer_sees_their_region_only(s: f.Scene):
    lines = _client(s["akimat.almaty"]).get(URL).context["lines"]
    assert [line.region.kato for line in lines] == [f.ALMATY]
    assert (
        'href="/employment/quota/regions/?year='
        in _client(s["akimat.almaty"]).get("/employment/quota/").content.decode()
    )


def test_others_are_refused(s: f.Scene):
    for user in ("centre.coach", "employer.a", "nobody"):
        assert _client(s[user]).get(URL).status_code == 403, user


def test_a_bad_year_falls_back_to_this_one(s: f.Scene):
    response = _client(s["ministry"]).get("/employment/quota/regions/?year=1700")
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_the_page_asks_the_same_number_of_queries_whatever_the_employers(s: f.Scene):
    client = _client(s["ministry"])
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for number in range(5):
        employer = factories.organisation(kato=f.ALMATY, name=f"«Қосымша {number}» ЖШС", kind="company")
        _report(s["akimat.almaty"], employer, 60 + number, 1)
    with CaptureQueriesContext(connection) as after:
        client.get(URL)
    assert len(after) == len(before)
