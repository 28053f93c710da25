"""The objects import: the service that checks a file and writes it all or nothing, and
the imports of objects a user sees."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet

from qoldau.access import policy
from qoldau.access.imports.checking import check_object_rows
from qoldau.access.imports.rows import ObjectsImportReport, existing_objects
from qoldau.access.imports.writing import count_changes, write_objects
from qoldau.core.audit import audit_record
from qoldau.core.models import Place
from qoldau.core.services import Actor, acting_user
from qoldau.imports.models import ImportKind, ImportRun
from qoldau.imports.readers import open_table
from qoldau.imports.services import (
    STAGE_READING,
    STAGE_WRITING,
    ImportRejected,
    ImportSource,
    ProgressReport,
    file_sha256,
    table_columns,
)


def objects_import_runs(user: Actor) -> QuerySet[ImportRun]:
    """The imports of objects the user sees (`policy.object_import_runs_visible`), newest
    first."""
    return policy.object_import_runs_visible(user).select_related("region", "user")


def _stage(progress: ProgressReport | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def import_objects(
    *,
    actor: Actor,
    region: Place,
    source: ImportSource,
    dry_run: bool = False,
    progress: ProgressReport | None = None,
    job_id: str | None = None,
) -> ObjectsImportReport:
    """Import a file of infrastructure objects into a region, all or nothing.

    Guarantees: every row is checked before anything is written, and each bad cell is
    reported with its row number, column and reason; a dry run writes nothing; a write
    with any bad row raises ImportRejected and writes nothing; otherwise every row is
    written in one transaction: a register number new to the region registers an
    object, a known one updates that object (its version moves on, so an editor who
    opened it before sees an edit conflict) or leaves it as it is when nothing differs.
    The audit row and the `ImportRun` hold counts, never the rows.

    Raises PermissionDenied unless the actor is an officer of the region, an
    administrator, or staff of an organisation (who may import only their own objects).
    """
    policy.check_may_import_objects_into(actor, region)
    owner_ids = policy.object_owners_importable(actor, region)
    report = ObjectsImportReport(
        kind=ImportKind.OBJECTS,
        dry_run=dry_run,
        file_name=source.name,
        file_sha256=file_sha256(source.path),
        region_id=region.pk,
    )
    existing = existing_objects(region)
    with open_table(source.path, source.name, kind=ImportKind.OBJECTS, sheet=source.sheet) as table:
        columns = table_columns(ImportKind.OBJECTS, table, source.mapping, report)
        checked = check_object_rows(
            table,
            columns,
            region=region,
            owner_ids=owner_ids,
            existing=existing,
            progress=_stage(progress, STAGE_READING),
        )
    report.total = checked.total
    report._take_errors(checked.errors)
    if dry_run:
        count_changes(report, checked.rows, existing)
        return report
    if report.errors_total:
        raise ImportRejected(report)
    with transaction.atomic(durable=True):
        # Locked now, so that an object edited meanwhile is compared and versioned as it is.
        existing = existing_objects(region, lock=True)
        write_objects(report, checked.rows, existing, region, _stage(progress, STAGE_WRITING))
        ImportRun.objects.create(
            kind=ImportKind.OBJECTS,
            file_sha256=report.file_sha256,
            file_name=source.name[:255],
            region=region,
            user=acting_user(actor),
            rows=report.total,
            objects_created=report.objects_created,
            objects_updated=report.objects_updated,
            unchanged=report.unchanged,
            job_id=job_id,
        )
        audit_record(
            actor,
            "access.objects_import",
            object_type="region",
            object_id=region.pk,
            details={
                "rows": report.total,
                "objects_created": report.objects_created,
                "objects_updated": report.objects_updated,
                "unchanged": report.unchanged,
                "file_sha256": report.file_sha256,
            },
        )
    return report
