"""The real `qoldau bot` as one poller and two worker processes (QOLDAU_BOT_WORKERS=2), against
the fake Bot API and the real Redis: one chat's messages answered in order, every update
answered once, the flood limit held when the chat's worker is killed and started again."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.utils import translation
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from qoldau.bot.bench import chat_language
from qoldau.bot.fake_api import FakeBotAPI, Sent
from qoldau.bot.middleware import FLOOD_LIMIT, RedisFloodMiddleware, slow_down_text
from qoldau.bot.tests.e2e import QOLDAU, message, started_api
from qoldau.bot.workers import Keys, queue_url

FIRST = 7_770_000_000
CHATS = [FIRST + n for n in range(4)]  # two for each worker (chat id mod 2)
FLOOD = FIRST + 4  # worker 0's
LATE = FIRST + 5  # worker 1's, asked while its worker is frozen and then killed

SETUP = """
from qoldau.bot.bench import BenchConfig, create_chats
create_chats(BenchConfig(chats=6, flood_rate=0))
"""

QUESTIONS = [
    "How do I get a disability allowance?",
    "Where can I get a wheelchair?",
    "How do I apply for rehabilitation?",
    "What benefits does a child with a disability get?",
]


@pytest.fixture
def redis_url() -> str:
    client = Redis.from_url(queue_url())
    try:
        client.ping()
    except RedisConnectionError as error:
        pytest.fail(f"Redis is not running at {queue_url()}: {error}")
    finally:
        client.close()
    return queue_url()


def _remove(prefix: str) -> None:
    client = Redis.from_url(queue_url())
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


def _answers(api: FakeBotAPI) -> dict[int, list[Sent]]:
    found: dict[int, list[Sent]] = defaultdict(list)
    for sent in api.sends_snapshot():
        if sent.chat_id is not None:
            found[sent.chat_id].append(sent)
    return found


def _wait(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _worker_pid(prefix: str, token: str, shard: int) -> int:
    client = Redis.from_url(queue_url())
    try:
        value = client.get(Keys.of(token, 2, prefix).ready(shard))
    finally:
        client.close()
    assert value is not None
    return int(value)


def test_two_workers_answer_in_order_once_and_hold_the_flood_limit_across_a_restart(tmp_path, redis_url):
    api, env = started_api(tmp_path)
    prefix = f"qoldau:test:{uuid.uuid4().hex}"
    env |= {
        "QOLDAU_BOT_WORKERS": "2",
        "QOLDAU_BOT_QUEUE_URL": redis_url,
        "QOLDAU_BOT_QUEUE_PREFIX": prefix,
        # A window longer than a worker's restart (it warms its engine first: tens of
        # seconds on a loaded machine), so that the limit has to hold across the two processes.
        "QOLDAU_BOT_FLOOD_WINDOW": "900",
    }
    # Longer than e2e.run's timeout: the migrations alone take minutes on a loaded machine.
    for args in (["migrate", "--verbosity", "0"], ["shell", "-c", SETUP]):
        subprocess.run([QOLDAU, *args], env=env, check=True, timeout=600, capture_output=True)  # noqa: S603
    bot = subprocess.Popen(  # noqa: S603 (our own command)
        [QOLDAU, "bot"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        # The poller polls once both workers have warmed their engines.
        api.wait_for("getUpdates", 1, timeout=300)

        # Four questions from each of four chats, interleaved, all at once.
        number = 0
        for question in QUESTIONS:
            for chat in CHATS:
                number += 1
                api.push(message(chat, question, number))
        _wait(lambda: sum(len(_answers(api)[c]) for c in CHATS) >= 16, 120, "16 answers")
        answers = _answers(api)
        for chat in CHATS:
            replied = [sent.reply_to for sent in answers[chat]]
            # Each question answered once, in the order the chat asked them.
            assert len(replied) == len(QUESTIONS), replied
            assert replied == sorted(replied), replied

        # The flooding chat: three messages to worker 0, which is then killed and restarted.
        for n in range(3):
            number += 1
            api.push(message(FLOOD, QUESTIONS[n % 4], number))
        _wait(lambda: len(_answers(api)[FLOOD]) >= 3, 60, "the flooding chat's first answers")
        os.kill(_worker_pid(prefix, "123:TEST", 0), signal.SIGKILL)

        # Worker 1 frozen and then killed with a question in its stream: the restarted
        # worker answers it.
        frozen = _worker_pid(prefix, "123:TEST", 1)
        os.kill(frozen, signal.SIGSTOP)
        number += 1
        late = number
        api.push(message(LATE, QUESTIONS[0], late))
        time.sleep(1)
        os.kill(frozen, signal.SIGKILL)

        for n in range(5):
            number += 1
            api.push(message(FLOOD, QUESTIONS[n % 4], number))
        _wait(lambda: len(_answers(api)[FLOOD]) >= FLOOD_LIMIT + 1, 300, "the flooding chat's notice")
        _wait(lambda: len(_answers(api)[LATE]) >= 1, 120, "the answer to the frozen worker's question")
        time.sleep(2)
        flood = _answers(api)[FLOOD]
        # 5 answers and one notice in the window, although two processes counted it.
        assert len(flood) == FLOOD_LIMIT + 1, [s.text for s in flood]
        with translation.override(chat_language(FLOOD)):
            assert flood[-1].text == slow_down_text()
        assert [s.reply_to for s in _answers(api)[LATE]] == [late]
        # Nothing else was answered twice.
        for chat in CHATS:
            assert len(_answers(api)[chat]) == len(QUESTIONS)
    finally:
        bot.send_signal(signal.SIGINT)
        try:
            output = bot.communicate(timeout=60)[0]
        except subprocess.TimeoutExpired:
            bot.kill()
            output = bot.communicate()[0]
        api.stop()
        _remove(prefix)
    assert b"Traceback" not in output, output.decode(errors="replace")


def test_the_flood_limit_in_redis_is_one_count_for_every_process(redis_url):
    prefix = f"qoldau:test:{uuid.uuid4().hex}:flood"

    async def counts() -> list[int]:
        from redis.asyncio import Redis as AsyncRedis

        clients = [AsyncRedis.from_url(redis_url), AsyncRedis.from_url(redis_url)]
        # Two middlewares, as in two worker processes, each with its own connection.
        limits = [RedisFloodMiddleware(redis=client, prefix=prefix, window=5) for client in clients]
        try:
            found = [await limits[n % 2].count(42) for n in range(7)]
            found.append(await limits[0].count(43))
            return found
        finally:
            for client in clients:
                await client.aclose()

    try:
        # In a thread of its own: another test of this worker may have left an event loop
        # running in this one (Playwright's), where asyncio.run refuses to start.
        with ThreadPoolExecutor(max_workers=1) as pool:
            assert pool.submit(asyncio.run, counts()).result() == [1, 2, 3, 4, 5, 6, 7, 1]
        client = Redis.from_url(redis_url)
        ttl = client.pttl(f"{prefix}:42")
        client.close()
        # The window ends 5 s after the chat's first message, not after its last.
        assert 0 < ttl <= 5000
    finally:
        _remove(prefix)
