"""The contests demo, loaded on top of the base demo's organisations and users only (the
whole base demo takes over a minute): the 2017 contest during its regional stage with 13
participants, and Qorgan-M's call with its 40 grants within the budget; a second load
changes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TypeVar

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum

from qoldau.console.demo import DemoBuilder
from qoldau.contests import demo
from qoldau.contests.models import (
    Application,
    Commission,
    GrantAward,
    GrantCall,
    GranteeReport,
    Score,
    Stage,
    Tranche,
)
from qoldau.contests.selectors import call_dashboard
from qoldau.core import demo_data as d

pytestmark = pytest.mark.django_db

T = TypeVar("T")


def _quiet(items: Iterable[T], label: str) -> Iterable[T]:
    return items


@pytest.fixture
def loaded() -> None:
    base = DemoBuilder(_quiet)
    base.create_organisations()
    base.create_users()
    assert demo.load_contests_demo() is True


def _counts() -> tuple[int, ...]:
    return (
        Application.objects.count(),
        Commission.objects.count(),
        Score.objects.count(),
        GrantAward.objects.count(),
        Tranche.objects.count(),
        GranteeReport.objects.count(),
    )


def test_demo_has_the_2017_contest_in_its_regional_stage_and_qorgans_40_grants(loaded: None) -> None:
    applications = Application.objects.filter(contest__year=2017)
    assert applications.exclude(status=Application.Status.DRAFT).count() == 13
    assert applications.filter(status=Application.Status.ELIGIBLE).exists()
    assert Score.objects.filter(commission__contest__year=2017).exists()
    assert not Commission.objects.filter(contest__year=2017, approved_at__isnull=False).exists()
    regional = Stage.objects.get(contest__year=2017, level=Stage.Level.REGIONAL)
    assert all(a.submitted_at is not None and a.submitted_at <= regional.deadline for a in applications)
    regions = {c.region.kato for c in Commission.objects.filter(contest__year=2017) if c.region is not None}
    assert regions >= {d.ALMATY, d.ASTANA, d.SHYMKENT, d.TURKISTAN, d.KARAGANDA}
    # A person signs in as the Almaty commission's chair, member or secretary to score.
    for username in ("contest.chair", "contest.member", "contest.secretary"):
        assert User.objects.get(username=username).check_password(d.DEMO_PASSWORD)
    call = GrantCall.objects.get(title_kk=demo.CALL_TITLE_KK)
    assert call.operator.name_kk == demo.QORGAN_NAME_KK
    awards = GrantAward.objects.filter(call=call)
    assert awards.count() == 40
    total = awards.aggregate(total=Sum("amount"))["total"]
    assert total <= call.budget
    # Short-term band at the 2024 MCI: 500 to 3,000 x 3,692 tenge.
    assert all(Decimal(1_846_000) <= a.amount <= Decimal(11_076_000) for a in awards)
    board = call_dashboard(call)
    assert 0 < board.paid_amount < board.awarded_amount
    assert board.people_reached >= 5
    statuses = set(GranteeReport.objects.filter(award__call=call).values_list("status", flat=True))
    assert statuses == {GranteeReport.Status.SUBMITTED, GranteeReport.Status.DUE}
    assert call_dashboard(call).awarded == d.GRANTS_AWARDED


def test_loading_the_contests_demo_again_changes_nothing(loaded: None) -> None:
    before = _counts()
    assert demo.load_contests_demo() is False
    assert _counts() == before
