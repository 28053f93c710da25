"""/topics, /lang, /help, the "was this helpful?" buttons, bad input, and `qoldau bot`
without a token."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText
from aiogram.types import InlineKeyboardMarkup
from django.core.management import CommandError, call_command
from django.utils import translation

from qoldau.bot.gateway import _topic_answer, topic_groups
from qoldau.bot.handlers.start import help_text
from qoldau.bot.tests.harness import Harness, message_update, press
from qoldau.consult.engine.answer import today_in_kazakhstan

QOLDAU = str(Path(sys.executable).with_name("qoldau"))


def buttons(markup: Any) -> list[tuple[str, str]]:
    assert isinstance(markup, InlineKeyboardMarkup)
    return [(b.text, b.callback_data or "") for row in markup.inline_keyboard for b in row]


def requests(harness: Harness, kind: type) -> list[Any]:
    return [r for r in harness.session.requests if isinstance(r, kind)]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_topics_menu_leads_to_a_topic_answered_in_the_chosen_language(lang):
    harness = Harness()
    harness.agree(11, lang)
    harness.feed(message_update(11, "/topics"))
    (menu,) = harness.session.sent(11)
    groups = buttons(menu.reply_markup)
    assert {data.split(":", 1)[1] for _label, data in groups} == set(topic_groups())

    benefit = next(data for _label, data in groups if data == "group:benefit")
    harness.feed(press(11, benefit))
    topics = buttons(harness.session.sent(11)[-1].reply_markup)
    assert topics
    assert all(data.startswith("topic:benefit.") for _label, data in topics)

    title, data = topics[0]
    harness.feed(press(11, data))
    sent = harness.session.sent(11)[-1]
    answer = sent.text
    expected = _topic_answer(data.split(":", 1)[1], lang, today_in_kazakhstan())
    assert expected is not None
    assert answer == expected
    # Telegram HTML: the title in bold, the article's markers gone.
    assert sent.parse_mode == "HTML"
    assert answer.startswith("<b>" + html.escape(title.split("\n")[0][:20], quote=False))
    assert "**" not in answer
    others = {_topic_answer(data.split(":", 1)[1], o, today_in_kazakhstan()) for o in ("kk", "ru", "en")}
    assert len(others) == 3, "the three languages' answers differ"


@pytest.mark.django_db
def test_lang_changes_the_language_of_the_replies_that_follow():
    from qoldau.consult.models import Conversation

    harness = Harness()
    harness.agree(12, "en")
    harness.feed(message_update(12, "/help"))
    with translation.override("en"):
        assert harness.session.sent(12)[-1].text == help_text()

    harness.feed(message_update(12, "/lang"))
    choice = harness.session.sent(12)[-1]
    russian = next(data for label, data in buttons(choice.reply_markup) if label == "Русский")
    harness.feed(press(12, russian))
    with translation.override("ru"):
        ru_help = help_text()
    # The language menu becomes the help, in Russian.
    assert requests(harness, EditMessageText)[-1].text == ru_help

    harness.feed(message_update(12, "/help"))
    assert harness.session.sent(12)[-1].text == ru_help
    with translation.override("en"):
        assert ru_help != help_text()

    harness.feed(message_update(12, "пособие по инвалидности"))
    assert Conversation.objects.get(channel_key="12").language == "ru"
    # A new bot process reads the language back from the conversation.
    fresh = Harness()
    fresh.feed(message_update(12, "/help"))
    assert fresh.session.sent(12)[-1].text == ru_help


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_help_lists_the_commands_in_the_person_s_language(lang):
    harness = Harness()
    harness.agree(13, lang)
    harness.feed(message_update(13, "/help"))
    (reply,) = harness.session.sent(13)
    with translation.override(lang):
        assert reply.text == help_text()
    assert "/topics" in reply.text
    assert "/lang" in reply.text


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "helpful"), [("👍", True), ("👎", False)])
def test_was_this_helpful_buttons_record_the_answer_and_thank_the_person(label, helpful):
    from qoldau.consult.models import Message

    harness = Harness()
    harness.agree(14, "en")
    harness.feed(message_update(14, "How do I get a disability allowance?"))
    (answer,) = harness.session.sent(14)
    data = next(d for text, d in buttons(answer.reply_markup) if text == label)
    harness.feed(press(14, data))
    thanks = requests(harness, AnswerCallbackQuery)[-1]
    assert thanks.text == "Thank you for your feedback."
    bot_message = Message.objects.get(pk=int(data.split(":")[1]))
    assert bot_message.extra["helpful"] is helpful


@pytest.mark.django_db
def test_feedback_on_someone_else_s_answer_is_ignored():
    from qoldau.consult.models import Message

    harness = Harness()
    harness.agree(15, "en")
    harness.agree(16, "en")
    harness.feed(message_update(15, "How do I get a disability allowance?"))
    data = next(d for text, d in buttons(harness.session.sent(15)[0].reply_markup) if text == "👍")
    harness.feed(press(16, data))
    assert requests(harness, AnswerCallbackQuery)[-1].text is None
    assert "helpful" not in Message.objects.get(pk=int(data.split(":")[1])).extra


PHOTO = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "extra"),
    [
        (None, {"photo": PHOTO, "caption": "   "}),
        (None, {"photo": PHOTO, "caption": "пособие по инвалидности"}),
        ("", {}),
        ("\u200b\n\t ", {}),
        ("ә" * 10_000, {}),
        ("Как получить пособие? " * 455, {}),
        ("🙏🏼👨‍👩‍👧‍👦❤️", {}),
        ("Мүгедектік бойынша пособие disability allowance алу үшін 🙏 што нужно?", {}),
        ("Mugedektik boiynsha zhardemaqy qalai alamyn", {}),
        ("\x00\x00 пособие", {}),
        ("<b>пособие</b> & {text} %(name)s", {}),
    ],
)
def test_bad_input_gets_one_polite_answer_that_quotes_it_and_never_an_error(text, extra):
    harness = Harness()
    harness.agree(17, "ru")
    update = message_update(17, text, **extra)
    assert update.message is not None
    harness.feed(update)
    replies = harness.session.sent(17)
    assert len(replies) == 1
    assert 0 < len(replies[0].text) <= 4096
    assert replies[0].reply_parameters is not None
    assert replies[0].reply_parameters.message_id == update.message.message_id


def test_the_bot_without_a_token_says_so_in_the_active_language(monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    for lang in ("kk", "ru", "en"):
        with translation.override(lang), pytest.raises(CommandError) as raised:
            call_command("bot")
        with translation.override(lang):
            expected = translation.gettext(
                "TELEGRAM_BOT_TOKEN is not set: put the token @BotFather gave you in the environment."
            )
        assert str(raised.value) == expected
        assert (
            lang == "en"
            or expected
            != "TELEGRAM_BOT_TOKEN is not set: put the token @BotFather gave you in the environment."
        )


def test_qoldau_bot_without_a_token_exits_with_a_clear_error_and_no_traceback(tmp_path):
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": " ", "QOLDAU_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    done = subprocess.run(  # noqa: S603 (our own command)
        [QOLDAU, "bot"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode != 0
    assert "TELEGRAM_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
