"""/interpreter in the bot: the link that opens the "Call an interpreter" page, and whether
an interpreter is on duty now; nothing personal asked, no sign-in."""

from __future__ import annotations

import pytest
from django.conf import settings

from qoldau.bot.tests.harness import Harness, message_update
from qoldau.interpreting.tests import factories

pytestmark = pytest.mark.django_db


def _last(harness: Harness, chat_id: int) -> str:
    return [m.text for m in harness.session.sent(chat_id)][-1]


def test_interpreter_sends_the_link_and_says_whether_someone_is_on_duty():
    s = factories.scene(interpreters=1)
    harness = Harness()
    harness.agree(60, "en")
    harness.feed(message_update(60, "/interpreter"))
    answer = _last(harness, 60)
    assert f"{settings.QOLDAU_SITE_URL}/interpreting/" in answer
    assert "No interpreter is on duty now" in answer
    factories.available(s.interpreters[0])
    harness.feed(message_update(60, "/interpreter"))
    assert "An interpreter is on duty now." in _last(harness, 60)


def test_the_link_is_told_in_the_chats_language():
    factories.scene(interpreters=0)
    harness = Harness()
    harness.agree(61, "kk")
    harness.feed(message_update(61, "/interpreter"))
    assert "Ымдау тілі аудармашысына" in _last(harness, 61)
