"""What the tests that run the real `qoldau bot` process share: the fake Bot API started
with the environment that points the bot at it and at a SQLite file of the test's own,
the `qoldau` command, and the updates a person sends (a message, a button pressed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from qoldau.bot.tests.fake_api import FakeBotAPI

QOLDAU = str(Path(sys.executable).with_name("qoldau"))


def started_api(tmp_path: Path) -> tuple[FakeBotAPI, dict[str, str]]:
    """A running fake Bot API and the environment of a bot process that talks to it.
    Binding a port on 127.0.0.1 failing is a failure of the test, not a reason to skip it."""
    api = FakeBotAPI()
    api.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qoldau.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "QOLDAU_VAR_DIR": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": "123:TEST",
        "TELEGRAM_API_URL": f"http://127.0.0.1:{api.port}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return api, env


def run(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [QOLDAU, *args], env=env, check=True, timeout=600, capture_output=True
    )


def message(chat: int, text: str, n: int) -> dict[str, Any]:
    return {
        "message": {
            "message_id": n,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "P"},
            "text": text,
        }
    }


def press(chat: int, data: str, message_id: int) -> dict[str, Any]:
    return {
        "callback_query": {
            "id": f"cb{message_id}{data}",
            "from": {"id": chat, "is_bot": False, "first_name": "P"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private"},
                "text": "…",
            },
        }
    }


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    markup = params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]
