"""`make fuzz`: schemathesis against a live Qoldau, over the whole OpenAPI document.

A fresh embedded Qoldau (SQLite under var/fuzz/) is migrated and loaded with the demo
(fewer infrastructure objects than `qoldau demo`, for time), served by gunicorn, and every
operation of /api/v1/openapi.json is tested twice: signed in with a Bearer token as the
system administrator and as an NGO staff member (qorgan.staff). Every phase runs
(examples, coverage, fuzzing, stateful) with a fixed seed and a bounded number of examples,
so a run is reproducible and takes a few minutes. Path ids, codes and KATO numbers are
drawn most of the time from the demo's own records (schemathesis dictionaries), so the
generated requests reach the handlers instead of stopping at "not found".

The run fails on any 5xx answer: schemathesis's not_a_server_error check, and a count of
the 5xx lines in the server's access log (var/fuzz/server.log) as a second witness.

Settings (environment): FUZZ_MAX_EXAMPLES (default 10), FUZZ_SEED (default 20251207),
FUZZ_ACCESS_OBJECTS (default 300), FUZZ_PORT (default: a free port).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "fuzz"
ROLES = {"administrator": "admin", "NGO staff": "qorgan.staff"}
PHASES = "examples,coverage,fuzzing,stateful"
# Share of generated values taken from the demo's records (the rest stays random).
KNOWN_SHARE = 0.8


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "ids":
        print(json.dumps(collect_ids()))  # noqa: T201 - read by the parent process
        return 0
    max_examples = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
    seed = int(os.environ.get("FUZZ_SEED", "20251207"))
    port = int(os.environ.get("FUZZ_PORT") or free_port())
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qoldau.settings",
        "QOLDAU_VAR_DIR": str(VAR),
        "DATABASE_URL": f"sqlite:///{VAR / 'qoldau.sqlite3'}",
        # No worker process: a background job runs inside the request.
        "QOLDAU_TASKS_EAGER": "true",
        "QOLDAU_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("QOLDAU_REDIS_URL", None)
    say("Preparing a fresh Qoldau on SQLite in var/fuzz/ (migrations and the demo)")
    run([str(BIN / "qoldau"), "migrate", "--no-input", "-v", "0"], env)
    access_objects = os.environ.get("FUZZ_ACCESS_OBJECTS", "300")
    run([str(BIN / "qoldau"), "demo", "--no-progress", "--access-objects", access_objects], env, quiet=True)
    tokens = {role: token_for(username, env) for role, username in ROLES.items()}
    ids = json.loads(run([str(BIN / "python"), __file__, "ids"], env, capture=True))
    config = VAR / "schemathesis.toml"
    config.write_text(schemathesis_config(ids), encoding="utf-8")

    log = (VAR / "server.log").open("w", encoding="utf-8")
    serve = [str(BIN / "qoldau"), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-worker"]
    server = subprocess.Popen(  # noqa: S603 - our own console command
        [*serve, "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    failed = False
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/health")
        for role, token in tokens.items():
            say(f"schemathesis as {role}: every phase, {max_examples} examples per operation, seed {seed}")
            code = subprocess.call(  # noqa: S603 - the pinned schemathesis
                [
                    str(BIN / "schemathesis"),
                    "--config-file",
                    str(config),
                    "run",
                    f"{base}/api/v1/openapi.json",
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    "not_a_server_error",
                    "--phases",
                    PHASES,
                    "--max-examples",
                    str(max_examples),
                    "--seed",
                    str(seed),
                    "--workers",
                    "1",
                    "--generation-database",
                    "none",
                    "--request-timeout",
                    "60",
                    "--no-color",
                    "--report",
                    "junit",
                    "--report-junit-path",
                    str(VAR / f"junit-{ROLES[role]}.xml"),
                ],
                env=env,
                # Its cache of failures to replay stays with the run, out of the working tree.
                cwd=VAR,
            )
            failed = failed or code != 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    access_log = (VAR / "server.log").read_text(encoding="utf-8").splitlines()
    server_errors = [line for line in access_log if _5XX.search(line)]
    if server_errors:
        say(f"The server answered {len(server_errors)} requests with 5xx:")
        for line in server_errors[:20]:
            print(f"  {line}")  # noqa: T201
        failed = True
    say("fuzz: FAILED" if failed else "fuzz: no server error")
    return 1 if failed else 0


# gunicorn's access log: ... "GET /api/v1/... HTTP/1.1" 500 123 ...
_5XX = re.compile(r'" 5\d\d ')


def say(text: str) -> None:
    print(f"== {text}", flush=True)  # noqa: T201


def run(command: list[str], env: dict[str, str], *, capture: bool = False, quiet: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 - our own commands
        command, env=env, check=True, text=True, capture_output=capture or quiet, cwd=ROOT
    )
    return result.stdout if capture else ""


def token_for(username: str, env: dict[str, str]) -> str:
    output = run([str(BIN / "qoldau"), "token", "create", username, "--name", "fuzz"], env, capture=True)
    return output.strip().splitlines()[-1].strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def collect_ids() -> dict[str, list[object]]:
    """Ids and codes of the demo's records, by the name of the parameter that takes them."""
    import django

    django.setup()
    from django.contrib.auth.models import User

    from qoldau.contests.models import (
        ApplicantKind,
        Application,
        Commission,
        Contest,
        Criterion,
        GrantAward,
        GrantBandKind,
        GrantCall,
        GranteeReport,
        Tranche,
    )
    from qoldau.core.models import Organisation, Person, PersonCategory, Place, VulnerabilityCategory
    from qoldau.projects.models import Event, FundingSource, Indicator, Project, ServiceType

    def pks(queryset: Any, limit: int = 20) -> list[object]:
        return list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])

    qorgan = Organisation.objects.filter(staff__user__username="qorgan.staff").first()
    served = pks(Person.objects.filter(consents__organisation=qorgan))
    people = list(dict.fromkeys(served + pks(Person.objects, 5)))
    regions = Place.objects.filter(level=Place.Level.REGION)
    return {
        "people": people,
        "memberships": pks(PersonCategory.objects.filter(person_id__in=people)),
        "organisations": pks(Organisation.objects.all()),
        # The impact report takes an organisation as text: its id or BIN.
        "organisation_refs": [str(pk) for pk in pks(Organisation.objects.all(), 10)],
        "projects": pks(Project.objects.all()),
        "indicators": pks(Indicator.objects.all()),
        "events": pks(Event.objects.all()),
        "contests": pks(Contest.objects.all()),
        "commissions": pks(Commission.objects.all()),
        "applications": pks(Application.objects.all(), 40),
        "calls": pks(GrantCall.objects.all()),
        "awards": pks(GrantAward.objects.all()),
        "tranches": pks(Tranche.objects.all()),
        "reports": pks(GranteeReport.objects.all()),
        "criteria": pks(Criterion.objects.all()),
        "regions": pks(regions),
        "districts": pks(Place.objects.filter(level=Place.Level.DISTRICT)),
        "katos": list(regions.exclude(kato=None).values_list("kato", flat=True)),
        "categories": list(VulnerabilityCategory.objects.values_list("code", flat=True)),
        "services": list(ServiceType.objects.values_list("code", flat=True)),
        "kinds": [*Organisation.Kind.values, *Event.Kind.values],
        "funding_sources": list(FundingSource.values),
        "applicant_kinds": list(ApplicantKind.values),
        "bands": list(GrantBandKind.values),
        "levels": ["regional", "republican"],
        "usernames": list(User.objects.order_by("pk").values_list("username", flat=True)[:20]),
    }


# Which dictionary feeds which parameter (schemathesis binds "path.x", "query.x", "body.a.b").
BINDINGS = {
    "people": ["path.person_id", "body.person_id", "body.person_ids[*]", "body.attendee_ids[*]"],
    "memberships": ["path.membership_id"],
    "organisations": ["path.organisation_id", "body.organisation_id", "body.operator_id"],
    "organisation_refs": ["query.organisation"],
    "projects": ["path.project_id", "body.project_id", "query.project"],
    "indicators": ["path.indicator_id", "body.indicator_values[*].indicator_id"],
    "events": ["path.event_id"],
    "contests": ["path.contest_id"],
    "commissions": ["path.commission_id"],
    "applications": ["path.application_id"],
    "calls": ["path.call_id"],
    "awards": ["path.award_id"],
    "tranches": ["path.tranche_id"],
    "reports": ["path.report_id"],
    "criteria": ["body.scores[*].criterion_id"],
    "regions": ["body.region_id", "body.region_ids[*]"],
    "districts": ["body.district_id", "body.district_ids[*]", "query.district"],
    "katos": ["body.region", "body.regions[*]", "query.region"],
    "categories": ["body.category", "body.categories[*]", "query.category"],
    "services": ["body.service"],
    "kinds": ["body.kind"],
    "funding_sources": ["body.funding_source", "query.funding_source"],
    "applicant_kinds": ["body.applicant_kind", "body.eligible_kinds[*]"],
    "bands": ["body.band", "body.bands[*]"],
    "levels": ["path.level"],
    "usernames": ["body.username"],
}


def schemathesis_config(ids: dict[str, list[object]]) -> str:
    lines = ["# Written by scripts/fuzz.py from the demo's records.", ""]
    for name, values in ids.items():
        if values and name in BINDINGS:
            lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    for name, keys in BINDINGS.items():
        if ids.get(name):
            for key in keys:
                lines.append(f'"{key}" = {{ dictionary = "{name}", probability = {KNOWN_SHARE} }}')
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
