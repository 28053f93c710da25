"""Imports of people and service deliveries from .xlsx and .csv files.

The page, the Celery task and `qoldau import` all call these two services, so the same
file gives the same answer whichever way it comes in. Each service:

- reads and checks every row first, and reports every bad row with its number, column
  and reason (a dry run stops there and writes nothing);
- writes in ONE transaction: all of the file or, on any bad row, nothing; a process
  killed half-way leaves nothing half-written, since the transaction never commits;
- is idempotent: people are found by the IIN's keyed hash, a consent already active is
  kept, a delivery already recorded (same project, person, service and date) is counted
  "unchanged"; a file already imported into the same place is not written again;
- writes one audit row with the counts (never personal data), and an `ImportRun`.

Deliveries are written set-based: on PostgreSQL through COPY into a temporary table and
one INSERT … SELECT … ON CONFLICT DO NOTHING, elsewhere with batched INSERT OR IGNORE.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qoldau.core.audit import audit_record
from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import ValidationFailed
from qoldau.core.models import Consent, Organisation, Person, PersonCategory
from qoldau.core.services import (
    Actor,
    acting_user,
    identities_for_hashes,
    identities_without_iin,
)
from qoldau.imports import policy
from qoldau.imports.models import ImportKind, ImportRun
from qoldau.imports.readers import ColumnMatch, match_columns, open_table
from qoldau.imports.selectors import import_run_of_file
from qoldau.imports.validation import (
    CheckedDeliveries,
    ErrorList,
    PersonRow,
    RowError,
    check_delivery_rows,
    check_people_rows,
)
from qoldau.projects.models import Project, ServiceDelivery
from qoldau.projects.services import project_home_region, reach_mark_stale

# Stages an import reports its progress in, in this order.
STAGE_READING = "reading"
STAGE_PEOPLE = "people"
STAGE_WRITING = "writing"
STAGE_LABELS = {
    STAGE_READING: _("Reading and checking the rows…"),
    STAGE_PEOPLE: _("Registering new people…"),
    STAGE_WRITING: _("Writing…"),
}

ProgressReport = Callable[[str, int, int], None]

LOOKUP_BATCH = 5000
WRITE_BATCH = 5000
ERRORS_IN_RESULT = 500


@dataclass(frozen=True)
class ImportSource:
    """A file to import: where it is, the name it was given, and optionally what each of
    its columns holds (a field name, or "" to leave the column out)."""

    path: Path
    name: str
    mapping: tuple[str, ...] | None = None


@dataclass
class ImportReport:
    """What an import found (dry run) or did (write)."""

    kind: str
    dry_run: bool
    file_name: str
    file_sha256: str
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_total: int = 0
    error_rows: int = 0
    people_created: int = 0
    people_linked: int = 0
    people_unchanged: int = 0
    deliveries_written: int = 0
    unchanged: int = 0
    already_imported_on: dt.datetime | None = None
    columns_ignored: list[str] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return self.total - self.error_rows

    def as_result(self) -> dict[str, Any]:
        """The report as a job keeps it (JSON); reasons stay codes, rendered when shown."""
        return {
            "kind": str(self.kind),
            "dry_run": self.dry_run,
            "file_name": self.file_name,
            "total": self.total,
            "valid": self.valid,
            "errors_total": self.errors_total,
            "error_rows": self.error_rows,
            "errors": [e.as_list() for e in self.errors[:ERRORS_IN_RESULT]],
            "people_created": self.people_created,
            "people_linked": self.people_linked,
            "people_unchanged": self.people_unchanged,
            "deliveries_written": self.deliveries_written,
            "unchanged": self.unchanged,
            "already_imported_on": self.already_imported_on.isoformat() if self.already_imported_on else None,
            "columns_ignored": self.columns_ignored,
        }

    def _take_errors(self, errors: ErrorList) -> None:
        self.errors = errors.sorted()
        self.errors_total = errors.count
        self.error_rows = len(errors.rows)


class ImportRejected(ValidationFailed):
    """Some rows are bad: nothing was written. `report.errors` lists them."""

    code = "import_rejected"

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            _("Nothing was imported. Rows with errors: %(rows)s. Correct them and import the file again."),
            params={"rows": report.error_rows},
        )
        self.report = report


P = ParamSpec("P")
R = TypeVar("R")


def _without_gc_pauses(function: Callable[P, R]) -> Callable[P, R]:
    """Run an import with the cyclic garbage collector paused: it builds millions of
    tuples (no cycles among them), and each collection would walk all of them again, a
    third of the time of checking a large file. Collection resumes afterwards."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _stage(progress: ProgressReport | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def _columns(
    kind: str, header: list[str], mapping: Sequence[str] | None, report: ImportReport
) -> ColumnMatch:
    columns = match_columns(kind, header, mapping)
    columns.check()
    report.columns_ignored = [columns.header[i] for i, name in enumerate(columns.fields) if not name]
    return columns


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class KnownPerson:
    pk: int
    region_id: int | None
    district_id: int | None


def _people_by_hash(organisation: Organisation, hashes: Sequence[str]) -> dict[str, KnownPerson]:
    """The organisation's own records of people, by IIN hash, in a few queries
    (PostgreSQL: 50,000 hashes as one array parameter; elsewhere LOOKUP_BATCH hashes per
    IN list). Other organisations' records are never looked at: whether another one
    serves a person changes nothing an import does or reports."""
    found: dict[str, KnownPerson] = {}
    if connection.vendor == "postgresql":
        columns = ", ".join(_column(Person, name) for name in ("id", "iin_hash", "region", "district"))
        with connection.cursor() as cursor:
            for chunk in _chunks(hashes, 50_000):
                cursor.execute(
                    f"SELECT {columns} FROM {_table(Person)} WHERE {_column(Person, 'organisation')} = %s"  # noqa: S608 - our own names
                    f" AND {_column(Person, 'iin_hash')} = ANY(%s)",
                    [organisation.pk, list(chunk)],
                )
                for pk, iin_hash, region_id, district_id in cursor.fetchall():
                    found[iin_hash] = KnownPerson(pk, region_id, district_id)
        return found
    for chunk in _chunks(hashes, LOOKUP_BATCH):
        for pk, iin_hash, region_id, district_id in Person.objects.filter(
            organisation=organisation, iin_hash__in=chunk
        ).values_list("pk", "iin_hash", "region_id", "district_id"):
            if iin_hash:
                found[iin_hash] = KnownPerson(pk, region_id, district_id)
    return found


def _served(organisation: Organisation, person_ids: Iterable[int]) -> set[int]:
    """Those of the people with an active consent with the organisation."""
    served: set[int] = set()
    for chunk in _chunks(list(person_ids), LOOKUP_BATCH):
        served.update(
            Consent.objects.filter(
                organisation=organisation, withdrawn_on__isnull=True, person_id__in=chunk
            ).values_list("person_id", flat=True)
        )
    return served


def _model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, models.Field):
        raise TypeError(name)
    return model_field


def _column(model: type[models.Model], name: str) -> str:
    """A model field's quoted column name, for the set-based SQL below."""
    return connection.ops.quote_name(_model_field(model, name).column)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _copy_text(value: str) -> str:
    """A value for PostgreSQL's COPY text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


@dataclass(frozen=True)
class NewPerson:
    """A person an import registers (clear values; the model's fields encrypt them)."""

    iin: str | None
    iin_hash: str | None
    last_name: str
    first_name: str
    patronymic: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    phone: str = ""
    no_iin_reason: str = ""
    region_id: int | None = None
    district_id: int | None = None

    def model(self, organisation_id: int, identity_id: int) -> Person:
        return Person(
            organisation_id=organisation_id,
            identity_id=identity_id,
            iin=self.iin,
            iin_hash=self.iin_hash,
            last_name=self.last_name,
            first_name=self.first_name,
            patronymic=self.patronymic,
            birth_date=self.birth_date,
            sex=self.sex,
            phone=self.phone,
            no_iin_reason=self.no_iin_reason,
            region_id=self.region_id,
            district_id=self.district_id,
        )


def _create_people(
    organisation: Organisation,
    people: list[NewPerson],
    report_progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, int], list[int]]:
    """Insert the organisation's new records of people; returns the ids of those with an
    IIN by IIN hash, and the ids of those without, in their order. Each record gets its
    IIN's identity (shared with other organisations' records of the same IIN, made when
    new) or, without an IIN, an identity of its own.

    People with an IIN are inserted skipping a clash on the organisation's IIN hash
    (somebody registered the same person meanwhile): they are missing from the ids
    returned, and the caller looks them up. People without an IIN cannot clash."""
    with_iin = [p for p in people if p.iin_hash]
    without_iin = [p for p in people if not p.iin_hash]
    identities = identities_for_hashes([p.iin_hash for p in with_iin if p.iin_hash])
    total = len(people)
    done = 0
    if connection.vendor == "postgresql" and with_iin:
        by_hash = _insert_people_postgresql(organisation, with_iin, identities, report_progress, total)
        done = len(with_iin)
    else:
        for chunk in _chunks(with_iin, WRITE_BATCH):
            Person.objects.bulk_create(
                [p.model(organisation.pk, identities[p.iin_hash or ""]) for p in chunk], ignore_conflicts=True
            )
            done += len(chunk)
            if report_progress is not None:
                report_progress(done, total)
        # One writer at a time on SQLite: every hash found was inserted just now.
        found = _people_by_hash(organisation, [p.iin_hash for p in with_iin if p.iin_hash])
        by_hash = {iin_hash: person.pk for iin_hash, person in found.items()}
    without_ids: list[int] = []
    for chunk in _chunks(without_iin, WRITE_BATCH):
        own = identities_without_iin(len(chunk))
        models_ = Person.objects.bulk_create(
            [p.model(organisation.pk, identity) for p, identity in zip(chunk, own, strict=True)]
        )
        without_ids.extend(int(m.pk) for m in models_)
        done += len(chunk)
        if report_progress is not None:
            report_progress(done, total)
    return by_hash, without_ids


def _insert_people_postgresql(
    organisation: Organisation,
    people: list[NewPerson],
    identities: dict[str, int],
    report_progress: Callable[[int, int], None] | None,
    total: int,
) -> dict[str, int]:
    """COPY people into a temporary table, then one INSERT … ON CONFLICT DO NOTHING
    RETURNING their ids. The personal fields are encrypted by their model fields'
    `get_prep_value`, exactly as on any other save; the columns left out get the values
    a new person has (no note, version 1, created now)."""
    encrypted = {
        name: _model_field(Person, name).get_prep_value
        for name in ("iin", "last_name", "first_name", "patronymic", "phone")
    }
    enc_iin, enc_last, enc_first, enc_patronymic, enc_phone = encrypted.values()
    names = ", ".join(
        _column(Person, name)
        for name in (
            "organisation",
            "identity",
            "iin",
            "iin_hash",
            "no_iin_reason",
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "sex",
            "phone",
            "region",
            "district",
            "no_iin_note",
            "created_at",
            "updated_at",
            "version",
        )
    )
    by_hash: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE qoldau_import_person (identity_id bigint, iin text, iin_hash text,"
            " no_iin_reason text,"
            " last_name text, first_name text, patronymic text, birth_date date, sex text, phone text,"
            " region_id bigint, district_id bigint) ON COMMIT DROP"
        )
        done = 0
        with cursor.cursor.copy("COPY qoldau_import_person FROM STDIN") as copy:
            for p in people:
                copy.write_row(
                    (
                        identities[p.iin_hash or ""],
                        enc_iin(p.iin),
                        p.iin_hash,
                        p.no_iin_reason,
                        enc_last(p.last_name),
                        enc_first(p.first_name),
                        enc_patronymic(p.patronymic),
                        p.birth_date,
                        p.sex,
                        enc_phone(p.phone),
                        p.region_id,
                        p.district_id,
                    )
                )
                done += 1
                if report_progress is not None and done % 20_000 == 0:
                    report_progress(done, total)
        now = timezone.now()
        cursor.execute(
            f"INSERT INTO {_table(Person)} ({names})"  # noqa: S608 - our own names
            " SELECT %s, identity_id, iin, iin_hash, no_iin_reason, last_name, first_name, patronymic,"
            " birth_date, sex, phone, region_id, district_id, '', %s, %s, 1 FROM qoldau_import_person"
            " ORDER BY iin_hash"
            f" ON CONFLICT DO NOTHING RETURNING {_column(Person, 'id')}, {_column(Person, 'iin_hash')}",
            [organisation.pk, now, now],
        )
        for pk, iin_hash in cursor.fetchall():
            by_hash[iin_hash] = pk
        cursor.execute("DROP TABLE qoldau_import_person")
    if report_progress is not None:
        report_progress(done, total)
    return by_hash


def _add_consents(*, actor: Actor, organisation: Organisation, given_on: dict[int, dt.date]) -> int:
    """Give the organisation an active consent from each person who has none; returns
    how many were added (a consent already active, or added meanwhile by someone else,
    is kept as it is: the unique index of active consents skips it)."""
    recorder = acting_user(actor)
    if connection.vendor == "postgresql":
        person_ids = list(given_on)
        columns = ", ".join(
            _column(Consent, name)
            for name in ("person", "organisation", "given_on", "recorded_by", "recorded_at")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_table(Consent)} ({columns})"  # noqa: S608 - our own names
                " SELECT person_id, %s, given_on, %s, %s"
                " FROM unnest(%s::bigint[], %s::date[]) AS given (person_id, given_on)"
                " ORDER BY person_id ON CONFLICT DO NOTHING",
                [
                    organisation.pk,
                    recorder.pk if recorder is not None else None,
                    timezone.now(),
                    person_ids,
                    [given_on[pid] for pid in person_ids],
                ],
            )
            return int(cursor.rowcount)
    served = _served(organisation, given_on)
    missing = [pid for pid in given_on if pid not in served]
    for chunk in _chunks(missing, WRITE_BATCH):
        Consent.objects.bulk_create(
            [
                Consent(
                    person_id=pid, organisation=organisation, given_on=given_on[pid], recorded_by=recorder
                )
                for pid in chunk
            ],
            ignore_conflicts=True,
        )
    return len(missing)


# Deliveries -------------------------------------------------------------------------------


@_without_gc_pauses
def import_deliveries(
    *,
    actor: Actor,
    project: Project,
    source: ImportSource,
    dry_run: bool = False,
    progress: ProgressReport | None = None,
    job_id: str | None = None,
) -> ImportReport:
    """Import a file of service deliveries into a project, all or nothing.

    One row is one delivery: IIN, service (code or name in any language), date inside
    the project's period, quantity (default 1), note; last, first name and patronymic are
    needed only for a person not registered yet, who is registered with consent to the
    project's organisation dated their first delivery. A registered person without an
    active consent with the organisation is given one. Each delivery counts where
    `participation_place` says. A delivery already recorded is "unchanged".

    Raises PermissionDenied unless the actor works for the project's organisation,
    ImportFileError for a file that cannot be imported at all, and ImportRejected (with
    every bad row) when a row is bad; in all three cases nothing is written. A dry run
    returns the same report, bad rows included, and writes nothing.
    """
    organisation = project.organisation
    policy.check_may_import_into_organisation(actor, organisation)
    report = ImportReport(
        kind=ImportKind.DELIVERIES,
        dry_run=dry_run,
        file_name=source.name,
        file_sha256=file_sha256(source.path),
    )
    previous = import_run_of_file(
        kind=ImportKind.DELIVERIES,
        file_sha256=report.file_sha256,
        organisation_id=organisation.pk,
        project_id=project.pk,
    )
    if previous is not None and not dry_run:
        # The same bytes were written into this project already: nothing can change.
        report.already_imported_on = previous.created_at
        report.total = report.unchanged = previous.rows
        return report
    if previous is not None:
        report.already_imported_on = previous.created_at

    with open_table(source.path, source.name) as table:
        columns = _columns(ImportKind.DELIVERIES, table.header, source.mapping, report)
        checked = check_delivery_rows(table, columns, project, _stage(progress, STAGE_READING))
    report.total = checked.total

    hashes = {iin: keyed_hash(iin) for iin in checked.people}
    known = _people_by_hash(organisation, list(hashes.values()))
    unnamed = {iin for iin, seen in checked.people.items() if hashes[iin] not in known and seen.names is None}
    if unnamed:
        names_column = columns.column_name("full_name" if "full_name" in columns.fields else "last_name")
        for number, iin, *_rest in checked.rows:
            if iin in unnamed:
                checked.errors.add(number, names_column, "person_unknown")
    report._take_errors(checked.errors)

    if dry_run:
        _forecast_deliveries(report, checked, project, hashes, known)
        return report
    if report.errors_total:
        raise ImportRejected(report)

    with transaction.atomic():
        _write_deliveries(
            report=report,
            actor=actor,
            project=project,
            checked=checked,
            hashes=hashes,
            known=known,
            progress=progress,
        )
        _record_import(
            actor=actor,
            kind=ImportKind.DELIVERIES,
            report=report,
            file_name=source.name,
            organisation=organisation,
            project=project,
            job_id=job_id,
        )
    return report


def _record_import(
    *,
    actor: Actor,
    kind: str,
    report: ImportReport,
    file_name: str,
    organisation: Organisation,
    project: Project | None,
    job_id: str | None,
) -> None:
    """The import's history row (which makes a second import of the file a no-op) and
    its audit row, with the counts and never a person's data."""
    ImportRun.objects.create(
        kind=kind,
        file_sha256=report.file_sha256,
        file_name=file_name[:255],
        organisation=organisation,
        project=project,
        user=acting_user(actor),
        rows=report.total,
        people_created=report.people_created,
        people_linked=report.people_linked,
        deliveries_written=report.deliveries_written,
        unchanged=report.unchanged,
        job_id=job_id,
    )
    details: dict[str, Any] = {
        "rows": report.total,
        "people_created": report.people_created,
        "people_linked": report.people_linked,
        "unchanged": report.unchanged,
        "file_sha256": report.file_sha256,
    }
    if project is not None:
        details["deliveries_written"] = report.deliveries_written
    audit_record(
        actor,
        "imports.deliveries" if project is not None else "imports.people",
        object_type="project" if project is not None else "organisation",
        object_id=project.pk if project is not None else organisation.pk,
        organisation_id=organisation.pk,
        details=details,
    )


def _forecast_deliveries(
    report: ImportReport,
    checked: CheckedDeliveries,
    project: Project,
    hashes: dict[str, str],
    known: dict[str, KnownPerson],
) -> None:
    """What writing the valid rows would do, without writing."""
    valid_people = {iin for iin, seen in checked.people.items() if hashes[iin] in known or seen.names}
    report.people_created = sum(1 for iin in valid_people if hashes[iin] not in known)
    known_ids = {known[hashes[iin]].pk for iin in valid_people if hashes[iin] in known}
    report.people_linked = len(known_ids - _served(project.organisation, known_ids))
    recorded: set[tuple[int, int, dt.date]] = set()
    if known_ids and ServiceDelivery.objects.filter(project=project).exists():
        for chunk in _chunks(list(known_ids), LOOKUP_BATCH):
            recorded.update(
                ServiceDelivery.objects.filter(project=project, person_id__in=chunk).values_list(
                    "person_id", "service_id", "delivered_on"
                )
            )
    writable = unchanged = 0
    for _number, iin, service_id, day, _quantity, _note in checked.rows:
        if iin not in valid_people:
            continue
        person = known.get(hashes[iin])
        if person is not None and (person.pk, service_id, day) in recorded:
            unchanged += 1
        else:
            writable += 1
    report.deliveries_written = writable
    report.unchanged = unchanged


def _write_deliveries(
    *,
    report: ImportReport,
    actor: Actor,
    project: Project,
    checked: CheckedDeliveries,
    hashes: dict[str, str],
    known: dict[str, KnownPerson],
    progress: ProgressReport | None,
) -> None:
    organisation = project.organisation
    today = timezone.localdate()
    known = dict(known)
    new_people = [
        NewPerson(
            iin=seen.iin,
            iin_hash=hashes[iin],
            last_name=seen.names[0],
            first_name=seen.names[1],
            patronymic=seen.names[2],
            birth_date=seen.birth_date,
            sex=seen.sex,
        )
        for iin, seen in checked.people.items()
        if hashes[iin] not in known and seen.names is not None
    ]
    report_people = _stage(progress, STAGE_PEOPLE)
    if report_people is not None:
        report_people(0, len(new_people))
    created, _without_iin = _create_people(organisation, new_people, report_people)
    report.people_created = len(created)
    known.update((h, KnownPerson(pk, None, None)) for h, pk in created.items())
    # Registered by someone else since the rows were checked: found by their hash now.
    missing = [h for h in hashes.values() if h not in known]
    if missing:
        known.update(_people_by_hash(organisation, missing))
    by_iin = {iin: known[h] for iin, h in hashes.items()}
    first_dates = {by_iin[iin].pk: min(seen.first_date, today) for iin, seen in checked.people.items()}
    added = _add_consents(actor=actor, organisation=organisation, given_on=first_dates)
    report.people_linked = max(0, added - len(created))

    # The rule of `participation_place`, with the project's home region looked up once.
    home_region = project_home_region(project)
    places: dict[int, tuple[int | None, int | None]] = {
        p.pk: (p.region_id, p.district_id) if p.region_id is not None else (home_region, None)
        for p in by_iin.values()
    }
    rows = [
        (by_iin[iin].pk, service_id, day, quantity, note)
        for _number, iin, service_id, day, quantity, note in checked.rows
    ]
    slices = {(day.year, places[pid][0]) for pid, _service_id, day, _quantity, _note in rows}
    recorder = acting_user(actor)
    if connection.vendor == "postgresql":
        written = _insert_deliveries_postgresql(project, rows, places, recorder, progress)
    else:
        written = _insert_deliveries_batched(project, rows, places, recorder, progress)
    report.deliveries_written = written
    report.unchanged = len(rows) - written
    if written:
        reach_mark_stale(slices)


def _insert_deliveries_batched(
    project: Project,
    rows: list[tuple[int, int, dt.date, Decimal, str]],
    places: dict[int, tuple[int | None, int | None]],
    recorder: Any,
    progress: ProgressReport | None,
) -> int:
    """INSERT OR IGNORE in batches; the count of new rows comes from counting the
    project's deliveries before and after (inside the same transaction)."""
    before = ServiceDelivery.objects.filter(project=project).count()
    now = timezone.now()
    done = 0
    for chunk in _chunks(rows, WRITE_BATCH):
        ServiceDelivery.objects.bulk_create(
            [
                ServiceDelivery(
                    project=project,
                    person_id=pid,
                    service_id=service_id,
                    delivered_on=day,
                    region_id=places[pid][0],
                    district_id=places[pid][1],
                    quantity=quantity,
                    note=note,
                    recorded_by=recorder,
                    recorded_at=now,
                )
                for pid, service_id, day, quantity, note in chunk
            ],
            ignore_conflicts=True,
        )
        done += len(chunk)
        if progress is not None:
            progress(STAGE_WRITING, done, len(rows))
    return ServiceDelivery.objects.filter(project=project).count() - before


def _insert_deliveries_postgresql(
    project: Project,
    rows: list[tuple[int, int, dt.date, Decimal, str]],
    places: dict[int, tuple[int | None, int | None]],
    recorder: Any,
    progress: ProgressReport | None,
) -> int:
    """COPY the rows into a temporary table, then move them into the deliveries with one
    INSERT … SELECT … ON CONFLICT DO NOTHING in the order of the unique key (so the
    index is filled in order, not at random). Returns the rows actually inserted."""
    total = len(rows)
    # COPY's text format, written by hand: a third faster than write_row per row.
    place_text = {
        pid: ("\\N" if region is None else str(region), "\\N" if district is None else str(district))
        for pid, (region, district) in places.items()
    }
    day_text: dict[dt.date, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE qoldau_import_delivery ("
            " person_id bigint NOT NULL, service_id bigint NOT NULL, delivered_on date NOT NULL,"
            " region_id bigint, district_id bigint, quantity numeric(10, 2) NOT NULL, note text NOT NULL"
            ") ON COMMIT DROP"
        )
        with cursor.cursor.copy(
            "COPY qoldau_import_delivery (person_id, service_id, delivered_on, region_id, district_id,"
            " quantity, note) FROM STDIN"
        ) as copy:
            for start in range(0, total, 50_000):
                lines = []
                for pid, service_id, day, quantity, note in rows[start : start + 50_000]:
                    region, district = place_text[pid]
                    day_iso = day_text.get(day)
                    if day_iso is None:
                        day_iso = day_text[day] = day.isoformat()
                    if note:
                        note = _copy_text(note)
                    lines.append(
                        f"{pid}\t{service_id}\t{day_iso}\t{region}\t{district}\t{quantity}\t{note}\n"
                    )
                copy.write("".join(lines))
                if progress is not None:
                    # The copy is about a third of the writing; the insert the rest.
                    progress(STAGE_WRITING, (start + len(lines)) // 3, total)
        # A large sort in memory rather than on disk; SET LOCAL ends with the transaction.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        columns = ", ".join(
            _column(ServiceDelivery, name)
            for name in (
                "project",
                "person",
                "service",
                "delivered_on",
                "region",
                "district",
                "quantity",
                "note",
                "recorded_by",
                "recorded_at",
            )
        )
        key = ", ".join(
            _column(ServiceDelivery, name) for name in ("project", "person", "service", "delivered_on")
        )
        cursor.execute(
            f"INSERT INTO {_table(ServiceDelivery)} ({columns})"  # noqa: S608 - our own names; values are parameters
            " SELECT %s, person_id, service_id, delivered_on, region_id, district_id, quantity, note, %s, %s"
            " FROM qoldau_import_delivery ORDER BY person_id, service_id, delivered_on"
            f" ON CONFLICT ({key}) DO NOTHING",
            [project.pk, recorder.pk if recorder is not None else None, timezone.now()],
        )
        written = cursor.rowcount
        cursor.execute("DROP TABLE qoldau_import_delivery")
    if progress is not None:
        progress(STAGE_WRITING, total, total)
    return int(written)


# People -----------------------------------------------------------------------------------


@_without_gc_pauses
def import_people(
    *,
    actor: Actor,
    organisation: Organisation,
    source: ImportSource,
    dry_run: bool = False,
    progress: ProgressReport | None = None,
    job_id: str | None = None,
) -> ImportReport:
    """Import a file of people an organisation serves, all or nothing.

    One row is one person: IIN (or the reason there is none), last and first name,
    patronymic, birth date and sex (read from the IIN when there is one), phone, region
    (KATO), district (KATO or name), categories (codes or names) and the consent date
    (default today). A person not on the platform yet is registered with the consent and
    the categories (from the consent date); one already registered is linked to the
    organisation with a consent, their record left as it is; one the organisation already
    serves is "unchanged". People without an IIN cannot be recognised again, so each such
    row registers a new person (re-importing the same file is still refused as a whole).

    Raises like `import_deliveries`; nothing is written unless every row is good.
    """
    policy.check_may_import_into_organisation(actor, organisation)
    report = ImportReport(
        kind=ImportKind.PEOPLE, dry_run=dry_run, file_name=source.name, file_sha256=file_sha256(source.path)
    )
    previous = import_run_of_file(
        kind=ImportKind.PEOPLE,
        file_sha256=report.file_sha256,
        organisation_id=organisation.pk,
        project_id=None,
    )
    if previous is not None:
        report.already_imported_on = previous.created_at
        if not dry_run:
            report.total = report.unchanged = previous.rows
            return report

    with open_table(source.path, source.name) as table:
        columns = _columns(ImportKind.PEOPLE, table.header, source.mapping, report)
        checked = check_people_rows(table, columns, _stage(progress, STAGE_READING))
    report.total = checked.total
    report._take_errors(checked.errors)
    hashes = {row.iin: keyed_hash(row.iin) for row in checked.rows if row.iin}
    known = _people_by_hash(organisation, list(hashes.values()))
    served = _served(organisation, [p.pk for p in known.values()])

    if dry_run:
        for row in checked.rows:
            person = known.get(hashes[row.iin]) if row.iin else None
            if person is None:
                report.people_created += 1
            elif person.pk in served:
                report.people_unchanged += 1
            else:
                report.people_linked += 1
        report.unchanged = report.people_unchanged
        return report
    if report.errors_total:
        raise ImportRejected(report)

    with transaction.atomic():
        _write_people(
            report=report,
            actor=actor,
            organisation=organisation,
            rows=checked.rows,
            hashes=hashes,
            known=known,
            progress=progress,
        )
        _record_import(
            actor=actor,
            kind=ImportKind.PEOPLE,
            report=report,
            file_name=source.name,
            organisation=organisation,
            project=None,
            job_id=job_id,
        )
    return report


def _write_people(
    *,
    report: ImportReport,
    actor: Actor,
    organisation: Organisation,
    rows: list[PersonRow],
    hashes: dict[str, str],
    known: dict[str, KnownPerson],
    progress: ProgressReport | None,
) -> None:
    new_rows = [row for row in rows if not row.iin or hashes[row.iin] not in known]
    new_people = [
        NewPerson(
            iin=row.iin,
            iin_hash=hashes[row.iin] if row.iin else None,
            no_iin_reason=row.no_iin_reason,
            last_name=row.last_name,
            first_name=row.first_name,
            patronymic=row.patronymic,
            birth_date=row.birth_date,
            sex=row.sex,
            phone=row.phone,
            region_id=row.region_id,
            district_id=row.district_id,
        )
        for row in new_rows
    ]
    report_writing = _stage(progress, STAGE_WRITING)
    if report_writing is not None:
        report_writing(0, len(new_people))
    created, without_iin_ids = _create_people(organisation, new_people, report_writing)
    # The person of each row: registered now, registered meanwhile, or known before.
    person_of_row: dict[int, int] = {}
    new_ids: dict[int, PersonRow] = {}
    for row, pk in zip([r for r in new_rows if not r.iin], without_iin_ids, strict=True):
        person_of_row[row.row] = pk
        new_ids[pk] = row
    for row in new_rows:
        if row.iin and hashes[row.iin] in created:
            person_of_row[row.row] = created[hashes[row.iin]]
            new_ids[created[hashes[row.iin]]] = row
    missing = [
        hashes[r.iin] for r in rows if r.iin and r.row not in person_of_row and hashes[r.iin] not in known
    ]
    everyone = {**known, **(_people_by_hash(organisation, missing) if missing else {})}
    for row in rows:
        if row.row not in person_of_row and row.iin:
            person_of_row[row.row] = everyone[hashes[row.iin]].pk
    report.people_created = len(new_ids)
    given_on = {person_of_row[row.row]: row.consent_date for row in rows}
    added = _add_consents(actor=actor, organisation=organisation, given_on=given_on)
    report.people_linked = max(0, added - len(new_ids))
    report.people_unchanged = len(rows) - report.people_created - report.people_linked
    report.unchanged = report.people_unchanged
    PersonCategory.objects.bulk_create(
        [
            PersonCategory(person_id=pk, category_id=category_id, since=row.consent_date)
            for pk, row in new_ids.items()
            for category_id in row.category_ids
        ],
        batch_size=WRITE_BATCH,
    )
    if report_writing is not None:
        report_writing(len(new_people), len(new_people))
