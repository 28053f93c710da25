"""The whole way through, on the real services: a contest from set-up to laureates, and a
grant call from application to a paid tranche and a report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from qoldau.contests import services
from qoldau.contests.models import Application, GranteeReport, RankedApplication
from qoldau.contests.selectors import call_dashboard, commission_result, contest_results
from qoldau.contests.tests import factories as f
from qoldau.core.models import Notification
from qoldau.core.tests.factories import ALMATY, ASTANA

pytestmark = pytest.mark.django_db


def test_contest_runs_from_applications_to_laureates() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    almaty = f.regional_panel(contest, kato=ALMATY, actor=minister)
    astana = f.regional_panel(contest, kato=ASTANA, actor=minister)
    a1 = f.contest_application(contest, kato=ALMATY)
    a2 = f.contest_application(contest, kato=ALMATY)
    b1 = f.contest_application(contest, kato=ASTANA)
    assert a1.number == f"K-{contest.year}-75-0001"
    assert a2.number == f"K-{contest.year}-75-0002"
    for application in (a1, a2):
        f.eligible(application, almaty.secretary)
    f.eligible(b1, astana.secretary)
    f.score_all(almaty, a1, [8, 7, 6])
    f.score_all(almaty, a2, [9, 9, 9])
    f.score_all(astana, b1, [5, 5, 5])
    services.commission_approve(actor=almaty.chair, commission=almaty.commission)
    services.commission_approve(actor=astana.chair, commission=astana.commission)
    a2.refresh_from_db()
    a1.refresh_from_db()
    assert a2.advanced
    assert not a1.advanced
    republican = services.commission_create(actor=minister, level="republican", contest=contest)
    rep = f.panel(republican, minister)
    b1.refresh_from_db()
    f.score_all(rep, a2, [10, 10, 10])
    f.score_all(rep, b1, [6, 6, 6])
    services.commission_approve(actor=rep.chair, commission=republican)
    republican.refresh_from_db()
    result = commission_result(None, republican)
    assert [(r.application.pk, r.place) for r in result.rows] == [(a2.pk, 1), (b1.pk, 2)]
    public = contest_results(contest)
    assert public.republican is not None
    assert len(public.regions) == 2
    assert RankedApplication.objects.filter(commission=almaty.commission).count() == 2
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"application.received", "application.eligible", "application.result"} <= kinds
    assert Notification.objects.filter(kind="application.result").count() == 5


def test_grant_call_awards_pays_and_reports() -> None:
    minister = f.ministry()
    call = f.grant_call(actor=minister)
    commission = services.commission_create(actor=minister, level="grant", call=call)
    board = f.panel(commission, minister)
    application = f.grant_application(call)
    f.eligible(application, board.secretary)
    f.score_all(board, application, [8, 6])
    services.commission_approve(actor=board.chair, commission=commission)
    application.refresh_from_db()
    today = timezone.localdate()
    award = services.grant_award(
        actor=minister, application=application, amount=application.requested_amount or Decimal(0)
    )
    tranche = services.tranche_plan(actor=minister, award=award, amount=award.amount / 2, due_on=today)
    services.tranche_pay(actor=minister, tranche=tranche, paid_on=today)
    report = services.report_schedule(
        actor=minister,
        award=award,
        kind=GranteeReport.Kind.FINANCIAL,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        due_on=today + dt.timedelta(days=3),
    )
    assert services.remind_report_deadlines() == 1
    assert services.remind_report_deadlines() == 0
    staff = application.applicant
    services.report_submit(actor=staff, report=report, narrative="Оқыту өтті.", spent_amount=Decimal(1000))
    board_figures = call_dashboard(call)
    assert board_figures.applied == 1
    assert board_figures.awarded == 1
    assert board_figures.paid_amount == award.amount / 2
    assert board_figures.left == call.budget - award.amount
    assert Application.objects.get(pk=application.pk).status == Application.Status.ELIGIBLE
