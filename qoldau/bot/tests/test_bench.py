"""`qoldau bench bot` at a small scale: every update answered exactly once (a correctness
test; the timings are the benchmark's business), and the fake server's getUpdates."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from qoldau.bot.bench import Figures, wait_at
from qoldau.bot.fake_api import FakeBotAPI

QOLDAU = str(Path(sys.executable).with_name("qoldau"))


def _figure(output: str, name: str) -> int:
    found = re.search(rf"^\s*{re.escape(name)}\s+([\d,]+)", output, re.MULTILINE)
    assert found, output
    return int(found.group(1).replace(",", ""))


def test_the_bench_at_20_updates_a_second_loses_and_duplicates_nothing(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qoldau.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "QOLDAU_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("TELEGRAM_BOT_TOKEN", None)
    subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [QOLDAU, "migrate", "--verbosity", "0"], env=env, check=True, timeout=600, capture_output=True
    )
    done = subprocess.run(  # noqa: S603
        [QOLDAU, "bench", "bot", "--rate", "20", "--seconds", "1", "--chats", "10", "--flood-rate", "5"],
        env=env,
        timeout=300,
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    offered = _figure(output, "updates offered (ordinary chats)")
    assert offered == 15
    assert _figure(output, "answered") == offered
    assert _figure(output, "lost (no answer by the end of the run)") == 0
    assert _figure(output, "duplicated (answered more than once)") == 0
    assert _figure(output, "flooding chat: duplicated") == 0
    assert _figure(output, "flooding chat: answered") == 5
    assert _figure(output, "flooding chat: slow-down notices") == 0
    assert _figure(output, "errors in the bot's log") == 0
    assert "OK: no update lost or duplicated." in output


def _call(api: FakeBotAPI, method: str, **params: Any) -> Any:
    request = urllib.request.Request(  # noqa: S310 (the local fake server)
        f"{api.url}/bot1:T/{method}",
        data=json.dumps(params).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())["result"]


def test_the_fake_server_offers_on_schedule_confirms_by_offset_and_records_replies():
    api = FakeBotAPI()
    try:
        api.start()
    except OSError as error:
        pytest.skip(f"cannot bind a local port: {error}")
    try:
        now = time.monotonic()
        for n in range(150):
            api.offer({"message": {"message_id": n}}, now)
        api.offer({"message": {"message_id": 999}}, now + 0.5)
        first = _call(api, "getUpdates", timeout=0)
        assert [u["update_id"] for u in first] == list(range(1, 101))
        # Not confirmed: offered again.
        assert _call(api, "getUpdates", timeout=0, limit=5)[0]["update_id"] == 1
        rest = _call(api, "getUpdates", offset=101, timeout=0)
        assert [u["update_id"] for u in rest] == list(range(101, 151))
        # The scheduled one is not offered before its time; a long poll waits for it.
        assert _call(api, "getUpdates", offset=151, timeout=0) == []
        started = time.monotonic()
        (late,) = _call(api, "getUpdates", offset=151, timeout=5)
        assert late["message"]["message_id"] == 999
        assert time.monotonic() - started < 1.5
        assert _call(api, "getUpdates", offset=152, timeout=0) == []
        assert [len(o.served) for o in api.offered[4:6]] == [2, 1]

        _call(api, "sendMessage", chat_id=5, text="hi", reply_parameters={"message_id": 7})
        _call(api, "sendMessage", chat_id=5, text="old", reply_to_message_id=8)
        _call(api, "sendPhoto", chat_id=6, photo="x")
        sent = api.sends_snapshot()
        assert [(s.method, s.chat_id, s.reply_to) for s in sent] == [
            ("sendMessage", 5, 7),
            ("sendMessage", 5, 8),
            ("sendPhoto", 6, None),
        ]
    finally:
        api.stop()


def test_the_wait_of_the_last_second_shows_a_bot_falling_behind() -> None:
    # 200 updates a second for 10 s: a bot keeping pace answers each in 0.3 s; one falling
    # behind by a fifth adds 0.2 s of backlog every second.
    offers = [n / 200 for n in range(2000)]
    keeping = Figures(first_offer=0.0, last_offer=offers[-1], timed=[(at, 0.3) for at in offers])
    behind = Figures(first_offer=0.0, last_offer=offers[-1], timed=[(at, 0.3 + 0.2 * at) for at in offers])
    assert wait_at(keeping, last=False) == pytest.approx(0.3)
    assert wait_at(keeping, last=True) == pytest.approx(0.3)
    assert wait_at(behind, last=False) == pytest.approx(0.49, abs=0.01)
    assert wait_at(behind, last=True) == pytest.approx(2.29, abs=0.01)
