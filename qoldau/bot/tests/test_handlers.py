from __future__ import annotations

from typing import Any

import pytest

from qoldau.bot.middleware import FLOOD_LIMIT, FloodMiddleware
from qoldau.bot.tests.harness import Harness, message_update, press


@pytest.mark.django_db
def test_the_sixth_message_in_a_window_gets_one_slow_down_reply_and_other_chats_are_unaffected():
    now = [100.0]
    harness = Harness(FloodMiddleware(clock=lambda: now[0]))
    for _ in range(FLOOD_LIMIT + 3):
        harness.feed(message_update(1, "hello"))
    replies = harness.session.sent(1)
    assert len(replies) == FLOOD_LIMIT + 1
    assert "жылдам жазып" in replies[-1].text

    harness.feed(message_update(2, "hello"))
    assert len(harness.session.sent(2)) == 1
    assert "жылдам жазып" not in harness.session.sent(2)[0].text

    now[0] += 11
    harness.feed(message_update(1, "hello"))
    assert len(harness.session.sent(1)) == FLOOD_LIMIT + 2
    assert "жылдам жазып" not in harness.session.sent(1)[-1].text


@pytest.mark.django_db
def test_nothing_is_stored_before_the_person_agrees():
    from qoldau.consult.models import Conversation

    harness = Harness()
    harness.feed(message_update(7, "/start"))
    harness.feed(message_update(7, "пособие по инвалидности"))
    assert not Conversation.objects.exists()
    # Both get the language choice.
    assert all("Choose your language" in m.text for m in harness.session.sent(7))


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["   ", "😀😀😀", "пособие " * 1250, None])
def test_empty_emoji_long_and_non_text_messages_get_a_polite_answer(text):
    harness = Harness()
    harness.agree(5)
    harness.feed(message_update(5, text, **({} if text is not None else {"sticker": _sticker()})))
    replies = harness.session.sent(5)
    assert len(replies) == 1
    assert 0 < len(replies[0].text) <= 4096


def _sticker() -> dict[str, Any]:
    return {
        "file_id": "s",
        "file_unique_id": "s",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }


@pytest.mark.django_db
def test_a_question_gets_an_answer_with_feedback_and_consultant_buttons_in_the_chosen_language():
    harness = Harness()
    harness.agree(9, "ru")
    harness.feed(message_update(9, "Как оформить пособие по инвалидности?"))
    (reply,) = harness.session.sent(9)
    markup = reply.reply_markup
    assert markup is not None
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert {"👍", "👎"} <= {b.text for b in buttons}
    assert any((b.callback_data or "").startswith("human") for b in buttons)


@pytest.mark.django_db
def test_a_hand_off_before_any_question_is_refused_with_the_reason():
    from qoldau.bot import keyboards
    from qoldau.consult.models import Conversation

    harness = Harness()
    harness.agree(11, "en")
    harness.feed(press(11, keyboards.Human().pack()))
    (refusal,) = harness.session.sent(11)
    assert refusal.text == "Write your question first; then a consultant can take the conversation."
    assert Conversation.objects.get().status == Conversation.Status.BOT

    harness.feed(message_update(11, "How do I apply for the disability benefit?"))
    harness.feed(press(11, keyboards.Human().pack()))
    assert "A consultant will read your conversation" in harness.session.sent(11)[-1].text
    assert Conversation.objects.get().status == Conversation.Status.WAITING
