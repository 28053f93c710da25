"""Time to first reply on the queue page: the median and the 90th percentile of the last 30
days' hand-offs, with their counts, equal to a reference computed here; a consultant sees
their organisation's, an administrator every organisation's and all of them together."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from qoldau.consult import selectors, services
from qoldau.consult.models import Conversation
from qoldau.consult.tests.factories import consultant, signed_in
from qoldau.consult.views import duration_words
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db

QUESTION = "Мүгедектік бойынша жәрдемақы қанша төленеді?"
NOW = timezone.now()
# Minutes from the hand-off to the first reply (None: not answered yet), and days ago.
ALMATY_CASES = [(5, 1), (12, 2), (30, 3), (7, 5), (95, 8), (61, 13), (None, 1), (240, 29), (3, 40)]
TURKISTAN_CASES = [(20, 2), (45, 6), (None, 3)]


def reference(minutes: list[int]) -> tuple[float, float]:
    """The median (the mean of the two middle values of an even count) and the nearest-rank
    90th percentile, written out independently of the selector."""
    ordered = sorted(m * 60 for m in minutes)
    n = len(ordered)
    middle = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    rank = -(-9 * n // 10)  # ceil(0.9 n)
    return middle, ordered[rank - 1]


def conversations_of(org, taker, cases, prefix):
    for index, (minutes, days) in enumerate(cases):
        conversation = services.conversation_for(
            channel="web", channel_key=f"{prefix}-{index}", language="kk"
        )
        services.conversation_ask(conversation=conversation, text=QUESTION, lang="kk")
        conversation.refresh_from_db()
        conversation = services.conversation_request_human(conversation=conversation, region_id=org.region_id)
        handed = NOW - dt.timedelta(days=days, hours=1)
        first = handed + dt.timedelta(minutes=minutes) if minutes is not None else None
        if minutes is not None:
            services.conversation_take(actor=taker, conversation=conversation)
            services.conversation_reply(actor=taker, conversation=conversation, text="Жауап")
        Conversation.objects.filter(pk=conversation.pk).update(handed_off_at=handed, first_reply_at=first)
        assert Conversation.objects.get(pk=conversation.pk).organisation_id == org.pk


@pytest.fixture
def scene():
    almaty = factories.organisation(name="Алматы қоры", kato=factories.ALMATY)
    turkistan = factories.organisation(name="Түркістан қоры", kato=factories.TURKISTAN)
    almaty_consultant = consultant("almaty.c", almaty)
    turkistan_consultant = consultant("turkistan.c", turkistan)
    conversations_of(almaty, almaty_consultant, ALMATY_CASES, "a")
    conversations_of(turkistan, turkistan_consultant, TURKISTAN_CASES, "t")
    return almaty, turkistan, almaty_consultant, turkistan_consultant


def answered_within_30_days(cases):
    return [m for m, days in cases if m is not None and days <= 30]


def test_a_consultant_sees_their_organisations_figures_equal_to_the_reference(scene):
    almaty, _turkistan, almaty_consultant, _other = scene
    (line,) = selectors.first_reply_figures(almaty_consultant, now=NOW)
    answered = answered_within_30_days(ALMATY_CASES)
    median, p90 = reference(answered)
    assert line.organisation == almaty
    assert line.handed_off == sum(1 for _m, days in ALMATY_CASES if days <= 30)  # 40 days ago is out
    assert line.answered == len(answered) == 7
    assert (line.median_seconds, line.p90_seconds) == (median, p90)
    page = signed_in(almaty_consultant).get("/consult/queue/").content.decode()
    with translation.override("en"):
        median_words, p90_words = duration_words(median), duration_words(p90)
    assert f"<td>{median_words}</td>" in page
    assert f"<td>{p90_words}</td>" in page
    assert "en Түркістан қоры" not in page  # another organisation's figures are not shown


def test_an_administrator_sees_every_organisation_and_all_together(scene):
    almaty, turkistan, _a, _t = scene
    admin = factories.user("root", "system_admin")
    everything, *lines = selectors.first_reply_figures(admin, now=NOW)
    assert everything.organisation is None
    assert {line.organisation for line in lines} == {almaty, turkistan}
    both = answered_within_30_days(ALMATY_CASES) + answered_within_30_days(TURKISTAN_CASES)
    assert (everything.median_seconds, everything.p90_seconds) == reference(both)
    assert everything.answered == len(both)
    assert everything.handed_off == sum(line.handed_off for line in lines)
    by_org = {line.organisation: line for line in lines}
    assert (by_org[turkistan].median_seconds, by_org[turkistan].p90_seconds) == reference(
        answered_within_30_days(TURKISTAN_CASES)
    )
    assert by_org[turkistan].handed_off == 3


def test_a_queue_without_hand_offs_shows_no_figure():
    lonely = consultant("lonely", factories.organisation(name="Бос қор"))
    assert selectors.first_reply_figures(lonely) == []
    page = signed_in(lonely).get("/consult/queue/").content.decode()
    assert "No conversation was handed to a consultant in this period." in page


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 minute"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (3600, "1 hour"),
        (3660, "1 hour 1 minute"),
        (90_000, "1 day 1 hour"),
    ],
)
def test_waits_are_told_in_words_rounded_up_to_the_minute(seconds, words):
    with translation.override("en"):
        assert duration_words(seconds) == words
