"""A local fake Telegram Bot API server (aiohttp.web, run in a thread of its own).

It offers updates to getUpdates as Telegram does (offset confirms, at most `limit` per call,
long polling until an update is there or the timeout passes) and records every call the bot
makes. An update can be pushed for at once or scheduled for a later moment, so a benchmark
can offer a steady rate of updates; each offer, each time it was served and each message
sent in answer (with the chat and the message it replies to) is kept with its time.

The end-to-end tests and `qoldau bench bot` both use it. It is not a Telegram: no files,
no webhooks, no flood limits of its own.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 123, "is_bot": True, "first_name": "Qoldau", "username": "qoldau_test_bot"}

# What Telegram allows for getUpdates' limit.
MAX_LIMIT = 100
# Long polls are answered after at most this many seconds (Telegram waits up to the bot's own
# timeout, 30 s for aiogram): the server then stops at once, and the bot simply polls again.
MAX_POLL = 1.0

# The methods that put a message in a chat.
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVoice",
        "sendVideo",
        "sendAnimation",
        "sendSticker",
        "sendLocation",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)


@dataclass
class Offered:
    """An update, the moment (time.monotonic) it was offered and the moments it was served."""

    update: dict[str, Any]
    at: float
    served: list[float] = field(default_factory=list)

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])


@dataclass(frozen=True)
class Sent:
    """A message the bot sent: its method, chat, the message it replies to, when it arrived."""

    method: str
    chat_id: int | None
    reply_to: int | None
    at: float
    params: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def reply_to_of(params: dict[str, Any]) -> int | None:
    """The message a send replies to: `reply_parameters.message_id` or the older
    `reply_to_message_id`."""
    parameters = params.get("reply_parameters")
    if isinstance(parameters, dict) and "message_id" in parameters:
        return _as_int(parameters["message_id"])
    return _as_int(params.get("reply_to_message_id"))


class FakeBotAPI:
    def __init__(self, *, max_poll: float = MAX_POLL) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.offered: list[Offered] = []
        self.sends: list[Sent] = []
        self.max_poll = max_poll
        self._unconfirmed: deque[Offered] = deque()
        self._next_update = 1
        self._next_message = 1000
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The base URL to give the bot as TELEGRAM_API_URL."""
        return f"http://127.0.0.1:{self.port}"

    # The server ---------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data: dict[str, Any] = await request.json()
            return data
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            text = str(value)
            try:
                params[key] = json.loads(text) if text[:1] in "[{" else text
            except ValueError:
                params[key] = text
        return params

    def _message(self, chat_id: Any, text: str) -> dict[str, Any]:
        self._next_message += 1
        return {
            "message_id": self._next_message,
            "date": int(time.time()),
            "chat": {"id": _as_int(chat_id) or 0, "type": "private"},
            "from": BOT_USER,
            "text": text,
        }

    def _ready(self, offset: int, limit: int) -> list[dict[str, Any]]:
        """Confirm the updates before `offset`, then serve those offered by now (at most `limit`)."""
        now = time.monotonic()
        with self._lock:
            if offset > 0:
                while self._unconfirmed and self._unconfirmed[0].update_id < offset:
                    self._unconfirmed.popleft()
            ready: list[dict[str, Any]] = []
            for offered in self._unconfirmed:
                if len(ready) >= limit or offered.at > now:
                    break
                offered.served.append(now)
                ready.append(offered.update)
            return ready

    def _next_offer_in(self) -> float | None:
        """Seconds until the next update not yet offered is due (None: none is scheduled)."""
        now = time.monotonic()
        with self._lock:
            for offered in self._unconfirmed:
                if offered.at > now:
                    return offered.at - now
        return None

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._changed is None:
            raise RuntimeError("the fake Bot API is not started")
        offset = _as_int(params.get("offset")) or 0
        limit = min(max(_as_int(params.get("limit")) or MAX_LIMIT, 1), MAX_LIMIT)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(max(timeout, 0.0), self.max_poll)
        while True:
            self._changed.clear()
            ready = self._ready(offset, limit)
            left = deadline - time.monotonic()
            if ready or left <= 0:
                return ready
            due = self._next_offer_in()
            wait = left if due is None else min(left, due)
            try:
                await asyncio.wait_for(self._changed.wait(), max(wait, 0.0005))
            except TimeoutError:
                pass

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        arrived = time.monotonic()
        with self._lock:
            self.calls.append((method, params))
            if method in SEND_METHODS:
                self.sends.append(
                    Sent(
                        method=method,
                        chat_id=_as_int(params.get("chat_id")),
                        reply_to=reply_to_of(params),
                        at=arrived,
                        params=params,
                    )
                )
        result: Any = True
        if method == "getMe":
            result = BOT_USER
        elif method == "getUpdates":
            result = await self._get_updates(params)
        elif method in SEND_METHODS or method == "editMessageText":
            result = self._message(params.get("chat_id", 0), str(params.get("text", "")))
        return web.json_response({"ok": True, "result": result})

    # Control from the test or the benchmark ------------------------------------------------

    def start(self) -> None:
        ready = threading.Event()
        errors: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._changed = asyncio.Event()
            app = web.Application()
            app.router.add_route("POST", "/bot{token}/{method}", self._handle)
            app.router.add_route("GET", "/bot{token}/{method}", self._handle)
            self._runner = web.AppRunner(app, shutdown_timeout=self.max_poll + 1)
            try:
                loop.run_until_complete(self._runner.setup())
                site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
                loop.run_until_complete(site.start())
                server = site._server
                if server is None:
                    raise OSError("the fake Bot API did not start listening")
                self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
            except OSError as error:
                errors.append(error)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-bot-api", daemon=True)
        self._thread.start()
        ready.wait(10)
        if errors:
            raise errors[0]

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    def _wake(self) -> None:
        if self._loop is not None and self._changed is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._changed.set)

    def offer(self, update: dict[str, Any], at: float | None = None) -> Offered:
        """Queue an update (given its update_id here) to be offered at `at` (time.monotonic;
        now if None). Updates are offered in the order they are queued."""
        with self._lock:
            if at is None:
                at = time.monotonic()
            if self.offered:
                at = max(at, self.offered[-1].at)
            offered = Offered(update={"update_id": self._next_update, **update}, at=at)
            self._next_update += 1
            self.offered.append(offered)
            self._unconfirmed.append(offered)
        self._wake()
        return offered

    def push(self, update: dict[str, Any]) -> None:
        """Offer an update at once."""
        self.offer(update)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def sends_snapshot(self) -> list[Sent]:
        with self._lock:
            return list(self.sends)

    def wait_for(self, method: str, count: int, timeout: float = 60.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent(method)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} {method} calls, got {self.sent(method)}")
