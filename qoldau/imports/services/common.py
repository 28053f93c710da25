"""What both imports share: the file, the report and its stages, and the set-based writing
of the organisation's records of people (identities, records, consents)."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, ParamSpec, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from psycopg.errors import UniqueViolation

from qoldau.core.audit import audit_record
from qoldau.core.crypto import encrypt_in_background
from qoldau.core.errors import CoreErrorCode, ValidationFailed
from qoldau.core.models import Consent, Organisation, Person
from qoldau.core.services import (
    Actor,
    acting_user,
    identities_for_hashes,
    identities_without_iin,
)
from qoldau.imports.models import ImportRun
from qoldau.imports.readers import ColumnMatch, ReadingNotes, Table, match_columns
from qoldau.imports.validation import (
    ErrorList,
    RowError,
)
from qoldau.projects.models import Project

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
    # The sheet of a workbook to read (by name); None: the one whose header names the columns.
    sheet: str | None = None


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
    # Where the table was found, and the rows skipped as no data (titles, totals).
    header_row: int = 0
    sheet: str = ""
    notes: ReadingNotes = field(default_factory=ReadingNotes)

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
            "header_row": self.header_row,
            "sheet": self.sheet,
            "notes": [note.as_list() for note in self.notes],
            "notes_more": self.notes.more,
        }

    def _take_errors(self, errors: ErrorList) -> None:
        self.errors = errors.sorted()
        self.errors_total = errors.count
        self.error_rows = len(errors.rows)


class ImportRejected(ValidationFailed):
    """Some rows are bad: nothing was written. `report.errors` lists them."""

    code = CoreErrorCode.IMPORT_REJECTED

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


def table_columns(
    kind: str, table: Table, mapping: Sequence[str] | None, report: ImportReport
) -> ColumnMatch:
    """What each column of an open file holds (refused when a required one is missing or
    given twice), and where the table was found, onto the report. Every kind of import
    reads its file's columns here."""
    columns = match_columns(kind, table.header, mapping, header_row=table.header_row)
    columns.check()
    report.columns_ignored = [columns.header[i] for i, name in enumerate(columns.fields) if not name]
    report.header_row = table.header_row
    report.sheet = table.sheet
    # The same object: the notes of the rows skipped come as the rows are read.
    report.notes = table.notes
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
                    f" AND {_column(Person, 'iin_hash')} = ANY(%s::text[])",
                    [organisation.pk, _array(chunk)],
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


def _identities_of(person_ids: Iterable[int]) -> dict[int, int]:
    """Each record's identity, which its deliveries carry (reach counts identities)."""
    wanted = sorted(set(person_ids))
    found: dict[int, int] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for chunk in _chunks(wanted, 200_000):
                cursor.execute(
                    f"SELECT {_column(Person, 'id')}, {_column(Person, 'identity')} FROM {_table(Person)}"  # noqa: S608 - our own names
                    f" WHERE {_column(Person, 'id')} = ANY(%s::bigint[])",
                    [_array(chunk)],
                )
                found.update(cursor.fetchall())
        return found
    for chunk in _chunks(wanted, LOOKUP_BATCH):
        found.update(Person.objects.filter(pk__in=chunk).values_list("pk", "identity_id"))
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


def _array(values: Iterable[int | str | dt.date]) -> str:
    """An array literal of numbers, hex hashes or dates, for one `%s::type[]` parameter:
    psycopg adapts a list element by element in Python, a second per 200,000."""
    return "{" + ",".join(map(str, values)) + "}"


def _copy_text(value: str) -> str:
    """A value for PostgreSQL's COPY text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class NewPerson(NamedTuple):
    """A person an import registers (clear values; encrypted when written). A tuple, not
    a dataclass: an import makes hundreds of thousands of them."""

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

    A person with an IIN whom somebody registered meanwhile (the organisation's IIN hash
    clashes) is skipped: they are missing from the ids returned, and the caller looks
    them up. People without an IIN cannot clash."""
    if connection.vendor == "postgresql":
        return _create_people_postgresql(organisation, people, report_progress)
    with_iin = [p for p in people if p.iin_hash]
    without_iin = [p for p in people if not p.iin_hash]
    hashes = [p.iin_hash for p in with_iin if p.iin_hash]
    # Registered meanwhile (the insert skips them): not among those created.
    there = _people_by_hash(organisation, hashes)
    identities = identities_for_hashes(hashes)
    total = len(people)
    done = 0
    for chunk in _chunks(with_iin, WRITE_BATCH):
        Person.objects.bulk_create(
            [p.model(organisation.pk, identities[p.iin_hash or ""]) for p in chunk], ignore_conflicts=True
        )
        done += len(chunk)
        if report_progress is not None:
            report_progress(done, total)
    found = _people_by_hash(organisation, hashes)
    by_hash = {iin_hash: person.pk for iin_hash, person in found.items() if iin_hash not in there}
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


# The columns of a person an import writes, in the order of `PlannedPeople._lines`.
PERSON_COLUMNS = (
    "id",
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


def _new_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids from the table's own sequence, as inserts would take them: rows can
    then be copied in with their ids, and be pointed to before they are written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, _model_field(model, "id").column, count],
        )
        return [int(pk) for (pk,) in cursor.fetchall()]


def _copy_value(value: int | None) -> str:
    """An id for COPY's text format, or NULL."""
    return "\\N" if value is None else str(value)


class PeopleRegisteredMeanwhile(Exception):
    """Somebody registered one of the people in the same organisation after the import
    looked them up: the COPY of the records met the organisation's IIN hash."""


def _create_people_postgresql(
    organisation: Organisation,
    people: list[NewPerson],
    report_progress: Callable[[int, int], None] | None,
) -> tuple[dict[str, int], list[int]]:
    with PlannedPeople(organisation, people, report_progress) as planned:
        try:
            planned.write()
        except PeopleRegisteredMeanwhile:
            return planned.write_skipping_clashes(), planned.without_iin_ids
        return planned.ids, planned.without_iin_ids


class PlannedPeople:
    """New records of people, written on PostgreSQL in two steps.

    Made, it has started worker processes encrypting the personal fields (as
    `EncryptedTextField` would), made the identities and taken the records' ids from the
    table's sequence. Rows that point to the people (consents, deliveries) can be
    written meanwhile: the foreign keys are checked at commit. `write()` then copies the
    records in, in the order of their IIN hashes (so the unique index fills in order).
    Use it as a context manager: leaving the block stops the workers."""

    def __init__(
        self,
        organisation: Organisation,
        people: list[NewPerson],
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.organisation = organisation
        total = len(people)
        order = sorted(range(total), key=lambda i: people[i].iin_hash or "")
        self._people = [people[i] for i in order]
        clear = [
            value
            for p in self._people
            for value in (p.iin, p.last_name, p.first_name, p.patronymic, p.phone)
            if value
        ]

        def encrypted(done: int, values: int) -> None:
            if progress is not None:
                progress(done * total // max(values, 1), total)

        self._encryption = encrypt_in_background(clear, encrypted)
        try:
            identities = identities_for_hashes([p.iin_hash for p in self._people if p.iin_hash])
            own = iter(identities_without_iin(sum(1 for p in self._people if not p.iin_hash)))
            self._identities = [identities[p.iin_hash] if p.iin_hash else next(own) for p in self._people]
            self._ids = _new_ids(Person, total)
        except BaseException:
            self._encryption.__exit__(None, None, None)
            raise
        # The planned id of each person with an IIN, by hash; of those without, in the
        # order given.
        self.ids = {p.iin_hash: pk for pk, p in zip(self._ids, self._people, strict=True) if p.iin_hash}
        # Each planned record's identity, by id: what rows pointing to it carry.
        self.identities = dict(zip(self._ids, self._identities, strict=True))
        id_of = dict(zip(order, self._ids, strict=True))
        self.without_iin_ids = [id_of[i] for i, p in enumerate(people) if not p.iin_hash]
        self._names = ", ".join(_column(Person, name) for name in PERSON_COLUMNS)
        self._copied: list[str] | None = None

    def write(self) -> None:
        """Copy the records in. Raises PeopleRegisteredMeanwhile, with nothing written,
        if somebody registered one of them meanwhile."""
        lines = self._lines()
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {_table(Person)} ({self._names}) FROM STDIN") as copy:
                    copy.write(lines)
        except UniqueViolation as clash:
            raise PeopleRegisteredMeanwhile from clash

    def write_skipping_clashes(self) -> dict[str, int]:
        """Insert the records through a temporary table and one INSERT … ON CONFLICT DO
        NOTHING, which skips those somebody registered meanwhile; returns the ids of
        those written, by hash (the caller looks the others up)."""
        names = self._names
        by_hash: dict[str, int] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE qoldau_import_person ON COMMIT DROP AS SELECT {names}"  # noqa: S608 - our own names
                f" FROM {_table(Person)} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY qoldau_import_person ({names}) FROM STDIN") as copy:
                copy.write(self._lines())
            cursor.execute(
                f"INSERT INTO {_table(Person)} ({names}) SELECT {names} FROM qoldau_import_person"  # noqa: S608 - our own names
                f" ORDER BY {_column(Person, 'iin_hash')}"
                f" ON CONFLICT DO NOTHING RETURNING {_column(Person, 'id')}, {_column(Person, 'iin_hash')}"
            )
            for pk, iin_hash in cursor.fetchall():
                if iin_hash:
                    by_hash[iin_hash] = pk
            cursor.execute("DROP TABLE qoldau_import_person")
        return by_hash

    def _lines(self) -> str:
        """The records in COPY's text format, once the tokens are back."""
        if self._copied is None:
            token = iter(self._encryption.result()).__next__
            self._encryption.__exit__(None, None, None)
            organisation = str(self.organisation.pk)
            now = timezone.now().isoformat()
            lines = []
            null = "\\N"
            for pk, identity, p in zip(self._ids, self._identities, self._people, strict=True):
                # The tokens come in the order they were asked for: IIN, last and first
                # name, patronymic, phone, each only when not empty (stored as it is).
                iin = token() if p.iin else p.iin
                last_name = token() if p.last_name else p.last_name
                first_name = token() if p.first_name else p.first_name
                patronymic = token() if p.patronymic else p.patronymic
                phone = token() if p.phone else p.phone
                birth_date = null if p.birth_date is None else p.birth_date.isoformat()
                region = null if p.region_id is None else p.region_id
                district = null if p.district_id is None else p.district_id
                lines.append(
                    f"{pk}\t{organisation}\t{identity}\t{null if iin is None else iin}\t{p.iin_hash or null}"
                    f"\t{_copy_text(p.no_iin_reason)}\t{last_name}\t{first_name}\t{patronymic}\t{birth_date}"
                    f"\t{_copy_text(p.sex)}\t{phone}\t{region}\t{district}\t\t{now}\t{now}\t1\n"
                )
            self._copied = lines
        return "".join(self._copied)

    def __enter__(self) -> PlannedPeople:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._encryption.__exit__(kind, error, traceback)


def _add_consents(
    *,
    actor: Actor,
    organisation: Organisation,
    given_on: dict[int, dt.date],
    new_people: Collection[int] = (),
) -> int:
    """Give the organisation an active consent from each person who has none; returns
    how many were added (a consent already active, or added meanwhile by someone else,
    is kept as it is: the unique index of active consents skips it). `new_people` are
    records this import made, which nobody else can have given a consent for yet: on
    PostgreSQL theirs are copied in without looking."""
    recorder = acting_user(actor)
    if connection.vendor == "postgresql":
        now = timezone.now()
        recorded_by = recorder.pk if recorder is not None else None
        columns = ", ".join(
            _column(Consent, name)
            for name in ("person", "organisation", "given_on", "recorded_by", "recorded_at")
        )
        fresh = set(new_people)
        others = [pid for pid in given_on if pid not in fresh]
        with connection.cursor() as cursor:
            added = 0
            if others:
                cursor.execute(
                    f"INSERT INTO {_table(Consent)} ({columns})"  # noqa: S608 - our own names
                    " SELECT person_id, %s, given_on, %s, %s"
                    " FROM unnest(%s::bigint[], %s::date[]) AS given (person_id, given_on)"
                    " ORDER BY person_id ON CONFLICT DO NOTHING",
                    [
                        organisation.pk,
                        recorded_by,
                        now,
                        _array(others),
                        _array(given_on[pid] for pid in others),
                    ],
                )
                added = int(cursor.rowcount)
            copied = sorted(fresh & given_on.keys())
            if copied:
                tail = f"\t{_copy_value(recorded_by)}\t{now.isoformat()}\n"
                with cursor.cursor.copy(f"COPY {_table(Consent)} ({columns}) FROM STDIN") as copy:
                    copy.write(
                        "".join(
                            f"{pid}\t{organisation.pk}\t{given_on[pid].isoformat()}{tail}" for pid in copied
                        )
                    )
        return added + len(copied)
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
