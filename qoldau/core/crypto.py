"""Encryption of personal data at rest, and the IIN's keyed hash.

Fields are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`;
MultiFernet lets an administrator add a new key in front and keep the old ones for
reading until every row is rewritten. The keyed hash (HMAC-SHA256) lets the database
find a person by IIN and refuse duplicates without ever holding the IIN in clear.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from qoldau.core.bulk_encryption import BackgroundEncryption


def _key_file() -> dict[str, Any]:
    """Read (or, the first time in the embedded mode, write) var/keys.json."""
    path = Path(settings.QOLDAU_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "data_keys": [Fernet.generate_key().decode()],
            "hash_key": Fernet.generate_key().decode(),
        }
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                json.dump(data, handle)
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def _data_keys() -> list[str]:
    keys: list[str] = settings.QOLDAU_DATA_KEYS or _key_file()["data_keys"]
    if not keys:
        raise ImproperlyConfigured("QOLDAU_DATA_KEYS is empty.")
    return keys


@functools.cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _data_keys()])


@functools.cache
def _hash_key() -> bytes:
    key = settings.QOLDAU_HASH_KEY or _key_file()["hash_key"]
    return str(key).encode()


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def encrypt_in_background(
    values: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> BackgroundEncryption:
    """Encrypt many values as `encrypt_text` does, in worker processes on every core (up
    to four) while the caller goes on; `.result()` returns the tokens in order. For bulk
    writes that bypass the model fields (imports); use it as a context manager."""
    return BackgroundEncryption(
        _data_keys()[0], values, workers=min(4, os.cpu_count() or 1), progress=progress
    )


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Personal data cannot be decrypted with the configured QOLDAU_DATA_KEYS."
        ) from exc


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised identifier, hex. Same input, same key: same hash."""
    normalised = "".join(value.split())
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField[str | None, str | None]):
    """A text column stored as a Fernet token; Python sees the clear text.

    It cannot be filtered or ordered on in SQL (the token is randomised): look people up
    by a keyed hash column instead, and sort decrypted values in Python.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))
