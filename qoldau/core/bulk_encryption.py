"""Fernet encryption of many values at once, on every core.

Fernet is bound by the processor (AES and an HMAC for each value, several µs each), and an
import that registers 160,000 people encrypts half a million values. Worker processes
encrypt them side by side while the importing process goes on with its database work.

This module imports nothing of Django: a worker is started fresh (the spawn method, not
a fork of a server process with its threads and open database connection) and loads only
this module and `cryptography`. Tokens are the ones `Fernet.encrypt` makes, with the key
`MultiFernet` encrypts with (its first), so `crypto.decrypt_text` reads them.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType

from cryptography.fernet import Fernet

# Below this many values, starting the workers (about 0.2 s each) costs more than it saves.
POOL_FROM = 20_000
# Values sent to a worker at once: small enough to report progress, large enough that
# sending them costs little next to encrypting them.
CHUNK = 10_000

_worker_fernet: Fernet | None = None


def _start_worker(parent: int, key: str) -> None:
    """A worker's start: its key, and a watch that ends the worker when the process that
    started it is gone (one killed with kill -9 cannot shut its workers down)."""
    global _worker_fernet  # one key per worker process, set once
    _worker_fernet = Fernet(key)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _encrypt_in_worker(values: list[str]) -> list[str]:
    if _worker_fernet is None:
        raise RuntimeError("The worker was started without its key.")
    return encrypt_values(_worker_fernet, values)


def encrypt_values(fernet: Fernet, values: Sequence[str]) -> list[str]:
    encrypt = fernet.encrypt
    return [encrypt(value.encode()).decode() for value in values]


class BackgroundEncryption:
    """Values being encrypted by worker processes while the caller works on; `result()`
    waits for them, in their order. Small batches, or a process that may not start
    processes of its own (a daemonic worker), encrypt in the calling process instead,
    when `result()` is called. Use it as a context manager: leaving the block early
    cancels what has not started and stops the workers."""

    def __init__(
        self,
        key: str,
        values: Sequence[str],
        *,
        workers: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self._key = key
        self._values = values
        self._progress = progress
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[str]]] = []
        if len(values) >= POOL_FROM and workers > 1 and not multiprocessing.current_process().daemon:
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(), key),
            )
            self._futures = [
                self._pool.submit(_encrypt_in_worker, list(values[start : start + CHUNK]))
                for start in range(0, len(values), CHUNK)
            ]

    def result(self) -> list[str]:
        total = len(self._values)
        encrypted: list[str] = []
        if self._pool is None:
            fernet = Fernet(self._key)
            for start in range(0, total, CHUNK):
                encrypted.extend(encrypt_values(fernet, self._values[start : start + CHUNK]))
                if self._progress is not None:
                    self._progress(len(encrypted), total)
            return encrypted
        for future in self._futures:
            encrypted.extend(future.result())
            if self._progress is not None:
                self._progress(len(encrypted), total)
        self._shut_down()
        return encrypted

    def _shut_down(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> BackgroundEncryption:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._shut_down()
