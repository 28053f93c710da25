"""One poller feeding several worker processes through Redis streams (QOLDAU_BOT_WORKERS > 1).

Telegram allows one getUpdates consumer per bot, and one Python process answers only so many
questions a second (the engine and aiogram share its GIL). So `qoldau bot` with N workers:

- the poller (the `qoldau bot` process) starts N `qoldau bot --worker K` processes, waits until
  each has warmed its engine, then long-polls Telegram and appends every update to the stream
  of the worker its chat belongs to (chat id mod N). It confirms an update to Telegram (the next
  getUpdates' offset) only after Redis has it, so a poller that dies loses nothing. It also
  delivers the consultants' replies, and restarts a worker that died.
- each worker reads its stream in a consumer group and feeds the updates to aiogram's
  dispatcher (`feed_raw_update`): one chat's updates one after another, in the order Telegram
  gave them, different chats side by side. After an update is handled its id is marked done
  and the entry acknowledged. A restarted worker first re-reads the entries it had read but
  not acknowledged (Redis keeps them as pending) and skips those marked done.
- the flood limit is a counter per chat in Redis (`RedisFloodMiddleware`) and the steps of
  /access, /jobs and the map are kept in Redis (aiogram's `RedisStorage`), so both hold
  whichever process handles the chat.

An update is answered twice only if a worker is killed between sending its answer and
marking it done (a few milliseconds); one in progress when a worker is killed is answered
when the worker is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import Update
from redis.asyncio import Redis
from redis.exceptions import ResponseError

logger = logging.getLogger(__name__)

DEFAULT_QUEUE_URL = "redis://127.0.0.1:6379/3"
DEFAULT_PREFIX = "qoldau:bot"
GROUP = "workers"
# An update's "done" mark outlives any redelivery (Telegram keeps updates for 24 hours).
DONE_TTL = 2 * 24 * 3600
# Entries kept in a worker's stream (acknowledged ones are only history).
STREAM_MAXLEN = 100_000
# Updates one worker handles at once (different chats; one chat's are handled in turn).
WORKER_CONCURRENCY = 64
READ_BATCH = 100
POLL_TIMEOUT = 25
READY_TIMEOUT = 180.0


def worker_count() -> int:
    """QOLDAU_BOT_WORKERS: 1 (the default) is the one polling process, as before."""
    return max(1, int(os.environ.get("QOLDAU_BOT_WORKERS") or 1))


def queue_url() -> str:
    return os.environ.get("QOLDAU_BOT_QUEUE_URL", "").strip() or DEFAULT_QUEUE_URL


@dataclass(frozen=True)
class Keys:
    """The Redis keys of one bot (its token's hash, so two bots share no keys)."""

    base: str
    workers: int

    @classmethod
    def of(cls, token: str, workers: int, prefix: str | None = None) -> Keys:
        prefix = prefix or os.environ.get("QOLDAU_BOT_QUEUE_PREFIX", "").strip() or DEFAULT_PREFIX
        digest = hashlib.sha256(token.encode()).hexdigest()[:12]
        return cls(base=f"{prefix}:{digest}", workers=workers)

    def stream(self, shard: int) -> str:
        return f"{self.base}:updates:{self.workers}:{shard}"

    def done(self, update_id: int) -> str:
        return f"{self.base}:done:{update_id}"

    def ready(self, shard: int) -> str:
        return f"{self.base}:ready:{shard}"

    @property
    def flood(self) -> str:
        return f"{self.base}:flood"

    @property
    def fsm(self) -> str:
        return f"{self.base}:fsm"


def chat_of(update: Update) -> int | None:
    """The chat (else the user) an update belongs to, as aiogram resolves it."""
    context = UserContextMiddleware.resolve_event_context(update)
    if context.chat is not None:
        return context.chat.id
    if context.user is not None:
        return context.user.id
    return None


def shard_of(update: Update, workers: int) -> int:
    key = chat_of(update)
    return (key if key is not None else update.update_id) % workers


def fsm_storage(redis: Redis, keys: Keys) -> RedisStorage:
    from aiogram.fsm.storage.base import DefaultKeyBuilder

    return RedisStorage(redis, key_builder=DefaultKeyBuilder(prefix=keys.fsm))


# --- the worker -----------------------------------------------------------------------------


def warm_engine() -> None:
    """Build the knowledge index and train the classifier before the first update (about 2 s
    of CPU the first question would otherwise wait for)."""
    from qoldau.consult.engine.answer import classify

    classify("пособие", "ru")


@dataclass
class Worker:
    bot: Bot
    dispatcher: Dispatcher
    redis: Redis
    keys: Keys
    shard: int
    concurrency: int = WORKER_CONCURRENCY
    _tails: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _running: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def consumer(self) -> str:
        return f"worker-{self.shard}"

    async def prepare(self) -> None:
        with contextlib.suppress(ResponseError):  # BUSYGROUP: the group exists
            await self.redis.xgroup_create(self.keys.stream(self.shard), GROUP, id="0", mkstream=True)

    async def _handle(self, entry_id: str, raw: str, before: asyncio.Task[None] | None) -> None:
        if before is not None:
            with contextlib.suppress(Exception):
                await before
        data = json.loads(raw)
        update_id = int(data["update_id"])
        stream = self.keys.stream(self.shard)
        if not await self.redis.exists(self.keys.done(update_id)):
            try:
                await self.dispatcher.feed_raw_update(self.bot, data)
            except Exception:
                logger.exception("Update %s failed", update_id)
            await self.redis.set(self.keys.done(update_id), self.shard, ex=DONE_TTL)
        await self.redis.xack(stream, GROUP, entry_id)

    def _schedule(self, entry_id: str, raw: str) -> asyncio.Task[None]:
        update = Update.model_validate_json(raw)
        chat = chat_of(update)
        key = chat if chat is not None else -update.update_id
        before = self._tails.get(key)
        task = asyncio.create_task(self._handle(entry_id, raw, before))
        self._tails[key] = task
        self._running.add(task)

        def finished(done: asyncio.Task[None]) -> None:
            self._running.discard(done)
            if self._tails.get(key) is done:
                del self._tails[key]

        task.add_done_callback(finished)
        return task

    async def _read(self, start: str, block: int | None) -> str | None:
        """Schedule the entries after `start`; the last one's id (None: there was none)."""
        free = max(1, self.concurrency - len(self._running))
        streams: dict[Any, Any] = {self.keys.stream(self.shard): start}
        answer: Any = await self.redis.xreadgroup(
            GROUP, self.consumer, streams, count=min(READ_BATCH, free), block=block
        )
        last = None
        for _stream, entries in answer or []:
            for entry_id, fields in entries:
                last = _text(entry_id)
                self._schedule(last, _text(fields[b"update"]))
        return last

    async def run(self, stop: asyncio.Event) -> None:
        await self.prepare()
        # What this worker read before it was killed and never acknowledged, first, in order.
        start: str | None = "0"
        while start is not None:
            start = await self._read(start, None)
        await self._wait_all()
        await self.redis.set(self.keys.ready(self.shard), os.getpid(), ex=3600)
        while not stop.is_set():
            await self._drain_to(self.concurrency - 1)
            await self._read(">", 500)
        await self._wait_all()

    async def _drain_to(self, most: int) -> None:
        while len(self._running) > most:
            await asyncio.wait(set(self._running), return_when=asyncio.FIRST_COMPLETED)

    async def _wait_all(self) -> None:
        if self._running:
            await asyncio.wait(set(self._running))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def run_worker(token: str, api_url: str, shard: int, workers: int) -> None:
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from asgiref.sync import sync_to_async

    from qoldau.bot.dispatcher import build_dispatcher
    from qoldau.bot.gateway import ConsultGateway
    from qoldau.bot.middleware import RedisFloodMiddleware, flood_window
    from qoldau.bot.runner import database_executor

    keys = Keys.of(token, workers)
    redis = Redis.from_url(queue_url())
    await sync_to_async(warm_engine, thread_sensitive=True)()
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    bot = Bot(token=token, session=session)
    dispatcher = build_dispatcher(
        consult=ConsultGateway(executor=database_executor()),
        flood=RedisFloodMiddleware(redis=redis, prefix=keys.flood, window=flood_window()),
        storage=fsm_storage(redis, keys),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    parent = os.getppid()

    async def orphaned() -> None:
        # The poller is gone (killed): stop too, leaving the rest for the next worker.
        while not stop.is_set():
            if os.getppid() != parent:
                stop.set()
            await asyncio.sleep(1)

    watch = asyncio.create_task(orphaned())
    try:
        await Worker(bot=bot, dispatcher=dispatcher, redis=redis, keys=keys, shard=shard).run(stop)
    finally:
        watch.cancel()
        await bot.session.close()
        await redis.aclose()


# --- the poller -----------------------------------------------------------------------------


def worker_command(shard: int, workers: int) -> list[str]:
    script = Path(sys.executable).with_name("qoldau")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "qoldau.cli"]
    return [*base, "bot", "--worker", str(shard), "--workers", str(workers)]


@dataclass
class Supervisor:
    """The worker processes: started, restarted when one dies, stopped at the end."""

    workers: int
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, shard: int) -> None:
        env = {**os.environ, "QOLDAU_BOT_WORKERS": str(self.workers)}
        self.processes[shard] = subprocess.Popen(worker_command(shard, self.workers), env=env)  # noqa: S603

    def start_all(self) -> None:
        for shard in range(self.workers):
            self.start(shard)

    def restart_dead(self) -> None:
        for shard, process in list(self.processes.items()):
            if process.poll() is not None:
                logger.warning("Bot worker %s exited (%s); starting it again", shard, process.returncode)
                self.start(shard)

    def stop_all(self, timeout: float = 30.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def _wait_ready(redis: Redis, keys: Keys, supervisor: Supervisor) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        ready = await redis.exists(*(keys.ready(shard) for shard in range(keys.workers)))
        if ready == keys.workers or time.monotonic() > deadline:
            return
        supervisor.restart_dead()
        await asyncio.sleep(0.1)


async def poll_into_streams(bot: Bot, dispatcher: Dispatcher, redis: Redis, keys: Keys) -> None:
    """getUpdates → the workers' streams, until cancelled."""
    allowed = dispatcher.resolve_used_update_types()
    offset: int | None = None
    while True:
        try:
            updates = await bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=allowed)
        except Exception:
            logger.exception("getUpdates failed; polling again")
            await asyncio.sleep(1)
            continue
        if updates:
            async with redis.pipeline(transaction=False) as pipe:
                for update in updates:
                    raw = update.model_dump_json(exclude_unset=True)
                    pipe.xadd(
                        keys.stream(shard_of(update, keys.workers)),
                        {"update": raw},
                        maxlen=STREAM_MAXLEN,
                        approximate=True,
                    )
                await pipe.execute()
            # Confirmed to Telegram by the next call, once Redis has them.
            offset = updates[-1].update_id + 1


async def watch_workers(supervisor: Supervisor) -> None:
    while True:
        await asyncio.sleep(1)
        supervisor.restart_dead()


async def run_poller(token: str, api_url: str, workers: int) -> None:
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from qoldau.bot.delivery import run_delivery
    from qoldau.bot.dispatcher import build_dispatcher
    from qoldau.bot.gateway import ConsultGateway

    keys = Keys.of(token, workers)
    redis = Redis.from_url(queue_url())
    await redis.delete(*(keys.ready(shard) for shard in range(workers)))
    supervisor = Supervisor(workers)
    supervisor.start_all()
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    bot = Bot(token=token, session=session)
    # Never answers: only what the handlers listen to (allowed_updates), and no language cache
    # (a worker may change a chat's language) for the delivery of consultants' replies.
    dispatcher = build_dispatcher()
    consult = ConsultGateway(remember=False)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks: list[asyncio.Task[Any]] = []
    try:
        ready = asyncio.create_task(_wait_ready(redis, keys, supervisor))
        await asyncio.wait([ready, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
        if not stop.is_set():
            await bot.delete_webhook()
            tasks = [
                asyncio.create_task(run_delivery(bot, consult)),
                asyncio.create_task(poll_into_streams(bot, dispatcher, redis, keys)),
                asyncio.create_task(watch_workers(supervisor)),
            ]
            await stop.wait()
    finally:
        ready.cancel()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await asyncio.to_thread(supervisor.stop_all)
        await bot.session.close()
        await redis.aclose()
