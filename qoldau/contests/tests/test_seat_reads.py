"""A commission's pages read the user's seat once, with the commission, and pass it to the
rules and reads they ask. The scoring service reads it once more inside its transaction,
after it has locked the commission: a member removed in between scores nothing."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qoldau.contests.models import Score
from qoldau.contests.tests.commission_scene import scene, sheet
from qoldau.contests.tests.factories import client_for

SEAT_TABLE = 'FROM "contests_commissionmember"'


def _seat_reads(sqls: list[str]) -> list[int]:
    return [index for index, sql in enumerate(sqls) if SEAT_TABLE in sql]


def test_a_scoring_post_reads_the_seat_once_and_again_only_under_the_lock(db: None) -> None:
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
    # The page (commission, score sheet, the next application to score) reads it once; the
    # service once, inside its transaction. It was read four times before.
    assert len(reads) == 2, [sqls[i] for i in reads]
    transaction_opened = next(i for i, sql in enumerate(sqls) if sql.startswith("SAVEPOINT"))
    assert reads[0] < transaction_opened < reads[1]


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
