"""The applicant's and grantee's pages through real HTTP: a draft to a submitted
application with its receipt, late submission refused in Astana time, another NGO kept
out, edit conflicts, budgets, the grant's page and a grantee's report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from qoldau.contests import services
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    ApplicationDocument,
    Contest,
    GrantAward,
    GranteeReport,
    ReportIndicatorValue,
)
from qoldau.contests.tests import factories as f
from qoldau.contests.tests.factories import client_for
from qoldau.core.models import Notification, Organisation
from qoldau.core.tests.factories import ALMATY, region
from qoldau.projects import services as project_services
from qoldau.projects.tests.factories import project

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else saved this record after you opened it."


def apply_data(org: Organisation, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "applicant_kind": ApplicantKind.NGO,
        "organisation": org.pk,
        "region": region(ALMATY).pk,
        "title_kk": "Инклюзивті спорт",
        "description_kk": "Мүгедектігі бар балаларға спорт секциялары.",
        "results": "80 балаға сабақ өтті.",
        "people_reached_declared": "80",
        "contact_email": "ngo@example.kz",
    }
    data.update(changes)
    return data


def draft_of(staff: User, org: Organisation, contest: Contest, **kwargs: Any) -> Application:
    return services.application_start(
        actor=staff,
        contest=contest,
        data=services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(ALMATY).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk="Жоба",
            description_kk="Сипаттама.",
            results="Нәтиже.",
        ),
        **kwargs,
    )


# The applicant's journey ----------------------------------------------------------------


def test_applicant_drafts_adds_a_document_submits_and_sees_the_receipt() -> None:
    staff, org = f.applicant()
    contest = f.contest()
    client = client_for(staff)

    form = client.get(reverse("contests:apply_contest", args=[contest.pk]))
    assert form.status_code == 200
    assert org.name in form.content.decode()

    response = client.post(reverse("contests:apply_contest", args=[contest.pk]), apply_data(org))
    assert response.status_code == 302
    application = Application.objects.get(organisation=org)
    assert response["Location"] == reverse("contests:application", args=[application.pk])
    assert application.status == Application.Status.DRAFT
    assert application.applicant_name == org.name  # left empty: the organisation's name

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Nothing stops the submission." in page.content.decode()

    upload = SimpleUploadedFile("charter.pdf", b"%PDF-1.4 charter", content_type="application/pdf")
    added = client.post(
        reverse("contests:document_add", args=[application.pk]), {"title": "Жарғы", "file": upload}
    )
    assert added.status_code == 302
    assert ApplicationDocument.objects.filter(application=application, title="Жарғы").count() == 1

    confirm = client.get(reverse("contests:application_submit", args=[application.pk]))
    assert confirm.status_code == 200
    submitted = client.post(reverse("contests:application_submit", args=[application.pk]), follow=True)
    assert submitted.status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.number == f"K-{contest.year}-75-0001"
    html = submitted.content.decode()
    assert application.number in html
    local = timezone.localtime(application.submitted_at)
    assert local.strftime("%Y-%m-%d %H:%M") in html
    assert "Submitted (Astana time)" in html
    assert Notification.objects.filter(user=staff, kind="application.received").count() == 1


def test_applicant_cannot_submit_an_incomplete_draft_and_sees_what_is_missing() -> None:
    staff, org = f.applicant()
    contest = f.contest()
    client = client_for(staff)
    client.post(
        reverse("contests:apply_contest", args=[contest.pk]), apply_data(org, results="", description_kk="")
    )
    application = Application.objects.get(organisation=org)
    page = client.get(reverse("contests:application", args=[application.pk])).content.decode()
    assert "Declare the results the project has achieved." in page
    response = client.post(reverse("contests:application_submit", args=[application.pk]))
    assert response.status_code == 400
    assert "The application cannot be submitted yet" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.number is None


def test_late_submission_is_refused_in_astana_time_and_nothing_changes() -> None:
    staff, org = f.applicant()
    now = timezone.now()
    contest = f.contest(opens_at=now - dt.timedelta(days=10), deadline=now - dt.timedelta(hours=1))
    draft = draft_of(staff, org, contest, now=now - dt.timedelta(days=2))
    client = client_for(staff)

    response = client.post(reverse("contests:application_submit", args=[draft.pk]))

    assert response.status_code == 409
    html = response.content.decode()
    local = timezone.localtime(now - dt.timedelta(hours=1))
    assert "A late application cannot be accepted." in html
    assert f"at {local.strftime('%H:%M')} (Astana time)" in html
    assert date_format(local, "DATE_FORMAT") in html
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.number is None
    assert draft.submitted_at is None
    assert not Notification.objects.filter(kind="application.received").exists()


def test_applying_after_the_deadline_is_refused_clearly_and_creates_nothing() -> None:
    staff, org = f.applicant()
    now = timezone.now()
    contest = f.contest(opens_at=now - dt.timedelta(days=10), deadline=now - dt.timedelta(days=1))
    client = client_for(staff)

    page = client.get(reverse("contests:apply_contest", args=[contest.pk]))
    assert page.status_code == 200
    assert "A late application cannot be accepted." in page.content.decode()
    assert "Save the draft" not in page.content.decode()

    response = client.post(reverse("contests:apply_contest", args=[contest.pk]), apply_data(org))
    assert response.status_code == 409
    assert "(Astana time)" in response.content.decode()
    assert not Application.objects.filter(organisation=org).exists()


def test_applicant_kind_the_contest_does_not_admit_is_not_offered_nor_accepted() -> None:
    staff, org = f.applicant()
    contest = f.contest(kinds=[ApplicantKind.NGO])
    client = client_for(staff)
    page = client.get(reverse("contests:apply_contest", args=[contest.pk])).content.decode()
    assert 'value="individual"' not in page
    response = client.post(
        reverse("contests:apply_contest", args=[contest.pk]),
        apply_data(org, applicant_kind=ApplicantKind.INDIVIDUAL),
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_another_ngos_user_gets_not_found_on_the_application() -> None:
    staff, org = f.applicant()
    other, _other_org = f.applicant()
    contest = f.contest()
    draft = draft_of(staff, org, contest)
    client = client_for(other)
    assert client.get(reverse("contests:application", args=[draft.pk])).status_code == 404
    assert client.get(reverse("contests:application_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("contests:application_submit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("contests:application_withdraw", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_draft_edit_with_a_stale_version_is_refused_and_keeps_the_other_save() -> None:
    staff, org = f.applicant()
    contest = f.contest()
    draft = draft_of(staff, org, contest)
    client = client_for(staff)
    assert client.get(reverse("contests:application_edit", args=[draft.pk])).status_code == 200
    stale = draft.version
    # Someone else saves meanwhile.
    services.application_update(
        actor=staff,
        application=draft,
        expected_version=stale,
        data=services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(ALMATY).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk="Басқа атау",
        ),
    )
    response = client.post(
        reverse("contests:application_edit", args=[draft.pk]),
        apply_data(org, title_kk="Менің атауым", version=str(stale)),
    )
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    draft.refresh_from_db()
    assert draft.title_kk == "Басқа атау"


def test_draft_edit_saves_with_the_current_version() -> None:
    staff, org = f.applicant()
    contest = f.contest()
    draft = draft_of(staff, org, contest)
    client = client_for(staff)
    response = client.post(
        reverse("contests:application_edit", args=[draft.pk]),
        apply_data(org, title_kk="Жаңа атау", version=str(draft.version)),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_kk == "Жаңа атау"


def test_document_of_a_wrong_type_is_refused_beside_the_field() -> None:
    staff, org = f.applicant()
    draft = draft_of(staff, org, f.contest())
    client = client_for(staff)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("contests:document_add", args=[draft.pk]), {"title": "X", "file": upload})
    assert response.status_code == 400
    assert "A document must be a PDF, Word, Excel, OpenDocument or image file." in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_document_is_removed_from_a_draft_but_not_after_submission() -> None:
    staff, org = f.applicant()
    draft = draft_of(staff, org, f.contest())
    client = client_for(staff)
    for title in ("Жарғы", "Хат"):
        upload = SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4", content_type="application/pdf")
        client.post(reverse("contests:document_add", args=[draft.pk]), {"title": title, "file": upload})
    first, second = ApplicationDocument.objects.filter(application=draft).order_by("pk")
    removed = client.post(reverse("contests:document_remove", args=[draft.pk, first.pk]))
    assert removed.status_code == 302
    assert list(ApplicationDocument.objects.filter(application=draft)) == [second]
    services.application_submit(actor=staff, application=draft)
    refused = client.post(reverse("contests:document_remove", args=[draft.pk, second.pk]), follow=True)
    assert "The application has been submitted; it can no longer change." in refused.content.decode()
    assert ApplicationDocument.objects.filter(pk=second.pk).exists()


def test_a_submitted_application_cannot_be_edited() -> None:
    staff, org = f.applicant()
    draft = draft_of(staff, org, f.contest())
    submitted = services.application_submit(actor=staff, application=draft)
    response = client_for(staff).post(
        reverse("contests:application_edit", args=[draft.pk]),
        apply_data(org, title_kk="Кейінгі атау", version=str(submitted.version)),
    )
    assert response.status_code == 400
    assert "The application has been submitted; it can no longer change." in response.content.decode()
    draft.refresh_from_db()
    assert draft.title_kk == "Жоба"


def test_withdrawing_needs_a_confirmation_then_withdraws() -> None:
    staff, org = f.applicant()
    draft = draft_of(staff, org, f.contest())
    client = client_for(staff)
    assert client.get(reverse("contests:application_withdraw", args=[draft.pk])).status_code == 200
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert client.post(reverse("contests:application_withdraw", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.WITHDRAWN


def test_commission_member_sees_a_submitted_application_read_only() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    board = f.regional_panel(contest, actor=minister)
    application = f.contest_application(contest)
    page = client_for(board.members[0]).get(reverse("contests:application", args=[application.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert str(application.number) in html
    assert reverse("contests:application_submit", args=[application.pk]) not in html
    assert reverse("contests:document_add", args=[application.pk]) not in html


def test_my_applications_list_applications_and_grants_with_bounded_queries(
    django_assert_max_num_queries: Any,
) -> None:
    staff, org = f.applicant()
    contest = f.contest()
    for _ in range(3):
        f.contest_application(contest, staff=staff, org=org)
    draft_of(staff, org, contest)
    client = client_for(staff)
    client.get(reverse("contests:mine"))  # warm the session
    with django_assert_max_num_queries(14):
        response = client.get(reverse("contests:mine"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"K-{contest.year}-75-0003" in html
    assert "4 applications" in html


# Grant applications -------------------------------------------------------------------------


def test_grant_form_shows_the_band_limits_in_tenge() -> None:
    staff, _org = f.applicant()
    call = f.grant_call()
    page = client_for(staff).get(reverse("contests:apply_call", args=[call.pk]))
    assert page.status_code == 200
    from qoldau.contests.grants import band_limits

    limits = band_limits("short", timezone.localdate(call.opens_at))
    # Grouped as each language writes numbers (qoldau/formats): 2,162,500 in English,
    # 2 162 500 with narrow no-break spaces in Kazakh.
    assert f"{limits.min_amount:,.0f}" in page.content.decode()
    kazakh = client_for(staff, "kk").get(reverse("contests:apply_call", args=[call.pk]))
    assert f"{limits.min_amount:,.0f}".replace(",", "\u202f") in kazakh.content.decode()


def test_budget_that_does_not_add_up_is_saved_and_named_as_a_problem() -> None:
    staff, org = f.applicant()
    call = f.grant_call()
    client = client_for(staff)
    response = client.post(
        reverse("contests:apply_call", args=[call.pk]),
        apply_data(org, requested_amount="2000000", duration_months="6", band="short"),
    )
    assert response.status_code == 302, response.content.decode()
    application = Application.objects.get(organisation=org)
    form = client.get(reverse("contests:budget", args=[application.pk]))
    assert form.status_code == 200
    data = {
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-item": "Тренерлер",
        "lines-0-amount": "1500000",
        "lines-1-item": "Материалдар",
        "lines-1-amount": "400000",
    }
    assert client.post(reverse("contests:budget", args=[application.pk]), data).status_code == 302
    assert application.budget_lines.count() == 2
    page = client.get(reverse("contests:budget", args=[application.pk])).content.decode()
    assert "The budget lines add up to 1900000" in page
    bad = dict(data, **{"lines-2-amount": "100"})  # an amount without an item
    refused = client.post(reverse("contests:budget", args=[application.pk]), bad)
    assert refused.status_code == 400
    assert "Every budget line needs a description." in refused.content.decode()
    assert application.budget_lines.count() == 2


# Grantees ---------------------------------------------------------------------------------


def awarded() -> tuple[GrantAward, User, User]:
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
    return award, application.applicant, minister


def test_grantee_links_the_project_and_submits_a_financial_report_with_indicators() -> None:
    award, grantee, minister = awarded()
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
    org = award.application.organisation
    assert org is not None
    proj = project(grantee, org, title="Кәсіп үйрену")
    indicator = project_services.indicator_add(
        actor=grantee, project=proj, name_kk="Оқытылған жастар", name_en="Young people trained", unit="адам"
    )
    client = client_for(grantee)
    page = client.get(reverse("contests:award", args=[award.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Planned, not paid yet" in html
    assert reverse("contests:report", args=[report.pk]) in html

    linked = client.post(reverse("contests:award", args=[award.pk]), {"project": proj.pk})
    assert linked.status_code == 302
    award.refresh_from_db()
    assert award.project_id == proj.pk

    too_much = client.post(
        reverse("contests:report", args=[report.pk]),
        {"narrative": "Оқыту өтті.", "spent_amount": str(award.amount + 1)},
    )
    assert too_much.status_code == 400
    assert "The amount spent cannot exceed the grant" in too_much.content.decode()
    report.refresh_from_db()
    assert report.status == GranteeReport.Status.DUE

    form = client.get(reverse("contests:report", args=[report.pk]))
    assert "Young people trained, адам" in form.content.decode()
    done = client.post(
        reverse("contests:report", args=[report.pk]),
        {"narrative": "Оқыту өтті.", "spent_amount": "150000", f"indicator-{indicator.pk}": "12"},
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == GranteeReport.Status.SUBMITTED
    assert report.spent_amount == Decimal(150000)
    assert ReportIndicatorValue.objects.get(report=report).value == Decimal(12)

    services.report_review(actor=minister, report=report, accept=False, comment="Чектерді қосыңыз.")
    returned = client.get(reverse("contests:report", args=[report.pk])).content.decode()
    assert "Чектерді қосыңыз." in returned
    mine = client.get(reverse("contests:mine")).content.decode()
    assert reverse("contests:award", args=[award.pk]) in mine


def test_another_ngo_cannot_open_the_grant_or_its_report() -> None:
    award, _grantee, minister = awarded()
    today = timezone.localdate()
    report = services.report_schedule(
        actor=minister,
        award=award,
        kind=GranteeReport.Kind.PROGRESS,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        due_on=today + dt.timedelta(days=5),
    )
    other, _org = f.applicant()
    client = client_for(other)
    assert client.get(reverse("contests:award", args=[award.pk])).status_code == 404
    assert client.post(reverse("contests:report", args=[report.pk]), {"narrative": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.status == GranteeReport.Status.DUE


def test_documents_are_downloaded_by_the_applicant_and_the_commission_only() -> None:
    minister = f.ministry()
    contest = f.contest(actor=minister)
    board = f.regional_panel(contest, actor=minister)
    staff, org = f.applicant()
    draft = draft_of(staff, org, contest)
    upload = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget", content_type="application/pdf")
    document = services.document_add(actor=staff, application=draft, title="Смета", upload=upload)
    services.application_submit(actor=staff, application=draft)
    url = reverse("contests:document", args=[draft.pk, document.pk])
    for reader in (staff, board.members[0]):
        response = client_for(reader).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 budget"  # type: ignore[attr-defined]
    outsider, _org = f.applicant()
    assert client_for(outsider).get(url).status_code == 404
    assert (
        client_for(board.members[0]).get(reverse("contests:document", args=[draft.pk, 999999])).status_code
        == 404
    )
    sheet = (
        client_for(board.members[0]).get(reverse("contests:application", args=[draft.pk])).content.decode()
    )
    assert url in sheet
