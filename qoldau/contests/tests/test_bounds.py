"""Contests' and grants' inputs within their bounds (core.bounds): paging, years, scores,
money, counts and texts beyond what the domain means or a column holds are refused with
the API's error shape, and nothing is stored."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from qoldau.contests.models import (
    Application,
    ApplicationDocument,
    BudgetLine,
    Commission,
    CommissionMember,
    ConflictOfInterest,
    Contest,
    Criterion,
    GrantAward,
    GrantCall,
    GranteeReport,
    ReportIndicatorValue,
    Score,
    Stage,
    Tranche,
)
from qoldau.contests.tests import factories as f
from qoldau.core import bounds
from qoldau.core.tests.bounds_checks import assert_bound_fits_column
from qoldau.core.tests.factories import ALMATY, organisation

pytestmark = pytest.mark.django_db

API = "/api/v1"
ERROR_SHAPE = {"code", "message", "field"}


def session(user):
    client = Client()
    client.force_login(user)
    return client


def post_json(client, url, body, method="post"):
    return getattr(client, method)(API + url, json.dumps(body), content_type="application/json")


def assert_refused(response, status, field):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert ERROR_SHAPE <= set(body)
    assert body["message"]
    assert body["field"] == field


@pytest.mark.parametrize(
    "query",
    [
        "limit=1837311468883175276544",
        "offset=1837311468883175276544",
        "limit=-1",
        "offset=" + "9" * 5000,  # beyond Python's own limit for reading a number
    ],
)
@pytest.mark.parametrize("path", ["/contests", "/grants"])
def test_public_lists_are_paged_within_bounds(path, query):
    response = Client().get(f"{API}{path}?{query}")
    assert response.status_code == 422, response.content[:300]
    assert ERROR_SHAPE <= set(response.json())


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"year": 99999}, 422, "year"),
        ({"year": 2**64}, 422, "year"),
        ({"places_awarded": 2**40}, 422, "places_awarded"),
        ({"title_kk": "Үздік\x00жобалар"}, 400, "title_kk"),
        ({"title_kk": "Үздік\x08жобалар"}, 422, "title_kk"),
        ({"title_ru": "\ud83d"}, 400, "title_ru"),
        ({"eligible_kinds": ["ngo"] * 101}, 422, "eligible_kinds"),
    ],
)
def test_a_contest_outside_its_bounds_is_refused_and_nothing_is_stored(overrides, status, field):
    payload = {"year": 2026, "title_kk": "Үздік жобалар", **overrides}
    response = post_json(session(f.ministry()), "/contests", payload)
    assert_refused(response, status, field)
    assert not Contest.objects.exists()


@pytest.fixture
def panel():
    minister = f.ministry()
    contest = f.contest(actor=minister)
    almaty = f.regional_panel(contest, kato=ALMATY, actor=minister)
    application = f.eligible(f.contest_application(contest, kato=ALMATY), almaty.secretary)
    return almaty, application


@pytest.mark.parametrize(
    ("value", "comment", "field"),
    [
        (1e308, "", "scores.0.value"),
        ("1e308", "", "scores.0.value"),
        (-1, "", "scores.0.value"),
        (5, "ә" * 4001, "scores.0.comment"),
        (5, "жақсы\x1b", "scores.0.comment"),
    ],
)
def test_a_score_outside_its_bounds_is_refused_and_nothing_is_recorded(panel, value, comment, field):
    almaty, application = panel
    criteria = list(almaty.commission.contest.criteria.order_by("pk"))
    sheet = {
        "scores": [
            {"criterion_id": c.pk, "value": value if i == 0 else 5, "comment": comment if i == 0 else ""}
            for i, c in enumerate(criteria)
        ]
    }
    url = f"/contests/commissions/{almaty.commission.pk}/applications/{application.pk}/scores"
    response = post_json(session(almaty.members[0]), url, sheet, method="put")
    assert_refused(response, 422, field)
    assert not Score.objects.exists()


def test_a_score_sheet_with_more_lines_than_criteria_can_be_is_refused(panel):
    almaty, application = panel
    sheet = {"scores": [{"criterion_id": 1, "value": 5}] * 31}
    url = f"/contests/commissions/{almaty.commission.pk}/applications/{application.pk}/scores"
    response = post_json(session(almaty.members[0]), url, sheet, method="put")
    assert_refused(response, 422, "scores")
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"people_reached_declared": 2**40}, 422, "people_reached_declared"),
        ({"applicant_name": "a" * 1_000_000}, 422, "applicant_name"),
        ({"results": "нәтиже\x00"}, 400, "results"),
        ({"organisation_id": 2**64}, 422, "organisation_id"),
    ],
)
def test_an_application_outside_its_bounds_is_refused_and_nothing_is_stored(overrides, status, field):
    contest = f.contest()
    applicant = f.plain_user("applicant")
    payload = {
        "applicant_kind": "individual",
        "region": ALMATY,
        "applicant_name": "Айгүл Сейітова",
        "title_kk": "Тәуелсіз өмір мектебі",
        **overrides,
    }
    response = post_json(session(applicant), f"/contests/{contest.pk}/applications", payload)
    assert_refused(response, status, field)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"budget": "1e20"}, "budget"),
        ({"budget": 1e308}, "budget"),
        ({"budget": "-5"}, "budget"),
        ({"opens_at": "0001-01-01T00:00:00"}, "opens_at"),
        ({"operator_id": 2**64}, "operator_id"),
    ],
)
def test_a_grant_call_outside_its_bounds_is_refused_and_nothing_is_stored(overrides, field):
    operator = organisation(name="«Оператор» қоры")
    now = timezone.now()
    payload = {
        "operator_id": operator.pk,
        "title_kk": "Гранттар",
        "budget": "1000000",
        "regions": [ALMATY],
        "opens_at": now.isoformat(),
        "deadline": (now + dt.timedelta(days=3)).isoformat(),
        **overrides,
    }
    response = post_json(session(f.ministry()), "/grants", payload)
    assert_refused(response, 422, field)
    assert not GrantCall.objects.exists()


def test_the_contest_form_refuses_what_the_api_refuses():
    minister = session(f.ministry())
    page = minister.post(
        "/contests/new/",
        {
            "year": "99999",
            "title_kk": "Үздік\x08жобалар",
            "eligible_kinds": ["ngo"],
            "places_awarded": "3",
            "advance_per_region": "1",
        },
    )
    assert page.status_code == 400  # the set-up pages answer an invalid form with 400
    content = page.content.decode()
    assert "error-summary" in content
    assert 'id="id_year"' in content
    assert not Contest.objects.exists()


def _column(model, name):
    return model._meta.get_field(name)


LANGUAGES = ("kk", "ru", "en")


@pytest.mark.parametrize(
    ("field", "annotated"),
    [
        (_column(Contest, "year"), bounds.Year),
        *((_column(Contest, f"title_{code}"), bounds.Title) for code in LANGUAGES),
        *((_column(Contest, f"description_{code}"), bounds.Description) for code in LANGUAGES),
        (_column(Contest, "places_awarded"), bounds.ContestPlaces),
        (_column(Contest, "advance_per_region"), bounds.AdvancingPlaces),
        (_column(Stage, "venue"), bounds.Label),
        (_column(Stage, "results_on"), bounds.RecordDate),
        *((_column(GrantCall, f"title_{code}"), bounds.Title) for code in LANGUAGES),
        (_column(GrantCall, "budget"), bounds.Money),
        *((_column(Criterion, f"name_{code}"), bounds.Name) for code in LANGUAGES),
        (_column(Criterion, "weight"), bounds.Weight),
        (_column(Criterion, "scale_min"), bounds.ScaleEnd),
        (_column(Criterion, "scale_max"), bounds.ScaleEnd),
        (_column(Commission, "scale_min"), bounds.ScaleEnd),
        (_column(CommissionMember, "affiliation"), bounds.Name),
        (_column(Application, "applicant_name"), bounds.Name),
        (_column(Application, "contact_email"), bounds.Email),
        *((_column(Application, f"title_{code}"), bounds.Title) for code in LANGUAGES),
        (_column(Application, "results"), bounds.Description),
        (_column(Application, "people_reached_declared"), bounds.Headcount),
        (_column(Application, "requested_amount"), bounds.PositiveMoney),
        (_column(Application, "duration_months"), bounds.DurationMonths),
        (_column(Application, "eligibility_reason"), bounds.Comment),
        (_column(ApplicationDocument, "title"), bounds.Label),
        (_column(BudgetLine, "item"), bounds.Name),
        (_column(BudgetLine, "amount"), bounds.PositiveMoney),
        (_column(ConflictOfInterest, "reason"), bounds.Comment),
        (_column(Score, "value"), bounds.Score),
        (_column(Score, "comment"), bounds.Comment),
        (_column(GrantAward, "amount"), bounds.Money),
        (_column(Tranche, "amount"), bounds.Money),
        (_column(Tranche, "due_on"), bounds.RecordDate),
        (_column(GranteeReport, "narrative"), bounds.Description),
        (_column(GranteeReport, "spent_amount"), bounds.Money),
        (_column(GranteeReport, "review_comment"), bounds.Comment),
        (_column(ReportIndicatorValue, "value"), bounds.IndicatorValue),
    ],
    ids=lambda v: f"{v.model.__name__}.{v.name}" if hasattr(v, "model") else "",
)
def test_each_contests_column_holds_what_its_bound_lets_in(field, annotated):
    assert_bound_fits_column(annotated, field)
