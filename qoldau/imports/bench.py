"""The import benchmark for `qoldau bench reach`: importing delivery rows from CSV (with
validation, de-duplication and encryption) against a COPY of the same rows, as the import
writes them, into a table shaped like the real deliveries table (its columns, indexes,
checks and foreign keys), measured in the same run. Target: the import at ≥ 50 % of that
COPY's rows per second. A raw COPY of the CSV into a bare table of text columns is
measured too, as a second reference.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from qoldau.core import services as core_services
from qoldau.core.crypto import keyed_hash
from qoldau.core.identifiers import make_bin, make_iin
from qoldau.core.models import Consent, Identity, Organisation, Person, Place, RoleAssignment
from qoldau.imports.models import ImportRun
from qoldau.imports.services import ImportSource, import_deliveries, import_people
from qoldau.projects import services as project_services
from qoldau.projects.models import Project, ServiceDelivery, ServiceType

DELIVERIES_PER_PERSON = 5
REGISTERED_SHARE = 0.2
YEAR = 2025
HEADER = ["IIN", "Last name", "First name", "Service", "Date", "Quantity"]
LAST_NAMES = ["Ахметов", "Серікбаева", "Иванова", "Омаров", "Жұмабаев", "Ким", "Сейітова", "Петров"]
FIRST_NAMES = ["Айгүл", "Ерлан", "Сергей", "Әсел", "Дина", "Нұрлан", "Ирина", "Марат"]


def _fresh_iins(count: int, rng: random.Random) -> list[str]:
    """Valid IINs (check digit and date) of people not on the platform yet."""
    found: list[str] = []
    seen: set[str] = set()
    base = dt.date(1950, 1, 1)
    while len(found) < count:
        birth = base + dt.timedelta(days=rng.randrange(20_000))
        number = make_iin(birth, rng.choice("MF"), rng.randrange(5000, 10000))
        if number is not None and number not in seen:
            seen.add(number)
            found.append(number)
    hashes = [keyed_hash(n) for n in found]
    taken: set[str] = set()
    for start in range(0, len(hashes), 5000):
        taken.update(
            h
            for h in Person.objects.filter(iin_hash__in=hashes[start : start + 5000]).values_list(
                "iin_hash", flat=True
            )
            if h
        )
    return [n for n, h in zip(found, hashes, strict=True) if h not in taken]


def _organisation(name: str, region: Place) -> Organisation:
    while True:
        number = make_bin(2020, 1 + secrets.randbelow(12), secrets.randbelow(100_000))
        if number and not Organisation.objects.filter(bin=number).exists():
            break
    return core_services.organisation_create(
        actor=None, bin=number, kind=Organisation.Kind.PUBLIC_ASSOCIATION, name_kk=name, region_id=region.pk
    )


def _write_people_file(path: Path, iins: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["IIN", "Last name", "First name"])
        for i, iin in enumerate(iins):
            writer.writerow([iin, LAST_NAMES[i % 8], FIRST_NAMES[(i // 8) % 8]])


def _write_deliveries_file(path: Path, iins: list[str], rows: int, rng: random.Random) -> None:
    codes = list(ServiceType.objects.values_list("code", flat=True))
    start = dt.date(YEAR, 1, 1)
    lines: list[list[str]] = []
    for i, iin in enumerate(iins):
        last, first = LAST_NAMES[i % 8], FIRST_NAMES[(i // 8) % 8]
        for n in range(DELIVERIES_PER_PERSON):
            if len(lines) == rows:
                break
            day = start + dt.timedelta(days=(i * 7 + n * 37) % 365)
            lines.append([iin, last, first, codes[(i + n) % len(codes)], day.isoformat(), "1"])
    # Files come in date order, so the people in them come in random order.
    rng.shuffle(lines)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(lines)


def _time_bare_copy(path: Path) -> float:
    """A raw COPY of the CSV into a plain table of text columns (the second reference)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE qoldau_bench_copy (iin text, last_name text, first_name text,"
            " service text, day text, quantity text)"
        )
        started = time.perf_counter()
        with (
            cursor.cursor.copy("COPY qoldau_bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE qoldau_bench_copy")
    return seconds


# The columns the import writes, in the order the baseline's COPY sends them.
DELIVERY_COLUMNS = (
    "project_id",
    "person_id",
    "identity_id",
    "service_id",
    "delivered_on",
    "region_id",
    "district_id",
    "quantity",
    "note",
    "recorded_by_id",
    "recorded_at",
)
BASELINE_TABLE = "qoldau_bench_delivery"


def _deliveries_as_written(path: Path, project: Project, recorder_id: int) -> bytes:
    """The file's rows as the import writes them into the deliveries (the project, the
    person's record, the service, the date, the place the delivery counts in, quantity,
    note, who and when), in COPY's text format and in the file's order. Read after the
    import, which registered the people the rows point to."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = list(reader)
    services = dict(ServiceType.objects.values_list("code", "pk"))
    hashes = {iin: keyed_hash(iin) for iin in {row[0] for row in rows}}
    places: dict[str, tuple[int, int, str, str]] = {}
    home_region = project_services.project_home_region(project)
    wanted = list(hashes.values())
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), 50_000):
            cursor.execute(
                "SELECT iin_hash, id, identity_id, region_id, district_id FROM core_person"
                " WHERE organisation_id = %s AND iin_hash = ANY(%s)",
                [project.organisation_id, wanted[start : start + 50_000]],
            )
            for iin_hash, pk, identity_id, region_id, district_id in cursor.fetchall():
                if region_id is None:
                    places[iin_hash] = (pk, identity_id, str(home_region), "\\N")
                else:
                    places[iin_hash] = (
                        pk,
                        identity_id,
                        str(region_id),
                        "\\N" if district_id is None else str(district_id),
                    )
    now = timezone.now().isoformat()
    lines = []
    for iin, _last, _first, code, day, quantity in rows:
        pk, identity, region, district = places[hashes[iin]]
        lines.append(
            f"{project.pk}\t{pk}\t{identity}\t{services[code]}\t{day}\t{region}\t{district}\t{quantity}\t\t{recorder_id}\t{now}\n"
        )
    return "".join(lines).encode()


def _time_indexed_copy(data: bytes) -> float:
    """The baseline: a COPY of the rows into a new table `LIKE` the deliveries `INCLUDING
    ALL` (identity, defaults, checks, the same five indexes) with the same foreign keys,
    deferred as the real ones are; timed up to the commit, which checks the keys."""
    real = ServiceDelivery._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {BASELINE_TABLE} (LIKE {real} INCLUDING ALL)")
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [real],
        )
        for i, (definition,) in enumerate(cursor.fetchall()):
            cursor.execute(f"ALTER TABLE {BASELINE_TABLE} ADD CONSTRAINT {BASELINE_TABLE}_fk{i} {definition}")
        cursor.execute(
            "SELECT count(*) FROM pg_index WHERE indrelid IN (%s::regclass, %s::regclass) GROUP BY indrelid",
            [real, BASELINE_TABLE],
        )
        if len({n for (n,) in cursor.fetchall()}) != 1:
            raise RuntimeError("The baseline table has not the indexes of the deliveries.")
    try:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {BASELINE_TABLE} ({', '.join(DELIVERY_COLUMNS)}) FROM STDIN"
            ) as copy:
                for start in range(0, len(data), 1 << 20):
                    copy.write(data[start : start + (1 << 20)])
        seconds = time.perf_counter() - started
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
    return seconds


def bench_import_deliveries(rows: int, *, stdout: Any) -> dict[str, Any]:
    """Generate `rows` delivery rows (5 per person, 20 % of the people registered already
    by the importing organisation: other organisations' records are never matched), time
    a raw COPY of the CSV, then `import_deliveries` of the same file into a fresh project,
    then the baseline: a COPY of the rows the import wrote into a table shaped like the
    deliveries; remove everything it made afterwards (the audit rows stay: the audit log
    is append-only)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The import benchmark runs on PostgreSQL.")
    rng = random.Random(20250301)  # noqa: S311 - test data, not secrets
    people = -(-rows // DELIVERIES_PER_PERSON)
    region = Place.objects.filter(level=Place.Level.REGION).order_by("kato").first()
    if region is None:
        raise RuntimeError("The KATO regions are missing: run `qoldau migrate`.")
    tag = secrets.token_hex(4)
    user = User.objects.create_user(f"bench.import.{tag}", password=secrets.token_urlsafe(16))
    organisation = _organisation(f"Bench import {tag}", region)
    other = _organisation(f"Bench import (other) {tag}", region)
    for org in (organisation, other):
        core_services.role_assign(actor=None, user=user, role="ngo_admin", organisation=org)
    user = User.objects.get(pk=user.pk)  # a fresh scope with both roles
    project = project_services.project_create(
        actor=user,
        organisation=organisation,
        data=project_services.ProjectInput(
            title_kk=f"Bench import {tag}",
            starts_on=dt.date(YEAR, 1, 1),
            ends_on=dt.date(YEAR, 12, 31),
            funding_source="own_funds",
            region_ids=[region.pk],
        ),
    )
    iins = _fresh_iins(people, rng)
    hashes = [keyed_hash(n) for n in iins]
    with tempfile.TemporaryDirectory() as folder:
        try:
            registered = iins[: int(len(iins) * REGISTERED_SHARE)]
            people_path = Path(folder) / "people.csv"
            _write_people_file(people_path, registered)
            import_people(
                actor=user, organisation=organisation, source=ImportSource(people_path, "people.csv")
            )
            path = Path(folder) / "deliveries.csv"
            _write_deliveries_file(path, iins, rows, rng)
            stdout.write(
                f"  import benchmark: {rows:,} rows, {len(iins):,} people, {len(registered):,} registered; "
                f"the deliveries table holds {ServiceDelivery.objects.count():,} rows before"
            )
            bare_copy_seconds = _time_bare_copy(path)
            stages: dict[str, float] = {}

            def progress(stage: str, done: int, total: int) -> None:
                stages.setdefault(stage, time.perf_counter())

            started = time.perf_counter()
            report = import_deliveries(
                actor=user, project=project, source=ImportSource(path, "deliveries.csv"), progress=progress
            )
            import_seconds = time.perf_counter() - started
            # Where the time went: each stage lasts until the next one starts.
            marks = [*sorted(stages.items(), key=lambda item: item[1]), ("end", started + import_seconds)]
            stage_seconds = {
                stage: round(marks[i + 1][1] - at, 2) for i, (stage, at) in enumerate(marks[:-1])
            }
            stdout.write(f"  import stages, seconds: {stage_seconds}")
            if report.deliveries_written != rows:
                raise RuntimeError(f"imported {report.deliveries_written} rows of {rows}")
            copy_seconds = _time_indexed_copy(_deliveries_as_written(path, project, user.pk))
        finally:
            _clean_up(project=project, organisations=[organisation, other], user=user, hashes=hashes)
    return {
        "rows": rows,
        "copy_seconds": copy_seconds,
        "bare_copy_seconds": bare_copy_seconds,
        "import_seconds": import_seconds,
        "copy_rows_per_s": rows / copy_seconds,
        "bare_copy_rows_per_s": rows / bare_copy_seconds,
        "import_rows_per_s": rows / import_seconds,
        "ratio": copy_seconds / import_seconds,
        "bare_ratio": bare_copy_seconds / import_seconds,
        "stage_seconds": stage_seconds,
    }


def _clean_up(*, project: Project, organisations: list[Organisation], user: User, hashes: list[str]) -> None:
    with transaction.atomic():
        ServiceDelivery.objects.filter(project=project).delete()
        ImportRun.objects.filter(organisation__in=organisations).delete()
        Consent.objects.filter(organisation__in=organisations).delete()
        with connection.cursor() as cursor:
            # Raw: the ORM would load (and decrypt) every person before deleting them.
            # Only people made from this run's IINs, all of which were new when it began.
            table = connection.ops.quote_name(Person._meta.db_table)
            identities = connection.ops.quote_name(Identity._meta.db_table)
            for start in range(0, len(hashes), 50_000):
                cursor.execute(
                    f"DELETE FROM {table} WHERE iin_hash = ANY(%s)",  # noqa: S608 - our table's name
                    [hashes[start : start + 50_000]],
                )
                cursor.execute(
                    f"DELETE FROM {identities} WHERE iin_hash = ANY(%s)",  # noqa: S608 - our table's name
                    [hashes[start : start + 50_000]],
                )
        project.regions.clear()
        project.districts.clear()
        project.target_categories.clear()
        Project.objects.filter(pk=project.pk).delete()
        RoleAssignment.objects.filter(user=user).delete()
        Organisation.objects.filter(pk__in=[o.pk for o in organisations]).delete()
        user.delete()
