"""Flood limits: token buckets kept in the shared cache, so that every web process counts
the same requests.

A bucket holds up to `burst` tokens and refills at `rate` tokens a second; a request takes
one token from each of its buckets (a chat session's and its address's), or, when any of
them is short, takes none and is refused with the seconds until it would pass. A person
may send a few messages at once; a script is slowed to the rate. The limits are named in
`settings.QOLDAU_RATE_LIMITS` (rate, burst).

Reading and writing a bucket is not atomic in Django's cache, so it is done under a short
lock (`cache.add`, atomic in Redis, Memcached and the local memory cache); concurrent
requests of one flood would otherwise all read the same full bucket.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qoldau.core.addresses import client_network
from qoldau.core.errors import RateLimited

DEFAULT_MESSAGE = _(
    "Too many requests came from your connection in a short time. Wait a little and try again."
)
# A lock outlives a process that died holding it by this long at most.
LOCK_SECONDS = 2
# A request waits this long for a bucket another request of the same flood is updating;
# then it is refused rather than held.
LOCK_WAIT_SECONDS = 0.5


@dataclass(frozen=True)
class Bucket:
    """One token bucket: the limit's name in `QOLDAU_RATE_LIMITS` and whose bucket it is."""

    limit: str
    key: str

    @property
    def cache_key(self) -> str:
        # Hashed: a session key or an address never appears in the cache's key space.
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        return f"qoldau:rate:{self.limit}:{digest}"


def _limit(name: str) -> tuple[float, int]:
    rate, burst = settings.QOLDAU_RATE_LIMITS[name]
    return float(rate), int(burst)


@contextmanager
def _locked(keys: Sequence[str]) -> Iterator[bool]:
    """Hold the locks of `keys` (in one order, so two requests never wait on each other);
    yields False when they could not be had in time."""
    held: list[str] = []
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    try:
        for key in sorted(set(keys)):
            lock = f"{key}:lock"
            while not cache.add(lock, 1, LOCK_SECONDS):
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(0.005)
            held.append(lock)
        yield True
    finally:
        if held:
            cache.delete_many(held)


def rate_limit_take(buckets: Sequence[Bucket], *, message: str | Promise = DEFAULT_MESSAGE) -> None:
    """Take one token from each bucket, or raise RateLimited (taking none) when any is
    short."""
    if not buckets:
        return
    with _locked([bucket.cache_key for bucket in buckets]) as locked:
        if not locked:
            raise RateLimited(message, retry_after=1)
        now = time.time()
        levels: list[tuple[Bucket, float, float, int]] = []
        for bucket in buckets:
            rate, burst = _limit(bucket.limit)
            stored = cache.get(bucket.cache_key)
            if stored is None:
                tokens = float(burst)
            else:
                tokens_then, then = stored
                tokens = min(float(burst), float(tokens_then) + max(0.0, now - float(then)) * rate)
            levels.append((bucket, tokens, rate, burst))
        waits = [(1.0 - tokens) / rate for _bucket, tokens, rate, _burst in levels if tokens < 1.0]
        if waits:
            raise RateLimited(message, retry_after=math.ceil(max(waits)))
        for bucket, tokens, rate, burst in levels:
            # Kept until it would be full again; a missing bucket is a full one.
            cache.set(bucket.cache_key, (tokens - 1.0, now), math.ceil(burst / rate) + 1)


def request_buckets(
    request: HttpRequest, *, per_address: str, per_session: str | None = None
) -> list[Bucket]:
    """The buckets of a request: its client address's (see `client_network`) and, when it
    has a session, the session's. A new session has no history, so the address's bucket is
    what stops a client that starts a new session for each request."""
    buckets = [Bucket(per_address, f"address:{client_network(request) or '-'}")]
    session = getattr(request, "session", None)
    if per_session and session is not None and session.session_key:
        buckets.append(session_bucket(per_session, session.session_key))
    return buckets


def session_bucket(limit: str, session_key: str) -> Bucket:
    """A session's bucket. A session started by a request that was let through starts with
    that request's token taken (`rate_limit_take([session_bucket(...)])` then), so that its
    first request is not counted against its address alone."""
    return Bucket(limit, f"session:{session_key}")


def rate_limit_request(
    request: HttpRequest,
    *,
    per_address: str,
    per_session: str | None = None,
    message: str | Promise = DEFAULT_MESSAGE,
) -> None:
    """Take a token for this request from its address's bucket and its session's."""
    buckets = request_buckets(request, per_address=per_address, per_session=per_session)
    rate_limit_take(buckets, message=message)
