"""The embedded mode's data are the operator's alone: var/ is 0700 and the SQLite database
with its -wal and -shm files 0600, whatever the umask, for a new database and for one
created before (0644). Each case runs a real `qoldau` process on a database of its own."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

OPEN_AND_WRITE = """
import os, stat
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("create table if not exists t (x integer)")
    cursor.execute("insert into t values (1)")
name = connection.settings_dict["NAME"]
# While the connection is open the WAL's files are there too.
for suffix in ("", "-wal", "-shm"):
    print("mode", suffix or "db", oct(stat.S_IMODE(os.stat(name + suffix).st_mode)))
"""


def run_qoldau(var: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        QOLDAU_VAR_DIR=str(var),
        QOLDAU_MEDIA_ROOT=str(var / "media"),
        DJANGO_SETTINGS_MODULE="qoldau.settings",
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "shell", "-c", OPEN_AND_WRITE],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    return dict(line.split()[1:] for line in done.stdout.splitlines() if line.startswith("mode "))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_embedded_database_and_its_folder_are_private(tmp_path):
    var = tmp_path / "var"
    modes = run_qoldau(var)
    assert modes == {"db": "0o600", "-wal": "0o600", "-shm": "0o600"}
    assert mode(var) == 0o700
    assert mode(var / "qoldau.sqlite3") == 0o600


def test_an_embedded_database_made_before_is_made_private(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    # The modes Qoldau left before this change.
    var.chmod(0o755)
    database = var / "qoldau.sqlite3"
    database.touch()
    database.chmod(0o644)
    assert mode(database) == 0o644
    modes = run_qoldau(var)
    assert modes == {"db": "0o600", "-wal": "0o600", "-shm": "0o600"}
    assert mode(var) == 0o700
    assert mode(database) == 0o600
