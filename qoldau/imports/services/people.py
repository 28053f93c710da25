"""The import of people an organisation serves, with their consent."""

from __future__ import annotations

from django.db import transaction

from qoldau.core.crypto import keyed_hash
from qoldau.core.models import Organisation, PersonCategory
from qoldau.core.services import (
    Actor,
)
from qoldau.imports import policy
from qoldau.imports.models import ImportKind
from qoldau.imports.readers import open_table
from qoldau.imports.selectors import import_run_of_file
from qoldau.imports.services.common import (
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
    _create_people,
    _people_by_hash,
    _record_import,
    _served,
    _stage,
    _without_gc_pauses,
    file_sha256,
    table_columns,
)
from qoldau.imports.validation import (
    PersonRow,
    check_people_rows,
)

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

    with open_table(source.path, source.name, kind=ImportKind.PEOPLE, sheet=source.sheet) as table:
        columns = table_columns(ImportKind.PEOPLE, table, source.mapping, report)
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

    with transaction.atomic(durable=True):
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
    added = _add_consents(
        actor=actor, organisation=organisation, given_on=given_on, new_people=new_ids.keys()
    )
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
