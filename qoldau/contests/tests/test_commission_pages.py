"""A commission's pages through real HTTP: who sees which applications, the score sheet
(scale, conflicts, approval), the secretary's eligibility checks, the ranking with the
chair's approval, and the log of who scored what. Every refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qoldau.contests import services
from qoldau.contests.models import Application, ConflictOfInterest, Score
from qoldau.contests.tests import factories as f
from qoldau.contests.tests.commission_scene import scene, score_url, sheet, text
from qoldau.contests.tests.factories import client_for
from qoldau.core.tests.factories import ALMATY
from qoldau.core.tests.factories import user as make_user

pytestmark = pytest.mark.django_db


# Who sees what ------------------------------------------------------------------------------


def test_the_public_is_sent_to_sign_in_from_every_commission_page():
    s = scene()
    client = Client()
    c = s.commission.pk
    for url in (
        reverse("contests:my_commissions"),
        reverse("contests:commission", args=[c]),
        score_url(s, s.first),
        reverse("contests:ranking", args=[c]),
        reverse("contests:eligibility", args=[c]),
        reverse("contests:score_log", args=[c]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/signin/" in response["Location"]


def test_someone_not_on_the_commission_gets_not_found_everywhere():
    s = scene()
    outsider = client_for(f.plain_user("outsider"))
    c = s.commission.pk
    for url in (
        reverse("contests:commission", args=[c]),
        score_url(s, s.first),
        reverse("contests:ranking", args=[c]),
        reverse("contests:eligibility", args=[c]),
        reverse("contests:score_log", args=[c]),
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(reverse("contests:approve", args=[c])).status_code == 404
    assert outsider.post(score_url(s, s.first), sheet(s, ["5", "5", "5"])).status_code == 404
    assert not Score.objects.exists()
    assert "You do not sit on any commission." in text(outsider.get(reverse("contests:my_commissions")))


def test_member_sees_only_their_commissions_applications():
    s = scene()
    member = client_for(s.almaty.members[0])
    response = member.get(reverse("contests:commission", args=[s.commission.pk]))
    assert response.status_code == 200
    listed = {row.application_id for row in response.context["rows"]}
    assert listed == {s.first.pk, s.second.pk}
    assert s.astana_application.number not in text(response)
    # Another commission's application, through this commission or through the other one.
    assert member.get(score_url(s, s.astana_application)).status_code == 404
    assert member.get(score_url(s, s.astana_application, s.astana.commission)).status_code == 404
    assert member.post(score_url(s, s.astana_application), sheet(s, ["5", "5", "5"])).status_code == 404
    assert member.get(reverse("contests:commission", args=[s.astana.commission.pk])).status_code == 404
    assert not Score.objects.exists()
    # A member is shown neither the ranking link nor the eligibility link; the chair and
    # the secretary see theirs.
    assert reverse("contests:ranking", args=[s.commission.pk]) not in text(response)
    chair = client_for(s.almaty.chair).get(reverse("contests:commission", args=[s.commission.pk]))
    assert reverse("contests:ranking", args=[s.commission.pk]) in text(chair)
    secretary = client_for(s.almaty.secretary).get(reverse("contests:commission", args=[s.commission.pk]))
    assert reverse("contests:eligibility", args=[s.commission.pk]) in text(secretary)


def test_my_commissions_lists_role_and_progress():
    s = scene()
    member = s.almaty.members[0]
    services.scores_record(
        actor=member,
        commission=s.commission,
        application=s.first,
        scores=[services.ScoreInput(c.pk, Decimal(5)) for c in s.criteria],
    )
    response = client_for(member).get(reverse("contests:my_commissions"))
    assert response.status_code == 200
    page = text(response)
    assert "1 of 2 scored" in page
    assert "Member" in page
    assert "Not approved yet" in page
    assert reverse("contests:commission", args=[s.commission.pk]) in page


def test_worklist_reads_a_fixed_number_of_queries_whatever_the_number_of_applications(
    django_assert_max_num_queries: Any,
):
    s = scene()
    staff, org = f.applicant(ALMATY)
    member = s.almaty.members[0]
    client = client_for(member)
    url = reverse("contests:commission", args=[s.commission.pk])

    def add(count: int) -> None:
        for _ in range(count):
            f.eligible(f.contest_application(s.contest, staff=staff, org=org), s.almaty.secretary)

    add(28)
    client.get(url)  # the session, read once
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(url)
    assert len(response.context["rows"]) == 30
    add(30)
    with CaptureQueriesContext(connection) as sixty:
        response = client.get(url)
    assert len(response.context["rows"]) == 60
    assert len(sixty) == len(thirty)
    with django_assert_max_num_queries(12):
        client.get(url)


def test_still_to_score_filter_leaves_out_scored_applications():
    s = scene()
    member = s.almaty.members[0]
    services.scores_record(
        actor=member,
        commission=s.commission,
        application=s.first,
        scores=[services.ScoreInput(c.pk, Decimal(5)) for c in s.criteria],
    )
    response = client_for(member).get(reverse("contests:commission", args=[s.commission.pk]), {"todo": "1"})
    assert [row.application_id for row in response.context["rows"]] == [s.second.pk]


# The score sheet ------------------------------------------------------------------------------


def test_score_sheet_shows_the_application_and_each_criterions_scale():
    s = scene()
    response = client_for(s.almaty.members[0]).get(score_url(s, s.first))
    assert response.status_code == 200
    page = text(response)
    assert "Инклюзивті шеберхана" in page
    assert "120 адамға қызмет көрсетілді." in page
    for criterion in s.criteria:
        assert f"{criterion.name}: score from 0 to 10" in page
    assert page.count('inputmode="decimal"') == len(s.criteria)


def test_member_scores_every_criterion_and_goes_on_to_the_next_unscored():
    s = scene()
    member = s.almaty.members[0]
    client = client_for(member)
    response = client.post(score_url(s, s.first), sheet(s, ["8", "7,5", "6"], ["Жақсы", "", "Орташа"]))
    assert response.status_code == 302
    assert response["Location"] == score_url(s, s.second)
    stored = {
        sc.criterion_id: (sc.value, sc.comment)
        for sc in Score.objects.filter(member=member, application=s.first)
    }
    assert stored == {
        s.criteria[0].pk: (Decimal("8"), "Жақсы"),
        s.criteria[1].pk: (Decimal("7.5"), ""),
        s.criteria[2].pk: (Decimal("6"), "Орташа"),
    }
    # The last one scored: back to the list.
    response = client.post(score_url(s, s.second), sheet(s, ["5", "5", "5"]))
    assert response["Location"] == reverse("contests:commission", args=[s.commission.pk])


def test_a_score_outside_the_scale_is_refused_beside_its_field_and_nothing_is_stored():
    s = scene()
    client = client_for(s.almaty.members[0])
    response = client.post(score_url(s, s.first), sheet(s, ["8", "11", "6"]))
    assert response.status_code == 400
    page = text(response)
    bad = s.criteria[1]
    message = f"The score of &quot;{bad.name}&quot; must be from 0 to 10; 11 is outside the scale."
    assert message in page
    # The message is tied to the field for screen readers.
    assert f'id="id_criterion_{bad.pk}-error"' in page
    assert f'aria-describedby="id_criterion_{bad.pk}_helptext id_criterion_{bad.pk}-error"' in page
    assert not Score.objects.exists()
    # Not a number at all: refused by the form, nothing stored either.
    response = client.post(score_url(s, s.first), sheet(s, ["8", "seven", "6"]))
    assert response.status_code == 400
    assert "Enter the score as a number" in text(response)
    assert not Score.objects.exists()


def test_a_member_connected_to_the_applicant_cannot_score_it():
    s = scene()
    staff, org = f.applicant(ALMATY)
    own = f.eligible(f.contest_application(s.contest, staff=staff, org=org), s.almaty.secretary)
    colleague = make_user("colleague.of.applicant", "ngo_staff", org=org)
    services.commission_member_add(actor=s.minister, commission=s.commission, user=colleague, role="member")
    client = client_for(colleague)
    worklist = text(client.get(reverse("contests:commission", args=[s.commission.pk])))
    assert "Conflict of interest — not scored by you" in worklist
    page = client.get(score_url(s, own))
    assert page.status_code == 200
    assert "you are connected to the applicant" in text(page)
    assert 'name="criterion_' not in text(page)
    response = client.post(score_url(s, own), sheet(s, ["9", "9", "9"]))
    assert response.status_code == 403
    assert "You are connected to the applicant" in text(response)
    assert not Score.objects.filter(application=own).exists()


def test_a_declared_conflict_withdraws_the_member_from_scoring():
    s = scene()
    member = s.almaty.members[0]
    client = client_for(member)
    conflict_url = reverse(
        "contests:conflict", kwargs={"commission_id": s.commission.pk, "application_id": s.first.pk}
    )
    # The reason is required.
    response = client.post(conflict_url, {"reason": "  "})
    assert response.status_code == 400
    assert "Say how you are connected to the application." in text(response)
    assert not ConflictOfInterest.objects.exists()

    response = client.post(conflict_url, {"reason": "Жобаның жетекшісі менің ағам."})
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(member=member, application=s.first).count() == 1
    page = text(client.get(score_url(s, s.first)))
    assert "you declared a conflict of interest with this application (Жобаның жетекшісі менің ағам.)" in page
    response = client.post(score_url(s, s.first), sheet(s, ["9", "9", "9"]))
    assert response.status_code == 403
    assert "You declared a conflict of interest with this application" in text(response)
    assert not Score.objects.filter(application=s.first).exists()


# Ranking and approval -------------------------------------------------------------------------


def test_the_chair_approves_only_when_every_sheet_is_complete():
    s = scene()
    chair = client_for(s.almaty.chair)
    approve = reverse("contests:approve", args=[s.commission.pk])
    f.score_all(s.almaty, s.first, [8, 7, 6])
    # The refusal names whose sheets are missing: every scorer owes the second application.
    response = chair.post(approve, {"confirmed": "frozen"})
    assert response.status_code == 409
    refusal = text(response)
    assert "score sheets are not complete yet" in refusal
    for scorer in s.almaty.scorers:
        assert f"{scorer.username} (1)" in refusal
    s.commission.refresh_from_db()
    assert s.commission.approved_at is None
    # The approval page says the same before anything is sent, and offers no button.
    page = chair.get(approve)
    assert page.status_code == 200
    assert "The result cannot be approved yet" in text(page)
    assert f"{s.almaty.members[0].username}: 1 sheet" in text(page)
    assert 'name="confirmed"' not in page.content.decode()
    # A member may not approve, nor see the approval page.
    f.score_all(s.almaty, s.second, [9, 9, 9])
    assert client_for(s.almaty.members[0]).post(approve, {"confirmed": "frozen"}).status_code == 403
    assert client_for(s.almaty.members[0]).get(approve).status_code == 403
    s.commission.refresh_from_db()
    assert s.commission.approved_at is None

    ranking = chair.get(reverse("contests:ranking", args=[s.commission.pk]))
    assert "Approve the result" in text(ranking)
    assert f'href="{approve}"' in ranking.content.decode()  # a step, not the approval itself
    # The confirmation page says what is frozen; a POST without its confirmation only shows it again.
    confirm = text(chair.get(approve))
    assert "What approving freezes" in confirm
    assert "The ranks and scores of 2 applications" in confirm
    assert "The score sheets of 3 scoring members" in confirm
    assert "This cannot be undone." in confirm
    assert s.first.number in confirm
    assert s.second.number in confirm
    unconfirmed = chair.post(approve)
    assert unconfirmed.status_code == 200
    assert "What approving freezes" in text(unconfirmed)
    s.commission.refresh_from_db()
    assert s.commission.approved_at is None

    response = chair.post(approve, {"confirmed": "frozen"})
    assert response.status_code == 302
    s.commission.refresh_from_db()
    assert s.commission.approved_by == s.almaty.chair
    page = text(chair.get(reverse("contests:ranking", args=[s.commission.pk])))
    assert f"by {s.almaty.chair.username}" in page
    assert "Approve the result" not in page
    assert page.index(s.second.number or "") < page.index(s.first.number or "")
    # Once approved, the approval page leads back to the frozen result.
    assert chair.get(approve).status_code == 302


def test_ranking_names_outlier_members_in_text():
    s = scene(members=3)
    criteria = s.criteria
    for scorer, value in zip(s.almaty.scorers, [8, 8, 8, 0], strict=True):
        services.scores_record(
            actor=scorer,
            commission=s.commission,
            application=s.first,
            scores=[services.ScoreInput(c.pk, Decimal(value)) for c in criteria],
        )
    page = text(client_for(s.almaty.chair).get(reverse("contests:ranking", args=[s.commission.pk])))
    assert f"Far from the others: {s.almaty.members[2].username}" in page
    assert "1 score sheet is not complete yet." not in page
    assert "4 score sheets are not complete yet." in page  # the second application, by four
    assert s.second.number in page  # listed among the unscored


def test_after_approval_scores_are_refused_and_stay_as_they_were():
    s = scene()
    f.score_all(s.almaty, s.first, [8, 7, 6])
    f.score_all(s.almaty, s.second, [9, 9, 9])
    services.commission_approve(actor=s.almaty.chair, commission=s.commission)
    member = s.almaty.members[0]
    client = client_for(member)
    before = sorted(Score.objects.values_list("member_id", "criterion_id", "value"))
    response = client.post(score_url(s, s.first), sheet(s, ["1", "1", "1"]))
    assert response.status_code == 409
    assert "can no longer change" in text(response)
    assert sorted(Score.objects.values_list("member_id", "criterion_id", "value")) == before
    page = text(client.get(score_url(s, s.first)))
    assert "The scores are frozen and this sheet is read only." in page
    assert 'name="criterion_' not in page


# Eligibility ------------------------------------------------------------------------------------


def test_the_secretary_records_ineligibility_only_with_a_reason():
    s = scene()
    late = f.contest_application(s.contest, kato=ALMATY)
    secretary = client_for(s.almaty.secretary)
    url = reverse("contests:eligibility", args=[s.commission.pk])
    page = text(secretary.get(url))
    assert late.number in page
    decide = reverse(
        "contests:eligibility_decide", kwargs={"commission_id": s.commission.pk, "application_id": late.pk}
    )
    response = secretary.post(decide, {"decision": "ineligible", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason the application is not eligible." in text(response)
    late.refresh_from_db()
    assert late.status == Application.Status.SUBMITTED
    response = secretary.post(decide, {"decision": "ineligible", "reason": "Жоба 2024 жылы аяқталған."})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == Application.Status.INELIGIBLE
    assert late.eligibility_reason == "Жоба 2024 жылы аяқталған."
    # Members (and the chair) do not check eligibility.
    assert client_for(s.almaty.members[0]).get(url).status_code == 404
    assert client_for(s.almaty.chair).post(decide, {"decision": "eligible"}).status_code == 404
    late.refresh_from_db()
    assert late.status == Application.Status.INELIGIBLE


def test_a_scored_application_cannot_be_found_ineligible():
    s = scene()
    f.score_all(s.almaty, s.first, [8, 7, 6])
    decide = reverse(
        "contests:eligibility_decide", kwargs={"commission_id": s.commission.pk, "application_id": s.first.pk}
    )
    response = client_for(s.almaty.secretary).post(decide, {"decision": "ineligible", "reason": "Кеш."})
    assert response.status_code == 409
    assert "it can no longer be found ineligible" in text(response)
    s.first.refresh_from_db()
    assert s.first.status == Application.Status.ELIGIBLE


# The log -----------------------------------------------------------------------------------------


def test_the_log_shows_who_scored_what_and_when():
    s = scene()
    member = s.almaty.members[0]
    client_for(member).post(score_url(s, s.first), sheet(s, ["8", "7.5", "6"]))
    url = reverse("contests:score_log", args=[s.commission.pk])
    page = text(client_for(s.almaty.chair).get(url))
    assert member.username in page
    assert s.first.number in page
    for criterion, value in zip(s.criteria, ["8", "7.5", "6"], strict=True):
        assert f"{criterion.name}: {value}" in page
    assert client_for(s.almaty.secretary).get(url).status_code == 200
    assert client_for(s.minister).get(url).status_code == 200  # who set the commission up
    assert client_for(member).get(url).status_code == 404
