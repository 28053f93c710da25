"""A Celery worker killed (kill -9) under a running job: the job is then shown failed with the
reason, what it had written is not kept, and a new worker runs it again to the end.

Everything runs as on a server in the embedded mode, in separate processes: a file-based
SQLite database, the file cache and the folder broker under a throwaway var/, the real
`celery worker`, and the pages through Django's test client in a script."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.utils import translation

from qoldau.core.jobs import WORKER_LOST
from qoldau.core.tests.worker_tasks import HALF_WRITTEN

BIN = Path(sys.executable).parent
STALE_SECONDS = 2

# The job's owner, signed in once: the page is then read without writing to the database,
# which the running job's transaction holds (SQLite has one writer).
SETUP = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from qoldau.core.tests import factories
owner = factories.user("jobs.owner", "ngo_staff", org=factories.organisation())
client = Client()
client.force_login(owner)
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""

START = """
import sys
import django
django.setup()
from django.contrib.auth.models import User
from qoldau.core.jobs import job_start
from qoldau.core.tests.worker_tasks import blocking_job
job = job_start(
    actor=User.objects.get(username="jobs.owner"),
    kind="tests.blocking",
    task=blocking_job,
    params={"gate": sys.argv[1]},
    language="en",
)
print(job.pk)
"""

# The owner's browser: the job's page, or (with "again") the button that runs it again.
# (The web processes know the tasks of the installed apps; this one's comes from the tests.)
PAGE = """
import json
import sys
import django
django.setup()
import qoldau.core.tests.worker_tasks
from django.conf import settings
from django.test import Client
client = Client()
client.cookies[settings.SESSION_COOKIE_NAME] = sys.argv[3]
client.cookies["qoldau_language"] = "en"
if sys.argv[2] == "again":
    response = client.post(f"/jobs/{sys.argv[1]}/again/")
    print(json.dumps({"status": response.status_code, "location": response.get("Location", "")}))
else:
    response = client.get(f"/jobs/{sys.argv[1]}/")
    print(json.dumps({"status": response.status_code, "html": response.content.decode()}))
"""


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QOLDAU_", "DATABASE_URL"))}
    env.update(
        QOLDAU_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'qoldau.sqlite3'}",
        DJANGO_SETTINGS_MODULE="qoldau.settings",
        QOLDAU_JOB_STALE_SECONDS=str(STALE_SECONDS),
        PYTHONUNBUFFERED="1",
    )
    return env


def script(env: dict[str, str], code: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, *args], env=env, timeout=600, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "celery"),
        "-A",
        "qoldau.celery",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        f"--hostname={name}@%h",
        "--include=qoldau.core.tests.worker_tasks",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - the project's own celery
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def job_row(database: Path, job_id: str) -> tuple[str, str]:
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT status, error FROM core_backgroundjob WHERE id = ?", (job_id.replace("-", ""),)
        ).fetchone()
    return (row[0], row[1]) if row else ("", "")


def rows_written(database: Path) -> int:
    with sqlite3.connect(database) as db:
        query = "SELECT count(*) FROM core_auditentry WHERE action = ?"
        count: int = db.execute(query, (HALF_WRITTEN,)).fetchone()[0]
    return count


def wait_for(condition: Any, what: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    worker_log = log.read_text(errors="replace")
    raise AssertionError(f"{what} did not happen in {timeout} s; the workers' log:\n{worker_log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def test_a_job_whose_worker_is_killed_is_shown_failed_and_a_new_worker_runs_it_again(tmp_path: Path) -> None:
    env = environment(tmp_path)
    database = tmp_path / "var" / "qoldau.sqlite3"
    gate = tmp_path / "gate"
    log = tmp_path / "worker.log"
    subprocess.run([str(BIN / "qoldau"), "migrate", "-v0"], env=env, check=True, timeout=300)  # noqa: S603
    session = script(env, SETUP)

    first = worker(env, "first", log)
    second: subprocess.Popen[bytes] | None = None
    try:
        job_id = script(env, START, str(gate))
        # The worker took the job and is inside its transaction, waiting at the gate.
        wait_for(lambda: job_row(database, job_id)[0] == "running", "the job's start", log)
        time.sleep(STALE_SECONDS + 1)
        # Alive all this while, silent but for its heartbeat: still running, and its page waits.
        page = json.loads(script(env, PAGE, job_id, "show", session))
        assert "hx-trigger" in page["html"]
        assert "The job did not finish" not in page["html"]
        assert job_row(database, job_id)[0] == "running"

        os.killpg(first.pid, signal.SIGKILL)
        assert first.wait(timeout=20) == -signal.SIGKILL
        # No worker runs it any more; a new one starting does not pick it up either
        # (the folder broker handed its message out already).
        second = worker(env, "second", log)
        time.sleep(STALE_SECONDS + 1)
        page = json.loads(script(env, PAGE, job_id, "show", session))
        assert page["status"] == 200
        assert "The job did not finish" in page["html"]
        # The page was read in English (see PAGE); the reason is kept as it was shown.
        with translation.override("en"):
            reason = str(WORKER_LOST)
        assert reason in page["html"]
        assert f'action="/jobs/{job_id}/again/"' in page["html"]
        assert job_row(database, job_id) == ("failed", reason)
        # What the killed run wrote in its transaction is not kept.
        assert rows_written(database) == 0

        gate.touch()
        again = json.loads(script(env, PAGE, job_id, "again", session))
        assert again["status"] == 302
        again_id = again["location"].strip("/").split("/")[-1]
        assert again_id != job_id
        wait_for(lambda: job_row(database, again_id)[0] == "succeeded", "the run again", log)
        assert rows_written(database) == 1
        assert job_row(database, job_id)[0] == "failed"
        assert "Finished" in json.loads(script(env, PAGE, again_id, "show", session))["html"]
    finally:
        stop(first)
        if second is not None:
            stop(second)
