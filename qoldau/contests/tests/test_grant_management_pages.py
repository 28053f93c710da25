"""The operator's grant pages through real HTTP: the call's dashboard and approved ranking,
awarding within the budget, tranches within the grant, scheduling and reviewing grantee
reports. Refusals show the service's message, with the figures, and change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qoldau.contests import services
from qoldau.contests.models import GrantAward, GranteeReport, Tranche
from qoldau.contests.tests import factories as f
from qoldau.contests.tests.factories import client_for, granted, ranked_call

pytestmark = pytest.mark.django_db


def test_call_manage_shows_figures_ranking_and_awards_a_grant(django_assert_max_num_queries: Any) -> None:
    r = ranked_call()
    client = client_for(r.minister)
    url = reverse("contests:call_manage", args=[r.call.pk])
    with django_assert_max_num_queries(40):
        response = client.get(url)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.applied, figures.eligible, figures.awarded) == (2, 2, 0)
    text = response.content.decode()
    # The award form is prefilled with the amount requested.
    assert f'value="{r.first.requested_amount}"' in text
    form = {"application": str(r.first.pk), "amount": str(r.first.requested_amount)}
    # The first step asks, saying what awarding records; nothing is awarded yet.
    asked = client.post(url, form)
    assert asked.status_code == 200
    assert "What awarding records" in asked.content.decode()
    assert "This cannot be undone." in asked.content.decode()
    assert 'name="confirmed" value="award"' in asked.content.decode()
    assert not GrantAward.objects.exists()
    assert client.post(url, {**form, "confirmed": "yes"}).status_code == 200
    assert not GrantAward.objects.exists()
    response = client.post(url, {**form, "confirmed": "award"})
    assert response.status_code == 302
    award = GrantAward.objects.get()
    assert (award.application, award.amount) == (r.first, r.first.requested_amount)
    page = client.get(url)
    assert page.context["figures"].awarded == 1
    assert reverse("contests:award_manage", args=[award.pk]) in page.content.decode()


def test_an_award_over_the_remaining_budget_is_refused_with_the_figures_and_no_award_row() -> None:
    r = ranked_call(budget=Decimal("3000000"))
    amount = r.first.requested_amount or Decimal(0)
    services.grant_award(actor=r.minister, application=r.first, amount=amount)
    client = client_for(r.minister)
    response = client.post(
        reverse("contests:call_manage", args=[r.call.pk]),
        {"application": str(r.second.pk), "amount": str(r.second.requested_amount), "confirmed": "award"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    left = Decimal("3000000") - amount
    assert "The award would overspend the call" in text
    assert f"{left} tenge is left" in text
    assert not GrantAward.objects.filter(application=r.second).exists()
    assert GrantAward.objects.count() == 1


def test_operators_pages_are_closed_to_the_grantee_and_to_other_organisations() -> None:
    g = granted()
    grantee = g.award.application.applicant
    client = client_for(grantee)
    assert client.get(reverse("contests:call_manage", args=[g.award.call_id])).status_code == 404
    assert client.get(reverse("contests:award_manage", args=[g.award.pk])).status_code == 403
    _admin, _org = f.applicant()
    stranger = client_for(_admin)
    assert stranger.get(reverse("contests:award_manage", args=[g.award.pk])).status_code == 404
    assert Client().get(reverse("contests:award_manage", args=[g.award.pk])).status_code == 302


def test_a_tranche_over_the_award_is_refused_and_tranches_are_planned_and_paid() -> None:
    g = granted()
    client = client_for(g.minister)
    url = reverse("contests:award_manage", args=[g.award.pk])
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(url, {"action": "tranche", "amount": str(g.award.amount + 1), "due_on": due})
    assert response.status_code == 400
    assert "Tranches would exceed the grant" in response.content.decode()
    assert not Tranche.objects.exists()

    response = client.post(url, {"action": "tranche", "amount": str(g.award.amount / 2), "due_on": due})
    assert response.status_code == 302
    tranche = Tranche.objects.get()
    assert (tranche.number, tranche.amount) == (1, g.award.amount / 2)

    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"action": "pay", "tranche": str(tranche.pk), "paid_on": future})
    assert response.status_code == 400
    assert "A payment cannot be dated in the future." in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.paid_on is None
    today = timezone.localdate()
    response = client.post(url, {"action": "pay", "tranche": str(tranche.pk), "paid_on": today.isoformat()})
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.paid_on == today


def test_report_return_requires_a_comment_and_the_reported_indicators_are_shown() -> None:
    g = granted()
    client = client_for(g.minister)
    url = reverse("contests:award_manage", args=[g.award.pk])
    page = client.get(url).content.decode()
    assert "Young people trained" in page
    assert "Жиырма жас тігін ісін үйренді." in page

    response = client.post(
        url, {"action": "review", "report": str(g.report.pk), "decision": "return", "comment": " "}
    )
    assert response.status_code == 400
    assert "Say what must change in the report." in response.content.decode()
    g.report.refresh_from_db()
    assert g.report.status == GranteeReport.Status.SUBMITTED

    response = client.post(
        url,
        {
            "action": "review",
            "report": str(g.report.pk),
            "decision": "return",
            "comment": "Қаржы құжаттарын қосыңыз.",
        },
    )
    assert response.status_code == 302
    g.report.refresh_from_db()
    assert (g.report.status, g.report.review_comment) == (
        GranteeReport.Status.RETURNED,
        "Қаржы құжаттарын қосыңыз.",
    )
    # A returned report is no longer reviewed here.
    response = client.post(url, {"action": "review", "report": str(g.report.pk), "decision": "accept"})
    assert response.status_code == 404


def test_a_report_is_scheduled_and_a_bad_period_is_refused() -> None:
    g = granted()
    client = client_for(g.minister)
    url = reverse("contests:award_manage", args=[g.award.pk])
    today = timezone.localdate()
    data = {
        "action": "report",
        "kind": "financial",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=30)).isoformat(),
        "due_on": (today + dt.timedelta(days=10)).isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "A report falls due after its period ends." in response.content.decode()
    assert GranteeReport.objects.count() == 1
    response = client.post(url, data | {"due_on": (today + dt.timedelta(days=40)).isoformat()})
    assert response.status_code == 302
    assert GranteeReport.objects.filter(kind="financial").count() == 1
