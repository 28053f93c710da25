"""The import of service deliveries (people it does not know yet registered from their
names in the file)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation

from qoldau.core.crypto import keyed_hash
from qoldau.core.services import (
    Actor,
    acting_user,
)
from qoldau.imports import policy
from qoldau.imports.models import ImportKind
from qoldau.imports.readers import open_table
from qoldau.imports.selectors import import_run_of_file
from qoldau.imports.services.common import (
    LOOKUP_BATCH,
    STAGE_PEOPLE,
    STAGE_READING,
    STAGE_WRITING,
    WRITE_BATCH,
    ImportRejected,
    ImportReport,
    ImportSource,
    KnownPerson,
    NewPerson,
    PeopleRegisteredMeanwhile,
    PlannedPeople,
    ProgressReport,
    _add_consents,
    _array,
    _chunks,
    _column,
    _copy_text,
    _copy_value,
    _create_people,
    _identities_of,
    _people_by_hash,
    _record_import,
    _served,
    _stage,
    _table,
    _without_gc_pauses,
    file_sha256,
    table_columns,
)
from qoldau.imports.validation import (
    CheckedDeliveries,
    check_delivery_rows,
)
from qoldau.projects.models import Project, ServiceDelivery
from qoldau.projects.services import project_home_region, reach_mark_stale

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

    with open_table(source.path, source.name, kind=ImportKind.DELIVERIES, sheet=source.sheet) as table:
        columns = table_columns(ImportKind.DELIVERIES, table, source.mapping, report)
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

    with transaction.atomic(durable=True):
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
    record = functools.partial(
        _record_deliveries,
        report=report,
        actor=actor,
        project=project,
        checked=checked,
        hashes=hashes,
        known=known,
        progress=progress,
    )
    if connection.vendor != "postgresql":
        created, _without_iin = _create_people(project.organisation, new_people, report_people)
        record(created=created)
        return
    # Worker processes encrypt the new people's fields while their consents and
    # deliveries are written; their records are copied in last (the foreign keys are
    # checked at commit).
    with PlannedPeople(project.organisation, new_people) as planned:
        if report_people is not None:
            report_people(len(new_people), len(new_people))
        try:
            with transaction.atomic():
                record(created=planned.ids, planned_identities=planned.identities)
                planned.write()
        except PeopleRegisteredMeanwhile:
            # All of it undone: the records go in skipping those people, whose records
            # made meanwhile the consents and deliveries then point to.
            record(created=planned.write_skipping_clashes())


def _record_deliveries(
    *,
    report: ImportReport,
    actor: Actor,
    project: Project,
    checked: CheckedDeliveries,
    hashes: dict[str, str],
    known: dict[str, KnownPerson],
    created: dict[str, int],
    progress: ProgressReport | None,
    planned_identities: dict[int, int] | None = None,
) -> None:
    """The consents and the deliveries, once each new person has an id (`created`).
    Records planned but not yet copied in come with their identities
    (`planned_identities`); the others' are read."""
    organisation = project.organisation
    today = timezone.localdate()
    known_before = {person.pk for person in known.values()}
    known = dict(known)
    report.people_created = len(created)
    known.update((h, KnownPerson(pk, None, None)) for h, pk in created.items())
    # Registered by someone else since the rows were checked: found by their hash now.
    missing = [h for h in hashes.values() if h not in known]
    if missing:
        found = _people_by_hash(organisation, missing)
        known.update(found)
        known_before.update(person.pk for person in found.values())
    by_iin = {iin: known[h] for iin, h in hashes.items()}
    first_dates = {by_iin[iin].pk: min(seen.first_date, today) for iin, seen in checked.people.items()}
    added = _add_consents(
        actor=actor, organisation=organisation, given_on=first_dates, new_people=created.values()
    )
    report.people_linked = max(0, added - len(created))

    # The rule of `participation_place`, with the project's home region looked up once.
    home_region = project_home_region(project)
    places: dict[int, tuple[int | None, int | None]] = {
        p.pk: (p.region_id, p.district_id) if p.region_id is not None else (home_region, None)
        for p in by_iin.values()
    }
    planned = planned_identities or {}
    identities = {**_identities_of(pid for pid in places if pid not in planned), **planned}
    recorder = acting_user(actor)
    if connection.vendor == "postgresql":
        written, slices = _insert_deliveries_postgresql(
            project, checked.rows, by_iin, places, identities, known_before, recorder, progress
        )
    else:
        rows = [
            (by_iin[iin].pk, service_id, day, quantity, note)
            for _number, iin, service_id, day, quantity, note in checked.rows
        ]
        slices = {(day.year, places[pid][0]) for pid, _service_id, day, _quantity, _note in rows}
        written = _insert_deliveries_batched(project, rows, places, identities, recorder, progress)
    report.deliveries_written = written
    report.unchanged = len(checked.rows) - written
    if written:
        reach_mark_stale(slices)


def _insert_deliveries_batched(
    project: Project,
    rows: list[tuple[int, int, dt.date, Decimal, str]],
    places: dict[int, tuple[int | None, int | None]],
    identities: dict[int, int],
    recorder: Any,
    progress: ProgressReport | None,
) -> int:
    """INSERT OR IGNORE in batches; the count of new rows comes from counting the
    project's deliveries before and after (inside the same transaction)."""
    if progress is not None:
        progress(STAGE_WRITING, 0, len(rows))
    before = ServiceDelivery.objects.filter(project=project).count()
    now = timezone.now()
    done = 0
    for chunk in _chunks(rows, WRITE_BATCH):
        ServiceDelivery.objects.bulk_create(
            [
                ServiceDelivery(
                    project=project,
                    person_id=pid,
                    identity_id=identities[pid],
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


# The columns a delivery is copied in with: the person's first, so that each person's
# part of a line is made once.
DELIVERY_COLUMNS = (
    "person",
    "identity",
    "region",
    "district",
    "service",
    "delivered_on",
    "quantity",
    "note",
    "project",
    "recorded_by",
    "recorded_at",
)
# Lines sent to PostgreSQL at once.
COPY_BLOCK = 50_000


def _recorded_deliveries(project: Project, person_ids: set[int]) -> dict[int, set[tuple[int, dt.date]]]:
    """The (service, date) of each delivery the project has recorded already for these
    people, by person: one look-up along the unique key."""
    recorded: dict[int, set[tuple[int, dt.date]]] = {}
    if not person_ids or not ServiceDelivery.objects.filter(project=project).exists():
        return recorded
    person, service, date, in_project = (
        _column(ServiceDelivery, name) for name in ("person", "service", "delivered_on", "project")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {person}, {service}, {date} FROM {_table(ServiceDelivery)}"  # noqa: S608 - our own names
            f" WHERE {in_project} = %s AND {person} = ANY(%s::bigint[])",
            [project.pk, _array(sorted(person_ids))],
        )
        for pid, service_id, day in cursor.fetchall():
            recorded.setdefault(pid, set()).add((service_id, day))
    return recorded


def _insert_deliveries_postgresql(
    project: Project,
    rows: list[tuple[int, str, int, dt.date, Decimal, str]],
    by_iin: dict[str, KnownPerson],
    places: dict[int, tuple[int | None, int | None]],
    identities: dict[int, int],
    known_before: set[int],
    recorder: Any,
    progress: ProgressReport | None,
) -> tuple[int, set[tuple[int, int | None]]]:
    """COPY the deliveries straight into their table, person by person in id order (so
    the unique key's index and the person's fill in order, not at random); the lines
    are made block by block while PostgreSQL takes in the one before. Rows already
    recorded are left out first: only people the organisation had before the import can
    have any, and the project's unique key finds them in one look-up. Should another
    writer record one of the same deliveries meanwhile, the COPY fails on the unique key
    and is undone alone; the rows then go through a temporary table and one INSERT …
    ON CONFLICT DO NOTHING. Returns the rows written and the (year, region) slices
    they fall in."""
    total = len(rows)
    recorded = _recorded_deliveries(project, known_before)
    if progress is not None:
        progress(STAGE_WRITING, 0, total)
    # Each person's rows, without those the project has recorded.
    person_of = {iin: (person.pk, recorded.get(person.pk)) for iin, person in by_iin.items()}
    rows_of: dict[int, list[tuple[int, str, int, dt.date, Decimal, str]]] = {}
    unchanged = 0
    for row in rows:
        pid, done = person_of[row[1]]
        if done is not None and (row[2], row[3]) in done:
            unchanged += 1
            continue
        own = rows_of.get(pid)
        if own is None:
            rows_of[pid] = [row]
        else:
            own.append(row)
    # The dates are inside the project's period: within one year, the slices are that
    # year in each region written to.
    if project.starts_on.year == project.ends_on.year:
        slices = {(project.starts_on.year, places[pid][0]) for pid in rows_of}
    else:
        slices = {(row[3].year, places[pid][0]) for pid, own in rows_of.items() for row in own}
    now = timezone.now()
    tail = (
        f"\t{project.pk}\t{_copy_value(recorder.pk if recorder is not None else None)}\t{now.isoformat()}\n"
    )

    def blocks() -> Iterator[str]:
        # A line: its person's part, made once per person, and the rest, made once per
        # (service, date, quantity) when there is no note.
        rests: dict[tuple[int, dt.date, Decimal], str] = {}
        block: list[str] = []
        for pid in sorted(rows_of):
            region, district = places[pid]
            head = f"{pid}\t{identities[pid]}\t{_copy_value(region)}\t{_copy_value(district)}\t"
            for _number, _iin, service_id, day, quantity, note in rows_of[pid]:
                if note:
                    block.append(
                        f"{head}{service_id}\t{day.isoformat()}\t{quantity}\t{_copy_text(note)}{tail}"
                    )
                    continue
                key = (service_id, day, quantity)
                rest = rests.get(key)
                if rest is None:
                    rest = rests[key] = f"{service_id}\t{day.isoformat()}\t{quantity}\t{tail}"
                block.append(head + rest)
            if len(block) >= COPY_BLOCK:
                yield "".join(block)
                block = []
        if block:
            yield "".join(block)

    columns = ", ".join(_column(ServiceDelivery, name) for name in DELIVERY_COLUMNS)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _copy_blocks(
                cursor, f"COPY {_table(ServiceDelivery)} ({columns}) FROM STDIN", blocks(), progress, total
            )
        written = total - unchanged
    except UniqueViolation:
        written = _insert_deliveries_skipping_recorded(blocks(), columns, progress, total)
    return written, slices


def _copy_blocks(
    cursor: Any, statement: str, blocks: Iterable[str], progress: ProgressReport | None, total: int
) -> None:
    done = 0
    with cursor.cursor.copy(statement) as copy:
        for block in blocks:
            copy.write(block)
            done += block.count("\n")
            if progress is not None:
                progress(STAGE_WRITING, min(done, total), total)


def _insert_deliveries_skipping_recorded(
    blocks: Iterable[str], columns: str, progress: ProgressReport | None, total: int
) -> int:
    """Another writer recorded some of the same deliveries meanwhile: COPY the rows into
    a temporary table, then one INSERT … SELECT … ON CONFLICT DO NOTHING in the unique
    key's order, which skips those. Returns the rows actually inserted."""
    key = ", ".join(
        _column(ServiceDelivery, name) for name in ("project", "person", "service", "delivered_on")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE qoldau_import_delivery ON COMMIT DROP AS SELECT {columns}"  # noqa: S608 - our own names
            f" FROM {_table(ServiceDelivery)} WITH NO DATA"
        )
        _copy_blocks(cursor, f"COPY qoldau_import_delivery ({columns}) FROM STDIN", blocks, None, total)
        # A large sort in memory rather than on disk; SET LOCAL ends with the transaction.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"INSERT INTO {_table(ServiceDelivery)} ({columns})"  # noqa: S608 - our own names
            f" SELECT {columns} FROM qoldau_import_delivery ORDER BY {key}"
            f" ON CONFLICT ({key}) DO NOTHING"
        )
        written = cursor.rowcount
        cursor.execute("DROP TABLE qoldau_import_delivery")
    if progress is not None:
        progress(STAGE_WRITING, total, total)
    return int(written)
