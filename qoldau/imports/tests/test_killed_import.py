"""An import killed half-way (kill -9) leaves nothing half-written, and running it again
imports everything. Run in separate processes, as an administrator would run `qoldau
import` on a server: against a file-based SQLite database, and on PostgreSQL against the
test database, where the import's encrypting workers must end with it."""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from qoldau.core.bulk_encryption import POOL_FROM
from qoldau.core.identifiers import make_iin
from qoldau.core.models import Consent, Person
from qoldau.core.tests import factories
from qoldau.imports.models import ImportRun
from qoldau.imports.services import STAGE_LABELS, STAGE_WRITING
from qoldau.imports.tests.files import write_csv
from qoldau.projects.models import ServiceDelivery
from qoldau.projects.tests import factories as project_factories

QOLDAU = str(Path(sys.executable).with_name("qoldau"))
PEOPLE = 8_000
DELIVERIES_EACH = 5

SETUP = """
import django
django.setup()
from qoldau.core.tests import factories
from qoldau.projects.tests import factories as project_factories
organisation = factories.organisation()
factories.user("admin", "system_admin")
ngo_admin = factories.user("ngo.admin", "ngo_admin", org=organisation)
print(project_factories.project(ngo_admin, organisation).pk)
"""


def environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QOLDAU_", "DATABASE_URL"))}
    env.update(
        QOLDAU_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'qoldau.sqlite3'}",
        DJANGO_SETTINGS_MODULE="qoldau.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def deliveries_file(path):
    rows = []
    serial = 0
    services = ["legal_consultation", "social_consultation", "debt_counselling"]
    for person in range(PEOPLE):
        iin = None
        while iin is None:
            serial += 1
            iin = make_iin(dt.date(1960, 1, 1) + dt.timedelta(days=person % 15000), "MF"[person % 2], serial)
        for n in range(DELIVERIES_EACH):
            day = dt.date(2025, 1, 1) + dt.timedelta(days=(person + 7 * n) % 360)
            rows.append([iin, f"Тегі{person}", f"Аты{person}", "", services[n % 3], day.isoformat(), "1"])
    header = ["IIN", "Last name", "First name", "Patronymic", "Service", "Date", "Quantity"]
    return write_csv(path, header, rows)


def counts(database):
    with sqlite3.connect(database) as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in ("projects_servicedelivery", "core_person", "core_consent", "imports_importrun")
        }


def test_an_import_killed_while_writing_leaves_nothing_and_a_rerun_imports_everything(tmp_path):
    env = environment(tmp_path)
    database = tmp_path / "var" / "qoldau.sqlite3"
    subprocess.run([QOLDAU, "migrate", "-v0"], env=env, check=True, timeout=600)  # noqa: S603
    setup = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP], env=env, check=True, timeout=600, capture_output=True, text=True
    )
    project_id = setup.stdout.strip().splitlines()[-1]
    path = deliveries_file(tmp_path / "deliveries.csv")
    command = [QOLDAU, "import", "deliveries", str(path), "--project", project_id]
    with translation.override(settings.LANGUAGE_CODE):
        writing = str(STAGE_LABELS[STAGE_WRITING])

    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    seen = []
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if writing in line:
            os.kill(process.pid, signal.SIGKILL)
            break
    assert process.wait(timeout=60) == -signal.SIGKILL, (
        seen,
        process.stderr.read() if process.stderr else "",
    )
    assert counts(database) == {
        "projects_servicedelivery": 0,
        "core_person": 0,
        "core_consent": 0,
        "imports_importrun": 0,
    }

    rerun = subprocess.run(command, env=env, timeout=300, capture_output=True, text=True)  # noqa: S603
    assert rerun.returncode == 0, rerun.stderr
    assert counts(database) == {
        "projects_servicedelivery": PEOPLE * DELIVERIES_EACH,
        "core_person": PEOPLE,
        "core_consent": PEOPLE,
        "imports_importrun": 1,
    }


def children_of(pid):
    """The processes `pid` started, from /proc (the encrypting workers and multiprocessing's
    resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL path: COPY and encrypting workers"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")  # the flush after a transactional test empties it
def test_on_postgresql_an_import_killed_while_its_workers_encrypt_leaves_nothing_and_no_process(tmp_path):
    organisation = factories.organisation()
    ngo_admin = factories.user("ngo.admin", "ngo_admin", org=organisation)
    project = project_factories.project(ngo_admin, organisation)
    env = environment(tmp_path)
    # The subprocess writes to this test's own database, where the rows above are committed.
    db = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    path = deliveries_file(tmp_path / "deliveries.csv")
    assert PEOPLE * 3 >= POOL_FROM  # IIN, last and first name: enough values for the workers
    command = [QOLDAU, "import", "deliveries", str(path), "--project", str(project.pk), "--user", "ngo.admin"]
    with translation.override(settings.LANGUAGE_CODE):
        writing = str(STAGE_LABELS[STAGE_WRITING])

    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    assert process.stdout is not None
    seen, children = [], []
    for line in process.stdout:
        seen.append(line)
        if writing in line:
            # Writing has begun; the workers encrypt the new people meanwhile.
            children = children_of(process.pid)
            os.kill(process.pid, signal.SIGKILL)
            break
    assert process.wait(timeout=60) == -signal.SIGKILL, (
        seen,
        process.stderr.read() if process.stderr else "",
    )
    assert children, "the workers had not started"
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{child}").exists() for child in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [child for child in children if Path(f"/proc/{child}").exists()]
    written = (ServiceDelivery.objects.count(), Person.objects.count(), Consent.objects.count())
    assert (*written, ImportRun.objects.count()) == (0, 0, 0, 0)

    rerun = subprocess.run(command, env=env, timeout=300, capture_output=True, text=True)  # noqa: S603
    assert rerun.returncode == 0, rerun.stderr
    written = (ServiceDelivery.objects.count(), Person.objects.count(), Consent.objects.count())
    assert (*written, ImportRun.objects.count()) == (PEOPLE * DELIVERIES_EACH, PEOPLE, PEOPLE, 1)
