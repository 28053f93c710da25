"""The public summary of employment: GET /api/v1/jobs/summary?region=KATO&year=YYYY counts
people once across organisations, rounds its figures and hides small ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings

from qoldau.core import services as core_services
from qoldau.core.models import Place
from qoldau.core.tests import factories as core_factories
from qoldau.jobs import selectors, services
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/jobs/summary"


@pytest.fixture
def s():
    return f.scene(buildings=False)


def _figures(s):
    """Two Almaty seekers of the centre, one of them also served by the Turkistan NGO (the
    same IIN: one identity); both coached, one placed and retained at six months; and two
    employers' quotas."""
    coach, t_coach = s["centre.coach"], s["turkistan.coach"]
    iin = core_factories.valid_iin()
    shared = services.seeker_register_person(
        actor=coach,
        organisation=s.centre,
        person_data=core_services.PersonInput(last_name="Ортақ", first_name="Адам", iin=iin),
        consent_given_on=dt.date(2025, 1, 10),
        data=services.SeekerInput(education="higher", district_id=f.almaty_district().pk),
        registered_on=dt.date(2025, 2, 1),
    )
    again = services.seeker_register_person(
        actor=t_coach,
        organisation=s.turkistan_ngo,
        person_data=core_services.PersonInput(last_name="Ортақ", first_name="Адам", iin=iin),
        consent_given_on=dt.date(2025, 1, 10),
        data=services.SeekerInput(education="higher", region_id=Place.objects.get(kato=f.ALMATY).pk),
        registered_on=dt.date(2025, 3, 1),
    )
    # Registered today, not in 2025.
    other = f.seeker(coach, s.centre)
    case = f.case(s, shared)
    services.case_open(actor=t_coach, seeker=again, coach=t_coach, opened_on=dt.date(2025, 3, 5))
    f.case(s, other)
    placed = f.placement(s, case, start=dt.date(2025, 4, 1), quota=True)
    six = placed.follow_ups.get(months=6)
    services.follow_up_record(
        actor=coach, follow_up=six, project=s.project, recorded_on=six.due_on, outcome="employed"
    )
    services.staff_report_record(
        actor=s["employer.a"],
        employer=s.employer_a,
        as_of=dt.date(2025, 1, 15),
        headcount=175,
        hazardous_jobs=25,
    )
    services.staff_report_record(
        actor=s["employer.b"],
        employer=s.employer_b,
        as_of=dt.date(2025, 1, 15),
        headcount=300,
        employees_with_disabilities=3,
    )
    return shared, again, other


def test_the_summary_counts_each_person_once_across_organisations(s):
    _figures(s)
    almaty = Place.objects.get(kato=f.ALMATY)
    summary = selectors.employment_summary(almaty, 2025)
    assert summary.coached == 2  # the shared person (two cases, two organisations) and `other`
    assert summary.placed == 1
    assert summary.retained_6_months == 1
    # Employer A: 3 % of 150 = 4.5 → 4, filled 1 (the placement); B: 4 % of 300 = 12, filled 3.
    assert (summary.quota_required, summary.quota_filled) == (16, 4)
    assert summary.seekers == 1  # the shared person, registered twice in 2025
    assert selectors.employment_summary(almaty, 2024).coached == 0


def test_the_public_summary_rounds_and_hides_small_figures(s):
    _figures(s)
    client = Client()
    with override_settings(QOLDAU_SUPPRESSION_THRESHOLD=1):
        exact = client.get(URL, {"region": f.ALMATY, "year": 2025}).json()
    assert exact == {
        "region": f.ALMATY,
        "year": 2025,
        "seekers": 1,
        "coached": 2,
        "placed": 1,
        "retained_6_months": 1,
        "quota_required": 16,
        "quota_filled": 4,
        "suppressed_below": 1,
    }
    shown = client.get(URL, {"region": f.ALMATY, "year": 2025}).json()
    assert shown["suppressed_below"] == 5
    assert [shown[k] for k in ("seekers", "coached", "placed", "retained_6_months", "quota_filled")] == [
        None
    ] * 5
    assert shown["quota_required"] == 15  # 16 rounded to the nearest five


def test_the_summary_refuses_an_unknown_region_or_year_clearly(s):
    client = Client()
    client.cookies["qoldau_language"] = "en"
    response = client.get(URL, {"region": "999999999", "year": 2025})
    assert response.status_code == 404
    assert response.json()["message"] == "There is no region with KATO code 999999999."
    response = client.get(URL, {"region": f.ALMATY, "year": 1999})
    assert response.status_code == 422
    assert response.json()["field"] == "year"
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 422
