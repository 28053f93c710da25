"""The real `qoldau bot` process against a fake Bot API, over HTTP, with a SQLite file."""

from __future__ import annotations

import subprocess
import time

from qoldau.bot.tests.e2e import QOLDAU, buttons, message, press, run, started_api

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


def test_a_whole_conversation_reaches_a_consultant_and_back(tmp_path):
    api, env = started_api(tmp_path)
    run(env, "migrate", "--verbosity", "0")
    run(env, "shell", "-c", SETUP)
    bot = subprocess.Popen(  # noqa: S603 (our own command)
        [QOLDAU, "bot"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        # Importing aiogram alone takes seconds of CPU: wait for the bot to poll.
        api.wait_for("getUpdates", 1, timeout=300)
        api.push(message(CHAT, "/start", 1))
        (choice,) = api.wait_for("sendMessage", 1)
        english = next(b for b in buttons(choice) if b["text"] == "English")

        api.push(press(CHAT, english["callback_data"], 2))
        (notice,) = api.wait_for("editMessageText", 1)
        assert "agree" in notice["text"]

        api.push(press(CHAT, buttons(notice)[0]["callback_data"], 3))
        api.wait_for("editMessageText", 2)

        api.push(message(CHAT, "How do I get a disability allowance?", 4))
        answer = api.wait_for("sendMessage", 2)[-1]
        labels = [b["text"] for b in buttons(answer)]
        assert "👍" in labels
        assert "Talk to a consultant" in labels
        human = next(b for b in buttons(answer) if b["text"] == "Talk to a consultant")

        api.push(press(CHAT, human["callback_data"], 5))
        api.wait_for("sendMessage", 3)

        run(env, "shell", "-c", REPLY)
        sent = api.wait_for("sendMessage", 4, timeout=60)
        assert "Hello, I am your consultant." in sent[-1]["text"]
        assert int(sent[-1]["chat_id"]) == CHAT

        api.push(message(CHAT, "Thank you! One more detail.", 6))
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
