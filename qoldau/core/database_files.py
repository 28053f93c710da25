"""The embedded database's files are the operator's alone.

SQLite creates its database file, and the -wal, -shm and -journal files beside it, with the
process's umask (0644 usually): readable by every user of the machine, and they hold the
encrypted personal data's keyed hashes, the audit log and every record in clear. Each new
connection makes them 0600, as var/keys.json is; the -wal and -shm files SQLite creates
later take the database file's mode. The folder var/ itself is made 0700 by the settings
in the embedded mode.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def sqlite_files_private(path: Path) -> None:
    """Make a SQLite database file and its companions 0600 (those that exist)."""
    for suffix in SQLITE_COMPANIONS:
        companion = Path(f"{path}{suffix}")
        try:
            if stat.S_IMODE(companion.stat().st_mode) != PRIVATE_FILE:
                companion.chmod(PRIVATE_FILE)
        except FileNotFoundError:
            # Not there (a -journal outside a transaction, a -wal checkpointed away).
            continue


def _on_connection(sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    # In-memory databases (the tests' ":memory:" and "file:…?mode=memory") have no file.
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    sqlite_files_private(Path(name))


connection_created.connect(_on_connection, dispatch_uid="qoldau_sqlite_files_private")
