"""The real `qoldau bot` process against a fake Bot API, over HTTP, with a SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from qoldau.bot.tests.fake_api import FakeBotAPI

QOLDAU = str(Path(sys.executable).with_name("qoldau"))
CHAT = 424242

SETUP = """
from qoldau.core.tests import factories
from qoldau.consult.tests.factories import consultant
consultant("consultant", factories.organisation())
"""

REPLY = """
from django.contrib.auth.models import User
from qoldau.consult import services
from qoldau.consult.models import Conversation
c = Conversation.objects.get(channel="telegram", channel_key="424242")
assert c.status == "waiting", c.status
user = User.objects.get(username="consultant")
c = services.conversation_take(actor=user, conversation=c)
services.conversation_reply(actor=user, conversation=c, text="Hello, I am your consultant.")
"""


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [QOLDAU, *args], env=env, check=True, timeout=60, capture_output=True
    )


def _message(text: str, n: int) -> dict[str, Any]:
    return {
        "message": {
            "message_id": n,
            "date": int(time.time()),
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "P"},
            "text": text,
        }
    }


def _press(data: str, message_id: int) -> dict[str, Any]:
    return {
        "callback_query": {
            "id": f"cb{message_id}{data}",
            "from": {"id": CHAT, "is_bot": False, "first_name": "P"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": CHAT, "type": "private"},
                "text": "…",
            },
        }
    }


def _buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    markup = params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def test_a_whole_conversation_reaches_a_consultant_and_back(tmp_path):
    api = FakeBotAPI()
    try:
        api.start()
    except OSError as error:
        pytest.skip(f"cannot bind a local port for the fake Bot API: {error}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qoldau.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "QOLDAU_VAR_DIR": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": "123:TEST",
        "TELEGRAM_API_URL": f"http://127.0.0.1:{api.port}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    _run(env, "migrate", "--verbosity", "0")
    _run(env, "shell", "-c", SETUP)
    bot = subprocess.Popen(  # noqa: S603 (our own command)
        [QOLDAU, "bot"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        # Importing aiogram alone takes seconds of CPU: wait for the bot to poll.
        api.wait_for("getUpdates", 1, timeout=90)
        api.push(_message("/start", 1))
        (choice,) = api.wait_for("sendMessage", 1)
        english = next(b for b in _buttons(choice) if b["text"] == "English")

        api.push(_press(english["callback_data"], 2))
        (notice,) = api.wait_for("editMessageText", 1)
        assert "agree" in notice["text"]

        api.push(_press(_buttons(notice)[0]["callback_data"], 3))
        api.wait_for("editMessageText", 2)

        api.push(_message("How do I get a disability allowance?", 4))
        answer = api.wait_for("sendMessage", 2)[-1]
        labels = [b["text"] for b in _buttons(answer)]
        assert "👍" in labels
        assert "Talk to a consultant" in labels
        human = next(b for b in _buttons(answer) if b["text"] == "Talk to a consultant")

        api.push(_press(human["callback_data"], 5))
        api.wait_for("sendMessage", 3)

        _run(env, "shell", "-c", REPLY)
        sent = api.wait_for("sendMessage", 4, timeout=15)
        assert "Hello, I am your consultant." in sent[-1]["text"]
        assert int(sent[-1]["chat_id"]) == CHAT

        api.push(_message("Thank you! One more detail.", 6))
        time.sleep(2)
        assert len(api.sent("sendMessage")) == 4
    finally:
        bot.terminate()
        try:
            output = bot.communicate(timeout=10)[0]
        except subprocess.TimeoutExpired:
            bot.kill()
            output = bot.communicate()[0]
        api.stop()
    assert bot.returncode is not None, output
