"""The employer's staff report page: its staff report a year (headcount, hazardous jobs,
employees with disabilities) and see their quota year by year and their reports; bad
input is refused beside its field with nothing recorded; another employer's page is not
found. And the akimat officer's forms for exemptions, warnings and fines on an
employer's quota history, for the officers of the employer's region only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from qoldau.jobs import services
from qoldau.jobs.models import QuotaExemption, QuotaSanction, StaffReport
from qoldau.jobs.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> f.Scene:
    return f.scene(buildings=False)


def _client(user: Any, language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def _url(s: f.Scene) -> str:
    return f"/employment/employer/{s.employer_a.pk}/staff/"


REPORT = {"year": "2025", "headcount": "200", "hazardous_jobs": "10", "employees_with_disabilities": "5"}


def test_the_employers_staff_report_a_year_and_see_its_quota(s: f.Scene):
    client = _client(s["employer.a"])
    assert f'href="{_url(s)}"' in client.get(f"/employment/employer/{s.employer_a.pk}/").content.decode()
    response = client.post(_url(s), REPORT)
    assert response.status_code == 302
    report = StaffReport.objects.get()
    assert (report.employer, report.as_of, report.headcount, report.hazardous_jobs) == (
        s.employer_a,
        dt.date(2025, 12, 31),
        200,
        10,
    )
    page = client.get(_url(s))
    assert page.status_code == 200
    ((compliance, _exemption),) = page.context["rows"]
    # 200 staff, 10 in hazardous work: 3 % of 190 is 5.7, rounded down (the default).
    assert (compliance.year, compliance.headcount, compliance.employees_with_disabilities) == (2025, 200, 5)
    assert (compliance.required, compliance.filled, compliance.shortfall) == (5, 5, 0)
    assert [r.pk for r in page.context["reports"]] == [report.pk]


def test_the_current_year_is_reported_as_of_today_and_a_day_may_be_given(s: f.Scene):
    client = _client(s["employer.a"])
    today = timezone.localdate()
    assert client.post(_url(s), {**REPORT, "year": str(today.year)}).status_code == 302
    assert client.post(_url(s), {**REPORT, "year": "2024", "as_of": "2024-06-30"}).status_code == 302
    assert sorted(StaffReport.objects.values_list("as_of", flat=True)) == [dt.date(2024, 6, 30), today]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"headcount": "3", "employees_with_disabilities": "5"},
            "headcount",
            "The headcount (3) is below the employees with disabilities reported (5)",
        ),
        ({"hazardous_jobs": "300"}, "hazardous_jobs", "The jobs in hazardous work (300) are more than"),
        ({"headcount": "-1"}, "headcount", "Give a number from 0 to"),
        ({"year": str(timezone.localdate().year + 1)}, "year", "has not come yet"),
        ({"year": "1700"}, "year", "Give a number from 2000 to 2100."),
        ({"as_of": "2024-05-05"}, "as_of", "The date 2024-05-05 is not in 2025."),
        ({"headcount": "many"}, "headcount", "Enter a whole number."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_recorded(
    s: f.Scene, changes: dict[str, str], field: str, message: str
):
    response = _client(s["employer.a"]).post(_url(s), {**REPORT, **changes})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert message in errors[field][0]
    assert not StaffReport.objects.exists()


def test_a_refusal_is_in_the_readers_language(s: f.Scene):
    response = _client(s["employer.a"], "ru").post(_url(s), {**REPORT, "hazardous_jobs": "300"})
    assert response.status_code == 400
    assert (
        "Рабочих мест на опасных работах (300) больше" in response.context["form"].errors["hazardous_jobs"][0]
    )


def test_a_year_reported_twice_on_the_same_day_is_refused(s: f.Scene):
    client = _client(s["employer.a"])
    assert client.post(_url(s), REPORT).status_code == 302
    response = client.post(_url(s), {**REPORT, "headcount": "210"})
    assert response.status_code == 400
    assert "already reported" in response.context["form"].errors["as_of"][0]
    assert StaffReport.objects.get().headcount == 200


def test_other_employers_and_outsiders_get_not_found(s: f.Scene):
    services.staff_report_record(
        actor=s["employer.a"], employer=s.employer_a, as_of=dt.date(2025, 1, 15), headcount=200
    )
    for user in ("employer.b", "akimat.turkistan", "ministry", "turkistan.coach"):
        client = _client(s[user])
        assert client.get(_url(s)).status_code == 404, user
        assert client.post(_url(s), {**REPORT, "year": "2024"}).status_code == 404, user
    assert StaffReport.objects.count() == 1
    # The akimat officer of its region keys in reports made on paper (the policy's rule).
    assert _client(s["akimat.almaty"]).get(_url(s)).status_code == 200


# The akimat officer's forms on an employer's quota history ----------------------------------


@pytest.fixture
def short(s: f.Scene) -> f.Scene:
    """Employer B: 300 staff, 1 with a disability; short of its quota in 2025."""
    services.staff_report_record(
        actor=s["employer.b"],
        employer=s.employer_b,
        as_of=dt.date(2025, 1, 15),
        headcount=300,
        employees_with_disabilities=1,
    )
    return s


def _history(s: f.Scene) -> str:
    return f"/employment/quota/employers/{s.employer_b.pk}/"


def test_the_regions_officer_records_a_warning_then_a_fine(short: f.Scene):
    s = short
    client = _client(s["akimat.almaty"])
    page = client.get(_history(s))
    assert "sanction_form" in page.context
    assert "exemption_form" in page.context
    warning = {"year": "2025", "kind": "warning", "issued_on": "2025-06-01"}
    assert client.post(f"{_history(s)}sanctions/", warning).status_code == 302
    fine = {"year": "2025", "kind": "fine", "issued_on": "2025-09-01", "fine_mci": "7"}
    assert client.post(f"{_history(s)}sanctions/", fine).status_code == 302
    assert sorted(QuotaSanction.objects.values_list("kind", "fine_mci")) == [("fine", 7), ("warning", None)]
    ((compliance, _exemption),) = client.get(_history(s)).context["rows"]
    assert (compliance.warnings, compliance.fines, compliance.fines_mci) == (1, 1, 7)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "fine", "fine_mci": "7"}, "kind", "A fine follows a warning"),
        ({"kind": "fine", "fine_mci": "30"}, "fine_mci", "A fine is from 5 to 10 MCI."),
        ({"kind": "warning", "fine_mci": "5"}, "fine_mci", "A warning has no fine."),
        ({"kind": "warning", "year": "2023"}, "year", "has not reported its staff for 2023"),
    ],
)
def test_a_sanction_against_the_rules_is_refused_beside_its_field(
    short: f.Scene, data: dict[str, str], field: str, message: str
):
    s = short
    response = _client(s["akimat.almaty"]).post(
        f"{_history(s)}sanctions/", {"year": "2025", "issued_on": "2025-06-01", **data}
    )
    assert response.status_code == 400
    errors = response.context["sanction_form"].errors
    assert list(errors) == [field], errors
    assert message in errors[field][0]
    assert not QuotaSanction.objects.exists()


def test_the_regions_officer_exempts_an_employer_once_a_year(short: f.Scene):
    s = short
    client = _client(s["akimat.almaty"])
    data = {"year": "2025", "reason": "organisation_of_disabled", "note": "Мүгедектер қоғамы"}
    assert client.post(f"{_history(s)}exemptions/", data).status_code == 302
    again = client.post(f"{_history(s)}exemptions/", data)
    assert again.status_code == 400
    assert "already exempt" in again.context["exemption_form"].errors["year"][0]
    assert QuotaExemption.objects.count() == 1
    ((compliance, exemption),) = client.get(_history(s)).context["rows"]
    assert (compliance.shortfall, exemption) == (0, "An organisation of people with disabilities")


def test_only_the_regions_officers_enforce_the_quota(short: f.Scene):
    s = short
    warning = {"year": "2025", "kind": "warning", "issued_on": "2025-06-01"}
    ministry = _client(s["ministry"])
    page = ministry.get(_history(s))
    assert page.status_code == 200
    assert "sanction_form" not in page.context
    assert ministry.post(f"{_history(s)}sanctions/", warning).status_code == 403
    # Another region's officer sees no such employer at all.
    other = _client(s["akimat.turkistan"])
    assert other.post(f"{_history(s)}sanctions/", warning).status_code == 404
    assert other.post(f"{_history(s)}exemptions/", {"year": "2025", "reason": "other"}).status_code == 404
    # The employer's own staff see their quota, and enforce nothing.
    assert _client(s["employer.b"]).post(f"{_history(s)}sanctions/", warning).status_code == 403
    assert not QuotaSanction.objects.exists()
    assert not QuotaExemption.objects.exists()
