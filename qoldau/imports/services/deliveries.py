"""The import of service deliveries (people it does not know yet registered from their
names in the file)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

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
    ProgressReport,
    _add_consents,
    _chunks,
    _column,
    _copy_text,
    _create_people,
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
