"""Notifications of contests and grants: written to the outbox in the recipient's language
(their UserPreference), on submission, eligibility, results, awards and report deadlines;
reminders go once per report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from qoldau.contests import services
from qoldau.contests.models import ApplicantKind, GranteeReport
from qoldau.contests.tests import factories as f
from qoldau.core import services as core_services
from qoldau.core.models import Notification
from qoldau.core.tests.factories import ALMATY, region

pytestmark = pytest.mark.django_db


def _in(language: str, message: str, **params: object) -> str:
    with translation.override(language):
        return gettext(message) % {key: str(value) for key, value in params.items()}


def test_the_catalogs_translate_the_subjects_checked_here():
    # Otherwise the language tests below could pass with untranslated (identical) subjects.
    for message in ("Grant report due on %(due)s", "Application %(number)s received"):
        assert len({_in(language, message, due="x", number="x") for language in ("kk", "ru", "en")}) == 3


def test_a_report_deadline_is_reminded_once_in_the_grantees_language():
    minister = f.ministry()
    award = f.awarded_grant(actor=minister)
    grantee = award.application.applicant
    core_services.user_set_language(user=grantee, language="ru")
    today = timezone.localdate()
    report = f.grantee_report(award, actor=minister, due_on=today + dt.timedelta(days=3))
    before = Notification.objects.count()

    assert services.remind_report_deadlines(today=today) == 1
    assert services.remind_report_deadlines(today=today) == 0
    assert services.remind_report_deadlines(today=today + dt.timedelta(days=1)) == 0

    (note,) = Notification.objects.filter(kind="grant.report_due")
    assert Notification.objects.count() == before + 1
    assert note.user == grantee
    assert note.language == "ru"
    assert note.subject == _in("ru", "Grant report due on %(due)s", due=report.due_on.isoformat())
    assert note.subject.startswith("Срок сдачи отчёта по гранту")
    assert award.application.number in note.body
    assert (note.object_type, note.object_id) == ("application", str(award.application_id))
    report.refresh_from_db()
    assert report.reminded_on == today


def test_only_reports_due_within_the_window_and_not_yet_submitted_are_reminded(settings):
    settings.QOLDAU_GRANT_REPORT_REMINDER_DAYS = 7
    minister = f.ministry()
    award = f.awarded_grant(actor=minister)
    grantee = award.application.applicant
    today = timezone.localdate()
    overdue = f.grantee_report(award, actor=minister, due_on=today - dt.timedelta(days=2))
    edge = f.grantee_report(award, actor=minister, due_on=today + dt.timedelta(days=7))
    later = f.grantee_report(award, actor=minister, due_on=today + dt.timedelta(days=8))
    submitted = f.grantee_report(
        award, actor=minister, due_on=today + dt.timedelta(days=1), kind=GranteeReport.Kind.FINANCIAL
    )
    services.report_submit(actor=grantee, report=submitted, narrative="Дайын.", spent_amount=Decimal(1000))

    assert services.remind_report_deadlines(today=today) == 2
    reminded = set(GranteeReport.objects.filter(reminded_on=today).values_list("pk", flat=True))
    assert reminded == {overdue.pk, edge.pk}
    assert not GranteeReport.objects.filter(
        pk__in=[later.pk, submitted.pk], reminded_on__isnull=False
    ).exists()
    # The grantee chose no language: Kazakh, the default.
    assert set(Notification.objects.filter(kind="grant.report_due").values_list("language", flat=True)) == {
        "kk"
    }
    # A week on, the later report enters the window and is reminded, once.
    assert services.remind_report_deadlines(today=today + dt.timedelta(days=1)) == 1
    assert Notification.objects.filter(kind="grant.report_due").count() == 3


def test_the_receipt_is_sent_on_submission_in_the_applicants_language():
    contest = f.contest()
    staff, org = f.applicant(ALMATY)
    core_services.user_set_language(user=staff, language="en")
    draft = services.application_start(
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
            contact_email="office@example.kz",
        ),
    )
    assert not Notification.objects.filter(user=staff).exists()
    # The applicant's language, not the language of whoever is active when the service runs.
    with translation.override("ru"):
        submitted = services.application_submit(actor=staff, application=draft)
    (note,) = Notification.objects.filter(user=staff)
    assert note.kind == "application.received"
    assert note.language == "en"
    assert note.email == "office@example.kz"
    assert note.subject == f"Application {submitted.number} received"
    assert "Keep this number: it is your receipt." in note.body


def test_eligibility_decisions_are_notified_with_the_reason():
    contest = f.contest()
    panel = f.regional_panel(contest)
    accepted = f.contest_application(contest)
    refused = f.contest_application(contest)
    core_services.user_set_language(user=refused.applicant, language="ru")
    f.eligible(accepted, panel.secretary)
    services.eligibility_decide(
        actor=panel.secretary, application=refused, eligible=False, reason="Жоба әлі басталмаған."
    )
    yes = Notification.objects.get(user=accepted.applicant, kind="application.eligible")
    no = Notification.objects.get(user=refused.applicant, kind="application.ineligible")
    assert yes.language == "kk"
    assert accepted.number in yes.subject
    assert no.language == "ru"
    assert no.subject == _in("ru", "Application %(number)s is not eligible", number=refused.number)
    assert "Жоба әлі басталмаған." in no.body


def test_every_ranked_applicant_is_told_the_result_on_approval():
    contest = f.contest()
    panel = f.regional_panel(contest)
    first = f.eligible(f.contest_application(contest), panel.secretary)
    second = f.eligible(f.contest_application(contest), panel.secretary)
    f.score_all(panel, first, [9, 9, 9])
    f.score_all(panel, second, [4, 4, 4])
    core_services.user_set_language(user=second.applicant, language="en")
    assert not Notification.objects.filter(kind="application.result").exists()
    services.commission_approve(actor=panel.chair, commission=panel.commission)
    notes = {n.user_id: n for n in Notification.objects.filter(kind="application.result")}
    assert set(notes) == {first.applicant_id, second.applicant_id}
    assert notes[second.applicant_id].language == "en"
    assert "is ranked 2 of 2 with 40.0% of the possible score" in notes[second.applicant_id].body


def test_the_grantee_is_told_of_the_award():
    award = f.awarded_grant()
    (note,) = Notification.objects.filter(kind="grant.awarded")
    assert note.user == award.application.applicant
    assert award.application.number in note.subject
