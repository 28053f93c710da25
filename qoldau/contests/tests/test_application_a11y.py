"""The applicant's and grantee's pages and the outbox in a real browser: no serious WCAG
2.1 AA violation (axe-core) at 1280 and 320 px, nothing wider than the window at 320 px,
in Kazakh, Russian and English. The machinery is `core/tests/browser.py`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qoldau.contests import services
from qoldau.contests.models import ApplicantKind, Application, GrantAward, GrantBandKind, GranteeReport
from qoldau.contests.tests import factories as f
from qoldau.core.tests.browser import (
    LANGUAGES,
    TIMEOUT_MS,
    assert_no_serious_violations,
    browser_test,
    live_db,
    session_cookie,
)
from qoldau.core.tests.factories import ALMATY, region
from qoldau.projects import services as project_services
from qoldau.projects.tests.factories import project

pytestmark = pytest.mark.usefixtures("axe_is_built", "reference_data")


@dataclass
class Data:
    grantee: User
    contest_draft: Application
    grant_draft: Application
    award: GrantAward
    report: GranteeReport


def data() -> Data:
    minister = f.ministry()
    call = f.grant_call(actor=minister)
    commission = services.commission_create(actor=minister, level="grant", call=call)
    board = f.panel(commission, minister)
    application = f.grant_application(call)
    f.eligible(application, board.secretary)
    f.score_all(board, application, [8, 6])
    services.commission_approve(actor=board.chair, commission=commission)
    application.refresh_from_db()
    award = services.grant_award(
        actor=minister, application=application, amount=application.requested_amount or Decimal(0)
    )
    grantee = application.applicant
    org = application.organisation
    assert org is not None
    today = timezone.localdate()
    services.tranche_plan(actor=minister, award=award, amount=award.amount / 2, due_on=today)
    report = services.report_schedule(
        actor=minister,
        award=award,
        kind=GranteeReport.Kind.FINANCIAL,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        due_on=today + dt.timedelta(days=5),
    )
    proj = project(grantee, org, title="Кәсіп үйрену")
    project_services.indicator_add(
        actor=grantee, project=proj, name_kk="Оқытылған жастар", name_en="Young people trained", unit="адам"
    )
    services.grant_project_link(actor=grantee, award=award, project_id=proj.pk)

    contest = f.contest(actor=minister)
    contest_draft = services.application_start(
        actor=grantee,
        contest=contest,
        data=services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(ALMATY).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk="Инклюзивті спорт",
            description_kk="Мүгедектігі бар балаларға спорт секциялары.",
        ),
    )
    services.document_add(
        actor=grantee,
        application=contest_draft,
        title="Жарғы",
        upload=SimpleUploadedFile("charter.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    second_call = f.grant_call(actor=minister)
    grant_draft = services.application_start(
        actor=grantee,
        call=second_call,
        data=services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(ALMATY).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk="Өзін-өзі жұмыспен қамту",
            requested_amount=Decimal(2_000_000),
            duration_months=6,
            band=GrantBandKind.SHORT,
        ),
    )
    services.budget_lines_set(
        actor=grantee,
        application=grant_draft,
        lines=[services.BudgetLineInput("Тренерлер", Decimal(1_500_000))],
    )
    return Data(grantee, contest_draft, grant_draft, award, report)


def _submit_empty_form(page: Any, d: Data) -> None:
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary", timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class Case:
    path: Callable[[Data], str]
    then: Callable[[Any, Data], None] | None = None


PAGES: dict[str, Case] = {
    "mine": Case(lambda d: "/contests/mine/"),
    "apply-with-errors": Case(lambda d: f"/contests/{d.contest_draft.contest_id}/apply/", _submit_empty_form),
    "apply-call": Case(lambda d: f"/contests/grants/{d.grant_draft.call_id}/apply/"),
    "application": Case(lambda d: f"/contests/applications/{d.contest_draft.pk}/"),
    "budget": Case(lambda d: f"/contests/applications/{d.grant_draft.pk}/budget/"),
    "award": Case(lambda d: f"/contests/awards/{d.award.pk}/"),
    "report": Case(lambda d: f"/contests/reports/{d.report.pk}/"),
    "outbox": Case(lambda d: "/outbox/"),
}


@browser_test
@live_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_applicant_page_has_no_serious_wcag_violations(
    context: Any,
    live_server: Any,
    name: str,
    language: str,
) -> None:
    case = PAGES[name]
    d = data()
    context.add_cookies(
        [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(d.grantee),
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    response = page.goto(case.path(d))
    assert response is not None
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert page.locator("form.signout").count() == 1, f"{name}: not signed in"
    if case.then is not None:
        case.then(page, d)
    assert page.evaluate("document.documentElement.lang") == language
    assert_no_serious_violations(page, name, language)
