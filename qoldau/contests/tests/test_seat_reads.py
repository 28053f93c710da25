"""A commission's pages read the user's seat once, with the commission, and pass it to the
rules and reads they ask. A scoring POST reads it once, in the scoring service, after it has
locked the commission (a member removed in between scores nothing), and the page goes on
with the seat the service hands back."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qoldau.contests import selectors
from qoldau.contests.models import Score
from qoldau.contests.tests.commission_scene import scene, sheet
from qoldau.contests.tests.factories import client_for

SEAT_TABLE = 'FROM "contests_commissionmember"'


def _seat_reads(sqls: list[str]) -> list[int]:
    return [index for index, sql in enumerate(sqls) if SEAT_TABLE in sql]


def test_a_scoring_post_reads_the_seat_once_under_the_lock(db: None) -> None:
    s = scene()
    member = s.almaty.members[0]
    client = client_for(member)
    url = reverse("contests:score", args=[s.commission.pk, s.first.pk])
    client.get(url)  # the session, read once
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, sheet(s, ["7", "8", "9"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:score", args=[s.commission.pk, s.second.pk])
    assert Score.objects.filter(member=member, application=s.first).count() == 3
    sqls = [query["sql"] for query in captured.captured_queries]
    reads = _seat_reads(sqls)
    # It was read four times, then twice (the page and the service), before.
    assert len(reads) == 1, [sqls[i] for i in reads]
    transaction_opened = next(i for i, sql in enumerate(sqls) if sql.startswith("SAVEPOINT"))
    commission_locked = next(
        i for i, sql in enumerate(sqls) if 'FROM "contests_commission"' in sql and i > transaction_opened
    )
    assert transaction_opened < commission_locked < reads[0]


def test_a_scoring_call_of_the_api_reads_the_seat_once(db: None) -> None:
    s = scene()
    member = s.almaty.members[0]
    client = client_for(member)
    url = f"/api/v1/contests/commissions/{s.commission.pk}/applications/{s.first.pk}/scores"
    criteria = [line.criterion.pk for line in selectors.score_form_lines(s.commission.pk)[1]]
    body = {"scores": [{"criterion_id": pk, "value": "6", "comment": ""} for pk in criteria]}
    client.get(f"/api/v1/contests/commissions/{s.commission.pk}/applications")  # warm the session
    with CaptureQueriesContext(connection) as captured:
        response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert len(_seat_reads([query["sql"] for query in captured.captured_queries])) == 1


def test_a_scoring_post_by_someone_not_on_the_commission_is_not_found_and_shows_nothing(db: None) -> None:
    s = scene()
    stranger = s.astana.members[0]
    url = reverse("contests:score", args=[s.commission.pk, s.first.pk])
    for body in (sheet(s, ["7", "8", "9"]), sheet(s, ["x", "8", "9"])):
        response = client_for(stranger).post(url, body)
        assert response.status_code == 404
        assert s.first.title.encode() not in response.content
    assert not Score.objects.filter(member=stranger).exists()


def test_the_score_sheet_and_the_worklist_read_the_seat_once(db: None) -> None:
    s = scene()
    client = client_for(s.almaty.members[0])
    client.get(reverse("contests:my_commissions"))  # the session, read once
    for url in (
        reverse("contests:score", args=[s.commission.pk, s.first.pk]),
        reverse("contests:commission", args=[s.commission.pk]),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert len(_seat_reads([query["sql"] for query in captured.captured_queries])) == 1, url
