"""Every rule of small grants, through the real services on the real database: grant sizes
in MCI, budgets that add up, awards within the call's budget and the request, tranches
within the award, and grantee reports. Each refusal says what is wrong and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from qoldau.contests import services
from qoldau.contests.grants import band_limits, check_fits_band, mci_on
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    GrantAward,
    GrantBandKind,
    GrantCall,
    GranteeReport,
    ReportIndicatorValue,
)
from qoldau.contests.tests import factories as f
from qoldau.contests.tests.checks import changes_nothing, english
from qoldau.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from qoldau.core.tests.factories import ALMATY, region
from qoldau.projects import services as project_services
from qoldau.projects.tests import factories as projects

pytestmark = pytest.mark.django_db


def amounts(message: str) -> list[Decimal]:
    """The numbers in a message, as values: SQLite and PostgreSQL sum decimals to
    different numbers of places."""
    return [Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", message)]


def _draft(
    call: GrantCall, *, amount: Decimal, months: int = 6, lines: list[Decimal] | None = None
) -> Application:
    staff, org = f.applicant(ALMATY)
    draft = services.application_start(
        actor=staff,
        call=call,
        data=services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(ALMATY).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk="Кәсіпке баулу",
            description_kk="Мүгедектігі бар жастарға кәсіп үйрету.",
            requested_amount=amount,
            duration_months=months,
            band=GrantBandKind.SHORT,
        ),
    )
    services.budget_lines_set(
        actor=staff,
        application=draft,
        lines=[
            services.BudgetLineInput(f"Бап {n}", value) for n, value in enumerate(lines or [amount], start=1)
        ],
    )
    return draft


def _approved_call(*, budget: Decimal = Decimal(10_000_000), applications: int = 1, refused: int = 0):
    """A call whose commission approved its ranking of `applications` (and found `refused`
    more ineligible)."""
    minister = f.ministry()
    call = f.grant_call(actor=minister, budget=budget)
    commission = services.commission_create(actor=minister, level="grant", call=call)
    board = f.panel(commission, minister, members=1)
    ranked = [f.eligible(f.grant_application(call), board.secretary) for _ in range(applications)]
    ineligible = [
        services.eligibility_decide(
            actor=board.secretary, application=f.grant_application(call), eligible=False, reason="Жарғы жоқ."
        )
        for _ in range(refused)
    ]
    for number, application in enumerate(ranked):
        f.score_all(board, application, [8 - number % 5, 6])
    services.commission_approve(actor=board.chair, commission=commission)
    return minister, call, ranked, ineligible


def _award(minister, application: Application) -> GrantAward:
    application.refresh_from_db()
    return services.grant_award(
        actor=minister, application=application, amount=application.requested_amount or Decimal(0)
    )


# Grant sizes ------------------------------------------------------------------------------


def test_the_short_band_admits_both_ends_of_amount_and_duration():
    day = dt.date(2026, 3, 1)
    assert mci_on(day) == Decimal(4325)
    low, high = Decimal(500 * 4325), Decimal(3000 * 4325)
    for amount, months in ((low, 3), (high, 12), (low, 12), (high, 3)):
        check_fits_band(kind=GrantBandKind.SHORT, amount=amount, months=months, day=day)


@pytest.mark.parametrize(
    ("amount", "months", "code", "field"),
    [
        (Decimal(500 * 4325) - Decimal("0.01"), 6, "band_amount", "requested_amount"),
        (Decimal(3000 * 4325) + Decimal("0.01"), 6, "band_amount", "requested_amount"),
        (Decimal(1000 * 4325), 2, "band_duration", "duration_months"),
        (Decimal(1000 * 4325), 13, "band_duration", "duration_months"),
    ],
    ids=["amount-below", "amount-above", "too-short", "too-long"],
)
def test_outside_the_short_band_is_refused(amount, months, code, field):
    with pytest.raises(ValidationFailed) as caught:
        check_fits_band(kind=GrantBandKind.SHORT, amount=amount, months=months, day=dt.date(2026, 3, 1))
    assert (caught.value.code, caught.value.field) == (code, field)
    message = english(caught.value)
    if code == "band_amount":
        assert message.startswith("A Short-term grant is from ")
        assert amounts(message) == [500 * 4325, 3000 * 4325, 500, 3000, 4325, amount]
    else:
        assert f"lasts from 3 to 12 months; this project lasts {months}." in message


def test_the_band_is_set_by_the_mci_in_force_on_the_day():
    amount = Decimal(500 * 3932)  # the least short grant under the 2025 MCI
    check_fits_band(kind=GrantBandKind.SHORT, amount=amount, months=6, day=dt.date(2025, 12, 31))
    with pytest.raises(ValidationFailed) as caught:
        check_fits_band(kind=GrantBandKind.SHORT, amount=amount, months=6, day=dt.date(2026, 1, 1))
    assert caught.value.code == "band_amount"
    assert band_limits(GrantBandKind.MEDIUM, dt.date(2024, 6, 1)).max_amount == Decimal(10_000 * 3692)
    # The long band has no upper end.
    assert band_limits(GrantBandKind.LONG, dt.date(2026, 6, 1)).max_amount is None
    check_fits_band(kind=GrantBandKind.LONG, amount=Decimal(10**12), months=36, day=dt.date(2026, 6, 1))


def test_a_day_before_any_mci_is_refused_not_guessed():
    with pytest.raises(ValidationFailed) as caught:
        mci_on(dt.date(2016, 12, 31))
    assert caught.value.code == "no_mci"
    assert english(caught.value).startswith("There is no monthly calculation index for 2016-12-31.")


def test_an_application_outside_its_band_is_not_submitted():
    call = f.grant_call()
    mci = mci_on(timezone.localdate(call.opens_at))
    draft = _draft(call, amount=mci * 3000 + 1)
    # The problems are listed in the language active when the service runs.
    with translation.override("en"), changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.application_submit(actor=draft.applicant, application=draft)
    assert caught.value.code == "incomplete"
    assert "A Short-term grant is from" in english(caught.value)
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (Application.Status.DRAFT, None)


def test_budget_lines_must_add_up_to_the_amount_requested():
    call = f.grant_call()
    amount = mci_on(timezone.localdate(call.opens_at)) * 600
    draft = _draft(call, amount=amount, lines=[amount - 1000, Decimal(500)])
    with translation.override("en"), changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.application_submit(actor=draft.applicant, application=draft)
    assert caught.value.code == "incomplete"
    message = english(caught.value)
    assert "The budget lines add up to " in message
    assert amounts(message) == [amount - 500, amount]
    services.budget_lines_set(
        actor=draft.applicant,
        application=draft,
        lines=[
            services.BudgetLineInput("Жалақы", amount - 1000),
            services.BudgetLineInput("Жалға алу", Decimal(1000)),
        ],
    )
    submitted = services.application_submit(actor=draft.applicant, application=draft)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.number == f"G-{call.pk}-0001"


def test_a_budget_line_of_zero_is_refused():
    call = f.grant_call()
    draft = _draft(call, amount=mci_on(timezone.localdate(call.opens_at)) * 600)
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.budget_lines_set(
            actor=draft.applicant, application=draft, lines=[services.BudgetLineInput("Бос", Decimal(0))]
        )
    assert caught.value.field == "lines.1.amount"


# Awards -----------------------------------------------------------------------------------


def test_no_grant_is_awarded_before_the_commission_approves():
    minister = f.ministry()
    call = f.grant_call(actor=minister)
    commission = services.commission_create(actor=minister, level="grant", call=call)
    board = f.panel(commission, minister, members=1)
    application = f.eligible(f.grant_application(call), board.secretary)
    f.score_all(board, application, [8, 6])
    with changes_nothing(), pytest.raises(Conflict) as caught:
        _award(minister, application)
    assert caught.value.code == "not_approved"
    assert english(caught.value) == "Grants are awarded after the commission approves its ranking."


def test_only_a_ranked_application_receives_a_grant():
    minister, _call, _ranked, (refused,) = _approved_call(refused=1)
    with changes_nothing(), pytest.raises(Conflict) as caught:
        _award(minister, refused)
    assert caught.value.code == "not_ranked"
    assert english(caught.value) == "The application is not in the commission's approved ranking."


def test_only_the_calls_operator_awards():
    _minister, _call, (application,), _ = _approved_call()
    with changes_nothing(), pytest.raises(PermissionDenied):
        services.grant_award(
            actor=application.applicant, application=application, amount=application.requested_amount
        )


def test_an_award_over_the_calls_budget_is_refused():
    amount_each = mci_on(timezone.localdate(timezone.now())) * 600
    minister, call, (first, second), _ = _approved_call(budget=amount_each * Decimal("1.9"), applications=2)
    _award(minister, first)
    with changes_nothing(), pytest.raises(Conflict) as caught:
        _award(minister, second)
    assert caught.value.code == "over_budget"
    left = call.budget - amount_each
    message = english(caught.value)
    assert message.startswith("The award would overspend the call: ")
    assert amounts(message) == [amount_each, call.budget, left, amount_each]
    assert GrantAward.objects.filter(call=call).count() == 1
    # What is left can still be awarded, if it fits the band and the request.
    second.refresh_from_db()
    services.grant_award(actor=minister, application=second, amount=left)
    assert sum(a.amount for a in GrantAward.objects.filter(call=call)) == call.budget


def test_an_award_over_the_request_is_refused():
    minister, _call, (application,), _ = _approved_call()
    requested = application.requested_amount
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.grant_award(actor=minister, application=application, amount=requested + Decimal("0.01"))
    assert caught.value.field == "amount"
    assert english(caught.value) == f"The grant cannot exceed the {requested} tenge requested."


def test_an_award_below_the_band_is_refused():
    minister, _call, (application,), _ = _approved_call()
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.grant_award(actor=minister, application=application, amount=Decimal(1000))
    assert (caught.value.code, caught.value.field) == ("band_amount", "amount")


def test_an_application_receives_one_grant():
    minister, _call, (application,), _ = _approved_call()
    _award(minister, application)
    with changes_nothing(), pytest.raises(Conflict) as caught:
        _award(minister, application)
    assert caught.value.code == "already_awarded"


# Tranches and reports ---------------------------------------------------------------------


def test_tranches_never_exceed_the_award():
    minister, _call, (application,), _ = _approved_call()
    award = _award(minister, application)
    today = timezone.localdate()
    services.tranche_plan(actor=minister, award=award, amount=award.amount * Decimal("0.6"), due_on=today)
    with changes_nothing(), pytest.raises(Conflict) as caught:
        services.tranche_plan(
            actor=minister, award=award, amount=award.amount * Decimal("0.4") + Decimal("0.01"), due_on=today
        )
    assert caught.value.code == "over_award"
    message = english(caught.value)
    assert message.startswith("Tranches would exceed the grant: ")
    assert amounts(message) == [award.amount * Decimal("0.6"), award.amount]
    last = services.tranche_plan(
        actor=minister, award=award, amount=award.amount * Decimal("0.4"), due_on=today
    )
    assert last.number == 2


def test_a_tranche_is_paid_once_and_never_in_the_future():
    minister, _call, (application,), _ = _approved_call()
    award = _award(minister, application)
    tranche = services.tranche_plan(
        actor=minister, award=award, amount=award.amount, due_on=timezone.localdate()
    )
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.tranche_pay(
            actor=minister, tranche=tranche, paid_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert caught.value.field == "paid_on"
    services.tranche_pay(actor=minister, tranche=tranche, paid_on=timezone.localdate())
    with changes_nothing(), pytest.raises(Conflict) as again:
        services.tranche_pay(actor=minister, tranche=tranche, paid_on=timezone.localdate())
    assert again.value.code == "already_paid"


def _report(minister, award: GrantAward, kind: str) -> GranteeReport:
    today = timezone.localdate()
    return services.report_schedule(
        actor=minister,
        award=award,
        kind=kind,
        period_start=today - dt.timedelta(days=90),
        period_end=today,
        due_on=today + dt.timedelta(days=10),
    )


def test_a_financial_report_cannot_spend_more_than_the_grant():
    minister, _call, (application,), _ = _approved_call()
    award = _award(minister, application)
    report = _report(minister, award, GranteeReport.Kind.FINANCIAL)
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.report_submit(
            actor=application.applicant, report=report, narrative="Оқыту өтті.", spent_amount=award.amount + 1
        )
    assert caught.value.field == "spent_amount"
    assert english(caught.value) == f"The amount spent cannot exceed the grant of {award.amount} tenge."
    report.refresh_from_db()
    assert report.status == GranteeReport.Status.DUE
    done = services.report_submit(
        actor=application.applicant, report=report, narrative="Оқыту өтті.", spent_amount=award.amount
    )
    assert done.status == GranteeReport.Status.SUBMITTED


def test_a_report_gives_only_the_indicators_of_the_grants_project():
    minister, _call, (application,), _ = _approved_call()
    award = _award(minister, application)
    grantee = application.applicant
    assert application.organisation is not None
    own_project = projects.project(grantee, application.organisation, title="Кәсіп үйрету")
    own = project_services.indicator_add(
        actor=grantee, project=own_project, name_kk="Оқытылғандар", unit="адам"
    )
    other_admin, other_org = f.applicant(ALMATY)
    other_project = projects.project(other_admin, other_org, title="Басқа жоба")
    foreign = project_services.indicator_add(actor=other_admin, project=other_project, name_kk="Бөтен")
    report = _report(minister, award, GranteeReport.Kind.PROGRESS)

    with changes_nothing(), pytest.raises(ValidationFailed) as unlinked:
        services.report_submit(
            actor=grantee, report=report, narrative="Жүріп жатыр.", indicator_values={own.pk: Decimal(5)}
        )
    assert english(unlinked.value) == "Link the grant's project before reporting its indicators."

    services.grant_project_link(actor=grantee, award=award, project_id=own_project.pk)
    award.refresh_from_db()
    report.refresh_from_db()
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.report_submit(
            actor=grantee,
            report=report,
            narrative="Жүріп жатыр.",
            indicator_values={own.pk: Decimal(5), foreign.pk: Decimal(7)},
        )
    assert caught.value.field == "indicators"
    assert english(caught.value) == "Report only the indicators of the grant's project."

    services.report_submit(
        actor=grantee, report=report, narrative="Жүріп жатыр.", indicator_values={own.pk: Decimal(5)}
    )
    assert list(ReportIndicatorValue.objects.values_list("indicator_id", "value")) == [(own.pk, Decimal(5))]


def test_the_grantee_links_only_its_own_project():
    minister, _call, (application,), _ = _approved_call()
    award = _award(minister, application)
    other_admin, other_org = f.applicant(ALMATY)
    other_project = projects.project(other_admin, other_org, title="Басқа жоба")
    with pytest.raises(ApplicationError):
        services.grant_project_link(actor=application.applicant, award=award, project_id=other_project.pk)
    award.refresh_from_db()
    assert award.project_id is None


def test_the_calls_budget_never_drops_below_what_is_awarded():
    minister, call, (application,), _ = _approved_call()
    award = _award(minister, application)
    call.refresh_from_db()
    data = services.GrantCallInput(
        title_kk=call.title_kk,
        budget=award.amount - 1,
        opens_at=call.opens_at,
        deadline=call.deadline,
        bands=call.bands,
        eligible_kinds=call.eligible_kinds,
        region_ids=list(call.eligible_regions.values_list("pk", flat=True)),
    )
    with changes_nothing(), pytest.raises(Conflict) as caught:
        services.grant_call_update(actor=minister, call=call, expected_version=call.version, data=data)
    assert caught.value.code == "budget_below_awarded"
