"""`qoldau bench bot`: the real `qoldau bot` process against the fake Bot API, offered a steady
rate of questions from many chats (and one chat that floods), on the database the command is
given. Every answer quotes the message it answers, so each one is matched to its update:
an update with no answer is lost, one answered twice is duplicated.

The chats are throwaway conversations (people who already agreed to the privacy notice)
created for the run in a range of chat ids of their own, and removed afterwards.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from django.db import close_old_connections, connection
from django.utils import translation

from qoldau.bot.fake_api import FakeBotAPI, Offered, Sent
from qoldau.bot.middleware import FLOOD_LIMIT, FLOOD_WINDOW, slow_down_text
from qoldau.bot.workers import worker_count

QUESTIONS_FILE = (
    Path(__file__).resolve().parent.parent / "consult" / "knowledge" / "questions" / "tuning.jsonl"
)
# The bench's chats: private chat ids no real person has in the same database.
FIRST_CHAT = 7_770_000_000
WARM_UP_CHAT = FIRST_CHAT - 1
LANGS = ("kk", "ru", "en")


class BenchError(Exception):
    """The bench could not run (no migrated database, the bot did not start)."""


@dataclass(frozen=True)
class BenchConfig:
    rate: float = 200.0
    seconds: float = 10.0
    chats: int = 1000
    # Messages per second of the one flooding chat, part of `rate` (0: no flooding chat).
    flood_rate: float = 10.0
    # How long to wait for the last answers after the last offer.
    drain: float = 30.0
    # After every update is answered, how long to keep listening for duplicates.
    settle: float = 1.0
    keep: bool = False
    seed: int = 4


@dataclass
class Figures:
    offered: int = 0
    answered: int = 0
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0
    flood_offered: int = 0
    flood_answered: int = 0
    flood_notices: int = 0
    flood_duplicated: int = 0
    flood_windows: int = 0
    served_twice: int = 0
    first_offer: float = 0.0
    last_offer: float = 0.0
    last_answer: float = 0.0
    # (moment offered, offer → answer) of each answered ordinary update: the waits, and
    # whether they grow while the updates keep coming (the bot falls behind) or stay level.
    timed: list[tuple[float, float]] = field(default_factory=list)
    serve_delays: list[float] = field(default_factory=list)
    bot_errors: list[str] = field(default_factory=list)
    lost_examples: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.flood_duplicated == 0

    @property
    def latencies(self) -> list[float]:
        return [wait for _at, wait in self.timed]

    @property
    def offer_rate(self) -> float:
        span = self.last_offer - self.first_offer
        return (self.offered + self.flood_offered - 1) / span if span > 0 else 0.0

    @property
    def throughput(self) -> float:
        """Answers per second, from the first offer to the last answer."""
        span = self.last_answer - self.first_offer
        return (self.answered + self.flood_answered + self.flood_notices) / span if span > 0 else 0.0


def wait_at(figures: Figures, *, last: bool, seconds: float = 1.0) -> float:
    """Offer → answer p95 of the updates offered in the first (or the last) `seconds` of
    the offers: level when the bot keeps pace with the rate offered, growing when it falls
    behind (each second adds the backlog's share)."""
    if last:
        chosen = [wait for at, wait in figures.timed if at >= figures.last_offer - seconds]
    else:
        chosen = [wait for at, wait in figures.timed if at <= figures.first_offer + seconds]
    return percentile(chosen, 0.95)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


# --- the throwaway data ---------------------------------------------------------------------


def load_questions(path: Path = QUESTIONS_FILE) -> dict[str, list[str]]:
    """The labelled questions by the language a chat of that language would ask them in
    (mixed Kazakh–Russian ones in Kazakh chats)."""
    found: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            found[item["lang"] if item["lang"] in LANGS else "kk"].append(item["text"])
    return dict(found)


def chat_language(chat_id: int) -> str:
    return LANGS[chat_id % len(LANGS)]


def bench_chats(config: BenchConfig) -> list[int]:
    flood = [FIRST_CHAT + config.chats] if config.flood_rate > 0 else []
    return [WARM_UP_CHAT, *range(FIRST_CHAT, FIRST_CHAT + config.chats), *flood]


def _bench_keys(config: BenchConfig) -> list[str]:
    return [str(chat) for chat in bench_chats(config)]


def remove_chats(config: BenchConfig) -> int:
    from qoldau.consult.models import Conversation

    deleted, _counts = Conversation.objects.filter(
        channel=Conversation.Channel.TELEGRAM, channel_key__in=_bench_keys(config)
    ).delete()
    return deleted


def create_chats(config: BenchConfig) -> None:
    """Every chat of the run, as a person who agreed to the privacy notice (an open conversation)."""
    from django.db.utils import DatabaseError

    from qoldau.consult.models import Conversation
    from qoldau.consult.services import default_organisation

    try:
        remove_chats(config)
        organisation = default_organisation()
    except DatabaseError as error:
        raise BenchError(f"The database is not ready ({error}); run `qoldau migrate` first.") from error
    Conversation.objects.bulk_create(
        [
            Conversation(
                channel=Conversation.Channel.TELEGRAM,
                channel_key=str(chat),
                language=chat_language(chat),
                organisation=organisation,
            )
            for chat in bench_chats(config)
        ],
        batch_size=500,
    )


# --- the updates ------------------------------------------------------------------------------


def message_update(chat_id: int, message_id: int, text: str, lang: str) -> dict[str, Any]:
    person = {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": lang}
    return {
        "message": {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
            "from": person,
            "text": text,
        }
    }


def schedule(config: BenchConfig) -> list[tuple[float, int, str]]:
    """(seconds from the start, chat, text) of every update: `rate` per second, evenly spaced;
    every (rate / flood_rate)-th one from the flooding chat, the others from the ordinary chats
    in turn, each asking questions in its own language."""
    rng = random.Random(config.seed)  # noqa: S311 (a repeatable choice of questions)
    questions = load_questions()
    total = round(config.rate * config.seconds)
    every = max(1, round(config.rate / config.flood_rate)) if config.flood_rate > 0 else 0
    flood_chat = FIRST_CHAT + config.chats
    result: list[tuple[float, int, str]] = []
    ordinary = 0
    for i in range(total):
        if every and i % every == 0:
            chat = flood_chat
        else:
            chat = FIRST_CHAT + ordinary % config.chats
            ordinary += 1
        result.append((i / config.rate, chat, rng.choice(questions[chat_language(chat)])))
    return result


# --- the run --------------------------------------------------------------------------------


def bot_command() -> list[str]:
    """`qoldau bot`, by the script next to this Python, else through the module."""
    script = Path(sys.executable).with_name("qoldau")
    return [str(script), "bot"] if script.exists() else [sys.executable, "-m", "qoldau.cli", "bot"]


def queue_prefix() -> str:
    """The Redis keys of this run's workers (QOLDAU_BOT_WORKERS > 1): the fake server numbers
    its updates from 1 in every run, so no run may see another's "done" marks."""
    return f"qoldau:bench:{os.getpid()}:{time.time_ns()}"


def remove_queue(prefix: str) -> None:
    from redis import Redis

    from qoldau.bot.workers import queue_url

    client = Redis.from_url(queue_url())
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
    finally:
        client.close()


def start_bot(api: FakeBotAPI, log: IO[str], prefix: str = "") -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "qoldau.settings"),
        "TELEGRAM_BOT_TOKEN": "123:BENCH",
        "TELEGRAM_API_URL": api.url,
        "QOLDAU_BOT_QUEUE_PREFIX": prefix or queue_prefix(),
    }
    # The bot process is what production runs: no test-only switches.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(bot_command(), env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def stop_bot(bot: subprocess.Popen[bytes]) -> None:
    if bot.poll() is None:
        bot.send_signal(signal.SIGINT)
        try:
            bot.wait(15)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait()


def _wait_until(condition: Any, timeout: float, bot: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if bot.poll() is not None:
            raise BenchError(f"The bot exited ({bot.returncode}) while waiting for {what}.")
        if time.monotonic() > deadline:
            raise BenchError(f"Timed out waiting for {what}.")
        time.sleep(0.02)


def _answered(api: FakeBotAPI, chat: int, message_id: int) -> bool:
    return any(s.chat_id == chat and s.reply_to == message_id for s in api.sends_snapshot())


def analyse(api: FakeBotAPI, offered: list[Offered], config: BenchConfig, flood_lang: str) -> Figures:
    figures = Figures()
    sends = api.sends_snapshot()
    by_message: dict[tuple[int, int], list[Sent]] = defaultdict(list)
    for sent in sends:
        if sent.chat_id is not None and sent.reply_to is not None:
            by_message[(sent.chat_id, sent.reply_to)].append(sent)
    flood_chat = FIRST_CHAT + config.chats
    with translation.override(flood_lang):
        notice = slow_down_text()
    matched: set[tuple[int, int]] = set()
    for item in offered:
        message = item.update["message"]
        key = (int(message["chat"]["id"]), int(message["message_id"]))
        matched.add(key)
        answers = by_message.get(key, [])
        if len(item.served) > 1:
            figures.served_twice += 1
        if item.served:
            figures.serve_delays.append(item.served[0] - item.at)
        if answers:
            figures.last_answer = max(figures.last_answer, *(a.at for a in answers))
        if key[0] == flood_chat:
            figures.flood_offered += 1
            if len(answers) > 1:
                figures.flood_duplicated += 1
            if answers and answers[0].text == notice:
                figures.flood_notices += 1
            elif answers:
                figures.flood_answered += 1
            continue
        figures.offered += 1
        if not answers:
            figures.lost += 1
            if len(figures.lost_examples) < 5:
                figures.lost_examples.append(item.update_id)
            continue
        figures.answered += 1
        figures.duplicated += len(answers) > 1
        figures.timed.append((item.at, answers[0].at - item.at))
    figures.unexpected = sum(
        1 for s in sends if s.chat_id != WARM_UP_CHAT and (s.chat_id, s.reply_to or 0) not in matched
    )
    figures.first_offer = offered[0].at if offered else 0.0
    figures.last_offer = offered[-1].at if offered else 0.0
    return figures


def _expected_done(api: FakeBotAPI, ordinary: set[tuple[int, int]]) -> bool:
    answered = {(s.chat_id, s.reply_to) for s in api.sends_snapshot()}
    return ordinary <= answered


def _bot_errors(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if "Traceback" in line or " ERROR " in line or "Error" in line[:40]]


def run_bench(config: BenchConfig, out: TextIO | None = None) -> Figures:
    """Create the chats, run the bot against the fake server, offer the updates, measure."""

    def say(text: str) -> None:
        if out is not None:
            out.write(text)

    create_chats(config)
    # The bench process holds no connection while the bot writes (SQLite has one writer).
    close_old_connections()
    connection.close()
    api = FakeBotAPI()
    api.start()
    log_file = tempfile.NamedTemporaryFile(mode="w+", prefix="qoldau-bench-bot-", suffix=".log", delete=False)
    log_path = Path(log_file.name)
    prefix = queue_prefix()
    workers = worker_count()
    bot = start_bot(api, log_file, prefix)
    try:
        _wait_until(lambda: bool(api.sent("getUpdates")), 300, bot, "the bot's first getUpdates")
        # One answered question first: the engine builds its index on the first question.
        warm = api.offer(message_update(WARM_UP_CHAT, 1, "пособие по инвалидности", "ru"))
        _wait_until(lambda: _answered(api, WARM_UP_CHAT, 1), 60, bot, "the warm-up answer")
        took = api.sends_snapshot()[-1].at - warm.at
        say(f"bot ready (pid {bot.pid}, {workers} worker process(es)); warm-up answered in {took:.2f} s\n")

        plan = schedule(config)
        start = time.monotonic() + 0.2
        offered: list[Offered] = []
        ordinary: set[tuple[int, int]] = set()
        flood_chat = FIRST_CHAT + config.chats
        for number, (offset, chat, text) in enumerate(plan, start=2):
            offered.append(api.offer(message_update(chat, number, text, chat_language(chat)), start + offset))
            if chat != flood_chat:
                ordinary.add((chat, number))
        say(f"offering {len(plan):,} updates at {config.rate:g}/s for {config.seconds:g} s …\n")
        end = start + config.seconds + config.drain
        while time.monotonic() < end and not _expected_done(api, ordinary):
            if bot.poll() is not None:
                break
            time.sleep(0.05)
        time.sleep(config.settle)
    finally:
        stop_bot(bot)
        api.stop()
        log_file.close()
        if workers > 1:
            remove_queue(prefix)
    figures = analyse(api, offered, config, chat_language(flood_chat))
    figures.flood_windows = int((figures.last_offer - figures.first_offer) // FLOOD_WINDOW) + 1
    figures.bot_errors = _bot_errors(log_path)
    if not figures.bot_errors:
        log_path.unlink(missing_ok=True)
    else:
        say(f"the bot's log: {log_path}\n")
    if not config.keep:
        remove_chats(config)
    return figures


def report(config: BenchConfig, figures: Figures, out: TextIO) -> None:
    rows = [
        ("updates offered (ordinary chats)", f"{figures.offered:,}"),
        ("answered", f"{figures.answered:,}"),
        ("lost (no answer by the end of the run)", f"{figures.lost:,}"),
        ("duplicated (answered more than once)", f"{figures.duplicated:,}"),
        ("updates served to the bot more than once", f"{figures.served_twice:,}"),
        ("messages sent that answer no offered update", f"{figures.unexpected:,}"),
        ("rate offered", f"{figures.offer_rate:,.1f} updates/s"),
        ("sustained throughput (first offer → last answer)", f"{figures.throughput:,.1f} answers/s"),
        ("offer → answer, p50", f"{percentile(figures.latencies, 0.5) * 1000:,.0f} ms"),
        ("offer → answer, p95", f"{percentile(figures.latencies, 0.95) * 1000:,.0f} ms"),
        ("offer → answer, max", f"{max(figures.latencies, default=float('nan')) * 1000:,.0f} ms"),
        (
            "offer → answer p95, first / last second of the offers",
            f"{wait_at(figures, last=False) * 1000:,.0f} / {wait_at(figures, last=True) * 1000:,.0f} ms",
        ),
        ("offer → served to the bot, p95", f"{percentile(figures.serve_delays, 0.95) * 1000:,.0f} ms"),
    ]
    if config.flood_rate > 0:
        rows += [
            (f"flooding chat: messages ({config.flood_rate:g}/s)", f"{figures.flood_offered:,}"),
            ("flooding chat: answered", f"{figures.flood_answered:,}"),
            ("flooding chat: slow-down notices", f"{figures.flood_notices:,}"),
            ("flooding chat: duplicated", f"{figures.flood_duplicated:,}"),
            (
                "flooding chat: expected at most",
                f"{FLOOD_LIMIT * (figures.flood_windows + 1)} answers + "
                f"{figures.flood_windows + 1} notices (limit {FLOOD_LIMIT} per {FLOOD_WINDOW:g} s)",
            ),
        ]
    rows.append(("errors in the bot's log", f"{len(figures.bot_errors):,}"))
    width = max(len(name) for name, _value in rows)
    for name, value in rows:
        out.write(f"  {name.ljust(width)}  {value}\n")
    if figures.lost_examples:
        out.write(f"  lost update ids (first few): {figures.lost_examples}\n")
    for line in figures.bot_errors[:5]:
        out.write(f"  bot: {line}\n")
    out.write(
        ("OK: no update lost or duplicated.\n")
        if figures.ok
        else "FAILED: updates were lost or duplicated.\n"
    )
